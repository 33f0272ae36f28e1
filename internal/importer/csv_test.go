package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

func readAll(t testing.TB, in string, maxField int) []*record {
	t.Helper()
	cr := newCSVReader(strings.NewReader(in), ',', maxField)
	var out []*record
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		cp := *rec
		cp.Fields = append([]string(nil), rec.Fields...)
		cp.Raw = append([]byte(nil), rec.Raw...)
		out = append(out, &cp)
	}
}

func TestCSVReader(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		lines    []int
		fields   [][]string
		reasons  []string
		maxField int // 0: 64 KiB
	}{
		{"plain", "a,b\n1,2\n", []int{1, 2}, [][]string{{"a", "b"}, {"1", "2"}}, nil, 0},
		{"crlf and no final newline", "a,b\r\n1,2", []int{1, 2}, [][]string{{"a", "b"}, {"1", "2"}}, nil, 0},
		{"blank lines", "a\n\n  \r\nb\n\n", []int{1, 4}, [][]string{{"a"}, {"b"}}, nil, 0},
		{"quoted newline keeps line numbers", "\"x\r\ny\",1\nz,2\n", []int{1, 3}, [][]string{{"x\ny", "1"}, {"z", "2"}}, nil, 0},
		{"escaped quotes", `"a""b",""` + "\n", []int{1}, [][]string{{`a"b`, ""}}, nil, 0},
		{"empty fields", ",,\n", []int{1}, [][]string{{"", "", ""}}, nil, 0},
		{"bare quote kept", `12" frame,x` + "\n", []int{1}, [][]string{{`12" frame`, "x"}}, nil, 0},
		{"unterminated", "a\n\"b,c\nd\n", []int{1, 2}, [][]string{{"a"}, {"b,c\nd\n"}},
			[]string{"", "unterminated quoted field: the quote opened on line 2 is never closed before the end of the file"}, 0},
		{"too long", "abcdef,x\nok,y\n", []int{1, 2}, [][]string{{"", "x"}, {"ok", "y"}},
			[]string{"field 1 is longer than the 4-byte limit", ""}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			max := tc.maxField
			if max == 0 {
				max = 64 << 10
			}
			recs := readAll(t, tc.in, max)
			if len(recs) != len(tc.lines) {
				t.Fatalf("%d records, want %d: %+v", len(recs), len(tc.lines), recs)
			}
			for i, r := range recs {
				if r.Line != tc.lines[i] || !reflect.DeepEqual(r.Fields, tc.fields[i]) {
					t.Errorf("record %d: line %d fields %q, want line %d fields %q", i, r.Line, r.Fields, tc.lines[i], tc.fields[i])
				}
				want := ""
				if tc.reasons != nil {
					want = tc.reasons[i]
				}
				if r.Reason != want {
					t.Errorf("record %d: reason %q, want %q", i, r.Reason, want)
				}
			}
		})
	}
}

// memStore is an in-memory Store for the fuzz target: records are new the
// first time their id or key is seen and unchanged after.
type memStore struct {
	customers, products map[string]bool
	events              map[int64]bool
}

func (s *memStore) BulkLoad(ctx context.Context, fn func(context.Context) error) error {
	return fn(ctx)
}

func newMemStore() *memStore {
	return &memStore{customers: map[string]bool{}, products: map[string]bool{}, events: map[int64]bool{}}
}

func (m *memStore) UpsertCustomers(_ context.Context, cs []customer.Customer) (c customer.UpsertCounts, _ error) {
	for _, x := range cs {
		if m.customers[x.ID] {
			c.Unchanged++
		} else {
			m.customers[x.ID] = true
			c.Inserted++
		}
	}
	return c, nil
}

func (m *memStore) AddConsents(_ context.Context, cs []customer.Consent) (int, error) {
	return len(cs), nil
}

func (m *memStore) Consents(context.Context, string) ([]customer.Consent, error) { return nil, nil }

func (m *memStore) UpsertProducts(_ context.Context, ps []catalog.Product) (ins, upd, unch int, _ error) {
	for _, p := range ps {
		if m.products[p.SKU] {
			unch++
		} else {
			m.products[p.SKU] = true
			ins++
		}
	}
	return ins, 0, unch, nil
}

func (m *memStore) InsertEvents(_ context.Context, es []event.Event) (c event.InsertCounts, _ error) {
	for _, e := range es {
		if m.events[e.Key] {
			c.Duplicates++
		} else {
			m.events[e.Key] = true
			c.Inserted++
		}
	}
	return c, nil
}

