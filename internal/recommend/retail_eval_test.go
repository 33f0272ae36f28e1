package recommend

import (
	"context"
	"testing"
	"time"
)

// TestRetailEvalBeatsPopularity is the acceptance check on the
// Online Retail data: at the 2011-10-01 cutoff the best recommender reaches
// at least 2.2 times popularity's NDCG@10 in the same run, and beats the
// plain item-to-item cosine. (Other cutoffs are printed by
// TestRetailEvalExperiment and `chorus recommend eval`.)
func TestRetailEvalBeatsPopularity(t *testing.T) {
	d := loadRetail(t)
	rep, err := Evaluate(context.Background(), d, EvalOptions{Cutoff: time.Date(2011, 10, 1, 0, 0, 0, 0, time.UTC), K: 10, Train: DefaultOptions()})
	if err != nil {
		t.Fatal(err)
	}
	logReport(t, rep)
	by := map[string]Result{}
	for _, r := range rep.Results {
		by[r.Recommender] = r
		if r.Metrics.NDCG <= 0 || r.Metrics.Coverage <= 0 {
			t.Errorf("%s scored nothing: %+v", r.Recommender, r.Metrics)
		}
	}
	best := by[rep.Best]
	if best.NDCGRatio < 2.2 {
		t.Errorf("best recommender %s reaches %.2fx popularity's NDCG@10, want >= 2.2x", rep.Best, best.NDCGRatio)
	}
	// The best must also beat plain cosine and the short half-life
	// "trending" popularity, a much stronger baseline on this seasonal shop.
	for _, base := range []string{SourceCosine, SourceTrending} {
		if best.Metrics.NDCG <= by[base].Metrics.NDCG {
			t.Errorf("best %s does not beat %s", rep.Best, base)
		}
	}
	if !rep.Tuning.Tuned || rep.Tuning.ValidationFrom.After(rep.Cutoff) {
		t.Errorf("tuning %+v", rep.Tuning)
	}
	// 1,778 customers seen before the cutoff bought something new after it
	// (cleaning as in ../shared/data/README.md; cancellations are refunds).
	if rep.TestUsers < 1700 || rep.TestUsers > 1850 {
		t.Errorf("%d test users", rep.TestUsers)
	}
}
