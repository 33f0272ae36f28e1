package content

import (
	"encoding/json"
)

// Schema is the JSON Schema of a channel's answer: exactly its fields,
// all required, strings (hashtags: an array of strings). Budgets are not
// in the schema on purpose: they are counted in Go (runes, SMS units), so
// an over-long answer comes back to this package's repair loop with the
// exact count instead of failing inside the provider.
func (s Spec) Schema() json.RawMessage {
	props := map[string]any{}
	var req []string
	for _, f := range s.Fields {
		if f.Array {
			props[f.Name] = map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		} else {
			props[f.Name] = map[string]any{"type": "string"}
		}
		req = append(req, f.Name)
	}
	b, _ := json.Marshal(map[string]any{
		"type":                 "object",
		"properties":           props,
		"required":             req,
		"additionalProperties": false,
	})
	return b
}
