package httpapi

import (
	"context"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// Profiles, recommendations, compliance checks and the model's usage:
// the services of `chorus profile`, `chorus recommend`, `chorus check`,
// `chorus privacy` and `chorus llm`.

type profileReq struct {
	ID   string `path:"id"`
	Recs *int   `query:"recs" minimum:"0" maximum:"50" default:"5" description:"recommended products to include (0: none)"`
}

// ProfileResponse is a customer's PII-free profile and the notes on how
// it was made (a retrained model, missing data).
type ProfileResponse struct {
	Profile insight.Profile `json:"profile"`
	Notes   []string        `json:"notes"`
}

func (s *Server) profile(ctx context.Context, req *profileReq) (ProfileResponse, error) {
	recs := 5
	if req.Recs != nil {
		recs = *req.Recs
	}
	if recs < 0 || recs > 50 {
		return ProfileResponse{}, apperr.New(apperr.Invalid, "recs %d: want 0 to 50", recs)
	}
	a := s.deps.App
	p, notes, err := a.ExplainProfile(ctx, req.ID, a.Insight.Options(), recs)
	return ProfileResponse{Profile: p, Notes: notes}, err
}

type recsReq struct {
	ID string `path:"id"`
	N  int    `query:"n" minimum:"1" maximum:"100" default:"10"`
}

// RecommendationList is a customer's recommended products with reasons.
type RecommendationList struct {
	Customer string           `json:"customer"`
	Items    []recommend.Item `json:"items"`
}

func (s *Server) recommendations(ctx context.Context, req *recsReq) (RecommendationList, error) {
	n := req.N
	if n == 0 {
		n = 10
	}
	if n < 1 || n > 100 {
		return RecommendationList{}, apperr.New(apperr.Invalid, "n %d: want 1 to 100", n)
	}
	a := s.deps.App
	if err := a.Known(ctx, req.ID); err != nil {
		return RecommendationList{}, err
	}
	items, err := a.Recommend.Recommend(ctx, req.ID, n)
	if items == nil {
		items = []recommend.Item{}
	}
	return RecommendationList{Customer: req.ID, Items: items}, err
}

type checkText struct {
	Text     string `json:"text" required:"true" minLength:"1"`
	Lang     string `json:"lang,omitempty" description:"zh, en or empty for both lexicons"`
	Category string `json:"category,omitempty" description:"the product's catalog category (category gates)"`
}

func (s *Server) checkText(_ context.Context, req *checkText) (adlaw.Report, error) {
	a := s.deps.App
	if a.AdLaw == nil {
		return adlaw.Report{}, apperr.Wrap(a.AdLawErr, apperr.Unavailable, "the advertising-law checker is not available")
	}
	return a.AdLaw.Check(req.Text, adlaw.Options{Lang: req.Lang, Category: req.Category}), nil
}

type redactText struct {
	Text  string   `json:"text" required:"true" minLength:"1"`
	Names []string `json:"names,omitempty" description:"customer names to treat as known values"`
}

// Redacted is a text as a model would receive it, and what was replaced
// (types and byte offsets into the input, never the values).
type Redacted struct {
	Text     string       `json:"text"`
	Entities []pii.Entity `json:"entities"`
}

func (s *Server) redactText(_ context.Context, req *redactText) (Redacted, error) {
	r := pii.RedactText(pii.NewScanner(s.deps.App.Config.Compliance.PII.AllowValues), req.Text, req.Names...)
	return Redacted{Text: r.Text, Entities: r.Entities}, nil
}

type usageReq struct {
	Campaign string `query:"campaign"`
	Run      string `query:"run"`
}

// UsageList is the model's usage by run, campaign, provider and model,
// with the total.
type UsageList struct {
	Usage []llm.UsageRecord `json:"usage"`
	Total llm.UsageRecord   `json:"total"`
}

func (s *Server) llmUsage(ctx context.Context, req *usageReq) (UsageList, error) {
	us, err := s.deps.App.LLMUsage(ctx, llm.UsageFilter{Run: req.Run, Campaign: req.Campaign})
	if err != nil {
		return UsageList{}, err
	}
	out := UsageList{Usage: us, Total: us.Total()}
	if out.Usage == nil {
		out.Usage = []llm.UsageRecord{}
	}
	return out, nil
}

// llmPing calls the configured model once, outside the cache.
func (s *Server) llmPing(ctx context.Context, _ *struct{}) (provider.PingReport, error) {
	return app.PingModel(ctx, s.deps.App.Config)
}

type suppressReq struct {
	Values        []string `json:"values" required:"true" minItems:"1" maxItems:"10000" description:"e-mail addresses, phone numbers or customer ids"`
	Kind          string   `json:"kind,omitempty" enum:"email,phone,customer" description:"empty guesses each value's kind"`
	Reason        string   `json:"reason,omitempty" description:"hard_bounce, complaint, unsubscribe, manual, …"`
	MarketingOnly bool     `json:"marketing_only,omitempty" description:"still allow transactional messages"`
	Note          string   `json:"note,omitempty"`
}

// Suppressed says what a suppression request wrote.
type Suppressed struct {
	Suppressed int `json:"suppressed"`
	Added      int `json:"added"`
	Updated    int `json:"updated"`
}

// suppress is `chorus suppress add` (the gate's Suppress) over the API.
func (s *Server) suppress(ctx context.Context, req *suppressReq) (Suppressed, error) {
	reason := req.Reason
	if reason == "" {
		reason = "manual"
	}
	n, added, err := s.deps.App.Gate.Suppress(ctx, policy.SuppressRequest{Values: req.Values, Kind: req.Kind, Reason: reason,
		MarketingOnly: req.MarketingOnly, Note: req.Note, Source: "api:" + actorOf(ctx)})
	return Suppressed{Suppressed: n, Added: added, Updated: n - added}, err
}

type listSuppressions struct {
	Kind string `query:"kind" enum:"email,phone,customer"`
}

// SuppressionList is the suppression list, newest first.
type SuppressionList struct {
	Suppressions []policy.Suppression `json:"suppressions"`
}

func (s *Server) listSuppressions(ctx context.Context, req *listSuppressions) (SuppressionList, error) {
	ss, err := policy.ListSuppressions(ctx, s.deps.App.Store, req.Kind)
	return SuppressionList{Suppressions: ss}, err
}

type listSkips struct {
	Campaign string `query:"campaign" description:"a campaign's name; empty lists the skips made without one"`
}

// SkipList is why messages were not sent.
type SkipList struct {
	Skips []policy.Skip `json:"skips"`
}

func (s *Server) listSkips(ctx context.Context, req *listSkips) (SkipList, error) {
	sk, err := s.deps.App.Store.ListSkips(ctx, req.Campaign)
	if sk == nil {
		sk = []policy.Skip{}
	}
	return SkipList{Skips: sk}, err
}
