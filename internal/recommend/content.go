package recommend

import (
	"math"
	"strings"
	"unicode"
)

// Tokens splits product text into features: lower-cased words for
// alphabetic scripts and overlapping character bigrams for Chinese,
// Japanese and Korean runs (which have no spaces; a single CJK character
// stands alone). Digits-only words and one-letter words carry no meaning in
// product titles and are dropped, as are a few English stop words.
func Tokens(s string) []string {
	var out []string
	var word []rune
	var cjk []rune
	flushWord := func() {
		if len(word) > 1 {
			w := string(word)
			if !stopWords[w] && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				out = append(out, w)
			}
		}
		word = word[:0]
	}
	flushCJK := func() {
		switch {
		case len(cjk) == 1:
			out = append(out, string(cjk))
		case len(cjk) > 1:
			for i := 0; i+1 < len(cjk); i++ {
				out = append(out, string(cjk[i:i+2]))
			}
		}
		cjk = cjk[:0]
	}
	for _, r := range s {
		switch {
		case isCJK(r):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushCJK()
			word = append(word, unicode.ToLower(r))
		default:
			flushWord()
			flushCJK()
		}
	}
	flushWord()
	flushCJK()
	return out
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

var stopWords = map[string]bool{"of": true, "the": true, "and": true, "in": true, "with": true, "for": true, "a": true, "an": true, "to": true, "on": true, "set": false}

// productFeatures are the weighted raw features of one product: text words
// and bigrams, whole category levels, tags and brand, and for SKUs that
// start with digits (as in Online Retail, where related designs share a
// prefix) the three-digit SKU family.
func productFeatures(p *catalogView) map[string]float64 {
	f := map[string]float64{}
	for _, t := range Tokens(p.title) {
		f["w:"+t] += 1
	}
	if p.description != p.title {
		for _, t := range Tokens(p.description) {
			f["w:"+t] += 0.5
		}
	}
	for _, c := range p.categories {
		f["c:"+strings.ToLower(c)] += 2
	}
	for _, t := range p.tags {
		f["t:"+strings.ToLower(t)] += 1
	}
	if p.brand != "" {
		f["b:"+strings.ToLower(p.brand)] += 1
	}
	if len(p.sku) >= 4 && isDigits(p.sku[:3]) {
		f["s:"+p.sku[:3]] += 1
	}
	return f
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

type catalogView struct {
	sku, title, description, brand string
	categories, tags               []string
}

type posting struct {
	item int32
	w    float32
}

// content is TF-IDF cosine over product features. It needs no behaviour,
// so new items are recommended as soon as they are in the catalog.
type content struct {
	ts       *trainSet
	vecs     [][]posting // by item: (feature, weight), L2-normalised
	postings [][]posting // by feature: (item, weight)
	hist     []float32   // per user-item pair: recency weight
}

// trainContent builds the item vectors; hist are the recency weights of the
// customer-item pairs that build a customer's profile.
func trainContent(ts *trainSet, hist []float32) *content {
	d := ts.d
	n := d.NumItems()
	feats := make([]map[string]float64, n)
	df := map[string]int{}
	for i := range feats {
		p := &d.Products[i]
		title := p.Title
		if title == "" {
			title = p.Description
		}
		feats[i] = productFeatures(&catalogView{sku: p.SKU, title: title, description: p.Description, brand: p.Brand, categories: p.CategoryPath(), tags: p.Tags})
		for t := range feats[i] {
			df[t]++
		}
	}
	fid := map[string]int32{}
	for _, t := range sortedKeys(df) {
		fid[t] = int32(len(fid))
	}
	c := &content{ts: ts, vecs: make([][]posting, n), postings: make([][]posting, len(fid)), hist: hist}
	for i, fs := range feats {
		var v []posting
		var norm float64
		for _, t := range sortedKeys(fs) {
			if df[t] < 2 {
				continue // a feature of one product links it to nothing
			}
			w := (1 + math.Log(fs[t])) * math.Log(float64(n)/float64(df[t]))
			if w <= 0 {
				continue
			}
			v = append(v, posting{fid[t], float32(w)})
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for k := range v {
			v[k].w /= float32(norm)
			c.postings[v[k].item] = append(c.postings[v[k].item], posting{int32(i), v[k].w})
		}
		c.vecs[i] = v
	}
	return c
}

func (c *content) name() string { return SourceContent }

// score is the cosine between each item and the customer's profile: the
// recency-weighted sum of the vectors of what she interacted with.
func (c *content) score(u int32, out []float32, s *scratch) {
	clear(out)
	if u < 0 || int(u) >= c.ts.ui.Rows {
		return
	}
	prof := s.profile(len(c.postings))
	a, b := c.ts.ui.Ptr[u], c.ts.ui.Ptr[u+1]
	for x := a; x < b; x++ {
		w := c.hist[x]
		for _, p := range c.vecs[c.ts.ui.Ind[x]] {
			if prof.v[p.item] == 0 {
				prof.touched = append(prof.touched, p.item)
			}
			prof.v[p.item] += w * p.w
		}
	}
	var norm float32
	for _, t := range prof.touched {
		norm += prof.v[t] * prof.v[t]
	}
	if norm == 0 {
		return
	}
	inv := 1 / float32(math.Sqrt(float64(norm)))
	for _, t := range prof.touched {
		w := prof.v[t] * inv
		prof.v[t] = 0
		for _, p := range c.postings[t] {
			out[p.item] += w * p.w
		}
	}
	prof.touched = prof.touched[:0]
}

// similar returns the cosine of two items' content vectors.
func (c *content) similar(i, j int32) float32 {
	a, b := c.vecs[i], c.vecs[j]
	var s float32
	for x, y := 0, 0; x < len(a) && y < len(b); {
		switch {
		case a[x].item == b[y].item:
			s += a[x].w * b[y].w
			x++
			y++
		case a[x].item < b[y].item:
			x++
		default:
			y++
		}
	}
	return s
}

// because returns the history item most similar in content to j.
func (c *content) because(u int32, j int32) (int32, bool) {
	best, bestS := int32(-1), float32(0)
	ind, _ := c.ts.ui.row(int(u))
	for _, i := range ind {
		if s := c.similar(i, j); s > bestS && i != j {
			best, bestS = i, s
		}
	}
	return best, best >= 0
}

// scratch holds per-goroutine buffers so scoring allocates nothing.
type scratch struct {
	prof    *profileBuf
	user    *userBuf
	comp    [][]float32
	scale   []float32 // per component: 1/max score, from blendScores
	blend   []float32
	exclude []bool
	excl    []int32 // indices of the excluded items, from blendScores
}

type profileBuf struct {
	v       []float32
	touched []int32
}

func (s *scratch) profile(n int) *profileBuf {
	if s.prof == nil || len(s.prof.v) < n {
		s.prof = &profileBuf{v: make([]float32, n)}
	}
	return s.prof
}
