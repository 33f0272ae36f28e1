package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// supportServer is the server with the assistant over a store holding
// the demo shop's knowledge base. A request with X-Test-Role acts for a
// user of that role (roleTokens).
func supportServer(t *testing.T) *httptest.Server {
	t.Helper()
	st := storetest.OpenSQLite(t)
	ctx := t.Context()
	if _, err := support.ImportFS(ctx, st, demo.KnowledgeBase()); err != nil {
		t.Fatal(err)
	}
	ix, err := support.NewIndex()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, Consents: st, Auth: roleTokens{},
		Support: support.New(st, ix, support.Options{}), Inbox: support.NewInbox(st, support.InboxOptions{})})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if role := r.Header.Get("X-Test-Role"); role != "" {
			r.Header.Set("Authorization", "Bearer role:"+role)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts
}

// roleTokens stands in for the auth service: the secret "role:R" is the
// user lin of role R, any other is refused as a bad token would be.
type roleTokens struct{}

func (roleTokens) VerifyToken(_ context.Context, secret string) (auth.Principal, error) {
	role, ok := strings.CutPrefix(secret, "role:")
	if !ok {
		return auth.Principal{}, apperr.New(apperr.Unauthenticated, "unknown token")
	}
	return auth.Principal{Kind: auth.KindUser, ID: 1, Name: "lin", Role: auth.Role(role)}, nil
}

func (roleTokens) Record(context.Context, auth.Entry) error { return nil }

func call(t *testing.T, ts *httptest.Server, method, path, body string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

type sseEvent struct {
	name string
	data map[string]any
}

func readEvents(t *testing.T, r io.Reader) []sseEvent {
	t.Helper()
	var out []sseEvent
	sc := bufio.NewScanner(r)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &cur.data); err != nil {
				t.Fatalf("event data %q: %v", line, err)
			}
		case line == "":
			out = append(out, cur)
			cur = sseEvent{}
		}
	}
	return out
}

func TestSupportMessagesJSONAndSSE(t *testing.T) {
	ts := supportServer(t)
	res, b := call(t, ts, "POST", "/v1/support/messages", `{"text":"七天无理由退货怎么申请？"}`)
	var rep support.Reply
	if res.StatusCode != 200 || json.Unmarshal(b, &rep) != nil || rep.MessageID == 0 || rep.Handoff ||
		len(rep.Citations) == 0 || rep.Citations[0].String() != "[policy:returns-7day]" || !strings.Contains(rep.Answer, "7天") {
		t.Fatalf("JSON answer %d %s", res.StatusCode, b)
	}

	res, b = call(t, ts, "POST", "/v1/support/messages", `{"text":"帮我转人工"}`, "Accept", "text/event-stream")
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		t.Fatalf("SSE %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), b)
	}
	evs := readEvents(t, strings.NewReader(string(b)))
	var text strings.Builder
	names := map[string]int{}
	for _, e := range evs {
		names[e.name]++
		if e.name == "token" {
			text.WriteString(e.data["text"].(string))
		}
	}
	last := evs[len(evs)-1]
	if names["token"] < 2 || names["handoff"] != 1 || last.name != "done" {
		t.Fatalf("events %v", names)
	}
	reply := last.data["reply"].(map[string]any)
	if reply["answer"] != text.String() || reply["handoff"] != true || reply["handoff_id"].(float64) == 0 {
		t.Fatalf("done %v, streamed %q", reply, text.String())
	}
	conv := reply["conversation_id"].(string)

	// with a person: the assistant holds back
	res, b = call(t, ts, "POST", "/v1/support/messages", fmt.Sprintf(`{"conversation_id":%q,"text":"七天无理由退货怎么申请？"}`, conv))
	if res.StatusCode != 200 || json.Unmarshal(b, &rep) != nil || rep.HandoffReason != support.ReasonWithPerson || strings.Contains(rep.Answer, "7天") {
		t.Fatalf("with a person: %d %s", res.StatusCode, b)
	}
}

