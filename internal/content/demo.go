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
	// Model is "provider/model" of the writer, e.g. offline/chorus-writer-1.
	Model      string    `json:"model"`
	Campaigns  []Summary `json:"campaigns"`
	Items      int       `json:"items"`
	Flagged    int       `json:"flagged"`
	ModelCalls int       `json:"model_calls"`
	// Samples are one rendered message per segment and channel, for
	// printing.
	Samples []DemoSample `json:"samples"`
	Files   []string     `json:"files"`
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
			c := demoCard{Segment: seg, Item: it, Rendered: m, Spec: t.Spec, Product: r.Product.Title, Members: len(g.Members)}
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
	if err := indexTmpl.Execute(w, map[string]any{"Brief": b, "Cards": cards, "Summary": ds}); err != nil {
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

var indexTmpl = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Brief.Name}} — Chorus content preview</title>
<style>body{font-family:-apple-system,'PingFang SC',Helvetica,Arial,sans-serif;margin:24px;background:#fafafa;color:#18181b}
.card{background:#fff;border:1px solid #e4e4e7;border-radius:8px;padding:12px 16px;margin:10px 0;max-width:760px}
.meta{font-size:12px;color:#71717a}.flagged{border-color:#f59e0b}.v{color:#b45309;font-size:13px}
dt{font-weight:600;font-size:12px;color:#52525b}dd{margin:0 0 8px 0;white-space:pre-wrap}</style></head><body>
<h1>{{.Brief.Name}}</h1><p>{{.Brief.Goal}} · {{.Brief.Offer.Text}} · {{.Summary.Items}} items, {{.Summary.Flagged}} flagged · {{.Summary.Model}}</p>
{{range .Cards}}<div class="card{{if eq .Item.Status "flagged"}} flagged{{end}}">
<div class="meta">{{.Segment}} · {{.Item.Channel}} · {{.Item.Language}} · {{.Item.Status}} · cohort of {{.Members}} · product {{.Product}}{{with .Rendered.SMS}} · {{.Encoding}} {{.Units}} units, {{.Segments}} segment(s){{end}} · {{.Item.ID}}</div>
<dl>{{range .Fields}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>
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
