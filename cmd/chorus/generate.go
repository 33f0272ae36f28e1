package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/shop"
	"github.com/chorusmkt/chorus/internal/store"
)

// contentDeps wires the studio to the store and to the insight, recommend,
// segment and compliance areas, and to the shared model stack (cache,
// breaker, request log, accounting and PII redaction; see llmStack). Where
// one of them cannot serve (no events yet, no segment by that name), the
// studio's own clearly-labelled fallback answers instead. The caller
// closes the stack, which writes pending log, cache and usage rows.
func (a *app) contentDeps(ctx context.Context, st store.Store) (content.Deps, *provider.Stack, error) {
	stack, err := a.llmStack(ctx, st)
	if err != nil {
		return content.Deps{}, nil, err
	}
	ps, err := content.LoadPrompts(a.cfg.Content.PromptDir)
	if err != nil {
		return content.Deps{}, nil, err
	}
	fb := &content.Fallback{Store: st}
	sh, err := a.shopSettings(ctx, st)
	if err != nil {
		return content.Deps{}, nil, err
	}
	d := content.Deps{
		Shop:  sh.Settings,
		Model: stack, Store: st, Catalog: st, Customers: st, Prompts: ps,
		Profiles:    &insightProfiles{a: a, st: st, fb: fb},
		Recommend:   &trainedRecommender{a: a, st: st, fb: fb},
		Audience:    segmentAudience{st: st, fb: fb},
		MaxRepairs:  a.cfg.Content.MaxRepairs,
		Concurrency: a.cfg.Content.Concurrency,
		CallContext: knownRecipient(st),
		Labeler:     policy.NewLabeler(a.cfg.Compliance.AILabel),
	}
	if ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw); err == nil {
		d.Checker = adlawChecker{ck}
	} else {
		fmt.Fprintf(a.stderr, "warning: compliance checker unavailable (%v); items are not checked against advertising law\n", err)
	}
	prices, label := a.cfg.LLM.Prices, stack.Config.Provider
	d.Price = func(model string, u llm.Usage) float64 {
		_, name := llm.SplitName(model)
		return llm.Cost(llm.Price(prices, label, name), u)
	}
	return d, stack, nil
}

// closeStack writes the stack's pending rows even when ctx was cancelled,
// keeping the first error.
func closeStack(ctx context.Context, s *provider.Stack, err *error) {
	if cerr := s.Close(context.WithoutCancel(ctx)); *err == nil {
		*err = cerr
	}
}

// adlawChecker adapts the advertising-law checker to content.Checker.
type adlawChecker struct{ c *adlaw.Checker }

func (a adlawChecker) Check(_ context.Context, text, lang, category string) (content.ComplianceReport, error) {
	rep := a.c.Check(text, adlaw.Options{Lang: lang, Category: category})
	out := content.ComplianceReport{Verdict: string(rep.Verdict)}
	for _, f := range rep.Findings {
		r := fmt.Sprintf("%q is not allowed in advertising (%s, %s)", f.MatchedText, f.Explanation, f.LawRef)
		if f.Suggestion != "" {
			r += "; instead: " + f.Suggestion
		}
		out.Reasons = append(out.Reasons, r)
	}
	return out, nil
}

// insightProfiles serves the insight area's profile (画像), computing the
// metrics once per command; with no purchase history to compute from it
// falls back to the studio's own profile from customer fields.
type insightProfiles struct {
	a    *app
	st   store.Store
	fb   *content.Fallback
	once sync.Once
	ds   *insight.Dataset
	snap *insight.Snapshot
	err  error
}

func (p *insightProfiles) Profile(ctx context.Context, id string) (insight.Profile, error) {
	p.once.Do(func() {
		opts, err := p.a.insightOptions("", "")
		if err != nil {
			p.err = err
			return
		}
		if p.ds, p.err = insight.Load(ctx, p.st); p.err == nil {
			p.snap, p.err = insight.Compute(p.ds, opts)
		}
	})
	if p.err != nil {
		return p.fb.Profile(ctx, id)
	}
	c, err := p.st.GetCustomer(ctx, id)
	if err != nil {
		return insight.Profile{}, err
	}
	m, _ := p.snap.Get(id)
	ledger, err := p.st.Consents(ctx, id)
	if err != nil {
		return insight.Profile{}, err
	}
	return insight.BuildProfile(c, m, customer.CurrentConsent(ledger), p.ds, nil), nil
}

