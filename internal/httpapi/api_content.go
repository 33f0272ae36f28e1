package httpapi

import (
	"context"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/content"
)

// The review queue: `chorus content review` over the API. Decisions and
// edits are written to the item's own audit trail with the token's name,
// and to the access audit log.

type listItems struct {
	Run     string `query:"run"`
	Status  string `query:"status" enum:"draft,flagged,approved,rejected"`
	Channel string `query:"channel"`
	Limit   int    `query:"limit" minimum:"1" maximum:"1000" default:"200"`
}

// ItemList is generated items, newest runs first.
type ItemList struct {
	Items []content.Item `json:"items"`
}

func (s *Server) listItems(ctx context.Context, req *listItems) (ItemList, error) {
	n := req.Limit
	if n == 0 {
		n = 200
	}
	if n < 1 || n > 1000 {
		return ItemList{}, apperr.New(apperr.Invalid, "limit %d: want 1 to 1000", n)
	}
	items, err := s.deps.App.ListItems(ctx, content.ItemFilter{RunID: req.Run, Status: req.Status, Channel: req.Channel, Limit: n})
	return ItemList{Items: items}, err
}

type itemID struct {
	ID string `path:"id"`
}

func (s *Server) getItem(ctx context.Context, req *itemID) (content.Detail, error) {
	return s.deps.App.ItemDetail(ctx, req.ID)
}

type decideItem struct {
	ID   string `path:"id"`
	Note string `json:"note,omitempty" description:"why; required to approve a flagged item"`
}

// actorOf is who the content audit trail names for the request.
func actorOf(ctx context.Context) string {
	if p, ok := auth.PrincipalFrom(ctx); ok {
		return string(p.Kind) + ":" + p.Name
	}
	return "api"
}

func (s *Server) decide(ctx context.Context, id, to, note string) (content.Item, error) {
	return s.deps.App.DecideItem(ctx, id, to, actorOf(ctx), note)
}

func (s *Server) approveItem(ctx context.Context, req *decideItem) (content.Item, error) {
	return s.decide(ctx, req.ID, content.StatusApproved, req.Note)
}

func (s *Server) rejectItem(ctx context.Context, req *decideItem) (content.Item, error) {
	return s.decide(ctx, req.ID, content.StatusRejected, req.Note)
}

type editItem struct {
	ID    string `path:"id"`
	Field string `json:"field" required:"true" description:"the field to change, e.g. body, subject, title"`
	Value string `json:"value" required:"true"`
	Note  string `json:"note,omitempty"`
}

// Edited is an edited item and what its checks still find.
type Edited struct {
	Item       content.Item        `json:"item"`
	Violations []content.Violation `json:"violations"`
}

func (s *Server) editItem(ctx context.Context, req *editItem) (Edited, error) {
	it, vs, err := s.deps.App.EditItem(ctx, req.ID, req.Field, req.Value, actorOf(ctx), req.Note)
	return Edited{Item: it, Violations: vs}, err
}

// itemTarget names the item a decision acted on, for the audit log.
func itemTarget[Req interface{ itemRef() string }, R any](req Req, _ R) string {
	return "item " + req.itemRef()
}

func (r *decideItem) itemRef() string { return r.ID }
func (r *editItem) itemRef() string   { return r.ID }

type generateReq struct {
	Segment  string   `json:"segment" required:"true" description:"the audience: a saved segment"`
	Brief    string   `json:"brief" required:"true" description:"the campaign brief, YAML or JSON text (chorus content brief example)"`
	Channels []string `json:"channels,omitempty" description:"default: the brief's"`
	Depth    string   `json:"depth,omitempty" enum:"segment,cohort,individual"`
	Variants int      `json:"variants,omitempty" minimum:"0" maximum:"26"`
	Voice    string   `json:"voice,omitempty"`
	TopK     int      `json:"top_k,omitempty" minimum:"0"`
	// Run writes the copy; without it only the plan is returned (the
	// model calls and their cost at each depth), so that a client sees
	// what a run will spend before it spends it.
	Run bool `json:"run,omitempty" description:"write the copy; false (default) returns only the plan"`
}

// Generated is a generation's plan and, when it ran, what it wrote.
type Generated struct {
	RunID   string           `json:"run_id"`
	Plan    content.Plan     `json:"plan"`
	Summary *content.Summary `json:"summary,omitempty"`
}

// generate is `chorus generate --segment … --brief …` (with --plan-only
// unless run is set).
func (s *Server) generate(ctx context.Context, req *generateReq) (Generated, error) {
	b, err := content.ParseBrief("brief.yaml", []byte(req.Brief))
	if err != nil {
		return Generated{}, err
	}
	cr := content.CampaignRequest{Brief: b, Segment: req.Segment, Depth: req.Depth, Variants: req.Variants, Voice: req.Voice, TopK: req.TopK}
	if len(req.Channels) > 0 {
		if cr.Channels, err = content.ParseChannels(strings.Join(req.Channels, ",")); err != nil {
			return Generated{}, err
		}
	}
	g, err := s.deps.App.PrepareCampaign(ctx, cr)
	if err != nil {
		return Generated{}, err
	}
	out := Generated{RunID: g.Run.ID, Plan: g.Plan}
	if !req.Run {
		return out, nil
	}
	sum, err := g.Write(ctx, nil)
	if err != nil {
		return out, err
	}
	out.Summary = &sum
	return out, nil
}
