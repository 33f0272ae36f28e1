// Package experimentbench checks the statistics of package experiment on
// thousands of simulated campaigns whose truth is chosen: how often an A/A
// test (no real difference) is called significant, at one look, with
// naive peeking and with the sequential method; how often 95% intervals
// cover the true rates, difference, lift and revenue; the power at a
// stated effect; and the regret of Thompson sampling against a uniform
// split. `chorus bench experiment` prints its report; its tests run a
// reduced version.
//
// Every simulation draws from its own random stream, seeded by the run's
// seed and the simulation's index, so a report depends only on its
// options, not on the number of workers or their scheduling.
package experimentbench

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/progress"
)

// Options shape a run; zero fields take the defaults in brackets.
type Options struct {
	// Sims is the number of simulated A/A tests, and of A/B tests
	// [10000].
	Sims int `json:"sims" flag:"sims"`
	// Recipients per arm at the final look [10000].
	Recipients int64 `json:"recipients_per_arm" flag:"recipients"`
	// Looks are the evenly spaced looks of the peeking and sequential
	// tests [20].
	Looks int `json:"looks" flag:"looks"`
	// Rate is the control's true conversion rate [0.05].
	Rate float64 `json:"rate" flag:"rate"`
	// Lift is the variant's true relative lift in the A/B tests (power
	// and coverage) [0.20: 5% → 6%].
	Lift  float64 `json:"lift" flag:"lift"`
	Alpha float64 `json:"alpha" flag:"alpha"` // [0.05]
	// OrderMedian and OrderSigma shape a buyer's revenue: lognormal with
	// this median and log-scale σ [60, 1.0: mean ≈ 99, right-skewed].
	OrderMedian float64 `json:"order_median"`
	OrderSigma  float64 `json:"order_sigma"`
	// The bandit: true rates of its arms [0.04, 0.05, 0.06], recipients
	// per run [20000], recipients between posterior updates [500] and
	// runs [200].
	BanditRates      []float64 `json:"bandit_rates" flag:"bandit-rates"`
	BanditRecipients int       `json:"bandit_recipients" flag:"bandit-recipients"`
	BanditBatch      int       `json:"bandit_batch" flag:"bandit-batch"`
	BanditSims       int       `json:"bandit_sims" flag:"bandit-sims"`
	// The heavy-tailed revenue check: runs [1000], recipients per arm of
	// the small A/B test, and of the holdout (the treated group is nine
	// times larger) [400], log-scale σ of order values [1.5], bootstrap
	// resamples [1000].
	HeavySims       int     `json:"heavy_sims" flag:"heavy-sims"`
	HeavyRecipients int64   `json:"heavy_recipients"`
	HeavySigma      float64 `json:"heavy_sigma"`
	HeavyResamples  int     `json:"heavy_resamples"`
	Seed            uint64  `json:"seed" flag:"seed"` // [1]
	// Workers run simulations in parallel [GOMAXPROCS]; they do not
	// change the figures.
	Workers int `json:"-"`
}

// DefaultOptions are `chorus bench experiment`'s: the defaults in
// brackets, shown in the command's help.
func DefaultOptions() Options {
	return Options{Sims: 10000, Recipients: 10000, Looks: 20, Rate: 0.05, Lift: 0.20, Alpha: 0.05, BanditSims: 200,
		BanditRecipients: 20000, BanditBatch: 500, BanditRates: []float64{0.04, 0.05, 0.06}, HeavySims: 1000, Seed: 1}
}

