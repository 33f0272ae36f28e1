package segment

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/vm"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Export formats.
const (
	FormatCSV   = "csv"
	FormatJSONL = "jsonl"
)

// ExportOptions say how to write a segment's members.
//
// The tags name the flags of `chorus segment export`.
type ExportOptions struct {
	Format string `flag:"format"` // csv (default) or jsonl
	// Fields are extra columns, each an expression over Record such as
	// "rfm.segment", "clv" or "affinity[\"camera\"]"; the column is named
	// by the expression text.
	Fields []string `flag:"fields"`
	// IncludeContact allows the contact fields name, email, phone and
	// address among Fields. A member is written only when a requested
	// channel reaches her (email for email, sms for phone, either for
	// name and address alone): a granted marketing consent, no
	// suppression, an address; a value of a channel that does not reach
	// her is left empty. Every such export is logged to Log (who, when,
	// which fields, how many). Contact and Log are then required.
	IncludeContact bool `flag:"include-contact"`
	// IgnoreConsent writes the contact fields of every member (for a
	// purpose that needs no marketing consent); it is logged as such.
	IgnoreConsent bool `flag:"ignore-consent"`
	Contact       ContactSource
	Log           ContactLog
	// Actor and Purpose are logged with a contact export.
	Actor   string `flag:"actor"`
	Purpose string `flag:"purpose"`
	// Summary, when not nil, receives the log entry of a contact export.
	Summary *ContactExport
}

// Check refuses options that may not go together: ignoring consent needs
// the contact fields and a purpose saying why no marketing consent is
// needed (it is logged). The error is Invalid.
func (o ExportOptions) Check() error {
	if o.IgnoreConsent && (!o.IncludeContact || strings.TrimSpace(o.Purpose) == "") {
		return apperr.New(apperr.Invalid, "--ignore-consent needs --include-contact and a --purpose saying why no marketing consent is needed")
	}
	return nil
}

// column is one compiled export field: an expression over the record, or
// a contact field (contact set).
type column struct {
	name    string
	prog    *vm.Program
	contact bool
}

