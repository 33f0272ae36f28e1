package httpapi

import (
	"net/http"
	"time"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
)

// routes installs every route of the server. The public tracking routes
// take a signed token (internal/tracking/token) and never a customer id,
// address or name: there is no personal data in any URL.
//
// Patterns with GET also answer HEAD (a HEAD of the pixel or a link is a
// machine's and is recorded as one).
func (s *Server) routes(mux registrar) {
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
	// Customer service (issue 16): the widget's files; the /v1 routes
	// below.
	mux.Handle("GET /support/widget.js", widgetFiles())
	mux.Handle("GET /support/widget.css", widgetFiles())
	s.supportRoutes(mux)

	// Operations.
	mux.Handle("GET /healthz", s.handle(s.health))
	mux.Handle("GET /readyz", s.handle(s.ready))
	mux.Handle("GET /metrics", s.metrics.handler())

	// REST API /v1 (issue 15): Bearer token, one auth.Action per route.
	if s.deps.App != nil {
		s.v1Routes(mux)
	}
	mux.Handle("GET /v1/openapi.json", s.handle(s.openAPI))
}

// supportRoutes are the customer-service routes, through the same /v1
// machinery as the rest of the API (api.go): the customers' message and
// rating routes are public and limited per client, the queue's need a
// token that may read it or, to reply and resolve, answer it.
func (s *Server) supportRoutes(mux registrar) {
	const get, post = http.MethodGet, http.MethodPost
	s.v1(mux, s.chatRoute(slow(streamOp(post, "/v1/support/messages", "", "support",
		"A customer's message: the assistant's reply as JSON, or as server-sent events with Accept: text/event-stream (public, rate-limited)",
		s.supportMessage))))
	s.v1(mux, s.chatRoute(noContentRoute(op(post, "/v1/support/feedback", "", "support",
		"Rate an answer of the caller's conversation (public, rate-limited)", s.supportFeedback, nil))))
	s.v1(mux, op(get, "/v1/support/handoffs", auth.Read, "support", "The hand-off queue", s.supportHandoffs, nil))
	s.v1(mux, op(get, "/v1/support/handoffs/{id}", auth.Read, "support", "A hand-off and its conversation", s.supportHandoff, nil))
	s.v1(mux, withStatus(http.StatusCreated, op(post, "/v1/support/handoffs/{id}/reply", auth.AnswerSupport, "support",
		"Answer the customer as the signed-in person", s.supportReply, nil)))
	s.v1(mux, emptyBody(op(post, "/v1/support/handoffs/{id}/resolve", auth.AnswerSupport, "support",
		"Close a hand-off (the body is optional)", s.supportResolve, nil)))
	s.v1(mux, op(get, "/v1/support/conversations/{id}", auth.Read, "support", "A conversation's thread", s.supportConversation, nil))
}

// chatRoute bounds each client's requests to a public support route
// (each answer costs retrieval, perhaps a model call) and its body.
func (s *Server) chatRoute(rt apiRoute) apiRoute {
	rt.perClient, rt.MaxBody = s.chat, maxSupportBody
	return rt
}

