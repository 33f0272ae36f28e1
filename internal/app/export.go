package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/segment"
)

// Exported is what a segment export wrote (the fields in the order of
// their JSON names, as `chorus segment export --json` has always printed
// them).
type Exported struct {
	// ContactExport is the log entry of an export with contact fields.
	ContactExport *segment.ContactExport `json:"contact_export,omitempty"`
	Format        string                 `json:"format"`
	Members       int                    `json:"members"`
	Out           string                 `json:"out,omitempty"` // the file written; "" for w
	Segment       string                 `json:"segment"`
}

// ExportSegment writes the members of segment name with opts (see
// segment.ExportOptions, which it checks) to the file path, written whole
// or not at all, or to w when path is "". Contact fields are taken from
// the customers and each such export is logged: ContactExport is set then,
// also when a later row failed (the contacts written may have left), so
// that the caller records it (AuditExport).
func (a *App) ExportSegment(ctx context.Context, name string, w io.Writer, path string, opts segment.ExportOptions) (Exported, error) {
	if err := opts.Check(); err != nil {
		return Exported{}, err
	}
	var logged segment.ContactExport
	opts.Contact, opts.Log, opts.Summary = a.Contacts(), a.Store, &logged
	out := Exported{Segment: name, Format: strings.ToLower(opts.Format), Out: path}
	var err error
	if path == "" {
		out.Members, err = a.Segments.Export(ctx, name, w, opts)
	} else {
		out.Members, err = a.Segments.ExportFile(ctx, name, path, opts)
	}
	if logged.ID != 0 {
		out.ContactExport = &logged
	}
	return out, err
}

// AuditExport records a logged contact export in the audit log as ctx's
// actor (auth.WithActor). The export is already made, so a failure says
// so, with the kind of the failure.
func (a *App) AuditExport(ctx context.Context, e segment.ContactExport) error {
	detail := fmt.Sprintf("contact export #%d: %d rows, fields %s", e.ID, e.Rows, strings.Join(e.Fields, ","))
	return a.Auth.RecordDone(ctx, auth.Entry{Action: "segment.export", Target: "segment " + e.Segment, Detail: detail})
}
