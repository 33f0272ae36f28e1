package httpapi

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/segment"
)

// The segment routes: the engine the CLI's `chorus segment` uses.

// SegmentList is the saved segments.
type SegmentList struct {
	Segments []segment.Segment `json:"segments"`
}

func (s *Server) listSegments(ctx context.Context, _ *struct{}) (SegmentList, error) {
	segs, err := s.deps.App.Store.ListSegments(ctx)
	if segs == nil {
		segs = []segment.Segment{}
	}
	return SegmentList{Segments: segs}, err
}

type segmentName struct {
	Name string `path:"name"`
}

func (s *Server) getSegment(ctx context.Context, req *segmentName) (segment.Detail, error) {
	return s.deps.App.Segments.Detail(ctx, req.Name, 10)
}

type saveSegment struct {
	Name        string `json:"name" required:"true" description:"letters, digits, _ and -"`
	Expression  string `json:"expression" required:"true" description:"see GET /v1/segments/fields"`
	Description string `json:"description,omitempty"`
	Sample      int    `json:"sample,omitempty" minimum:"0" maximum:"100" description:"first matches to return (default 10)"`
	DryRun      bool   `json:"dry_run,omitempty"`
}

type replaceSegment struct {
	Name        string `path:"name"`
	Expression  string `json:"expression" required:"true"`
	Description string `json:"description,omitempty"`
	Sample      int    `json:"sample,omitempty" minimum:"0" maximum:"100"`
}

func sampleOf(n int) (int, error) {
	if n < 0 || n > 100 {
		return 0, apperr.New(apperr.Invalid, "sample %d: want 0 to 100", n)
	}
	if n == 0 {
		return 10, nil
	}
	return n, nil
}

func (s *Server) createSegment(ctx context.Context, req *saveSegment) (segment.Saved, error) {
	if err := segment.ValidateName(req.Name); err != nil {
		return segment.Saved{}, err
	}
	n, err := sampleOf(req.Sample)
	if err != nil {
		return segment.Saved{}, err
	}
	return s.deps.App.Segments.Save(ctx, segment.SaveRequest{Name: req.Name, Expression: req.Expression,
		Description: req.Description, Sample: n, DryRun: req.DryRun})
}

func (s *Server) replaceSegment(ctx context.Context, req *replaceSegment) (segment.Saved, error) {
	n, err := sampleOf(req.Sample)
	if err != nil {
		return segment.Saved{}, err
	}
	return s.deps.App.Segments.Save(ctx, segment.SaveRequest{Name: req.Name, Expression: req.Expression,
		Description: req.Description, Sample: n, Replace: true})
}

// Deleted names what was deleted.
type Deleted struct {
	Deleted string `json:"deleted"`
}

func (s *Server) deleteSegment(ctx context.Context, req *segmentName) (Deleted, error) {
	return Deleted{Deleted: req.Name}, s.deps.App.Store.DeleteSegment(ctx, req.Name)
}

type previewSegment struct {
	Expression string `json:"expression" required:"true"`
	Sample     int    `json:"sample,omitempty" minimum:"0" maximum:"100"`
}

func (s *Server) previewSegment(ctx context.Context, req *previewSegment) (segment.Preview, error) {
	n, err := sampleOf(req.Sample)
	if err != nil {
		return segment.Preview{}, err
	}
	return s.deps.App.Segments.Preview(ctx, req.Expression, n)
}

// SegmentCount is a saved segment's stored member count next to the
// count its expression gives on current data.
type SegmentCount struct {
	Segment segment.Segment `json:"segment"`
	Stored  int             `json:"stored"`
	Current int             `json:"current"`
}

func (s *Server) countSegment(ctx context.Context, req *segmentName) (SegmentCount, error) {
	seg, p, err := s.deps.App.Segments.Count(ctx, req.Name)
	if err != nil {
		return SegmentCount{}, err
	}
	return SegmentCount{Segment: seg, Stored: seg.Members, Current: p.Count}, nil
}

type segmentMembers struct {
	Name  string `path:"name"`
	Limit int    `query:"limit" minimum:"1" maximum:"1000" default:"100"`
}

// MemberList is the first members of a segment by customer id.
type MemberList struct {
	Members []segment.Member `json:"members"`
}

func (s *Server) segmentMembers(ctx context.Context, req *segmentMembers) (MemberList, error) {
	n := req.Limit
	if n == 0 {
		n = 100
	}
	if n < 1 || n > 1000 {
		return MemberList{}, apperr.New(apperr.Invalid, "limit %d: want 1 to 1000", n)
	}
	ms, err := s.deps.App.Segments.FirstMembers(ctx, req.Name, n)
	if ms == nil {
		ms = []segment.Member{}
	}
	return MemberList{Members: ms}, err
}

// FieldList is what an expression can use.
type FieldList struct {
	Fields []segment.Field `json:"fields"`
}

func (s *Server) segmentFields(context.Context, *struct{}) (FieldList, error) {
	return FieldList{Fields: segment.Fields()}, nil
}

type exportSegment struct {
	Name           string   `path:"name"`
	Fields         []string `json:"fields,omitempty" description:"extra columns, each an expression such as rfm.segment or clv; name, email, phone and address need include_contact"`
	IncludeContact bool     `json:"include_contact,omitempty" description:"allow the contact fields; members no requested channel reaches are withheld, and the export is logged"`
	Purpose        string   `json:"purpose,omitempty" description:"why the contacts are taken out (logged)"`
}

// SegmentExport is a segment's members with the requested columns, and
// the contact export's log entry when contact fields were asked for.
type SegmentExport struct {
	Segment       string                 `json:"segment"`
	Members       int                    `json:"members"`
	Rows          []map[string]any       `json:"rows"`
	ContactExport *segment.ContactExport `json:"contact_export,omitempty"`
}

// exportSegment is `chorus segment export` over the API (the action
// export; audited). Consent-ignoring exports stay with the CLI.
func (s *Server) exportSegment(ctx context.Context, req *exportSegment) (SegmentExport, error) {
	actor := "api"
	if p, ok := auth.PrincipalFrom(ctx); ok {
		actor = string(p.Kind) + ":" + p.Name
	}
	var buf bytes.Buffer
	ex, err := s.deps.App.ExportSegment(ctx, req.Name, &buf, "", segment.ExportOptions{Format: "jsonl", Fields: req.Fields,
		IncludeContact: req.IncludeContact, Actor: actor, Purpose: req.Purpose})
	if err != nil {
		return SegmentExport{}, err
	}
	out := SegmentExport{Segment: req.Name, Members: ex.Members, Rows: make([]map[string]any, 0, ex.Members), ContactExport: ex.ContactExport}
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var row map[string]any
		if err := dec.Decode(&row); err != nil {
			return SegmentExport{}, apperr.Wrap(err, apperr.Internal, "read the export")
		}
		out.Rows = append(out.Rows, row)
	}
	return out, nil
}
