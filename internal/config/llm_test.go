package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

func envOf(m map[string]string) config.Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestLLMEnvAndFallbacks(t *testing.T) {
	cfg, err := config.Load("", envOf(map[string]string{
		"CHORUS_LLM_PROVIDER": "openai", "OPENAI_API_KEY": "sk-fallback", "OPENAI_BASE_URL": "https://api.deepseek.com/v1",
		"CHORUS_LLM_MODEL": "deepseek-chat", "CHORUS_LLM_CONCURRENCY": "16", "CHORUS_LLM_RPM": "500", "CHORUS_LLM_TPM": "100000",
		"CHORUS_LLM_TIMEOUT": "45s", "CHORUS_LLM_STRUCTURED_OUTPUT": "json_object", "CHORUS_LLM_MAX_ATTEMPTS": "6"}))
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	l := cfg.LLM
	if l.APIKey != "sk-fallback" || l.BaseURL != "https://api.deepseek.com/v1" || l.Model != "deepseek-chat" || l.Concurrency != 16 ||
		l.RPM != 500 || l.TPM != 100000 || time.Duration(l.Timeout) != 45*time.Second || l.StructuredOutput != "json_object" || l.MaxAttempts != 6 {
		t.Fatalf("%+v", l)
	}
	// CHORUS_LLM_API_KEY wins over OPENAI_API_KEY
	cfg, _ = config.Load("", envOf(map[string]string{"CHORUS_LLM_API_KEY": "sk-chorus", "OPENAI_API_KEY": "sk-openai"}))
	if cfg.LLM.APIKey != "sk-chorus" {
		t.Fatalf("key %q", cfg.LLM.APIKey)
	}
	// nothing configured: offline
	cfg, _ = config.Load("", envOf(nil))
	if r, err := cfg.LLM.Resolved(); err != nil || r.Provider != "offline" {
		t.Fatalf("%v %+v", err, r)
	}
}

func TestLLMProfilesFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chorus.yaml")
	os.WriteFile(path, []byte(`llm:
  concurrency: 4
  profile: qwen
  prices:
    qwen-plus: {prompt: 0.4, completion: 1.2}
  profiles:
    qwen:
      provider: openai
      base_url: https://dashscope.aliyuncs.com/compatible-mode/v1
      api_key: sk-qwen
      model: qwen-plus
      rpm: 600
    ollama:
      provider: openai
      base_url: http://localhost:11434/v1
      model: qwen2.5:7b
      local: true
      structured_output: json_object
`), 0o644)
	cfg, err := config.Load(path, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	r, err := cfg.LLM.Resolved()
	if err != nil || r.Model != "qwen-plus" || r.RPM != 600 || r.Concurrency != 4 || r.Prices["qwen-plus"].Completion != 1.2 {
		t.Fatalf("%v %+v", err, r)
	}
	cfg, _ = config.Load(path, envOf(map[string]string{"CHORUS_LLM_PROFILE": "ollama"}))
	r, _ = cfg.LLM.Resolved()
	if r.BaseURL != "http://localhost:11434/v1" || !r.Local || r.StructuredOutput != "json_object" {
		t.Fatalf("%+v", r)
	}
}

func TestLLMValidateNamesTheSetting(t *testing.T) {
	for env, want := range map[string]string{
		"CHORUS_LLM_PROVIDER=bard":         "CHORUS_LLM_PROVIDER",
		"CHORUS_LLM_STRUCTURED_OUTPUT=xml": "CHORUS_LLM_STRUCTURED_OUTPUT",
		"CHORUS_LLM_PROFILE=missing":       "llm.profile",
		"CHORUS_LLM_CONCURRENCY=0":         "CHORUS_LLM_CONCURRENCY",
		"CHORUS_LLM_PROVIDER=openai":       "CHORUS_LLM_MODEL",
		"CHORUS_LLM_MAX_ATTEMPTS=-1":       "CHORUS_LLM_MAX_ATTEMPTS",
	} {
		k, v, _ := strings.Cut(env, "=")
		cfg, err := config.Load("", envOf(map[string]string{k: v}))
		if err == nil {
			err = cfg.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want it to name %s", env, err, want)
		}
	}
}

// An unknown profile's message lists the known ones in order, the same
// every time (they are a map's keys).
func TestUnknownProfileListsProfilesInOrder(t *testing.T) {
	l := config.LLM{Profile: "nope", Concurrency: 1, Profiles: map[string]config.LLMProfile{"qwen": {}, "deepseek": {}, "local": {}, "glm": {}}}
	for range 20 {
		_, err := l.Resolved()
		if err == nil || !strings.Contains(err.Error(), "(known: deepseek, glm, local, qwen)") {
			t.Fatalf("%v", err)
		}
	}
}
