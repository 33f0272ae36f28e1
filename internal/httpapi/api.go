package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/idempotency"
)

// Authenticator checks API tokens and keeps the audit log. It is declared
// here, by its consumer, so that httpapi needs only these two methods of
// the auth service (*auth.Service has exactly them).
type Authenticator interface {
	// VerifyToken is the principal of a token's secret; a bad, unknown or
	// revoked secret is apperr.Unauthenticated.
	VerifyToken(ctx context.Context, secret string) (auth.Principal, error)
	// Record appends e to the audit log.
	Record(ctx context.Context, e auth.Entry) error
}

// The API's limits, unless a route sets its own.
const (
	defaultMaxBody = 1 << 20 // 1 MiB
	defaultTimeout = 10 * time.Second
	// ingestMaxBody bounds one batch of upserts or events.
	ingestMaxBody = 32 << 20
)

// apiRoute is one /v1 route: its pattern, the action it needs, its limits
// and the Go types of its request and response, from which the OpenAPI
// document is generated (openapi.go).
type apiRoute struct {
	Method, Path string
	Action       auth.Action
	Tag, Summary string
	// Req is a pointer to the request type (path:"…", query:"…" and json
	// fields), nil for none; Resp a pointer to the success response's.
	Req, Resp any
	Status    int // success status (default 200)
	// Creates makes the route honour an Idempotency-Key header.
	Creates bool
	// Audit is the audit log action of a successful call ("" none).
	Audit   string
	MaxBody int64
	Timeout time.Duration
	// EmptyBody lets a request with a JSON body send none (read as {}).
	EmptyBody bool
	run       func(r *http.Request, body []byte) (any, string, error) // response, audit target
	// stream, set by streamOp, answers a client that accepts
	// text/event-stream.
	stream func(w http.ResponseWriter, r *http.Request, body []byte) (*eventStream, error)
	// perClient, when set, bounds each client's requests (public routes).
	perClient *ipLimiter
}

// op builds the route of a handler that takes a decoded Req and returns
// a Resp; audit, when set, names what the call acted on for the log.
func op[Req, Resp any](method, path string, action auth.Action, tag, summary string,
	fn func(ctx context.Context, req *Req) (Resp, error), audit func(*Req, Resp) string) apiRoute {
	rt := apiRoute{Method: method, Path: path, Action: action, Tag: tag, Summary: summary, Resp: new(Resp)}
	var zero Req
	if reflect.TypeOf(zero).NumField() > 0 {
		rt.Req = new(Req)
	}
	rt.run = func(r *http.Request, body []byte) (any, string, error) {
		req := new(Req)
		if err := bind(r, body, req); err != nil {
			return nil, "", err
		}
		resp, err := fn(r.Context(), req)
		if err != nil {
			return nil, "", err
		}
		target := ""
		if audit != nil {
			target = audit(req, resp)
		}
		return resp, target, nil
	}
	return rt
}

// registrar is what routes register on (the server's mux).
type registrar interface {
	Handle(pattern string, h http.Handler)
}

// v1 registers rt on mux behind the API's middleware: the per-client
// limit, bearer token, the route's action, size limit, timeout and
// idempotency. A public route (Action "") needs no token, checks one when
// sent, and takes only application/json (a cross-site form cannot post
// to it).
func (s *Server) v1(mux registrar, rt apiRoute) {
	if rt.Status == 0 {
		rt.Status = http.StatusOK
	}
	if rt.MaxBody == 0 {
		rt.MaxBody = defaultMaxBody
	}
	if rt.Timeout == 0 {
		rt.Timeout = defaultTimeout
	}
	s.api = append(s.api, rt)
	mux.Handle(rt.Method+" "+rt.Path, s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return s.serveAPI(w, r, rt)
	}))
}

// serveAPI runs one API request through the route's checks in order.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, rt apiRoute) error {
	if rt.perClient != nil {
		if ok, wait := rt.perClient.allow(s.clientAddr(r)); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			return apperr.New(apperr.TooMany, "too many requests; wait a moment and send again")
		}
	}
	ctx := r.Context()
	var p auth.Principal
	if rt.Action != "" || r.Header.Get("Authorization") != "" {
		var err error
		if p, err = s.authenticate(r); err != nil {
			return err
		}
		if rt.Action != "" && !p.Can(rt.Action) {
			if p.Kind == auth.KindUser {
				return apperr.New(apperr.Forbidden, "your role does not allow %s", rt.Action)
			}
			return apperr.New(apperr.Forbidden, "this token's scope does not allow %s", rt.Action)
		}
		ctx = auth.WithSession(ctx, auth.Session{Principal: p})
	}
	ctx, cancel := context.WithTimeout(ctx, rt.Timeout)
	defer cancel()
	r = r.WithContext(ctx)
	body, err := readBody(w, r, rt.MaxBody)
	if err != nil {
		return err
	}
	if rt.Action == "" && len(body) > 0 {
		if ct := r.Header.Get("Content-Type"); ct != "" {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				return apperr.New(apperr.Invalid, "send the body as application/json")
			}
		}
	}
	if rt.EmptyBody && len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	if rt.stream != nil && wantsEventStream(r) {
		return s.serveStream(w, r, rt, p, body)
	}
	key := r.Header.Get("Idempotency-Key")
	if !rt.Creates || key == "" {
		resp, target, err := rt.run(r, body)
		if err != nil {
			return err
		}
		s.audit(ctx, p, rt, target)
		if rt.Status == http.StatusNoContent {
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(rt.Status)
			return nil
		}
		writeJSON(w, rt.Status, resp)
		return nil
	}
	return s.idempotent(w, r, rt, p, key, body)
}

