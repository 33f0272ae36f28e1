package segment

import (
	"errors"
	"fmt"
	"github.com/rivo/uniseg"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/vm"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// MaxExpressionLen bounds the source of one expression; a segment is a
// condition, not a program, and the bound keeps a stored row small.
const MaxExpressionLen = 4096

// maxNodes bounds the parsed tree so that a pathological expression fails
// at compile time instead of slowing every evaluation.
const maxNodes = 2000

// Program is a compiled, type-checked segment expression. It is safe for
// concurrent use; each goroutine evaluates with its own vm.VM.
type Program struct {
	Source string
	prog   *vm.Program
	keys   []MapKey
}

// MapKey is a constant key an expression looks up in one of the map
// fields (affinity["camera"], attrs.tier). A key no customer has is almost
// always a typo that makes a segment silently empty, so Preview warns.
type MapKey struct {
	Field string // affinity, brand_affinity or attrs
	Key   string
}

// mapKeys collects the constant keys looked up in the map fields.
type mapKeys struct{ keys []MapKey }

func (v *mapKeys) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	if !ok || (id.Value != "affinity" && id.Value != "brand_affinity" && id.Value != "attrs") {
		return
	}
	if key, ok := m.Property.(*ast.StringNode); ok {
		k := MapKey{Field: id.Value, Key: key.Value}
		if !slices.Contains(v.keys, k) {
			v.keys = append(v.keys, k)
		}
	}
}

// MapKeys returns the constant keys the expression looks up in map fields.
func (p *Program) MapKeys() []MapKey { return p.keys }

// CompileError says where and why an expression does not compile. It is
// the cause of the apperr.Invalid error Compile returns.
type CompileError struct {
	Line       int      `json:"line"`   // 1-based
	Column     int      `json:"column"` // 1-based, in characters
	Message    string   `json:"message"`
	Snippet    string   `json:"snippet"`              // the offending line and a caret under the position
	Suggestion string   `json:"suggestion,omitempty"` // nearest known field to a misspelt one
	Known      []string `json:"known_fields"`
}

func (e *CompileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s at %d:%d", e.Message, e.Line, e.Column)
	if e.Snippet != "" {
		b.WriteString("\n" + e.Snippet)
	}
	if e.Suggestion != "" {
		fmt.Fprintf(&b, "\ndid you mean %q?", e.Suggestion)
	}
	b.WriteString("\nknown fields: " + strings.Join(e.Known, ", "))
	return b.String()
}

// Compile parses and type-checks expression against Record. The result
// must be boolean. A bad expression yields an apperr.Invalid error whose
// cause is a *CompileError (reach it with errors.As).
func Compile(expression string) (*Program, error) {
	src := strings.TrimSpace(expression)
	if src == "" {
		return nil, invalid(&CompileError{Line: 1, Column: 1,
			Message: `empty expression: write a condition such as rfm.segment == "champions" && consent.email`,
			Known:   fieldPaths("*")}, src)
	}
	if len(src) > MaxExpressionLen {
		return nil, invalid(&CompileError{Line: 1, Column: 1,
			Message: fmt.Sprintf("expression is %d bytes; the limit is %d", len(src), MaxExpressionLen),
			Known:   fieldPaths("*")}, src)
	}
	prog, err := expr.Compile(src, expr.Env(Record{}), expr.AsBool(), expr.MaxNodes(maxNodes))
	if err != nil {
		return nil, invalid(compileError(src, err), src)
	}
	node := prog.Node()
	var keys mapKeys
	ast.Walk(&node, &keys)
	return &Program{Source: src, prog: prog, keys: keys.keys}, nil
}

func invalid(ce *CompileError, src string) error {
	return &apperr.Error{Kind: apperr.Invalid, Msg: "segment expression " + quoteShort(src), Err: ce}
}

func quoteShort(s string) string {
	if utf8.RuneCountInString(s) > 60 {
		r := []rune(s)
		s = string(r[:57]) + "…"
	}
	return fmt.Sprintf("%q", s)
}

var (
	reUnknownName = regexp.MustCompile(`^unknown name ([\p{L}\p{N}_$]+)`)
	reNoField     = regexp.MustCompile(`^type ([\w.*\[\]]+) has no (?:field|method) ([\p{L}\p{N}_$]+)`)
	reExpected    = regexp.MustCompile(`^expected bool, but got (\S+)`)
	reGoType      = regexp.MustCompile(`\bsegment\.(Record|RFM|Consent)\b`)
)

