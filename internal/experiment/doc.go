// Package experiment is the one place where Chorus makes a statistical
// decision about a campaign: whether a variant beat the control, whether a
// campaign beat its holdout, which variant goes to the rest of an audience,
// and how a long-running send splits its traffic. The tracking server,
// attribution, `campaign report`, `experiment analyze` and the console all
// call it; none of them computes a p-value of its own.
//
// # What the figures mean
//
// Every comparison is "variant minus control" (or "treated minus holdout").
// Rates are conversions per recipient; revenue is revenue per recipient
// (recipients who did not buy count as zero).
//
//   - Fixed-horizon figures (the default) are valid when the data are
//     looked at once, at a sample size fixed in advance: the pooled
//     two-proportion z-test (whose square is Pearson's chi-square without
//     continuity correction), Wilson score intervals per rate, Newcombe's
//     hybrid score interval for a difference of rates, a delta-method
//     interval for the relative lift, and Welch's t for revenue per
//     recipient (a percentile bootstrap on request; revenue too skewed
//     for its sample is flagged, see CompareRevenue).
//   - Sequential figures (Options.Sequential) are always valid: their
//     false-positive rate and coverage hold however often, and whenever,
//     the running test is looked at, and the test may be stopped at any
//     look. They come from a normal-mixture sequential probability ratio
//     test (mSPRT), equivalently the asymptotic normal-mixture confidence
//     sequence, tuned to be narrowest at a planned sample size. They are
//     wider than fixed-horizon figures at that size: the price of peeking.
//   - Win probabilities are Bayesian: the posterior probability, under
//     independent Beta priors on each rate (uniform by default), that a
//     variant's true rate exceeds the control's, computed exactly.
//
// A Report says which kind its p-values and intervals are (Report.Method).
// With several variants the p-values are also Holm-adjusted, and
// "significant" uses the adjusted value. A sample-ratio-mismatch check
// warns when the recipients are not split as planned, because every other
// figure is then suspect.
//
// Deciding (Decide) follows one rule: every arm has at least the minimum
// sample, the split passes the SRM check, and a variant's win probability
// against the control reaches the threshold (defaults: 500 recipients and
// 95%); otherwise the control, or the declared default, goes out and the
// decision says why. Thompson sampling (Thompson) allocates the traffic of
// long-running or triggered sends.
//
// Package experimentbench checks all of this on simulated campaigns with
// known truth (`chorus bench experiment`).
package experiment
