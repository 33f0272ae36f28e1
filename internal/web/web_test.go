package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestTemplateKeys: every literal {{t "key"}} of every template is in
// the catalogue, in both languages (New checks the languages).
func TestTemplateKeys(t *testing.T) {
	c, err := New(Deps{})
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`\bt "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(templateFS, "templates/*.html")
	used := 0
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			used++
			if _, ok := c.cat[m[1]]; !ok {
				t.Errorf("%s: message %q is not in messages/*.json", f, m[1])
			}
		}
	}
	if used < 10 {
		t.Fatalf("found only %d message keys in the templates: is the pattern right?", used)
	}
	for _, n := range Navigation() {
		if _, ok := c.cat[n.Key]; !ok {
			t.Errorf("menu entry %s has no message %q", n.Page, n.Key)
		}
	}
	for _, l := range Langs {
		for k := range c.cat {
			if strings.TrimSpace(c.T(l, k)) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
		}
	}
}

func TestCatalogueRejectsAMissingLanguage(t *testing.T) {
	if got := (&Console{cat: catalogue{"a": {"en": "A %d"}}}).T(Zh, "a", 1); got != "a" {
		t.Fatalf("an absent translation shows %q, want the key", got)
	}
	if got := (&Console{cat: catalogue{"a": {"en": "A %d"}}}).T(En, "a", 1); got != "A 1" {
		t.Fatalf("T formats: %q", got)
	}
}