func TestSupportMessageErrors(t *testing.T) {
	ts := supportServer(t)
	for _, c := range []struct {
		body   string
		hdr    []string
		status int
		kind   string
	}{
		{`{"text":""}`, nil, 400, "invalid"},
		{`{"text":`, nil, 400, "invalid"},
		{`{"txt":"hi"}`, nil, 400, "invalid"},
		{`{"text":5}`, nil, 400, "invalid"},
		{`{"text":"hi","language":"fr"}`, nil, 400, "invalid"},
		{`{"text":"hi","conversation_id":"conv-nope"}`, nil, 404, "not_found"},
		// an anonymous caller cannot claim to be a customer
		{`{"text":"我的订单到哪了","customer_id":"C000001"}`, nil, 401, "unauthenticated"},
		{`{"text":"hi"}`, []string{"Content-Type", "text/plain"}, 400, "invalid"},
		// a token is optional on the public routes, but one sent is checked
		{`{"text":"hi"}`, []string{"Authorization", "Bearer nope"}, 401, "unauthenticated"},
		// an error before the first event is an ordinary error response
		{`{"text":""}`, []string{"Accept", "text/event-stream"}, 400, "invalid"},
		{`{"text":"` + strings.Repeat("很", 30000) + `"}`, nil, 413, "too_large"},
	} {
		res, b := call(t, ts, "POST", "/v1/support/messages", c.body, c.hdr...)
		var eb httpapi.ErrorBody
		if res.StatusCode != c.status || json.Unmarshal(b, &eb) != nil || string(eb.Error.Kind) != c.kind {
			t.Errorf("%.40s: %d %s, want %d %s", c.body, res.StatusCode, b, c.status, c.kind)
		}
		for _, goName := range []string{"support.", "json:", "*http", "struct", "int64"} {
			if strings.Contains(eb.Error.Message, goName) {
				t.Errorf("%s: message %q shows %q", c.body, eb.Error.Message, goName)
			}
		}
	}
}