// trainedRecommender gets the recommend area's hybrid model once per
// command (the saved model when current, see recommendModel); customers it
// cannot serve get the studio's fallback.
type trainedRecommender struct {
	a    *app
	st   store.Store
	fb   *content.Fallback
	once sync.Once
	m    *recommend.Model
	err  error
}

func (r *trainedRecommender) Recommend(ctx context.Context, id string, n int) ([]recommend.Item, error) {
	r.once.Do(func() { r.m, _, r.err = r.a.recommendModel(ctx, r.st, false) })
	if r.err == nil {
		if items, err := r.m.Recommend(id, n); err == nil && len(items) > 0 {
			return items, nil
		}
	}
	items, err := r.fb.Recommend(ctx, id, n)
	if err == nil && len(items) == 0 && r.err != nil {
		// Nothing to fall back on either: say why the model is missing
		// (e.g. purchases without SKUs).
		return nil, r.err
	}
	return items, err
}

// segmentAudience reads stored segment membership; "all" and names that
// are not saved segments fall back to customer tags.
type segmentAudience struct {
	st store.Store
	fb *content.Fallback
}

func (s segmentAudience) Members(ctx context.Context, name string) ([]string, error) {
	var ids []string
	err := s.st.ScanSegmentMembers(ctx, name, func(m segment.Member) error {
		ids = append(ids, m.CustomerID)
		return nil
	})
	if apperr.Is(err, apperr.NotFound) {
		return s.fb.Members(ctx, name)
	}
	if err == nil && len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "segment %q is empty: no customer to write for", name)
	}
	return ids, err
}

