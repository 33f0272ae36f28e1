package insight

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Segment map names.
const (
	MapGrid       = "grid"        // the 10-cell R×F grid of the Python RFM recipes
	MapRFMPackage = "rfm-package" // the rule table of the R rfm package
)

// SegmentRule is one rule of a segment map. A rule matches when every set
// range holds (R, F and M are "lo-hi" or a single digit; empty matches
// all) and, when Pattern is set, the regular expression matches the
// three-digit "RFM" score string. The first matching rule wins.
type SegmentRule struct {
	Name    string `yaml:"name" json:"name"`
	R       string `yaml:"r,omitempty" json:"r,omitempty"`
	F       string `yaml:"f,omitempty" json:"f,omitempty"`
	M       string `yaml:"m,omitempty" json:"m,omitempty"`
	Pattern string `yaml:"pattern,omitempty" json:"pattern,omitempty"`
}

// SegmentMap is an ordered list of rules; customers no rule matches are
// in Default ("others" when empty).
type SegmentMap struct {
	Rules   []SegmentRule
	Default string
}

// GridMap is the 10-cell grid over the R and F scores used across the
// Python ecosystem: a regex map applied to the "RF" string
// (r'[1-2][1-2]': hibernating, r'[1-2][3-4]': at_risk, r'[1-2]5':
// cant_loose, r'3[1-2]': about_to_sleep, r'33': need_attention,
// r'[3-4][4-5]': loyal_customers, r'41': promising, r'51': new_customers,
// r'[4-5][2-3]': potential_loyalists, r'5[4-5]': champions). The ten
// cells partition the 25 R×F combinations, so no customer is "others".
func GridMap() SegmentMap {
	rule := func(name, r, f string) SegmentRule { return SegmentRule{Name: name, R: r, F: f} }
	return SegmentMap{Rules: []SegmentRule{
		rule("hibernating", "1-2", "1-2"),
		rule("at_risk", "1-2", "3-4"),
		rule("cant_loose", "1-2", "5"),
		rule("about_to_sleep", "3", "1-2"),
		rule("need_attention", "3", "3"),
		rule("loyal_customers", "3-4", "4-5"),
		rule("promising", "4", "1"),
		rule("new_customers", "5", "1"),
		rule("potential_loyalists", "4-5", "2-3"),
		rule("champions", "5", "4-5"),
	}, Default: "others"}
}

// RFMPackageMap is the rule table documented with rfm_segment() of the R
// rfm package (its README, examples and tests up to 0.2.x), in its order,
// first match wins, else "others". Names are the R names in snake case:
//
//	segment              R    F    M
//	champions            4-5  4-5  4-5
//	loyal_customers      2-5  3-5  3-5
//	potential_loyalist   3-5  1-3  1-3
//	new_customers        4-5  1    1
//	promising            3-4  1    1
//	need_attention       2-3  2-3  2-3
//	about_to_sleep       2-3  1-2  1-2
//	at_risk              1-2  2-5  2-5
//	cant_lose_them       1    4-5  4-5
//	lost                 1-2  1-2  1-2
func RFMPackageMap() SegmentMap {
	rule := func(name, r, f, m string) SegmentRule { return SegmentRule{Name: name, R: r, F: f, M: m} }
	return SegmentMap{Rules: []SegmentRule{
		rule("champions", "4-5", "4-5", "4-5"),
		rule("loyal_customers", "2-5", "3-5", "3-5"),
		rule("potential_loyalist", "3-5", "1-3", "1-3"),
		rule("new_customers", "4-5", "1", "1"),
		rule("promising", "3-4", "1", "1"),
		rule("need_attention", "2-3", "2-3", "2-3"),
		rule("about_to_sleep", "2-3", "1-2", "1-2"),
		rule("at_risk", "1-2", "2-5", "2-5"),
		rule("cant_lose_them", "1", "4-5", "4-5"),
		rule("lost", "1-2", "1-2", "1-2"),
	}, Default: "others"}
}

// compiledMap is a SegmentMap ready to apply: one lookup table over the
// 125 score combinations.
type compiledMap struct {
	names []string // names[(r-1)*25+(f-1)*5+(m-1)]
}

