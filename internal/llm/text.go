package llm

import (
	"fmt"
	"io"
	"text/tabwriter"
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
