package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// The contract: per non-control variant p_value, ci_low, ci_high and
// win_probability; the check 120/1000 against 150/1000.
func TestExperimentAnalyzeJSON(t *testing.T) {
	f := writeFile(t, "ab.csv", "variant,recipients,conversions\nA,1000,120\nB,1000,150\n")
	out, _, err := cli{}.run(t, "experiment", "analyze", f, "--control", "A", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Method   string `json:"method"`
		Control  string `json:"control"`
		Variants []struct {
			Variant        string   `json:"variant"`
			PValue         *float64 `json:"p_value"`
			CILow          *float64 `json:"ci_low"`
			CIHigh         *float64 `json:"ci_high"`
			WinProbability *float64 `json:"win_probability"`
			ChiSquare      float64  `json:"chi_square"`
		} `json:"variants"`
		Decision struct {
			Send string `json:"send"`
		} `json:"decision"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Method != "fixed_horizon" || rep.Control != "A" || len(rep.Variants) != 2 {
		t.Fatalf("%s", out)
	}
	a, b := rep.Variants[0], rep.Variants[1]
	if a.PValue != nil || a.WinProbability != nil {
		t.Errorf("the control carries a comparison: %s", out)
	}
	if b.Variant != "B" || b.PValue == nil || b.CILow == nil || b.CIHigh == nil || b.WinProbability == nil {
		t.Fatalf("B lacks contract fields: %s", out)
	}
	if got := *b.PValue; got < 0.04955 || got >= 0.04965 {
		t.Errorf("p = %g, want 0.0496", got)
	}
	if b.ChiSquare < 3.85355 || b.ChiSquare >= 3.85365 {
		t.Errorf("chi-square = %g, want 3.8536", b.ChiSquare)
	}
	if !(*b.CILow > 0 && *b.CIHigh > *b.CILow && *b.WinProbability > 0.97 && *b.WinProbability < 0.98) {
		t.Errorf("B = %s", out)
	}

	// --sequential switches the figures to always-valid ones: the same
	// data give a larger p-value and a wider interval.
	out, _, err = cli{}.run(t, "experiment", "analyze", f, "--control", "A", "--sequential", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var seq struct {
		Method   string `json:"method"`
		Variants []struct {
			PValue float64 `json:"p_value"`
			CILow  float64 `json:"ci_low"`
		} `json:"variants"`
	}
	if err := json.Unmarshal([]byte(out), &seq); err != nil {
		t.Fatal(err)
	}
	if seq.Method != "sequential" || seq.Variants[1].PValue <= *b.PValue || seq.Variants[1].CILow >= *b.CILow {
		t.Errorf("sequential: %s", out)
	}
}

func TestExperimentAnalyzeText(t *testing.T) {
	in := "分组,人数,转化数,收入合计,收入平方和,对照\n对照组,5000,250,25000,4000000,是\n新文案,5000,330,34000,5500000,\n"
	out, _, err := cli{stdin: in}.run(t, "experiment", "analyze", "-")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"control 对照组", "fixed-horizon", "新文案", "revenue per recipient", "welch", "decision: send 新文案 (winner)", "胜过"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExperimentAnalyzeErrors(t *testing.T) {
	bad := writeFile(t, "bad.csv", "variant,recipients,conversions\nA,1000,120\nB,1000,x\nC,10,20\n")
	for name, args := range map[string][]string{
		"bad lines":     {"experiment", "analyze", bad, "--control", "A"},
		"missing file":  {"experiment", "analyze", filepath.Join(t.TempDir(), "nope.csv")},
		"bad threshold": {"experiment", "analyze", bad, "--threshold", "2"},
		"bad metric":    {"experiment", "analyze", bad, "--metric", "clicks"},
	} {
		var errOut strings.Builder
		a := cli{}.app(&strings.Builder{}, &errOut)
		root := a.root()
		root.SetArgs(append([]string{"--db", filepath.Join(t.TempDir(), "c.db")}, args...))
		err := root.Execute()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if code := exitCode(err, a); code != 64 {
			t.Errorf("%s: exit %d (%v), want 64", name, code, err)
		}
	}
	_, _, err := cli{}.run(t, "experiment", "analyze", bad, "--control", "A")
	for _, want := range []string{`line 3: conversions "x" is not a whole number`, "line 4: 20 conversions for 10 recipients"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}

func TestBenchExperiment(t *testing.T) {
	out, _, err := cli{}.run(t, "bench", "experiment", "--sims", "300", "--recipients", "2000", "--bandit-sims", "4", "--bandit-recipients", "3000", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		FalsePositives map[string]struct {
			Trials int     `json:"trials"`
			Value  float64 `json:"value"`
		} `json:"false_positive_rate"`
		Bandit struct {
			RegretRatio float64 `json:"regret_ratio"`
		} `json:"bandit"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.FalsePositives["fixed_horizon"].Trials != 300 || rep.FalsePositives["naive_peeking"].Value <= rep.FalsePositives["sequential"].Value || rep.Bandit.RegretRatio <= 0 {
		t.Errorf("%s", out)
	}
	text, _, err := cli{}.run(t, "bench", "experiment", "--sims", "200", "--recipients", "1000", "--bandit-sims", "2", "--bandit-recipients", "1000")
	if err != nil || !strings.Contains(text, "naive peeking") || !strings.Contains(text, "Thompson sampling") {
		t.Errorf("%v\n%s", err, text)
	}
}
