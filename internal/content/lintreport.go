package content

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// SkeletonLimit is the most a campaign's messages on one channel may share
// one sentence skeleton: above it, readers (and spam filters) see the
// same sentence over and over.
const SkeletonLimit = 0.15

// minSkeletonMessages is the fewest messages of a run on a channel whose
// skeleton shares are measured.
const minSkeletonMessages = 10

// LintReport is what the linter found over a set of items.
type LintReport struct {
	Items             int            `json:"items"`
	ItemsWithFindings int            `json:"items_with_findings"`
	Findings          int            `json:"findings"`
	ByCode            map[string]int `json:"by_code"`
	// Skeletons are, per run and channel, the sentence skeleton the most
	// messages share, and the share.
	Skeletons []SkeletonShare `json:"skeletons"`
	// MaxSkeletonShare is the largest of those shares.
	MaxSkeletonShare float64 `json:"max_skeleton_share"`
	// Worst are up to 20 items with the most findings.
	Worst []ItemLint `json:"worst,omitempty"`
	// Details are every item with findings, when asked for.
	Details []ItemLint `json:"details,omitempty"`
	// Unchecked counts items whose target could not be rebuilt.
	Unchecked int `json:"unchecked,omitempty"`
}

// SkeletonShare is the most used sentence skeleton of one run's messages
// on one channel.
type SkeletonShare struct {
	Run      string  `json:"run"`
	Channel  string  `json:"channel"`
	Messages int     `json:"messages"`
	Skeleton string  `json:"skeleton"`
	Count    int     `json:"count"`
	Share    float64 `json:"share"`
}

// ItemLint is one item's findings.
type ItemLint struct {
	ID       string    `json:"id"`
	Run      string    `json:"run,omitempty"`
	Unit     string    `json:"unit,omitempty"`
	Channel  string    `json:"channel"`
	Language string    `json:"language"`
	Findings []Finding `json:"findings"`
}

// LintItems lints every item against the target the caller rebuilds for
// it (ok false: the item is counted as unchecked) and measures sentence
// skeletons per run and channel (of ten messages or more). Details holds
// every item with findings; callers that keep the report trim it.
func LintItems(items []Item, target func(Item) (Target, bool)) LintReport {
	r := LintReport{ByCode: map[string]int{}}
	for _, c := range LintCodes {
		r.ByCode[c] = 0
	}
	type key struct{ run, channel string }
	msgs := map[key]int{}
	skel := map[key]map[string]int{}
	var all []ItemLint
	for _, it := range items {
		t, ok := target(it)
		if !ok {
			r.Unchecked++
			continue
		}
		r.Items++
		fs := t.Lint(it.Copy)
		if len(fs) > 0 {
			r.ItemsWithFindings++
			r.Findings += len(fs)
			for _, f := range fs {
				r.ByCode[f.Code]++
			}
			all = append(all, ItemLint{ID: it.ID, Run: it.RunID, Unit: it.UnitKey, Channel: it.Channel, Language: it.Language, Findings: fs})
		}
		k := key{it.RunID, it.Channel}
		msgs[k]++
		if skel[k] == nil {
			skel[k] = map[string]int{}
		}
		for _, s := range t.Skeletons(it.Copy) {
			skel[k][s]++
		}
	}
	for k, n := range msgs {
		if n < minSkeletonMessages {
			continue // too few messages for a share to mean anything
		}
		best, bestN := "", 0
		for s, c := range skel[k] {
			if c > bestN || (c == bestN && s < best) {
				best, bestN = s, c
			}
		}
		sh := SkeletonShare{Run: k.run, Channel: k.channel, Messages: n, Skeleton: best, Count: bestN, Share: float64(bestN) / float64(n)}
		r.Skeletons = append(r.Skeletons, sh)
		r.MaxSkeletonShare = max(r.MaxSkeletonShare, sh.Share)
	}
	slices.SortFunc(r.Skeletons, func(a, b SkeletonShare) int {
		return cmp.Or(cmp.Compare(a.Run, b.Run), cmp.Compare(a.Channel, b.Channel))
	})
	slices.SortStableFunc(all, func(a, b ItemLint) int {
		return cmp.Or(-cmp.Compare(len(a.Findings), len(b.Findings)), cmp.Compare(a.ID, b.ID))
	})
	r.Worst = all[:min(20, len(all))]
	r.Details = all
	return r
}

