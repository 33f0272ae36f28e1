package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/llm/llmbench"
	"github.com/chorusmkt/chorus/internal/llm/provider"
	"github.com/chorusmkt/chorus/internal/store"
)

// llmStack builds the configured model stack over st (nil: in memory).
// Every command that generates text uses it, so they share the cache,
// the request log and the accounting. Prompts are PII-redacted (the
// request log and cache store only tokens) unless the provider is marked
// local and compliance.pii.exempt_local says it may see them. Options
// given later replace the redactor. The caller closes the stack.
func (a *app) llmStack(ctx context.Context, st store.Store, opts ...provider.Option) (*provider.Stack, error) {
	var ls llm.Store
	if st != nil {
		ls = st
	}
	if !a.cfg.Compliance.PIIExempt(a.cfg.LLM) {
		opts = append([]provider.Option{provider.WithRedactor(pii.Wrap(a.cfg.Compliance.PII))}, opts...)
	}
	return provider.New(ctx, a.cfg.LLM, ls, opts...)
}

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
			stack, err := a.llmStack(ctx, nil, provider.WithPing(), provider.WithoutCache())
			if err != nil {
				return err
			}
			defer stack.Close(ctx)
			out := map[string]any{"provider": "", "model": "", "base_url": "", "latency_ms": 0.0, "structured_output": "", "schema_valid": false}
			if p := stack.Ping; p != nil {
				out["provider"], out["model"], out["base_url"] = p.Provider, p.Model, p.BaseURL
				out["latency_ms"] = float64(p.Latency.Microseconds()) / 1000
				out["structured_output"], out["schema_valid"] = p.Structured, p.Valid
			} else {
				// the offline writer: no endpoint, structured output is native
				start := time.Now()
				res, err := stack.Generate(ctx, llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "ping"}},
					Schema: json.RawMessage(`{"type":"object","properties":{"text":{"type":"string"}},"required":["text"]}`)})
				if err != nil {
					return err
				}
				prov, model := llm.SplitName(stack.Name())
				out["provider"], out["model"], out["base_url"] = prov, model, "(none: built in)"
				out["latency_ms"] = float64(time.Since(start).Microseconds()) / 1000
				out["structured_output"], out["schema_valid"] = "native", len(res.JSON()) > 0
			}
			if asJSON {
				return a.printJSON(out)
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
			for _, k := range []string{"provider", "model", "base_url", "latency_ms", "structured_output", "schema_valid"} {
				fmt.Fprintf(tw, "%s\t%v\n", k, out[k])
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) llmCompleteCmd() *cobra.Command {
	var (
		prompt, system, schemaFile, hintsFile, campaign string
		stream, asJSON, noCache                         bool
		n, maxTokens                                    int
		temperature                                     float64
		seed                                            int64
	)
	cmd := &cobra.Command{
		Use:   "complete",
		Short: "Send one prompt to the configured model and print the answer",
		Example: `  chorus llm complete --prompt "Write a tagline for a waterproof camera bag"
  chorus llm complete --system "You write ads." --prompt "…" --json-schema ad.schema.json --n 3
  chorus llm complete --hints seed.json --json-schema ad.schema.json   # offline writer facts
  chorus llm complete --prompt "…" --stream`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if prompt == "" && hintsFile == "" {
				return apperr.New(apperr.Invalid, "give --prompt (and optionally --system, --json-schema, --hints)")
			}
			req := llm.Request{N: n, MaxTokens: maxTokens, Campaign: campaign, Item: "cli"}
			if system != "" {
				req.Messages = append(req.Messages, llm.Message{Role: llm.RoleSystem, Content: system})
			}
			if prompt != "" {
				req.Messages = append(req.Messages, llm.Message{Role: llm.RoleUser, Content: prompt})
			}
			if cmd.Flags().Changed("temperature") {
				req.Temperature = &temperature
			}
			if cmd.Flags().Changed("seed") {
				req.Seed = &seed
			}
			if schemaFile != "" {
				b, err := os.ReadFile(schemaFile)
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "--json-schema")
				}
				if _, err := llm.CompileSchema(b); err != nil {
					return apperr.Wrap(err, apperr.Invalid, "--json-schema %s", schemaFile)
				}
				req.Schema = b
				req.SchemaName = strings.TrimSuffix(strings.TrimSuffix(baseName(schemaFile), ".json"), ".schema")
			}
			if hintsFile != "" {
				b, err := os.ReadFile(hintsFile)
				if err != nil {
					return apperr.Wrap(err, apperr.Invalid, "--hints")
				}
				req.Hints = &llm.Hints{}
				if err := json.Unmarshal(b, req.Hints); err != nil {
					return apperr.Wrap(err, apperr.Invalid, "--hints %s is not llm.Hints JSON", hintsFile)
				}
				if len(req.Messages) == 0 {
					req.Messages = []llm.Message{{Role: llm.RoleUser, Content: "Write copy from these facts: " + string(b)}}
				}
				// an SMS carries the opt-out; the default is content's, the
				// one owner of it (the writer copies what it is given)
				if h := req.Hints; strings.EqualFold(h.Channel, content.SMS) && h.Brief != nil && h.Brief.OptOut == "" {
					h.Brief.OptOut = content.DefaultOptOut(h.Language)
				}
			}
			return a.withStore(ctx, func(st store.Store) error {
				var opts []provider.Option
				if noCache {
					opts = append(opts, provider.WithoutCache())
				}
				stack, err := a.llmStack(ctx, st, opts...)
				if err != nil {
					return err
				}
				var res llm.Result
				if stream {
					res, err = stack.Stream(ctx, req, func(s string) error { _, err := fmt.Fprint(a.stdout, s); return err })
					fmt.Fprintln(a.stdout)
				} else {
					res, err = stack.Generate(ctx, req)
				}
				if cerr := stack.Close(ctx); err == nil && cerr != nil {
					return cerr
				}
				if err != nil {
					return err
				}
				sum := stack.Summary()
				if asJSON {
					return a.printJSON(map[string]any{"result": res, "usage": sum})
				}
				if !stream {
					for i, c := range res.Choices {
						if len(res.Choices) > 1 {
							fmt.Fprintf(a.stdout, "--- variant %d\n", i+1)
						}
						if len(c.JSON) > 0 {
							var v any
							_ = json.Unmarshal(c.JSON, &v)
							b, _ := json.MarshalIndent(v, "", "  ")
							fmt.Fprintln(a.stdout, string(b))
						} else {
							fmt.Fprintln(a.stdout, c.Text)
						}
					}
				}
				cached := ""
				if res.Cached {
					cached = " (cached: no tokens spent)"
				}
				fmt.Fprintf(a.stderr, "provider %s, model %s, %d+%d tokens, $%.6f, %s, %d attempt(s)%s\n",
					res.Provider, res.Model, res.Usage.PromptTokens, res.Usage.CompletionTokens, sum.CostUSD, res.Latency.Round(time.Millisecond), res.Attempts, cached)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&prompt, "prompt", "", "user message")
	f.StringVar(&system, "system", "", "system message")
	f.StringVar(&schemaFile, "json-schema", "", "JSON Schema file the answer must satisfy")
	f.StringVar(&hintsFile, "hints", "", "JSON file of llm.Hints (product, persona, brief, channel, fields, limits) for the offline writer")
	f.StringVar(&campaign, "campaign", "", "campaign label for accounting")
	f.BoolVar(&stream, "stream", false, "print the answer as it arrives")
	f.BoolVar(&asJSON, "json", false, "print the whole result and usage as JSON")
	f.BoolVar(&noCache, "no-cache", false, "always call the model")
	f.IntVar(&n, "n", 1, "variants")
	f.IntVar(&maxTokens, "max-tokens", 0, "completion token limit")
	f.Float64Var(&temperature, "temperature", 0.8, "sampling temperature")
	f.Int64Var(&seed, "seed", 0, "seed (deterministic offline output; passed to providers that support it)")
	return cmd
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
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
				printUsage(a.stdout, us)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "only this run")
	cmd.Flags().StringVar(&campaign, "campaign", "", "only this campaign")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printUsage(w interface{ Write([]byte) (int, error) }, us []llm.UsageRecord) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tcampaign\tprovider/model\tcalls\tcached\tfailed\tattempts\tprompt tok\tcompl tok\tsaved tok\tcost USD\tsaved USD\t")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s/%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.6f\t%.6f\t\n", u.Run, u.Campaign, u.Provider, u.Model,
			u.Calls, u.Cached, u.Failed, u.Attempts, u.PromptTokens, u.CompletionTokens, u.SavedTokens, u.CostUSD, u.SavedUSD)
	}
	tw.Flush()
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
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				for _, e := range es {
					if err := enc.Encode(e); err != nil {
						return err
					}
				}
				return nil
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

