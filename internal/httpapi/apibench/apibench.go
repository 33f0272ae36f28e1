// Package apibench measures the API's batched event ingest end to end:
// POST /v1/events/batch over loopback HTTP to the real server (bearer
// token checked by the auth service, JSON decoded, the importer's
// validation, the store's bulk insert, the saved segments following),
// against the store's own bulk event insert of the same events into a
// fresh database, timed in the same run. `chorus bench api` prints its
// report; BenchmarkEventIngest runs the same path under testing.B.
package apibench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// Options shape a run.
type Options struct {
	Batch     int `json:"batch" flag:"batch"`         // events per request (default 5000)
	Batches   int `json:"batches" flag:"batches"`     // requests per round (default 10)
	Customers int `json:"customers" flag:"customers"` // distinct customers the events name (default 20000)
	Rounds    int `json:"rounds" flag:"rounds"`       // rounds of API then baseline (default 3); the best of each is reported
}

// DefaultOptions are `chorus bench api`'s: the defaults in parentheses.
func DefaultOptions() Options { return Options{Batch: 5000, Batches: 10, Customers: 20000, Rounds: 3} }

func (o *Options) defaults() {
	if o.Batch <= 0 {
		o.Batch = 5000
	}
	if o.Batches <= 0 {
		o.Batches = 10
	}
	if o.Customers <= 0 {
		o.Customers = 20000
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
}

// Report is the result.
type Report struct {
	Options Options `json:"options"`
	Engine  string  `json:"engine"`
	CPUs    int     `json:"cpus"`
	Events  int     `json:"events"` // per round
	// API is POST /v1/events/batch; Baseline the store's InsertEvents of
	// the same batches into a fresh database. Seconds are per round; the
	// per-second figures are the best round's.
	APISeconds      []float64 `json:"api_seconds"`
	BaselineSeconds []float64 `json:"baseline_seconds"`
	APIPerSecond    float64   `json:"api_events_per_second"`
	BasePerSecond   float64   `json:"baseline_events_per_second"`
	// Ratio is the API's best rate over the baseline's best rate.
	Ratio      float64 `json:"ratio"`
	APICPUPerK float64 `json:"api_cpu_ms_per_1000_events"`
	Stored     int     `json:"stored"` // events in the API's database after its last round
	Target     float64 `json:"target_events_per_second"`
}

// Target is the figure: ≥ 20,000 events/s in batches.
const Target = 20000

// Opener gives a fresh, migrated scratch store and its drop.
type Opener func(ctx context.Context) (store.Store, func() error, error)

// Rig is the server of one scratch store with a write token.
type Rig struct {
	App    *app.App
	Store  store.Store
	Server *httptest.Server
	Token  string
	close  func()
}

// NewRig wires the real server (internal/app, the auth service, the
// store's idempotency keys) over st and creates a write token.
func NewRig(ctx context.Context, st store.Store) (*Rig, error) {
	cfg := config.Default()
	cfg.Tracking.Secret = "apibench-secret-of-at-least-32-characters"
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		return nil, err
	}
	a, err := app.New(ctx, cfg, st, app.Options{})
	if err != nil {
		return nil, err
	}
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, App: a, Consents: st, Auth: a.Auth,
		Idempotency: st, Customers: st, Telemetry: st})
	if err != nil {
		a.Close(ctx)
		return nil, err
	}
	secret, _, err := a.Auth.CreateToken(ctx, "apibench", auth.ScopeWrite)
	if err != nil {
		a.Close(ctx)
		return nil, err
	}
	hs := httptest.NewServer(srv.Handler())
	return &Rig{App: a, Store: st, Server: hs, Token: secret, close: func() { hs.Close(); a.Close(ctx) }}, nil
}

// Close stops the server and closes the app (not the store).
func (r *Rig) Close() { r.close() }

// Post sends one batch body and fails unless every event was stored or
// skipped as a duplicate.
func (r *Rig) Post(ctx context.Context, body []byte, want int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.Server.URL+"/v1/events/batch", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+r.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.Server.Client().Do(req)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "POST /v1/events/batch")
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return apperr.New(apperr.Internal, "POST /v1/events/batch: %d %s", resp.StatusCode, b)
	}
	var res httpapi.BatchResult
	if err := json.Unmarshal(b, &res); err != nil {
		return apperr.Wrap(err, apperr.Internal, "POST /v1/events/batch: bad answer")
	}
	if res.Imported+res.Duplicates != want || res.Rejected != 0 {
		return apperr.New(apperr.Internal, "POST /v1/events/batch: %d imported, %d duplicates, %d rejected of %d", res.Imported, res.Duplicates, res.Rejected, want)
	}
	return nil
}

