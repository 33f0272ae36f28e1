package experiment_test

import (
	"fmt"

	"github.com/chorusmkt/chorus/internal/experiment"
)

// A two-variant test at a fixed horizon: the figures per variant and the
// decision for the rest of the audience.
func ExampleAnalyze() {
	rep, err := experiment.Analyze([]experiment.Arm{
		{Name: "A", Recipients: 1000, Conversions: 120, Control: true},
		{Name: "B", Recipients: 1000, Conversions: 150},
	}, experiment.Options{})
	if err != nil {
		panic(err)
	}
	b := rep.Variants[1]
	fmt.Printf("%s: χ² = %.4f, p = %.4f, difference %+.3f [%.4f, %.4f], P(B > A) = %.4f\n",
		rep.Method, b.ChiSquare, b.PValue, b.Difference, b.CILow, b.CIHigh, b.WinProbability)
	fmt.Println(rep.Decision.Send, rep.Decision.Code)
	// Output:
	// fixed_horizon: χ² = 3.8536, p = 0.0496, difference +0.030 [0.0000, 0.0600], P(B > A) = 0.9751
	// B winner
}

// A campaign against a 10% holdout: the incremental conversion rate, the
// conversions it caused and their intervals.
func ExampleHoldoutLift() {
	l, err := experiment.HoldoutLift(
		experiment.Arm{Name: "treated", Recipients: 9000, Conversions: 540, Weight: 90},
		experiment.Arm{Name: "holdout", Recipients: 1000, Conversions: 40, Weight: 10},
		experiment.Options{},
	)
	if err != nil {
		panic(err)
	}
	fmt.Printf("lift %+.2fpp [%+.2fpp, %+.2fpp], p = %.4f; %.0f incremental conversions [%.0f, %.0f]\n",
		100*l.Estimate.Estimate, 100*l.CILow, 100*l.CIHigh, l.PValue,
		l.IncrementalConversions.Estimate, l.IncrementalConversions.CILow, l.IncrementalConversions.CIHigh)
	// Output:
	// lift +2.00pp [+0.52pp, +3.17pp], p = 0.0103; 180 incremental conversions [47, 285]
}

// Thompson sampling for a triggered send: the next recipient's arm, and
// the shares of the next batch.
func ExampleThompson() {
	th := experiment.NewThompson(experiment.Prior{}, 0.05, 1)
	seen := []experiment.Counts{{Recipients: 2000, Conversions: 80}, {Recipients: 2000, Conversions: 110}}
	w := th.Weights(seen)
	fmt.Printf("next batch: %.3f / %.3f\n", w[0], w[1])
	// Output:
	// next batch: 0.050 / 0.950
}
