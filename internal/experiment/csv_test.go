package experiment

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestReadTable(t *testing.T) {
	for name, c := range map[string]struct {
		in, control string
		want        []Arm
		from        string
		ignored     int
	}{
		"contract with marker": {
			in:   "variant,recipients,conversions,control\nA,1000,120,true\nB,1000,150,\n",
			want: []Arm{{Name: "A", Recipients: 1000, Conversions: 120, Control: true}, {Name: "B", Recipients: 1000, Conversions: 150}},
			from: "column",
		},
		"flag over column, case-insensitive": {
			in: "variant,recipients,conversions,control\nA,1000,120,yes\nB,1000,150,no\n", control: "b",
			want: []Arm{{Name: "A", Recipients: 1000, Conversions: 120}, {Name: "B", Recipients: 1000, Conversions: 150, Control: true}},
			from: "argument",
		},
		"revenue, BOM, CRLF, blank line, spaces": {
			in: "\ufeffvariant, recipients, conversions, revenue_sum, revenue_sumsq\r\ncontrol, 1000, 120, 12000.5, 1500000\r\n\r\nB, \"1,000\", 150, ¥16500, 2000000\r\n",
			want: []Arm{{Name: "control", Recipients: 1000, Conversions: 120, Control: true, Revenue: &Moments{N: 1000, Sum: 12000.5, SumSq: 1500000}},
				{Name: "B", Recipients: 1000, Conversions: 150, Revenue: &Moments{N: 1000, Sum: 16500, SumSq: 2000000}}},
			from: "name",
		},
		"chinese headers, tabs, full-width digits, weights": {
			in: "分组\t人数\t转化数\t对照\t占比\t备注\n对照组\t１０００\t120\t是\t50%\t\n新文案\t1000\t150\t否\t50%\t春季\n",
			want: []Arm{{Name: "对照组", Recipients: 1000, Conversions: 120, Control: true, Weight: 0.5},
				{Name: "新文案", Recipients: 1000, Conversions: 150, Weight: 0.5}},
			from: "column", ignored: 1,
		},
		"semicolons": {
			in:   "variant;recipients;conversions\nholdout;500;10\ntreated;4500;120\n",
			want: []Arm{{Name: "holdout", Recipients: 500, Conversions: 10, Control: true}, {Name: "treated", Recipients: 4500, Conversions: 120}},
			from: "name",
		},
	} {
		tab, err := ReadTable(strings.NewReader(c.in), c.control)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if tab.ControlFrom != c.from || len(tab.Ignored) != c.ignored || len(tab.Arms) != len(c.want) {
			t.Errorf("%s: %+v", name, tab)
			continue
		}
		for i, a := range tab.Arms {
			w := c.want[i]
			if a.Name != w.Name || a.Recipients != w.Recipients || a.Conversions != w.Conversions || a.Control != w.Control || a.Weight != w.Weight ||
				(a.Revenue == nil) != (w.Revenue == nil) || (a.Revenue != nil && *a.Revenue != *w.Revenue) {
				t.Errorf("%s: arm %d = %+v, want %+v", name, i, a, w)
			}
		}
	}
}

func TestReadTableErrors(t *testing.T) {
	for name, c := range map[string]struct {
		in, control string
		want        []string
	}{
		"empty":          {in: "", want: []string{"empty"}},
		"missing column": {in: "variant,users\nA,10\n", want: []string{"line 1", "conversions"}},
		"sum without sq": {in: "variant,recipients,conversions,revenue_sum\nA,10,1,5\nB,10,1,5\n", want: []string{"line 1", "revenue_sumsq"}},
		"duplicate column": {in: "variant,recipients,users,conversions\nA,1,1,1\n",
			want: []string{"line 1", "recipients", "users"}},
		"bad numbers": {
			in: "variant,recipients,conversions,control\nA,1000,120,true\nB,abc,150,\nC,1000,1500,\nD,10.5,1,\n,5,1,\nA,5,1,\nE,5,-1,\nF,0,0,\nG,5,1,maybe\n",
			want: []string{
				`line 3: recipients "abc" is not a whole number`,
				"line 4: 1500 conversions for 1000 recipients",
				`line 5: recipients "10.5" is not a whole number`,
				"line 6: the variant name is empty",
				`line 7: variant "A" appears again (first on line 2)`,
				"line 8: conversions is negative",
				"line 9: recipients is 0",
				`line 10: control "maybe"`,
			}},
		"field count":   {in: "variant,recipients,conversions\nA,10,1\nB,10\n", want: []string{"line 3: 2 fields, but the header has 3"}},
		"quote":         {in: "variant,recipients,conversions\n\"A,10,1\nB,10,1\n", want: []string{"line 2", "quote"}},
		"impossible sq": {in: "variant,recipients,conversions,revenue_sum,revenue_sumsq\nA,10,1,100,10\nB,10,1,,\n", want: []string{"line 2: revenue_sumsq 10 is smaller", "line 3: revenue_sum and revenue_sumsq must both"}},
		"mixed weights": {in: "variant,recipients,conversions,weight\nA,900,10,90%\nB,100,1,10\n", want: []string{`line 3: weight "10" mixes percentages`, "line 2"}},
		"one variant":   {in: "variant,recipients,conversions\nA,10,1\n", want: []string{"1 variant line"}},
		"two controls":  {in: "variant,recipients,conversions,control\nA,10,1,1\nB,10,1,1\n", want: []string{"line 3", `"B"`, "line 2", `"A"`}},
		"none marked":   {in: "variant,recipients,conversions,control\nA,10,1,\nB,10,1,\n", want: []string{"no line is marked"}},
		"no control":    {in: "variant,recipients,conversions\nA,10,1\nB,10,1\n", want: []string{"no control", "--control", "A, B"}},
		"unknown flag":  {in: "variant,recipients,conversions\nA,10,1\nB,10,1\n", control: "Z", want: []string{`control "Z" is not a variant`, "A, B"}},
	} {
		_, err := ReadTable(strings.NewReader(c.in), c.control)
		if !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want an Invalid error", name, err)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", name, err, w)
			}
		}
	}
}

func TestTableAnalyzeAndMetric(t *testing.T) {
	tab, err := ReadTable(strings.NewReader("variant,recipients,conversions,channel\ncontrol,1000,100,sms\nB,1000,130,sms\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tab.Analyze(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) < 2 || !strings.Contains(strings.Join(rep.Warnings, "|"), "ignored columns: channel") ||
		!strings.Contains(strings.Join(rep.Warnings, "|"), "taken as the control by its name") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	var b strings.Builder
	if err := rep.WriteText(&b); err != nil || !strings.Contains(b.String(), "decision: send") {
		t.Errorf("text %q, %v", b.String(), err)
	}
	for in, want := range map[string]Metric{"conversion": MetricConversion, "revenue": MetricRevenue, string(MetricRevenue): MetricRevenue} {
		if m, err := ParseMetric(in); err != nil || m != want {
			t.Errorf("ParseMetric(%q) = %q, %v", in, m, err)
		}
	}
	if _, err := ParseMetric("clicks"); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("ParseMetric(clicks): %v", err)
	}
}
