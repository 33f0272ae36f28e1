package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/demo"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// demoStep is one stage of the pipeline that `chorus demo` runs on the
// freshly built shop. A step prints a short, human summary to out (in
// --json mode out is captured into the report instead) and returns an
// error only when it failed; the remaining steps still run.
type demoStep struct {
	name string
	run  func(ctx context.Context, st store.Store, rep *demo.Report, out io.Writer) error
}

// demoSteps is the pipeline, in order. An area that wants the demo to show
// its work adds one line here returning its step (defined in its own file),
// e.g. a.demoRFMStep().
//
// An area without a step of its own runs its command here as a
// demoCommandStep: the command's own output on the demo data.
func (a *app) demoSteps() []demoStep {
	return []demoStep{
		demoVerifyStep(),
		demoPersonaStep(),
		a.demoCommandStep("RFM segments RFM 分层", "rfm"),
		a.demoSegmentStep(),
		a.demoCommandStep("profile 用户画像", "profile", demo.SeedPersonaID),
		a.demoCommandStep("recommendations 推荐", "recommend", demo.SeedPersonaID),
		a.demoCommandStep("copy 文案", "generate", "--customer", demo.SeedPersonaID, "--product", demo.CameraBagSKU, "--channel", "xiaohongshu"),
		a.demoCampaignStep(),
		a.demoSupportStep(),
		a.demoSendStep(),
	}
}

// demoCommandStep runs `chorus ARGS` in-process on the same database and
// configuration and shows its output.
func (a *app) demoCommandStep(name string, args ...string) demoStep {
	return demoStep{name: name, run: func(ctx context.Context, _ store.Store, _ *demo.Report, out io.Writer) error {
		var errOut bytes.Buffer
		sub := newApp(strings.NewReader(""), out, &errOut)
		sub.env = a.env
		root := sub.root()
		if c, rest, err := root.Find(args[:1]); err != nil || c == root || len(rest) > 0 {
			return fmt.Errorf("chorus %s: no such command", args[0])
		}
		full := []string{"--db", a.cfg.DB}
		if a.cfgPath != "" {
			full = append(full, "--config", a.cfgPath)
		}
		root.SetArgs(append(full, args...))
		if err := root.ExecuteContext(ctx); err != nil {
			if msg := strings.TrimSpace(errOut.String()); msg != "" {
				return fmt.Errorf("chorus %s: %w (%s)", strings.Join(args, " "), err, msg)
			}
			return fmt.Errorf("chorus %s: %w", strings.Join(args, " "), err)
		}
		return nil
	}}
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
				verb = "generated"
				stage = "records"
			}
			fmt.Fprintf(a.stderr, "demo: %s %s %s in %s\n", verb, groupDigits(n), stage, took.Round(time.Millisecond))
		}
		rep, err := demo.Build(ctx, st, opts)
		if err != nil {
			return err
		}
		if _, err := st.PutShopSettings(ctx, demo.ShopSettings(time.Now()), true); err != nil {
			return err
		}
		fmt.Fprintf(a.stderr, "demo: shop built in %s\n", time.Since(t0).Round(time.Millisecond))

		var failed []string
		for _, step := range a.demoSteps() {
			res := demo.StepResult{Name: step.name}
			ts := time.Now()
			var buf bytes.Buffer
			out := io.Writer(&buf)
			if err := step.run(ctx, st, &rep, out); err != nil {
				res.Error = err.Error()
				failed = append(failed, step.name)
			}
			res.Summary = strings.TrimRight(buf.String(), "\n")
			rep.Pipeline = append(rep.Pipeline, res)
			fmt.Fprintf(a.stderr, "demo: step %q done in %s\n", step.name, time.Since(ts).Round(time.Millisecond))
		}

		if asJSON {
			if err := a.printJSON(rep); err != nil {
				return err
			}
		} else {
			printDemoSummary(a.stdout, rep)
			for _, r := range rep.Pipeline {
				fmt.Fprintf(a.stdout, "\n── %s ──\n", r.Name)
				if r.Summary != "" {
					fmt.Fprintln(a.stdout, r.Summary)
				}
				if r.Error != "" {
					fmt.Fprintf(a.stdout, "failed: %s\n", r.Error)
				}
			}
			printDemoNext(a.stdout, cmd.Root(), rep, a.dbFlag)
		}
		if len(failed) > 0 {
			return apperr.New(apperr.Internal, "demo: pipeline step(s) failed: %s", strings.Join(failed, ", "))
		}
		return nil
	})
}

