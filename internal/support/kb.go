package support

import (
	"bufio"
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Kinds of knowledge-base documents. Policies and FAQ entries are cited as
// [policy:ID]; reviews as [review:ID] and only ever quoted, never obeyed.
const (
	KindPolicy = "policy"
	KindFAQ    = "faq"
	KindReview = "review"
)

// Languages the assistant answers in.
const (
	Zh = "zh"
	En = "en"
)

// Doc is one knowledge-base entry in one language. (ID, Language) is its
// key: the same policy in Chinese and English shares its ID, so both are
// cited as [policy:ID].
type Doc struct {
	ID       string   `json:"id"`
	Language string   `json:"language"`
	Kind     string   `json:"kind"`
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	Topic    string   `json:"topic,omitempty"` // shipping, returns, warranty, sizing, payment, invoice, …
	Keywords []string `json:"keywords,omitempty"`
	// SKU ties a review (or a product FAQ) to a product.
	SKU    string `json:"sku,omitempty"`
	Source string `json:"source,omitempty"`
	// Deleted marks a removed entry (kept so that every process's index
	// learns of the removal).
	Deleted   bool      `json:"deleted,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CiteKind is the citation kind of the document: policy for policies and
// FAQ entries, review for reviews.
func (d Doc) CiteKind() string {
	if d.Kind == KindReview {
		return KindReview
	}
	return KindPolicy
}

// Reject is one input record that was not imported, with its place in the
// file and the reason.
type Reject struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// ImportResult is what parsing a knowledge-base file produced.
type ImportResult struct {
	Docs    []Doc    `json:"-"`
	Read    int      `json:"read"`
	Rejects []Reject `json:"rejects,omitempty"`
}

// Formats of knowledge-base files.
const (
	FormatMarkdown = "markdown"
	FormatCSV      = "csv"
	FormatJSONL    = "jsonl"
)

// FormatOf guesses the format from a file name: .md/.markdown, .csv,
// .jsonl/.ndjson/.json.
func FormatOf(name string) (string, error) {
	switch strings.ToLower(filepath.Ext(strings.TrimSuffix(name, ".gz"))) {
	case ".md", ".markdown":
		return FormatMarkdown, nil
	case ".csv":
		return FormatCSV, nil
	case ".jsonl", ".ndjson", ".json":
		return FormatJSONL, nil
	}
	return "", apperr.New(apperr.Invalid, "cannot tell the format of %q: name it .md, .csv or .jsonl, or pass --format markdown|csv|jsonl", name)
}

// ParseOptions shape ParseKB.
type ParseOptions struct {
	Format string // markdown | csv | jsonl
	// Language is the language of entries that do not state one; "" lets
	// each entry's text decide (Han characters make it zh).
	Language string
	// Kind is the kind of entries that do not state one (default policy).
	Kind string
	// Source names the file in the stored entries.
	Source string
}

// ParseKB reads a knowledge-base file. Good entries are returned; every bad
// one becomes a Reject with its line and reason, so one bad row never
// loses the others. The error is Invalid only when the file as a whole
// cannot be read (an unknown format, a CSV without the needed columns,
// text that is not UTF-8).
func ParseKB(r io.Reader, o ParseOptions) (ImportResult, error) {
	if o.Kind == "" {
		o.Kind = KindPolicy
	}
	if o.Language != "" && o.Language != Zh && o.Language != En {
		return ImportResult{}, apperr.New(apperr.Invalid, "language %q: use zh or en", o.Language)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return ImportResult{}, apperr.Wrap(err, apperr.Invalid, "read the knowledge-base file")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		return ImportResult{}, apperr.New(apperr.Invalid, "the knowledge-base file is not UTF-8 text; save it as UTF-8 and import it again")
	}
	var res ImportResult
	switch o.Format {
	case FormatMarkdown:
		res = parseMarkdown(string(data), o)
	case FormatCSV:
		res, err = parseCSV(data, o)
	case FormatJSONL:
		res = parseJSONL(data, o)
	default:
		return ImportResult{}, apperr.New(apperr.Invalid, "unknown knowledge-base format %q: use markdown, csv or jsonl", o.Format)
	}
	if err != nil {
		return res, err
	}
	// a later entry with the same key wins, like a re-import
	seen := map[string]int{}
	var out []Doc
	for _, d := range res.Docs {
		k := d.ID + "\x00" + d.Language
		if i, ok := seen[k]; ok {
			out[i] = d
			continue
		}
		seen[k] = len(out)
		out = append(out, d)
	}
	res.Docs = out
	return res, nil
}

// record is one entry as read, before checks.
type record struct {
	line                                    int
	id, lang, kind, title, body, topic, sku string
	keywords                                []string
}

func (o ParseOptions) finish(rec record, res *ImportResult) {
	res.Read++
	d := Doc{ID: strings.TrimSpace(rec.id), Language: strings.ToLower(strings.TrimSpace(rec.lang)), Kind: strings.ToLower(strings.TrimSpace(rec.kind)),
		Title: strings.TrimSpace(rec.title), Body: strings.TrimSpace(rec.body), Topic: strings.TrimSpace(rec.topic), SKU: strings.TrimSpace(rec.sku), Source: o.Source}
	for _, k := range rec.keywords {
		if k = strings.TrimSpace(k); k != "" {
			d.Keywords = append(d.Keywords, k)
		}
	}
	reject := func(format string, args ...any) {
		res.Rejects = append(res.Rejects, Reject{Line: rec.line, Reason: fmt.Sprintf(format, args...)})
	}
	if d.Body == "" {
		reject("the entry has no text (body or answer)")
		return
	}
	if d.Title == "" {
		d.Title = firstSentence(d.Body)
	}
	if d.Kind == "" {
		d.Kind = o.Kind
	}
	switch d.Kind {
	case KindPolicy, KindFAQ, KindReview:
	case "question", "qa":
		d.Kind = KindFAQ
	default:
		reject("kind %q is not one of policy, faq, review", d.Kind)
		return
	}
	if d.Kind == KindReview && d.SKU == "" {
		reject("a review needs the sku of its product")
		return
	}
	switch d.Language {
	case "":
		d.Language = o.Language
		if d.Language == "" {
			d.Language = DetectLanguage(d.Title + " " + d.Body)
		}
	case "zh-cn", "zh_cn", "zh-hans", "cn", "chinese", "中文":
		d.Language = Zh
	case "en-us", "en-gb", "en_us", "english", "英文":
		d.Language = En
	case Zh, En:
	default:
		reject("language %q: use zh or en", d.Language)
		return
	}
	if d.ID == "" {
		d.ID = slug(d.Title, d.Kind)
	} else if !validID(d.ID) {
		reject("id %q may hold only letters, digits, '-', '_' and '.' (at most 80)", d.ID)
		return
	}
	if n := utf8.RuneCountInString(d.Body); n > 20000 {
		reject("the text is %d characters long; split it into entries of at most 20,000", n)
		return
	}
	res.Docs = append(res.Docs, d)
}

var idRe = regexp.MustCompile(`^[\p{L}\p{N}_.-]{1,80}$`)

func validID(id string) bool { return idRe.MatchString(id) }

// slug makes an id from a title: ASCII words joined by '-', or, for a
// title without any, a short hash (stable for the same title).
func slug(title, kind string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
		if b.Len() >= 48 {
			break
		}
	}
	if b.Len() >= 3 {
		return b.String()
	}
	sum := sha256.Sum256([]byte(kind + "\x00" + title))
	return kind + "-" + hex.EncodeToString(sum[:4])
}

func firstSentence(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "。！？.!?\n"); i > 0 {
		s = s[:i]
	}
	rs := []rune(s)
	if len(rs) > 60 {
		rs = rs[:60]
	}
	return string(rs)
}

// headingRe matches a Markdown ATX heading with an optional attribute block:
// "## 七天无理由退货 {#returns-7day kind=policy topic=returns lang=zh}".
var (
	headingRe = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*(?:\{([^}]*)\})?\s*#*\s*$`)
	commentRe = regexp.MustCompile(`(?s)<!--.*?-->`)
	metaRe    = regexp.MustCompile(`^(?i)(keywords|关键词|sku|topic|kind|id|lang|language)\s*[:：]\s*(.+)$`)
)

