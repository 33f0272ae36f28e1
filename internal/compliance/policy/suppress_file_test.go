package policy

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestSuppressRequestAddFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bounces.txt")
	if err := os.WriteFile(path, []byte("# hard bounces\na@example.com\n\n13800138000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := SuppressRequest{Values: []string{"c1"}, Source: "cli"}
	if err := r.AddFile(""); err != nil || r.Source != "cli" || len(r.Values) != 1 {
		t.Fatalf("no file: %+v, %v", r, err)
	}
	if err := r.AddFile(path); err != nil || !slices.Equal(r.Values, []string{"c1", "a@example.com", "13800138000"}) || r.Source != "file:"+path {
		t.Errorf("AddFile: %+v, %v", r, err)
	}
	if err := r.AddFile(filepath.Join(t.TempDir(), "none.txt")); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("missing file: %v, want Invalid", err)
	}
}
