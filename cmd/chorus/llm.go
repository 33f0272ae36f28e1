package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/store"
)

// llmCmd is `chorus llm …`: check and try the configured model.
func (a *app) llmCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "llm", Subs: []*cobra.Command{a.llmPingCmd(), a.llmCompleteCmd(), a.llmUsageCmd(), a.llmLogCmd()}})
}

func (a *app) llmPingCmd() *cobra.Command {
	o := &jsonOpts{}
	return a.command("llm", cmdSpec{Use: "ping", Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		r, err := chorusapp.PingModel(cmd.Context(), a.cfg)
		return a.orRender(err, o.JSON, r)
	}})
}

// completeFlags are the flags of `chorus llm complete`.
type completeFlags struct {
	chorusapp.Completion
	stream, asJSON, noCache bool
	temperature             float64
	seed                    int64
}

func (a *app) llmCompleteCmd() *cobra.Command {
	c := completeFlags{Completion: chorusapp.Completion{N: 1}, temperature: 0.8}
	return a.command("llm", cmdSpec{Use: "complete",
		Flags: map[string]any{"prompt": &c.Prompt, "system": &c.System, "json-schema": &c.SchemaFile, "hints": &c.HintsFile,
			"campaign": &c.Campaign, "stream": &c.stream, "json": &c.asJSON, "no-cache": &c.noCache, "n": &c.N,
			"max-tokens": &c.MaxTokens, "temperature": &c.temperature, "seed": &c.seed},
		Run: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("temperature") {
				c.Temperature = &c.temperature
			}
			if cmd.Flags().Changed("seed") {
				c.Seed = &c.seed
			}
			req, err := c.Request()
			if err != nil {
				return err
			}
			return a.complete(cmd.Context(), req, c)
		}})
}

// complete sends req through the model stack over the store and prints
// the answer.
func (a *app) complete(ctx context.Context, req llm.Request, c completeFlags) error {
	return a.withStore(ctx, func(st store.Store) error {
		var opts []provider.Option
		if c.noCache {
			opts = append(opts, provider.WithoutCache())
		}
		var chunk func(string) error
		if c.stream {
			chunk = func(s string) error { _, err := fmt.Fprint(a.stdout, s); return err }
		}
		res, sum, err := chorusapp.Complete(ctx, a.cfg, st, req, chunk, opts...)
		if err != nil {
			return err
		}
		if c.asJSON {
			return a.printJSON(map[string]any{"result": res, "usage": sum})
		}
		if !c.stream {
			if err := res.WriteChoices(a.stdout); err != nil {
				return err
			}
		}
		fmt.Fprintln(a.stderr, res.Line(sum.CostUSD))
		return nil
	})
}

func (a *app) llmUsageCmd() *cobra.Command {
	o := &struct {
		Run      string `flag:"run"`
		Campaign string `flag:"campaign"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("llm", cmdSpec{Use: "usage", Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		ctx := cmd.Context()
		return a.withStore(ctx, func(st store.Store) error {
			us, err := st.LLMUsage(ctx, llm.UsageFilter{Run: o.Run, Campaign: o.Campaign})
			if err != nil {
				return err
			}
			return a.renderFunc(o.JSON, us, func(w io.Writer) error { llm.WriteUsage(w, us); return nil })
		})
	}})
}

func (a *app) llmLogCmd() *cobra.Command {
	f := llm.LogFilter{Limit: 20}
	return a.command("llm", cmdSpec{Use: "log",
		Flags: map[string]any{"run": &f.Run, "campaign": &f.Campaign, "item": &f.Item, "status": &f.Status, "limit": &f.Limit},
		Run: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				es, err := st.ListLLMLog(ctx, f)
				if err != nil {
					return err
				}
				return llm.WriteLog(a.stdout, es)
			})
		}})
}
