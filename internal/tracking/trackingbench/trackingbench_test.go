package trackingbench

import (
	"context"
	"testing"

	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/store"
)

// TestRunStoresEveryClick runs a small bench: every click is redirected
// and stored as a hit and an event. (Figures are for `chorus bench track`,
// not asserted here.)
func TestRunStoresEveryClick(t *testing.T) {
	rep, err := Run(t.Context(), func(ctx context.Context) (store.Store, func() error, error) {
		return store.OpenScratch(ctx, "chorus.db")
	}, Options{Requests: 3000, Warmup: 500, Sends: 200, Rounds: 2, Concurrency: 4}, progress.Nop{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Stored || rep.Clicks != 7000 || rep.Hits != 7000 || rep.Events != 7000 || rep.Track.Errors != 0 || rep.Bare.Errors != 0 {
		t.Errorf("report: %+v", rep)
	}
	if len(rep.RoundRates) != 2 || rep.Track.P50Ms <= 0 || rep.Track.P99Ms < rep.Track.P50Ms || rep.Ratio <= 0 {
		t.Errorf("figures: %+v", rep)
	}
}
