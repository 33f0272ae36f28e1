package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/segment"
)

// previewSample is how many matching customers the editor shows.
const previewSample = 10

type segmentsView struct {
	Segments []segment.Segment
	Editor   editorView
}

// editorView is the expression editor: the form's values, the field list
// and the live preview (or the compile error with its caret).
type editorView struct {
	Name, Expression, Description string
	Replace                       bool // editing a saved segment
	Fields                        []segment.Field
	Preview                       *previewView
	Error                         *compileView
}

type previewView struct {
	Count, Total, Errors int
	FirstError           string
	Sample               []sampleRow
	Warnings             []string
}

type sampleRow struct {
	ID, Segment, Lifecycle, City string
	Orders                       int
	Revenue                      string
}

// compileView is a bad expression: the message, the line with a caret
// under the position, a suggestion and the known fields.
type compileView struct {
	Message, Snippet, Suggestion string
	Line, Column                 int
	Known                        []string
}

// Segments lists the saved segments and shows the editor for a new one.
func (c *Console) Segments(w http.ResponseWriter, r *http.Request) error {
	segs, err := c.deps.App.Store.ListSegments(r.Context())
	if err != nil {
		return err
	}
	return c.Render(w, r, "segments", "nav.segments", segmentsView{Segments: segs, Editor: editorView{Fields: segment.Fields()}})
}

// SegmentPreview is the editor's live count: the form's expression
// evaluated over every customer (nothing saved), as an htmx fragment. A
// bad expression is shown with its caret and the field list, status 200
// so that htmx swaps it in.
func (c *Console) SegmentPreview(w http.ResponseWriter, r *http.Request) error {
	ed := editorView{Expression: r.PostFormValue("expression")}
	if err := c.preview(r, &ed); err != nil {
		return err
	}
	return c.Fragment(w, r, "segments", "preview_fragment", ed)
}

// preview fills ed's preview or its compile error; other errors are
// returned.
func (c *Console) preview(r *http.Request, ed *editorView) error {
	p, err := c.deps.App.Previews.Preview(r.Context(), ed.Expression, previewSample)
	if err != nil {
		return compileErrorInto(err, ed)
	}
	ed.Preview = previewOf(p)
	return nil
}

func compileErrorInto(err error, ed *editorView) error {
	var ce *segment.CompileError
	if !errors.As(err, &ce) {
		return err
	}
	ed.Error = &compileView{Message: ce.Message, Snippet: ce.Snippet, Suggestion: ce.Suggestion, Line: ce.Line, Column: ce.Column, Known: ce.Known}
	ed.Fields = segment.Fields()
	return nil
}

func previewOf(p segment.Preview) *previewView {
	v := &previewView{Count: p.Count, Total: p.Total, Errors: p.Errors, Warnings: p.Warnings}
	if p.FirstError != nil {
		v.FirstError = p.FirstError.Error()
	}
	for _, rec := range p.Sample {
		v.Sample = append(v.Sample, sampleRow{ID: rec.ID, Segment: rec.RFM.Segment, Lifecycle: rec.Lifecycle, City: rec.City,
			Orders: rec.Orders, Revenue: fmt.Sprintf("%.2f", rec.Revenue)})
	}
	return v
}

// SegmentSave creates a segment (or, from its own page, replaces its
// expression) and goes to its page. A bad expression shows the editor
// again with the caret, status 400; a name in use is a 409.
func (c *Console) SegmentSave(w http.ResponseWriter, r *http.Request) error {
	ed := editorView{
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		Expression:  r.PostFormValue("expression"),
		Description: strings.TrimSpace(r.PostFormValue("description")),
		Replace:     r.PathValue("name") != "",
	}
	if ed.Replace {
		ed.Name = r.PathValue("name")
	}
	if ed.Name == "" {
		return apperr.New(apperr.Invalid, "name the segment")
	}
	_, err := c.deps.App.Segments.Save(r.Context(), segment.SaveRequest{Name: ed.Name, Expression: ed.Expression, Description: ed.Description, Replace: ed.Replace})
	if err != nil {
		if cerr := compileErrorInto(err, &ed); cerr != nil {
			return cerr
		}
		segs, lerr := c.deps.App.Store.ListSegments(r.Context())
		if lerr != nil {
			return lerr
		}
		return c.RenderStatus(w, r, http.StatusBadRequest, "segments", "nav.segments", segmentsView{Segments: segs, Editor: ed})
	}
	http.Redirect(w, r, "/segments/"+url.PathEscape(ed.Name), http.StatusSeeOther)
	return nil
}

type segmentView struct {
	Segment segment.Segment
	Members []segment.Member
	Editor  editorView
}

// Segment is a saved segment: its expression, stored count, first
// members and the editor to change it, with the live count of its
// expression now.
func (c *Console) Segment(w http.ResponseWriter, r *http.Request) error {
	s, p, err := c.deps.App.Previews.Count(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	ms, err := c.deps.App.Segments.FirstMembers(r.Context(), s.Name, 20)
	if err != nil {
		return err
	}
	v := segmentView{Segment: s, Members: ms, Editor: editorView{Name: s.Name, Expression: s.Expression, Description: s.Description,
		Replace: true, Fields: segment.Fields(), Preview: previewOf(p)}}
	return c.Render(w, r, "segments_one", "nav.segments", v)
}