func (o Options) withDefaults() Options {
	if o.Sims <= 0 {
		o.Sims = 10000
	}
	if o.Recipients <= 0 {
		o.Recipients = 10000
	}
	if o.Looks <= 0 {
		o.Looks = 20
	}
	if o.Rate <= 0 {
		o.Rate = 0.05
	}
	if o.Lift == 0 {
		o.Lift = 0.20
	}
	if o.Alpha <= 0 {
		o.Alpha = 0.05
	}
	if o.OrderMedian <= 0 {
		o.OrderMedian = 60
	}
	if o.OrderSigma <= 0 {
		o.OrderSigma = 1
	}
	if len(o.BanditRates) == 0 {
		o.BanditRates = []float64{0.04, 0.05, 0.06}
	}
	if o.BanditRecipients <= 0 {
		o.BanditRecipients = 20000
	}
	if o.BanditBatch <= 0 {
		o.BanditBatch = 500
	}
	if o.BanditSims <= 0 {
		o.BanditSims = 200
	}
	if o.HeavySims <= 0 {
		o.HeavySims = 1000
	}
	if o.HeavyRecipients <= 0 {
		o.HeavyRecipients = 400
	}
	if o.HeavySigma <= 0 {
		o.HeavySigma = 1.5
	}
	if o.HeavyResamples <= 0 {
		o.HeavyResamples = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

func (o Options) validate() error {
	switch {
	case o.Rate >= 1 || o.Rate*(1+o.Lift) >= 1 || o.Rate*(1+o.Lift) <= 0:
		return apperr.New(apperr.Invalid, "the true rates must lie between 0 and 1 (rate %g, lift %g)", o.Rate, o.Lift)
	case o.Alpha >= 1:
		return apperr.New(apperr.Invalid, "alpha must be between 0 and 1")
	case int64(o.Looks) > o.Recipients:
		return apperr.New(apperr.Invalid, "more looks (%d) than recipients per arm (%d)", o.Looks, o.Recipients)
	case len(o.BanditRates) < 2:
		return apperr.New(apperr.Invalid, "the bandit needs at least two arms")
	}
	for _, p := range o.BanditRates {
		if !(p > 0 && p < 1) {
			return apperr.New(apperr.Invalid, "bandit rate %g is not between 0 and 1", p)
		}
	}
	return nil
}

// Share is a proportion estimated from simulations, with its 95% Wilson
// interval (the Monte Carlo uncertainty of the estimate).
type Share struct {
	Hits   int     `json:"hits"`
	Trials int     `json:"trials"`
	Value  float64 `json:"value"`
	Low    float64 `json:"ci_low"`
	High   float64 `json:"ci_high"`
}

func share(hits, trials int) Share {
	iv := experiment.Wilson(int64(hits), int64(trials), 0.95)
	v := 0.0
	if trials > 0 {
		v = float64(hits) / float64(trials)
	}
	return Share{Hits: hits, Trials: trials, Value: v, Low: iv.Low, High: iv.High}
}

// Target is a figure with the range it must fall in.
type Target struct {
	Share
	Min float64 `json:"target_min,omitempty"`
	Max float64 `json:"target_max,omitempty"`
	Met bool    `json:"met"`
}

func target(s Share, lo, hi float64) Target {
	return Target{Share: s, Min: lo, Max: hi, Met: s.Value >= lo && s.Value <= hi}
}

// Report is the figures of one run.
type Report struct {
	Options Options `json:"options"`

	// FalsePositives are A/A tests (both arms at Rate) called
	// significant at Alpha.
	FalsePositives struct {
		// FixedHorizon: one look, at the end, pooled z-test.
		FixedHorizon Target `json:"fixed_horizon"`
		// NaivePeeking: the same test at every look, stopping at the
		// first p < Alpha. It is expected to be far above Alpha: this is
		// the inflation the sequential method prevents.
		NaivePeeking Share `json:"naive_peeking"`
		// Sequential: the always-valid p-value at every look.
		Sequential Target `json:"sequential"`
		// Revenue per recipient, Welch at one look and the sequential
		// test at every look.
		RevenueFixed      Target `json:"revenue_fixed_horizon"`
		RevenueSequential Target `json:"revenue_sequential"`
	} `json:"false_positive_rate"`

	// Coverage is how often 95% intervals contain the truth, in the A/B
	// tests at the final look.
	Coverage struct {
		Rate       Target `json:"rate_wilson"`             // each arm's rate
		Difference Target `json:"difference_newcombe"`     // variant - control
		Lift       Target `json:"relative_lift"`           // variant/control - 1
		Revenue    Target `json:"revenue_per_recipient"`   // Welch, difference
		Holdout    Target `json:"holdout_lift_90_10"`      // 90/10 treated/holdout split, difference
		Sequential Target `json:"sequential_time_uniform"` // the difference at every look at once
	} `json:"coverage"`

	// Power is how often the A/B tests (true lift Lift) are called
	// significant in the right direction.
	Power struct {
		TrueControl float64 `json:"true_control_rate"`
		TrueVariant float64 `json:"true_variant_rate"`
		Fixed       Share   `json:"fixed_horizon"`
		// FixedTheory is the normal approximation of the fixed test's
		// power, to check the simulation against.
		FixedTheory float64 `json:"fixed_horizon_theory"`
		Sequential  Share   `json:"sequential"`
		// SequentialMeanLook is the average look (1..Looks) at which a
		// sequential test that detects the effect first does so.
		SequentialMeanLook float64 `json:"sequential_mean_stopping_look"`
		// WinnerPicked is how often the decision rule (500 per arm, 95%
		// win probability) sends the variant at the final look.
		WinnerPicked Share `json:"decision_picks_variant"`
	} `json:"power"`

	Bandit BanditReport `json:"bandit"`

	// HeavyTail compares Welch's interval with the percentile bootstrap
	// where revenue is too skewed for the sample (few buyers, lognormal
	// orders with σ = HeavySigma), in a small A/B test and against a
	// small holdout. It is why experiment.CompareRevenue defaults to
	// Welch: neither reaches 95% there, and the bootstrap covers less.
	HeavyTail struct {
		Recipients int64   `json:"recipients_per_arm"`
		Sigma      float64 `json:"order_sigma"`
		// HeavyShare is how often Cochran's rule flagged the data.
		HeavyShare       float64 `json:"flagged_heavy_share"`
		Welch            Share   `json:"ab_welch"`
		Bootstrap        Share   `json:"ab_bootstrap"`
		HoldoutWelch     Share   `json:"holdout_welch"`
		HoldoutBootstrap Share   `json:"holdout_bootstrap"`
	} `json:"heavy_tailed_revenue_coverage"`

	Seconds float64 `json:"seconds"`
}

// BanditReport compares Thompson sampling with a uniform split on the
// same simulated audiences.
type BanditReport struct {
	Rates      []float64 `json:"true_rates"`
	Recipients int       `json:"recipients"`
	Batch      int       `json:"batch"`
	Sims       int       `json:"sims"`
	// Regret is the expected conversions lost against always sending the
	// best arm: Σ (best rate - rate of the arm sent), averaged over runs.
	ThompsonRegret float64 `json:"thompson_regret"`
	UniformRegret  float64 `json:"uniform_regret"`
	// RegretRatio is ThompsonRegret / UniformRegret (lower is better).
	RegretRatio float64 `json:"regret_ratio"`
	// Conversions actually drawn, averaged over runs.
	ThompsonConversions float64 `json:"thompson_conversions"`
	UniformConversions  float64 `json:"uniform_conversions"`
	// BestArmShare is the share of recipients Thompson sampling sent the
	// best arm, over all runs, and in the last batch.
	BestArmShare     float64 `json:"best_arm_share"`
	BestArmShareLast float64 `json:"best_arm_share_last_batch"`
}

// Targets from the issue.
const (
	MaxFalsePositive = 0.055
	MinCoverage      = 0.94
	MaxCoverage      = 0.96
)

// Run simulates and reports. p receives one unit per simulated test or
// bandit run (may be nil). It stops early, with ctx's error, when ctx is
// done.
func Run(ctx context.Context, o Options, p progress.Reporter) (Report, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return Report{}, err
	}
	if p == nil {
		p = progress.Nop{}
	}
	defer p.Done()
	t0 := time.Now()
	r := Report{Options: o}

	aa := make([]aaResult, o.Sims)
	if err := parallel(ctx, o.Workers, o.Sims, p, func(i int) { aa[i] = simulateAA(o, i) }); err != nil {
		return Report{}, err
	}
	ab := make([]abResult, o.Sims)
	if err := parallel(ctx, o.Workers, o.Sims, p, func(i int) { ab[i] = simulateAB(o, i) }); err != nil {
		return Report{}, err
	}
	heavy := make([]heavyResult, o.HeavySims)
	if err := parallel(ctx, o.Workers, o.HeavySims, p, func(i int) { heavy[i] = simulateHeavy(o, i) }); err != nil {
		return Report{}, err
	}
	bandit := make([]banditResult, o.BanditSims)
	if err := parallel(ctx, o.Workers, o.BanditSims, p, func(i int) { bandit[i] = simulateBandit(o, i) }); err != nil {
		return Report{}, err
	}

	var fixed, peek, seq, rf, rs int
	for _, a := range aa {
		fixed += b2i(a.fixed)
		peek += b2i(a.peek)
		seq += b2i(a.seq)
		rf += b2i(a.revFixed)
		rs += b2i(a.revSeq)
	}
	n := o.Sims
	fp := &r.FalsePositives
	fp.FixedHorizon = target(share(fixed, n), 0, MaxFalsePositive)
	fp.NaivePeeking = share(peek, n)
	fp.Sequential = target(share(seq, n), 0, MaxFalsePositive)
	fp.RevenueFixed = target(share(rf, n), 0, MaxFalsePositive)
	fp.RevenueSequential = target(share(rs, n), 0, MaxFalsePositive)

	var rate, diff, lift, liftN, rev, hold, seqCov, pf, ps, pick int
	var looks float64
	for _, b := range ab {
		rate += b.rateCovered
		diff += b2i(b.diffCovered)
		if b.liftDefined {
			liftN++
			lift += b2i(b.liftCovered)
		}
		rev += b2i(b.revCovered)
		hold += b2i(b.holdoutCovered)
		seqCov += b2i(b.seqCovered)
		pf += b2i(b.fixedDetects)
		if b.seqLook > 0 {
			ps++
			looks += float64(b.seqLook)
		}
		pick += b2i(b.picked)
	}
	cv := &r.Coverage
	cv.Rate = target(share(rate, 2*n), MinCoverage, MaxCoverage)
	cv.Difference = target(share(diff, n), MinCoverage, MaxCoverage)
	cv.Lift = target(share(lift, liftN), MinCoverage, MaxCoverage)
	cv.Revenue = target(share(rev, n), MinCoverage, MaxCoverage)
	cv.Holdout = target(share(hold, n), MinCoverage, MaxCoverage)
	cv.Sequential = target(share(seqCov, n), 1-o.Alpha, 1)

	pw := &r.Power
	pw.TrueControl, pw.TrueVariant = o.Rate, o.Rate*(1+o.Lift)
	pw.Fixed = share(pf, n)
	pw.FixedTheory = fixedPower(o)
	pw.Sequential = share(ps, n)
	if ps > 0 {
		pw.SequentialMeanLook = looks / float64(ps)
	}
	pw.WinnerPicked = share(pick, n)

	r.Bandit = summariseBandit(o, bandit)
	var hw, hb, hhw, hhb, flagged int
	for _, h := range heavy {
		hw += b2i(h.welch)
		hb += b2i(h.boot)
		hhw += b2i(h.holdWelch)
		hhb += b2i(h.holdBoot)
		flagged += b2i(h.heavy)
	}
	ht := &r.HeavyTail
	ht.Recipients, ht.Sigma = o.HeavyRecipients, o.HeavySigma
	ht.HeavyShare = float64(flagged) / float64(o.HeavySims)
	ht.Welch, ht.Bootstrap = share(hw, o.HeavySims), share(hb, o.HeavySims)
	ht.HoldoutWelch, ht.HoldoutBootstrap = share(hhw, o.HeavySims), share(hhb, o.HeavySims)
	r.Seconds = time.Since(t0).Seconds()
	return r, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// parallel runs fn(0..n-1) on workers goroutines.
func parallel(ctx context.Context, workers, n int, p progress.Reporter, fn func(int)) error {
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fn(i)
				p.Add(1)
			}
		}()
	}
	var err error
	for i := 0; i < n; i++ {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return err
}

