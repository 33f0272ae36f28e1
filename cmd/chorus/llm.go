package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	clikit "github.com/chorusmkt/chorus/internal/cli"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
)

// llmCmd is `chorus llm …`: check and try the configured model.
func (a *app) llmCmd() *cobra.Command {
	o := &jsonOpts{}
	ping := a.command("llm", cmdSpec{Use: "ping", Opts: o, Run: func(cmd *cobra.Command, _ []string) error {
		return renderResult[provider.PingReport](a, o.JSON)(chorusapp.PingModel(cmd.Context(), a.cfg))
	}})
	f := llm.LogFilter{Limit: 20}
	log := a.command("llm", cmdSpec{Use: "log",
		Flags: map[string]any{"run": &f.Run, "campaign": &f.Campaign, "item": &f.Item, "status": &f.Status, "limit": &f.Limit},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
			es, err := ap.Store.ListLLMLog(ctx, f)
			if err != nil {
				return err
			}
			return llm.WriteLog(a.stdout, es)
		})})
	return a.command("", cmdSpec{Use: "llm", Subs: []*cobra.Command{ping, a.llmCompleteCmd(), a.llmUsageCmd(), log}})
}

func (a *app) llmCompleteCmd() *cobra.Command {
	c := chorusapp.Completion{N: 1}
	var stream, asJSON, noCache bool
	return a.command("llm", cmdSpec{Use: "complete",
		Flags: map[string]any{"prompt": &c.Prompt, "system": &c.System, "json-schema": &c.SchemaFile, "hints": &c.HintsFile,
			"campaign": &c.Campaign, "stream": &stream, "json": &asJSON, "no-cache": &noCache, "n": &c.N,
			"max-tokens": &c.MaxTokens, "temperature": clikit.Optional(&c.Temperature, 0.8), "seed": clikit.Optional(&c.Seed, 0)},
		Check: func(*cobra.Command, []string) error {
			_, err := c.Request()
			return err
		},
		Run: a.appRun(func(ctx context.Context, ap *chorusapp.App, _ []string) error {
			var opts []provider.Option
			if noCache {
				opts = append(opts, provider.WithoutCache())
			}
			var chunk func(string) error
			if stream {
				chunk = func(s string) error { _, err := fmt.Fprint(a.stdout, s); return err }
			}
			r, err := ap.Complete(ctx, c, chunk, opts...)
			if err != nil || asJSON {
				return renderResult[chorusapp.Completed](a, true)(r, err)
			}
			if !stream {
				if err := r.Result.WriteChoices(a.stdout); err != nil {
					return err
				}
			}
			fmt.Fprintln(a.stderr, r.Result.Line(r.Usage.CostUSD))
			return nil
		})})
}

func (a *app) llmUsageCmd() *cobra.Command {
	o := &struct {
		Run      string `flag:"run"`
		Campaign string `flag:"campaign"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("llm", cmdSpec{Use: "usage", Opts: o, Run: renderRun(a, &o.JSON, func(ctx context.Context, ap *chorusapp.App, _ []string) (llm.Usages, error) {
		return ap.LLMUsage(ctx, llm.UsageFilter{Run: o.Run, Campaign: o.Campaign})
	})})
}
