package recommend

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

func retailOptions(tb testing.TB) Options {
	tb.Helper()
	cfg, err := config.Load("", os.LookupEnv)
	if err != nil {
		tb.Fatal(err)
	}
	return FromConfig(cfg.Recommend)
}

func logReport(t *testing.T, rep *EvalReport) {
	t.Logf("cutoff %s: %d test users, %d relevant pairs, %d candidate items; blend %v (tuning: %s, val ndcg %.4f)",
		rep.Cutoff.Format(time.DateOnly), rep.TestUsers, rep.RelevantItems, rep.CandidateItems, rep.Blend, rep.Tuning.Reason, rep.Tuning.NDCG)
	for _, r := range rep.Results {
		m := r.Metrics
		t.Logf("%-12s HR %.4f P %.4f R %.4f NDCG %.4f MAP %.4f cov %.3f ratio %.2f (%.2fs)", r.Recommender, m.HR, m.Precision, m.Recall, m.NDCG, m.MAP, m.Coverage, r.NDCGRatio, r.RankSeconds)
	}
	t.Logf("train seconds %v", rep.TrainSeconds)
}

func TestRetailEvalExperiment(t *testing.T) {
	if os.Getenv("CHORUS_RECOMMEND_EXPERIMENT") == "" {
		t.Skip("set CHORUS_RECOMMEND_EXPERIMENT=2011-10-01[,…] to print evaluations with CHORUS_RECOMMEND_* settings")
	}
	d := loadRetail(t)
	for _, c := range splitComma(os.Getenv("CHORUS_RECOMMEND_EXPERIMENT")) {
		cut, err := time.Parse(time.DateOnly, c)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Evaluate(context.Background(), d, EvalOptions{Cutoff: cut, K: 10, Train: retailOptions(t)})
		if err != nil {
			t.Fatal(err)
		}
		logReport(t, rep)
	}
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}