// stream is simulation i's random source for one kind of simulation.
func stream(o Options, kind uint64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(o.Seed, kind<<40|uint64(i)))
}

// arm accumulates one simulated arm across looks.
type arm struct {
	n, conv    int64
	sum, sumsq float64
}

// add sends m more recipients to an arm with true rate p; each buyer
// spends a lognormal amount.
func (a *arm) add(rng *rand.Rand, o Options, m int64, p float64) {
	k := int64(distuv.Binomial{N: float64(m), P: p, Src: rng}.Rand())
	mu := math.Log(o.OrderMedian)
	for range k {
		v := math.Exp(mu + o.OrderSigma*rng.NormFloat64())
		a.sum += v
		a.sumsq += v * v
	}
	a.n += m
	a.conv += k
}

func (a arm) counts() experiment.Counts {
	return experiment.Counts{Recipients: a.n, Conversions: a.conv}
}

func (a arm) moments() experiment.Moments {
	return experiment.Moments{N: a.n, Sum: a.sum, SumSq: a.sumsq}
}

// lookSize is how many recipients each arm gains at look l (1-based) so
// that the looks are even and end at o.Recipients.
func lookSize(o Options, l int) int64 {
	return o.Recipients*int64(l)/int64(o.Looks) - o.Recipients*int64(l-1)/int64(o.Looks)
}

