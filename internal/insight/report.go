package insight

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

	"github.com/chorusmkt/chorus/internal/apperr"
)

// RFMReport is the RFM segmentation of a snapshot: segment counts, the
// scoring of each dimension and, on request, every customer's scores (the
// JSON of `chorus rfm --json`).
type RFMReport struct {
	AsOf      string               `json:"as_of"`
	Map       string               `json:"map"`
	Customers int                  `json:"customers"`
	Segments  map[string]int       `json:"segments"`
	Edges     map[string][]float64 `json:"edges"`
	Scoring   map[string]Scoring   `json:"scoring"`
	Lifecycle map[string]int       `json:"lifecycle"`
	Notes     []string             `json:"notes,omitempty"`
	// Scores are per customer, with --per-customer only.
	Scores []RFMRow `json:"scores,omitempty"`
}

// RFMRow is one scored customer.
type RFMRow struct {
	CustomerID string `json:"customer_id"`
	RFM
	Lifecycle string `json:"lifecycle"`
}

// RFM is the RFM report with opts (and every customer's scores with
// perCustomer), over the shared dataset.
func (s *Service) RFM(ctx context.Context, opts Options, perCustomer bool) (RFMReport, error) {
	opts.CLVHorizonDays = 0 // not needed for RFM
	snap, _, err := s.Compute(ctx, opts)
	if err != nil {
		return RFMReport{}, err
	}
	rep := RFMReport{
		AsOf: snap.AsOf.Format(time.DateOnly), Map: snap.Map, Customers: snap.Scored, Segments: snap.Segments,
		Edges:     map[string][]float64{"recency": snap.Recency.Edges, "frequency": snap.Frequency.Edges, "monetary": snap.Monetary.Edges},
		Scoring:   map[string]Scoring{"recency": snap.Recency, "frequency": snap.Frequency, "monetary": snap.Monetary},
		Lifecycle: snap.Lifecycle, Notes: snap.Notes,
	}
	if perCustomer {
		for _, m := range snap.Metrics {
			if m.Orders > 0 {
				rep.Scores = append(rep.Scores, RFMRow{CustomerID: m.CustomerID, RFM: m.RFM, Lifecycle: m.Lifecycle})
			}
		}
	}
	return rep, nil
}

