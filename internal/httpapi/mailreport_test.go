package httpapi_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
)

// mailSample is a mail report of internal/tracking/testdata/mailreport
// about the message with Message-ID mid and unsubscribe link unsub.
func mailSample(t *testing.T, name, mid, unsub string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "tracking", "testdata", "mailreport", name))
	if err != nil {
		t.Fatal(err)
	}
	headers := "From: <news@mail.shop.cn>\r\nMessage-ID: <" + mid + ">\r\nList-Unsubscribe: <" + unsub + ">\r\n\r\n"
	return strings.NewReplacer("{{MESSAGE_ID}}", mid, "{{UNSUBSCRIBE}}", unsub,
		"{{HEADERS_BASE64}}", base64.StdEncoding.EncodeToString([]byte(headers))).Replace(string(b))
}

// postReport posts a raw mail report signed with secret.
func (w *world) postReport(channel, id, contentType, secret, body string) (*http.Response, map[string]any) {
	w.t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		w.t.Fatal(err)
	}
	sig, _ := wh.Sign(id, w.now, []byte(body))
	resp := w.do("POST", w.srv.URL+"/hooks/"+channel, strings.NewReader(body), map[string]string{
		"Content-Type": contentType, "webhook-id": id, "webhook-timestamp": strconv.FormatInt(w.now.Unix(), 10), "webhook-signature": sig})
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp, out
}

// TestMailReports posts RFC 3464 bounces and an RFC 5965 complaint raw to
// /hooks/email: found by our Message-ID or, failing that, by the
// unsubscribe token in the returned headers; a hard bounce and a
// complaint suppress the address, a delay does not.
func TestMailReports(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	mid0 := sendKey(t, w, w.ids[0]) + "@mail.shop.cn"
	unsub0, _ := w.links.Unsubscribe(w.send(0))
	hard := mailSample(t, "dsn_hard.eml", mid0, unsub0)
	resp, out := w.postReport("email", "dsn_1", "message/rfc822", mailSecret, hard)
	if resp.StatusCode != 200 || out["kind"] != "bounce" || out["suppressed"] != 1.0 || out["duplicate"] != false {
		t.Fatalf("hard bounce: %d %v", resp.StatusCode, out)
	}
	sup := must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindEmail, Value: "li.na@example.cn"}}))
	if len(sup) != 1 || sup[0].Reason != "hard_bounce" || sup[0].MarketingOnly {
		t.Errorf("bounce suppression: %+v", sup)
	}
	if resp, out := w.postReport("email", "dsn_1", "message/rfc822", mailSecret, hard); resp.StatusCode != 200 || out["duplicate"] != true {
		t.Errorf("the same report again: %d %v", resp.StatusCode, out)
	}

	// a complaint whose returned Message-ID is not ours (a forwarded
	// copy): the unsubscribe token names the send
	unsub1, _ := w.links.Unsubscribe(w.send(1))
	arf := mailSample(t, "arf_abuse.eml", "forwarded.1@example.com", unsub1)
	resp, out = w.postReport("email", "fbl_1", "message/rfc822", mailSecret, arf)
	if resp.StatusCode != 200 || out["kind"] != "complaint" || out["suppressed"] != 1.0 || out["revoked"] != 1.0 {
		t.Fatalf("complaint: %d %v", resp.StatusCode, out)
	}
	cur := customer.CurrentConsent(must(w.st.Consents(ctx, "c2")))
	if c := cur[customer.Key("email", customer.PurposeMarketing)]; c.Status != customer.Revoked || c.Source != "spam complaint" {
		t.Errorf("c2's e-mail consent after the complaint: %+v", cur)
	}
	sup = must(w.st.MatchSuppressions(ctx, []policy.SuppressionKey{{Kind: policy.KindEmail, Value: "tom@example.com"}}))
	if len(sup) != 1 || sup[0].Reason != "complaint" {
		t.Errorf("complaint suppression: %+v", sup)
	}

	// a delay, posted as the multipart/report body itself: a soft bounce
	mid1 := sendKey(t, w, w.ids[1]) + "@mail.shop.cn"
	delayed := mailSample(t, "dsn_delayed.eml", mid1, unsub1)
	head, body, _ := strings.Cut(delayed, "\n\n")
	ct := head[strings.Index(head, "Content-Type: ")+len("Content-Type: "):]
	resp, out = w.postReport("email", "dsn_2", strings.TrimSpace(ct), mailSecret, body)
	if resp.StatusCode != 200 || out["kind"] != "bounce" || out["suppressed"] != 0.0 {
		t.Fatalf("delay: %d %v", resp.StatusCode, out)
	}

	for name, tc := range map[string]struct {
		channel, ct, secret, body string
		status                    int
	}{
		"bad signature":   {"email", "message/rfc822", smsSecret, hard, 403},
		"not a report":    {"email", "message/rfc822", mailSecret, "From: a@b.cn\r\nContent-Type: text/plain\r\n\r\nhi\r\n", 400},
		"not a complaint": {"email", "message/rfc822", mailSecret, mailSample(t, "arf_not_spam.eml", mid0, unsub0), 400},
		"unknown message": {"email", "message/rfc822", mailSecret, mailSample(t, "dsn_hard.eml", "0123456789abcdef0123456789abcdef@mail.shop.cn", "https://t.shop.cn/u/forged"), 404},
		"sms hook":        {"sms", "message/rfc822", smsSecret, hard, 400},
		"too big":         {"email", "message/rfc822", mailSecret, strings.Repeat("x", 1<<20+1), 400},
	} {
		if resp, out := w.postReport(tc.channel, "r_"+name, tc.ct, tc.secret, tc.body); resp.StatusCode != tc.status {
			t.Errorf("%s: %d %v, want %d", name, resp.StatusCode, out, tc.status)
		}
	}
	resp = w.do("POST", w.srv.URL+"/hooks/email", strings.NewReader(hard), map[string]string{"Content-Type": "message/rfc822"})
	if resp.StatusCode != 403 {
		t.Errorf("unsigned report: %d", resp.StatusCode)
	}

	var kinds []string
	for _, h := range w.hits() {
		kinds = append(kinds, h.Kind+"/"+h.Code+"/"+h.Detail+"/"+h.At.UTC().Format(time.RFC3339))
	}
	// the complaint's Arrival-Date is a day after the test clock's now:
	// a time in the future is taken as now
	want := "[bounce/5.1.1/hard/2026-11-11T04:00:02Z complaint/abuse//2026-11-11T12:00:00Z bounce/4.2.2/soft/2026-11-11T12:00:01Z]"
	if fmt.Sprint(kinds) != want {
		t.Errorf("hits %v\nwant %s", kinds, want)
	}
}