func TestSupportQueueAndFeedback(t *testing.T) {
	ts := supportServer(t)
	_, b := call(t, ts, "POST", "/v1/support/messages", `{"text":"I'd like to talk to a real person"}`)
	var rep support.Reply
	if json.Unmarshal(b, &rep) != nil || !rep.Handoff || rep.HandoffID == 0 {
		t.Fatalf("hand-off %s", b)
	}
	hid := fmt.Sprint(rep.HandoffID)

	// the queue is for signed-in staff only, least privilege by role
	if res, _ := call(t, ts, "GET", "/v1/support/handoffs", ""); res.StatusCode != 401 {
		t.Fatalf("anonymous list: %d", res.StatusCode)
	}
	res, b := call(t, ts, "GET", "/v1/support/handoffs?status=queued", "", "X-Test-Role", "analyst")
	var list struct {
		Handoffs []support.InboxItem `json:"handoffs"`
	}
	if res.StatusCode != 200 || json.Unmarshal(b, &list) != nil || len(list.Handoffs) != 1 || list.Handoffs[0].ConversationStatus != support.ConvHandoff {
		t.Fatalf("list %d %s", res.StatusCode, b)
	}
	if res, _ := call(t, ts, "GET", "/v1/support/handoffs?status=nope", "", "X-Test-Role", "analyst"); res.StatusCode != 400 {
		t.Fatalf("bad status filter: %d", res.StatusCode)
	}
	res, b = call(t, ts, "GET", "/v1/support/handoffs/"+hid, "", "X-Test-Role", "analyst")
	var got struct {
		Handoff support.Handoff `json:"handoff"`
		Thread  support.Thread  `json:"thread"`
	}
	if res.StatusCode != 200 || json.Unmarshal(b, &got) != nil || len(got.Thread.Messages) != 2 || got.Handoff.Reason != support.ReasonAsked {
		t.Fatalf("get %d %s", res.StatusCode, b)
	}
	if res, _ := call(t, ts, "POST", "/v1/support/handoffs/"+hid+"/reply", `{"text":"hi"}`, "X-Test-Role", "analyst"); res.StatusCode != 403 {
		t.Fatalf("an analyst replies: %d", res.StatusCode)
	}
	if res, _ := call(t, ts, "POST", "/v1/support/handoffs/x/reply", `{"text":"hi"}`, "X-Test-Role", "marketer"); res.StatusCode != 400 {
		t.Fatalf("bad id: %d", res.StatusCode)
	}
	res, b = call(t, ts, "POST", "/v1/support/handoffs/"+hid+"/reply", `{"text":"Hello, I'm Lin. How can I help? Write to lin.agent@example.com"}`, "X-Test-Role", "marketer")
	var m support.Message
	if res.StatusCode != 201 || json.Unmarshal(b, &m) != nil || m.Role != support.RoleAgent || m.Author != "lin" || strings.Contains(m.Text, "@example.com") {
		t.Fatalf("reply %d %s", res.StatusCode, b)
	}
	res, b = call(t, ts, "POST", "/v1/support/handoffs/"+hid+"/resolve", `{"resolution":"answered"}`, "X-Test-Role", "marketer")
	if res.StatusCode != 200 || !strings.Contains(string(b), `"closed"`) {
		t.Fatalf("resolve %d %s", res.StatusCode, b)
	}
	if res, _ := call(t, ts, "POST", "/v1/support/handoffs/"+hid+"/resolve", ``, "X-Test-Role", "marketer"); res.StatusCode != 409 {
		t.Fatalf("second resolve: %d", res.StatusCode)
	}
	// resolved: the assistant answers again
	_, b = call(t, ts, "POST", "/v1/support/messages", fmt.Sprintf(`{"conversation_id":%q,"text":"How long do refunds take?"}`, rep.ConversationID))
	var again support.Reply
	if json.Unmarshal(b, &again) != nil || again.Handoff || len(again.Citations) == 0 {
		t.Fatalf("after resolve %s", b)
	}
	res, b = call(t, ts, "GET", "/v1/support/conversations/"+rep.ConversationID, "", "X-Test-Role", "analyst")
	var th support.Thread
	if res.StatusCode != 200 || json.Unmarshal(b, &th) != nil || len(th.Messages) != 5 || th.Messages[4].Citations == nil {
		t.Fatalf("thread %d %s", res.StatusCode, b)
	}

	// ratings: only an answer of the caller's own conversation
	fb := fmt.Sprintf(`{"conversation_id":%q,"message_id":%d,"thumb":1,"csat":5}`, rep.ConversationID, again.MessageID)
	if res, b := call(t, ts, "POST", "/v1/support/feedback", fb); res.StatusCode != 204 {
		t.Fatalf("feedback %d %s", res.StatusCode, b)
	}
	_, b = call(t, ts, "POST", "/v1/support/messages", `{"text":"hello"}`)
	var other support.Reply
	_ = json.Unmarshal(b, &other)
	fb = fmt.Sprintf(`{"conversation_id":%q,"message_id":%d,"thumb":-1}`, other.ConversationID, again.MessageID)
	if res, _ := call(t, ts, "POST", "/v1/support/feedback", fb); res.StatusCode != 400 {
		t.Fatalf("rating another conversation's answer: %d", res.StatusCode)
	}
	fb = fmt.Sprintf(`{"conversation_id":%q,"message_id":%d,"thumb":7}`, rep.ConversationID, again.MessageID)
	if res, _ := call(t, ts, "POST", "/v1/support/feedback", fb); res.StatusCode != 400 {
		t.Fatalf("a thumb of 7: %d", res.StatusCode)
	}
}

func TestWidgetServed(t *testing.T) {
	ts := supportServer(t)
	for path, ct := range map[string]string{"/support/widget.js": "javascript", "/support/widget.css": "text/css"} {
		res, b := call(t, ts, "GET", path, "")
		if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Content-Type"), ct) || len(b) < 100 {
			t.Errorf("%s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if res, _ := call(t, ts, "GET", "/support/widget_test.go", ""); res.StatusCode != 404 {
		t.Errorf("only the widget's files are served: %d", res.StatusCode)
	}
}