// WriteText writes the report as tables for a person.
func (r RFMReport) WriteText(w io.Writer) error {
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
	for _, st := range Stages {
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
	return nil
}

// CLVRow is one customer of a CLV table.
type CLVRow struct {
	CustomerID string  `json:"customer_id"`
	Frequency  float64 `json:"frequency"` // repeat purchase days
	Recency    float64 `json:"recency"`   // days from first to last purchase day
	T          float64 `json:"T"`         // days from first purchase day to as_of
	Monetary   float64 `json:"monetary"`  // mean spend of repeat purchase days
	CLV
}

// CLVTable is every customer's CLV over a horizon, highest first (the
// JSON of `chorus clv --json`).
type CLVTable struct {
	Model        *CLVModel `json:"model"`
	HorizonDays  int       `json:"horizon_days"`
	DiscountRate float64   `json:"discount_rate"`
	Customers    []CLVRow  `json:"customers"`
}

// CheckCLV refuses a projection horizon that is not a positive number of
// days and an annual discount rate outside [0,1). The error is Invalid
// and names the CLI's flag.
func CheckCLV(horizonDays int, discountRate float64) error {
	if horizonDays <= 0 {
		return apperr.New(apperr.Invalid, "--horizon %d: want a positive number of days", horizonDays)
	}
	if discountRate < 0 || discountRate >= 1 {
		return apperr.New(apperr.Invalid, "--discount %g: want an annual rate in [0,1), e.g. 0.1", discountRate)
	}
	return nil
}

// CLV fits the CLV models as of opts.AsOf and projects every customer
// over horizon days at the annual discount rate, highest first (ties by
// customer id); limit > 0 keeps that many.
func (s *Service) CLV(ctx context.Context, opts Options, horizon int, rate float64, limit int) (CLVTable, error) {
	model, inputs, ds, err := s.FitCLV(ctx, opts)
	if err != nil {
		return CLVTable{}, err
	}
	rows := make([]CLVRow, len(inputs))
	for i, in := range inputs {
		rows[i] = CLVRow{CustomerID: ds.Customers[in.Customer], Frequency: in.X, Recency: in.Tx, T: in.T, Monetary: in.Monetary,
			CLV: model.Predict(in, horizon, rate)}
	}
	slices.SortFunc(rows, func(x, y CLVRow) int {
		return cmp.Or(cmp.Compare(y.Value, x.Value), CompareIDs(x.CustomerID, y.CustomerID))
	})
	if limit > 0 && len(rows) > limit {
		rows = rows[:limit]
	}
	return CLVTable{Model: model, HorizonDays: horizon, DiscountRate: rate, Customers: rows}, nil
}

// WriteText writes the table for a person.
func (t CLVTable) WriteText(w io.Writer) error {
	model := t.Model
	fmt.Fprintf(w, "CLV as of %s over %d days, annual discount %.1f%% (BG/NBD r=%.4g alpha=%.4g a=%.4g b=%.4g; Gamma-Gamma p=%.4g q=%.4g v=%.4g)\n\n",
		model.AsOf.Format(time.DateOnly), t.HorizonDays, t.DiscountRate*100, model.BGNBD.R, model.BGNBD.Alpha, model.BGNBD.A, model.BGNBD.B,
		model.GammaGamma.P, model.GammaGamma.Q, model.GammaGamma.V)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "customer\tx\tt_x\tT\tmonetary\tp_alive\tpurchases\tavg_value\tclv\t")
	for _, r := range t.Customers {
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%.0f\t%.2f\t%.3f\t%.2f\t%.2f\t%.2f\t\n", r.CustomerID, r.Frequency, r.Recency, r.T, r.Monetary,
			r.PAlive, r.ExpectedPurchases, r.ExpectedAvgValue, r.Value)
	}
	return tw.Flush()
}

// CLVFit is the fitted CLV models and how long the fit took (the JSON of
// `chorus clv fit --json`, its keys in the order they always had).
type CLVFit struct {
	AsOf       string     `json:"as_of"`
	BGNBD      BGNBD      `json:"bg_nbd"`
	Seconds    float64    `json:"fit_seconds"`
	GammaGamma GammaGamma `json:"gamma_gamma"`
	Unit       string     `json:"time_unit"`
}

// CLVFit fits BG/NBD and Gamma-Gamma with opts over the shared dataset
// and times the fit.
func (s *Service) CLVFit(ctx context.Context, opts Options) (CLVFit, error) {
	start := time.Now()
	m, _, _, err := s.FitCLV(ctx, opts)
	if err != nil {
		return CLVFit{}, err
	}
	return CLVFit{AsOf: m.AsOf.Format(time.DateOnly), Unit: m.Unit, BGNBD: m.BGNBD, GammaGamma: m.GammaGamma,
		Seconds: time.Since(start).Seconds()}, nil
}

// WriteText writes the parameters and log-likelihoods of both models.
func (f CLVFit) WriteText(w io.Writer) error {
	bg, gg := f.BGNBD, f.GammaGamma
	took := time.Duration(f.Seconds * float64(time.Second)).Round(time.Millisecond)
	fmt.Fprintf(w, "CLV models as of %s (time unit: day), fitted in %s\n", f.AsOf, took)
	fmt.Fprintf(w, "BG/NBD       r=%.4f alpha=%.4f a=%.4f b=%.4f  log-likelihood %.2f  (%d customers)\n", bg.R, bg.Alpha, bg.A, bg.B, bg.LogLik, bg.N)
	_, err := fmt.Fprintf(w, "Gamma-Gamma  p=%.4f q=%.4f v=%.4f  log-likelihood %.2f  (%d repeat customers with spend)\n", gg.P, gg.Q, gg.V, gg.LogLik, gg.N)
	return err
}