// compileError turns expr's error into ours: expression vocabulary instead
// of Go type names, a 1-based position, a caret and suggestions.
func compileError(src string, err error) *CompileError {
	ce := &CompileError{Line: 1, Column: 1, Known: fieldPaths("*")}
	from, to := 0, 0
	var fe *file.Error
	if errors.As(err, &fe) {
		ce.Message = fe.Message
		if fe.Snippet != "" || fe.Line > 0 {
			ce.Line, ce.Column = max(fe.Line, 1), fe.Column+1
			from, to = fe.From, fe.To
		}
	} else {
		ce.Message = err.Error()
	}
	switch {
	case reUnknownName.MatchString(ce.Message):
		name := reUnknownName.FindStringSubmatch(ce.Message)[1]
		ce.Message = fmt.Sprintf("unknown field %q", name)
		ce.Suggestion = suggest(name, "")
	case reNoField.MatchString(ce.Message):
		m := reNoField.FindStringSubmatch(ce.Message)
		parent := structPath(m[1])
		ce.Message = fmt.Sprintf("%s has no field %q (it has %s)", parent, m[2], strings.Join(fieldPaths(parent), ", "))
		if s := suggest(m[2], parent); s != "" {
			ce.Suggestion = s
		}
	case reExpected.MatchString(ce.Message):
		got := reExpected.FindStringSubmatch(ce.Message)[1]
		ce.Message = fmt.Sprintf("the expression must be a condition that is true or false, but it yields %s; compare it, e.g. clv > 200", exprType(got))
		from, to = 0, utf8.RuneCountInString(src)
	default:
		ce.Message = reGoType.ReplaceAllStringFunc(ce.Message, func(s string) string { return structPath(s) })
	}
	ce.Snippet = snippet(src, ce.Line, ce.Column, max(1, to-from))
	return ce
}

// structPath names a struct type of the environment by its path in an
// expression: segment.RFM → "rfm", segment.Record → "the record".
func structPath(goType string) string {
	goType = strings.TrimPrefix(goType, "*")
	rt := reflect.TypeFor[Record]()
	if goType == rt.String() {
		return "the record"
	}
	for i := 0; i < rt.NumField(); i++ {
		if f := rt.Field(i); f.Type.Kind() == reflect.Struct && f.Type.String() == goType {
			return f.Tag.Get("expr")
		}
	}
	return goType
}

func exprType(goType string) string {
	switch goType {
	case "float64":
		return "a number (float)"
	case "int":
		return "a number (int)"
	case "string":
		return "text (string)"
	case "interface", "interface {}":
		return "a value of unknown type"
	}
	return goType
}

// snippet renders the line of src holding the error and a caret under
// column (1-based, in characters), spanning n characters. East Asian wide
// characters take two cells, so the caret is placed by display width.
func snippet(src string, line, column, n int) string {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	text := strings.ReplaceAll(lines[line-1], "\t", " ")
	runes := []rune(text)
	col := min(max(column-1, 0), len(runes))
	pad := uniseg.StringWidth(string(runes[:col]))
	end := min(col+n, len(runes))
	span := 1
	if end > col {
		span = max(1, uniseg.StringWidth(string(runes[col:end])))
	}
	return "  " + text + "\n  " + strings.Repeat(" ", pad) + "^" + strings.Repeat("~", span-1)
}

// suggest returns the known field nearest to name under parent ("" = top
// level), or "" when nothing is close. A top-level name that is the leaf of
// a nested field ("segment") suggests the full path ("rfm.segment").
func suggest(name, parent string) string {
	lname := strings.ToLower(name)
	best, bestD := "", 1<<30
	for _, cand := range fieldPaths(parent) {
		d := levenshtein(lname, cand)
		if d < bestD {
			best, bestD = cand, d
		}
	}
	if parent == "" {
		for _, full := range fieldPaths("*") {
			if i := strings.LastIndexByte(full, '.'); i >= 0 {
				if d := levenshtein(lname, full[i+1:]); d < bestD {
					best, bestD = full, d
				}
			}
		}
		if camel := camelToSnake(name); camel != lname {
			for _, cand := range fieldPaths("") {
				if cand == camel {
					return cand
				}
			}
		}
	}
	limit := max(2, utf8.RuneCountInString(name)/3)
	if best == "" || bestD > limit {
		return ""
	}
	if parent != "" {
		return parent + "." + best
	}
	return best
}

// nearest returns the candidate closest to name within a third of its
// length (at least 2 edits), or "".
func nearest(name string, candidates []string) string {
	best, bestD := "", 1<<30
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(name), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD > max(2, utf8.RuneCountInString(name)/3) {
		return ""
	}
	return best
}

// camelToSnake maps the Go-style spelling users often type (pAlive,
// PriceBand) to ours.
func camelToSnake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// levenshtein is the edit distance between a and b, counting runes.
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
