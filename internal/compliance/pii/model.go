package pii

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/llm"
)

// Instruction is appended to the system prompt of every request that
// carries tokens.
const Instruction = "Text in ⟦ ⟧ brackets, such as ⟦NAME_1⟧ or ⟦PHONE_1⟧, is a placeholder for personal data. " +
	"Where you use one, copy it exactly as written, brackets included; never translate, split, alter or invent placeholders."

// Model is the redacting llm.Model decorator. For each call it redacts
// every message with a fresh Vault (the known values come from the
// context, see WithKnown), tells the model to keep the tokens, restores
// them in the answer, retries answers with unknown or altered tokens, and
// finally scans the answer: personal data that does not belong to the
// recipient is never returned.
//
// Errors: those of the inner model unchanged; Invalid when the answer
// still has unknown or altered tokens after the retries; Forbidden when
// the answer carries personal data of anyone but the recipient (the
// message names the type, never the value). Request.Hints are passed on
// as they are: by contract they are PII-free.
type Model struct {
	next       llm.Model
	scan       *Scanner
	maxRetries int
}

// NewModel wraps next; maxRetries is the number of extra calls for an
// answer with broken tokens.
func NewModel(next llm.Model, s *Scanner, maxRetries int) *Model {
	return &Model{next: next, scan: s, maxRetries: max(maxRetries, 0)}
}

// Wrap returns the decorator configured by cfg, in the shape
// provider.WithRedactor takes.
func Wrap(cfg config.PII) func(llm.Model) llm.Model {
	s := NewScanner(cfg.AllowValues)
	return func(m llm.Model) llm.Model { return NewModel(m, s, cfg.MaxRetries) }
}

// Name is the inner model's name.
func (m *Model) Name() string { return m.next.Name() }

// Generate redacts, calls the inner model, restores and checks.
func (m *Model) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	return m.run(ctx, req, func(ctx context.Context, r llm.Request) (llm.Result, error) {
		return m.next.Generate(ctx, r)
	})
}

// Stream is Generate for streaming callers: the answer can only be
// checked once complete, so onDelta receives it in one piece, restored.
func (m *Model) Stream(ctx context.Context, req llm.Request, onDelta func(string) error) (llm.Result, error) {
	res, err := m.run(ctx, req, func(ctx context.Context, r llm.Request) (llm.Result, error) {
		return m.next.Stream(ctx, r, func(string) error { return nil })
	})
	if err != nil {
		return res, err
	}
	if t := res.Text(); t != "" {
		if err := onDelta(t); err != nil {
			return res, err
		}
	}
	return res, nil
}

// Redact returns req with every message redacted into v, and the
// instruction added to the system prompt when anything was redacted.
func (m *Model) Redact(ctx context.Context, v *Vault, req llm.Request) llm.Request {
	known := KnownFrom(ctx).records()
	msgs := make([]llm.Message, len(req.Messages))
	for i, msg := range req.Messages {
		msg.Content, _ = v.Redact(m.scan, msg.Content, known...)
		// the arguments of earlier tool calls were restored for the tool;
		// they go back to the model redacted like everything else
		if len(msg.ToolCalls) > 0 {
			calls := make([]llm.ToolCall, len(msg.ToolCalls))
			for k, c := range msg.ToolCalls {
				c.Arguments, _ = v.Redact(m.scan, c.Arguments, known...)
				calls[k] = c
			}
			msg.ToolCalls = calls
		}
		msgs[i] = msg
	}
	req.Messages = msgs
	if v.Len() > 0 {
		req.Messages = withSystemLine(req.Messages, Instruction)
	}
	return req
}

func withSystemLine(msgs []llm.Message, line string) []llm.Message {
	out := append([]llm.Message{}, msgs...)
	for i := range out {
		if out[i].Role == llm.RoleSystem {
			out[i].Content = strings.TrimRight(out[i].Content, "\n") + "\n\n" + line
			return out
		}
	}
	return append([]llm.Message{{Role: llm.RoleSystem, Content: line}}, out...)
}