// Export writes the stored members of the named segment, ordered by
// customer id, as CSV (with a header) or JSON Lines, with columns
// customer_id, since and then opts.Fields evaluated on each member's
// current record. It returns the number of members written. An unknown
// segment is apperr.NotFound; a bad format or field is apperr.Invalid.
func (e *Engine) Export(ctx context.Context, name string, w io.Writer, opts ExportOptions) (n int, err error) {
	format := strings.ToLower(opts.Format)
	if format == "" {
		format = FormatCSV
	}
	if format != FormatCSV && format != FormatJSONL {
		return 0, apperr.New(apperr.Invalid, "export format %q: use csv or jsonl", opts.Format)
	}
	cols, err := compileColumns(opts.Fields, opts.IncludeContact)
	if err != nil {
		return 0, err
	}
	plan := newContactPlan(opts.Fields)
	if plan != nil && (opts.Contact == nil || opts.Log == nil) {
		return 0, apperr.New(apperr.Internal, "a contact export needs the customer store and the export log")
	}
	if plan != nil && strings.TrimSpace(opts.Actor) == "" {
		return 0, apperr.New(apperr.Invalid, "a contact export must say who makes it (the actor is logged)")
	}
	if _, err := e.store.GetSegment(ctx, name); err != nil {
		return 0, err
	}
	var members []Member
	if err := e.store.ScanSegmentMembers(ctx, name, func(m Member) error {
		members = append(members, m)
		return nil
	}); err != nil {
		return 0, err
	}
	var recs map[string]*Record
	if len(cols) > 0 && (plan == nil || len(plan.fields) < len(cols)) {
		ids := make([]string, len(members))
		for i, m := range members {
			ids[i] = m.CustomerID
		}
		rs, err := e.src.RecordsFor(ctx, ids)
		if err != nil {
			return 0, err
		}
		recs = make(map[string]*Record, len(rs))
		for i := range rs {
			recs[rs[i].ID] = &rs[i]
		}
	}
	var machine vm.VM
	withheld := 0
	// values returns the member's columns; ok is false when a contact
	// export withholds her.
	values := func(m Member) (_ []any, ok bool, err error) {
		out := make([]any, len(cols))
		var contact map[string]string
		if plan != nil {
			var reach bool
			if contact, reach, err = plan.values(ctx, opts.Contact, m.CustomerID, opts.IgnoreConsent); err != nil || !reach {
				if err == nil {
					withheld++
				}
				return nil, false, err
			}
		}
		r := recs[m.CustomerID]
		for i, c := range cols {
			if c.contact {
				out[i] = contact[c.name]
				continue
			}
			if r == nil {
				continue
			}
			if v, err := machine.Run(c.prog, r); err == nil {
				out[i] = v
			}
		}
		return out, true, nil
	}
	logged := func(n int, err error) (int, error) {
		if err != nil || plan == nil {
			return n, err
		}
		ex := ContactExport{Segment: name, Actor: opts.Actor, Fields: plan.fields, Purpose: opts.Purpose, Rows: n,
			Withheld: withheld, IgnoredConsent: opts.IgnoreConsent, At: e.now()}
		id, lerr := opts.Log.LogContactExport(ctx, ex)
		if lerr != nil {
			return n, apperr.Wrap(lerr, apperr.KindOf(lerr), "log the contact export")
		}
		ex.ID = id
		if opts.Summary != nil {
			*opts.Summary = ex
		}
		return n, nil
	}
	switch format {
	case FormatCSV:
		cw := csv.NewWriter(w)
		header := []string{"customer_id", "since"}
		for _, c := range cols {
			header = append(header, c.name)
		}
		if err := cw.Write(header); err != nil {
			return 0, err
		}
		row := make([]string, len(header))
		for _, m := range members {
			vals, ok, err := values(m)
			if err != nil {
				return n, err
			}
			if !ok {
				continue
			}
			row[0], row[1] = m.CustomerID, m.Since.UTC().Format(time.RFC3339)
			for i, v := range vals {
				row[2+i] = csvValue(v)
			}
			if err := cw.Write(row); err != nil {
				return n, err
			}
			n++
		}
		cw.Flush()
		return logged(n, cw.Error())
	default:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, m := range members {
			vals, ok, err := values(m)
			if err != nil {
				return n, err
			}
			if !ok {
				continue
			}
			obj := orderedObject{keys: []string{"customer_id", "since"}, vals: []any{m.CustomerID, m.Since.UTC().Format(time.RFC3339)}}
			for i, v := range vals {
				obj.keys = append(obj.keys, cols[i].name)
				obj.vals = append(obj.vals, jsonValue(v))
			}
			if err := enc.Encode(obj); err != nil {
				return n, err
			}
			n++
		}
		return logged(n, nil)
	}
}

func compileColumns(fields []string, includeContact bool) ([]column, error) {
	var cols []column
	seen := map[string]bool{"customer_id": true, "since": true}
	for _, f := range fields {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if seen[f] {
			return nil, apperr.New(apperr.Invalid, "export field %q is listed twice", f)
		}
		seen[f] = true
		if IsContactField(f) {
			if !includeContact {
				return nil, apperr.New(apperr.Invalid, "export field %s is contact data, left out of exports unless you pass --include-contact (such exports are logged: who, when, how many; consent and suppression apply)", f)
			}
			cols = append(cols, column{name: f, contact: true})
			continue
		}
		prog, err := expr.Compile(f, expr.Env(Record{}))
		if err != nil {
			return nil, &apperr.Error{Kind: apperr.Invalid, Msg: "export field " + quoteShort(f), Err: compileError(f, err)}
		}
		cols = append(cols, column{name: f, prog: prog})
	}
	return cols, nil
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case []string:
		return strings.Join(x, ";")
	}
	b, err := json.Marshal(jsonValue(v))
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func jsonValue(v any) any {
	if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return nil
	}
	return v
}

// orderedObject encodes as a JSON object with keys in insertion order, so
// that JSON Lines columns follow the requested field order.
type orderedObject struct {
	keys []string
	vals []any
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := json.Marshal(o.vals[i])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return []byte(b.String()), nil
}
