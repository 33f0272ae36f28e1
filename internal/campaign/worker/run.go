package worker

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// Channels are the channels the worker has a sender for, sorted.
func (w *Worker) Channels() []string { return slices.Sorted(maps.Keys(w.Service.Senders)) }

// Warnings say what the configuration leaves out that sends need: a
// channel to send on, and the tracking secret (links and unsubscribe).
func (w *Worker) Warnings() []string {
	var ws []string
	if len(w.Service.Senders) == 0 {
		ws = append(ws, "no channel is configured (delivery.email.smtp, delivery.webhooks.<channel>.url): sends will fail with no_sender")
	}
	if w.Service.Links == nil {
		ws = append(ws, "tracking.secret is not set: messages go out without tracking or unsubscribe links (email is refused)")
	}
	return ws
}

// Run is `chorus worker`: it writes the warnings to notes, works jobs
// until ctx ends (Ctrl-C, SIGTERM), then stops, letting the batches in
// flight finish. where names the database in the notes (no password). It
// returns the error of starting or of stopping.
func (w *Worker) Run(ctx context.Context, notes io.Writer, where string) (err error) {
	defer func() {
		if serr := w.Stop(); err == nil {
			err = serr
		}
	}()
	for _, warn := range w.Warnings() {
		fmt.Fprintln(notes, "worker: warning:", warn)
	}
	// the queue outlives ctx so that Stop can drain what is in flight
	if err := w.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	fmt.Fprintf(notes, "worker: running on %s (%s), channels %s; stop with Ctrl-C or SIGTERM\n", w.Queue.Engine(), where, strings.Join(w.Channels(), ","))
	<-ctx.Done()
	fmt.Fprintln(notes, "worker: stopping: finishing the batches in flight")
	return nil
}