func (a *app) generateCmd() *cobra.Command {
	var (
		segmentName, channels, briefFile, depth, voice string
		variants, topK                                 int
		planOnly, asJSON                               bool
		customerID, sku, channel, profile, productFile string
		lang                                           string
	)
	cmd := &cobra.Command{
		Use:   "generate",
		Short: "Write channel-fitted, personalised, validated copy for a segment or one reader",
		Long: `Campaign mode (--segment): plans the model calls of every personalization
depth, then writes one message per group and channel, checks each against its
channel's budgets (runes; GSM-7/UCS-2 units for SMS), required elements
(signature, opt-out, unsubscribe), the catalog and brief facts (no invented
price, discount or date) and advertising law, sends violations back to the
model (up to content.max_repairs rounds) and flags what still fails for review.
Every unit is saved as it completes: interrupted and run again, it resumes
without repeating a model call.

Single-shot mode (--channel with --customer or --profile): one message for one
reader and one product, printed (and, for stored customers, saved for review).

Depths: segment (one message per segment and language), cohort (segment × top
interest × recommended product × language; {{first_name}} filled locally),
individual (one generation per customer).`,
		Example: `  chorus generate --segment vip --channels sms,email,xiaohongshu --brief double11.yaml --plan
  chorus generate --segment vip --channels sms,email --brief double11.yaml --depth cohort --variants 2 --json
  chorus generate --customer 12347 --product 85123A --channel ad --json
  chorus generate --profile 'age=25,gender=female,occupation=designer,interests=fashion|travel|photography' --product-file product.json --channel xiaohongshu`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if depth == "" {
				depth = a.cfg.Content.Depth
			}
			if variants <= 0 {
				variants = a.cfg.Content.Variants
			}
			if topK <= 0 {
				topK = a.cfg.Content.CohortTopK
			}
			if channel != "" {
				return a.generateOne(ctx, singleArgs{customer: customerID, sku: sku, channel: channel, profile: profile,
					productFile: productFile, briefFile: briefFile, lang: lang, voice: voice, variants: variants, asJSON: asJSON})
			}
			if segmentName == "" && briefFile == "" {
				return apperr.New(apperr.Invalid, "give --segment with --brief (campaign) or --channel with --customer/--profile (single message)")
			}
			if briefFile == "" {
				return apperr.New(apperr.Invalid, "--brief FILE is required in campaign mode")
			}
			b, err := content.LoadBrief(briefFile)
			if err != nil {
				return err
			}
			var chs []string
			if channels != "" {
				if chs, err = content.ParseChannels(channels); err != nil {
					return err
				}
			}
			return a.withStore(ctx, func(st store.Store) (err error) {
				d, stack, err := a.contentDeps(ctx, st)
				if err != nil {
					return err
				}
				defer closeStack(ctx, stack, &err)
				p, err := d.Prepare(ctx, content.CampaignRequest{Brief: b, Segment: segmentName, Channels: chs, Depth: depth, Variants: variants, Voice: voice, TopK: topK})
				if err != nil {
					return err
				}
				if planOnly {
					if asJSON {
						return a.printJSON(map[string]any{"run": p.Run.ID, "plan": p.Plan})
					}
					fmt.Fprint(a.stdout, p.Plan.String())
					return nil
				}
				if !asJSON {
					fmt.Fprint(a.stdout, p.Plan.String())
				}
				var bar progress.Reporter
				d.Progress = func(n, total int) {
					if bar == nil {
						bar = a.progress("generate", int64(total), "units")
					}
					bar.Add(int64(n))
				}
				s, runErr := d.Execute(ctx, p)
				if bar != nil {
					bar.Done()
				}
				if cov, err := content.Measure(context.WithoutCancel(ctx), st, p); err == nil {
					s.Coverage = &cov
				}
				if asJSON {
					if err := a.printJSON(s); err != nil {
						return err
					}
				} else {
					printSummary(a, s)
				}
				return runErr
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&segmentName, "segment", "", "segment to write for (a saved segment, a customer tag, or all)")
	f.StringVar(&channels, "channels", "", "comma-separated channels: "+strings.Join(content.Channels(), ","))
	f.StringVar(&briefFile, "brief", "", "campaign brief, YAML or JSON")
	f.StringVar(&depth, "depth", "", "personalization depth: segment | cohort | individual (default content.depth)")
	f.IntVar(&variants, "variants", 0, "variants per message for A/B tests (default content.variants)")
	f.IntVar(&topK, "top-k", 0, "cohort depth: choose each customer's product among her top K recommendations (default content.cohort_top_k; 1 = always her first)")
	f.StringVar(&voice, "voice", "", "stored brand voice name (default: the brief's voice)")
	f.BoolVar(&planOnly, "plan", false, "print the plan (model calls per depth) and stop; no model call is made")
	f.BoolVar(&asJSON, "json", false, "print a JSON summary")
	f.StringVar(&customerID, "customer", "", "single message: a stored customer id")
	f.StringVar(&sku, "product", "", "single message: a catalog SKU (default: the customer's top recommendation)")
	f.StringVar(&channel, "channel", "", "single message: the channel")
	f.StringVar(&profile, "profile", "", "single message: an inline profile, e.g. 'age=25,gender=female,interests=fashion|travel'")
	f.StringVar(&productFile, "product-file", "", "single message: a product JSON file (title, description, price, selling_points)")
	f.StringVar(&lang, "language", "", "single message: zh or en (default: the customer's or the brief's)")
	return cmd
}

func printSummary(a *app, s content.Summary) {
	w := a.stdout
	fmt.Fprintf(w, "run %s (%s) — %s\n", s.Run, s.Campaign, s.Status)
	fmt.Fprintf(w, "units: %d total, %d resumed, %d generated, %d failed\n", s.Units, s.Resumed, s.Generated, len(s.Failed))
	fmt.Fprintf(w, "items: %d new (%d draft, %d flagged, %d duplicates dropped); run totals %v\n", s.Items, s.Draft, s.Flagged, s.Duplicates, s.Totals)
	fmt.Fprintf(w, "model calls: %d (%d repairs), tokens %d, cost $%.4f\n", s.ModelCalls, s.RepairCalls, s.Tokens.TotalTokens, s.CostUSD)
	fmt.Fprintf(w, "compliance: %s\n", s.Compliance)
	if c := s.Coverage; c != nil {
		fmt.Fprintf(w, "messages: %d rendered; %d of the %d personalised ones name one of the customer's own recommendations (%d her first); %d to customers who opted out of personalisation get their segment's message; %d over budget\n",
			c.Messages, c.PersonalisedNamingOwn, c.Messages-c.OptedOut, c.NamingFirstChoice, c.OptedOut, c.OverBudget)
	}
	if len(s.FlaggedReasons) > 0 {
		var rules []string
		for r, n := range s.FlaggedReasons {
			rules = append(rules, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(rules)
		fmt.Fprintf(w, "flagged reasons: %s\n", strings.Join(rules, ", "))
		for _, e := range s.FlaggedExamples {
			fmt.Fprintf(w, "  - %s\n", e)
		}
		fmt.Fprintln(w, "review them: chorus content review list --status flagged --run "+s.Run)
	}
	for _, f := range s.Failed {
		fmt.Fprintf(w, "failed %s: %s\n", f.Unit, f.Reason)
	}
}

type singleArgs struct {
	customer, sku, channel, profile, productFile, briefFile, lang, voice string
	variants                                                             int
	asJSON                                                               bool
}

// generateOne writes one message for one reader and one product.
func (a *app) generateOne(ctx context.Context, s singleArgs) (rerr error) {
	if s.customer == "" && s.profile == "" {
		return apperr.New(apperr.Invalid, "--channel needs --customer ID or --profile 'age=…,interests=…'")
	}
	if s.customer != "" && s.profile != "" {
		return apperr.New(apperr.Invalid, "give --customer or --profile, not both")
	}
	if _, err := content.SpecFor(s.channel); err != nil {
		return err
	}
	var b content.Brief
	if s.briefFile != "" {
		var err error
		if b, err = content.LoadBrief(s.briefFile); err != nil {
			return err
		}
	}
	req := content.SingleRequest{Channel: s.channel, Lang: s.lang, Variants: s.variants, Brief: b}
	var d content.Deps
	var st store.Store
	if s.profile != "" {
		persona, plang, err := content.ParseProfile(s.profile)
		if err != nil {
			return err
		}
		if s.productFile == "" {
			return apperr.New(apperr.Invalid, "--profile needs --product-file FILE (a product without a stored catalog)")
		}
		if req.Product, err = content.LoadProduct(s.productFile); err != nil {
			return err
		}
		req.Persona = persona
		if req.Lang == "" {
			req.Lang = plang
		}
		if req.Lang == "" {
			req.Lang = req.Product.Language
		}
		stack, err := a.llmStack(ctx, nil)
		if err != nil {
			return err
		}
		defer closeStack(ctx, stack, &rerr)
		ps, err := content.LoadPrompts(a.cfg.Content.PromptDir)
		if err != nil {
			return err
		}
		d = content.Deps{Model: stack, Prompts: ps, MaxRepairs: a.cfg.Content.MaxRepairs}
		if ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw); err == nil {
			d.Checker = adlawChecker{ck}
		}
	} else {
		var err error
		if st, err = a.openStore(ctx); err != nil {
			return err
		}
		defer st.Close()
		var stack *provider.Stack
		if d, stack, err = a.contentDeps(ctx, st); err != nil {
			return err
		}
		defer closeStack(ctx, stack, &rerr)
		prof, err := d.Profiles.Profile(ctx, s.customer)
		if err != nil {
			return err
		}
		req.Persona, req.CustomerID = content.PersonaOf(prof), s.customer
		c, err := st.GetCustomer(ctx, s.customer)
		if err != nil {
			return err
		}
		if req.Lang == "" {
			sh := d.Shop
			if b.Language != "" {
				sh.Language = b.Language // the brief speaks for the shop
			}
			req.Lang = shop.CustomerLanguage(c, sh).Value
		}
		if s.sku == "" {
			recs, err := d.Recommend.Recommend(ctx, s.customer, 1)
			if err != nil {
				return apperr.Wrap(err, apperr.Invalid, "no product to write about for customer %s (pass --product SKU)", s.customer)
			}
			if len(recs) == 0 {
				return apperr.New(apperr.Invalid, "no recommendation for customer %s: pass --product SKU", s.customer)
			}
			s.sku = recs[0].SKU
		}
		if req.Product, err = st.GetProduct(ctx, s.sku); err != nil {
			return err
		}
		all, err := st.ListProducts(ctx)
		if err != nil {
			return err
		}
		req.Others = all
	}
	if req.Lang == "" {
		req.Lang = cmp.Or(d.Shop.Language, shop.DefaultLanguage)
	}
	if s.briefFile == "" {
		req.Brief = content.DefaultBrief(req.Lang)
	}
	if s.voice != "" && st != nil {
		v, err := st.GetVoice(ctx, s.voice)
		if err != nil {
			return err
		}
		req.Voice = v
	}
	out, err := d.Single(ctx, req)
	if err != nil {
		return err
	}
	if st != nil {
		u := content.Unit{RunID: out.Items[0].RunID, Key: out.Items[0].UnitKey, Calls: out.Calls, Usage: out.Usage, At: out.Items[0].CreatedAt}
		if err := st.SaveUnit(ctx, u, out.Items); err != nil {
			return err
		}
	}
	if s.asJSON {
		return a.printJSON(map[string]any{"channel": s.channel, "language": req.Lang, "product": productBrief(req.Product),
			"persona": req.Persona, "items": out.Items, "model_calls": out.Calls, "tokens": out.Usage, "duplicates_dropped": out.Duplicates})
	}
	spec, _ := content.SpecFor(s.channel)
	for _, it := range out.Items {
		provider, model := llm.SplitName(it.Model)
		fmt.Fprintf(a.stdout, "── %s · %s · variant %d · %s (repairs %d) · provider: %s · model: %s · %s\n",
			spec.Label, it.Language, it.Variant+1, it.Status, it.Rounds, provider, model, it.ID)
		for _, f := range spec.Fields {
			v := it.Copy.Field(f.Name)
			if f.Array {
				v = "#" + strings.Join(it.Copy.Hashtags, " #")
			}
			fmt.Fprintf(a.stdout, "%s: %s\n", f.Name, v)
		}
		if it.SMS != nil {
			fmt.Fprintf(a.stdout, "sms: %s, %d units, %d segment(s)\n", it.SMS.Encoding, it.SMS.Units, it.SMS.Segments)
		}
		for _, v := range it.Violations {
			fmt.Fprintf(a.stdout, "⚠ %s\n", v)
		}
	}
	fmt.Fprintf(a.stderr, "model calls: %d, tokens: %d\n", out.Calls, out.Usage.TotalTokens)
	return nil
}

func productBrief(p catalog.Product) map[string]any {
	return map[string]any{"sku": p.SKU, "title": p.Title, "price": p.Price, "currency": p.Currency}
}

// demoContent runs content.DemoCampaign for `chorus demo`: the 双11 demo
// campaign for segments ("all" when none) with the configured model,
// previews written to outDir (default content.output_dir). The lead's demo
// command calls it and prints the result with printDemoContent.
func (a *app) demoContent(ctx context.Context, st store.Store, outDir string, segments []string) (_ content.DemoSummary, err error) {
	d, stack, err := a.contentDeps(ctx, st)
	if err != nil {
		return content.DemoSummary{}, err
	}
	defer closeStack(ctx, stack, &err)
	if outDir == "" {
		outDir = a.cfg.Content.OutputDir
	}
	return content.DemoCampaign(ctx, d, outDir, segments)
}

// printDemoContent prints the demo campaign readably: one sample message
// per segment, channel and language, then where the previews are.
func printDemoContent(w io.Writer, ds content.DemoSummary) {
	provider, model := llm.SplitName(ds.Model)
	fmt.Fprintf(w, "sample campaign 示例营销文案: %d items, %d flagged, %d model calls · provider: %s · model: %s\n",
		ds.Items, ds.Flagged, ds.ModelCalls, provider, model)
	// One segment's samples show every channel in both languages; the
	// rest are in the previews.
	shown := 0
	for _, s := range ds.Samples {
		if s.Segment != ds.Samples[0].Segment {
			continue
		}
		shown++
		fmt.Fprintf(w, "[%s · %s · %s · %s] %s\n  %s\n", s.Segment, s.Channel, s.Language, s.Status, s.Product,
			strings.ReplaceAll(strings.TrimSpace(s.Text), "\n", "\n  "))
	}
	if rest := len(ds.Samples) - shown; rest > 0 {
		fmt.Fprintf(w, "(%d more samples for the other segments in the previews)\n", rest)
	}
	fmt.Fprintf(w, "previews 预览: %s\n", filepath.Join(ds.OutDir, "index.html"))
}
