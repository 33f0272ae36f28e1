package vocab

import (
	"slices"
	"strings"
	"testing"
)

func TestEmbeddedTableParses(t *testing.T) {
	tb := Needs()
	if len(tb.Concepts) < 20 {
		t.Fatalf("need table has %d concepts, want the shipped table", len(tb.Concepts))
	}
	for _, c := range tb.Concepts {
		if c.Weight() <= 0 {
			t.Errorf("%s: weight %v", c.Name, c.Weight())
		}
		// a label is said in the answer beside the card's facts: a figure
		// in it would be one no card grounds
		if strings.ContainsAny(c.Label.Zh+c.Label.En, "0123456789") {
			t.Errorf("%s: label %q / %q holds a figure", c.Name, c.Label.Zh, c.Label.En)
		}
	}
	if len(tb.Bridges.Uses) == 0 || len(tb.Bridges.Needs) == 0 {
		t.Errorf("bridges: %d uses, %d needs; want the shipped ones", len(tb.Bridges.Uses), len(tb.Bridges.Needs))
	}
}

func names(cs []Concept) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestMatchFindsConceptsInBothLanguages(t *testing.T) {
	cases := []struct {
		text string
		want []string
		not  []string
	}{
		{"my dad goes hiking every weekend", []string{"hiking"}, []string{"camping"}},
		{"他周末喜欢爬山", []string{"hiking"}, nil},
		{"my shoulders hurt after carrying my camera", []string{"shoulders", "camera"}, nil},
		{"背相机背一天肩膀酸", []string{"shoulders", "camera"}, nil},
		{"a lightweight tripod", []string{"light"}, nil},
		// a light to see by is no constraint of weight
		{"a light for camping", []string{"camping"}, []string{"light"}},
		{"有没有便宜点的三脚架", []string{"cheap"}, nil},
		{"the trail is wet", []string{"hiking"}, []string{"rain"}},
		// a cue is a word start: "sunday" is no sun, "scampi" no camp
		{"on sunday with scampi", nil, []string{"sun", "camping"}},
	}
	tb := Needs()
	for _, c := range cases {
		got := names(tb.Match(c.text))
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: matched %v, want %s", c.text, got, w)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: matched %v, must not match %s", c.text, got, w)
			}
		}
	}
}

func TestFitsReadsTagsCategoriesAndWords(t *testing.T) {
	tb := Needs()
	byName := map[string]Concept{}
	for _, c := range tb.Concepts {
		byName[c.Name] = c
	}
	if got := byName["hiking"].Fits([]string{"hiking"}, "Outdoor > Hiking", ""); got != 1 {
		t.Errorf("hiking tag: %v, want 1", got)
	}
	if got := byName["camera"].Fits(nil, "摄影 > 背带", ""); got != 1 {
		t.Errorf("camera category: %v, want 1", got)
	}
	if got := byName["glare"].Fits(nil, "Fashion", "polarised sunglasses uv400"); got != 0.8 {
		t.Errorf("glare word: %v, want 0.8", got)
	}
	if got := byName["glare"].Fits(nil, "Fashion", "unpolarised"); got != 0 {
		t.Errorf("a word inside another is no fit: %v", got)
	}
}

func TestParseRejectsBadTables(t *testing.T) {
	bad := map[string]string{
		"no kind":      "concepts:\n  - name: x\n    label: {zh: a, en: a}\n    cues: {en: [x]}\n    tags: [t]\n",
		"no attribute": "concepts:\n  - name: x\n    kind: problem\n    label: {zh: a, en: a}\n    cues: {en: [x]}\n",
		"no cues":      "concepts:\n  - name: x\n    kind: problem\n    label: {zh: a, en: a}\n    tags: [t]\n",
		"twice":        "concepts:\n  - {name: x, kind: problem, label: {zh: a, en: a}, cues: {en: [x]}, tags: [t]}\n  - {name: x, kind: problem, label: {zh: a, en: a}, cues: {en: [x]}, tags: [t]}\n",
	}
	for name, y := range bad {
		if _, err := Parse([]byte(y)); err == nil {
			t.Errorf("%s: parsed without error", name)
		}
	}
}

func TestBridgeRewritesIntoCatalogWords(t *testing.T) {
	tb := Needs()
	for q, want := range map[string]string{
		"something for the office":              "desk",
		"I can never sleep on planes":           "flight",
		"晚上看书眼睛累":                               "护眼",
		"a scent without a flame":               "flame-free",
		"weekend away, need a bag for 2 nights": "two-night",
	} {
		if got := tb.Bridge(q); !strings.Contains(got, want) {
			t.Errorf("Bridge(%q) = %q, want it to hold %q", q, got, want)
		}
	}
}
