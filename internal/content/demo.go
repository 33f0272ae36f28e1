package content

import (
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

//go:embed demodata
var demoFS embed.FS

// DemoChannels are the channels of the demo campaign.
var DemoChannels = []string{Xiaohongshu, Email, SMS, Push, Ad}

// DemoSummary is what DemoCampaign did.
type DemoSummary struct {
	OutDir string `json:"out_dir"`
	// Model is "provider/model" of the writer, e.g. offline/chorus-writer-2.
	Model      string    `json:"model"`
	Campaigns  []Summary `json:"campaigns"`
	Items      int       `json:"items"`
	Flagged    int       `json:"flagged"`
	ModelCalls int       `json:"model_calls"`
	// Samples are one rendered message per segment and channel, for
	// printing.
	Samples []DemoSample `json:"samples"`
	Files   []string     `json:"files"`
	// Lint is the copy linter's report over every item of the campaign.
	Lint LintReport `json:"lint"`
}

// DemoSample is one message as a recipient would get it.
type DemoSample struct {
	Segment  string `json:"segment"`
	Channel  string `json:"channel"`
	Language string `json:"language"`
	Status   string `json:"status"`
	Product  string `json:"product"`
	Text     string `json:"text"`
}

// DemoBrief and DemoVoice are the embedded demo campaign inputs.
func DemoBrief() (Brief, error) {
	b, err := demoFS.ReadFile("demodata/brief.yaml")
	if err != nil {
		return Brief{}, err
	}
	return ParseBrief("demo brief.yaml", b)
}

// DemoVoice is the demo shop's brand voice.
func DemoVoice() (Voice, error) {
	b, err := demoFS.ReadFile("demodata/voice.yaml")
	if err != nil {
		return Voice{}, err
	}
	var v Voice
	if err := decodeBytes("demo voice.yaml", b, &v); err != nil {
		return v, err
	}
	return v, v.Check()
}

// DemoCampaign generates the demo 双11 campaign (Xiaohongshu, email, SMS,
// push, ad; cohort depth; 1 variant) for each of segments ("all" when
// none is given), stores it for review, and writes previews to outDir:
// summary.json, <segment>/items.json, <segment>/email-<item>.html and an
// index.html showing every item with a message rendered for a real
// recipient. Re-running resumes: nothing already generated is asked again.
func DemoCampaign(ctx context.Context, d Deps, outDir string, segments []string) (DemoSummary, error) {
	ds := DemoSummary{OutDir: outDir, Model: d.Model.Name()}
	if len(segments) == 0 {
		segments = []string{"all"}
	}
	b, err := DemoBrief()
	if err != nil {
		return ds, err
	}
	v, err := DemoVoice()
	if err != nil {
		return ds, err
	}
	if err := d.Store.PutVoice(ctx, v); err != nil {
		return ds, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return ds, apperr.Wrap(err, apperr.Invalid, "output folder %s", outDir)
	}
	var cards []demoCard
	var all []Item
	preps := map[string]*Prepared{}
	for _, seg := range segments {
		p, err := d.Prepare(ctx, CampaignRequest{Brief: b, Segment: seg, Channels: DemoChannels, Depth: DepthCohort, Variants: 1})
		if err != nil {
			return ds, fmt.Errorf("demo campaign for segment %s: %w", seg, err)
		}
		s, err := d.Execute(ctx, p)
		ds.Campaigns = append(ds.Campaigns, s)
		if err != nil {
			return ds, err
		}
		ds.ModelCalls += s.ModelCalls
		preps[p.Run.ID] = p
		items, err := d.Store.ListItems(ctx, ItemFilter{RunID: p.Run.ID})
		if err != nil {
			return ds, err
		}
		// The store lists items in the order the workers finished them;
		// the demo's files and samples follow the plan instead, so that a
		// seed gives the same previews every run.
		slices.SortStableFunc(items, func(a, b Item) int {
			return cmp.Or(cmp.Compare(a.UnitKey, b.UnitKey), cmp.Compare(a.Variant, b.Variant))
		})
		dir := filepath.Join(outDir, safeName(seg))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return ds, err
		}
		f, err := writeJSON(filepath.Join(dir, "items.json"), items)
		if err != nil {
			return ds, err
		}
		ds.Files = append(ds.Files, f)
		seen := map[string]bool{}
		groups := map[string]Group{}
		for _, g := range p.Groups {
			groups[g.Key] = g
		}
		all = append(all, items...)
		for _, it := range items {
			ds.Items++
			if it.Status == StatusFlagged {
				ds.Flagged++
			}
			g := groups[it.Cohort]
			t := p.target(it.Channel, g)
			var r Recipient
			if len(g.Members) > 0 {
				r = p.Recipients[g.Members[0]]
			}
			m := Render(it, r, t)
			c := demoCard{Segment: seg, Item: it, Rendered: m, Spec: t.Spec, Product: r.Product.Title, Members: len(g.Members), Brand: t.Voice.Brand, URL: safeURL(t.Brief.LandingURL, &r.Product)}
			if it.Channel == Email {
				name := "email-" + it.ID + ".html"
				if err := os.WriteFile(filepath.Join(dir, name), []byte(m.HTML), 0o644); err != nil {
					return ds, err
				}
				ds.Files = append(ds.Files, filepath.Join(dir, name))
				c.EmailFile = safeName(seg) + "/" + name
			}
			cards = append(cards, c)
			k := it.Channel + "/" + it.Language
			if !seen[k] {
				seen[k] = true
				ds.Samples = append(ds.Samples, DemoSample{Segment: seg, Channel: it.Channel, Language: it.Language, Status: it.Status,
					Product: r.Product.Title, Text: m.Copy.All(t.Spec)})
			}
		}
	}
	ds.Lint = LintItems(all, func(it Item) (Target, bool) {
		if p := preps[it.RunID]; p != nil {
			return p.TargetOf(it)
		}
		return Target{}, false
	})
	ds.Lint.Details = nil // the worst 20 are in the report; every finding is on its item
	f, err := writeJSON(filepath.Join(outDir, "summary.json"), ds)
	if err != nil {
		return ds, err
	}
	ds.Files = append(ds.Files, f)
	idx := filepath.Join(outDir, "index.html")
	w, err := os.Create(idx)
	if err != nil {
		return ds, err
	}
	defer w.Close()
	if err := indexTmpl.Execute(w, map[string]any{"Brief": b, "Cards": cards, "Summary": ds, "Lint": lintView(ds.Lint, ds.Campaigns)}); err != nil {
		return ds, err
	}
	ds.Files = append(ds.Files, idx)
	return ds, w.Close()
}

