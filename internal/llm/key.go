package llm

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
	"unicode"
)

// CacheKey identifies a request for the response cache: a SHA-256 over the
// provider, the model and everything that shapes the answer (messages,
// temperature, max tokens, variants, stop, schema, seed and hints). The
// campaign and item labels are deliberately left out, so the same prompt
// in another campaign reuses the answer.
func CacheKey(provider, model string, req Request) string {
	k := struct {
		V        int             `json:"v"`
		Provider string          `json:"p"`
		Model    string          `json:"m"`
		Messages []Message       `json:"msgs"`
		Temp     *float64        `json:"t,omitempty"`
		Max      int             `json:"max,omitempty"`
		N        int             `json:"n,omitempty"`
		Stop     []string        `json:"stop,omitempty"`
		Schema   json.RawMessage `json:"schema,omitempty"`
		Name     string          `json:"sn,omitempty"`
		Seed     *int64          `json:"seed,omitempty"`
		Hints    *Hints          `json:"hints,omitempty"`
		// tools change the answer; absent, they leave the keys of requests
		// without tools as they were
		Tools      []Tool `json:"tools,omitempty"`
		ToolChoice string `json:"tc,omitempty"`
	}{1, provider, model, req.Messages, req.Temperature, req.MaxTokens, req.Variants(), req.Stop, compactJSON(req.Schema), req.SchemaName, req.Seed, req.Hints,
		compactTools(req.Tools), req.ToolChoice}
	b, _ := json.Marshal(k) // only marshalable types
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// canonical memoises compactJSON: a batch sends the same few schemas
// thousands of times.
var canonical sync.Map // string -> json.RawMessage

func compactJSON(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	if b, ok := canonical.Load(string(raw)); ok {
		return b.(json.RawMessage)
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return raw
	}
	b, _ := json.Marshal(v) // sorted keys: equal schemas, equal keys
	canonical.Store(string(raw), json.RawMessage(b))
	return b
}

// compactTools canonicalises the tools' parameter schemas.
func compactTools(ts []Tool) []Tool {
	if len(ts) == 0 {
		return nil
	}
	out := make([]Tool, len(ts))
	for i, t := range ts {
		t.Parameters = compactJSON(t.Parameters)
		out[i] = t
	}
	return out
}

// Variants is N with the default of 1.
func (r Request) Variants() int {
	if r.N < 1 {
		return 1
	}
	return r.N
}

// EstimateTokens guesses the tokens a request will use before it is sent,
// for the token-per-minute budget: about one token per CJK character and
// one per four other characters of prompt, plus the completion allowance
// (MaxTokens, or 300 per variant when unset). Usage reported afterwards
// corrects the budget.
func EstimateTokens(req Request) int {
	n := 0
	for _, m := range req.Messages {
		n += 4 + textTokens(m.Content)
		for _, c := range m.ToolCalls {
			n += 4 + textTokens(c.Name+c.Arguments)
		}
	}
	n += textTokens(string(req.Schema))
	for _, t := range req.Tools {
		n += 8 + textTokens(t.Name+t.Description+string(t.Parameters))
	}
	comp := req.MaxTokens
	if comp <= 0 {
		comp = 300
	}
	return n + comp*req.Variants()
}

func textTokens(s string) int {
	cjk, other := 0, 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) {
			cjk++
		} else {
			other++
		}
	}
	return cjk + (other+3)/4
}