// printDemoSummary prints the shop as a bilingual table.
func printDemoSummary(w io.Writer, rep demo.Report) {
	last := rep.End.Add(-time.Second)
	fmt.Fprintf(w, "Chorus demo shop 演示店铺 · seed %d · %s – %s\n\n", rep.Seed, rep.Start.Format(time.DateOnly), last.Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, zh, en, total string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", label, zh, en, total)
	}
	n := func(m map[string]int, k string) string { return groupDigits(m[k]) }
	row("", "中文 zh", "English en", "total 合计")
	row("customers 顾客", n(rep.CustomersByLanguage, demo.LangZH), n(rep.CustomersByLanguage, demo.LangEN), groupDigits(rep.Customers))
	row("products 商品", n(rep.ProductsByLanguage, demo.LangZH), n(rep.ProductsByLanguage, demo.LangEN), groupDigits(rep.Products))
	row("orders 订单", n(rep.OrdersByLanguage, demo.LangZH), n(rep.OrdersByLanguage, demo.LangEN), groupDigits(rep.Orders))
	row("guest orders 游客订单", n(rep.GuestOrdersByLang, demo.LangZH), n(rep.GuestOrdersByLang, demo.LangEN), groupDigits(rep.GuestOrders))
	row("revenue 销售额", money("CNY", rep.Revenue["CNY"]), money("USD", rep.Revenue["USD"]), "")
	row("refunds 退款", money("CNY", rep.Refunds["CNY"]), money("USD", rep.Refunds["USD"]), groupDigits(rep.RefundedOrders)+" orders")
	tw.Flush()

	fmt.Fprintln(w)
	months := monthsOf(rep)
	fmt.Fprintf(w, "orders per month 月度订单  %s … %s\n", months[0], months[len(months)-1])
	for _, lang := range []string{demo.LangZH, demo.LangEN} {
		fmt.Fprintf(w, "  %s  %s\n", lang, sparkline(rep.OrdersByMonth[lang], months))
	}
	fmt.Fprintln(w)
	kinds := rep.CustomersByKind
	fmt.Fprintf(w, "buyers 买家: %s repeat 复购 (%s with 2+ orders) · %s churned 流失 · %s one-time 单次 · %s never bought 未购买\n",
		groupDigits(kinds[demo.KindRepeat]), groupDigits(rep.RepeatBuyers), groupDigits(kinds[demo.KindChurned]),
		groupDigits(kinds[demo.KindOneTime]), groupDigits(kinds[demo.KindNever]))
	var cats []string
	for _, c := range slices.Sorted(maps.Keys(rep.ProductsByCategory)) {
		cats = append(cats, fmt.Sprintf("%s %d", c, rep.ProductsByCategory[c]))
	}
	fmt.Fprintf(w, "categories 类目: %s\n", strings.Join(cats, " · "))
	fmt.Fprintf(w, "  (%d inactive 已下架, %d out of stock 缺货)\n", rep.ProductsInactive, rep.ProductsOutOfStock)
	var evs []string
	for _, t := range []string{event.View, event.Cart, event.Purchase, event.Refund, event.Open, event.Click, event.Unsubscribe} {
		evs = append(evs, fmt.Sprintf("%s %s", t, groupDigits(rep.EventsByType[t])))
	}
	fmt.Fprintf(w, "events 行为: %s (%s in all)\n", strings.Join(evs, " · "), groupDigits(rep.Events))
	fmt.Fprintf(w, "consents 授权: %s granted 同意 · %s revoked 撤回 (%s customers unsubscribed a channel, %s opted out of personalisation 个性化推荐 per PIPL Art. 24)\n",
		groupDigits(rep.ConsentsGranted), groupDigits(rep.ConsentsRevoked), groupDigits(rep.CustomersRevoked), groupDigits(rep.PersonalizationOff))
	wr := rep.Written
	fmt.Fprintf(w, "written 写入: customers +%s (%s updated, %s unchanged) · products +%s (%s unchanged) · consents +%s · events +%s (%s already present)\n",
		groupDigits(wr.Customers.Inserted), groupDigits(wr.Customers.Updated), groupDigits(wr.Customers.Unchanged),
		groupDigits(wr.Products.Inserted), groupDigits(wr.Products.Unchanged), groupDigits(wr.ConsentsAdded),
		groupDigits(wr.EventsInserted), groupDigits(wr.EventsDuplicate))
}

