package support

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
)

// Passage is one searchable unit: a product or a knowledge-base entry.
type Passage struct {
	Kind     string  `json:"kind"` // product, policy, review
	ID       string  `json:"id"`   // SKU or knowledge-base id
	Language string  `json:"language"`
	Title    string  `json:"title"`
	Text     string  `json:"text"`
	Topic    string  `json:"topic,omitempty"`
	Keywords string  `json:"keywords,omitempty"`
	SKU      string  `json:"sku,omitempty"`
	Score    float64 `json:"score"`
}

// Cite is the passage's citation.
func (p Passage) Cite() Citation { return Citation{Kind: p.Kind, ID: p.ID} }

// Index is the bilingual full-text index over the catalog and the
// knowledge base, held in memory and built from the store.
//
// Why in memory, rebuilt from the store, and not a file beside the
// database: with PostgreSQL several chorus processes share one store, and
// a Bleve index on disk can be opened by one process at a time; every
// process keeping its own copy, brought up to date from the store that
// they all write, keeps them all correct without a coordinator. The
// index holds only text; prices and stock are read from the store when an
// answer is composed, so they are never stale. Building it is what a
// process pays at start: about 0.1 s for the demo shop, 2 s of CPU for
// 10,000 products (BenchmarkIndexBuild and BenchmarkIndexBuild10k).
//
// Every text is indexed twice: with Bleve's CJK analyzer (width folding,
// lower case, overlapping bigrams, so 退货 in 七天无理由退货 is found) and
// with the English analyzer (stop words, Porter stemming: "returns" finds
// "return"). A query searches both.
//
// Index is safe for concurrent use.
type Index struct {
	mu      sync.RWMutex
	idx     bleve.Index
	docs    map[string]Passage // by bleve id
	version SourceVersion
	// seenProducts / seenDocs are the latest change times indexed; a sync
	// asks for changes from a little before them (see overlap).
	seenProducts, seenDocs time.Time
	lastFull               time.Time
	now                    func() time.Time
	// df counts, per language, the passages each term occurs in; n the
	// passages. They weight coverage (see coverage).
	df map[string]map[string]int
	n  map[string]int
	// vocab is, per language, the words of the knowledge base and of the
	// product titles: what a policy question may name (see UnknownWords).
	vocab map[string]map[string]bool
	// scripts folds a Traditional query to the Simplified of the texts
	scripts Scripts
	// texts remembers searchText of recent questions: an answer reads the
	// same question a few dozen times (each passage's coverage, the
	// unknown words), and the concepts' patterns are the costly part
	textMu sync.Mutex
	texts  map[string]string
	// latin counts the passages each Latin word (as written) occurs in,
	// in any language: the words a misspelt one is read as (see
	// correctWords); own are the assistant's own words, never corrected
	latin map[string]int
	own   map[string]bool
}

// maxTexts bounds the searchText memo; it is emptied when full.
const maxTexts = 4096

// searchText is the package's searchText, remembered.
func (ix *Index) searchText(q string) string {
	ix.textMu.Lock()
	st, ok := ix.texts[q]
	ix.textMu.Unlock()
	if ok {
		return st
	}
	ix.mu.RLock()
	latin := ix.latin
	ix.mu.RUnlock()
	// the concepts read the words as she wrote them (箱子压扁了), the
	// catalog its own (see nounSuffix)
	st = ix.nounSuffix(searchText(correctWords(normalize(q), latin, func(w string) bool { return ix.own[w] })))
	ix.textMu.Lock()
	if ix.texts == nil || len(ix.texts) >= maxTexts {
		ix.texts = map[string]string{}
	}
	ix.texts[q] = st
	ix.textMu.Unlock()
	return st
}

