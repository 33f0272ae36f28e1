package tracking

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

const sampleKey = "0123456789abcdef0123456789abcdef"

// sample reads a mail report of testdata/mailreport with our Message-ID
// (key@mail.shop.cn) and unsubscribe link filled in.
func sample(t *testing.T, name, key, unsubscribe string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mailreport", name))
	if err != nil {
		t.Fatal(err)
	}
	mid := key + "@mail.shop.cn"
	headers := "From: <news@mail.shop.cn>\r\nTo: <tom@example.com>\r\nMessage-ID: <" + mid + ">\r\nList-Unsubscribe: <" + unsubscribe + ">\r\n\r\n"
	enc := base64.StdEncoding.EncodeToString([]byte(headers))
	var lines []string
	for len(enc) > 76 {
		lines, enc = append(lines, enc[:76]), enc[76:]
	}
	lines = append(lines, enc)
	return strings.NewReplacer("{{MESSAGE_ID}}", mid, "{{UNSUBSCRIBE}}", unsubscribe,
		"{{HEADERS_BASE64}}", strings.Join(lines, "\n")).Replace(string(b))
}

func TestParseMailReport(t *testing.T) {
	unsub := "https://t.shop.cn/u/AQMtoken"
	for _, tc := range []struct {
		name   string
		want   MailReport
		ids    int // MessageIDs expected (ours first)
		arrive string
	}{
		{"dsn_hard.eml", MailReport{Kind: ReportBounce, Hard: true, Status: "5.1.1"}, 1, "2026-11-11T04:00:02Z"},
		{"dsn_delayed.eml", MailReport{Kind: ReportBounce, Status: "4.2.2"}, 3, "2026-11-11T12:00:01Z"},
		{"arf_abuse.eml", MailReport{Kind: ReportComplaint, Status: "abuse"}, 1, "2026-11-12T01:10:00Z"},
		{"dsn_delivered.eml", MailReport{Kind: ReportDelivered, Status: "2.0.0"}, 1, "2026-11-11T12:00:09Z"},
	} {
		raw := sample(t, tc.name, sampleKey, unsub)
		for _, crlf := range []bool{false, true} {
			body := raw
			if crlf {
				body = strings.ReplaceAll(raw, "\n", "\r\n")
			}
			rep, err := ParseMailReport("message/rfc822", []byte(body))
			if err != nil {
				t.Fatalf("%s (crlf %v): %v", tc.name, crlf, err)
			}
			if rep.Kind != tc.want.Kind || rep.Hard != tc.want.Hard || rep.Status != tc.want.Status {
				t.Errorf("%s: %+v, want %+v", tc.name, rep, tc.want)
			}
			if len(rep.MessageIDs) != tc.ids || SendKeyOf(rep.MessageIDs[0]) != sampleKey {
				t.Errorf("%s: message ids %q", tc.name, rep.MessageIDs)
			}
			if want, _ := time.Parse(time.RFC3339, tc.arrive); !rep.At.Equal(want) {
				t.Errorf("%s: at %v, want %v", tc.name, rep.At, want)
			}
			if tc.name != "dsn_delivered.eml" && (len(rep.Unsubscribe) != 1 || rep.Unsubscribe[0] != "AQMtoken") {
				t.Errorf("%s: unsubscribe tokens %q", tc.name, rep.Unsubscribe)
			}
		}
	}

	// the multipart/report body posted by itself, its boundary in the
	// request's Content-Type
	raw := sample(t, "arf_abuse.eml", sampleKey, unsub)
	_, body, _ := strings.Cut(raw, "\n\n")
	rep, err := ParseMailReport(`multipart/report; report-type=feedback-report; boundary="part1_13d.2e68ed54_boundary"`, []byte(body))
	if err != nil || rep.Kind != ReportComplaint || len(rep.MessageIDs) != 1 {
		t.Fatalf("bare multipart/report: %+v, %v", rep, err)
	}

	for name, tc := range map[string]struct {
		ct, body, says string
	}{
		"not spam":      {"message/rfc822", sample(t, "arf_not_spam.eml", sampleKey, unsub), "not a complaint"},
		"plain mail":    {"message/rfc822", "From: a@b.cn\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nhello\r\n", "not a multipart/report"},
		"json":          {"application/json", "{}", "message/rfc822 or multipart/report"},
		"no boundary":   {"multipart/report; report-type=delivery-status", "x", "boundary"},
		"no report":     {"multipart/report; boundary=b", "--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n", "no delivery-status"},
		"bad status":    {"multipart/report; boundary=b", "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\nFinal-Recipient: rfc822; a@b.cn\r\nAction: failed\r\nStatus: bounced\r\n\r\n--b--\r\n", "not a status code"},
		"no recipients": {"multipart/report; boundary=b", "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n--b--\r\n", "no recipient block"},
		"other type":    {"multipart/report; boundary=b; report-type=disposition-notification", "--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n\r\n--b--\r\n", "only delivery-status"},
		"too big":       {"message/rfc822", strings.Repeat("x", maxMailReport+1), "larger than"},
	} {
		_, err := ParseMailReport(tc.ct, []byte(tc.body))
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s: %v, want Invalid saying %q", name, err, tc.says)
		}
	}
}

func TestIsMailReport(t *testing.T) {
	for ct, want := range map[string]bool{
		"message/rfc822": true, "multipart/report; report-type=delivery-status; boundary=x": true,
		"application/json": false, "": false, "text/plain": false, "Message/RFC822": true,
	} {
		if IsMailReport(ct) != want {
			t.Errorf("IsMailReport(%q) = %v", ct, !want)
		}
	}
}