var (
	labelRe     = regexp.MustCompile(`\s*[(（][^()（）]{0,24}AI[^()（）]{0,24}[)）]`)
	zhDateRe    = regexp.MustCompile(`[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]`)
	enDateRe    = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+[0-9]{1,2}(?:st|nd|rd|th)?\b`)
	numberRe    = regexp.MustCompile(`[$¥￥€£]?[0-9][0-9,.]*\s*[%％]?`)
	maskRunRe   = regexp.MustCompile(`(?:∙\s*)+`)
	interestAll = func() []string {
		var ws []string
		for _, in := range lexicon.Interests() {
			ws = append(ws, in.ZH...)
			ws = append(ws, in.EN...)
		}
		return ws
	}()
)

// Skeletons are an item's sentences with their facts masked — product
// names and what it is, selling points, offer, dates, numbers, interests,
// occasions, brand, links, slots — so that two messages built on the
// same sentence have the same skeleton whatever they are about. The
// required elements (greeting, signature, opt-out, unsubscribe line, AI
// label) are left out: every message carries them by law or by form.
func (t Target) Skeletons(c Copy) []string {
	l := t.newLinter()
	facts := slices.Clone(l.exclude)
	facts = append(facts, l.info.Noun, t.Brief.OfferText(Zh), t.Brief.OfferText(En), t.Brief.Offer.Code)
	facts = append(facts, interestAll...)
	for _, o := range []string{"christmas", "easter", "halloween", "valentine", "mothers_day", "fathers_day", "new_year", "mid_autumn", "double11", "618", "black_friday", "back_to_school", "birthday"} {
		if oc, ok := lexicon.OccasionByKey(o); ok {
			facts = append(facts, oc.ZH...)
			facts = append(facts, oc.EN...)
			facts = append(facts, lexicon.OccasionName(o, En))
		}
	}
	sort.SliceStable(facts, func(i, j int) bool { return len(facts[i]) > len(facts[j]) })
	seen := map[string]bool{}
	var out []string
	for _, f := range t.Spec.Fields {
		if f.Array {
			continue
		}
		var kept []string
		lines := strings.Split(labelRe.ReplaceAllString(c.Field(f.Name), ""), "\n")
		for i, line := range lines {
			switch {
			case strings.Contains(line, "{{"): // the greeting, the unsubscribe line
			case t.signature(line):
			case i+1 < len(lines) && t.signature(lines[i+1]) && Runes(line) <= 20 && strings.HasSuffix(strings.TrimSpace(line), ","):
				// "Best wishes," over the brand
			default:
				kept = append(kept, line)
			}
		}
		for _, s := range sentenceRe.FindAllString(strings.Join(kept, "\n"), -1) {
			if t.boilerplate(s) {
				continue
			}
			sk := skeleton(s, facts)
			if sk == "" || seen[sk] {
				continue
			}
			seen[sk] = true
			out = append(out, sk)
		}
	}
	return out
}

// boilerplate: the required elements every message of a channel carries.
func (t Target) boilerplate(s string) bool {
	trim := strings.TrimSpace(s)
	switch {
	case trim == "":
		return true
	case strings.Contains(s, UnsubscribePlaceholder), strings.Contains(s, "{{"):
		return true // the unsubscribe line, the greeting
	case t.OptOut != "" && strings.TrimSpace(strings.TrimSuffix(trim, t.OptOut)) == "":
		return true
	case trim == "你好：" || strings.EqualFold(trim, "Hi there,"):
		return true
	}
	return t.signature(s)
}

// signature: a line of the brand and a few words (—— Lumen & Co, The
// Lumen & Co team).
func (t Target) signature(s string) bool {
	b := t.Voice.Brand
	return b != "" && strings.Contains(s, b) && Runes(strings.ReplaceAll(strings.TrimSpace(s), b, "")) <= 20
}

func skeleton(s string, facts []string) string {
	s = urlFindRe.ReplaceAllString(s, "∙")
	s = slotRe.ReplaceAllString(s, "∙")
	s = zhDateRe.ReplaceAllString(s, "∙")
	s = enDateRe.ReplaceAllString(s, "∙")
	for _, f := range facts {
		f = strings.TrimSpace(f)
		if Runes(f) < 2 {
			continue
		}
		s = replaceFoldWith(s, f, "∙")
	}
	s = numberRe.ReplaceAllString(s, "∙")
	s = maskRunRe.ReplaceAllString(s, "∙ ")
	var b strings.Builder
	letters := 0
	for _, r := range strings.ToLower(s) {
		switch {
		case r == '∙':
			b.WriteRune(r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
			letters++
		case unicode.IsSpace(r):
			b.WriteRune(' ')
		}
	}
	if letters == 0 {
		if !strings.Contains(s, "∙") {
			return "" // an emoji, a dash: no sentence
		}
		// only facts: its shape is the skeleton ("∙: ∙.")
		var sh strings.Builder
		for _, r := range s {
			if r == '∙' || unicode.IsPunct(r) {
				sh.WriteRune(r)
			}
		}
		return sh.String()
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// replaceFoldWith replaces every case-insensitive occurrence of old.
func replaceFoldWith(s, old, with string) string {
	ls, lo := strings.ToLower(s), strings.ToLower(old)
	if len(ls) != len(s) || !strings.Contains(ls, lo) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, lo)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(with)
		s, ls = s[i+len(lo):], ls[i+len(lo):]
	}
}

// LintStored lints the stored items of a run (every run when runID is
// ""), each against the target rebuilt from its run's brief and voice and
// its product. An unknown run is NotFound.
func (d Deps) LintStored(ctx context.Context, runID string) (LintReport, error) {
	if runID != "" {
		if _, err := d.Store.GetRun(ctx, runID); err != nil {
			return LintReport{}, err
		}
	}
	items, err := d.Store.ListItems(ctx, ItemFilter{RunID: runID})
	if err != nil {
		return LintReport{}, err
	}
	type key struct{ run, channel, lang, sku string }
	cache := map[key]Target{}
	var failed error
	rep := LintItems(items, func(it Item) (Target, bool) {
		k := key{it.RunID, it.Channel, it.Language, it.SKU}
		if t, ok := cache[k]; ok {
			t.Slots = it.Slots
			return t, true
		}
		t, err := d.TargetFor(ctx, it)
		if err != nil {
			if failed == nil && !apperr.Is(err, apperr.Invalid) {
				failed = err
			}
			return Target{}, false
		}
		cache[k] = t
		return t, true
	})
	return rep, failed
}