func (o Options) mixture() experiment.Mixture {
	return experiment.Mixture{Alpha: o.Alpha, Tuning: 2 * o.Recipients}
}

type aaResult struct{ fixed, peek, seq, revFixed, revSeq bool }

func simulateAA(o Options, i int) aaResult {
	rng := stream(o, 1, i)
	var v, c arm
	var r aaResult
	mix := o.mixture()
	for l := 1; l <= o.Looks; l++ {
		m := lookSize(o, l)
		v.add(rng, o, m, o.Rate)
		c.add(rng, o, m, o.Rate)
		ft := experiment.CompareProportions(v.counts(), c.counts(), 1-o.Alpha)
		if ft.PValue < o.Alpha {
			r.peek = true
		}
		if mix.TestRates(v.counts(), c.counts()).PValue < o.Alpha {
			r.seq = true
		}
		mv, mc := v.moments(), c.moments()
		if mix.TestMeans(mv, mc).PValue < o.Alpha {
			r.revSeq = true
		}
		if l == o.Looks {
			r.fixed = ft.PValue < o.Alpha
			r.revFixed = experiment.Welch(mv, mc, 1-o.Alpha).PValue < o.Alpha
		}
	}
	return r
}

type abResult struct {
	rateCovered                            int
	diffCovered, liftCovered, liftDefined  bool
	revCovered, holdoutCovered, seqCovered bool
	fixedDetects, picked                   bool
	seqLook                                int
}