func (m compiledMap) segment(r, f, mm int) string {
	return m.names[(r-1)*25+(f-1)*5+(mm-1)]
}

// compile checks the rules and tabulates them.
func (sm SegmentMap) compile() (compiledMap, error) {
	type cr struct {
		name           string
		r, f, m        [2]int
		re             *regexp.Regexp
		rs, fs, ms, ps string
	}
	rules := make([]cr, len(sm.Rules))
	for i, r := range sm.Rules {
		if strings.TrimSpace(r.Name) == "" {
			return compiledMap{}, apperr.New(apperr.Invalid, "segment rule %d has no name", i+1)
		}
		c := cr{name: r.Name}
		var err error
		for _, p := range []struct {
			dst  *[2]int
			spec string
			dim  string
		}{{&c.r, r.R, "r"}, {&c.f, r.F, "f"}, {&c.m, r.M, "m"}} {
			if *p.dst, err = parseScoreRange(p.spec); err != nil {
				return compiledMap{}, apperr.New(apperr.Invalid, "segment rule %q: %s=%q: %v", r.Name, p.dim, p.spec, err)
			}
		}
		if r.Pattern != "" {
			if c.re, err = regexp.Compile(r.Pattern); err != nil {
				return compiledMap{}, apperr.New(apperr.Invalid, "segment rule %q: pattern %q: %v", r.Name, r.Pattern, err)
			}
		}
		rules[i] = c
	}
	def := sm.Default
	if def == "" {
		def = "others"
	}
	out := compiledMap{names: make([]string, 125)}
	in := func(v int, rg [2]int) bool { return v >= rg[0] && v <= rg[1] }
	for r := 1; r <= 5; r++ {
		for f := 1; f <= 5; f++ {
			for m := 1; m <= 5; m++ {
				name := def
				score := fmt.Sprintf("%d%d%d", r, f, m)
				for _, c := range rules {
					if in(r, c.r) && in(f, c.f) && in(m, c.m) && (c.re == nil || c.re.MatchString(score)) {
						name = c.name
						break
					}
				}
				out.names[(r-1)*25+(f-1)*5+(m-1)] = name
			}
		}
	}
	return out, nil
}

// parseScoreRange reads "", "3" or "2-5".
func parseScoreRange(s string) ([2]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return [2]int{1, 5}, nil
	}
	lo, hi, found := strings.Cut(s, "-")
	if !found {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	b, err2 := strconv.Atoi(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a < 1 || b > 5 || a > b {
		return [2]int{}, fmt.Errorf("want a score or a range within 1-5, like 4 or 2-5")
	}
	return [2]int{a, b}, nil
}

// Linspace returns n+1 evenly spaced points from 0 to 1 computed as numpy
// does (i*step, last point exactly 1), so quantile positions match pandas
// qcut bit for bit.
func linspace(n int) []float64 {
	step := 1 / float64(n)
	q := make([]float64, n+1)
	for i := range q {
		q[i] = float64(i) * step
	}
	q[n] = 1
	return q
}

// Quantile returns the q-quantile of sorted (ascending) values with linear
// interpolation, computed exactly as numpy.quantile(method="linear") does,
// including its two-sided lerp, so edges agree bit for bit.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return math.NaN()
	}
	vi := float64(n-1) * q
	if vi >= float64(n-1) {
		return sorted[n-1]
	}
	if vi < 0 {
		return sorted[0]
	}
	lo := math.Floor(vi)
	g := vi - lo
	a, b := sorted[int(lo)], sorted[int(lo)+1]
	diff := b - a
	if g >= 0.5 {
		return b - float64(diff*(1-g))
	}
	return a + float64(diff*g)
}

// QcutEdges returns the k+1 bin edges pandas.qcut(x, k) uses.
func QcutEdges(values []float64, k int) []float64 {
	sorted := slices.Clone(values)
	slices.Sort(sorted)
	qs := linspace(k)
	edges := make([]float64, len(qs))
	for i, q := range qs {
		edges[i] = Quantile(sorted, q)
	}
	return edges
}

