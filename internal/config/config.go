// Package config is Chorus's one configuration: defaults, then an optional
// YAML file, then CHORUS_* environment variables, then command-line flags
// (applied by cmd). Validate once; pass the value down.
//
// Each section lives in its own file (llm.go, compliance.go, …) with its
// defaults, environment keys and validation.
package config

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Config is the whole configuration.
type Config struct {
	// DB is a SQLite file path (default ./chorus.db) or a postgres:// DSN.
	DB         string     `yaml:"db"`
	LLM        LLM        `yaml:"llm"`
	Compliance Compliance `yaml:"compliance"`
	Insight    Insight    `yaml:"insight"`
	Content    Content    `yaml:"content"`
	Recommend  Recommend  `yaml:"recommend"`
	Delivery   Delivery   `yaml:"delivery"`
	Tracking   Tracking   `yaml:"tracking"`
	Queue      Queue      `yaml:"queue"`
	Experiment Experiment `yaml:"experiment"`
	Shop       Shop       `yaml:"shop"`
}

// Default returns the configuration used when nothing is set.
func Default() Config {
	return Config{
		DB:         "chorus.db",
		LLM:        defaultLLM(),
		Compliance: defaultCompliance(),
		Insight:    defaultInsight(),
		Content:    defaultContent(),
		Recommend:  defaultRecommend(),
		Delivery:   defaultDelivery(),
		Queue:      defaultQueue(),
		Experiment: defaultExperiment(),
	}
}

// Lookup reads an environment variable; os.LookupEnv in production.
type Lookup func(key string) (string, bool)

// Load builds the configuration from defaults, the YAML file at path (when
// path is non-empty) and the environment. Unknown YAML keys are errors, so
// a misspelt setting is reported instead of silently ignored.
func Load(path string, env Lookup) (Config, error) {
	if env == nil {
		env = os.LookupEnv
	}
	c := Default()
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return c, apperr.Wrap(err, apperr.Invalid, "config file %s", path)
		}
		defer f.Close()
		dec := yaml.NewDecoder(f)
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, apperr.Wrap(err, apperr.Invalid, "config file %s", path)
		}
	}
	if err := c.applyEnv(env); err != nil {
		return c, err
	}
	return c, nil
}

func (c *Config) applyEnv(env Lookup) error {
	if v, ok := env("CHORUS_DB"); ok && v != "" {
		c.DB = v
	}
	for _, apply := range []func(Lookup) error{
		c.LLM.applyEnv, c.Compliance.applyEnv, c.Insight.applyEnv, c.Content.applyEnv, c.Recommend.applyEnv,
		c.Delivery.applyEnv,
		c.Tracking.applyEnv,
		c.Queue.applyEnv,
		c.Experiment.applyEnv,
		c.Shop.applyEnv,
	} {
		if err := apply(env); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks every section and names the setting to fix.
func (c Config) Validate() error {
	if strings.TrimSpace(c.DB) == "" {
		return apperr.New(apperr.Invalid, "db is empty: set --db, CHORUS_DB or db: in the config file")
	}
	for _, v := range []func() error{
		c.LLM.validate, c.Compliance.validate, c.Insight.validate, c.Content.validate, c.Recommend.validate,
		c.Delivery.validate,
		c.Tracking.validate,
		c.Queue.validate,
		c.Experiment.validate,
	} {
		if err := v(); err != nil {
			return err
		}
	}
	return nil
}

// envString sets *dst from the first of keys that is set and non-empty.
func envString(env Lookup, dst *string, keys ...string) {
	for _, k := range keys {
		if v, ok := env(k); ok && v != "" {
			*dst = v
			return
		}
	}
}

// envInt sets *dst from key, failing with the key's name on bad input.
func envInt(env Lookup, dst *int, key string) error {
	if v, ok := env(key); ok && v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			return apperr.New(apperr.Invalid, "%s=%q is not a whole number", key, v)
		}
		*dst = n
	}
	return nil
}

// envFloat sets *dst from key, failing with the key's name on bad input.
func envFloat(env Lookup, dst *float64, key string) error {
	if v, ok := env(key); ok && v != "" {
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s=%q is not a number", key, v)
		}
		*dst = f
	}
	return nil
}

// envDuration sets *dst from key (Go duration syntax, or plain seconds).
func envDuration(env Lookup, dst *Duration, key string) error {
	if v, ok := env(key); ok && v != "" {
		d, err := ParseDuration(v)
		if err != nil {
			return apperr.New(apperr.Invalid, "%s=%q: %v", key, v, err)
		}
		*dst = d
	}
	return nil
}

// envBool sets *dst from key (true/false/1/0/yes/no).
func envBool(env Lookup, dst *bool, key string) error {
	if v, ok := env(key); ok && v != "" {
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "1", "true", "yes", "on":
			*dst = true
		case "0", "false", "no", "off":
			*dst = false
		default:
			return apperr.New(apperr.Invalid, "%s=%q is not true or false", key, v)
		}
	}
	return nil
}

// Duration is a time.Duration that reads "30s", "2m" or a plain number of
// seconds from YAML and the environment.
type Duration time.Duration

// ParseDuration parses Go duration syntax or a number of seconds.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("not a duration (use 30s, 2m or seconds)")
	}
	return Duration(d), nil
}

// UnmarshalYAML implements yaml.Unmarshaler.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q: %w", n.Line, n.Value, err)
	}
	*d = v
	return nil
}

// MarshalYAML implements yaml.Marshaler.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// Std returns the value as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }
