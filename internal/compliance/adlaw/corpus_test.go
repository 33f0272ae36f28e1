package adlaw

import (
	"bufio"
	"os"
	"strings"
	"testing"
)

// corpusLine is one labelled sentence of testdata/corpus.tsv.
type corpusLine struct {
	line      int
	violation bool
	lang      string
	category  string
	text      string
}

func readCorpus(t testing.TB) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/corpus.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "label\t") {
			continue
		}
		cols := strings.SplitN(line, "\t", 4)
		if len(cols) != 4 {
			t.Fatalf("corpus.tsv:%d: want 4 columns, got %d", n, len(cols))
		}
		var violation bool
		switch cols[0] {
		case "violation":
			violation = true
		case "clean":
		default:
			t.Fatalf("corpus.tsv:%d: label %q is neither violation nor clean", n, cols[0])
		}
		cat := cols[2]
		if cat == "-" {
			cat = ""
		}
		out = append(out, corpusLine{line: n, violation: violation, lang: cols[1], category: cat, text: cols[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus measures the checker on the labelled corpus: a review or block
// verdict is a positive. Precision and recall must both reach 0.95.
func TestCorpus(t *testing.T) {
	c := defaultChecker(t)
	lines := readCorpus(t)
	var tp, fp, fn, tn int
	langs := map[string]int{}
	for _, l := range lines {
		langs[l.lang]++
		rep := c.Check(l.text, Options{Lang: l.lang, Category: l.category})
		positive := rep.Verdict != Pass
		switch {
		case positive && l.violation:
			tp++
		case positive && !l.violation:
			fp++
			t.Logf("false positive, corpus.tsv:%d %q: %s", l.line, l.text, describe(rep))
		case !positive && l.violation:
			fn++
			t.Logf("false negative, corpus.tsv:%d %q", l.line, l.text)
		default:
			tn++
		}
	}
	if len(lines) < 300 || langs["zh"] == 0 || langs["en"] == 0 {
		t.Fatalf("corpus has %d lines (%v); want at least 300 in zh and en", len(lines), langs)
	}
	if tp+fn == 0 || tn+fp == 0 {
		t.Fatalf("corpus needs both violations and clean lines: tp=%d fn=%d tn=%d fp=%d", tp, fn, tn, fp)
	}
	precision := float64(tp) / float64(max(tp+fp, 1))
	recall := float64(tp) / float64(tp+fn)
	t.Logf("corpus: %d lines (%d zh, %d en), %d violations, %d clean; tp=%d fp=%d fn=%d tn=%d; precision %.3f, recall %.3f",
		len(lines), langs["zh"], langs["en"], tp+fn, tn+fp, tp, fp, fn, tn, precision, recall)
	if precision < 0.95 || recall < 0.95 {
		t.Errorf("precision %.3f, recall %.3f: both must be at least 0.95", precision, recall)
	}
}

func describe(rep Report) string {
	var b strings.Builder
	b.WriteString(string(rep.Verdict))
	for _, f := range rep.Findings {
		b.WriteString(" [" + f.MatchedText + "→" + f.Term + " " + f.Category + "/" + f.Severity + "]")
	}
	return b.String()
}
