package config

import (
	"maps"
	"slices"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// LLM configures the model layer. Profiles let one file hold several
// providers; Profile picks the active one, whose set fields override these.
type LLM struct {
	Provider    string   `yaml:"provider"` // offline | openai
	BaseURL     string   `yaml:"base_url"`
	APIKey      string   `yaml:"api_key"`
	Model       string   `yaml:"model"`
	Concurrency int      `yaml:"concurrency"`
	RPM         int      `yaml:"rpm"`
	TPM         int      `yaml:"tpm"`
	Timeout     Duration `yaml:"timeout"`
	// Local marks a provider that runs on the merchant's own machines
	// (Ollama, vLLM); with AllowPIIToLocal it may see unredacted prompts.
	Local           bool              `yaml:"local"`
	AllowPIIToLocal bool              `yaml:"allow_pii_to_local"`
	Headers         map[string]string `yaml:"headers"`
	// StructuredOutput is the best structured-output mode to try first:
	// json_schema (default), json_object or text; the provider steps down
	// by itself when the endpoint rejects a mode.
	StructuredOutput string `yaml:"structured_output"`
	// MaxAttempts is the most HTTP requests per generation, retries and
	// the JSON repair round-trip included (default 4).
	MaxAttempts int                   `yaml:"max_attempts"`
	Profile     string                `yaml:"profile"`
	Profiles    map[string]LLMProfile `yaml:"profiles"`
	// Prices per model: USD per million prompt / completion tokens.
	Prices map[string]ModelPrice `yaml:"prices"`
}

// LLMProfile is a named provider setting; empty fields inherit.
type LLMProfile struct {
	Provider    string            `yaml:"provider"`
	BaseURL     string            `yaml:"base_url"`
	APIKey      string            `yaml:"api_key"`
	Model       string            `yaml:"model"`
	Concurrency int               `yaml:"concurrency"`
	RPM         int               `yaml:"rpm"`
	TPM         int               `yaml:"tpm"`
	Timeout     Duration          `yaml:"timeout"`
	Local       bool              `yaml:"local"`
	Headers     map[string]string `yaml:"headers"`
	// StructuredOutput overrides LLM.StructuredOutput for this profile.
	StructuredOutput string `yaml:"structured_output"`
}

// ModelPrice is the price of a model per million tokens.
type ModelPrice struct {
	Prompt     float64 `yaml:"prompt"`
	Completion float64 `yaml:"completion"`
}

func defaultLLM() LLM {
	return LLM{Provider: "", Concurrency: 8, Timeout: Duration(60e9)}
}

func (l *LLM) applyEnv(env Lookup) error {
	envString(env, &l.Profile, "CHORUS_LLM_PROFILE")
	envString(env, &l.Provider, "CHORUS_LLM_PROVIDER")
	envString(env, &l.BaseURL, "CHORUS_LLM_BASE_URL", "OPENAI_BASE_URL")
	envString(env, &l.APIKey, "CHORUS_LLM_API_KEY", "OPENAI_API_KEY")
	envString(env, &l.Model, "CHORUS_LLM_MODEL")
	envString(env, &l.StructuredOutput, "CHORUS_LLM_STRUCTURED_OUTPUT")
	for _, f := range []func() error{
		func() error { return envInt(env, &l.Concurrency, "CHORUS_LLM_CONCURRENCY") },
		func() error { return envInt(env, &l.RPM, "CHORUS_LLM_RPM") },
		func() error { return envInt(env, &l.TPM, "CHORUS_LLM_TPM") },
		func() error { return envDuration(env, &l.Timeout, "CHORUS_LLM_TIMEOUT") },
		func() error { return envBool(env, &l.Local, "CHORUS_LLM_LOCAL") },
		func() error { return envInt(env, &l.MaxAttempts, "CHORUS_LLM_MAX_ATTEMPTS") },
	} {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// Resolved returns the settings with the active profile applied and the
// provider defaulted: offline when nothing names a model endpoint.
func (l LLM) Resolved() (LLM, error) {
	r := l
	if l.Profile != "" {
		p, ok := l.Profiles[l.Profile]
		if !ok {
			return r, apperr.New(apperr.Invalid, "llm.profile %q is not defined under llm.profiles (known: %s)", l.Profile, strings.Join(keys(l.Profiles), ", "))
		}
		over := func(dst *string, v string) {
			if v != "" {
				*dst = v
			}
		}
		over(&r.Provider, p.Provider)
		over(&r.BaseURL, p.BaseURL)
		over(&r.APIKey, p.APIKey)
		over(&r.Model, p.Model)
		over(&r.StructuredOutput, p.StructuredOutput)
		if p.Concurrency > 0 {
			r.Concurrency = p.Concurrency
		}
		if p.RPM > 0 {
			r.RPM = p.RPM
		}
		if p.TPM > 0 {
			r.TPM = p.TPM
		}
		if p.Timeout > 0 {
			r.Timeout = p.Timeout
		}
		r.Local = r.Local || p.Local
		if len(p.Headers) > 0 {
			r.Headers = p.Headers
		}
	}
	if r.Provider == "" {
		r.Provider = "offline"
	}
	return r, nil
}

func (l LLM) validate() error {
	r, err := l.Resolved()
	if err != nil {
		return err
	}
	switch r.Provider {
	case "offline":
	case "openai":
		if r.Model == "" {
			return apperr.New(apperr.Invalid, "llm provider openai needs a model: set CHORUS_LLM_MODEL or llm.model")
		}
	default:
		return apperr.New(apperr.Invalid, "unknown llm provider %q: set CHORUS_LLM_PROVIDER or llm.provider to offline or openai", r.Provider)
	}
	if r.Concurrency < 1 {
		return apperr.New(apperr.Invalid, "llm.concurrency (CHORUS_LLM_CONCURRENCY) must be at least 1")
	}
	switch r.StructuredOutput {
	case "", "json_schema", "json_object", "text":
	default:
		return apperr.New(apperr.Invalid, "llm.structured_output (CHORUS_LLM_STRUCTURED_OUTPUT) %q: use json_schema, json_object or text", r.StructuredOutput)
	}
	if r.MaxAttempts < 0 {
		return apperr.New(apperr.Invalid, "llm.max_attempts (CHORUS_LLM_MAX_ATTEMPTS) must not be negative")
	}
	if r.RPM < 0 || r.TPM < 0 {
		return apperr.New(apperr.Invalid, "llm.rpm and llm.tpm (CHORUS_LLM_RPM, CHORUS_LLM_TPM) must not be negative")
	}
	return nil
}

// keys are m's keys in order, so a message listing them reads the same
// every time.
func keys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