func simulateAB(o Options, i int) abResult {
	rng := stream(o, 2, i)
	p0, p1 := o.Rate, o.Rate*(1+o.Lift)
	meanOrder := o.OrderMedian * math.Exp(o.OrderSigma*o.OrderSigma/2)
	trueDiff, trueLift := p1-p0, p1/p0-1
	trueRev := (p1 - p0) * meanOrder
	level := 1 - o.Alpha
	var v, c arm
	r := abResult{seqCovered: true}
	mix := o.mixture()
	for l := 1; l <= o.Looks; l++ {
		m := lookSize(o, l)
		v.add(rng, o, m, p1)
		c.add(rng, o, m, p0)
		vc, cc := v.counts(), c.counts()
		d := vc.Rate() - cc.Rate()
		s := mix.TestRates(vc, cc)
		if !s.CI.Contains(trueDiff) {
			r.seqCovered = false
		}
		if r.seqLook == 0 && s.PValue < o.Alpha && d > 0 {
			r.seqLook = l
		}
	}
	vc, cc := v.counts(), c.counts()
	r.rateCovered = b2i(experiment.Wilson(vc.Conversions, vc.Recipients, level).Contains(p1)) +
		b2i(experiment.Wilson(cc.Conversions, cc.Recipients, level).Contains(p0))
	ft := experiment.CompareProportions(vc, cc, level)
	r.diffCovered = ft.CI.Contains(trueDiff)
	r.fixedDetects = ft.PValue < o.Alpha && ft.Difference > 0
	if _, iv, _, ok := experiment.RelativeLift(vc, cc, level); ok {
		r.liftDefined, r.liftCovered = true, iv.Contains(trueLift)
	}
	r.revCovered = experiment.Welch(v.moments(), c.moments(), level).CI.Contains(trueRev)
	rep, err := experiment.Analyze([]experiment.Arm{
		{Name: "control", Recipients: c.n, Conversions: c.conv, Control: true},
		{Name: "variant", Recipients: v.n, Conversions: v.conv},
	}, experiment.Options{Alpha: o.Alpha})
	r.picked = err == nil && rep.Decision.Winner && rep.Decision.Send == "variant"

	// A campaign against a 10% holdout: 9 treated for each held back,
	// the same total as the A/B test.
	var t, h arm
	total := 2 * o.Recipients
	t.add(rng, o, total*9/10, p1)
	h.add(rng, o, total-total*9/10, p0)
	r.holdoutCovered = experiment.CompareProportions(t.counts(), h.counts(), level).CI.Contains(trueDiff)
	return r
}

// fixedPower is the normal approximation of the two-sided fixed test's
// power to detect the A/B tests' effect.
func fixedPower(o Options) float64 {
	p0, p1 := o.Rate, o.Rate*(1+o.Lift)
	n := float64(o.Recipients)
	se := math.Sqrt(p0*(1-p0)/n + p1*(1-p1)/n)
	z := distuv.UnitNormal.Quantile(1 - o.Alpha/2)
	d := math.Abs(p1-p0) / se
	return distuv.UnitNormal.CDF(d-z) + distuv.UnitNormal.CDF(-d-z)
}

type banditResult struct {
	tsRegret, uniRegret float64
	tsConv, uniConv     int64
	best, bestLast      int64
	lastBatch           int64
}

