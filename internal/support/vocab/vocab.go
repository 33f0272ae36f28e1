// Package vocab holds the support assistant's vocabulary tables as data:
// the everyday words a customer uses for a need (who a gift is for, an
// activity, a place, a trouble, a constraint) and the catalog attributes
// that meet it (tags, category names, words of the product cards). The
// tables are embedded YAML so a shop's words are changed without code.
//
// Matching works on text already normalised by the caller (lower case,
// width-folded, Traditional Chinese folded to Simplified): a Han cue
// matches as a substring, a Latin cue at the start of a word, a cue ending
// in "*" with any ending and one without it with an optional plural s.
package vocab

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Kinds of need concept.
const (
	KindRecipient  = "recipient"  // who a gift is for
	KindActivity   = "activity"   // what she will do
	KindPlace      = "place"      // where she will be
	KindProblem    = "problem"    // a trouble to solve
	KindThing      = "thing"      // a thing she has or uses, context for a need
	KindKind       = "kind"       // a kind of product in words the titles lack
	KindConstraint = "constraint" // a quality the product must have
)

// Concept is one need and the catalog attributes that meet it.
type Concept struct {
	Name  string `yaml:"name"`
	Kind  string `yaml:"kind"`
	Label struct {
		Zh string `yaml:"zh"`
		En string `yaml:"en"`
	} `yaml:"label"`
	Cues struct {
		Zh []string `yaml:"zh"`
		En []string `yaml:"en"`
	} `yaml:"cues"`
	// Tags, Categories and Words are what a product meeting the need has:
	// one of its tags, a category path containing one of the names, or
	// one of the words in its title, description or selling points (a
	// Latin word at a word start, so "hydrat" is hydrating and hydration).
	Tags       []string `yaml:"tags"`
	Categories []string `yaml:"categories"`
	Words      []string `yaml:"words"`
	// Cheap asks for the lower price among products that fit equally.
	Cheap bool `yaml:"cheap"`
	// Scale, when set, replaces the weight of the concept's kind (a gift
	// says less of what to buy than who it is for).
	Scale float64 `yaml:"weight"`

	en []*regexp.Regexp
}

// Weight is how much a matched concept of this kind counts when products
// are ranked: a trouble or an activity decides the kind of product more
// than who it is for.
func (c Concept) Weight() float64 {
	if c.Scale > 0 {
		return c.Scale
	}
	switch c.Kind {
	case KindProblem, KindKind:
		return 3
	case KindActivity, KindPlace:
		return 2
	case KindConstraint:
		return 1.5
	default: // recipient, thing
		return 1
	}
}

// IsNeed reports whether the concept says what she needs (as against a
// constraint on it or the thing it is for).
func (c Concept) IsNeed() bool {
	return c.Kind != KindConstraint && c.Kind != KindThing
}

// LabelIn is the concept's label in lang ("zh" or "en").
func (c Concept) LabelIn(lang string) string {
	if lang == "zh" {
		return c.Label.Zh
	}
	return c.Label.En
}

// Table is a parsed vocabulary: need concepts, and the cues of asking for
// something (想要, "looking for"), of asking about a product's own facts (多少钱,
// "can I bring") and of what goes with a product she bought.
type Table struct {
	Concepts []Concept `yaml:"concepts"`
	Asks     Cues      `yaml:"asks"`
	About    Cues      `yaml:"about"`
	GoesWith Cues      `yaml:"goes_with"`
	Bridges  struct {
		Uses  []Bridge `yaml:"uses"`
		Needs []Bridge `yaml:"needs"`
	} `yaml:"bridges"`
}

// Bridge rewrites a customer's words (a regular expression) into the
// catalog's words for the search.
type Bridge struct {
	Re    string `yaml:"re"`
	Words string `yaml:"words"`

	re *regexp.Regexp
}

// Bridge rewrites q's words of uses and needs into the catalog's: every
// match of a bridge's expression is replaced by its words, the uses first,
// then the needs, each in table order.
func (t *Table) Bridge(q string) string {
	for _, b := range t.Bridges.Uses {
		q = b.re.ReplaceAllLiteralString(q, b.Words)
	}
	for _, b := range t.Bridges.Needs {
		q = b.re.ReplaceAllLiteralString(q, b.Words)
	}
	return q
}

// Cues are a phrase list per language.
type Cues struct {
	Zh []string `yaml:"zh"`
	En []string `yaml:"en"`

	en []*regexp.Regexp
}

//go:embed needs.yaml
var needsYAML []byte

