package httpapi

import (
	"net/http"

	"github.com/chorusmkt/chorus/internal/auth"
)

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

	// Console (issue 15 item 4): pages in internal/web, each behind the
	// session, CSRF and the one action it needs (console.go).
	if s.console != nil {
		s.consoleRoutes(mux)
	}
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

// consoleRoutes are the console's pages. page(action, h) signs the user
// in, checks a POST's CSRF token and the role's right to action; the
// page handlers live in internal/web (see its doc.go to add one).
func (s *Server) consoleRoutes(mux *http.ServeMux) {
	c := s.console
	mux.Handle("GET /static/", c.Static())
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginPost)
	mux.Handle("POST /logout", s.page(auth.Read, s.logout))
	mux.HandleFunc("POST /lang", s.setLang)
	mux.Handle("GET /{$}", s.page(auth.Read, c.Dashboard))
	mux.Handle("GET /customers", s.page(auth.Read, c.Customers))
	mux.Handle("GET /customers/{id}", s.page(auth.Read, c.CustomerProfile))
	mux.Handle("GET /segments", s.page(auth.Read, c.Segments))
	mux.Handle("POST /segments/preview", s.page(auth.Read, c.SegmentPreview))
	mux.Handle("POST /segments", s.page(auth.WriteSegment, c.SegmentSave))
	mux.Handle("GET /segments/{name}", s.page(auth.Read, c.Segment))
	mux.Handle("POST /segments/{name}", s.page(auth.WriteSegment, c.SegmentSave))
	mux.Handle("GET /compliance", s.page(auth.Read, c.Compliance))
	mux.Handle("POST /compliance/check", s.page(auth.Read, c.ComplianceCheck))
	mux.Handle("POST /compliance/suppressions", s.page(auth.Compliance, c.SuppressAdd))
	mux.Handle("GET /settings", s.page(auth.Read, c.Settings))
	mux.Handle("POST /settings/llm/ping", s.page(auth.Generate, c.SettingsPing))
	mux.Handle("POST /settings/shop", s.page(auth.ChangeSettings, c.SettingsShop))
	// Support inbox (issue 15 item 4, issue 16): everyone signed in
	// reads; taking, replying and resolving need support.answer
	// (marketer, admin).
	mux.Handle("GET /support", s.page(auth.Read, c.Support))
	mux.Handle("GET /support/handoffs/{id}", s.page(auth.Read, c.SupportHandoff))
	mux.Handle("POST /support/handoffs/{id}/take", s.page(auth.AnswerSupport, c.SupportTake))
	mux.Handle("POST /support/handoffs/{id}/reply", s.page(auth.AnswerSupport, c.SupportReply))
	mux.Handle("POST /support/handoffs/{id}/resolve", s.page(auth.AnswerSupport, c.SupportResolve))
	if s.studio != nil {
		s.studioRoutes(mux)
	}
}

// studioRoutes are the content studio's, the campaigns' and the reports'
// pages (internal/web/studio_pages.go). Writing copy needs Generate,
// approving, rejecting and editing it Review, and creating, launching,
// pausing and resuming a campaign Launch; everything else is Read.
func (s *Server) studioRoutes(mux *http.ServeMux) {
	p := s.studio
	mux.Handle("GET /studio", s.page(auth.Read, p.StudioIndex))
	mux.Handle("GET /studio/campaigns/{name}/plan", s.page(auth.Read, p.StudioPlan))
	mux.Handle("POST /studio/campaigns/{name}/generate", s.page(auth.Generate, p.StudioGenerate))
	mux.Handle("GET /studio/review", s.page(auth.Read, p.Review))
	mux.Handle("POST /studio/items/{id}/review", s.page(auth.Review, p.ReviewItem))
	mux.Handle("POST /studio/items/{id}/edit", s.page(auth.Review, p.EditItem))
	mux.Handle("GET /studio/items/{id}/email", s.framePage(auth.Read, p.EmailPreview))
	mux.Handle("GET /campaigns", s.page(auth.Read, p.CampaignList))
	mux.Handle("GET /campaigns/new", s.page(auth.Launch, p.CampaignWizard))
	mux.Handle("POST /campaigns/new", s.page(auth.Launch, p.CampaignWizardStep))
	mux.Handle("GET /campaigns/{name}", s.page(auth.Read, p.CampaignShow))
	mux.Handle("GET /campaigns/{name}/progress", s.page(auth.Read, p.CampaignProgress))
	mux.Handle("POST /campaigns/{name}/launch", s.page(auth.Launch, p.CampaignLaunch))
	mux.Handle("POST /campaigns/{name}/{action}", s.page(auth.Launch, p.CampaignMove))
	mux.Handle("GET /reports", s.page(auth.Read, p.ReportList))
	mux.Handle("GET /reports/{name}", s.page(auth.Read, p.ReportShow))
}