// parseMarkdown makes one entry per heading that has text under it. The
// heading is the title; its attribute block or "key: value" lines right
// under it (keywords, sku, topic, kind, id, language) set the rest. A
// level-1 heading with a topic attribute sets the topic of what follows.
func parseMarkdown(text string, o ParseOptions) ImportResult {
	var res ImportResult
	type open struct {
		rec     record
		body    []string
		started bool
	}
	var cur *open
	fileTopic := ""
	flush := func() {
		if cur == nil {
			return
		}
		cur.rec.body = strings.TrimSpace(strings.Join(cur.body, "\n"))
		if cur.rec.body != "" {
			o.finish(cur.rec, &res)
		}
		cur = nil
	}
	inFence := false
	text = commentRe.ReplaceAllStringFunc(strings.ReplaceAll(text, "\r\n", "\n"), func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n")) // keep line numbers
	})
	for i, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "```") {
			inFence = !inFence
		}
		if m := headingRe.FindStringSubmatch(line); m != nil && !inFence {
			flush()
			attrs := parseAttrs(m[3])
			if len(m[1]) == 1 && attrs["topic"] != "" {
				fileTopic = attrs["topic"]
			}
			cur = &open{rec: record{line: i + 1, title: m[2], id: attrs["id"], kind: attrs["kind"], topic: attrs["topic"],
				lang: firstNonEmpty(attrs["lang"], attrs["language"]), sku: attrs["sku"]}}
			if cur.rec.topic == "" {
				cur.rec.topic = fileTopic
			}
			if kw := attrs["keywords"]; kw != "" {
				cur.rec.keywords = splitList(kw)
			}
			continue
		}
		if cur == nil {
			if trimmed != "" && !strings.HasPrefix(trimmed, "<!--") {
				// text before the first heading: an entry of its own
				cur = &open{rec: record{line: i + 1}}
			} else {
				continue
			}
		}
		if !cur.started && !inFence {
			if m := metaRe.FindStringSubmatch(trimmed); m != nil {
				v := strings.TrimSpace(m[2])
				switch strings.ToLower(m[1]) {
				case "keywords", "关键词":
					cur.rec.keywords = append(cur.rec.keywords, splitList(v)...)
				case "sku":
					cur.rec.sku = v
				case "topic":
					cur.rec.topic = v
				case "kind":
					cur.rec.kind = v
				case "id":
					cur.rec.id = v
				case "lang", "language":
					cur.rec.lang = v
				}
				continue
			}
		}
		if trimmed != "" {
			cur.started = true
		}
		cur.body = append(cur.body, line)
	}
	flush()
	return res
}

func parseAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, f := range strings.Fields(s) {
		if strings.HasPrefix(f, "#") {
			out["id"] = f[1:]
			continue
		}
		if k, v, ok := strings.Cut(f, "="); ok {
			out[strings.ToLower(k)] = strings.Trim(v, `"'`)
		}
	}
	return out
}

func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' || r == '、' || r == '|' })
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// column names accepted in CSV headers and JSONL keys, by field.
var fieldNames = map[string][]string{
	"id":       {"id", "doc_id", "key", "编号"},
	"lang":     {"language", "lang", "语言"},
	"kind":     {"kind", "type", "类型"},
	"title":    {"title", "question", "q", "heading", "标题", "问题"},
	"body":     {"body", "answer", "a", "text", "content", "正文", "答案", "回答", "内容"},
	"topic":    {"topic", "category", "主题", "分类"},
	"keywords": {"keywords", "tags", "关键词", "标签"},
	"sku":      {"sku", "product", "商品"},
}

func fieldOf(name string) string {
	n := strings.ToLower(strings.TrimSpace(name))
	for f, names := range fieldNames {
		if slices.Contains(names, n) {
			return f
		}
	}
	return ""
}

// byAliasRank is raw's keys in the order a JSONL line's fields are read:
// of two names of one field (title and question) the one fieldNames lists
// first comes last and wins, as the first such CSV column does, whatever
// the map's order.
func byAliasRank(raw map[string]any) []string {
	rank := func(k string) int {
		n := strings.ToLower(strings.TrimSpace(k))
		for _, names := range fieldNames {
			if i := slices.Index(names, n); i >= 0 {
				return i
			}
		}
		return -1
	}
	keys := slices.Collect(maps.Keys(raw))
	slices.SortFunc(keys, func(a, b string) int { return cmp.Or(cmp.Compare(rank(b), rank(a)), strings.Compare(a, b)) })
	return keys
}