func simulateBandit(o Options, i int) banditResult {
	rng := stream(o, 3, i)
	k := len(o.BanditRates)
	bestP, bestI := 0.0, 0
	for j, p := range o.BanditRates {
		if p > bestP {
			bestP, bestI = p, j
		}
	}
	th := experiment.NewThompson(experiment.Prior{}, 0, o.Seed<<20^uint64(i))
	seen := make([]experiment.Counts, k)
	pending := make([]experiment.Counts, k)
	var r banditResult
	for sent := 0; sent < o.BanditRecipients; sent++ {
		// Thompson: the arm is drawn from the posteriors of what was
		// observed up to the last batch (conversions arrive late).
		j := th.Choose(seen)
		conv := rng.Float64() < o.BanditRates[j]
		pending[j].Recipients++
		if conv {
			pending[j].Conversions++
			r.tsConv++
		}
		r.tsRegret += bestP - o.BanditRates[j]
		if j == bestI {
			r.best++
		}
		if sent >= o.BanditRecipients-o.BanditBatch {
			r.lastBatch++
			if j == bestI {
				r.bestLast++
			}
		}
		// Uniform: round robin over the arms.
		u := sent % k
		if rng.Float64() < o.BanditRates[u] {
			r.uniConv++
		}
		r.uniRegret += bestP - o.BanditRates[u]
		if (sent+1)%o.BanditBatch == 0 {
			for a := range seen {
				seen[a].Recipients += pending[a].Recipients
				seen[a].Conversions += pending[a].Conversions
				pending[a] = experiment.Counts{}
			}
		}
	}
	return r
}

func summariseBandit(o Options, rs []banditResult) BanditReport {
	b := BanditReport{Rates: o.BanditRates, Recipients: o.BanditRecipients, Batch: o.BanditBatch, Sims: o.BanditSims}
	var best, last, lastN int64
	for _, r := range rs {
		b.ThompsonRegret += r.tsRegret
		b.UniformRegret += r.uniRegret
		b.ThompsonConversions += float64(r.tsConv)
		b.UniformConversions += float64(r.uniConv)
		best += r.best
		last += r.bestLast
		lastN += r.lastBatch
	}
	n := float64(len(rs))
	b.ThompsonRegret /= n
	b.UniformRegret /= n
	b.ThompsonConversions /= n
	b.UniformConversions /= n
	if b.UniformRegret > 0 {
		b.RegretRatio = b.ThompsonRegret / b.UniformRegret
	}
	b.BestArmShare = float64(best) / (n * float64(o.BanditRecipients))
	if lastN > 0 {
		b.BestArmShareLast = float64(last) / float64(lastN)
	}
	return b
}

type heavyResult struct{ welch, boot, holdWelch, holdBoot, heavy bool }

// simulateHeavy draws a small A/B test and a small holdout comparison
// with per-recipient revenue and checks whether Welch's and the
// bootstrap's 95% intervals cover the true difference in revenue per
// recipient.
func simulateHeavy(o Options, i int) heavyResult {
	rng := stream(o, 4, i)
	p0, p1 := o.Rate, o.Rate*(1+o.Lift)
	mu := math.Log(o.OrderMedian)
	truth := (p1 - p0) * o.OrderMedian * math.Exp(o.HeavySigma*o.HeavySigma/2)
	draw := func(n int64, p float64) experiment.Sample {
		s := experiment.Sample{N: n}
		k := int64(distuv.Binomial{N: float64(n), P: p, Src: rng}.Rand())
		for range k {
			s.Values = append(s.Values, math.Exp(mu+o.HeavySigma*rng.NormFloat64()))
		}
		return s
	}
	level := 1 - o.Alpha
	seed := o.Seed<<24 ^ uint64(i)
	var r heavyResult
	v, c := draw(o.HeavyRecipients, p1), draw(o.HeavyRecipients, p0)
	w := experiment.CompareRevenue(v, c, level, experiment.MethodWelch, 0, seed)
	r.heavy = w.HeavyTailed
	r.welch = w.CI.Contains(truth)
	r.boot = experiment.CompareRevenue(v, c, level, experiment.MethodBootstrap, o.HeavyResamples, seed).CI.Contains(truth)
	t, h := draw(9*o.HeavyRecipients, p1), draw(o.HeavyRecipients, p0)
	r.holdWelch = experiment.CompareRevenue(t, h, level, experiment.MethodWelch, 0, seed).CI.Contains(truth)
	r.holdBoot = experiment.CompareRevenue(t, h, level, experiment.MethodBootstrap, o.HeavyResamples, seed).CI.Contains(truth)
	return r
}