// demoVerifyStep reads the shop back through the store, so the summary is
// proof of what is stored rather than of what was generated.
func demoVerifyStep() demoStep {
	return demoStep{name: "verify 校验", run: func(ctx context.Context, st store.Store, rep *demo.Report, out io.Writer) error {
		nc, err := st.CountCustomers(ctx)
		if err != nil {
			return err
		}
		ps, err := st.ListProducts(ctx)
		if err != nil {
			return err
		}
		window := event.Filter{Since: rep.Start, Until: rep.End}
		var missing []string
		var parts []string
		for _, t := range []string{event.View, event.Cart, event.Purchase, event.Refund, event.Open, event.Click, event.Unsubscribe} {
			f := window
			f.Types = []string{t}
			n, err := st.CountEvents(ctx, f)
			if err != nil {
				return err
			}
			parts = append(parts, fmt.Sprintf("%s %s", t, groupDigits(n)))
			if n < rep.EventsByType[t] {
				missing = append(missing, fmt.Sprintf("%s (%d of %d)", t, n, rep.EventsByType[t]))
			}
		}
		fmt.Fprintf(out, "the store holds %s customers, %s products; events in the window: %s\n",
			groupDigits(nc), groupDigits(len(ps)), strings.Join(parts, " · "))
		if nc < rep.Customers || len(ps) < rep.Products || len(missing) > 0 {
			return apperr.New(apperr.Internal, "the store lacks demo data: customers %d/%d, products %d/%d, events %s",
				nc, rep.Customers, len(ps), rep.Products, strings.Join(missing, ", "))
		}
		fmt.Fprintln(out, "every generated record is stored 所有演示数据均已写入")
		return nil
	}}
}