func (m *Model) run(ctx context.Context, req llm.Request, call func(context.Context, llm.Request) (llm.Result, error)) (llm.Result, error) {
	v := NewVault()
	red := m.Redact(ctx, v, req)
	var usage llm.Usage
	attempts := 0
	var res llm.Result
	for try := 0; ; try++ {
		r := red
		if try > 0 {
			// say what went wrong; it also gives the retry its own cache key
			r.Messages = withSystemLine(red.Messages, fmt.Sprintf(
				"Attempt %d: the previous answer used placeholders that were not given or were altered. Use only these, exactly: %s.",
				try+1, strings.Join(v.Tokens(), ", ")))
		}
		var err error
		res, err = call(ctx, r)
		usage.Add(res.Usage)
		attempts += max(res.Attempts, 1)
		if err != nil {
			res.Usage, res.Attempts = usage, attempts
			return res, err
		}
		problems := restoreResult(v, &res)
		if len(problems) == 0 {
			break
		}
		if try >= m.maxRetries {
			res.Usage, res.Attempts = usage, attempts
			return res, apperr.New(apperr.Invalid, "the model did not keep the personal-data placeholders after %d attempts (%s)", try+1, strings.Join(problems, "; "))
		}
	}
	res.Usage, res.Attempts = usage, attempts
	if err := m.Check(ctx, res); err != nil {
		return llm.Result{Usage: usage, Attempts: attempts, Model: res.Model, Provider: res.Provider, Latency: res.Latency}, err
	}
	return res, nil
}

func restoreResult(v *Vault, res *llm.Result) []string {
	if v.Len() == 0 {
		return nil
	}
	var problems []string
	// the inner result's slices may be shared with a cache entry, which
	// must keep the placeholders: restore into copies
	res.Choices = append([]llm.Choice(nil), res.Choices...)
	for i := range res.Choices {
		c := &res.Choices[i]
		c.ToolCalls = append([]llm.ToolCall(nil), c.ToolCalls...)
		var p []string
		c.Text, p = v.Restore(c.Text)
		problems = append(problems, p...)
		c.JSON, p = v.RestoreJSON(c.JSON)
		problems = append(problems, p...)
		// a tool call's arguments are JSON: the tool gets the real values
		for k := range c.ToolCalls {
			var args json.RawMessage
			args, p = v.RestoreJSON(json.RawMessage(c.ToolCalls[k].Arguments))
			c.ToolCalls[k].Arguments = string(args)
			problems = append(problems, p...)
		}
	}
	return dedupe(problems)
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Check is the final scan of an answer: every finding must belong to the
// recipient set by WithKnown (or be an allowed value). The error is
// Forbidden and names the type of the first stray finding, not its value.
func (m *Model) Check(ctx context.Context, res llm.Result) error {
	k := KnownFrom(ctx)
	known := k.records()
	own := k.Recipient.values()
	for _, c := range res.Choices {
		texts := []string{c.Text, string(c.JSON)}
		for _, tc := range c.ToolCalls {
			texts = append(texts, tc.Arguments)
		}
		for _, text := range texts {
			for _, e := range m.scan.Scan(text, known...) {
				// A name found only by its context (Dear …, 女士) in an
				// answer is one the model wrote, not data it was given:
				// every known record's name is matched as a known value.
				// Withholding copy for "Hi Spring!" would fail good answers.
				if e.Label == LabelContextName {
					continue
				}
				if !belongs(e, own) {
					return apperr.New(apperr.Forbidden, "the model's answer contains a %s that does not belong to the recipient; it was withheld (a value of the shop's own, such as its hotline, belongs in compliance.pii.allow_values)", e.Type.Noun())
				}
			}
		}
	}
	return nil
}

// belongs reports whether a finding is one of the recipient's own values:
// the same number, or a name or address that is hers or part of hers.
func belongs(e Entity, own []Entity) bool {
	ek := key(e.Type, e.Text)
	for _, o := range own {
		if key(e.Type, o.Text) == ek {
			return true
		}
		if o.Type == e.Type && (e.Type == Name || e.Type == Address) {
			a, b := compact(e.Text), compact(o.Text)
			if len(a) >= 4 && strings.Contains(b, a) || strings.Contains(a, b) {
				return true
			}
		}
	}
	return false
}
