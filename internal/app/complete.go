package app

import (
	"context"
	"encoding/json"
	"os"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
)

// Completion is one prompt to the model as a person writes it (the flags
// of `chorus llm complete`): messages, a JSON Schema file the answer must
// satisfy and a hints file of facts for the offline writer.
type Completion struct {
	Prompt, System, SchemaFile, HintsFile, Campaign string
	N, MaxTokens                                    int
	Temperature                                     *float64
	Seed                                            *int64
}

// Request is the model request c describes. Errors are apperr.Invalid and
// name the flag. An SMS in the hints without an opt-out gets content's
// default one, the one owner of it (the writer copies what it is given).
func (c Completion) Request() (llm.Request, error) {
	if c.Prompt == "" && c.HintsFile == "" {
		return llm.Request{}, apperr.New(apperr.Invalid, "give --prompt (and optionally --system, --json-schema, --hints)")
	}
	req := llm.Request{N: c.N, MaxTokens: c.MaxTokens, Campaign: c.Campaign, Item: "cli", Temperature: c.Temperature, Seed: c.Seed}
	if c.System != "" {
		req.Messages = append(req.Messages, llm.Message{Role: llm.RoleSystem, Content: c.System})
	}
	if c.Prompt != "" {
		req.Messages = append(req.Messages, llm.Message{Role: llm.RoleUser, Content: c.Prompt})
	}
	if c.SchemaFile != "" {
		b, err := os.ReadFile(c.SchemaFile)
		if err != nil {
			return req, apperr.Wrap(err, apperr.Invalid, "--json-schema")
		}
		if _, err := llm.CompileSchema(b); err != nil {
			return req, apperr.Wrap(err, apperr.Invalid, "--json-schema %s", c.SchemaFile)
		}
		req.Schema = b
		req.SchemaName = strings.TrimSuffix(strings.TrimSuffix(baseName(c.SchemaFile), ".json"), ".schema")
	}
	if c.HintsFile != "" {
		return c.withHints(req)
	}
	return req, nil
}

func (c Completion) withHints(req llm.Request) (llm.Request, error) {
	b, err := os.ReadFile(c.HintsFile)
	if err != nil {
		return req, apperr.Wrap(err, apperr.Invalid, "--hints")
	}
	req.Hints = &llm.Hints{}
	if err := json.Unmarshal(b, req.Hints); err != nil {
		return req, apperr.Wrap(err, apperr.Invalid, "--hints %s is not a hints file (JSON with product, persona, brief, channel, fields, limits)", c.HintsFile)
	}
	if len(req.Messages) == 0 {
		req.Messages = []llm.Message{{Role: llm.RoleUser, Content: "Write copy from these facts: " + string(b)}}
	}
	if h := req.Hints; strings.EqualFold(h.Channel, content.SMS) && h.Brief != nil && h.Brief.OptOut == "" {
		h.Brief.OptOut = content.DefaultOptOut(h.Language)
	}
	return req, nil
}

// Complete sends req through the configured model stack over st (its
// cache, log and accounting; opts such as provider.WithoutCache) and
// closes it. With chunk set the answer is streamed to it as it arrives,
// then a newline.
// It returns the result and the usage of the call.
func Complete(ctx context.Context, cfg config.Config, st llm.Store, req llm.Request, chunk func(string) error, opts ...provider.Option) (llm.Result, llm.UsageRecord, error) {
	stack, err := ModelStack(ctx, cfg, st, opts...)
	if err != nil {
		return llm.Result{}, llm.UsageRecord{}, err
	}
	var res llm.Result
	if chunk != nil {
		res, err = stack.Stream(ctx, req, chunk)
		_ = chunk("\n") // the answer ends its line, whatever the stream did
	} else {
		res, err = stack.Generate(ctx, req)
	}
	if cerr := stack.Close(ctx); err == nil {
		err = cerr
	}
	return res, stack.Summary(), err
}

// baseName is the last element of a path written with / or \.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Completed is a completion's result and the usage of its call.
type Completed struct {
	Result llm.Result      `json:"result"`
	Usage  llm.UsageRecord `json:"usage"`
}

// Complete sends c's request (Completion.Request) through the model stack
// over the application's store: Complete with opts. With chunk set the
// answer is streamed to it.
func (a *App) Complete(ctx context.Context, c Completion, chunk func(string) error, opts ...provider.Option) (Completed, error) {
	req, err := c.Request()
	if err != nil {
		return Completed{}, err
	}
	res, sum, err := Complete(ctx, a.Config, a.Store, req, chunk, opts...)
	return Completed{Result: res, Usage: sum}, err
}

// LLMUsage is the model calls, tokens and cost f selects, per run and
// model.
func (a *App) LLMUsage(ctx context.Context, f llm.UsageFilter) (llm.Usages, error) {
	return a.Store.LLMUsage(ctx, f)
}