// nounSuffix reads an everyday noun with the suffix 子 (椅子, 杯子, 鞋子,
// 毯子) as the one character the catalog's titles use for it (月亮椅,
// 水杯, 小白鞋, 盖毯), when no title of the shop and no rule has the word
// with the suffix: 这把椅子承重多少 asks of a 椅, and no title says 椅子.
func (ix *Index) nounSuffix(n string) string {
	if !strings.Contains(n, "子") {
		return n
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	rs := []rune(n)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if r == '子' && i > 0 && unicode.Is(unicode.Han, rs[i-1]) && !functionHan[rs[i-1]] && ix.inTitle(string(rs[i-1])) && !ix.inTitle(string(rs[i-1:i+1])) && !ix.inRule(string(rs[i-1:i+1])) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// inRule reports whether a Chinese rule's text has w; ix.mu is held. A
// word the rules write with the suffix (电子发票) is their word, not an
// everyday noun for a product.
func (ix *Index) inRule(w string) bool {
	for _, p := range ix.docs {
		if p.Kind == CitePolicy && p.Language == Zh && strings.Contains(p.Text, w) {
			return true
		}
	}
	return false
}

// inTitle reports whether a Chinese product title has w; ix.mu is held.
func (ix *Index) inTitle(w string) bool {
	for _, p := range ix.docs {
		if p.Kind == CiteProduct && p.Language == Zh && strings.Contains(p.Title, w) {
			return true
		}
	}
	return false
}

// overlap re-reads changes this long before the latest one seen: on
// PostgreSQL a transaction that stamped an earlier time may commit after
// a later one was read. Re-indexing a document is idempotent.
const overlap = 2 * time.Minute

// rescanEvery bounds how long a late commit that changed neither count nor
// latest time can stay unseen.
const rescanEvery = time.Minute

// NewIndex returns an empty index; Sync fills it.
func NewIndex() (*Index, error) {
	ix := &Index{docs: map[string]Passage{}, now: time.Now}
	m, err := indexMapping()
	if err != nil {
		return nil, err
	}
	// scorch, Bleve's segment index, kept in memory (no path): an order of
	// magnitude faster to search than the default in-memory upsidedown
	// store on this workload
	ix.idx, err = bleve.NewUsing("", m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "create the search index")
	}
	return ix, nil
}

func indexMapping() (mapping.IndexMapping, error) {
	im := bleve.NewIndexMapping()
	doc := bleve.NewDocumentMapping()
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store = false
		f.IncludeTermVectors = false
		// no _all field and no doc values (we never sort or facet): each
		// would cost as much indexing as the field itself
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	for _, name := range []string{"title", "body", "keywords"} {
		doc.AddFieldMappingsAt(name+"_zh", text(cjk.AnalyzerName))
		doc.AddFieldMappingsAt(name+"_en", text(en.AnalyzerName))
	}
	kw := text(keyword.Name)
	doc.AddFieldMappingsAt("lang", kw)
	doc.AddFieldMappingsAt("kind", text(keyword.Name))
	im.DefaultMapping = doc
	im.DefaultAnalyzer = cjk.AnalyzerName
	return im, im.Validate()
}

type indexed struct {
	TitleZh    string `json:"title_zh"`
	TitleEn    string `json:"title_en"`
	BodyZh     string `json:"body_zh"`
	BodyEn     string `json:"body_en"`
	KeywordsZh string `json:"keywords_zh"`
	KeywordsEn string `json:"keywords_en"`
	Lang       string `json:"lang"`
	Kind       string `json:"kind"`
}

func docKey(kind, id, lang string) string {
	if kind == CiteProduct {
		return "product:" + id
	}
	return kind + ":" + id + ":" + lang
}

// ProductPassage is the searchable text of a product.
func ProductPassage(p catalog.Product) Passage {
	parts := []string{p.Title, p.Brand, strings.ReplaceAll(p.Category, catalog.CategorySep, " "), sanitize(p.Description)}
	parts = append(parts, p.SellingPoints...)
	lang := p.Language
	if lang != Zh && lang != En {
		lang = DetectLanguage(p.Title + " " + p.Description)
	}
	return Passage{Kind: CiteProduct, ID: p.SKU, SKU: p.SKU, Language: lang, Title: p.Title, Text: strings.Join(nonEmpty(parts), "\n"),
		Topic: strings.Join(p.Tags, " "), Keywords: strings.Join(p.Tags, " ")}
}

// DocPassage is the searchable text of a knowledge-base entry. Sentences
// that read as instructions to the assistant (see sanitize) are left out:
// they are never found, quoted or passed to a model.
func DocPassage(d Doc) Passage {
	return Passage{Kind: d.CiteKind(), ID: d.ID, Language: d.Language, Title: sanitize(d.Title), Text: sanitize(d.Body), Topic: d.Topic, SKU: d.SKU,
		Keywords: strings.Join(append([]string{d.Topic}, d.Keywords...), " ")}
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (ix *Index) put(b *bleve.Batch, p Passage, keywords string) error {
	key := docKey(p.Kind, p.ID, p.Language)
	ix.docs[key] = p
	return b.Index(key, indexed{TitleZh: p.Title, TitleEn: p.Title, BodyZh: p.Text, BodyEn: p.Text,
		KeywordsZh: keywords, KeywordsEn: keywords, Lang: p.Language, Kind: p.Kind})
}

// SyncStore is what Sync reads.
type SyncStore interface {
	SupportSourceVersion(ctx context.Context) (SourceVersion, error)
	ProductsDescribedSince(ctx context.Context, since time.Time) ([]catalog.Product, error)
	ListKBDocs(ctx context.Context, since time.Time) ([]Doc, error)
}

// Sync brings the index up to date with the store: one cheap version
// query when nothing changed; otherwise it re-indexes the products and
// entries changed since the last sync (from a little before, see
// overlap), removing deleted entries. It reports how many passages it
// (re)indexed.
func (ix *Index) Sync(ctx context.Context, st SyncStore) (int, error) {
	v, err := st.SupportSourceVersion(ctx)
	if err != nil {
		return 0, err
	}
	now := ix.now()
	ix.mu.RLock()
	same := v == ix.version && now.Sub(ix.lastFull) < rescanEvery
	sinceP, sinceD := ix.seenProducts, ix.seenDocs
	ix.mu.RUnlock()
	if same {
		return 0, nil
	}
	if !sinceP.IsZero() {
		sinceP = sinceP.Add(-overlap)
	}
	if !sinceD.IsZero() {
		sinceD = sinceD.Add(-overlap)
	}
	ps, err := st.ProductsDescribedSince(ctx, sinceP)
	if err != nil {
		return 0, err
	}
	ds, err := st.ListKBDocs(ctx, sinceD)
	if err != nil {
		return 0, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	b := ix.idx.NewBatch()
	n := 0
	for _, p := range ps {
		pp := ProductPassage(p)
		if err := ix.put(b, pp, pp.Keywords); err != nil {
			return 0, apperr.Wrap(err, apperr.Internal, "index product %s", p.SKU)
		}
		n++
	}
	for _, d := range ds {
		if d.UpdatedAt.After(ix.seenDocs) {
			ix.seenDocs = d.UpdatedAt
		}
		key := docKey(d.CiteKind(), d.ID, d.Language)
		if d.Deleted {
			delete(ix.docs, key)
			b.Delete(key)
			n++
			continue
		}
		dp := DocPassage(d)
		if err := ix.put(b, dp, dp.Keywords); err != nil {
			return 0, apperr.Wrap(err, apperr.Internal, "index entry %s", d.ID)
		}
		n++
	}
	if err := ix.idx.Batch(b); err != nil {
		return 0, apperr.Wrap(err, apperr.Internal, "update the search index")
	}
	if v.ProductsAt.After(ix.seenProducts) {
		ix.seenProducts = v.ProductsAt
	}
	if v.DocsAt.After(ix.seenDocs) {
		ix.seenDocs = v.DocsAt
	}
	ix.version, ix.lastFull = v, now
	if n > 0 {
		ix.countTerms()
	}
	return n, nil
}

// countTerms recomputes the document frequencies from the passages.
func (ix *Index) countTerms() {
	ix.df, ix.n, ix.vocab = map[string]map[string]int{}, map[string]int{}, map[string]map[string]bool{}
	ix.latin = map[string]int{}
	if ix.own == nil {
		ix.own = ownWords()
	}
	ix.textMu.Lock()
	ix.texts = nil // the words a question is read in may have changed
	ix.textMu.Unlock()
	for _, p := range ix.docs {
		seen := map[string]bool{}
		for _, w := range wordRuns(normalize(p.Title + " " + p.Text + " " + p.Keywords)) {
			if !seen[w] && hasLatin(w) {
				seen[w] = true
				ix.latin[w]++
			}
		}
		v := ix.vocab[p.Language]
		if v == nil {
			v = map[string]bool{}
			ix.vocab[p.Language] = v
		}
		text := p.Title + " " + p.Keywords
		if p.Kind != CiteProduct {
			text += " " + p.Text
		}
		for t := range termSet(text, p.Language) {
			v[t] = true
		}
		m := ix.df[p.Language]
		if m == nil {
			m = map[string]int{}
			ix.df[p.Language] = m
		}
		ix.n[p.Language]++
		for t := range termSet(p.Title+" "+p.Text+" "+p.Keywords, p.Language) {
			m[t]++
		}
	}
}

// coverage is how much of the question q a passage answers: the share
// of the question's terms it contains, each weighted by its inverse
// document frequency, so "warehouse" counts for more than "return". A Han
// bigram that no passage contains next to one that some passage does is
// the straddle of two words (买完降价 gives 完降 beside 降价) and is left
// out; any other term no passage contains weighs the most, since the shop
// has nothing on it.
func (ix *Index) coverage(q string, p Passage) float64 { return ix.coverageWithout(q, p, nil) }

// coverageWithout is coverage without the terms of skip (as
// questionTerms gives them: Han bigrams, stemmed Latin words): the
// customer's own words, which no passage need cover (see
// incidentalWords).
func (ix *Index) coverageWithout(q string, p Passage, skip map[string]bool) float64 {
	ix.mu.RLock()
	df, n := ix.df[p.Language], ix.n[p.Language]
	ix.mu.RUnlock()
	qt := questionTerms(ix.searchText(q), df)
	if len(qt) == 0 {
		return 0
	}
	body := p.Title + " " + p.Text + " " + p.Keywords
	have := termSet(body, p.Language)
	askLong := hasLatin(q) && containsAnyWord(normalize(q), []string{"how long", "how soon"})
	var got, total float64
	for _, t := range qt {
		if skip[t] {
			continue
		}
		rs := []rune(t)
		// 几 asks for a number: 几期 is answered by "12期", and 分几
		// is the question's grammar
		if len(rs) == 2 && rs[1] == '几' {
			continue
		}
		w := math.Log(1 + float64(n)/float64(1+df[t]))
		total += w
		// a lone Han character is a product's kind when a title has it 适合露营的灯: 复古露营灯)
		// (灯 in 适合露营的灯: 复古露营灯), and a one-character word of a
		// policy when its text has it (开 in 发票怎么开)
		lone := len(rs) == 1 && unicode.Is(unicode.Han, rs[0]) &&
			(p.Kind == CiteProduct && strings.ContainsRune(p.Title, rs[0]) || p.Kind == CitePolicy && strings.ContainsRune(p.Text, rs[0]))
		// 多久 asks for a length of time: 7个工作日 answers it
		// and so does "how long" / "how soon" in English
		howLong := (t == "多久" || t == "多长" || (t == "long" || t == "soon") && askLong) && quantityRe.MatchString(body)
		if have[t] || lone || howLong || len(rs) == 2 && rs[0] == '几' && numberBefore(body, rs[1]) {
			got += w
		}
	}
	if total == 0 {
		return 0
	}
	return got / total
}

// weighsTerms reports whether q has a term coverage weighs: one that is
// not an everyday word no passage of lang has.
func (ix *Index) weighsTerms(q, lang string) bool {
	ix.mu.RLock()
	df := ix.df[lang]
	ix.mu.RUnlock()
	return len(questionTerms(ix.searchText(q), df)) > 0
}

// questionTerms are the terms of a question's search text (see terms
// and searchText) without the Han bigrams that straddle two words.
func questionTerms(st string, df map[string]int) []string {
	seen := map[string]bool{}
	var out []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, run := range wordRuns(st) {
		rs := []rune(run)
		if !unicode.Is(unicode.Han, rs[0]) {
			// an everyday word no passage has ("fifty", "finish") says
			// nothing the answer must cover (see plainWords)
			if len(run) >= 2 && !stopWords[run] && (df[stem(run)] > 0 || !plainWords[run]) {
				add(stem(run))
			}
			continue
		}
		if len(rs) == 1 {
			add(run)
			continue
		}
		known := make([]bool, len(rs)-1)
		for i := range known {
			known[i] = df[string(rs[i:i+2])] > 0 || plainHan[string(rs[i:i+2])]
		}
		for i, k := range known {
			if !k && ((i > 0 && known[i-1]) || (i+1 < len(known) && known[i+1])) {
				continue
			}
			// grammar, counts and everyday words no passage has (过来,
			// 块钱, 晚上); 几 stays: 几期 is answered by 12期 (see coverage)
			if bg := rs[i : i+2]; !k && bg[0] != '几' && bg[1] != '几' && plainBigram(bg) {
				continue
			}
			// an everyday word no passage has (流程, 有点) counts neither
			// for nor against one, as a plain Latin word does not
			if bg := string(rs[i : i+2]); df[bg] == 0 && plainHan[bg] {
				continue
			}
			add(string(rs[i : i+2]))
		}
	}
	return out
}

// UnknownWords returns the words of q that neither the knowledge base nor
// a product title in lang contains (a product's description does not
// count: "phone" in a charger's description says nothing of the shop's
// phone number):
// Latin words (not stop words) and Han bigrams that are not the
// straddle of a known word (in 退货仓库, 货仓 straddles 退货 and 仓库).
// A question naming something the shop's knowledge never mentions gets
// "I don't know", not the nearest passage.
func (ix *Index) UnknownWords(q, lang string) []string {
	ix.mu.RLock()
	vocab := ix.vocab[lang]
	ix.mu.RUnlock()
	known := func(t string) bool { return vocab[t] }
	var out []string
	for _, run := range wordRuns(ix.searchText(q)) {
		rs := []rune(run)
		if !unicode.Is(unicode.Han, rs[0]) {
			w := stem(run)
			if len(run) >= 3 && !stopWords[run] && !plainWords[run] && !allDigits(run) && !known(w) {
				out = append(out, run)
			}
			continue
		}
		if len(rs) < 2 {
			continue
		}
		kn := make([]bool, len(rs)-1)
		for i := range kn {
			kn[i] = known(string(rs[i:i+2])) || plainHan[string(rs[i:i+2])]
		}
		for i, k := range kn {
			if k || (i > 0 && kn[i-1]) || (i+1 < len(kn) && kn[i+1]) {
				continue
			}
			// a bigram with a function character (什么时候, 给我, 能退)
			// is the question's grammar, not a thing it names
			if functionHan[rs[i]] || functionHan[rs[i+1]] {
				continue
			}
			// a numeral or a measure word (两张, 块钱), an everyday word
			// (晚上, 衣服): they name nothing (see plainBigram)
			if plainBigram(rs[i : i+2]) {
				continue
			}
			out = append(out, string(rs[i:i+2]))
		}
	}
	return out
}

// termsOf returns the terms of q (see questionTerms) in lang.
func (ix *Index) termsOf(q, lang string) []string {
	ix.mu.RLock()
	df := ix.df[lang]
	ix.mu.RUnlock()
	return questionTerms(ix.searchText(q), df)
}

// KnownTerms returns the terms of q (see questionTerms) that the
// knowledge base or a product title in lang contains.
func (ix *Index) KnownTerms(q, lang string) []string {
	ix.mu.RLock()
	vocab, df := ix.vocab[lang], ix.df[lang]
	ix.mu.RUnlock()
	var out []string
	for _, t := range questionTerms(ix.searchText(q), df) {
		if vocab[t] {
			out = append(out, t)
		}
	}
	return out
}

// wordRuns splits normalised text into runs of Han characters and runs of
// Latin letters and digits.
func wordRuns(text string) []string {
	var out []string
	var cur []rune
	han := false
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range normalize(text) {
		switch {
		case unicode.Is(unicode.Han, r):
			if !han {
				flush()
			}
			han = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			if han {
				flush()
			}
			han = false
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// functionHan are the characters of Chinese question grammar: pronouns,
// particles, modal and question words, measure words and common verbs of
// asking. A bigram holding one is not counted as an unknown word.
var functionHan = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range "我你您他她它们的了吗呢吧啊呀么什怎哪些谁几多少时候能可以会要想请问有没还是在不都就也和与跟到把被让给对从向完过着得地很太更最这那个些么样该应此其并或且又再才只已经曾为因所如果但而则即便之" {
		m[r] = true
	}
	return m
}()

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func isHan(s string) bool {
	for _, r := range s {
		return unicode.Is(unicode.Han, r)
	}
	return false
}

// Len is the number of indexed passages.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.docs)
}

// Passage returns an indexed passage by kind, id and language.
func (ix *Index) Passage(kind, id, lang string) (Passage, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	p, ok := ix.docs[docKey(kind, id, lang)]
	return p, ok
}

// Passages returns every indexed passage of a kind in a language, in id
// order (so what is built from them, a tool's JSON for the model, is the
// same from run to run).
func (ix *Index) Passages(kind, lang string) []Passage {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Passage
	for _, p := range ix.docs {
		if p.Kind == kind && (lang == "" || p.Language == lang) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b Passage) int {
		return cmp.Or(strings.Compare(a.ID, b.ID), strings.Compare(a.Language, b.Language))
	})
	return out
}

// SearchOptions narrow a search.
type SearchOptions struct {
	Language string   // only passages in this language ("" for any)
	Kinds    []string // only these kinds (nil for any)
	K        int      // how many (default 5)
}

// Search returns the best passages for q, best first. A product the
// question names in the other language's words (那个power bank多少钱) is
// found by its counterpart in o.Language (see crossHit) and comes first.
func (ix *Index) Search(ctx context.Context, q string, o SearchOptions) ([]Passage, error) {
	if o.K <= 0 {
		o.K = 5
	}
	out, err := ix.searchParts(ctx, q, o)
	if err != nil || o.Language == "" || len(o.Kinds) > 0 && !slices.Contains(o.Kinds, CiteProduct) {
		return out, err
	}
	c, ok, err := ix.crossHit(ctx, q, o.Language)
	if err != nil || !ok {
		return out, err
	}
	out = slices.DeleteFunc(out, func(p Passage) bool { return p.Kind == c.Kind && p.ID == c.ID })
	if len(out) > 0 {
		c.Score = out[0].Score
	}
	out = append([]Passage{c}, out...)
	if len(out) > o.K {
		out = out[:o.K]
	}
	return out, nil
}

// crossHit is the product of lang that q names in the other language's
// words: those words, unknown to lang's texts, find a product of the
// other catalog that they cover, and it has one counterpart in lang.
func (ix *Index) crossHit(ctx context.Context, q, lang string) (Passage, bool, error) {
	foreign := otherScript(q, lang)
	if foreign == "" || len(ix.UnknownWords(foreign, lang)) == 0 {
		return Passage{}, false, nil
	}
	other := otherLanguage(lang)
	hits, err := ix.search(ctx, foreign, SearchOptions{Language: other, Kinds: []string{CiteProduct}, K: 1})
	if err != nil || len(hits) == 0 || ix.coverage(foreign, hits[0]) < 0.5 {
		return Passage{}, false, err
	}
	c, ok := ix.counterpart(hits[0], lang)
	return c, ok, nil
}

func (ix *Index) search(ctx context.Context, q string, o SearchOptions) ([]Passage, error) {
	if hasHan(q) {
		// a Traditional query meets the Simplified texts (退貨 finds 退货)
		f, sc, err := ix.scripts.Fold(q)
		if err != nil {
			return nil, err
		}
		if sc == ScriptHant {
			q = f
		}
	}
	if o.Language != "" {
		// "ship to Germany" finds the rules that say "overseas"
		q, _ = generalized(q, o.Language, func(w string) bool { return len(ix.UnknownWords(w, o.Language)) == 0 },
			func(a string) bool { return ix.namesArea(a, o.Language) })
	}
	q = ix.searchText(q)
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	var should []query.Query
	for _, f := range []struct {
		field string
		boost float64
	}{{"title_zh", 3}, {"keywords_zh", 3}, {"body_zh", 1}, {"title_en", 3}, {"keywords_en", 3}, {"body_en", 1}} {
		mq := bleve.NewMatchQuery(q)
		mq.SetField(f.field)
		mq.SetBoost(f.boost)
		should = append(should, mq)
	}
	var must []query.Query
	must = append(must, bleve.NewDisjunctionQuery(should...))
	if o.Language != "" {
		tq := bleve.NewTermQuery(o.Language)
		tq.SetField("lang")
		must = append(must, tq)
	}
	if len(o.Kinds) > 0 {
		var ks []query.Query
		for _, k := range o.Kinds {
			tq := bleve.NewTermQuery(k)
			tq.SetField("kind")
			ks = append(ks, tq)
		}
		must = append(must, bleve.NewDisjunctionQuery(ks...))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), o.K, 0, false)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "search %q", q)
	}
	out := make([]Passage, 0, len(res.Hits))
	for _, h := range res.Hits {
		p, ok := ix.docs[h.ID]
		if !ok {
			continue
		}
		p.Score = h.Score
		out = append(out, p)
	}
	return out, nil
}

