package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/llm/llmtest"
)

func TestLLMPingAndComplete(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-cli", NoJSONSchema: true})
	env := map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-cli", "CHORUS_LLM_MODEL": "fake-gpt"}
	c := cli{db: filepath.Join(t.TempDir(), "chorus.db"), env: env}
	out, _, err := c.run(t, "llm", "ping", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var ping map[string]any
	if err := json.Unmarshal([]byte(out), &ping); err != nil || ping["provider"] != "openai" || ping["model"] != "fake-gpt" || ping["structured_output"] != "json_object" {
		t.Fatalf("ping %s (%v)", out, err)
	}
	schema := filepath.Join(t.TempDir(), "ad.schema.json")
	os.WriteFile(schema, []byte(`{"type":"object","properties":{"headline":{"type":"string"},"cta":{"type":"string"}},"required":["headline","cta"]}`), 0o644)
	for i, wantCached := range []bool{false, true} {
		out, errOut, err := c.run(t, "llm", "complete", "--prompt", "Write an ad for a camera bag", "--json-schema", schema, "--campaign", "cli")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, `"headline"`) || strings.Contains(errOut, "cached") != wantCached || !strings.Contains(errOut, "provider openai, model fake-gpt") {
			t.Fatalf("run %d:\n%s\n%s", i, out, errOut)
		}
	}
	out, _, err = c.run(t, "llm", "usage", "--campaign", "cli")
	if err != nil || strings.Count(out, "openai/fake-gpt") != 2 {
		t.Fatalf("usage %v\n%s", err, out)
	}
	out, _, err = c.run(t, "llm", "complete", "--prompt", "Tell me a story about a bag", "--stream", "--no-cache")
	if err != nil || !strings.Contains(out, "Variant 1") {
		t.Fatalf("stream %v\n%s", err, out)
	}
	out, _, err = c.run(t, "llm", "log", "--limit", "10")
	if err != nil || strings.Count(out, "\n") < 3 || !strings.Contains(out, `"status":"cached"`) {
		t.Fatalf("log %v\n%s", err, out)
	}
}

func TestLLMOfflineDefaultAndErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "chorus.db")
	c := cli{db: db}
	out, _, err := c.run(t, "llm", "ping")
	if err != nil || !strings.Contains(out, "offline") {
		t.Fatalf("%v\n%s", err, out)
	}
	hints := filepath.Join(t.TempDir(), "hints.json")
	os.WriteFile(hints, []byte(`{"channel":"sms","language":"zh","product":{"title":"时尚相机包","selling_points":["防水","防震","轻便"]},"brief":{"offer":"全场8折","sender":"【Lumen】"}}`), 0o644)
	out, errOut, err := c.run(t, "llm", "complete", "--hints", hints, "--n", "2")
	if err != nil || strings.Count(out, "【Lumen】") != 2 || strings.Count(out, "回T退订") != 2 || !strings.Contains(errOut, "provider offline") {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"CHORUS_LLM_PROVIDER": "gemini"}, "CHORUS_LLM_PROVIDER"},
		{map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_MODEL": "gpt-4o-mini"}, "CHORUS_LLM_API_KEY"},
		{map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_MODEL": "m", "CHORUS_LLM_BASE_URL": "http://127.0.0.1:9/v1"}, "CHORUS_LLM_BASE_URL"},
	} {
		_, _, err := cli{db: db, env: tc.env}.run(t, "llm", "ping")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want it to name %s", tc.env, err, tc.want)
		}
	}
}

func TestBenchLLMCommand(t *testing.T) {
	out, _, err := cli{}.run(t, "bench", "llm", "--requests", "200", "--rpm", "60000", "--latency", "5ms", "--fault-items", "100", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Throughput struct {
			Violations   int64 `json:"rate_limit_violations"`
			HTTPRequests int64 `json:"http_requests"`
		} `json:"throughput"`
		Cached struct {
			HTTPRequests int64 `json:"http_requests"`
		} `json:"cached_rerun"`
		Faulty struct{ Lost, Duplicates, Items int } `json:"faulty"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Throughput.Violations != 0 || rep.Throughput.HTTPRequests != 200 || rep.Cached.HTTPRequests != 0 || rep.Faulty.Lost != 0 || rep.Faulty.Duplicates != 0 || rep.Faulty.Items != 100 {
		t.Fatalf("%s", out)
	}
}

// TestLLMCompleteOptionalFlags: --temperature and --seed reach the
// provider when given, zero included, and are left out of the request
// when not, so that the provider's defaults apply.
func TestLLMCompleteOptionalFlags(t *testing.T) {
	srv := llmtest.Start(t, llmtest.Config{APIKey: "sk-cli", Answer: func(req *llmtest.ChatRequest) string {
		show := func(p any) string {
			if p == nil {
				return "none"
			}
			return fmt.Sprint(p)
		}
		temp, seed := any(nil), any(nil)
		if req.Temperature != nil {
			temp = *req.Temperature
		}
		if req.Seed != nil {
			seed = *req.Seed
		}
		return "temperature " + show(temp) + ", seed " + show(seed)
	}})
	env := map[string]string{"CHORUS_LLM_PROVIDER": "openai", "CHORUS_LLM_BASE_URL": srv.BaseURL(), "OPENAI_API_KEY": "sk-cli", "CHORUS_LLM_MODEL": "fake-gpt"}
	c := cli{db: filepath.Join(t.TempDir(), "chorus.db"), env: env}
	for _, tc := range []struct {
		flags []string
		want  string
	}{
		{nil, "temperature none, seed none"},
		{[]string{"--temperature", "0.2", "--seed", "7"}, "temperature 0.2, seed 7"},
		{[]string{"--temperature", "0", "--seed", "0"}, "temperature 0, seed 0"},
	} {
		out, errOut, err := c.run(t, append([]string{"llm", "complete", "--prompt", "hello", "--no-cache"}, tc.flags...)...)
		if err != nil || !strings.Contains(out, tc.want) {
			t.Errorf("%v: %v\n%s\n%s; want %q", tc.flags, err, out, errOut, tc.want)
		}
	}
}