type demoCard struct {
	Segment   string
	Item      Item
	Rendered  Message
	Spec      Spec
	Product   string
	Members   int
	EmailFile string
	Brand     string
	URL       string
}

func (c demoCard) Fields() [][2]string {
	var out [][2]string
	for _, f := range c.Spec.Fields {
		v := c.Rendered.Copy.Field(f.Name)
		if f.Array {
			v = "#" + strings.Join(c.Rendered.Copy.Hashtags, " #")
		}
		out = append(out, [2]string{f.Name, v})
	}
	return out
}

// lintSummary is the previews page's view of the lint report.
type lintSummary struct {
	Report    LintReport
	Codes     []codeCount
	Skeletons []SkeletonShare
	Limit     float64
	// Segment names each run's campaign by its segment.
	Segment map[string]string
}

type codeCount struct {
	Code string
	N    int
}

func lintView(r LintReport, campaigns []Summary) lintSummary {
	v := lintSummary{Report: r, Skeletons: r.Skeletons, Limit: 100 * SkeletonLimit, Segment: map[string]string{}}
	for _, c := range campaigns {
		v.Segment[c.Run] = c.Segment
	}
	for _, c := range LintCodes {
		v.Codes = append(v.Codes, codeCount{c, r.ByCode[c]})
	}
	return v
}

