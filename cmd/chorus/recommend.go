package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/recommend"
	"github.com/chorusmkt/chorus/internal/segment"
	"github.com/chorusmkt/chorus/internal/store"
)

func (a *app) recommendCmd() *cobra.Command {
	var k int
	var asJSON bool
	var segName, customersFile string
	cmd := &cobra.Command{
		Use:   "recommend [CUSTOMER]",
		Short: "Recommend products for a customer, a segment or a list of customers",
		Long: `Ranks products with the recommenders (recency-weighted popularity, item-to-item,
implicit ALS, content similarity and their tuned hybrid blend) trained on every
purchase, cart, view and refund event in the store, and prints the top --k products for one
customer, for every member of a saved segment (--segment) or for the ids in a
file, one per line (--customers). Each item carries the reason it is there.
Already-bought items (unless of a consumable category: recommend.consumable,
"*" for every item, as for wholesale buyers who restock), out-of-stock and
inactive products are left out; at most recommend.diversity_cap items share a
category. A customer without history gets the popular items.

Training settings come from the recommend: config section (CHORUS_RECOMMEND_*).
The trained model is saved in the store and reused until the data or those
settings change ('chorus recommend train' builds it up front).
Measure the recommenders with 'chorus recommend eval'.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if k < 1 {
				return apperr.New(apperr.Invalid, "--k is %d; ask for at least 1 item", k)
			}
			sources := 0
			for _, set := range []bool{len(args) == 1, segName != "", customersFile != ""} {
				if set {
					sources++
				}
			}
			if sources != 1 {
				return apperr.New(apperr.Invalid, "name exactly one of: a CUSTOMER argument, --segment NAME, --customers FILE")
			}
			return a.withStore(ctx, func(st store.Store) error {
				var ids []string
				var err error
				switch {
				case segName != "":
					if ids, err = segmentMembers(ctx, st, segName); err != nil {
						return err
					}
				case customersFile != "":
					if ids, err = readIDs(customersFile, a.stdin); err != nil {
						return err
					}
				}
				if len(args) == 1 {
					// A customer Chorus does not know (no record, no event) is
					// a typo, not a cold start.
					if _, err := st.GetCustomer(ctx, args[0]); apperr.Is(err, apperr.NotFound) {
						if n, cerr := st.CountEvents(ctx, event.Filter{CustomerID: args[0]}); cerr != nil || n == 0 {
							return cmp.Or(cerr, err)
						}
					} else if err != nil {
						return err
					}
				}
				m, origin, err := a.recommendModel(ctx, st, false)
				if err != nil {
					return err
				}
				fmt.Fprintln(a.stderr, origin)
				if len(args) == 1 {
					items, err := m.Recommend(args[0], k)
					if err != nil {
						return err
					}
					if asJSON {
						return a.printJSON(recommend.Batch{CustomerID: args[0], Known: m.Known(args[0]), Items: items})
					}
					if !m.Known(args[0]) {
						fmt.Fprintf(a.stdout, "customer %s has no purchase history; showing popular items\n", args[0])
					}
					return writeItems(a.stdout, "", items)
				}
				batches, err := m.RecommendMany(ctx, ids, k)
				if err != nil {
					return err
				}
				if asJSON {
					return a.printJSON(batches)
				}
				tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "CUSTOMER\tRANK\tSKU\tSCORE\tTITLE\tREASON")
				for _, b := range batches {
					for r, it := range b.Items {
						fmt.Fprintf(tw, "%s\t%d\t%s\t%.4f\t%s\t%s\n", b.CustomerID, r+1, it.SKU, it.Score, it.Title, it.Reason)
					}
				}
				return tw.Flush()
			})
		},
	}
	cmd.Flags().IntVar(&k, "k", 10, "number of products per customer")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().StringVar(&segName, "segment", "", "recommend for every member of this saved segment")
	cmd.Flags().StringVar(&customersFile, "customers", "", "recommend for the customer ids in this file, one per line ('-' for stdin)")
	cmd.AddCommand(a.recommendEvalCmd(), a.recommendTrainCmd())
	return cmd
}

func writeItems(w io.Writer, prefix string, items []recommend.Item) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, prefix+"RANK\tSKU\tSCORE\tTITLE\tREASON\tSOURCE")
	for r, it := range items {
		fmt.Fprintf(tw, "%s%d\t%s\t%.4f\t%s\t%s\t%s\n", prefix, r+1, it.SKU, it.Score, it.Title, it.Reason, it.Source)
	}
	return tw.Flush()
}

// segmentMembers reads a saved segment's members when the store keeps
// segments (both engines do once the segment migration is applied).
func segmentMembers(ctx context.Context, st any, name string) ([]string, error) {
	type memberScanner interface {
		ScanSegmentMembers(ctx context.Context, name string, fn func(segment.Member) error) error
	}
	ms, ok := st.(memberScanner)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, "this store keeps no segments; use --customers FILE")
	}
	var ids []string
	err := ms.ScanSegmentMembers(ctx, name, func(m segment.Member) error {
		ids = append(ids, m.CustomerID)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "segment %q has no members; check it with 'chorus segment count %s'", name, name)
	}
	return ids, nil
}

// readIDs reads one customer id per line, skipping blanks and # comments.
func readIDs(path string, stdin io.Reader) ([]string, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "--customers %s", path)
		}
		defer f.Close()
		r = f
	}
	var ids []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ids = append(ids, line)
	}
	if err := sc.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "--customers %s", path)
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "--customers %s holds no customer ids (one per line)", path)
	}
	return ids, nil
}

func (a *app) recommendEvalCmd() *cobra.Command {
	var k int
	var asJSON bool
	var cutoff, until string
	cmd := &cobra.Command{
		Use:   "eval --cutoff DATE",
		Short: "Measure every recommender offline on a temporal split",
		Long:  "Trains on events before --cutoff and tests on purchases after it.\n\n" + recommend.Protocol,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if k < 1 {
				return apperr.New(apperr.Invalid, "--k is %d; use at least 1", k)
			}
			cut, err := parseDay("--cutoff", cutoff)
			if err != nil {
				return err
			}
			var end time.Time
			if until != "" {
				if end, err = parseDay("--until", until); err != nil {
					return err
				}
				if !end.After(cut) {
					return apperr.New(apperr.Invalid, "--until %s must be after --cutoff %s", until, cutoff)
				}
			}
			return a.withStore(ctx, func(st store.Store) error {
				t0 := time.Now()
				ds, err := recommend.Load(ctx, st)
				if err != nil {
					return err
				}
				load := time.Since(t0)
				rep, err := recommend.Evaluate(ctx, ds, recommend.EvalOptions{Cutoff: cut, Until: end, K: k, Train: recommend.FromConfig(a.cfg.Recommend)})
				if err != nil {
					return err
				}
				rep.TrainSeconds["load"] = load.Seconds()
				if asJSON {
					return a.printJSON(rep)
				}
				return writeEval(a.stdout, rep)
			})
		},
	}
	cmd.Flags().StringVar(&cutoff, "cutoff", "", "train before this date, test from it (YYYY-MM-DD, UTC)")
	cmd.Flags().StringVar(&until, "until", "", "end of the test period (default: end of the data)")
	cmd.Flags().IntVar(&k, "k", 10, "length of the ranked lists (the K of the metrics)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	_ = cmd.MarkFlagRequired("cutoff")
	return cmd
}

func parseDay(flag, s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return t, apperr.New(apperr.Invalid, "%s %q is not a date; use YYYY-MM-DD", flag, s)
	}
	return t, nil
}

func writeEval(w io.Writer, rep *recommend.EvalReport) error {
	fmt.Fprintln(w, rep.Protocol)
	fmt.Fprintln(w)
	end := "end of data"
	if !rep.Until.IsZero() {
		end = rep.Until.Format(time.DateOnly)
	}
	fmt.Fprintf(w, "cutoff %s, test until %s, K = %d\n", rep.Cutoff.Format(time.DateOnly), end, rep.K)
	fmt.Fprintf(w, "train: %d events (%d purchases, %d by guests) from %s, %d customers, %d items\n",
		rep.Train.Events, rep.Train.Purchases, rep.Train.GuestLines, rep.Train.First.Format(time.DateOnly), rep.Train.Customers, rep.Train.Items)
	fmt.Fprintf(w, "test: %d customers, %d relevant (customer, item) pairs; ranking over %d items\n", rep.TestUsers, rep.RelevantItems, rep.CandidateItems)
	if rep.TestPairs > 0 {
		fmt.Fprintf(w, "      %d of the %d (customer, item) purchases after the cutoff (%.0f%%) re-buy an item bought before it;\n"+
			"      they are relevant only for consumable categories (recommend.consumable), as Recommend shows no other item again\n",
			rep.RepeatPairs, rep.TestPairs, 100*float64(rep.RepeatPairs)/float64(rep.TestPairs))
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "recommender\tHR@%d\tP@%d\tR@%d\tNDCG@%d\tMAP@%d\tcoverage\tNDCG/pop\trank s\t\n", rep.K, rep.K, rep.K, rep.K, rep.K)
	for _, r := range rep.Results {
		m := r.Metrics
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.3f\t%.2fx\t%.2f\t\n", r.Recommender, m.HR, m.Precision, m.Recall, m.NDCG, m.MAP, m.Coverage, r.NDCGRatio, r.RankSeconds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nbest: %s\n", rep.Best)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range rep.Blend {
			if !yield(k) {
				return
			}
		}
	})
	var parts []string
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s %.2f", n, rep.Blend[n]))
	}
	fmt.Fprintf(w, "hybrid weights: %s (%s", strings.Join(parts, ", "), rep.Tuning.Reason)
	if rep.Tuning.Tuned {
		fmt.Fprintf(w, ": validation from %s, %d customers, %d weight vectors, NDCG@10 %.4f", rep.Tuning.ValidationFrom.Format(time.DateOnly), rep.Tuning.ValidationUsers, rep.Tuning.Candidates, rep.Tuning.NDCG)
	}
	fmt.Fprintln(w, ")")
	fmt.Fprintf(w, "item-to-item co-occurrence half-life: %s", halfLife(rep.Tuning.RecentHalfLife))
	if len(rep.Tuning.HalfLives) > 0 {
		parts = parts[:0]
		for _, h := range rep.Tuning.HalfLives {
			parts = append(parts, fmt.Sprintf("%s %.4f", halfLife(h.Days), h.NDCG))
		}
		fmt.Fprintf(w, " (validation NDCG@10: %s)", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
	steps := make([]string, 0, len(rep.TrainSeconds))
	for k := range rep.TrainSeconds {
		steps = append(steps, k)
	}
	sort.Strings(steps)
	parts = parts[:0]
	for _, s := range steps {
		parts = append(parts, fmt.Sprintf("%s %.2fs", s, rep.TrainSeconds[s]))
	}
	fmt.Fprintf(w, "timings: %s\n", strings.Join(parts, ", "))
	return nil
}

func halfLife(days float64) string {
	if days <= 0 {
		return "off"
	}
	return fmt.Sprintf("%g days", days)
}
