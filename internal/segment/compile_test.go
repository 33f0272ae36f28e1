package segment

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name       string
		expr       string
		line, col  int
		msg        string // substring of the message
		snippet    string // exact snippet
		suggestion string
	}{
		{
			name: "unknown top-level field", expr: `clvv > 200`,
			line: 1, col: 1, msg: `unknown field "clvv"`,
			snippet: "  clvv > 200\n  ^~~~", suggestion: "clv",
		},
		{
			name: "misspelt nested field", expr: `rfm.segmnt == "at_risk"`,
			line: 1, col: 5, msg: `rfm has no field "segmnt" (it has f, frequency, m, monetary, r, recency, score, segment)`,
			snippet: "  rfm.segmnt == \"at_risk\"\n      ^~~~~~", suggestion: "rfm.segment",
		},
		{
			name: "misspelt consent channel", expr: `consent.emial && clv > 1`,
			line: 1, col: 9, msg: `consent has no field "emial"`,
			snippet: "  consent.emial && clv > 1\n          ^~~~~", suggestion: "consent.email",
		},
		{
			name: "leaf used without its parent", expr: `segment == "champions"`,
			line: 1, col: 1, msg: `unknown field "segment"`, suggestion: "rfm.segment",
			snippet: "  segment == \"champions\"\n  ^~~~~~~",
		},
		{
			name: "Go spelling of a snake_case field", expr: `pAlive > 0.5`,
			line: 1, col: 1, msg: `unknown field "pAlive"`, suggestion: "p_alive",
			snippet: "  pAlive > 0.5\n  ^~~~~~",
		},
		{
			name: "nothing close", expr: `zzzzzzzz > 1`,
			line: 1, col: 1, msg: `unknown field "zzzzzzzz"`, suggestion: "",
			snippet: "  zzzzzzzz > 1\n  ^~~~~~~~",
		},
		{
			name: "error on the second line", expr: "clv > 200 &&\n  ordrs > 2",
			line: 2, col: 3, msg: `unknown field "ordrs"`, suggestion: "orders",
			snippet: "    ordrs > 2\n    ^~~~~",
		},
		{
			name: "syntax error", expr: `clv > `,
			line: 1, col: 5, msg: "unexpected token EOF",
			snippet: "  clv >\n      ^",
		},
		{
			name: "type mismatch", expr: `clv > "a lot"`,
			line: 1, col: 5, msg: "mismatched types float64 and string",
			snippet: "  clv > \"a lot\"\n      ^",
		},
		{
			name: "not a condition", expr: `clv + 1`,
			line: 1, col: 1, msg: "must be a condition that is true or false, but it yields a number (float)",
			snippet: "  clv + 1\n  ^~~~~~~",
		},
		{
			name: "caret counts wide characters twice", expr: `city == "上海" && cty == "x"`,
			line: 1, col: 17, msg: `unknown field "cty"`, suggestion: "city",
			snippet: "  city == \"上海\" && cty == \"x\"\n                    ^~~",
		},
		{
			name: "empty", expr: "  ",
			line: 1, col: 1, msg: "empty expression",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile(tc.expr)
			if err == nil {
				t.Fatalf("Compile(%q) = %v, want error", tc.expr, p)
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("kind = %s, want invalid: %v", apperr.KindOf(err), err)
			}
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("no *CompileError in %v", err)
			}
			if ce.Line != tc.line || ce.Column != tc.col {
				t.Errorf("position = %d:%d, want %d:%d", ce.Line, ce.Column, tc.line, tc.col)
			}
			if !strings.Contains(ce.Message, tc.msg) {
				t.Errorf("message = %q, want it to contain %q", ce.Message, tc.msg)
			}
			if tc.snippet != "" && ce.Snippet != tc.snippet {
				t.Errorf("snippet =\n%s\nwant\n%s", ce.Snippet, tc.snippet)
			}
			if ce.Suggestion != tc.suggestion {
				t.Errorf("suggestion = %q, want %q", ce.Suggestion, tc.suggestion)
			}
			for _, f := range []string{"rfm.segment", "affinity", "consent.email", "clv", "days_since_last_purchase"} {
				if !slices.Contains(ce.Known, f) {
					t.Errorf("known fields lack %q: %v", f, ce.Known)
				}
			}
			// The one-line form a user sees carries all of it.
			s := err.Error()
			for _, want := range []string{"known fields: ", tc.snippet, tc.msg} {
				if !strings.Contains(s, want) {
					t.Errorf("error text lacks %q:\n%s", want, s)
				}
			}
			if tc.suggestion != "" && !strings.Contains(s, `did you mean "`+tc.suggestion+`"?`) {
				t.Errorf("error text lacks the suggestion:\n%s", s)
			}
		})
	}
}

func TestCompileAcceptsDocumentedExamples(t *testing.T) {
	for _, src := range []string{
		`rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200`,
		`"vip" in tags || attrs["tier"] == "gold"`,
		`(attrs["points"] ?? 0) > 1000`,
		`lifecycle == "at_risk" and days_since_last_purchase between 60 and 180` + ``,
		`language == "zh" && city in ["上海", "杭州"] && consent.wechat`,
		`any(interests, # in ["photography", "travel"]) && age >= 25 && age < 35`,
		`brand_affinity["canon"] >= 0.5 || price_band == "premium"`,
		`expected_next_purchase_days >= 0 && expected_next_purchase_days <= 7 && p_alive > 0.6`,
		`rfm.r >= 4 && rfm.f >= 4 && rfm.score matches "^[45][45]"`,
	} {
		t.Run(src, func(t *testing.T) {
			_, err := Compile(src)
			if strings.Contains(src, "between") {
				// expr has no "between": the error must say where.
				var ce *CompileError
				if !errors.As(err, &ce) || ce.Column < 30 {
					t.Fatalf("want a positioned error for %q, got %v", src, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestExpressionLengthBound(t *testing.T) {
	src := "clv > 1" + strings.Repeat(" || clv > 1", MaxExpressionLen/10)
	_, err := Compile(src)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "the limit is") {
		t.Fatalf("long expression: %v", err)
	}
}

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"clv", "clvv", 1}, {"segmnt", "segment", 1}, {"kitten", "sitting", 3}, {"上海", "上海市", 1}} {
		if got := levenshtein(tc.a, tc.b); got != tc.d {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}
