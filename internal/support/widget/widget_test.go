package widget_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/store/storetest"
	"github.com/chorusmkt/chorus/internal/support"
	"github.com/chorusmkt/chorus/internal/support/widget"
)

// sse streams an answer the way POST /v1/support/messages will: one
// server-sent event per support.Event. It is the reference for that
// handler.
func sse(a *support.Assistant) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req support.Request
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 16<<10)).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		req.Channel = "web"
		fl, _ := w.(http.Flusher)
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Cache-Control", "no-cache")
		send := func(name string, v any) error {
			b, _ := json.Marshal(v)
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", name, b); err != nil {
				return err
			}
			if fl != nil {
				fl.Flush()
			}
			return nil
		}
		_, err := a.Answer(r.Context(), req, func(e support.Event) error {
			switch e.Type {
			case support.EventToken:
				return send(e.Type, map[string]string{"text": e.Text})
			case support.EventCitation:
				return send(e.Type, e.Citation)
			case support.EventHandoff:
				return send(e.Type, map[string]int64{"handoff_id": e.Reply.HandoffID})
			}
			return send(e.Type, map[string]any{"reply": e.Reply})
		})
		if err != nil {
			_ = send("error", map[string]string{"message": "sorry"})
		}
	}
}

func TestWidgetInChromium(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := exec.LookPath(chromium); err != nil {
		t.Skip("Chromium is not installed at /usr/bin/chromium; the widget's browser test is skipped")
	}
	ctx := context.Background()
	st := storetest.OpenSQLite(t)
	if _, _, _, err := st.UpsertProducts(ctx, []catalog.Product{{SKU: "CN-BAG", Title: "时尚相机包", Description: "防水防震的相机包", Price: 399, Currency: "CNY",
		SellingPoints: []string{"防水"}, Stock: 20, Active: true, Language: "zh"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.UpsertKBDocs(ctx, []support.Doc{{ID: "returns-7day", Language: "zh", Kind: support.KindPolicy, Title: "七天无理由退货",
		Body: "自签收之日起7天内可申请七天无理由退货。<img src=x onerror=alert(1)>"}}); err != nil {
		t.Fatal(err)
	}
	ix, _ := support.NewIndex()
	defer ix.Close()
	a := support.New(st, ix, support.Options{})
	mux := http.NewServeMux()
	mux.Handle("GET /support/", http.StripPrefix("/support/", http.FileServerFS(widget.FS())))
	mux.HandleFunc("POST /v1/support/messages", sse(a))
	mux.HandleFunc("GET /", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<!doctype html><html lang="zh"><head><meta charset="utf-8"><link rel="stylesheet" href="/support/widget.css"></head>
<body><h1>shop</h1><script src="/support/widget.js" data-endpoint="/v1/support/messages" data-lang="zh"></script></body></html>`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	actx, cancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true))
	defer cancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	bctx, cancel = context.WithTimeout(bctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(bctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.Click(".chorus-chat__open"),
		chromedp.WaitVisible(".chorus-chat__input"),
		chromedp.SendKeys(".chorus-chat__input", "七天无理由退货怎么申请？"),
		chromedp.Click(".chorus-chat__send"),
	); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector(".chorus-chat__cites") !== null`)); err != nil {
		t.Fatal(err)
	}
	answer, err := chromedp.Run(bctx, chromedp.Text(".chorus-chat__msg--assistant .chorus-chat__text"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer, "7天") || !strings.Contains(answer, "[policy:returns-7day]") {
		t.Fatalf("answer shown: %q", answer)
	}
	// the policy text's markup is text, not HTML
	imgs, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".chorus-chat img").length`))
	if err != nil || imgs != 0 {
		t.Fatalf("markup from the answer became HTML: %d images, %v", imgs, err)
	}
	cites, _ := chromedp.Run(bctx, chromedp.Text(".chorus-chat__cites"))
	if !strings.Contains(cites, "policy:returns-7day") {
		t.Fatalf("citations shown: %q", cites)
	}
	// a second message continues the conversation and hands off
	if err := chromedp.Do(bctx, chromedp.SendKeys(".chorus-chat__input", "转人工"), chromedp.Click(".chorus-chat__send")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector(".chorus-chat__msg--notice") !== null`)); err != nil {
		t.Fatal(err)
	}
	hs, err := st.ListHandoffs(ctx, support.HandoffFilter{})
	if err != nil || len(hs) != 1 {
		t.Fatalf("hand-offs %d, %v", len(hs), err)
	}
	ms, err := st.ConversationMessages(ctx, hs[0].ConversationID)
	if err != nil || len(ms) != 4 {
		t.Fatalf("the second message did not continue the conversation: %d messages, %v", len(ms), err)
	}
}

func TestWidgetFiles(t *testing.T) {
	for _, name := range []string{"widget.js", "widget.css"} {
		b, err := fs.ReadFile(widget.FS(), name)
		if err != nil || len(b) < 500 {
			t.Fatalf("%s: %d bytes, %v", name, len(b), err)
		}
		if name == "widget.js" && strings.Contains(string(b), "innerHTML") {
			t.Fatal("widget.js sets innerHTML: every text must go through textContent")
		}
	}
	_ = os.Getenv
}
