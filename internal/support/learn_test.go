package support_test

import (
	"slices"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/support"
)

// learnProbes are messages of every kind, in both languages and scripts,
// that the determinism test reads.
var learnProbes = []string{"时尚相机包多少钱？", "我要投诉，你们太过分了！！", "put me through to a real person", "退貨要幾天",
	"how long does shipping to Leeds take?", "推荐一个适合送妈妈的礼物", "where is my order 20260101-0001"}

// TestClassifierTrainingIsDeterministic trains twice on the same corpus
// and reads the same probabilities, bit for bit.
func TestClassifierTrainingIsDeterministic(t *testing.T) {
	ex := support.LearnExamples()
	start := time.Now()
	a, err := support.TrainClassifier(ex)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained on %d examples in %v", len(ex), time.Since(start))
	b, err := support.TrainClassifier(slices.Clone(ex))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range learnProbes {
		sig := support.Analyze(q, "")
		if pa, pb := a.Predict(q, sig), b.Predict(q, sig); pa != pb {
			t.Errorf("%q: %+v, then %+v", q, pa, pb)
		}
	}
}
