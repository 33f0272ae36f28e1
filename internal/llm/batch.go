package llm

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Batch generates reqs with up to concurrency calls in flight and calls
// onDone exactly once for every index — with the result, or with the error
// that stopped that item (use Reason(err) for a report). Calls to onDone
// are serialised, so it needs no locking of its own. When ctx ends, items
// not yet started are reported with the cancellation error; Batch then
// returns ctx's error. Nothing is lost and nothing is done twice: each index
// is claimed by exactly one worker.
func Batch(ctx context.Context, m Model, reqs []Request, concurrency int, onDone func(i int, r Result, err error)) error {
	if concurrency < 1 {
		concurrency = 1
	}
	concurrency = min(concurrency, max(1, len(reqs)))
	var next atomic.Int64
	var mu sync.Mutex
	report := func(i int, r Result, err error) {
		mu.Lock()
		defer mu.Unlock()
		onDone(i, r, err)
	}
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(reqs) {
					return
				}
				if err := ctx.Err(); err != nil {
					report(i, Result{}, apperr.Wrap(err, apperr.Unavailable, "not started"))
					continue
				}
				r, err := m.Generate(ctx, reqs[i])
				report(i, r, err)
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
