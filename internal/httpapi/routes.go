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

	// Customer service (issue 16): customers' messages (JSON or SSE) and
	// ratings are public and rate-limited; the hand-off queue needs a
	// signed-in principal (reading: read; replying, resolving:
	// support.answer).
	mux.Handle("POST /v1/support/messages", s.chatLimit(s.supportMessage))
	mux.Handle("POST /v1/support/feedback", s.chatLimit(s.supportFeedback))
	mux.Handle("GET /support/widget.js", widgetFiles())
	mux.Handle("GET /support/widget.css", widgetFiles())
	mux.Handle("GET /v1/support/handoffs", s.handle(s.supportHandoffs))
	mux.Handle("GET /v1/support/handoffs/{id}", s.handle(s.supportHandoff))
	mux.Handle("POST /v1/support/handoffs/{id}/reply", s.handle(s.supportReply))
	mux.Handle("POST /v1/support/handoffs/{id}/resolve", s.handle(s.supportResolve))
	mux.Handle("GET /v1/support/conversations/{id}", s.handle(s.supportConversation))

	// Operations.
	mux.Handle("GET /healthz", s.handle(s.health))
}
