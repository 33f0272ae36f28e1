package config

import (
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Content configures the content studio.
type Content struct {
	// MaxRepairs is how many times a failing variant goes back to the
	// model with its violations before it is flagged for review.
	MaxRepairs int `yaml:"max_repairs"`
	// Depth is the default personalization depth: segment | cohort | individual.
	Depth string `yaml:"depth"`
	// Variants is the default number of variants per message.
	Variants int `yaml:"variants"`
	// PromptDir overrides embedded prompt templates file by file
	// (<version>/<lang>/<channel>.tmpl).
	PromptDir string `yaml:"prompt_dir"`
	// OutputDir is where previews (JSON, HTML) are written.
	OutputDir string `yaml:"output_dir"`
	// Brand names the brand when no voice is stored.
	Brand string `yaml:"brand"`
	// CohortTopK is how many of a customer's top recommendations cohort
	// depth may choose her product from, so that cohorts are shared.
	CohortTopK int `yaml:"cohort_top_k"`
	// Concurrency is the number of messages generated at once (the model
	// layer's own limiter still applies).
	Concurrency int `yaml:"concurrency"`
}

func defaultContent() Content {
	return Content{MaxRepairs: 2, Depth: "cohort", Variants: 1, OutputDir: "chorus-content", Concurrency: 4, CohortTopK: 5}
}

func (c *Content) applyEnv(env Lookup) error {
	envString(env, &c.Depth, "CHORUS_CONTENT_DEPTH")
	envString(env, &c.PromptDir, "CHORUS_CONTENT_PROMPT_DIR")
	envString(env, &c.OutputDir, "CHORUS_CONTENT_OUTPUT_DIR")
	envString(env, &c.Brand, "CHORUS_CONTENT_BRAND")
	for _, f := range []func() error{
		func() error { return envInt(env, &c.MaxRepairs, "CHORUS_CONTENT_MAX_REPAIRS") },
		func() error { return envInt(env, &c.Variants, "CHORUS_CONTENT_VARIANTS") },
		func() error { return envInt(env, &c.Concurrency, "CHORUS_CONTENT_CONCURRENCY") },
		func() error { return envInt(env, &c.CohortTopK, "CHORUS_CONTENT_COHORT_TOP_K") },
	} {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

func (c Content) validate() error {
	switch c.Depth {
	case "segment", "cohort", "individual":
	default:
		return apperr.New(apperr.Invalid, "content.depth %q is not segment, cohort or individual (CHORUS_CONTENT_DEPTH)", c.Depth)
	}
	if c.MaxRepairs < 0 || c.MaxRepairs > 10 {
		return apperr.New(apperr.Invalid, "content.max_repairs %d must be between 0 and 10 (CHORUS_CONTENT_MAX_REPAIRS)", c.MaxRepairs)
	}
	if c.Variants < 1 || c.Variants > 10 {
		return apperr.New(apperr.Invalid, "content.variants %d must be between 1 and 10 (CHORUS_CONTENT_VARIANTS)", c.Variants)
	}
	if c.CohortTopK < 1 || c.CohortTopK > 20 {
		return apperr.New(apperr.Invalid, "content.cohort_top_k %d must be between 1 and 20 (CHORUS_CONTENT_COHORT_TOP_K)", c.CohortTopK)
	}
	if c.Concurrency < 1 {
		return apperr.New(apperr.Invalid, "content.concurrency %d must be at least 1 (CHORUS_CONTENT_CONCURRENCY)", c.Concurrency)
	}
	if strings.TrimSpace(c.OutputDir) == "" {
		return apperr.New(apperr.Invalid, "content.output_dir is empty (CHORUS_CONTENT_OUTPUT_DIR)")
	}
	return nil
}
