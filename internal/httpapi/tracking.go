package httpapi

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// pixel is a transparent 1×1 GIF.
var pixel = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\x00\x00\x00!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")

// noStoreHeaders keep caches and proxies from answering a tracking
// request in our place (which would hide the hit) and the token from
// leaking on. The value slices are shared by every response and never
// written: net/http only reads them, and setting each with Header.Set
// would allocate a slice per header per hit.
var noStoreHeaders = [...]struct {
	name  string
	value []string
}{
	{"Cache-Control", []string{"no-store, no-cache, must-revalidate, private, max-age=0"}},
	{"Pragma", []string{"no-cache"}},
	{"Expires", []string{"0"}},
	{"Referrer-Policy", []string{"no-referrer"}},
	{"X-Content-Type-Options", []string{"nosniff"}},
}

// noStore sets noStoreHeaders on h (names are in canonical form).
func noStore(h http.Header) {
	for _, kv := range noStoreHeaders {
		h[kv.name] = kv.value
	}
}

// gifType and gifLength are the pixel's content headers, shared like
// noStoreHeaders.
var gifType, gifLength = []string{"image/gif"}, []string{strconv.Itoa(len(pixel))}

// openPixel records an open and answers the pixel.
func (s *Server) openPixel(w http.ResponseWriter, r *http.Request) error {
	if err := s.deps.Tracking.Open(r.Context(), r.PathValue("token"), s.client(r)); err != nil {
		return err
	}
	h := w.Header()
	noStore(h)
	h["Content-Type"], h["Content-Length"] = gifType, gifLength
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(pixel)
	return nil
}

// clickRedirect records a click and redirects to the destination signed
// inside the token: a forged or altered token is a 404 without a database
// read, so no one can make us redirect anywhere we did not sign.
func (s *Server) clickRedirect(w http.ResponseWriter, r *http.Request) error {
	dest, err := s.deps.Tracking.Click(r.Context(), r.PathValue("token"), s.client(r))
	if err != nil {
		return err
	}
	h := w.Header()
	noStore(h)
	h["Location"] = []string{dest}
	w.WriteHeader(http.StatusFound)
	return nil
}

// receipt applies a delivery receipt (Standard Webhooks signed): the
// JSON form (at most 64 KiB), or on /hooks/email a raw DSN or ARF mail
// report (Content-Type message/rfc822 or multipart/report, at most 1 MiB).
func (s *Server) receipt(w http.ResponseWriter, r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	report := tracking.IsMailReport(ct)
	limit, what := int64(64<<10), "64 KiB"
	if report {
		limit, what = 1<<20, "1 MiB"
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit+1))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.Invalid, "the receipt is larger than %s", what)
		}
		return apperr.Wrap(err, apperr.Invalid, "reading the receipt")
	}
	if int64(len(body)) > limit {
		return apperr.New(apperr.Invalid, "the receipt is larger than %s", what)
	}
	sig := tracking.Signature{ID: r.Header.Get("webhook-id"), Timestamp: r.Header.Get("webhook-timestamp"),
		Signature: r.Header.Get("webhook-signature")}
	var res tracking.ReceiptResult
	if report {
		res, err = s.deps.Tracking.MailReport(r.Context(), r.PathValue("channel"), ct, sig, body)
	} else {
		res, err = s.deps.Tracking.Receipt(r.Context(), r.PathValue("channel"), sig, body)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) error {
	st := s.deps.Tracking.Recorder().Stats()
	writeJSON(w, http.StatusOK, map[string]any{"status": "ok", "hits_pending": st.Pending})
	return nil
}

// limit applies the per-address rate limit of /u/ before h; a client over
// it gets 429 with Retry-After and a short bilingual page. A POST with a
// token we signed is never refused: mail providers send every one-click
// unsubscribe of their users from a few addresses, and an unsubscribe
// must not be lost. What the limit stops is page scraping and token
// guessing (bad tokens also cost no database read).
func (s *Server) limit(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ok, wait := s.unsub.allow(s.clientAddr(r)); !ok && !(r.Method == http.MethodPost && s.deps.Tracking.Signed(r.PathValue("token"))) {
			secs := int(wait.Seconds()) + 1
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			s.renderPage(w, http.StatusTooManyRequests, pageView{Langs: langsFor("", r), Kind: "limited"})
			return
		}
		if err := h(w, r); err != nil {
			s.pageError(w, r, err)
		}
	})
}

//go:embed templates/*.html
var templateFS embed.FS

var pages = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

