// Package adlaw checks marketing copy against advertising law: China's
// Advertising Law (absolute terms, authority, medical and efficacy claims,
// guaranteed returns, education guarantees), price-fraud rules, and FTC
// practice for English copy.
//
// The lexicon is our own versioned data (lexicon/*.tsv, embedded). Text is
// normalised with an offset map (see normalizer) so that evasions such as
// 最 佳, ＮＯ．１ or traditional characters still match, and findings carry
// byte offsets into the original text. One Aho-Corasick automaton holds all
// terms and allow-list forms; matches are resolved leftmost-longest, so a
// context form (第一次) wins over the bare term it contains (第一).
package adlaw

import (
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/BobuSumisu/aho-corasick"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

// Verdict is the outcome of a check.
type Verdict string

// Verdicts, in increasing order of severity.
const (
	Pass   Verdict = "pass"
	Review Verdict = "review"
	Block  Verdict = "block"
)

// Options select what a check applies.
type Options struct {
	// Lang is "zh", "en" or "" for both lexicons. A tag with a region or
	// script (zh-CN, en_US) counts as its language; any other language
	// gets both lexicons, so unknown input is checked rather than passed.
	Lang string
	// Category is the catalog category of the product the copy is about;
	// category gates may permit some terms for it (e.g. efficacy claims for
	// registered special cosmetics).
	Category string
}

// Finding is one matched term. Start and End are byte offsets into the
// original text; MatchedText is text[Start:End].
type Finding struct {
	Term        string `json:"term"`
	MatchedText string `json:"matched_text"`
	Start       int    `json:"start"`
	End         int    `json:"end"`
	Lang        string `json:"lang"`
	Category    string `json:"category"`
	Severity    string `json:"severity"`
	LawRef      string `json:"law_ref"`
	Explanation string `json:"explanation"`
	Suggestion  string `json:"suggestion"`
}

// Report is the result of a check.
type Report struct {
	Verdict  Verdict   `json:"verdict"`
	Findings []Finding `json:"findings"`
	// Permitted are terms that matched but are allowed for Options.Category
	// by a category gate; they do not affect the verdict.
	Permitted      []Finding `json:"permitted,omitempty"`
	LexiconVersion string    `json:"lexicon_version"`
	// Category is Options.Category, the category the text names as the
	// one that permitted findings.
	Category string `json:"-"`
}

// Settings configure a Checker beyond the lexicon.
type Settings struct {
	// Gates maps a lexicon category to the product categories for which its
	// terms are permitted.
	Gates map[string][]string
	// Allow adds context forms (e.g. registered brand names).
	Allow []string
	// TradToSimp folds traditional characters before matching.
	TradToSimp bool
}

// SettingsFrom maps the configuration section to Settings.
func SettingsFrom(c config.AdLaw) Settings {
	return Settings{Gates: c.CategoryGates, Allow: c.Allow, TradToSimp: c.TradToSimp}
}

// pattern is one distinct normalised string in the automaton.
type pattern struct {
	entries []int   // indexes into Checker.entries; empty for a pure allow form
	allow   langSet // languages for which this is an allow form
	// wordStart/wordEnd: the pattern begins/ends with an ASCII letter or
	// digit, so it needs a word boundary there.
	wordStart, wordEnd bool
	length             int
}

// Checker checks text against a lexicon. It is safe for concurrent use.
type Checker struct {
	version  string
	entries  []Entry
	patterns []pattern
	trie     *ahocorasick.Trie
	norm     normalizer
	gates    map[string]map[string]bool
	scratch  sync.Pool
}

type scratch struct {
	n     normalized
	cands []cand
}

type cand struct {
	start, end int // normalised byte offsets
	pat        int
}

// New builds a Checker from a lexicon and settings.
func New(lx Lexicon, s Settings) (*Checker, error) {
	c := &Checker{version: lx.Version, entries: lx.Entries, gates: map[string]map[string]bool{}}
	if s.TradToSimp {
		c.norm.t2s = t2sTable()
	}
	for cat, prods := range s.Gates {
		m := map[string]bool{}
		for _, p := range prods {
			m[p] = true
		}
		c.gates[cat] = m
	}
	index := map[string]int{}
	add := func(term string) (int, error) {
		key := c.norm.foldTerm(term)
		key = strings.TrimSpace(key)
		if key == "" {
			return 0, apperr.New(apperr.Invalid, "lexicon term %q is empty after normalisation", term)
		}
		if i, ok := index[key]; ok {
			return i, nil
		}
		index[key] = len(c.patterns)
		c.patterns = append(c.patterns, pattern{
			wordStart: isWordByte(key[0]), wordEnd: isWordByte(key[len(key)-1]), length: len(key),
		})
		return len(c.patterns) - 1, nil
	}
	for i, e := range lx.Entries {
		p, err := add(e.Term)
		if err != nil {
			return nil, err
		}
		c.patterns[p].entries = append(c.patterns[p].entries, i)
	}
	allow := func(term, lang string) error {
		p, err := add(term)
		if err != nil {
			return err
		}
		c.patterns[p].allow |= langBit(lang)
		return nil
	}
	for _, a := range lx.Allow {
		if err := allow(a.Term, a.Lang); err != nil {
			return nil, err
		}
	}
	for _, a := range s.Allow {
		if err := allow(a, ""); err != nil {
			return nil, err
		}
	}
	keys := make([]string, len(c.patterns))
	for k, i := range index {
		keys[i] = k
	}
	c.trie = ahocorasick.NewTrieBuilder().AddStrings(keys).Build()
	c.scratch.New = func() any { return &scratch{} }
	return c, nil
}

// Default returns a Checker over the embedded lexicon with the default
// configuration.
func Default() (*Checker, error) {
	return FromConfig(config.Default().Compliance.AdLaw)
}

// FromConfig returns a Checker over the embedded lexicon configured by c.
func FromConfig(c config.AdLaw) (*Checker, error) {
	lx, err := DefaultLexicon()
	if err != nil {
		return nil, err
	}
	return New(lx, SettingsFrom(c))
}

// Version is the lexicon version.
func (c *Checker) Version() string { return c.version }

// Entries returns the lexicon entries (read-only).
func (c *Checker) Entries() []Entry { return c.entries }

func isWordByte(b byte) bool {
	return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
}

// langOK reports whether an entry or allow form of lang applies to a check
// in want ("" applies everything; an allow form of lang "" always applies).
func langOK(lang, want string) bool { return want == "" || lang == "" || lang == want }

// Check returns the verdict and findings for text.
func (c *Checker) Check(text string, opts Options) Report {
	rep := Report{Verdict: Pass, LexiconVersion: c.version, Category: opts.Category}
	if text == "" {
		return rep
	}
	opts.Lang = baseLang(opts.Lang)
	sc := c.scratch.Get().(*scratch)
	defer c.scratch.Put(sc)
	c.norm.normalize(text, &sc.n)
	buf := sc.n.buf
	cands := sc.cands[:0]
	c.trie.Walk(buf, func(end, n, p int64) bool {
		s, e := int(end-n+1), int(end+1)
		pt := &c.patterns[p]
		if pt.wordStart && s > 0 && isWordByte(buf[s-1]) {
			return true
		}
		if pt.wordEnd && e < len(buf) && isWordByte(buf[e]) {
			return true
		}
		if c.pick(pt, opts.Lang) < 0 && !c.allows(pt, opts.Lang) {
			return true
		}
		cands = append(cands, cand{start: s, end: e, pat: int(p)})
		return true
	})
	sc.cands = cands
	if len(cands) == 0 {
		return rep
	}
	// Leftmost-longest: earliest start first, longer first at equal start.
	slices.SortFunc(cands, func(a, b cand) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	last := 0
	for _, cd := range cands {
		if cd.start < last {
			continue
		}
		pt := &c.patterns[cd.pat]
		if c.allows(pt, opts.Lang) {
			last = cd.end
			continue
		}
		// A context form covers every term inside it, also when another
		// match starts before it (第一件原价: 第一件 is taken first, yet
		// 件原价 still covers 原价).
		if c.covered(cands, cd, opts.Lang) {
			continue
		}
		last = cd.end
		e := c.entries[c.pick(pt, opts.Lang)]
		os, oe := int(sc.n.start[cd.start]), int(sc.n.end[cd.end-1])
		f := Finding{
			Term: e.Term, MatchedText: text[os:oe], Start: os, End: oe, Lang: e.Lang,
			Category: e.Category, Severity: e.Severity, LawRef: e.LawRef,
			Explanation: e.Explanation, Suggestion: e.Suggestion,
		}
		if g := c.gates[e.Category]; g != nil && opts.Category != "" && g[opts.Category] {
			rep.Permitted = append(rep.Permitted, f)
			continue
		}
		rep.Findings = append(rep.Findings, f)
		switch {
		case e.Severity == SeverityBlock:
			rep.Verdict = Block
		case rep.Verdict == Pass:
			rep.Verdict = Review
		}
	}
	return rep
}

// covered reports whether an allow form among cands spans cd.
func (c *Checker) covered(cands []cand, cd cand, lang string) bool {
	for _, a := range cands {
		if a.start > cd.start {
			break // cands are sorted by start
		}
		if a.end >= cd.end && a != cd && c.allows(&c.patterns[a.pat], lang) {
			return true
		}
	}
	return false
}

// baseLang maps a language tag to the lexicon language it selects.
func baseLang(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	switch {
	case strings.EqualFold(tag, "zh"):
		return "zh"
	case strings.EqualFold(tag, "en"):
		return "en"
	}
	return ""
}

// pick returns the entry of pt that applies to lang, or -1.
func (c *Checker) pick(pt *pattern, lang string) int {
	for _, i := range pt.entries {
		if langOK(c.entries[i].Lang, lang) {
			return i
		}
	}
	return -1
}

func (c *Checker) allows(pt *pattern, lang string) bool {
	if pt.allow == 0 {
		return false
	}
	return lang == "" || pt.allow&(langAny|langBit(lang)) != 0
}

// langSet is a set of languages as bits, so the per-match test needs no
// map: langAny for forms of every language, then zh, en and any other.
type langSet uint8

const (
	langAny langSet = 1 << iota
	langZH
	langEN
	langOther
)

func langBit(lang string) langSet {
	switch lang {
	case "":
		return langAny
	case "zh":
		return langZH
	case "en":
		return langEN
	}
	return langOther
}
