package pii_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

type corpusLine struct {
	line  int
	typ   pii.Type // "" for a line without personal data
	value string
	text  string
}

// loadCorpus reads a labelled file: type<TAB>value<TAB>text per line,
// type "-" for a line without personal data.
func loadCorpus(t *testing.T, path string) []corpusLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("%s:%d: want type<TAB>value<TAB>text", path, n)
		}
		c := corpusLine{line: n, value: parts[1], text: parts[2]}
		if parts[0] != "-" {
			c.typ = pii.Type(parts[0])
			if !strings.Contains(c.text, c.value) {
				t.Fatalf("%s:%d: value not in text", path, n)
			}
		}
		out = append(out, c)
	}
	return out
}

// TestCorpus measures the scanner on a labelled corpus: recall over lines
// with personal data (a finding of the right type must cover the value)
// and the false-positive rate over lines without (any finding counts).
// Names are personal data only as known values, so every line is scanned
// with all the corpus's names as customer records: the non-PII lines
// also prove that literal matching does not fire on other words.
func TestCorpus(t *testing.T) {
	lines := loadCorpus(t, "testdata/corpus.tsv")
	var known []pii.Record
	for _, c := range lines {
		if c.typ == pii.Name {
			known = append(known, pii.Record{Name: c.value})
		}
	}
	s := pii.NewScanner(nil)
	var found, total, fp, clean int
	perType := map[pii.Type][2]int{}
	for _, c := range lines {
		ents := s.Scan(c.text, known...)
		if c.typ == "" {
			clean++
			if len(ents) > 0 {
				fp++
				t.Logf("false positive: %s %q in %q", ents[0].Type, ents[0].Text, c.text)
			}
			continue
		}
		total++
		start := strings.Index(c.text, c.value)
		end := start + len(c.value)
		hit := false
		for _, e := range ents {
			if e.Type == c.typ && e.Start <= start && e.End >= end {
				hit = true
			}
		}
		pt := perType[c.typ]
		pt[1]++
		if hit {
			found++
			pt[0]++
		} else {
			t.Logf("missed %s %q in %q (found %v)", c.typ, c.value, c.text, describe(ents))
		}
		perType[c.typ] = pt
	}
	recall := float64(found) / float64(total)
	fpr := float64(fp) / float64(clean)
	for _, ty := range pii.Types() {
		if pt := perType[ty]; pt[1] > 0 {
			t.Logf("%-8s %3d/%3d", ty, pt[0], pt[1])
		}
	}
	t.Logf("recall %.3f (%d/%d PII items), false-positive rate %.3f (%d/%d clean lines)", recall, found, total, fpr, fp, clean)
	if total < 150 || clean < 150 {
		t.Fatalf("corpus too small: %d PII items, %d clean lines", total, clean)
	}
	if recall < 0.98 {
		t.Errorf("recall %.3f < 0.98", recall)
	}
	if fpr > 0.02 {
		t.Errorf("false-positive rate %.3f > 0.02", fpr)
	}
}

func describe(es []pii.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, string(e.Type)+":"+e.Text)
	}
	return out
}

// TestNameCorpus measures names found by context alone: every line is
// scanned without known records, so a hit comes from a cue (收件人：,
// 亲爱的, 女士, Dear …, Mr.), and the clean lines are product copy and
// greetings that carry the same cues without naming anyone.
func TestNameCorpus(t *testing.T) {
	recall, fpr := nameCorpus(t, "testdata/names.tsv", true)
	if recall < 0.95 || fpr > 0.03 {
		t.Errorf("names.tsv: recall %.3f, false-positive rate %.3f", recall, fpr)
	}
	// The held-out file was not tuned on: a miss there is logged, and only
	// a collapse fails. Its clean lines are adversarial (brands after Dr.,
	// greetings to things), and were 4 of 22 false names when written.
	recall, fpr = nameCorpus(t, "testdata/names_holdout.tsv", false)
	if recall < 0.8 || fpr > 0.25 {
		t.Errorf("names_holdout.tsv: recall %.3f, false-positive rate %.3f", recall, fpr)
	}
}

// nameCorpus scans a labelled name file and returns recall and
// false-positive rate; strict reports every miss as an error.
func nameCorpus(t *testing.T, path string, strict bool) (recall, fpr float64) {
	t.Helper()
	report := t.Logf
	if strict {
		report = t.Errorf
	}
	s := pii.NewScanner(nil)
	var found, total, fp, clean int
	for _, c := range loadCorpus(t, path) {
		var names []pii.Entity
		for _, e := range s.Scan(c.text) {
			if e.Type == pii.Name {
				names = append(names, e)
			}
		}
		if c.typ == "" {
			clean++
			if len(names) > 0 {
				fp++
				report("%s:%d: false name %q in %q", path, c.line, names[0].Text, c.text)
			}
			continue
		}
		total++
		if len(names) == 1 && names[0].Text == c.value && names[0].Label == pii.LabelContextName {
			found++
		} else {
			report("%s:%d: want name %q in %q, found %v", path, c.line, c.value, c.text, describe(names))
		}
	}
	if total < 20 || clean < 20 {
		t.Fatalf("%s too small: %d names, %d clean lines", path, total, clean)
	}
	recall, fpr = float64(found)/float64(total), float64(fp)/float64(clean)
	t.Logf("%s: names by context: recall %.3f (%d/%d), false-positive rate %.3f (%d/%d clean lines)",
		path, recall, found, total, fpr, fp, clean)
	return recall, fpr
}
