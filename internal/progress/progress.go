// Package progress reports the progress of long work: a progress bar when
// the output is a terminal, plain periodic lines otherwise, nothing when
// quiet (e.g. with --json, where stdout belongs to the machine-readable
// result and progress goes to stderr or nowhere).
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Reporter receives progress. Implementations are safe for concurrent use.
type Reporter interface {
	// Add advances by n units (rows, bytes, items).
	Add(n int64)
	// Done finishes the report (prints a final line or clears the bar).
	Done()
}

// New returns a Reporter writing to w: a bar when w is a terminal, plain
// lines at most every interval otherwise. total <= 0 means unknown. unit
// names what is counted ("rows", "bytes", "items"); bytes are shown humanly.
func New(w io.Writer, label string, total int64, unit string) Reporter {
	if w == nil {
		return Nop{}
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetPredictTime(true),
		}
		if unit == "bytes" {
			opts = append(opts, progressbar.OptionShowBytes(true))
		} else {
			opts = append(opts, progressbar.OptionSetItsString(unit), progressbar.OptionShowIts())
		}
		if total <= 0 {
			total = -1
		}
		return &bar{b: progressbar.NewOptions64(total, opts...)}
	}
	return &lines{w: w, label: label, total: total, unit: unit, every: 2 * time.Second, start: time.Now(), last: time.Now()}
}

// Nop discards progress.
type Nop struct{}

// Add implements Reporter.
func (Nop) Add(int64) {}

// Done implements Reporter.
func (Nop) Done() {}

type bar struct{ b *progressbar.ProgressBar }

func (b *bar) Add(n int64) { _ = b.b.Add64(n) }
func (b *bar) Done()       { _ = b.b.Finish() }

type lines struct {
	mu               sync.Mutex
	w                io.Writer
	label, unit      string
	total, n         int64
	every            time.Duration
	start, last      time.Time
	printedAnyOrDone bool
}

func (l *lines) Add(n int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n += n
	if now := time.Now(); now.Sub(l.last) >= l.every {
		l.last = now
		l.print(false)
	}
}

func (l *lines) Done() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.print(true)
}

func (l *lines) print(done bool) {
	el := time.Since(l.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(l.n) / el
	}
	state := "…"
	if done {
		state = "done"
	}
	if l.total > 0 {
		fmt.Fprintf(l.w, "%s: %d/%d %s (%.0f%%, %.0f/s) %s\n", l.label, l.n, l.total, l.unit, 100*float64(l.n)/float64(l.total), rate, state)
		return
	}
	fmt.Fprintf(l.w, "%s: %d %s (%.0f/s) %s\n", l.label, l.n, l.unit, rate, state)
}
