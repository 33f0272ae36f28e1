package content

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/count"
	"github.com/chorusmkt/chorus/internal/llm"
)

// WriteText writes what a campaign run did, for a person.
func (s Summary) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "run %s (%s) — %s\n", s.Run, s.Campaign, s.Status)
	fmt.Fprintf(w, "units: %d total, %d resumed, %d generated, %d failed\n", s.Units, s.Resumed, s.Generated, len(s.Failed))
	fmt.Fprintf(w, "items: %d new (%d draft, %d flagged, %d duplicates dropped); run totals: %s\n", s.Items, s.Draft, s.Flagged, s.Duplicates, count.List(s.Totals))
	fmt.Fprintf(w, "model calls: %d (%d repairs), tokens %d, cost $%.4f\n", s.ModelCalls, s.RepairCalls, s.Tokens.TotalTokens, s.CostUSD)
	fmt.Fprintf(w, "compliance: %s\n", s.Compliance)
	if c := s.Coverage; c != nil {
		fmt.Fprintf(w, "messages: %d rendered; %d of the %d personalised ones name one of the customer's own recommendations (%d her first); %d to customers who opted out of personalisation get their segment's message; %d over budget\n",
			c.Messages, c.PersonalisedNamingOwn, c.Messages-c.OptedOut, c.NamingFirstChoice, c.OptedOut, c.OverBudget)
	}
	if len(s.FlaggedReasons) > 0 {
		var rules []string
		for r, n := range s.FlaggedReasons {
			rules = append(rules, fmt.Sprintf("%s %d", r, n))
		}
		sort.Strings(rules)
		fmt.Fprintf(w, "flagged reasons: %s\n", strings.Join(rules, ", "))
		for _, e := range s.FlaggedExamples {
			fmt.Fprintf(w, "  - %s\n", e)
		}
		fmt.Fprintln(w, "review them: chorus content review list --status flagged --run "+s.Run)
	}
	for _, f := range s.Failed {
		fmt.Fprintf(w, "failed %s: %s\n", f.Unit, f.Reason)
	}
	return nil
}

// WriteText writes a single message's items on stdout and its model calls
// on stderr.
func (w Written) WriteText(stdout, stderr io.Writer) error {
	out := w.Outcome
	spec, _ := SpecFor(w.Request.Channel)
	for _, it := range out.Items {
		provider, model := llm.SplitName(it.Model)
		fmt.Fprintf(stdout, "── %s · %s · variant %d · %s (repairs %d) · provider: %s · model: %s · %s\n",
			spec.Label, it.Language, it.Variant+1, it.Status, it.Rounds, provider, model, it.ID)
		for _, f := range spec.Fields {
			v := it.Copy.Field(f.Name)
			if f.Array {
				v = "#" + strings.Join(it.Copy.Hashtags, " #")
			}
			fmt.Fprintf(stdout, "%s: %s\n", f.Name, v)
		}
		if it.SMS != nil {
			fmt.Fprintf(stdout, "sms: %s, %d units, %d segment(s)\n", it.SMS.Encoding, it.SMS.Units, it.SMS.Segments)
		}
		for _, v := range it.Violations {
			fmt.Fprintf(stdout, "⚠ %s\n", v)
		}
	}
	fmt.Fprintf(stderr, "model calls: %d, tokens: %d\n", out.Calls, out.Usage.TotalTokens)
	return nil
}

// WriteText writes the demo campaign readably: one sample message per
// channel and language of the first segment, the copy linter's figures,
// then where the previews are.
func (ds DemoSummary) WriteText(w io.Writer) error {
	provider, model := llm.SplitName(ds.Model)
	fmt.Fprintf(w, "sample campaign 示例营销文案: %d items, %d flagged, %d model calls · provider: %s · model: %s\n",
		ds.Items, ds.Flagged, ds.ModelCalls, provider, model)
	// One segment's samples show every channel in both languages; the
	// rest are in the previews.
	shown := 0
	for _, s := range ds.Samples {
		if s.Segment != ds.Samples[0].Segment {
			continue
		}
		shown++
		fmt.Fprintf(w, "[%s · %s · %s · %s] %s\n  %s\n", s.Segment, s.Channel, s.Language, s.Status, s.Product,
			strings.ReplaceAll(strings.TrimSpace(s.Text), "\n", "\n  "))
	}
	if rest := len(ds.Samples) - shown; rest > 0 {
		fmt.Fprintf(w, "(%d more samples for the other segments in the previews)\n", rest)
	}
	if err := ds.Lint.WriteFigures(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "previews 预览: %s\n", filepath.Join(ds.OutDir, "index.html"))
	return nil
}

// WrittenReport is a single message as `chorus generate --json` prints
// it: the request it resolved and the items, calls and tokens. Its fields
// are in the order the JSON has always had them.
type WrittenReport struct {
	Channel    string           `json:"channel"`
	Duplicates int              `json:"duplicates_dropped"`
	Items      []Item           `json:"items"`
	Language   string           `json:"language"`
	Calls      int              `json:"model_calls"`
	Persona    llm.PersonaFacts `json:"persona"`
	Product    ProductRef       `json:"product"`
	Tokens     llm.Usage        `json:"tokens"`
}

// ProductRef names a product in a report.
type ProductRef struct {
	Currency string  `json:"currency"`
	Price    float64 `json:"price"`
	SKU      string  `json:"sku"`
	Title    string  `json:"title"`
}

// Report is w as WrittenReport.
func (w Written) Report() WrittenReport {
	req, out, p := w.Request, w.Outcome, w.Request.Product
	return WrittenReport{Channel: req.Channel, Duplicates: out.Duplicates, Items: out.Items, Language: req.Lang, Calls: out.Calls,
		Persona: req.Persona, Product: ProductRef{Currency: p.Currency, Price: p.Price, SKU: p.SKU, Title: p.Title}, Tokens: out.Usage}
}