// idempotent runs a creating request once per key: a retry with the same
// body is answered from the store, another body is a conflict.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, rt apiRoute, p auth.Principal, key string, body []byte) error {
	if err := idempotency.CheckKey(key); err != nil {
		return err
	}
	st := s.deps.Idempotency
	if st == nil {
		return apperr.New(apperr.Unavailable, "idempotency keys are not available on this server")
	}
	ctx := r.Context()
	rec := idempotency.Record{Owner: principalKey(p), Key: key, Route: rt.Method + " " + rt.Path,
		BodyHash: idempotency.Hash(rt.Method, rt.Path, body), CreatedAt: time.Now()}
	outcome, stored, err := idempotency.Begin(ctx, st, rec)
	if err != nil {
		return err
	}
	if outcome == idempotency.Replay {
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", stored.ContentType)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(stored.Status)
		_, _ = w.Write(stored.Response)
		return nil
	}
	resp, target, err := rt.run(r, body)
	if err != nil {
		// the request did not happen (or failed): a retry with the key runs it
		if rerr := st.ReleaseIdempotency(context.WithoutCancel(ctx), rec.Owner, key); rerr != nil {
			s.log.Warn("releasing an idempotency key", "route", rt.Path, "error", rerr.Error())
		}
		return err
	}
	s.audit(ctx, p, rt, target)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(resp); err != nil {
		return apperr.Wrap(err, apperr.Internal, "encode the response")
	}
	rec.Status, rec.ContentType, rec.Response = rt.Status, "application/json; charset=utf-8", buf.Bytes()
	if err := st.FinishIdempotency(context.WithoutCancel(ctx), rec); err != nil {
		s.log.Warn("storing an idempotent response", "route", rt.Path, "error", err.Error())
	}
	if n, ran, err := s.idem.Prune(context.WithoutCancel(ctx)); err != nil {
		s.log.Warn("pruning expired idempotency keys", "error", err.Error())
	} else if ran && n > 0 {
		s.log.Info("pruned expired idempotency keys", "count", n)
	}
	w.Header().Set("Content-Type", rec.ContentType)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(rt.Status)
	_, _ = w.Write(rec.Response)
	return nil
}

// principalKey is whose idempotency keys these are.
func principalKey(p auth.Principal) string {
	return string(p.Kind) + ":" + strconv.FormatInt(p.ID, 10)
}

// authenticate reads the bearer token. The token never reaches a log.
func (s *Server) authenticate(r *http.Request) (auth.Principal, error) {
	h := r.Header.Get("Authorization")
	scheme, secret, ok := strings.Cut(h, " ")
	if h == "" {
		return auth.Principal{}, apperr.New(apperr.Unauthenticated, "send an API token: Authorization: Bearer TOKEN (chorus token create)")
	}
	secret = strings.TrimSpace(secret)
	if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
		return auth.Principal{}, apperr.New(apperr.Unauthenticated, "the Authorization header must be: Bearer TOKEN")
	}
	if s.deps.Auth == nil {
		return auth.Principal{}, apperr.New(apperr.Unavailable, "API tokens are not set up on this server")
	}
	p, err := s.deps.Auth.VerifyToken(r.Context(), secret)
	if err != nil {
		if apperr.Has(err) {
			return auth.Principal{}, err
		}
		return auth.Principal{}, apperr.Wrap(err, apperr.Unavailable, "checking the API token")
	}
	return p, nil
}

// audit records a successful call of an audited route. A failed write is
// logged: the call is done and is not undone for its log line.
func (s *Server) audit(ctx context.Context, p auth.Principal, rt apiRoute, target string) {
	if rt.Audit == "" || s.deps.Auth == nil {
		return
	}
	e := auth.Entry{At: time.Now(), Actor: string(p.Kind) + ":" + p.Name, Action: rt.Audit, Target: target,
		Detail: "api " + rt.Method + " " + rt.Path}
	if err := s.deps.Auth.Record(context.WithoutCancel(ctx), e); err != nil {
		s.log.Error("audit log write failed", "action", rt.Audit, "route", rt.Path, "error", err.Error())
	}
}

// readBody reads at most limit bytes of the request body; more is
// apperr.TooLarge (413).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil || r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, apperr.New(apperr.TooLarge, "the request body is larger than %s; send smaller batches", sizeText(limit))
		}
		return nil, apperr.Wrap(err, apperr.Invalid, "reading the request body")
	}
	return b, nil
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