// v1Routes are the API's routes; each names the action it needs, and
// its Go request and response types make the OpenAPI document.
func (s *Server) v1Routes(mux registrar) {
	const get, post, put, del = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete
	// Customers, products, events.
	s.v1(mux, ingestRoute(s.batchRoute("/v1/customers/batch", "customers", "Upsert customers in a batch", new(customersBatch))))
	s.v1(mux, op(get, "/v1/customers", auth.Read, "data", "List customers (keyset pages in id order)", s.listCustomers, nil))
	s.v1(mux, op(post, "/v1/customers/search", auth.Read, "data", "Search customers by id prefix, name, email or phone (keyset pages)", s.searchCustomers, nil))
	s.v1(mux, op(get, "/v1/customers/{id}", auth.Read, "data", "Get a customer", s.getCustomer, nil))
	s.v1(mux, ingestRoute(s.batchRoute("/v1/products/batch", "products", "Upsert products in a batch", new(productsBatch))))
	s.v1(mux, op(get, "/v1/products", auth.Read, "data", "List products (keyset pages in SKU order)", s.listProducts, nil))
	s.v1(mux, op(get, "/v1/products/{sku}", auth.Read, "data", "Get a product", s.getProduct, nil))
	s.v1(mux, ingestRoute(s.batchRoute("/v1/events/batch", "events", "Ingest behaviour events in a batch (duplicates are skipped)", new(eventsBatch))))

	// Segments.
	s.v1(mux, op(get, "/v1/segments", auth.Read, "segments", "List saved segments", s.listSegments, nil))
	s.v1(mux, op(get, "/v1/segments/fields", auth.Read, "segments", "The fields an expression can use", s.segmentFields, nil))
	s.v1(mux, op(post, "/v1/segments/preview", auth.Read, "segments", "Count and sample the customers an expression matches (saves nothing)", s.previewSegment, nil))
	s.v1(mux, creates(op(post, "/v1/segments", auth.WriteSegment, "segments", "Create a segment", s.createSegment, nil)))
	s.v1(mux, op(get, "/v1/segments/{name}", auth.Read, "segments", "Get a segment and its first members", s.getSegment, nil))
	s.v1(mux, op(put, "/v1/segments/{name}", auth.WriteSegment, "segments", "Replace a segment's expression (a new version)", s.replaceSegment, nil))
	s.v1(mux, op(del, "/v1/segments/{name}", auth.WriteSegment, "segments", "Delete a segment and its membership", s.deleteSegment, nil))
	s.v1(mux, op(get, "/v1/segments/{name}/count", auth.Read, "segments", "A segment's stored and current member counts", s.countSegment, nil))
	s.v1(mux, audited("segment.export", op(post, "/v1/segments/{name}/export", auth.Export, "segments", "Export a segment's members with columns (contact fields are consent-checked and logged)", s.exportSegment,
		func(req *exportSegment, _ SegmentExport) string { return "segment " + req.Name })))
	s.v1(mux, op(get, "/v1/segments/{name}/members", auth.Read, "segments", "A segment's first members by customer id", s.segmentMembers, nil))

	// Profiles and recommendations.
	s.v1(mux, slow(op(get, "/v1/customers/{id}/profile", auth.Read, "insight", "A customer's PII-free profile (画像)", s.profile, nil)))
	s.v1(mux, slow(op(get, "/v1/customers/{id}/recommendations", auth.Read, "insight", "Recommended products with reasons", s.recommendations, nil)))

	// Campaigns (launch, pause and resume need the send scope).
	s.v1(mux, op(get, "/v1/campaigns", auth.Read, "campaigns", "List campaigns", s.listCampaigns, nil))
	s.v1(mux, creates(audited("campaign.create", op(post, "/v1/campaigns", auth.Launch, "campaigns", "Create a draft campaign", s.createCampaign,
		func(_ *createCampaign, c campaign.Campaign) string { return "campaign " + c.Name }))))
	s.v1(mux, op(get, "/v1/campaigns/{name}", auth.Read, "campaigns", "Get a campaign", s.getCampaign, nil))
	s.v1(mux, slow(op(post, "/v1/campaigns/{name}/plan", auth.Launch, "campaigns", "Plan a campaign: audience, split, skips, model calls (sends nothing)", s.planCampaign, nil)))
	s.v1(mux, slow(audited("campaign.launch", op(post, "/v1/campaigns/{name}/launch", auth.Launch, "campaigns", "Write the content, freeze the audience and enqueue every send", s.launchCampaign, campaignTarget))))
	s.v1(mux, audited("campaign.pause", op(post, "/v1/campaigns/{name}/pause", auth.Launch, "campaigns", "Pause a running campaign", s.pauseCampaign, campaignTarget)))
	s.v1(mux, audited("campaign.resume", op(post, "/v1/campaigns/{name}/resume", auth.Launch, "campaigns", "Resume a paused campaign", s.resumeCampaign, campaignTarget)))
	s.v1(mux, op(get, "/v1/campaigns/{name}/status", auth.Read, "campaigns", "A campaign's recipients by state, channel and reason", s.campaignStatus, nil))
	s.v1(mux, slow(op(get, "/v1/campaigns/{name}/report", auth.Read, "campaigns", "A campaign's funnel, variants, holdout lift and attribution", s.campaignReport, nil)))
	s.v1(mux, op(post, "/v1/experiments/analyze", auth.Read, "campaigns", "Analyze an experiment's arms (counts)", s.analyzeExperiment, nil))

	// The content studio: the plan first (calls and cost), then the run.
	s.v1(mux, keyed(slow(op(post, "/v1/content/generate", auth.Generate, "content", "Plan a segment's copy (model calls and cost per depth) and, with run, write it", s.generate, nil))))
	// The content review queue.
	s.v1(mux, op(get, "/v1/content/items", auth.Read, "content", "List generated items", s.listItems, nil))
	s.v1(mux, op(get, "/v1/content/items/{id}", auth.Read, "content", "An item with its checks and audit trail", s.getItem, nil))
	s.v1(mux, audited("content.approve", op(post, "/v1/content/items/{id}/approve", auth.Review, "content", "Approve an item (a flagged one needs a note)", s.approveItem, itemTarget[*decideItem, content.Item])))
	s.v1(mux, audited("content.reject", op(post, "/v1/content/items/{id}/reject", auth.Review, "content", "Reject an item", s.rejectItem, itemTarget[*decideItem, content.Item])))
	s.v1(mux, audited("content.edit", op(post, "/v1/content/items/{id}/edit", auth.Review, "content", "Edit one field of an item and check it again", s.editItem, itemTarget[*editItem, Edited])))

	// Compliance.
	s.v1(mux, op(post, "/v1/compliance/check", auth.Read, "compliance", "Check a text against advertising law", s.checkText, nil))
	s.v1(mux, creates(audited("suppression.add", op(post, "/v1/compliance/suppressions", auth.Compliance, "compliance", "Suppress e-mail addresses, phone numbers or customer ids", s.suppress,
		func(req *suppressReq, r Suppressed) string { return itoa(r.Suppressed) + " values" }))))
	s.v1(mux, op(get, "/v1/compliance/suppressions", auth.Read, "compliance", "The suppression list, newest first", s.listSuppressions, nil))
	s.v1(mux, op(get, "/v1/compliance/skips", auth.Read, "compliance", "Why messages were not sent", s.listSkips, nil))
	s.v1(mux, op(post, "/v1/compliance/redact", auth.Read, "compliance", "Redact personal data the way model calls are protected", s.redactText, nil))

	// The language model.
	s.v1(mux, op(get, "/v1/llm/usage", auth.Read, "llm", "Model calls, tokens and cost", s.llmUsage, nil))
	s.v1(mux, slow(op(post, "/v1/llm/ping", auth.Read, "llm", "Call the configured model once", s.llmPing, nil)))
}