// edgesUnique reports whether the edges strictly increase (pandas qcut
// raises "Bin edges must be unique" otherwise).
func edgesUnique(edges []float64) bool {
	for i := 1; i < len(edges); i++ {
		if !(edges[i] > edges[i-1]) {
			return false
		}
	}
	return true
}

// Bin returns the 1-based bin of v for right-closed bins over edges, the
// lowest bin including its left edge (pandas cut with include_lowest): bin
// i holds edges[i-1] < v <= edges[i]. Values outside the edges go to the
// nearest end bin (custom break points need not cover the data).
func Bin(edges []float64, v float64) int {
	k := len(edges) - 1
	// searchsorted(side="left"): first index with edges[i] >= v.
	i, _ := slices.BinarySearch(edges, v)
	switch {
	case i <= 0:
		return 1
	case i > k:
		return k
	}
	return i
}

// RankFirst returns 1-based ranks of values with ties broken by position,
// as pandas Series.rank(method="first") does.
func RankFirst(values []float64) []float64 {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case values[a] < values[b]:
			return -1
		case values[a] > values[b]:
			return 1
		}
		return 0
	})
	ranks := make([]float64, len(values))
	for r, i := range idx {
		ranks[i] = float64(r + 1)
	}
	return ranks
}

// Scoring says how one RFM dimension was scored.
type Scoring struct {
	// Method is "quantile" (pandas qcut on the values), "rank" (qcut on
	// rank(method="first")) or "breaks" (configured break points).
	Method string `json:"method"`
	// Edges are the bin edges in the unit of Method: the 6 quintile edges
	// of the values (quantile) or of the ranks (rank), or the 4 configured
	// inner edges (breaks; the outer bins are open-ended).
	Edges []float64 `json:"edges"`
	// Note explains a fallback, when one was taken.
	Note string `json:"note,omitempty"`
}

// Breaks are custom RFM break points: four ascending inner edges per
// dimension that replace the quintiles (recency in days, monetary in
// currency units, frequency in orders). Bins are right-closed, as in qcut.
type Breaks struct {
	Recency   []float64 `yaml:"recency,omitempty" json:"recency,omitempty"`
	Frequency []float64 `yaml:"frequency,omitempty" json:"frequency,omitempty"`
	Monetary  []float64 `yaml:"monetary,omitempty" json:"monetary,omitempty"`
}

// scoreDim scores values into 1..5 (reverse: 5 for the lowest values).
// rankFirst scores ranks instead of values (pandas' frequency recipe);
// breaks, when set, replace the quantiles. When quantile edges coincide
// (many ties), pandas qcut fails; instead the dimension is scored by rank
// and Note says so.
func scoreDim(values []float64, reverse, rankFirst bool, breaks []float64, dim string) ([]int, Scoring, error) {
	const k = 5
	var sc Scoring
	x := values
	switch {
	case len(breaks) > 0:
		if len(breaks) != k-1 || !edgesUnique(breaks) {
			return nil, sc, apperr.New(apperr.Invalid, "RFM %s break points %v: want %d strictly ascending values", dim, breaks, k-1)
		}
		sc = Scoring{Method: "breaks", Edges: append(append([]float64{math.Inf(-1)}, breaks...), math.Inf(1))}
	case rankFirst:
		x = RankFirst(values)
		sc = Scoring{Method: "rank", Edges: QcutEdges(x, k)}
	default:
		sc = Scoring{Method: "quantile", Edges: QcutEdges(x, k)}
		if !edgesUnique(sc.Edges) {
			note := fmt.Sprintf("quintile edges %v coincide (too many ties), so %s is scored by rank with ties broken by customer id", sc.Edges, dim)
			x = RankFirst(values)
			sc = Scoring{Method: "rank", Edges: QcutEdges(x, k), Note: note}
		}
	}
	scores := make([]int, len(x))
	for i, v := range x {
		s := Bin(sc.Edges, v)
		if reverse {
			s = k + 1 - s
		}
		scores[i] = s
	}
	if sc.Method == "breaks" {
		sc.Edges = slices.Clone(breaks)
	}
	return scores, sc, nil
}