// benchLLMCmd is `chorus bench llm`: throughput under a rate limit, a
// cached re-run and a faulty batch, all against the in-process fake.
func (a *app) benchLLMCmd() *cobra.Command {
	var o llmbench.Options
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "llm",
		Short: "Model layer: throughput under an RPM limit, cached re-run, 30% faulty provider",
		Long: `Runs three batches against an in-process fake OpenAI-compatible server through
the real stack (openai-go client, limiter, retry, breaker, cache, log,
accounting) with a temporary SQLite store:

  1. throughput: --requests structured generations, fake latency --latency,
     the fake enforcing --rpm and counting requests over it;
  2. the same batch again: answered from the cache, zero provider calls;
  3. --fault-items generations against a fake failing --fault-rate of
     requests (429 with Retry-After, 500, 503, hangs, cut-off bodies,
     malformed and wrong-schema JSON).`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			dir, err := os.MkdirTemp("", "chorus-bench-llm-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			st, err := store.Open(ctx, dir+"/bench.db")
			if err != nil {
				return err
			}
			defer st.Close()
			fmt.Fprintln(a.stderr, "running the LLM bench (throughput, cached re-run, faulty provider)…")
			rep, err := llmbench.Measure(ctx, o, st)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(rep)
			}
			a.printLLMBench(rep)
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&o.Requests, "requests", 2000, "requests in the throughput batch")
	f.IntVar(&o.RPM, "rpm", 12000, "requests per minute, enforced by the fake and configured in the client")
	f.DurationVar(&o.Latency, "latency", 20*time.Millisecond, "fake latency per request")
	f.IntVar(&o.Concurrency, "concurrency", 64, "requests in flight")
	f.IntVar(&o.FaultItems, "fault-items", 1000, "items in the faulty batch")
	f.Float64Var(&o.FaultRate, "fault-rate", 0.30, "share of requests the faulty fake fails")
	f.IntVar(&o.MaxAttempts, "max-attempts", 4, "HTTP requests per item in the faulty batch")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func (a *app) printLLMBench(rep llmbench.Report) {
	o := rep.Options
	t := rep.Throughput
	w := a.stdout
	fmt.Fprintf(w, "throughput: %d requests, fake latency %s, limit %d RPM, concurrency %d\n", t.Items, o.Latency, o.RPM, o.Concurrency)
	fmt.Fprintf(w, "  elapsed %s, achieved %.0f RPM = %.1f%% of the limit (steady state without the initial burst: %.0f RPM)\n",
		t.Elapsed.Round(time.Millisecond), t.AchievedRPM, rep.PctOfRPM, rep.SteadyRPM)
	fmt.Fprintf(w, "  %d succeeded, %d failed, %d HTTP requests, %d over the limit (fake's count)\n", t.Succeeded, t.Failed, t.HTTPRequests, t.Violations)
	c := rep.Cached
	fmt.Fprintf(w, "cached re-run: %d requests in %s, %d provider calls, %d answered from the cache\n", c.Items, c.Elapsed.Round(time.Millisecond), c.HTTPRequests, c.Usage.Cached)
	f := rep.Faulty
	fmt.Fprintf(w, "faulty provider: %d items, %.0f%% of requests failing %s\n", f.Items, o.FaultRate*100, faultList(f.Faults))
	fmt.Fprintf(w, "  %d succeeded, %d failed with a reason, %d lost, %d duplicated; %d HTTP requests (%.2f per item; bound %d × %d = %d) in %s\n",
		f.Succeeded, f.Failed, f.Lost, f.Duplicates, f.HTTPRequests, float64(f.HTTPRequests)/float64(f.Items), o.MaxAttempts, f.Items, o.MaxAttempts*f.Items, f.Elapsed.Round(time.Millisecond))
	for _, r := range sortedReasons(f.Reasons) {
		fmt.Fprintf(w, "  failed: %4d × %s\n", f.Reasons[r], r)
	}
	fmt.Fprintf(w, "\ntokens and cost (fake-gpt at $%.2f / $%.2f per million prompt / completion tokens):\n", o.Price.Prompt, o.Price.Completion)
	var us []llm.UsageRecord
	for _, r := range []llmbench.Run{t, c, f} {
		u := r.Usage
		u.Run = r.Label
		us = append(us, u)
	}
	printUsage(w, us)
}

func faultList(m map[string]int64) string {
	ks := make([]string, 0, len(m))
	for k, v := range m {
		ks = append(ks, fmt.Sprintf("%s:%d", k, v))
	}
	sort.Strings(ks)
	return "(" + strings.Join(ks, " ") + ")"
}

func sortedReasons(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] || m[ks[i]] == m[ks[j]] && ks[i] < ks[j] })
	return ks
}
