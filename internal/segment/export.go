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
type ExportOptions struct {
	Format string // csv (default) or jsonl
	// Fields are extra columns, each an expression over Record such as
	// "rfm.segment", "clv" or "affinity[\"camera\"]"; the column is named
	// by the expression text.
	Fields []string
}

// column is one compiled export field.
type column struct {
	name string
	prog *vm.Program
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
	cols, err := compileColumns(opts.Fields)
	if err != nil {
		return 0, err
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
	if len(cols) > 0 {
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
	values := func(m Member) []any {
		out := make([]any, len(cols))
		r := recs[m.CustomerID]
		for i, c := range cols {
			if r == nil {
				continue
			}
			if v, err := machine.Run(c.prog, r); err == nil {
				out[i] = v
			}
		}
		return out
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
			row[0], row[1] = m.CustomerID, m.Since.UTC().Format(time.RFC3339)
			for i, v := range values(m) {
				row[2+i] = csvValue(v)
			}
			if err := cw.Write(row); err != nil {
				return n, err
			}
			n++
		}
		cw.Flush()
		return n, cw.Error()
	default:
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, m := range members {
			obj := orderedObject{keys: []string{"customer_id", "since"}, vals: []any{m.CustomerID, m.Since.UTC().Format(time.RFC3339)}}
			for i, v := range values(m) {
				obj.keys = append(obj.keys, cols[i].name)
				obj.vals = append(obj.vals, jsonValue(v))
			}
			if err := enc.Encode(obj); err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
}

func compileColumns(fields []string) ([]column, error) {
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
