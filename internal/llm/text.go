package llm

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// WriteUsage writes usage records as a table for a person.
func WriteUsage(w io.Writer, us []UsageRecord) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "run\tcampaign\tprovider/model\tcalls\tcached\tfailed\tattempts\tprompt tok\tcompl tok\tsaved tok\tcost USD\tsaved USD\t")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s/%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.6f\t%.6f\t\n", u.Run, u.Campaign, u.Provider, u.Model,
			u.Calls, u.Cached, u.Failed, u.Attempts, u.PromptTokens, u.CompletionTokens, u.SavedTokens, u.CostUSD, u.SavedUSD)
	}
	return tw.Flush()
}

// WriteChoices writes each choice of r: its JSON indented, else its text;
// several are headed "--- variant N".
func (r Result) WriteChoices(w io.Writer) error {
	for i, c := range r.Choices {
		if len(r.Choices) > 1 {
			fmt.Fprintf(w, "--- variant %d\n", i+1)
		}
		if len(c.JSON) > 0 {
			var v any
			_ = json.Unmarshal(c.JSON, &v)
			b, _ := json.MarshalIndent(v, "", "  ")
			fmt.Fprintln(w, string(b))
			continue
		}
		if _, err := fmt.Fprintln(w, c.Text); err != nil {
			return err
		}
	}
	return nil
}

// Line is one line about how the call went: provider, model, tokens, cost
// (costUSD, from the accounting), latency and attempts.
func (r Result) Line(costUSD float64) string {
	cached := ""
	if r.Cached {
		cached = " (cached: no tokens spent)"
	}
	return fmt.Sprintf("provider %s, model %s, %d+%d tokens, $%.6f, %s, %d attempt(s)%s",
		r.Provider, r.Model, r.Usage.PromptTokens, r.Usage.CompletionTokens, costUSD, r.Latency.Round(time.Millisecond), r.Attempts, cached)
}

// WriteLog writes log entries as JSON lines, one entry a line.
func WriteLog(w io.Writer, es []LogEntry) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, e := range es {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// Usages are usage records as `chorus llm usage` and the API list them.
type Usages []UsageRecord

// WriteText writes one row per record.
func (us Usages) WriteText(w io.Writer) error { return WriteUsage(w, us) }

// Total is the sum of every record, with no run, provider or model.
func (us Usages) Total() UsageRecord {
	var t UsageRecord
	for _, u := range us {
		t.Add(u)
	}
	t.Run, t.Provider, t.Model = "", "", ""
	return t
}
