// Package supportbench measures the customer-service assistant: answers
// per second on an evaluation set, with the retrieval alone as the
// baseline measured in the same run. `chorus bench support` prints its
// report.
package supportbench

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/support"
)

// Report is what Measure measured (the JSON of `chorus bench support`).
type Report struct {
	Questions      int     `json:"questions"`
	Runs           int     `json:"runs"`
	Provider       string  `json:"provider"`
	IndexBuildMS   float64 `json:"index_build_ms"`
	Passages       int     `json:"passages"`
	AnswersPerSec  float64 `json:"answers_per_second"`
	P50MS          float64 `json:"p50_ms"`
	P95MS          float64 `json:"p95_ms"`
	SearchesPerSec float64 `json:"searches_per_second"` // the baseline: retrieval alone
	// AnswerToSearch is the time of an answer over the time of one search
	// of the same question, measured in the same run.
	AnswerToSearch float64 `json:"answer_to_search"`
}

// Options are `chorus bench support`'s flags: the runs to time.
type Options struct {
	Runs int `flag:"runs"`
}

// DefaultOptions are three runs.
func DefaultOptions() Options { return Options{Runs: 3} }

// Measure times building the search index from st, then answers every
// case's question with as, runs times, and searches the same questions in
// an index of its own: the best run of each is reported. provider names
// the assistant's model. A store with nothing to search is Invalid.
func Measure(ctx context.Context, as *support.Assistant, st support.SyncStore, provider string, cases []support.EvalCase, runs int) (Report, error) {
	r := Report{Questions: len(cases), Runs: runs, Provider: provider}
	if runs < 1 {
		return r, apperr.New(apperr.Invalid, "--runs must be at least 1")
	}
	ix, err := support.NewIndex()
	if err != nil {
		return r, err
	}
	defer ix.Close()
	t0 := time.Now()
	n, err := ix.Sync(ctx, st)
	if err != nil {
		return r, err
	}
	r.IndexBuildMS, r.Passages = ms(time.Since(t0)), n
	if n == 0 {
		return r, apperr.New(apperr.Invalid, "the store has no products or knowledge base: run chorus demo first")
	}
	var best []time.Duration
	bestSec, searchSec := 0.0, 0.0
	for range runs {
		lat, sec, err := answerAll(ctx, as, cases)
		if err != nil {
			return r, err
		}
		if bestSec == 0 || sec < bestSec {
			bestSec, best = sec, lat
		}
		if sec, err = searchAll(ctx, ix, cases); err != nil {
			return r, err
		}
		if searchSec == 0 || sec < searchSec {
			searchSec = sec
		}
	}
	slices.Sort(best)
	r.AnswersPerSec = float64(len(cases)) / bestSec
	r.SearchesPerSec = float64(len(cases)) / searchSec
	r.P50MS, r.P95MS = ms(best[len(best)/2]), ms(best[min(len(best)-1, len(best)*95/100)])
	r.AnswerToSearch = bestSec / searchSec
	return r, nil
}

// answerAll answers every question once: each latency and the total.
func answerAll(ctx context.Context, as *support.Assistant, cases []support.EvalCase) ([]time.Duration, float64, error) {
	lat := make([]time.Duration, len(cases))
	start := time.Now()
	for i, c := range cases {
		s := time.Now()
		if _, err := as.Answer(ctx, support.Request{Text: c.Question, Language: c.Language, Channel: "bench"}, nil); err != nil {
			return nil, 0, err
		}
		lat[i] = time.Since(s)
	}
	return lat, time.Since(start).Seconds(), nil
}

// searchAll searches every question once, as the assistant retrieves.
func searchAll(ctx context.Context, ix *support.Index, cases []support.EvalCase) (float64, error) {
	start := time.Now()
	for _, c := range cases {
		if _, err := ix.Search(ctx, c.Question, support.SearchOptions{Language: support.DetectLanguage(c.Question), K: 5}); err != nil {
			return 0, err
		}
	}
	return time.Since(start).Seconds(), nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// WriteText writes the report for a person.
func (r Report) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "questions\t%d × %d runs (provider %s)\n", r.Questions, r.Runs, r.Provider)
	fmt.Fprintf(tw, "index build\t%.1f ms\t(%d passages)\n", r.IndexBuildMS, r.Passages)
	fmt.Fprintf(tw, "answers/s\t%.0f\t(p50 %.2f ms, p95 %.2f ms)\n", r.AnswersPerSec, r.P50MS, r.P95MS)
	fmt.Fprintf(tw, "baseline: searches/s\t%.0f\t(an answer costs %.1f searches)\n", r.SearchesPerSec, r.AnswerToSearch)
	return tw.Flush()
}
