package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/store"
)

// llmCmd is `chorus llm …`: check and try the configured model.
func (a *app) llmCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "llm",
		Short: "Check, try and account for the configured language model",
		Long: `Chorus talks to any OpenAI-compatible Chat Completions endpoint (OpenAI,
DeepSeek, Qwen via DashScope compatible mode, Moonshot, vLLM, llama.cpp
server, Ollama) or, when none is configured, to its built-in offline writer.

Settings (config file key / environment):
  llm.provider    CHORUS_LLM_PROVIDER     offline | openai (default offline)
  llm.base_url    CHORUS_LLM_BASE_URL     or OPENAI_BASE_URL
  llm.api_key     CHORUS_LLM_API_KEY      or OPENAI_API_KEY
  llm.model       CHORUS_LLM_MODEL
  llm.concurrency CHORUS_LLM_CONCURRENCY  requests in flight (default 8)
  llm.rpm/tpm     CHORUS_LLM_RPM/TPM      requests / tokens per minute (0: unlimited)
  llm.timeout     CHORUS_LLM_TIMEOUT      per attempt (default 60s)
  llm.profile     CHORUS_LLM_PROFILE      pick one of llm.profiles`,
	}
	cmd.AddCommand(a.llmPingCmd(), a.llmCompleteCmd(), a.llmUsageCmd(), a.llmLogCmd())
	return cmd
}

func (a *app) llmPingCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "ping",
		Short: "Call the configured model once: provider, model, latency, structured-output support",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			r, err := chorusapp.PingModel(ctx, a.cfg)
			if err != nil {
				return err
			}
			return a.render(asJSON, r)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// completeFlags are the flags of `chorus llm complete`.
type completeFlags struct {
	chorusapp.Completion
	stream, asJSON, noCache bool
	temperature             float64
	seed                    int64
}

func (a *app) llmCompleteCmd() *cobra.Command {
	var c completeFlags
	cmd := &cobra.Command{
		Use:   "complete",
		Short: "Send one prompt to the configured model and print the answer",
		Example: `  chorus llm complete --prompt "Write a tagline for a waterproof camera bag"
  chorus llm complete --system "You write ads." --prompt "…" --json-schema ad.schema.json --n 3
  chorus llm complete --hints seed.json --json-schema ad.schema.json   # offline writer facts
  chorus llm complete --prompt "…" --stream`,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
		},
	}
	f := cmd.Flags()
	f.StringVar(&c.Prompt, "prompt", "", "user message")
	f.StringVar(&c.System, "system", "", "system message")
	f.StringVar(&c.SchemaFile, "json-schema", "", "JSON Schema file the answer must satisfy")
	f.StringVar(&c.HintsFile, "hints", "", "JSON file of hints (product, persona, brief, channel, fields, limits) for the offline writer")
	f.StringVar(&c.Campaign, "campaign", "", "campaign label for accounting")
	f.BoolVar(&c.stream, "stream", false, "print the answer as it arrives")
	f.BoolVar(&c.asJSON, "json", false, "print the whole result and usage as JSON")
	f.BoolVar(&c.noCache, "no-cache", false, "always call the model")
	f.IntVar(&c.N, "n", 1, "variants")
	f.IntVar(&c.MaxTokens, "max-tokens", 0, "completion token limit")
	f.Float64Var(&c.temperature, "temperature", 0.8, "sampling temperature")
	f.Int64Var(&c.seed, "seed", 0, "seed (deterministic offline output; passed to providers that support it)")
	return cmd
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
	var run, campaign string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "usage",
		Short: "Tokens and cost per run and campaign",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				us, err := st.LLMUsage(ctx, llm.UsageFilter{Run: run, Campaign: campaign})
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(us)
				}
				llm.WriteUsage(a.stdout, us)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "only this run")
	cmd.Flags().StringVar(&campaign, "campaign", "", "only this campaign")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) llmLogCmd() *cobra.Command {
	var f llm.LogFilter
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Print the request log (what was sent and received), newest first, as JSON lines",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				es, err := st.ListLLMLog(ctx, f)
				if err != nil {
					return err
				}
				return llm.WriteLog(a.stdout, es)
			})
		},
	}
	cmd.Flags().StringVar(&f.Run, "run", "", "only this run")
	cmd.Flags().StringVar(&f.Campaign, "campaign", "", "only this campaign")
	cmd.Flags().StringVar(&f.Item, "item", "", "only this item")
	cmd.Flags().StringVar(&f.Status, "status", "", "ok, cached or error")
	cmd.Flags().IntVar(&f.Limit, "limit", 20, "most entries")
	return cmd
}