// pageView is the unsubscribe page's view model.
type pageView struct {
	// Langs are the page's languages, the reader's first.
	Langs []string
	// Kind is choose, done, already, invalid, limited or error.
	Kind string
	// Channel is the message's channel.
	Channel string
	// Scope is what was unsubscribed from (done): channel or all.
	Scope string
}

// channelNames are the channels as readers call them.
var channelNames = map[string][2]string{
	"email":  {"邮件", "email"},
	"sms":    {"短信", "text messages"},
	"push":   {"推送通知", "push notifications"},
	"wechat": {"微信消息", "WeChat messages"},
	"app":    {"应用内消息", "in-app messages"},
	"phone":  {"电话", "phone calls"},
}

// langsFor orders the page's two languages: the recipient's language,
// else the browser's, first.
func langsFor(lang string, r *http.Request) []string {
	if lang == "" {
		al := strings.ToLower(r.Header.Get("Accept-Language"))
		zh, en := strings.Index(al, "zh"), strings.Index(al, "en")
		switch {
		case zh >= 0 && (en < 0 || zh < en):
			lang = "zh"
		case en >= 0:
			lang = "en"
		}
	}
	if strings.HasPrefix(lang, "en") {
		return []string{"en", "zh"}
	}
	return []string{"zh", "en"}
}

func (s *Server) renderPage(w http.ResponseWriter, status int, v pageView) {
	type block struct {
		Lang    string
		Channel string
		Kind    string
		Scope   string
	}
	data := struct {
		Lang   string
		Blocks []block
		Kind   string
	}{Lang: v.Langs[0], Kind: v.Kind}
	for _, l := range v.Langs {
		name := v.Channel
		if n, ok := channelNames[v.Channel]; ok {
			name = n[1]
			if l == "zh" {
				name = n[0]
			}
		}
		data.Blocks = append(data.Blocks, block{Lang: l, Channel: name, Kind: v.Kind, Scope: v.Scope})
	}
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, "unsubscribe.html", data); err != nil {
		s.log.Error("unsubscribe page", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	noStore(h)
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageError renders an error of an unsubscribe route as a page.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	kind := KindOf(err)
	status := StatusOf(kind)
	v := pageView{Langs: langsFor("", r), Kind: "error"}
	switch kind {
	case apperr.NotFound, apperr.Invalid:
		v.Kind = "invalid"
	}
	if status >= 500 {
		s.log.LogAttrs(r.Context(), slog.LevelError, "unsubscribe failed", slog.String("error", err.Error()))
		w.Header().Set("Retry-After", "5")
	}
	s.renderPage(w, status, v)
}

// unsubscribePage shows the choice: this channel or everything. It
// changes nothing (mail scanners fetch links; only a POST unsubscribes).
func (s *Server) unsubscribePage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.deps.Tracking.Page(r.Context(), r.PathValue("token"), s.deps.Consents)
	if err != nil {
		return err
	}
	v := pageView{Langs: langsFor(p.Language, r), Kind: "choose", Channel: p.Channel}
	for _, ch := range p.Unsubscribed {
		if ch == p.Channel {
			v.Kind = "already"
		}
	}
	s.renderPage(w, http.StatusOK, v)
	return nil
}

// unsubscribePost unsubscribes: RFC 8058 one-click (a mail client's POST
// of List-Unsubscribe=One-Click, answered 200 with a line of text) or the
// page's form (scope=channel or all, answered with the page). There is no
// CSRF token because there is no session: the signed token in the URL is
// the only credential, and it names one send.
func (s *Server) unsubscribePost(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	if ct == "multipart/form-data" {
		err = r.ParseMultipartForm(8 << 10)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return apperr.New(apperr.Invalid, "the unsubscribe request's form could not be read")
	}
	oneClick := r.PostForm.Get("List-Unsubscribe") == "One-Click"
	scope := r.PostForm.Get("scope")
	source := tracking.SourceLink
	if oneClick {
		scope, source = tracking.ScopeChannel, tracking.SourceOneClick
	}
	res, err := s.deps.Tracking.Unsubscribe(r.Context(), r.PathValue("token"), scope, source, s.client(r))
	if err != nil {
		if oneClick {
			WriteError(w, r, s.log, err)
			return nil
		}
		return err
	}
	if oneClick {
		noStore(w.Header())
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, "unsubscribed / 已退订\n")
		return nil
	}
	ch := ""
	if len(res.Channels) > 0 {
		ch = res.Channels[0]
	}
	s.renderPage(w, http.StatusOK, pageView{Langs: langsFor(res.Language, r), Kind: "done", Channel: ch, Scope: res.Scope})
	return nil
}
