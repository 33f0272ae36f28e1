package idempotency

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestCheckKey(t *testing.T) {
	for _, tt := range []struct {
		key string
		ok  bool
	}{
		{"3f2c9a1e-7b7d-4a55-9a61-0c1f8d8e6b21", true},
		{"batch:2026-03-01#7", true},
		{"", false},
		{"has space", false},
		{"键", false},
		{strings.Repeat("k", MaxKey), true},
		{strings.Repeat("k", MaxKey+1), false},
	} {
		err := CheckKey(tt.key)
		if (err == nil) != tt.ok || err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("CheckKey(%q) = %v", tt.key, err)
		}
	}
}

func TestHash(t *testing.T) {
	a := Hash("post", "/v1/segments", []byte(`{"a":1}`))
	if a != Hash("POST", "/v1/segments", []byte(`{"a":1}`)) || len(a) != 64 {
		t.Errorf("hash %q", a)
	}
	for _, other := range []string{Hash("POST", "/v1/segments", []byte(`{"a":2}`)), Hash("POST", "/v1/campaigns", []byte(`{"a":1}`)),
		Hash("PUT", "/v1/segments", []byte(`{"a":1}`))} {
		if other == a {
			t.Error("different requests hash alike")
		}
	}
}
