package recommend

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteItems writes ranked items as a table.
func WriteItems(w io.Writer, items []Item) error {
	prefix := ""
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, prefix+"RANK\tSKU\tSCORE\tTITLE\tREASON\tSOURCE")
	for r, it := range items {
		fmt.Fprintf(tw, "%s%d\t%s\t%.4f\t%s\t%s\t%s\n", prefix, r+1, it.SKU, it.Score, it.Title, it.Reason, it.Source)
	}
	return tw.Flush()
}

// WriteFor writes customer id's top k items as a table, saying first when
// she has no history and the items are the popular ones.
func (m *Model) WriteFor(w io.Writer, id string, k int) error {
	items, err := m.Recommend(id, k)
	if err != nil {
		return err
	}
	return Batch{CustomerID: id, Known: m.Known(id), Items: items}.WriteText(w)
}

// WriteText writes one customer's items for a person, saying when she
// has no purchase history (the items are the popular ones).
func (b Batch) WriteText(w io.Writer) error {
	if !b.Known {
		fmt.Fprintf(w, "customer %s has no purchase history; showing popular items\n", b.CustomerID)
	}
	return WriteItems(w, b.Items)
}

// WriteText writes the evaluation for a person: the protocol, the split,
// a table of every recommender, the blend and the timings.
func (rep *EvalReport) WriteText(w io.Writer) error {
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

// WriteTraining writes where the model came from, what it holds and how
// its blend was tuned.
func (m *Model) WriteTraining(w io.Writer, o Origin) error {
	fmt.Fprintf(w, "%s\nmodel: %s\n", o, m.Describe())
	t := m.Tuning
	var parts []string
	for _, n := range slices.Sorted(maps.Keys(t.Weights)) {
		parts = append(parts, fmt.Sprintf("%s %.2f", n, t.Weights[n]))
	}
	fmt.Fprintf(w, "hybrid weights: %s; item-to-item co-occurrence half-life: %s (%s", strings.Join(parts, ", "), halfLife(t.RecentHalfLife), t.Reason)
	if t.Tuned {
		fmt.Fprintf(w, ": validation from %s, %d customers, NDCG@10 %.4f", t.ValidationFrom.Format(time.DateOnly), t.ValidationUsers, t.NDCG)
	}
	fmt.Fprintln(w, ")")
	return nil
}

// WriteBatches writes several customers' items as one table.
func WriteBatches(w io.Writer, batches []Batch) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CUSTOMER\tRANK\tSKU\tSCORE\tTITLE\tREASON")
	for _, b := range batches {
		for r, it := range b.Items {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%.4f\t%s\t%s\n", b.CustomerID, r+1, it.SKU, it.Score, it.Title, it.Reason)
		}
	}
	return tw.Flush()
}