// Close releases the index.
func (ix *Index) Close() error { return ix.idx.Close() }

// searchText drops the filler of questions (请问, 你们, what is, …) that
// would otherwise match every passage, folds full-width forms, and says
// the policy concepts the question names in the policies' own words (see
// concept).
func searchText(q string) string {
	lower, _ := conceptualize(normalize(q))
	for _, f := range queryFillers {
		lower = strings.ReplaceAll(lower, f, " ")
	}
	return lower
}

var queryFillers = []string{
	"请问", "你好", "您好", "你们", "我们", "我想", "想问", "一下", "什么", "在哪里", "在哪儿", "在哪", "哪里", "哪儿", "怎么", "怎样", "如何", "多少", "可以", "能不能", "是不是",
	"有没有", "还是", "或者", "就是", "这把", "那把", "这双", "那双", "这件", "那件", "这条", "那条", "这只", "那只", "这台", "那台", "这顶", "那顶", "大概", "大约", "大致", "这个", "那个", "一个", "这款", "那款", "能否", "是否", "需要", "应该", "麻烦", "帮我", "告诉我",
	"吗", "呢", "吧", "啊", "的", "了", "？", "?", "！", "!", "，", "。",
}

func (p Passage) String() string { return fmt.Sprintf("%s:%s(%s)", p.Kind, p.ID, p.Language) }

// numberBefore reports whether text has a number (digits or Chinese
// numerals) right before the character unit: 12期, 7天, 三年.
func numberBefore(text string, unit rune) bool {
	rs := []rune(text)
	for i := 1; i < len(rs); i++ {
		if rs[i] == unit && (unicode.IsDigit(rs[i-1]) || strings.ContainsRune("一二两三四五六七八九十百", rs[i-1])) {
			return true
		}
	}
	return false
}
