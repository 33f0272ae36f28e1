package httpapi

import "net/http"

// routes installs every route of the server. The public tracking routes
// take a signed token (internal/tracking/token) and never a customer id,
// address or name: there is no personal data in any URL.
//
// Patterns with GET also answer HEAD (a HEAD of the pixel or a link is a
// machine's and is recorded as one).
func (s *Server) routes(mux *http.ServeMux) {
	// Tracking (issue 14).
	mux.Handle("GET /t/o/{token}", s.handle(s.openPixel))
	mux.Handle("GET /t/c/{token}", s.handle(s.clickRedirect))
	mux.Handle("GET /u/{token}", s.limit(s.unsubscribePage))
	mux.Handle("POST /u/{token}", s.limit(s.unsubscribePost))
	mux.Handle("POST /hooks/{channel}", s.handle(s.receipt))

	// Operations.
	mux.Handle("GET /healthz", s.handle(s.health))
}
