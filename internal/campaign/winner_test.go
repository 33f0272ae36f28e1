package campaign

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/experiment"
)

func TestTestPlanValidate(t *testing.T) {
	ab := Campaign{Name: "ab", Variants: EvenVariants(2)}
	ok := TestPlan{Share: 0.2, Window: 24 * time.Hour, Metric: experiment.MetricConversion}
	for _, tt := range []struct {
		name string
		c    Campaign
		p    TestPlan
		ok   bool
	}{
		{"ok", ab, ok, true},
		{"revenue", ab, TestPlan{Share: 0.5, Window: time.Hour, Metric: experiment.MetricRevenue, Default: "B"}, true},
		{"one variant", Campaign{Name: "one", Variants: EvenVariants(1)}, ok, false},
		{"share 0", ab, TestPlan{Share: 0, Window: time.Hour, Metric: experiment.MetricConversion}, false},
		{"share 1", ab, TestPlan{Share: 1, Window: time.Hour, Metric: experiment.MetricConversion}, false},
		{"no window", ab, TestPlan{Share: 0.2, Metric: experiment.MetricConversion}, false},
		{"metric", ab, TestPlan{Share: 0.2, Window: time.Hour, Metric: "clicks"}, false},
		{"default", ab, TestPlan{Share: 0.2, Window: time.Hour, Metric: experiment.MetricConversion, Default: "Z"}, false},
	} {
		if err := tt.p.Validate(tt.c); (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
	// the test draw is its own: about Share of any audience, independent of the variant draw
	in, a := 0, 0
	for i := range 10000 {
		id := "C" + string(rune('a'+i%26)) + time.Duration(i).String()
		if InTest("ab", id, 0.3) {
			in++
			if Assign("ab", id, 0, ab.Variants).Variant == 0 {
				a++
			}
		}
	}
	if in < 2800 || in > 3200 || a < in*45/100 || a > in*55/100 {
		t.Errorf("test draw: %d in the test of 10000, %d of them A", in, a)
	}
}

func TestTestPlanJSON(t *testing.T) {
	p := TestPlan{Share: 0.2, Window: 36 * time.Hour, Metric: experiment.MetricRevenue, Winner: "B",
		Decision: &experiment.Decision{Send: "B", Code: "winner"}, DecidedAt: time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"window":"36h0m0s","window_seconds":129600`) || !strings.Contains(string(b), `"winner":"B"`) {
		t.Errorf("JSON: %s", b)
	}
	var back TestPlan
	if err := json.Unmarshal(b, &back); err != nil || back.Window != p.Window || back.Winner != "B" || back.Decision.Code != "winner" || back.Share != 0.2 {
		t.Errorf("round trip: %+v %v", back, err)
	}
}
