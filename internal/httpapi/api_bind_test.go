package httpapi

import (
	"net/http/httptest"
	"testing"
)

// A JSON body cannot overwrite what the URL names: a key matching an
// untagged path field (case-insensitively, as encoding/json matches)
// is replaced by the path's value.
func TestBindPathWinsOverBody(t *testing.T) {
	type req struct {
		ID    string `path:"id"`
		Limit int    `query:"limit"`
		Name  string `json:"name"`
	}
	r := httptest.NewRequest("PUT", "/v1/things/mine?limit=5", nil)
	r.SetPathValue("id", "mine")
	var got req
	if err := bind(r, []byte(`{"ID":"someone-else","Limit":99,"name":"x"}`), &got); err != nil {
		t.Fatalf("bind: %v", err)
	}
	if got.ID != "mine" || got.Limit != 5 || got.Name != "x" {
		t.Fatalf("bind = %+v, want the path's id, the query's limit and the body's name", got)
	}
}
