package importer

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
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

// FuzzCSVRow checks the row parser against encoding/csv: it never panics,
// every record starts on a line within the input, and wherever the
// standard reader (strict quoting) accepts the input, both read the same
// fields. Run with: go test ./internal/importer -fuzz FuzzCSVRow
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
