package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/support"
)

// DemoStep is one stage of the pipeline `chorus demo` runs on the freshly
// built shop, through the same services as the commands. A step prints a
// short, human summary to out (captured into the report) and returns an
// error only when it failed; the remaining steps still run.
type DemoStep struct {
	Name string
	Run  func(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error
}

// DemoSteps is the analysis part of the demo pipeline, in order: each step
// shows an area's work on the demo data as its command would. The CLI
// appends the step that needs its own wiring (sending).
func DemoSteps() []DemoStep {
	return []DemoStep{
		{"verify 校验", demoVerify},
		{"seed persona 种子用户", demoPersona},
		{"RFM segments RFM 分层", demoRFM},
		{"segments 人群", demoSegments},
		{"profile 用户画像", demoProfile},
		{"recommendations 推荐", demoRecommendations},
		{"copy 文案", demoCopy},
		{"campaign 营销活动", demoCampaign},
		{"customer service 客服", demoSupport},
	}
}

// RunDemo runs steps on the shop rep describes, recording each step's
// output in rep.Pipeline and its time on log, and returns the names of
// the steps that failed.
func (a *App) RunDemo(ctx context.Context, rep *demo.Report, steps []DemoStep, log io.Writer) (failed []string) {
	for _, step := range steps {
		res := demo.StepResult{Name: step.Name}
		ts := time.Now()
		var buf bytes.Buffer
		if err := step.Run(ctx, a, rep, &buf); err != nil {
			res.Error = err.Error()
			failed = append(failed, step.Name)
		}
		res.Summary = strings.TrimRight(buf.String(), "\n")
		rep.Pipeline = append(rep.Pipeline, res)
		fmt.Fprintf(log, "demo: step %q done in %s\n", step.Name, time.Since(ts).Round(time.Millisecond))
	}
	return failed
}

// demoVerify reads the shop back through the store, so the summary is
// proof of what is stored rather than of what was generated.
func demoVerify(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error {
	v, err := demo.Verify(ctx, a.Store, *rep)
	if err != nil {
		return err
	}
	return v.WriteText(out, *rep)
}

// demoPersona tells the story of the seed persona: who she is, what she
// bought, which channels she allows, what she left in her cart. Later
// steps (profile, recommendations, copy) build on her.
func demoPersona(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error {
	snap, _, err := a.Insight.Snapshot(ctx)
	if err != nil {
		return err
	}
	m, _ := snap.Get(rep.SeedPersonaID)
	s, err := demo.TellStory(ctx, a.Store, *rep, m)
	if err != nil {
		return err
	}
	return s.WriteText(out, *rep)
}

func demoRFM(ctx context.Context, a *App, _ *demo.Report, out io.Writer) error {
	rep, err := a.Insight.RFM(ctx, a.Insight.Options(), false)
	if err != nil {
		return err
	}
	return rep.WriteText(out)
}

// demoSegments saves the demo segments (once; a re-run refreshes them)
// and prints their sizes.
func demoSegments(ctx context.Context, a *App, _ *demo.Report, out io.Writer) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEGMENT\tCUSTOMERS\tEXPRESSION")
	for _, d := range demo.Segments {
		_, p, err := a.Segments.Create(ctx, d.Name, d.Expression, d.Description, 0)
		if apperr.Is(err, apperr.Conflict) {
			if _, err = a.Segments.Refresh(ctx, d.Name); err == nil {
				_, p, err = a.Segments.Count(ctx, d.Name)
			}
		}
		if err != nil {
			return fmt.Errorf("segment %s: %w", d.Name, err)
		}
		fmt.Fprintf(tw, "%s\t%s of %s\t%s\n", d.Name, demo.GroupDigits(p.Count), demo.GroupDigits(p.Total), d.Expression)
	}
	return tw.Flush()
}

func demoProfile(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error {
	req, err := a.ProfileRequest(ctx, a.Insight.Options(), 5)
	if err != nil {
		return err
	}
	p, _, err := a.Insight.Explain(ctx, rep.SeedPersonaID, req)
	if err == nil {
		fmt.Fprint(out, p.Text())
	}
	return err
}

func demoRecommendations(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error {
	m, _, err := a.Recommend.Model(ctx, false)
	if err != nil {
		return err
	}
	return m.WriteFor(out, rep.SeedPersonaID, 10)
}

// demoCopy writes a 小红书 note for the seed persona about the camera bag.
func demoCopy(ctx context.Context, a *App, rep *demo.Report, out io.Writer) error {
	d, err := a.Studio(ctx)
	if err != nil {
		return err
	}
	w, err := d.WriteFor(ctx, content.ForCustomer{CustomerID: rep.SeedPersonaID, SKU: rep.CameraBagSKU, Channel: content.Xiaohongshu,
		Variants: a.Config.Content.Variants})
	if err == nil {
		_ = w.WriteText(out, io.Discard)
	}
	return err
}

// demoCampaign generates the demo 双11 campaign for the demo segments with
// the configured model (the offline writer unless one is set) and writes
// its previews to the content output folder (./chorus-content).
func demoCampaign(ctx context.Context, a *App, _ *demo.Report, out io.Writer) error {
	var names []string
	for _, d := range demo.Segments {
		names = append(names, d.Name)
	}
	d, err := a.Studio(ctx)
	if err != nil {
		return err
	}
	ds, err := content.DemoCampaign(ctx, d, a.Config.Content.OutputDir, names)
	if err != nil {
		return err
	}
	return ds.WriteText(out)
}

// demoSupport loads the demo shop's knowledge base and asks the assistant
// two questions.
func demoSupport(ctx context.Context, a *App, _ *demo.Report, out io.Writer) error {
	reps, err := support.ImportFS(ctx, a.Store, demo.KnowledgeBase())
	if err != nil {
		return err
	}
	n := 0
	for _, r := range reps {
		n += r.Imported + r.Updated + r.Unchanged
	}
	fmt.Fprintf(out, "knowledge base: %d entries from %d files\n", n, len(reps))
	as, done, err := a.Support(ctx, support.NewMemoryRecorder())
	if err != nil {
		return err
	}
	defer done()
	for _, q := range []string{"七天无理由退货怎么申请？", "Is the Everyday Camera Bag waterproof?"} {
		r, err := as.Answer(ctx, support.Request{Text: q, Channel: "demo"}, nil)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Q: %s\n", q)
		if err := r.WriteText(out); err != nil {
			return err
		}
	}
	return nil
}

// BuildDemo writes the deterministic demo shop into st (demo.Build: its
// customers, catalog, twelve months of events, consents) and the demo's
// shop settings where none are stored. Running it twice changes nothing.
func BuildDemo(ctx context.Context, st Store, opts demo.Options) (demo.Report, error) {
	rep, err := demo.Build(ctx, st, opts)
	if err != nil {
		return rep, err
	}
	_, err = st.PutShopSettings(ctx, demo.ShopSettings(time.Now()), true)
	return rep, err
}

// DemoLogin gives the demo database its console administrator
// (demo.EnsureAdmin, audited as ctx's actor) and keeps the sign-in in
// rep. A database with console users of its own gets none: note says so
// and err is nil.
func (a *App) DemoLogin(ctx context.Context, rep *demo.Report) (note string, err error) {
	l, err := demo.EnsureAdmin(ctx, a.Auth)
	if apperr.Is(err, apperr.Conflict) {
		return err.Error(), nil
	}
	if err != nil {
		return "", err
	}
	rep.Console = &l
	return "", nil
}