func parseCSV(data []byte, o ParseOptions) (ImportResult, error) {
	var res ImportResult
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		return res, apperr.Wrap(err, apperr.Invalid, "read the CSV header")
	}
	cols := map[string]int{}
	for i, h := range header {
		if f := fieldOf(h); f != "" {
			if _, dup := cols[f]; !dup {
				cols[f] = i
			}
		}
	}
	if _, ok := cols["body"]; !ok {
		return res, apperr.New(apperr.Invalid, "the CSV header %q has no text column: name one body, answer, text or content (正文, 答案)", strings.Join(header, ","))
	}
	for {
		line, _ := cr.FieldPos(0)
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			res.Read++
			res.Rejects = append(res.Rejects, Reject{Line: line, Reason: "unreadable CSV row: " + err.Error()})
			continue
		}
		get := func(f string) string {
			if i, ok := cols[f]; ok && i < len(row) {
				return row[i]
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		line, _ = cr.FieldPos(0)
		o.finish(record{line: line, id: get("id"), lang: get("lang"), kind: get("kind"), title: get("title"), body: get("body"),
			topic: get("topic"), sku: get("sku"), keywords: splitList(get("keywords"))}, &res)
	}
	return res, nil
}

func parseJSONL(data []byte, o ParseOptions) ImportResult {
	var res ImportResult
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		var raw map[string]any
		if err := json.Unmarshal([]byte(line), &raw); err != nil {
			res.Read++
			res.Rejects = append(res.Rejects, Reject{Line: n, Reason: "not a JSON object: " + err.Error()})
			continue
		}
		rec := record{line: n}
		for _, k := range byAliasRank(raw) {
			v := raw[k]
			var s string
			var list []string
			switch x := v.(type) {
			case string:
				s = x
				list = splitList(x)
			case []any:
				for _, e := range x {
					if es, ok := e.(string); ok {
						list = append(list, es)
					}
				}
				s = strings.Join(list, ", ")
			case float64, bool:
				s = fmt.Sprint(x)
			}
			switch fieldOf(k) {
			case "id":
				rec.id = s
			case "lang":
				rec.lang = s
			case "kind":
				rec.kind = s
			case "title":
				rec.title = s
			case "body":
				rec.body = s
			case "topic":
				rec.topic = s
			case "sku":
				rec.sku = s
			case "keywords":
				rec.keywords = list
			}
		}
		o.finish(rec, &res)
	}
	if err := sc.Err(); err != nil {
		res.Rejects = append(res.Rejects, Reject{Line: n + 1, Reason: "unreadable line: " + err.Error()})
	}
	return res
}

// DetectLanguage says zh when at least a fifth of the letters are Han
// characters (Chinese text mixes in Latin brand names and units), or when
// the text has Han characters and its Latin words are names only, with no
// English grammar word among them ("camping lantern有货吗"), else en.
func DetectLanguage(s string) string {
	han, letters := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	if han > 0 && (han*5 >= letters || han >= 4 || !englishGrammar(s)) {
		return Zh
	}
	return En
}

// englishGrammar reports whether the Latin words of s include an English
// function word (is, the, how, do …).
func englishGrammar(s string) bool {
	for _, run := range wordRuns(s) {
		if !unicode.Is(unicode.Han, []rune(run)[0]) && stopWords[run] {
			return true
		}
	}
	return false
}
