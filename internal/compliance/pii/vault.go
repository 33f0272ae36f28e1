package pii

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Token brackets: rare enough never to occur in copy, distinct enough for
// a model to keep.
const (
	tokenOpen  = "⟦"
	tokenClose = "⟧"
)

// Vault maps the values of one request to tokens and back. It lives in
// memory for one request and is not safe for concurrent use.
type Vault struct {
	tokens map[string]string // key → token
	values map[string]string // token → value as first seen
	issued []string          // tokens in order of issue
	count  map[Type]int
}

// NewVault returns an empty vault.
func NewVault() *Vault {
	return &Vault{tokens: map[string]string{}, values: map[string]string{}, count: map[Type]int{}}
}

// Len is the number of distinct values held.
func (v *Vault) Len() int { return len(v.values) }

// Tokens lists the tokens handed out, in order of issue (so ⟦PHONE_2⟧
// comes before ⟦PHONE_10⟧).
func (v *Vault) Tokens() []string { return slices.Clone(v.issued) }

// Value returns the original value of a token.
func (v *Vault) Value(token string) (string, bool) {
	s, ok := v.values[token]
	return s, ok
}

// token returns the token for a value, issuing one on first sight: each
// distinct value (by key, so 138 0013 8000 and +86 13800138000 are one)
// gets one token per request.
func (v *Vault) token(t Type, value string) string {
	k := key(t, value)
	if tok, ok := v.tokens[k]; ok {
		return tok
	}
	v.count[t]++
	tok := fmt.Sprintf("%s%s_%d%s", tokenOpen, t, v.count[t], tokenClose)
	v.tokens[k], v.values[tok] = tok, value
	v.issued = append(v.issued, tok)
	return tok
}

// Redact replaces every finding of s in text with its token and returns
// the redacted text and the findings (offsets into text, Token set).
func (v *Vault) Redact(s *Scanner, text string, known ...Record) (string, []Entity) {
	ents := s.Scan(text, known...)
	if len(ents) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for i := range ents {
		e := &ents[i]
		e.Token = v.token(e.Type, e.Text)
		b.WriteString(text[last:e.Start])
		b.WriteString(e.Token)
		last = e.End
	}
	b.WriteString(text[last:])
	return b.String(), ents
}

var (
	reToken = regexp.MustCompile(`⟦([A-Z]+)_(\d+)⟧`)
	// what is left of a token a model rewrote: a lone bracket, or a type
	// and number in other brackets or none ([PHONE_1], PHONE_1)
	reMangled = regexp.MustCompile(`[⟦⟧]|\b(?:PHONE|NAME|EMAIL|ID|CARD|ADDRESS)_\d{1,3}\b`)
)

// Restore puts the values back in place of their tokens. problems lists
// what could not be restored — tokens this vault never issued and
// remnants of tokens the model altered — without any value.
func (v *Vault) Restore(text string) (restored string, problems []string) {
	return v.restore(text, func(s string) string { return s })
}

// RestoreJSON is Restore for a JSON document: values are escaped as JSON
// string content, so the document stays valid.
func (v *Vault) RestoreJSON(doc json.RawMessage) (json.RawMessage, []string) {
	if len(doc) == 0 {
		return doc, nil
	}
	out, problems := v.restore(string(doc), func(s string) string {
		b, _ := json.Marshal(s)
		return string(b[1 : len(b)-1])
	})
	return json.RawMessage(out), problems
}

func (v *Vault) restore(text string, esc func(string) string) (string, []string) {
	var problems []string
	out := reToken.ReplaceAllStringFunc(text, func(tok string) string {
		if val, ok := v.values[tok]; ok {
			return esc(val)
		}
		problems = append(problems, "unknown token "+tok)
		return ""
	})
	for _, m := range reMangled.FindAllString(out, -1) {
		problems = append(problems, fmt.Sprintf("altered token %q", m))
	}
	return out, problems
}
