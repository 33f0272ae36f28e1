// This file is the console's glue to the server: the session and CSRF
// middleware, the page adapter that renders a page's error with the
// status of its kind (error.go's table), sign-in, sign-out, the language
// switcher and the security headers. The pages themselves are in
// internal/web; their routes are a block in routes.go.

package httpapi

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/web"
)

// Sessions is what the console needs of the auth service
// (*auth.Service): sign-in, the session of a cookie, sign-out, the CSRF
// check and the audit log. Login fails with apperr.Unauthenticated for a
// wrong name or password and apperr.TooMany when the client tried too
// often; SessionBySecret fails with apperr.Unauthenticated for an
// unknown or expired session.
type Sessions interface {
	Login(ctx context.Context, name, password string, client netip.Addr) (auth.Session, error)
	SessionBySecret(ctx context.Context, secret string) (auth.Session, error)
	Logout(ctx context.Context, secret string) error
	CheckCSRF(sess auth.Session, token string) bool
	Record(ctx context.Context, e auth.Entry) error
}

// The console's cookies.
const (
	SessionCookie = "chorus_session"
	// loginCookie holds the login form's CSRF token (double submit:
	// there is no session yet to hold it).
	loginCookie = "chorus_login"
	// csrfField is the hidden field of every console form; htmx sends
	// the same token as the csrfHeader header (hx-headers on <body>).
	csrfField  = "csrf"
	csrfHeader = "X-CSRF-Token"
	// maxForm bounds a console form's body.
	maxForm = 1 << 20
)

// consoleCSP allows scripts, styles and frames from our own origin only:
// no inline script (htmx is a file, its eval is off), no plugin, no
// <base>, and the console is never framed (see framePage).
const consoleCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// frameCSP is for a route shown inside the console's own iframe (the
// email preview): framed by us only, sandboxed, no script at all.
const frameCSP = "default-src 'none'; img-src 'self' data: https:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'self'"

func securityHeaders(h http.Header, frameable bool) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	if frameable {
		// No X-Frame-Options here: the CSP sandbox gives the document an
		// opaque origin, which Chromium's SAMEORIGIN check never matches
		// (the preview stayed blank); frame-ancestors 'self' is the rule.
		h.Set("Content-Security-Policy", frameCSP)
		return
	}
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", consoleCSP)
}

// page adapts a console page that needs action a: the request must carry
// a live session (else a redirect to /login), a POST its CSRF token (else
// 403), and the principal must be allowed a (else the 403 page). An error
// h returns is rendered as the error page with its kind's status.
func (s *Server) page(a auth.Action, h web.PageFunc) http.Handler {
	return s.consolePage(a, false, h)
}

// framePage is page for a route the console shows in its own iframe (the
// email preview): it may be framed by our origin and runs no script.
func (s *Server) framePage(a auth.Action, h web.PageFunc) http.Handler {
	return s.consolePage(a, true, h)
}

func (s *Server) consolePage(a auth.Action, frameable bool, h web.PageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header(), frameable)
		sess, ok := s.session(w, r)
		if !ok {
			return
		}
		r = r.WithContext(auth.WithSession(r.Context(), sess))
		if !safeMethod(r.Method) {
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			if !s.deps.Sessions.CheckCSRF(sess, csrfToken(r)) {
				s.consoleError(w, r, apperr.New(apperr.Forbidden, "%s", s.console.T(s.console.Lang(r), "error.csrf")))
				return
			}
		}
		if !sess.Principal.Can(a) {
			lang := s.console.Lang(r)
			role := s.console.T(lang, "role."+string(sess.Principal.Role))
			s.consoleError(w, r, apperr.New(apperr.Forbidden, "%s", s.console.T(lang, "error.forbidden", role)))
			return
		}
		if err := h(w, r); err != nil {
			s.consoleError(w, r, err)
		}
	})
}

// session is the request's live session. Without one it answers: a
// redirect to the login page (for htmx, an HX-Redirect), or the error
// page when the auth store failed; ok is false then.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (auth.Session, bool) {
	ck, err := r.Cookie(SessionCookie)
	if err == nil && ck.Value != "" {
		sess, err := s.deps.Sessions.SessionBySecret(r.Context(), ck.Value)
		if err == nil && sess.Principal.Kind == auth.KindUser {
			return sess, true
		}
		if err != nil && apperr.KindOf(err) != apperr.Unauthenticated {
			s.consoleError(w, r, err)
			return auth.Session{}, false
		}
		s.clearCookie(w, r, SessionCookie, "/")
	}
	to := "/login"
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		to += "?next=" + url.QueryEscape(r.URL.Path)
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusUnauthorized)
		return auth.Session{}, false
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return auth.Session{}, false
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// csrfToken is the request's CSRF token: the htmx header, else the form
// field.
func csrfToken(r *http.Request) string {
	if t := r.Header.Get(csrfHeader); t != "" {
		return t
	}
	return r.PostFormValue(csrfField)
}

// errorView is the error page's view model.
type errorView struct {
	Status  int
	Title   string
	Message string
}