// Needs returns the embedded need vocabulary, parsed once. The embedded
// file is checked by the package tests, so an error here is a build fault.
var Needs = sync.OnceValue(func() *Table {
	t, err := Parse(needsYAML)
	if err != nil {
		panic(err)
	}
	return t
})

// Parse reads a vocabulary table. It is Invalid input when a concept
// lacks a name, a known kind, cues or any catalog attribute.
func Parse(b []byte) (*Table, error) {
	var t Table
	if err := yaml.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("vocabulary: %w", err)
	}
	seen := map[string]bool{}
	for i := range t.Concepts {
		c := &t.Concepts[i]
		switch {
		case c.Name == "":
			return nil, fmt.Errorf("vocabulary: concept %d has no name", i+1)
		case seen[c.Name]:
			return nil, fmt.Errorf("vocabulary: concept %q is defined twice", c.Name)
		case !slices.Contains([]string{KindRecipient, KindActivity, KindPlace, KindProblem, KindThing, KindKind, KindConstraint}, c.Kind):
			return nil, fmt.Errorf("vocabulary: concept %q has unknown kind %q", c.Name, c.Kind)
		case len(c.Cues.Zh)+len(c.Cues.En) == 0:
			return nil, fmt.Errorf("vocabulary: concept %q has no cues", c.Name)
		case len(c.Tags)+len(c.Categories)+len(c.Words) == 0 && !c.Cheap:
			return nil, fmt.Errorf("vocabulary: concept %q maps to no catalog attribute", c.Name)
		case c.Label.Zh == "" || c.Label.En == "":
			return nil, fmt.Errorf("vocabulary: concept %q needs a zh and an en label", c.Name)
		}
		seen[c.Name] = true
		c.en = compile(c.Cues.En)
	}
	for _, bs := range [][]Bridge{t.Bridges.Uses, t.Bridges.Needs} {
		for i := range bs {
			re, err := regexp.Compile(bs[i].Re)
			if err != nil {
				return nil, fmt.Errorf("vocabulary: bridge %q: %w", bs[i].Re, err)
			}
			if strings.TrimSpace(bs[i].Words) == "" {
				return nil, fmt.Errorf("vocabulary: bridge %q has no words", bs[i].Re)
			}
			bs[i].re = re
		}
	}
	for _, cs := range []*Cues{&t.Asks, &t.About, &t.GoesWith} {
		cs.en = compile(cs.En)
	}
	return &t, nil
}

// compile turns Latin cues into word-start patterns.
func compile(cues []string) []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, c := range cues {
		c = strings.ToLower(strings.TrimSpace(c))
		if c == "" {
			continue
		}
		end := `(?:s|es)?\b`
		if strings.HasSuffix(c, "*") {
			c, end = strings.TrimSuffix(c, "*"), `\w*`
		}
		out = append(out, regexp.MustCompile(`\b`+regexp.QuoteMeta(c)+end))
	}
	return out
}

// Match returns the concepts whose cues the normalised text n has, in
// table order.
func (t *Table) Match(n string) []Concept {
	var out []Concept
	for _, c := range t.Concepts {
		if hit(n, c.Cues.Zh, c.en) {
			out = append(out, c)
		}
	}
	return out
}

// Has reports whether the normalised text n has one of the cues.
func (cs Cues) Has(n string) bool { return hit(n, cs.Zh, cs.en) }

func hit(n string, zh []string, en []*regexp.Regexp) bool {
	for _, w := range zh {
		if w != "" && strings.Contains(n, w) {
			return true
		}
	}
	for _, re := range en {
		if re.MatchString(n) {
			return true
		}
	}
	return false
}

// Fits reports how well a product with these attributes meets the
// concept: 1 for one of its tags or a category it names, 0.8 for one of
// its words in the product's normalised text, otherwise 0.
func (c Concept) Fits(tags []string, category, text string) float64 {
	for _, tg := range c.Tags {
		if slices.Contains(tags, tg) {
			return 1
		}
	}
	cat := strings.ToLower(category)
	for _, k := range c.Categories {
		if strings.Contains(cat, strings.ToLower(k)) {
			return 1
		}
	}
	for _, w := range c.Words {
		if wordIn(text, strings.ToLower(w)) {
			return 0.8
		}
	}
	return 0
}

// wordIn reports whether w is in text: a Han word anywhere, a Latin one
// at a word start.
func wordIn(text, w string) bool {
	if w == "" {
		return false
	}
	i := strings.Index(text, w)
	for i >= 0 {
		if !latin(w[0]) || i == 0 || !latin(text[i-1]) {
			return true
		}
		j := strings.Index(text[i+1:], w)
		if j < 0 {
			return false
		}
		i += 1 + j
	}
	return false
}

func latin(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }
