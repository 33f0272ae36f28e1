package segment

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// EvalError is a failure to evaluate an expression for one customer, such
// as comparing a missing attrs key (nil) with a number. The customer then
// does not match; Result counts such failures so they are never silent.
type EvalError struct {
	CustomerID string `json:"customer_id"`
	Message    string `json:"message"`
}

func (e *EvalError) Error() string { return fmt.Sprintf("customer %q: %s", e.CustomerID, e.Message) }

// Result is the outcome of evaluating one program over a set of records.
type Result struct {
	Total      int        `json:"total"`
	Matched    []int      `json:"-"` // indices into the records, ascending
	Count      int        `json:"count"`
	Errors     int        `json:"errors"`
	FirstError *EvalError `json:"first_error,omitempty"`
}

// Match evaluates p for one record with the caller's VM (a VM is reused to
// avoid allocating a stack per record; it must not be shared between
// goroutines).
func (p *Program) Match(machine *vm.VM, r *Record) (bool, error) {
	out, err := machine.Run(p.prog, r)
	if err != nil {
		return false, err
	}
	b, _ := out.(bool)
	return b, nil
}

// chunk is the number of records a worker evaluates between checks of ctx.
const chunk = 4096

// Filter evaluates p over recs on workers goroutines (0 = GOMAXPROCS) and
// returns the indices of the matching records in ascending order. Only a
// cancelled ctx is an error; a record that fails to evaluate is counted in
// Result.Errors and does not match.
func (p *Program) Filter(ctx context.Context, recs []Record, workers int) (Result, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Small inputs are not worth a goroutine each.
	workers = max(1, min(workers, (len(recs)+chunk-1)/chunk))
	type part struct {
		matched []int
		errors  int
		first   *EvalError
		err     error
	}
	parts := make([]part, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*len(recs)/workers, (w+1)*len(recs)/workers
		wg.Add(1)
		go func(pt *part) {
			defer wg.Done()
			var machine vm.VM
			for i := lo; i < hi; i++ {
				if (i-lo)%chunk == 0 {
					if err := ctx.Err(); err != nil {
						pt.err = err
						return
					}
				}
				ok, err := p.Match(&machine, &recs[i])
				if err != nil {
					pt.errors++
					if pt.first == nil {
						pt.first = &EvalError{CustomerID: recs[i].ID, Message: err.Error()}
					}
					continue
				}
				if ok {
					pt.matched = append(pt.matched, i)
				}
			}
		}(&parts[w])
	}
	wg.Wait()
	res := Result{Total: len(recs)}
	n := 0
	for _, pt := range parts {
		if pt.err != nil {
			return Result{}, pt.err
		}
		n += len(pt.matched)
	}
	res.Matched = make([]int, 0, n)
	for _, pt := range parts {
		res.Matched = append(res.Matched, pt.matched...)
		res.Errors += pt.errors
		if res.FirstError == nil {
			res.FirstError = pt.first
		}
	}
	res.Count = len(res.Matched)
	return res, nil
}
