package main

import (
	"encoding/json"
	"maps"
	"strings"
	"sync"
	"testing"

	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

const privacyText = "王芳 电话138 0013 8000，身份证11010519491231002X，热线400-820-8820，寄到上海市浦东新区张江路123弄45号602室"

func TestPrivacyRedactJSON(t *testing.T) {
	env := map[string]string{"CHORUS_COMPLIANCE_PII_ALLOW_VALUES": "400-820-8820"}
	out, _, err := cli{stdin: privacyText, env: env}.run(t, "privacy", "redact", "--json", "--name", "王芳")
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Text     string `json:"text"`
		Entities []struct {
			Type       string `json:"type"`
			Start, End int
			Token      string `json:"token"`
		} `json:"entities"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := "⟦NAME_1⟧ 电话⟦PHONE_1⟧，身份证⟦ID_1⟧，热线400-820-8820，寄到⟦ADDRESS_1⟧"
	if got.Text != want {
		t.Fatalf("text = %q, want %q", got.Text, want)
	}
	wantSlices := []string{"王芳", "138 0013 8000", "11010519491231002X", "上海市浦东新区张江路123弄45号602室"}
	if len(got.Entities) != len(wantSlices) {
		t.Fatalf("entities = %+v", got.Entities)
	}
	for i, e := range got.Entities {
		if privacyText[e.Start:e.End] != wantSlices[i] || !strings.HasPrefix(e.Token, "⟦"+e.Type+"_") {
			t.Errorf("entity %d = %+v slices %q", i, e, privacyText[e.Start:e.End])
		}
	}
	for _, v := range wantSlices {
		if strings.Contains(out, v) {
			t.Errorf("JSON output carries the value %q", v)
		}
	}
}

func TestPrivacyRedactText(t *testing.T) {
	out, errOut, err := cli{}.run(t, "privacy", "redact", "mail", "me:", "a.b@example.com")
	if err != nil || out != "mail me: ⟦EMAIL_1⟧\n" || !strings.Contains(errOut, "1 finding(s)") {
		t.Fatalf("%v %q %q", err, out, errOut)
	}
	if _, _, err := (cli{}).run(t, "privacy", "redact"); err == nil || !strings.Contains(err.Error(), "no text") {
		t.Fatalf("empty input: %v", err)
	}
	// Standard input reads like the arguments: the line break echo adds
	// is not part of the text, and blank input is no text (as for check).
	out, _, err = cli{stdin: "mail me: a.b@example.com\r\n"}.run(t, "privacy", "redact")
	if err != nil || out != "mail me: ⟦EMAIL_1⟧\n" {
		t.Fatalf("stdin: %v %q", err, out)
	}
	for _, args := range [][]string{{"privacy", "redact"}, {"privacy", "scan"}, {"check"}} {
		if _, _, err := (cli{stdin: " \n"}).run(t, args...); err == nil || !strings.Contains(err.Error(), "no text") {
			t.Errorf("%v with blank stdin: %v", args, err)
		}
	}
}

func TestPrivacyScan(t *testing.T) {
	out, _, err := cli{stdin: privacyText}.run(t, "privacy", "scan")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"TYPE", "PHONE", "mobile", "ID", "valid_checksum", "service_number", "ADDRESS", "13* **** **00"} {
		if !strings.Contains(out, want) {
			t.Errorf("scan output lacks %q:\n%s", want, out)
		}
	}
	for _, v := range []string{"138 0013 8000", "11010519491231002X", "张江路123弄"} {
		if strings.Contains(out, v) {
			t.Errorf("scan output shows the value %q:\n%s", v, out)
		}
	}
	out, _, err = cli{stdin: "身份证 110105194912310021"}.run(t, "privacy", "scan", "--json")
	var got struct {
		Findings []struct {
			Type, Label, Preview string
			Start, End           int
		} `json:"findings"`
	}
	if err != nil || json.Unmarshal([]byte(out), &got) != nil || len(got.Findings) != 1 {
		t.Fatalf("%v %s", err, out)
	}
	f := got.Findings[0]
	if f.Type != "ID" || f.Label != "invalid_checksum" || f.Start != len("身份证 ") || f.End != f.Start+18 || strings.Contains(out, "110105194912310021") {
		t.Fatalf("finding = %+v\n%s", f, out)
	}
	out, _, err = cli{}.run(t, "privacy", "scan", "满300减50，2024年3月15日截止，订单20231115123456789")
	if err != nil || !strings.Contains(out, "no personal data found") {
		t.Fatalf("%v %q", err, out)
	}
}

// Every command's model stack redacts prompts, unless the provider is
// marked local and compliance.pii.exempt_local allows it; local alone is
// not enough.
func TestLLMStackRedactsUnlessLocalAndExempt(t *testing.T) {
	var mu sync.Mutex
	var prompts []string
	srv := llmtest.Start(t, llmtest.Config{Answer: func(r *llmtest.ChatRequest) string {
		mu.Lock()
		defer mu.Unlock()
		prompts = append(prompts, r.Prompt())
		return "ok"
	}})
	base := map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_BASE_URL": srv.BaseURL(), "CHORUS_LLM_API_KEY": "sk", "CHORUS_LLM_MODEL": "fake-gpt"}
	for _, c := range []struct {
		name   string
		env    map[string]string
		redact bool
	}{
		{"hosted", nil, true},
		{"local only", map[string]string{"CHORUS_LLM_LOCAL": "true"}, true},
		{"exempt only", map[string]string{"CHORUS_COMPLIANCE_PII_EXEMPT_LOCAL": "true"}, true},
		{"local and exempt", map[string]string{"CHORUS_LLM_LOCAL": "true", "CHORUS_COMPLIANCE_PII_EXEMPT_LOCAL": "true"}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := maps.Clone(base)
			maps.Copy(env, c.env)
			out, errOut, err := cli{env: env}.run(t, "llm", "complete", "--no-cache", "--prompt", "回访王女士，手机 13800138000")
			if err != nil || !strings.Contains(out, "ok") {
				t.Fatalf("%v\n%s\n%s", err, out, errOut)
			}
			mu.Lock()
			last := prompts[len(prompts)-1]
			mu.Unlock()
			if redacted := !strings.Contains(last, "13800138000") && strings.Contains(last, "⟦PHONE_1⟧"); redacted != c.redact {
				t.Fatalf("prompt the provider saw: %q (want redacted %v)", last, c.redact)
			}
		})
	}
}