// consoleError renders err as the console's error page with the status of
// its kind. An unauthenticated error sends the user to sign in; an
// internal error's message stays in the log.
func (s *Server) consoleError(w http.ResponseWriter, r *http.Request, err error) {
	k := KindOf(err)
	if k == apperr.Unauthenticated {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	status := StatusOf(k)
	lang := s.console.Lang(r)
	msg := err.Error()
	if k == apperr.Internal {
		msg = s.console.T(lang, "error.internal")
		s.log.LogAttrs(r.Context(), slog.LevelError, "console page failed",
			slog.String("method", r.Method), slog.String("route", r.Pattern),
			slog.Int("status", status), slog.String("error", apperr.Trace(err)))
	}
	if k == apperr.Unavailable {
		w.Header().Set("Retry-After", "5")
	}
	v := errorView{Status: status, Title: "error." + strconv.Itoa(status), Message: msg}
	var rerr error
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Reswap", "innerHTML")
		rerr = s.console.FragmentStatus(w, r, status, "error", "fragment", v)
	} else {
		rerr = s.console.RenderStatus(w, r, status, "error", "nav.error", v)
	}
	if rerr != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "console error page failed", slog.String("error", rerr.Error()))
		http.Error(w, http.StatusText(status), status)
	}
}

// cookie is a console cookie with the flags the issue asks for: HttpOnly,
// SameSite=Lax, Secure over TLS or when server.cookie_secure says a
// proxy terminates TLS.
func (s *Server) cookie(r *http.Request, name, value, path string, expires time.Time) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: path, Expires: expires,
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || s.cfg.CookieSecure,
	}
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name, path string) {
	c := s.cookie(r, name, "", path, time.Unix(0, 0))
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// loginView is the login page's view model.
type loginView struct {
	Token string // the form's CSRF token (its cookie holds the same)
	Next  string
	Name  string
	Error string // a catalogue key
}

// loginPage shows the sign-in form, with a fresh CSRF token in a cookie
// and the form. A signed-in user goes to the dashboard.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header(), false)
	if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" {
		if _, err := s.deps.Sessions.SessionBySecret(r.Context(), ck.Value); err == nil {
			http.Redirect(w, r, "/", http.StatusSeeOther)
			return
		}
	}
	s.renderLogin(w, r, http.StatusOK, loginView{Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.Token = newToken()
	http.SetCookie(w, s.cookie(r, loginCookie, v.Token, "/", time.Now().Add(2*time.Hour)))
	r = r.WithContext(web.WithFormToken(r.Context(), v.Token))
	if err := s.console.RenderStatus(w, r, status, "login", "nav.login", v); err != nil {
		s.consoleError(w, r, err)
	}
}

// loginPost signs in: the form's token must match its cookie, then the
// auth service checks the password (and limits attempts per client).
func (s *Server) loginPost(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header(), false)
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	v := loginView{Next: localPath(r.PostFormValue("next")), Name: strings.TrimSpace(r.PostFormValue("name"))}
	if !s.loginTokenOK(r, r.PostFormValue(csrfField)) {
		v.Error = "auth.expired"
		s.renderLogin(w, r, http.StatusForbidden, v)
		return
	}
	sess, err := s.deps.Sessions.Login(r.Context(), v.Name, r.PostFormValue("password"), s.clientAddr(r))
	switch {
	case err == nil:
	case apperr.KindOf(err) == apperr.Unauthenticated:
		v.Error = "auth.failed"
		s.renderLogin(w, r, http.StatusUnauthorized, v)
		return
	case apperr.KindOf(err) == apperr.TooMany:
		v.Error = "auth.too_many"
		w.Header().Set("Retry-After", "60")
		s.renderLogin(w, r, http.StatusTooManyRequests, v)
		return
	default:
		s.consoleError(w, r, err)
		return
	}
	http.SetCookie(w, s.cookie(r, SessionCookie, sess.Secret, "/", sess.Expires))
	s.clearCookie(w, r, loginCookie, "/")
	to := v.Next
	if to == "" {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// loginTokenOK reports whether token is the login form's, by its cookie.
func (s *Server) loginTokenOK(r *http.Request, token string) bool {
	ck, err := r.Cookie(loginCookie)
	if err != nil || ck.Value == "" || token == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(ck.Value), []byte(token)) == 1
}

// logout ends the session (a POST with the session's CSRF token).
func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	sess, _ := auth.SessionFrom(r.Context())
	if err := s.deps.Sessions.Logout(r.Context(), sess.Secret); err != nil {
		return err
	}
	s.clearCookie(w, r, SessionCookie, "/")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLang is the language switcher: it keeps the choice in a cookie and
// returns to the page. Signed in, the form carries the session's CSRF
// token; on the login page, the login form's.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header(), false)
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	tok := csrfToken(r)
	ok := s.loginTokenOK(r, tok)
	if ck, err := r.Cookie(SessionCookie); !ok && err == nil && ck.Value != "" {
		if sess, err := s.deps.Sessions.SessionBySecret(r.Context(), ck.Value); err == nil {
			ok = s.deps.Sessions.CheckCSRF(sess, tok)
			r = r.WithContext(auth.WithSession(r.Context(), sess))
		}
	}
	if !ok {
		s.consoleError(w, r, apperr.New(apperr.Forbidden, "%s", s.console.T(s.console.Lang(r), "error.csrf")))
		return
	}
	lang := r.PostFormValue("lang")
	if !slices.Contains(web.Langs, lang) {
		s.consoleError(w, r, apperr.New(apperr.Invalid, "language %q is not one of %s", lang, strings.Join(web.Langs, ", ")))
		return
	}
	http.SetCookie(w, s.cookie(r, web.LangCookie, lang, "/", time.Now().AddDate(1, 0, 0)))
	to := localPath(r.PostFormValue("next"))
	if to == "" {
		to = "/"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// localPath is p when it is a path on this server ("/customers"), else
// "": a next= parameter must never send the user elsewhere.
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") || strings.ContainsAny(p, "\r\n") {
		return ""
	}
	return p
}

// newToken is 32 random bytes, URL-safe.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}
