package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	chorusapp "github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/insight"
)

// insightOptions applies --as-of and --map over the configured defaults.
func (a *app) insightOptions(asOf, mapName string) (insight.Options, error) {
	opts := insight.OptionsFromConfig(a.cfg.Insight)
	if asOf != "" {
		t, err := time.Parse(time.DateOnly, asOf)
		if err != nil {
			return opts, apperr.New(apperr.Invalid, "--as-of %q: want a date like 2011-12-10", asOf)
		}
		opts.AsOf = t
	}
	if mapName != "" {
		opts.Map = mapName
	}
	return opts, nil
}

// rfmReport is the JSON of `chorus rfm --json`.
type rfmReport struct {
	AsOf      string                     `json:"as_of"`
	Map       string                     `json:"map"`
	Customers int                        `json:"customers"`
	Segments  map[string]int             `json:"segments"`
	Edges     map[string][]float64       `json:"edges"`
	Scoring   map[string]insight.Scoring `json:"scoring"`
	Lifecycle map[string]int             `json:"lifecycle"`
	Notes     []string                   `json:"notes,omitempty"`
	// Scores are per customer, with --per-customer only.
	Scores []rfmRow `json:"scores,omitempty"`
}

// rfmRow is one scored customer.
type rfmRow struct {
	CustomerID string `json:"customer_id"`
	insight.RFM
	Lifecycle string `json:"lifecycle"`
}

func (a *app) rfmCmd() *cobra.Command {
	var asOf, mapName string
	var asJSON, perCustomer bool
	cmd := &cobra.Command{
		Use:   "rfm",
		Short: "Score customers by recency, frequency and monetary value; print segment counts and bin edges",
		Long: `Scores every customer with a purchase by RFM quintiles with the semantics of
pandas qcut (recency in whole days to the analysis date, scored in reverse;
frequency = distinct orders, ranked first with ties broken by ascending
customer id; monetary = net revenue) and maps the scores to segments:
  grid         the 10-cell R×F grid of the Python RFM recipes
  rfm-package  the rule table of the R rfm package (first match wins)
or a custom map from insight.segment_maps in the config. Break points can be
fixed in insight.rfm_breaks. The analysis date defaults to the day after the
last event.`,
		Example: `  chorus rfm
  chorus rfm --map rfm-package --as-of 2011-12-10 --json
  chorus rfm --per-customer > rfm.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts, err := a.insightOptions(asOf, mapName)
			if err != nil {
				return err
			}
			return a.withApp(cmd.Context(), func(ap *chorusapp.App) error {
				rep, err := rfmOf(cmd.Context(), ap, opts, perCustomer)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(rep)
				}
				printRFM(a.stdout, rep)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&asOf, "as-of", "", "analysis date YYYY-MM-DD (default: insight.as_of, else the day after the last event)")
	cmd.Flags().StringVar(&mapName, "map", "", "segment map: grid, rfm-package or a custom map name (default: insight.map)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON: segment counts, bin edges, as_of, customers")
	cmd.Flags().BoolVar(&perCustomer, "per-customer", false, "also print every customer's values, scores, segment and lifecycle stage")
	return cmd
}

// rfmOf computes the RFM report with opts (and every customer's scores
// with perCustomer).
func rfmOf(ctx context.Context, ap *chorusapp.App, opts insight.Options, perCustomer bool) (rfmReport, error) {
	opts.CLVHorizonDays = 0 // not needed for RFM
	snap, _, err := ap.Insight.Compute(ctx, opts)
	if err != nil {
		return rfmReport{}, err
	}
	rep := rfmReport{
		AsOf: snap.AsOf.Format(time.DateOnly), Map: snap.Map, Customers: snap.Scored, Segments: snap.Segments,
		Edges:     map[string][]float64{"recency": snap.Recency.Edges, "frequency": snap.Frequency.Edges, "monetary": snap.Monetary.Edges},
		Scoring:   map[string]insight.Scoring{"recency": snap.Recency, "frequency": snap.Frequency, "monetary": snap.Monetary},
		Lifecycle: snap.Lifecycle, Notes: snap.Notes,
	}
	if perCustomer {
		for _, m := range snap.Metrics {
			if m.Orders > 0 {
				rep.Scores = append(rep.Scores, rfmRow{CustomerID: m.CustomerID, RFM: m.RFM, Lifecycle: m.Lifecycle})
			}
		}
	}
	return rep, nil
}

// printRFM prints the report as tables.
func printRFM(w io.Writer, r rfmReport) {
	fmt.Fprintf(w, "RFM as of %s, map %s: %d customers with purchases\n\n", r.AsOf, r.Map, r.Customers)
	type kv struct {
		k string
		v int
	}
	var segs []kv
	for k, v := range r.Segments {
		segs = append(segs, kv{k, v})
	}
	slices.SortFunc(segs, func(x, y kv) int { return cmp.Or(cmp.Compare(y.v, x.v), cmp.Compare(x.k, y.k)) })
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "segment\tcustomers\tshare\t")
	for _, s := range segs {
		fmt.Fprintf(tw, "%s\t%d\t%.1f%%\t\n", s.k, s.v, 100*float64(s.v)/float64(max(r.Customers, 1)))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nbin edges (bins are right-closed, the first includes its left edge; scores 1..5, recency reversed):\n")
	units := map[string]string{"recency": "days", "frequency": "orders", "monetary": "net revenue"}
	for _, dim := range []string{"recency", "frequency", "monetary"} {
		sc := r.Scoring[dim]
		unit := units[dim]
		if sc.Method == "rank" {
			unit = "rank of " + unit + ", ties by customer id"
		}
		parts := make([]string, len(sc.Edges))
		for i, e := range sc.Edges {
			// Exact values are in --json; four decimals read better here.
			parts[i] = strconv.FormatFloat(math.Round(e*1e4)/1e4, 'f', -1, 64)
		}
		fmt.Fprintf(w, "  %-9s %-8s %s  (%s)\n", dim, sc.Method, strings.Join(parts, "  "), unit)
	}
	fmt.Fprintf(w, "\nlifecycle:")
	for _, st := range insight.Stages {
		fmt.Fprintf(w, " %s %d", st, r.Lifecycle[st])
	}
	fmt.Fprintln(w)
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	if len(r.Scores) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "customer\trecency_days\tfrequency\tmonetary\tscore\tsegment\tlifecycle")
		for _, s := range r.Scores {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f\t%s\t%s\t%s\n", s.CustomerID, s.Recency, s.Frequency, s.Monetary, s.Score, s.Segment, s.Lifecycle)
		}
		tw.Flush()
	}
}