// campaignTarget names the campaign a call acted on, for the audit log.
func campaignTarget[R any](req *campaignName, _ R) string { return "campaign " + req.Name }

// ingestRoute gives a batch route its body limit and time, and makes it
// idempotent (a retried batch is not written twice).
func ingestRoute(rt apiRoute) apiRoute {
	rt.MaxBody, rt.Timeout, rt.Creates = ingestMaxBody, 25*time.Second, true
	return rt
}

// keyed makes rt honour an Idempotency-Key (a retried generation does
// not spend the model calls twice).
func keyed(rt apiRoute) apiRoute {
	rt.Creates = true
	return rt
}

// creates makes rt honour an Idempotency-Key and answer 201.
func creates(rt apiRoute) apiRoute {
	rt.Creates, rt.Status = true, http.StatusCreated
	return rt
}

// audited makes a successful call of rt an audit log entry of action.
func audited(action string, rt apiRoute) apiRoute {
	rt.Audit = action
	return rt
}

// withStatus makes rt answer status on success.
func withStatus(status int, rt apiRoute) apiRoute {
	rt.Status = status
	return rt
}

// noContentRoute makes rt answer 204 with no body.
func noContentRoute(rt apiRoute) apiRoute { return withStatus(http.StatusNoContent, rt) }

// emptyBody lets rt's request go without a body (all its fields are
// optional).
func emptyBody(rt apiRoute) apiRoute {
	rt.EmptyBody = true
	return rt
}

// slow gives rt the time a model training or call may take.
func slow(rt apiRoute) apiRoute {
	rt.Timeout = 25 * time.Second // under the server's 30 s write timeout
	return rt
}

// consoleRoutes are the console's pages. page(action, h) signs the user
// in, checks a POST's CSRF token and the role's right to action; the
// page handlers live in internal/web (see its doc.go to add one).
func (s *Server) consoleRoutes(mux registrar) {
	c := s.console
	mux.Handle("GET /static/", c.Static())
	mux.Handle("GET /login", http.HandlerFunc(s.loginPage))
	mux.Handle("POST /login", http.HandlerFunc(s.loginPost))
	mux.Handle("POST /logout", s.page(auth.Read, s.logout))
	mux.Handle("POST /lang", http.HandlerFunc(s.setLang))
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
func (s *Server) studioRoutes(mux registrar) {
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