// FuzzCSVRow checks the row parser and the import's accounting on any
// input. The parser never panics, every record starts on a line within the
// input, and wherever the standard reader (strict quoting) accepts the
// input, both read the same fields. Imported under fixed headers as events,
// customers and products, every record is accounted for: read = imported +
// updated + skipped + rejected, the reject report has one entry per reject
// on a line of the input, and records plus blank lines never outnumber the
// physical lines. Run with: go test ./internal/importer -fuzz FuzzCSVRow
func FuzzCSVRow(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2,3\n",
		"\ufeffid,name\r\n1,\"x\r\ny\"\r\n",
		"\"a\"\"b\",c\n",
		"a,\"unterminated\n",
		"17850.0,2010-12-01 08:26:00,  trailing  \n\n\n",
		",,\n\"\",\"\"\n",
		"陈静,上海\n",
		"12\" frame,x\n",
		"a\rb,c\n",
		"c1,purchase,SKU-1,2,9.99,2024-01-05 10:00:00,O-1\nc1,purchase,SKU-1,2,9.99,2024-01-05 10:00:00,O-1\n",
		"c2,view,SKU-2,two,,yesterday,\n,,,,,,\n",
		"1,Alice,alice@example.com,2023-01-05\n1,Alice,,\n,,,\n2,Bob,bob@,1/2/2023 09:30\n",
		"\xff\xfe,x\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lines := strings.Count(in, "\n") + 1
		cr := newCSVReader(strings.NewReader(in), ',', 1<<16)
		var got [][]string
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("read error on in-memory input: %v", err)
			}
			if rec.Line < 1 || rec.Line > lines {
				t.Fatalf("record line %d outside 1..%d", rec.Line, lines)
			}
			if len(rec.Raw) > len(in) {
				t.Fatalf("raw longer than the input")
			}
			got = append(got, append([]string(nil), rec.Fields...))
		}
		if len(got)+cr.blank > lines {
			t.Fatalf("%d records and %d blank lines from %d lines", len(got), cr.blank, lines)
		}

		for _, tc := range []struct{ entity, header string }{
			{Events, "customer_id,type,sku,quantity,price,occurred_at,order_id\n"},
			{Customers, "id,name,email,created_at\n"},
			{Products, "sku,title,price,stock\n"},
		} {
			checkAccounting(t, tc.entity, tc.header, in)
		}

		// Compare with encoding/csv where it is defined the same way: no CR
		// (it folds lone CRs differently) and no whitespace-only lines
		// (which we skip as blank and it reads as one-field records).
		if strings.ContainsRune(in, '\r') {
			return
		}
		sr := csv.NewReader(strings.NewReader(in))
		sr.FieldsPerRecord = -1
		want, err := sr.ReadAll()
		if err != nil {
			return
		}
		filtered := want[:0]
		for _, r := range want {
			if len(r) == 1 && strings.TrimSpace(r[0]) == "" && r[0] != "" {
				return
			}
			filtered = append(filtered, r)
		}
		if len(filtered) == 0 && len(got) == 0 {
			return
		}
		if !reflect.DeepEqual(got, filtered) {
			t.Fatalf("input %q:\n got %q\nwant %q", in, got, filtered)
		}
	})
}

// checkAccounting imports header+in as entity twice into a memStore and
// checks that every record is accounted for, both times.
func checkAccounting(t *testing.T, entity, header, in string) {
	t.Helper()
	st := newMemStore()
	lines := strings.Count(header+in, "\n") + 1
	for pass := 1; pass <= 2; pass++ {
		var rep bytes.Buffer
		sum, err := Run(context.Background(), st, Options{Entity: entity, Path: "fuzz.csv", Input: strings.NewReader(header + in),
			Rejects: &rep, MaxFieldBytes: 1 << 12, Now: func() time.Time { return time.Unix(0, 0) }})
		if err != nil {
			// The one failure a row can cause: text that is not UTF-8,
			// which names its line.
			if apperr.Is(err, apperr.Invalid) && !utf8.ValidString(in) && strings.Contains(err.Error(), "is not valid UTF-8") {
				return
			}
			t.Fatalf("%s pass %d: %v", entity, pass, err)
		}
		if !sum.Balanced || sum.Read != sum.Imported+sum.Updated+sum.SkippedDuplicates+sum.Rejected {
			t.Fatalf("%s pass %d: counts do not add up: %s", entity, pass, sum)
		}
		if sum.Read+sum.BlankLines > lines-1 {
			t.Fatalf("%s pass %d: %d records and %d blank lines from %d lines after the header", entity, pass, sum.Read, sum.BlankLines, lines-1)
		}
		if pass == 2 && sum.Imported+sum.Updated != 0 {
			t.Fatalf("%s: the second import stored something: %s", entity, sum)
		}
		rejects, err := ReadRejects(&rep)
		if err != nil {
			t.Fatalf("%s pass %d: reject report: %v", entity, pass, err)
		}
		if len(rejects) != sum.Rejected {
			t.Fatalf("%s pass %d: %d rejects reported, %d counted", entity, pass, len(rejects), sum.Rejected)
		}
		n := 0
		for _, c := range sum.RejectReasons {
			n += c
		}
		if n != sum.Rejected {
			t.Fatalf("%s pass %d: reject reasons count %d, rejected %d", entity, pass, n, sum.Rejected)
		}
		for _, r := range rejects {
			if r.Line < 2 || r.Line > lines || r.Reason == "" {
				t.Fatalf("%s pass %d: reject at line %d (of %d) reason %q", entity, pass, r.Line, lines, r.Reason)
			}
		}
	}
}
