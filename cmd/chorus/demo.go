package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/demo/demobench"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoStep is one stage of the pipeline that `chorus demo` runs on the
// freshly built shop, through the same services as the commands. A step
// prints a short, human summary to out (in --json mode out is captured
// into the report instead) and returns an error only when it failed; the
// remaining steps still run.
type demoStep struct {
	name string
	run  func(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error
}

// demoSteps is the pipeline, in order: each step shows an area's work on
// the demo data as its command would.
func (a *app) demoSteps(st store.Store) []demoStep {
	return []demoStep{
		{"verify 校验", demoVerify},
		{"seed persona 种子用户", demoPersona},
		{"RFM segments RFM 分层", func(ctx context.Context, ap *chorusapp.App, _ *demo.Report, out io.Writer) error {
			rep, err := ap.Insight.RFM(ctx, ap.Insight.Options(), false)
			if err != nil {
				return err
			}
			return rep.WriteText(out)
		}},
		{"segments 人群", demoSegments},
		{"profile 用户画像", func(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error {
			req, err := ap.ProfileRequest(ctx, ap.Insight.Options(), 5)
			if err != nil {
				return err
			}
			p, _, err := ap.Insight.Explain(ctx, rep.SeedPersonaID, req)
			if err == nil {
				fmt.Fprint(out, p.Text())
			}
			return err
		}},
		{"recommendations 推荐", func(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error {
			m, _, err := ap.Recommend.Model(ctx, false)
			if err != nil {
				return err
			}
			return a.printRecommendations(out, m, rep.SeedPersonaID, 10, false)
		}},
		{"copy 文案", func(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error {
			d, err := ap.Studio(ctx)
			if err != nil {
				return err
			}
			w, err := d.WriteFor(ctx, content.ForCustomer{CustomerID: rep.SeedPersonaID, SKU: rep.CameraBagSKU, Channel: content.Xiaohongshu,
				Variants: a.cfg.Content.Variants})
			if err == nil {
				_ = w.WriteText(out, io.Discard)
			}
			return err
		}},
		{"campaign 营销活动", a.demoCampaign},
		a.demoSupportStep(st),
		a.demoSendStep(st),
	}
}

func (a *app) demoCmd() *cobra.Command {
	var (
		seed      int64
		customers int
		end       string
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Build a bilingual demo shop and run the pipeline on it",
		Long: `Builds, deterministically for a seed, a bilingual demo shop in the database:
Chinese and English-speaking customers with personas, a catalog across ten
categories (with a camera-bag / travel / photography line), a consent ledger
with revocations, and twelve months of views, carts, orders, refunds and
campaign engagement with each market's seasonality (618, 双11, Black Friday,
Christmas). Then it runs the analysis pipeline on it and says what to try next.

The same seed always gives the same data, and running the demo twice changes
nothing. 演示店铺：同一个种子总是生成相同的数据，重复运行不会重复写入。`,
		Example: `  chorus demo
  chorus demo --seed 7 --customers 5000 --db demo.db
  chorus demo --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			endAt := demo.DefaultEnd()
			if end != "" {
				t, err := time.Parse(time.DateOnly, end)
				if err != nil {
					return apperr.New(apperr.Invalid, "--end must be a date like 2026-11-01 (got %q)", end)
				}
				endAt = t
			}
			return a.runDemo(cmd, demo.Options{Seed: seed, Customers: customers, End: endAt}, asJSON)
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed; the same seed gives the same shop")
	cmd.Flags().IntVar(&customers, "customers", demo.DefaultCustomers, fmt.Sprintf("number of customers (%d–%d)", demo.MinCustomers, demo.MaxCustomers))
	cmd.Flags().StringVar(&end, "end", "", "exclusive end date of the twelve months of data (default 2026-11-01)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&a.demoSend, "send", false, "launch the sample campaign and deliver it through the configured SMTP server (Mailpit) and webhooks")
	return cmd
}

func (a *app) runDemo(cmd *cobra.Command, opts demo.Options, asJSON bool) error {
	ctx := cmd.Context()
	t0 := time.Now()
	return a.withStore(ctx, func(st store.Store) error {
		fmt.Fprintf(a.stderr, "demo: building the shop in %s (%s), seed %d, %d customers\n", redactDSN(a.cfg.DB), st.Engine(), opts.Seed, opts.Customers)
		opts.Progress = func(stage string, n int, took time.Duration) {
			verb := "wrote"
			if stage == "generate" {
				verb, stage = "generated", "records"
			}
			fmt.Fprintf(a.stderr, "demo: %s %s %s in %s\n", verb, demo.GroupDigits(n), stage, took.Round(time.Millisecond))
		}
		rep, err := demo.Build(ctx, st, opts)
		if err != nil {
			return err
		}
		if _, err := st.PutShopSettings(ctx, demo.ShopSettings(time.Now()), true); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "demo: shop built in %s\n", time.Since(t0).Round(time.Millisecond))
		ap, err := chorusapp.New(ctx, a.cfg, st, chorusapp.Options{Log: io.Discard})
		if err != nil {
			return err
		}
		defer ap.Close(ctx)
		failed := a.runDemoSteps(ctx, ap, st, &rep)
		failed = append(failed, a.demoLogin(ctx, ap, &rep)...)
		if asJSON {
			if err := a.printJSON(rep); err != nil {
				return err
			}
		} else {
			rep.WriteSummary(a.stdout)
			rep.WritePipeline(a.stdout)
			printDemoNext(a.stdout, cmd.Root(), rep, a.dbFlag)
			a.printDemoServe(rep)
		}
		if len(failed) > 0 {
			return apperr.New(apperr.Internal, "demo: pipeline step(s) failed: %s", strings.Join(failed, ", "))
		}
		return nil
	})
}

// runDemoSteps runs the pipeline on the built shop, recording each step's
// output in rep.Pipeline, and returns the names of the steps that failed.
func (a *app) runDemoSteps(ctx context.Context, ap *chorusapp.App, st store.Store, rep *demo.Report) (failed []string) {
	for _, step := range a.demoSteps(st) {
		res := demo.StepResult{Name: step.name}
		ts := time.Now()
		var buf bytes.Buffer
		if err := step.run(ctx, ap, rep, &buf); err != nil {
			res.Error = err.Error()
			failed = append(failed, step.name)
		}
		res.Summary = strings.TrimRight(buf.String(), "\n")
		rep.Pipeline = append(rep.Pipeline, res)
		fmt.Fprintf(a.stderr, "demo: step %q done in %s\n", step.name, time.Since(ts).Round(time.Millisecond))
	}
	return failed
}

// demoVerify reads the shop back through the store, so the summary is
// proof of what is stored rather than of what was generated.
func demoVerify(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error {
	v, err := demo.Verify(ctx, ap.Store, *rep)
	if err != nil {
		return err
	}
	return v.WriteText(out, *rep)
}

// demoPersona tells the story of the seed persona: who she is, what she
// bought, which channels she allows, what she left in her cart. Later
// steps (profile, recommendations, copy) build on her.
func demoPersona(ctx context.Context, ap *chorusapp.App, rep *demo.Report, out io.Writer) error {
	snap, _, err := ap.Insight.Snapshot(ctx)
	if err != nil {
		return err
	}
	m, _ := snap.Get(rep.SeedPersonaID)
	s, err := demo.TellStory(ctx, ap.Store, *rep, m)
	if err != nil {
		return err
	}
	return s.WriteText(out, *rep)
}

// demoNext is a suggestion printed after the demo; it is shown only when
// the command it names exists in this build, so the list grows as areas
// land their commands.
type demoNext struct {
	path []string // command path under the root, e.g. {"rfm"}
	// line is the command to suggest: {id} is the seed persona, {sku} the
	// camera bag, {db} a --db flag or "". Empty: the command's own first
	// example, whose flags its owners keep current.
	line string
	what string
}

var demoSuggestions = []demoNext{
	{[]string{"rfm"}, "chorus rfm{db}", "RFM segments and lifecycle stages RFM 分层"},
	{[]string{"segment", "list"}, "chorus segment list{db}", "saved segments 人群"},
	{[]string{"segment", "show"}, "chorus segment show photo_lovers{db}", "who is in a segment 人群成员"},
	{[]string{"clv"}, "chorus clv --limit 20{db}", "customer lifetime value 客户终身价值"},
	{[]string{"profile"}, "chorus profile {id}{db}", "the seed persona's profile 用户画像"},
	{[]string{"recommend"}, "chorus recommend {id}{db}", "recommendations for her 个性化推荐"},
	{[]string{"generate"}, "chorus generate --customer {id} --product {sku} --channel xiaohongshu{db}", "a 小红书 note for her about the bag 个性化文案"},
	{[]string{"check"}, "", "advertising-law check 广告法检查"},
	{[]string{"privacy", "redact"}, "", "what a model would see of a text with PII 隐私脱敏"},
	{[]string{"policy", "check"}, "chorus policy check {id} --channel sms{db}", "may we send her a marketing SMS now? 触达策略"},
	{[]string{"ask"}, "chorus ask 七天无理由退货怎么申请？{db}", "ask the customer-service assistant 智能客服"},
	{[]string{"import"}, "", "import your own shop's data 导入真实数据"},
	{[]string{"demo"}, "chorus demo --json{db}", "this report as JSON"},
}

func printDemoNext(w io.Writer, root *cobra.Command, rep demo.Report, dbFlag string) {
	db := ""
	if dbFlag != "" {
		db = " --db " + dbFlag
	}
	fmt.Fprintln(w, "\nwhat to try next 接下来可以试试:")
	for _, s := range demoSuggestions {
		c, rest, err := root.Find(s.path)
		if err != nil || len(rest) > 0 || c == root || c.Name() != s.path[len(s.path)-1] {
			continue
		}
		line := strings.NewReplacer("{id}", rep.SeedPersonaID, "{sku}", rep.CameraBagSKU, "{db}", db).Replace(s.line)
		if line == "" || !flagsExist(root, c, line) {
			line = firstExample(c)
		}
		fmt.Fprintf(w, "  # %s\n  %s\n", s.what, line)
	}
}

// flagsExist reports whether every --flag in line is one the command
// accepts, so a suggestion never outlives a renamed flag.
func flagsExist(root, c *cobra.Command, line string) bool {
	for _, f := range strings.Fields(line) {
		name, ok := strings.CutPrefix(f, "--")
		if !ok {
			continue
		}
		name, _, _ = strings.Cut(name, "=")
		if c.Flags().Lookup(name) == nil && c.InheritedFlags().Lookup(name) == nil && root.PersistentFlags().Lookup(name) == nil {
			return false
		}
	}
	return true
}

// firstExample is the first line of a command's Example, or its --help.
func firstExample(c *cobra.Command) string {
	for _, l := range strings.Split(c.Example, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "chorus ") {
			return l
		}
	}
	return c.CommandPath() + " --help"
}

// benchDemoCmd measures `chorus demo` end to end on a fresh SQLite file:
// the first build, each of its stages, and the rebuild that must write
// nothing.
func (a *app) benchDemoCmd() *cobra.Command {
	var (
		seed      int64
		customers int
		asJSON    bool
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Time building the demo shop into a fresh SQLite file, and rebuilding it",
		Long: `Builds the demo shop into a new SQLite file in a temporary directory, then
builds it again (which must write nothing), and prints the time of each
stage, the events written per second and the peak memory of the process.
The target is a whole build under 10 s for the default 2,000 customers.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := demobench.Measure(cmd.Context(), seed, customers)
			if err != nil && r.Events == 0 {
				return err
			}
			if asJSON {
				if perr := a.printJSON(r); perr != nil {
					return perr
				}
			} else if perr := r.WriteText(a.stdout); perr != nil {
				return perr
			}
			return err
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed")
	cmd.Flags().IntVar(&customers, "customers", demo.DefaultCustomers, "number of customers")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
	return cmd
}
