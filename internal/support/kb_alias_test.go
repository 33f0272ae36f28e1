package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A JSONL entry naming a field twice (title and question, body and
// answer) keeps the name listed first, as a CSV header's first such column
// wins, the same on every run (the line is read into a map).
func TestKBJSONLAliasesOrder(t *testing.T) {
	line := `{"id":"r1","question":"Q?","title":"Returns","answer":"Thirty days.","body":"Within 30 days of delivery.","language":"en"}` + "\n"
	for range 30 {
		res, err := support.ParseKB(strings.NewReader(line), support.ParseOptions{Format: support.FormatJSONL})
		if err != nil || len(res.Docs) != 1 {
			t.Fatalf("%+v %v", res, err)
		}
		if d := res.Docs[0]; d.Title != "Returns" || d.Body != "Within 30 days of delivery." {
			t.Fatalf("title %q, body %q; want the title and body keys' values", d.Title, d.Body)
		}
	}
}
