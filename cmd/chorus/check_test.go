package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw/adlawbench"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

// status is the process exit status chorus would end with for err.
func status(t *testing.T, err error) int {
	t.Helper()
	return exitCode(err, newApp(nil, &bytes.Buffer{}, &bytes.Buffer{}))
}

func TestCheckCommand(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		env    map[string]string
		args   []string
		status int
		want   []string // substrings of stdout
	}{
		{"pass", "", nil, []string{"check", "最近上新：秋冬针织开衫"}, 0, []string{"verdict: pass (0 findings"}},
		{"review", "", nil, []string{"check", "--lang", "en", "Clinically proven to reduce wrinkles"}, 1,
			[]string{"verdict: review (1 findings", "0-17", "clinically proven", "FTC"}},
		{"block", "", nil, []string{"check", "全网最低价，", "国家级工艺"}, 2,
			[]string{"verdict: block (2 findings", "0-15", "全网最低价", "国家级", "广告法第9条"}},
		{"stdin", "这是最 佳选择\n", nil, []string{"check", "--lang", "zh"}, 2, []string{"6-13", "最 佳", "出色"}},
		{"category gate", "", nil, []string{"check", "--category", "cosmetics_special", "美白精华"}, 0,
			[]string{"verdict: pass", "permitted for category cosmetics_special", "美白"}},
		{"no category", "", nil, []string{"check", "美白精华"}, 1, []string{"verdict: review"}},
		{"configured allow form", "", map[string]string{"CHORUS_COMPLIANCE_ALLOW": "最牛奶业"}, []string{"check", "最牛奶业鲜牛奶"}, 0,
			[]string{"verdict: pass"}},
		{"trad→simp off", "", map[string]string{"CHORUS_COMPLIANCE_TRAD_TO_SIMP": "false"}, []string{"check", "國家級工藝"}, 0,
			[]string{"verdict: pass"}},
		{"trad→simp on", "", nil, []string{"check", "國家級工藝"}, 2, []string{"國家級"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := cli{stdin: tt.stdin, env: tt.env}.run(t, tt.args...)
			if got := status(t, err); got != tt.status {
				t.Errorf("exit status %d (%v), want %d\n%s", got, err, tt.status, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestCheckCommandJSON(t *testing.T) {
	text := "销量第一！ＮＯ．１品牌"
	out, _, err := cli{stdin: text}.run(t, "check", "--lang", "zh", "--json")
	if got := status(t, err); got != 2 {
		t.Fatalf("exit status %d (%v), want 2", got, err)
	}
	var rep adlaw.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err, out)
	}
	if rep.Verdict != adlaw.Block || len(rep.Findings) != 2 || rep.LexiconVersion == "" {
		t.Fatalf("report %+v", rep)
	}
	for _, f := range rep.Findings {
		if text[f.Start:f.End] != f.MatchedText || f.LawRef == "" || f.Suggestion == "" {
			t.Errorf("finding %+v does not slice the input or lacks law and suggestion", f)
		}
	}
	if rep.Findings[1].MatchedText != "ＮＯ．１" {
		t.Errorf("second finding %q, want ＮＯ．１", rep.Findings[1].MatchedText)
	}

	// A pass has an empty list, not null, so consumers need no special case.
	out, _, err = cli{}.run(t, "check", "--json", "Free shipping on orders over $50")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"findings": []`) || !strings.Contains(out, `"verdict": "pass"`) {
		t.Errorf("pass JSON:\n%s", out)
	}
}

func TestCheckCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"check"}},
		{"  \n", []string{"check"}},
		{"", []string{"check", "--lang", "fr", "bonjour"}},
	} {
		_, _, err := cli{stdin: tc.stdin}.run(t, tc.args...)
		var es exitStatus
		if err == nil || errors.As(err, &es) || !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%v with stdin %q: error %v, want an Invalid error", tc.args, tc.stdin, err)
		}
		if got := status(t, err); got != 64 {
			t.Errorf("%v: exit status %d, want 64", tc.args, got)
		}
	}
}

func TestBenchCheckCommand(t *testing.T) {
	procs := runtime.GOMAXPROCS(0)
	out, _, err := cli{}.run(t, "bench", "check", "--n", "300", "--runs", "2", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var r adlawbench.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err, out)
	}
	if r.Messages != 300 || r.Runs != 2 || r.GOMAXPROCS != 1 || r.LexiconVersion == "" {
		t.Errorf("bench report %+v", r)
	}
	if r.Verdicts["pass"]+r.Verdicts["review"]+r.Verdicts["block"] != 300 || r.Verdicts["pass"] == 0 || r.Verdicts["block"] == 0 {
		t.Errorf("verdicts %v: want every message counted, with passes and blocks", r.Verdicts)
	}
	if r.PerSecond <= 0 || r.P50Micro <= 0 || r.P50Micro > r.P99Micro || r.P99Micro > r.MaxMicro || r.AvgRunes < 90 {
		t.Errorf("figures are inconsistent: %+v", r)
	}
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("GOMAXPROCS is %d after the benchmark, was %d", got, procs)
	}

	out, _, err = cli{}.run(t, "bench", "check", "--n", "100", "--runs", "1")
	if err != nil || !strings.Contains(out, "messages/s") || !strings.Contains(out, "p99") {
		t.Errorf("text output (%v):\n%s", err, out)
	}
	if _, _, err := (cli{}).run(t, "bench", "check", "--n", "0"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("--n 0: %v, want Invalid", err)
	}
}
