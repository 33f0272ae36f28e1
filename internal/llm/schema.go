package llm

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// schemas caches compiled schemas by content hash: a campaign sends the
// same schema thousands of times and compiling is the expensive part.
var schemas sync.Map // [32]byte -> *jsonschema.Schema

// CompileSchema compiles a JSON Schema document, caching the result.
// It returns an Invalid error naming the problem when the schema is bad.
func CompileSchema(raw json.RawMessage) (*jsonschema.Schema, error) {
	sum := sha256.Sum256(raw)
	if s, ok := schemas.Load(sum); ok {
		return s.(*jsonschema.Schema), nil
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "JSON schema is not valid JSON")
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("chorus://schema.json", doc); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "JSON schema")
	}
	s, err := c.Compile("chorus://schema.json")
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "JSON schema does not compile")
	}
	schemas.Store(sum, s)
	return s, nil
}

// ExtractJSON finds the JSON value in a model's answer: models wrap it in
// ```json fences or add a sentence before it, which is tolerated; anything
// that does not parse is an error.
func ExtractJSON(text string) (json.RawMessage, error) {
	t := strings.TrimSpace(text)
	if i := strings.Index(t, "```"); i >= 0 {
		rest := t[i+3:]
		rest = strings.TrimPrefix(rest, "json")
		rest = strings.TrimPrefix(rest, "JSON")
		if j := strings.Index(rest, "```"); j >= 0 {
			t = strings.TrimSpace(rest[:j])
		} else {
			t = strings.TrimSpace(rest)
		}
	}
	if !json.Valid([]byte(t)) {
		// a prose preamble: take the outermost object
		if i, j := strings.Index(t, "{"), strings.LastIndex(t, "}"); i >= 0 && j > i {
			t = t[i : j+1]
		}
	}
	if !json.Valid([]byte(t)) {
		return nil, apperr.New(apperr.Invalid, "answer is not valid JSON (%s)", snippet(text, 80))
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, []byte(t)); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "answer is not valid JSON")
	}
	return buf.Bytes(), nil
}

// ValidateAnswer extracts the JSON from text and validates it against
// schema, returning the compact JSON. Errors are Invalid and say which part
// of the answer broke which rule, so a repair prompt can quote them.
func ValidateAnswer(schema json.RawMessage, text string) (json.RawMessage, error) {
	s, err := CompileSchema(schema)
	if err != nil {
		return nil, err
	}
	js, err := ExtractJSON(text)
	if err != nil {
		return nil, err
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "answer is not valid JSON")
	}
	if err := s.Validate(v); err != nil {
		msg := err.Error()
		if ve, ok := err.(*jsonschema.ValidationError); ok {
			msg = strings.Join(strings.Fields(ve.Error()), " ")
		}
		return nil, apperr.New(apperr.Invalid, "answer breaks the schema: %s", snippet(msg, 300))
	}
	return js, nil
}

func snippet(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return string(r[:n]) + "…"
}