// Domain is the host of the card's landing page, as a search ad shows it.
func (c demoCard) Domain() string {
	u := strings.TrimPrefix(strings.TrimPrefix(c.URL, "https://"), "http://")
	host, _, _ := strings.Cut(u, "/")
	return host
}

// Paragraphs are the lines of the card's body, for channels that show
// them as paragraphs (email, notes).
func (c demoCard) Paragraphs(field string) []string {
	var out []string
	for _, p := range strings.Split(c.Rendered.Copy.Field(field), "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Tags are the hashtags as the channel writes them.
func (c demoCard) Tags() []string {
	var out []string
	for _, h := range c.Rendered.Copy.Hashtags {
		t := "#" + h
		if c.Spec.HashtagStyle == "#tag#" {
			t += "#"
		}
		out = append(out, t)
	}
	return out
}

// Initial is the brand's first letter, for a push notification's icon.
func (c demoCard) Initial() string {
	for _, r := range c.Brand {
		return string(r)
	}
	return "•"
}

var indexTmpl = template.Must(template.New("index").Funcs(template.FuncMap{"mulf": func(f float64) float64 { return 100 * f }}).Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Brief.Name}} — Chorus content preview</title>
<style>body{font-family:-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',Helvetica,Arial,sans-serif,'Noto Color Emoji';margin:24px;background:#fafafa;color:#18181b}
.card{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:12px 16px;margin:10px 0;max-width:760px}
.meta{font-size:12px;color:#71717a;margin-bottom:8px}.flagged{border-color:#f59e0b}.v{color:#b45309;font-size:13px}
.lint{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:12px 16px;max-width:760px}.lint td{padding:2px 10px 2px 0;font-size:13px}.over{color:#b91c1c;font-weight:600}
.sms{background:#e5e5ea;border-radius:18px;padding:10px 14px;max-width:320px;white-space:pre-wrap;font-size:15px}
.push{display:flex;gap:10px;background:#f4f4f5;border-radius:14px;padding:10px 12px;max-width:380px}.push .icon{width:36px;height:36px;border-radius:8px;background:#18181b;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:700}
.push .t{font-weight:600;font-size:14px}.push .b{font-size:14px;color:#3f3f46}
.inbox{border-bottom:1px solid #e4e4e7;padding-bottom:8px;margin-bottom:8px}.inbox .from{font-weight:600}.inbox .pre{color:#71717a}.mail p{margin:0 0 10px 0;font-size:14px;line-height:1.6}
.note{max-width:420px}.note .t{font-weight:700;font-size:17px;margin-bottom:6px}.note p{margin:0 0 6px 0;font-size:15px;line-height:1.6}.tag{color:#1d4ed8;margin-right:6px}
.ad .dom{font-size:12px;color:#3f3f46}.ad .h{color:#1a0dab;font-size:18px}.ad .d{font-size:14px;color:#3f3f46}.btn{display:inline-block;background:#18181b;color:#fff;border-radius:6px;padding:4px 12px;font-size:13px;margin-top:6px}
dt{font-weight:600;font-size:12px;color:#52525b}dd{margin:0 0 8px 0;white-space:pre-wrap}</style></head><body>
<h1>{{.Brief.Name}}</h1><p>{{.Brief.Goal}} · {{.Brief.Offer.Text}} · {{.Summary.Items}} items, {{.Summary.Flagged}} flagged · written by {{.Summary.Model}}</p>
{{with .Lint}}<div class="lint" id="lint"><h2>Copy lint 文案检查</h2>
<p>{{.Report.Items}} items checked · {{.Report.ItemsWithFindings}} with findings · {{.Report.Findings}} findings</p>
<table>{{range .Codes}}<tr><td>{{.Code}}</td><td{{if .N}} class="over"{{end}}>{{.N}}</td></tr>{{end}}</table>
<p>Most used sentence skeleton per campaign and channel (limit {{printf "%.0f" .Limit}}%):</p>
<table>{{range .Skeletons}}<tr><td>{{index $.Lint.Segment .Run}}</td><td>{{.Channel}}</td><td{{if gt .Share 0.15}} class="over"{{end}}>{{printf "%.1f" (mulf .Share)}}%</td><td>{{.Count}} of {{.Messages}}</td><td>{{.Skeleton}}</td></tr>{{end}}</table>
<h3>Worst 20 最需要修改的 20 条</h3>{{if .Report.Worst}}<ol>{{range .Report.Worst}}<li><a href="#{{.ID}}">{{.ID}}</a> {{.Channel}} · {{.Language}}:{{range .Findings}} <span class="v">[{{.Code}}] {{.Reason}}</span>{{end}}</li>{{end}}</ol>{{else}}<p>No item has a finding.</p>{{end}}
</div>{{end}}
{{range .Cards}}<div class="card{{if eq .Item.Status "flagged"}} flagged{{end}}" id="{{.Item.ID}}">
<div class="meta">{{.Segment}} · {{.Spec.Label}} · {{.Item.Language}} · {{.Item.Status}} · cohort of {{.Members}} · product {{.Product}}{{with .Rendered.SMS}} · {{.Encoding}} {{.Units}} units, {{.Segments}} segment(s){{end}} · {{.Item.ID}}</div>
{{if eq .Item.Channel "sms"}}<div class="sms">{{.Rendered.Copy.Text}}</div>
{{else if eq .Item.Channel "push"}}<div class="push"><div class="icon">{{.Initial}}</div><div><div class="t">{{.Rendered.Copy.Title}}</div><div class="b">{{.Rendered.Copy.Body}}</div></div></div>
{{else if eq .Item.Channel "email"}}<div class="inbox"><div class="from">{{.Brand}}</div><div><b>{{.Rendered.Copy.Subject}}</b> <span class="pre">— {{.Rendered.Copy.Preheader}}</span></div></div>
<div class="mail">{{range .Paragraphs "body_text"}}<p>{{.}}</p>{{end}}<span class="btn">{{.Rendered.Copy.CTA}}</span></div>
{{else if eq .Item.Channel "xiaohongshu"}}<div class="note"><div class="t">{{.Rendered.Copy.Title}}</div>{{range .Paragraphs "body"}}<p>{{.}}</p>{{end}}<p>{{range .Tags}}<span class="tag">{{.}}</span>{{end}}</p></div>
{{else if eq .Item.Channel "ad"}}<div class="ad"><div class="dom">Ad · {{.Domain}}</div><div class="h">{{.Rendered.Copy.Headline}}</div><div class="d">{{.Rendered.Copy.Description}}</div><span class="btn">{{.Rendered.Copy.CTA}}</span></div>
{{else}}<dl>{{range .Fields}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>{{end}}
{{with .EmailFile}}<p><a href="{{.}}">HTML email preview</a></p>{{end}}
{{range .Item.Violations}}<div class="v">⚠ {{.}}</div>{{end}}
</div>{{end}}
</body></html>`))

func writeJSON(path string, v any) (string, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return "", err
	}
	return path, os.WriteFile(path, b, 0o644)
}

func safeName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == ':' || r == ' ' || r == '.' {
			return '_'
		}
		return r
	}, s)
}

// ExampleFiles are the demo brief and voice as YAML, for
// `chorus content brief example` and `chorus content voice example`.
func ExampleFiles() (brief, voice []byte) {
	brief, _ = demoFS.ReadFile("demodata/brief.yaml")
	voice, _ = demoFS.ReadFile("demodata/voice.yaml")
	return brief, voice
}