// demoPersonaStep tells the story of the seed persona from the store: who
// she is, what she bought, which channels she allows, what she left in her
// cart. Later steps (profile, recommendations, copy) build on her.
func demoPersonaStep() demoStep {
	return demoStep{name: "seed persona 种子用户", run: func(ctx context.Context, st store.Store, rep *demo.Report, out io.Writer) error {
		c, err := st.GetCustomer(ctx, rep.SeedPersonaID)
		if err != nil {
			return err
		}
		titles := map[string]string{}
		ps, err := st.ListProducts(ctx)
		if err != nil {
			return err
		}
		for _, p := range ps {
			titles[p.SKU] = p.Title
		}
		orders := map[string]bool{}
		var spent float64
		var last time.Time
		var bought []string
		carted := map[string]time.Time{}
		boughtSKU := map[string]bool{}
		err = st.ScanEvents(ctx, event.Filter{CustomerID: c.ID, Since: rep.Start, Until: rep.End}, func(e event.Event) error {
			switch e.Type {
			case event.Purchase:
				orders[e.OrderID] = true
				spent += e.Amount
				last = e.OccurredAt
				boughtSKU[e.SKU] = true
				if !slices.Contains(bought, titles[e.SKU]) {
					bought = append(bought, titles[e.SKU])
				}
			case event.Refund:
				spent += e.Amount
			case event.Cart:
				carted[e.SKU] = e.OccurredAt
			}
			return nil
		})
		if err != nil {
			return err
		}
		ledger, err := st.Consents(ctx, c.ID)
		if err != nil {
			return err
		}
		state := customer.CurrentConsent(ledger)
		var allowed []string
		for _, ch := range []string{customer.ChannelWeChat, customer.ChannelSMS, customer.ChannelEmail, customer.ChannelPush} {
			if state.Granted(ch, customer.PurposeMarketing) {
				allowed = append(allowed, ch)
			}
		}
		fmt.Fprintf(out, "%s %s · %d岁 · %s · %s · %s · 兴趣 %s\n", c.ID, c.Name, c.Age(rep.End), genderZH(c.Gender), c.Occupation, c.City, strings.Join(c.Interests, "、"))
		if len(bought) > 5 { // the five most recent
			bought = append([]string{"…"}, bought[len(bought)-5:]...)
		}
		fmt.Fprintf(out, "%d orders 订单, %s net 净消费, last order 最近下单 %s; bought 购买过: %s\n",
			len(orders), money("CNY", spent), last.In(tzOf(c)).Format(time.DateOnly), strings.Join(bought, "、"))
		fmt.Fprintf(out, "marketing allowed on 允许营销渠道: %s\n", strings.Join(allowed, ", "))
		if at, ok := carted[rep.CameraBagSKU]; ok && !boughtSKU[rep.CameraBagSKU] {
			fmt.Fprintf(out, "left in cart 加购未买: %s (%s) on %s\n", titles[rep.CameraBagSKU], rep.CameraBagSKU, at.In(tzOf(c)).Format("2006-01-02 15:04"))
		}
		return nil
	}}
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

func monthsOf(rep demo.Report) []string {
	var out []string
	for m := rep.Start; m.Before(rep.End); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// sparkline draws counts per month as block characters, with the peak's
// value, so seasonality is visible at a glance.
func sparkline(counts map[string]int, months []string) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	peak := 0
	for _, m := range months {
		peak = max(peak, counts[m])
	}
	var b strings.Builder
	for _, m := range months {
		if peak == 0 {
			b.WriteRune(blocks[0])
			continue
		}
		i := int(math.Round(float64(counts[m]) / float64(peak) * float64(len(blocks)-1)))
		b.WriteRune(blocks[i])
	}
	return fmt.Sprintf("%s  (peak %s)", b.String(), groupDigits(peak))
}

func money(currency string, v float64) string {
	sym := map[string]string{"CNY": "¥", "USD": "$"}[currency]
	neg := ""
	if v < 0 {
		neg, v = "-", -v
	}
	return neg + sym + groupDigits(int(math.Round(v)))
}

// groupDigits writes n with thousands separators.
func groupDigits(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func genderZH(g string) string {
	switch g {
	case "female":
		return "女"
	case "male":
		return "男"
	}
	return g
}

// tzOf is c's zone by the one precedence rule (her own, her country's,
// the demo shop's).
func tzOf(c customer.Customer) *time.Location {
	sh := shop.Settings{}
	for _, s := range demo.ShopSettings(time.Time{}) {
		if s.Key == shop.KeyTimeZone {
			sh.TimeZone = s.Value
		}
	}
	if loc, err := time.LoadLocation(shop.CustomerTimeZone(c, sh, "").Value); err == nil {
		return loc
	}
	return time.UTC
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
			ctx := cmd.Context()
			dir, err := os.MkdirTemp("", "chorus-bench-demo-")
			if err != nil {
				return apperr.Wrap(err, apperr.Unavailable, "bench demo: temporary directory")
			}
			defer os.RemoveAll(dir)
			st, err := store.Open(ctx, filepath.Join(dir, "chorus.db"))
			if err != nil {
				return err
			}
			defer st.Close()
			stages := map[string]float64{}
			opts := demo.Options{Seed: seed, Customers: customers, Progress: func(stage string, n int, took time.Duration) {
				stages[stage] = took.Seconds()
			}}
			t0 := time.Now()
			rep, err := demo.Build(ctx, st, opts)
			if err != nil {
				return err
			}
			build := time.Since(t0)
			opts.Progress = nil // keep the first build's stage times
			t0 = time.Now()
			again, err := demo.Build(ctx, st, opts)
			if err != nil {
				return err
			}
			rebuild := time.Since(t0)
			rebuildWrote := again.Written.EventsInserted + again.Written.Customers.Inserted + again.Written.Customers.Updated +
				again.Written.ConsentsAdded + again.Written.Products.Inserted + again.Written.Products.Updated
			out := map[string]any{
				"engine": st.Engine(), "seed": seed, "customers": rep.Customers, "products": rep.Products,
				"consents": rep.Consents, "events": rep.Events,
				"build_seconds": build.Seconds(), "rebuild_seconds": rebuild.Seconds(), "stage_seconds": stages,
				"events_per_second": float64(rep.Events) / stages["events"],
				"rebuild_wrote":     rebuildWrote, "peak_rss_mb": rusage.PeakRSSMB(),
				"target_seconds": 10.0, "meets_target": build <= 10*time.Second,
			}
			if asJSON {
				return a.printJSON(out)
			}
			w := a.stdout
			fmt.Fprintf(w, "demo build into a fresh SQLite file: seed %d, %s customers, %s products, %s consents, %s events\n",
				seed, groupDigits(rep.Customers), groupDigits(rep.Products), groupDigits(rep.Consents), groupDigits(rep.Events))
			for _, s := range []string{"generate", "products", "customers", "consents", "events"} {
				fmt.Fprintf(w, "  %-10s %7.3f s\n", s, stages[s])
			}
			fmt.Fprintf(w, "build:    %.3f s (target 10 s: %s), %.0f events/s written\n", build.Seconds(),
				map[bool]string{true: "met", false: "missed"}[build <= 10*time.Second], float64(rep.Events)/stages["events"])
			fmt.Fprintf(w, "rebuild:  %.3f s, wrote %d records (must be 0)\n", rebuild.Seconds(), rebuildWrote)
			fmt.Fprintf(w, "peak RSS: %.0f MB\n", rusage.PeakRSSMB())
			if rebuildWrote != 0 {
				return apperr.New(apperr.Internal, "bench demo: the rebuild wrote %d records", rebuildWrote)
			}
			return nil
		},
	}
	cmd.Flags().Int64Var(&seed, "seed", demo.DefaultSeed, "random seed")
	cmd.Flags().IntVar(&customers, "customers", demo.DefaultCustomers, "number of customers")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the figures as JSON")
	return cmd
}