// Batches are the events of one round: batches of n purchases and views
// over customers, each distinct (round r shifts them in time).
func Batches(o Options, round int) [][]event.Event {
	o.defaults()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(round) * 24 * time.Hour * 30)
	out := make([][]event.Event, o.Batches)
	k := 0
	for b := range out {
		es := make([]event.Event, o.Batch)
		for i := range es {
			c := fmt.Sprintf("C%06d", k%o.Customers)
			e := event.Event{CustomerID: c, Type: event.View, SKU: fmt.Sprintf("SKU%03d", k%211),
				OccurredAt: t0.Add(time.Duration(k) * time.Second)}
			if k%4 == 0 {
				e.Type, e.Quantity, e.Amount, e.Currency, e.OrderID = event.Purchase, 1, float64(10+k%90), "CNY", fmt.Sprintf("O%d-%d", round, k)
			}
			es[i] = e
			k++
		}
		out[b] = es
	}
	return out
}

// Body is the JSON request of one batch.
func Body(es []event.Event) ([]byte, error) {
	type in struct {
		CustomerID string  `json:"customer_id,omitempty"`
		Type       string  `json:"type"`
		SKU        string  `json:"sku,omitempty"`
		Quantity   float64 `json:"quantity,omitempty"`
		Amount     float64 `json:"amount,omitempty"`
		Currency   string  `json:"currency,omitempty"`
		OrderID    string  `json:"order_id,omitempty"`
		OccurredAt string  `json:"occurred_at"`
	}
	rows := make([]in, len(es))
	for i, e := range es {
		rows[i] = in{e.CustomerID, e.Type, e.SKU, e.Quantity, e.Amount, e.Currency, e.OrderID, e.OccurredAt.Format(time.RFC3339)}
	}
	return json.Marshal(map[string]any{"events": rows})
}

// Run measures o.Rounds rounds: the API's ingest of one round's batches
// into the rig's store, then the store's own InsertEvents of the same
// batches into a fresh scratch store.
func Run(ctx context.Context, open Opener, o Options) (Report, error) {
	o.defaults()
	rep := Report{Options: o, CPUs: runtime.GOMAXPROCS(0), Events: o.Batch * o.Batches, Target: Target}
	st, drop, err := open(ctx)
	if err != nil {
		return rep, err
	}
	defer drop()
	rep.Engine = st.Engine()
	rig, err := NewRig(ctx, st)
	if err != nil {
		return rep, err
	}
	defer rig.Close()
	bestCPU := 0.0
	for round := range o.Rounds {
		batches := Batches(o, round)
		bodies := make([][]byte, len(batches))
		for i, es := range batches {
			if bodies[i], err = Body(es); err != nil {
				return rep, err
			}
		}
		cpu0, start := rusage.CPUSeconds(), time.Now()
		for _, b := range bodies {
			if err := rig.Post(ctx, b, o.Batch); err != nil {
				return rep, err
			}
		}
		secs, cpu := time.Since(start).Seconds(), rusage.CPUSeconds()-cpu0
		rep.APISeconds = append(rep.APISeconds, secs)
		if r := float64(rep.Events) / secs; r > rep.APIPerSecond {
			rep.APIPerSecond, bestCPU = r, cpu
		}
		base, err := baseline(ctx, open, batches)
		if err != nil {
			return rep, err
		}
		rep.BaselineSeconds = append(rep.BaselineSeconds, base)
		rep.BasePerSecond = max(rep.BasePerSecond, float64(rep.Events)/base)
	}
	rep.Ratio = rep.APIPerSecond / rep.BasePerSecond
	rep.APICPUPerK = bestCPU / float64(rep.Events) * 1000 * 1000
	if rep.Stored, err = st.CountEvents(ctx, event.Filter{}); err != nil {
		return rep, err
	}
	return rep, nil
}

// baseline is the seconds the store's InsertEvents takes for batches in
// a fresh database.
func baseline(ctx context.Context, open Opener, batches [][]event.Event) (float64, error) {
	st, drop, err := open(ctx)
	if err != nil {
		return 0, err
	}
	defer drop()
	start := time.Now()
	for _, es := range batches {
		if _, err := st.InsertEvents(ctx, es); err != nil {
			return 0, err
		}
	}
	return time.Since(start).Seconds(), nil
}
