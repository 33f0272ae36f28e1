// Package trackingbench measures the click redirect of the tracking server
// end to end (`chorus bench track`): a loopback load generator of
// keep-alive HTTP clients against /t/c/{token} of the real server (token
// verification, the hit recorder, the store writing behind it), and, in
// the same run with the same generator and server settings, against a
// bare net/http handler that only redirects, for the ratio. It then stops
// the recorder and counts what the store holds: every click must be a hit
// and an event.
package trackingbench

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/httpapi"
	"github.com/chorusmkt/chorus/internal/progress"
	"github.com/chorusmkt/chorus/internal/rusage"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/tracking"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// Options shape a run; zero fields take the defaults in brackets.
type Options struct {
	// Requests per measured handler [200,000].
	Requests int `json:"requests" flag:"requests"`
	// Concurrency is the number of keep-alive client connections [16].
	Concurrency int `json:"concurrency" flag:"concurrency"`
	// Sends is the number of distinct sends (and tokens) clicked [10,000].
	Sends int `json:"sends" flag:"sends"`
	// Warmup requests before each measurement [5,000].
	Warmup int `json:"warmup" flag:"warmup"`
	// FlushInterval is tracking.flush_interval [250ms].
	FlushInterval time.Duration `json:"flush_interval" flag:"flush-interval"`
	// Rounds alternate the bare handler and the tracking server, so a
	// machine shared with other work disturbs both alike; each handler's
	// best round is reported [3].
	Rounds int `json:"rounds" flag:"rounds"`
}

// DefaultOptions are `chorus bench track`'s: 100,000 requests a handler
// (half the package's default, for a shared machine) in three rounds.
func DefaultOptions() Options {
	return Options{Requests: 100_000, Rounds: 3, Concurrency: 16, Sends: 10_000, Warmup: 5_000}
}

func (o Options) withDefaults() Options {
	if o.Requests <= 0 {
		o.Requests = 200_000
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 16
	}
	if o.Sends <= 0 {
		o.Sends = 10_000
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	} else if o.Warmup == 0 {
		o.Warmup = 5_000
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = 250 * time.Millisecond
	}
	if o.Rounds <= 0 {
		o.Rounds = 3
	}
	return o
}

// Load is one handler's figures.
type Load struct {
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	Seconds   float64 `json:"seconds"`
	PerSecond float64 `json:"requests_per_second"`
	P50Ms     float64 `json:"p50_ms"`
	P99Ms     float64 `json:"p99_ms"`
	MaxMs     float64 `json:"max_ms"`
	CPUPerReq float64 `json:"cpu_us_per_request"`
}

// Report is the run's figures and whether the targets were met.
type Report struct {
	Options Options `json:"options"`
	Engine  string  `json:"engine"`
	CPUs    int     `json:"cpus"`
	Track   Load    `json:"track"`
	Bare    Load    `json:"bare"`
	// Ratio is the tracking server's rate over the bare handler's (best
	// rounds); RoundRates are every round's rates, bare then tracking.
	Ratio      float64      `json:"ratio"`
	RoundRates [][2]float64 `json:"round_rates"`
	// Clicks is every click sent to the tracking server (all rounds and
	// warm-ups); TrackErrors those that failed.
	Clicks      int64 `json:"clicks"`
	TrackErrors int   `json:"track_errors"`
	// Hits and Events are what the store holds after the run; Stored
	// says every click is there as both.
	Hits   int64 `json:"hits_stored"`
	Events int64 `json:"events_stored"`
	Stored bool  `json:"every_click_stored"`
	// StoredPerSecond is the clicks stored over the time from the first
	// click to the commit of the last.
	StoredPerSecond float64 `json:"events_stored_per_second"`
	// MaxLagMs is the longest a hit waited in memory before its batch
	// committed; Flushes the batches written.
	MaxLagMs float64 `json:"max_lag_ms"`
	Flushes  int64   `json:"flushes"`
	// RecorderWaits are the clicks that waited for the writer to catch
	// up (tracking.RecorderStats.Waits).
	RecorderWaits int64 `json:"recorder_waits"`
	// Targets: ≥ 20,000 req/s, ≥ 50% of the bare handler, p99 < 10 ms,
	// every event stored.
	Targets map[string]bool `json:"targets"`
	PeakRSS float64         `json:"peak_rss_mb"`
}

// Opener opens the scratch database the run writes to (store.OpenScratch
// in production).
type Opener func(ctx context.Context) (store.Store, func() error, error)

// noJobs gives the seeded rows no queue job: they are seeded sent.
type noJobs struct{}

func (noJobs) EnqueueTx(_ context.Context, _ *sql.Tx, bs []campaign.Batch) ([]int64, error) {
	return make([]int64, len(bs)), nil
}

const secret = "trackingbench-secret-0123456789abcdef"

// userAgent is a person's browser, so the clicks are judged human.
const userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

// Run measures the bare handler and the tracking server in alternating
// rounds, on a scratch database from open. p reports the requests made.
func Run(ctx context.Context, open Opener, o Options, p progress.Reporter) (rep Report, err error) {
	o = o.withDefaults()
	rep = Report{Options: o, CPUs: runtime.GOMAXPROCS(0)}
	st, drop, err := open(ctx)
	if err != nil {
		return rep, err
	}
	defer func() {
		if derr := drop(); err == nil && derr != nil {
			err = derr
		}
	}()
	rep.Engine = st.Engine()
	ids, err := seed(ctx, st, o.Sends)
	if err != nil {
		return rep, err
	}
	cfg := config.Default()
	cfg.Tracking.Secret = secret
	cfg.Tracking.FlushInterval = config.Duration(o.FlushInterval)
	svc, err := tracking.FromConfig(cfg, st, tracking.Options{})
	if err != nil {
		return rep, err
	}
	srv, err := httpapi.New(cfg, httpapi.Deps{Tracking: svc, Consents: st})
	if err != nil {
		return rep, err
	}
	codec, err := token.New(secret)
	if err != nil {
		return rep, err
	}
	links, err := token.NewLinks("http://bench.invalid", codec)
	if err != nil {
		return rep, err
	}
	paths := make([]string, len(ids))
	for i, id := range ids {
		u, err := links.Click(token.Send{SendID: strconv.FormatInt(id, 10), Campaign: "bench", Channel: "email", Variant: "A"},
			0, "https://shop.example/p/"+strconv.Itoa(i)+"?ref=bench")
		if err != nil {
			return rep, err
		}
		paths[i] = u[len("http://bench.invalid"):]
	}
	dest := "https://shop.example/p/0?ref=bench"
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", dest)
		w.WriteHeader(http.StatusFound)
	})

	rec := svc.Recorder()
	if err := rec.Start(context.WithoutCancel(ctx)); err != nil {
		return rep, err
	}
	start := time.Now()
	for round := range o.Rounds {
		b, err := measure(ctx, bare, paths, o, o.Warmup, p)
		if err != nil {
			rec.Stop()
			return rep, err
		}
		t, err := measure(ctx, srv.Handler(), paths, o, o.Warmup, p)
		if err != nil {
			rec.Stop()
			return rep, err
		}
		if round == 0 || b.PerSecond > rep.Bare.PerSecond {
			rep.Bare = b
		}
		rep.TrackErrors += t.Errors
		if round == 0 || t.PerSecond > rep.Track.PerSecond {
			rep.Track = t
		}
		rep.RoundRates = append(rep.RoundRates, [2]float64{b.PerSecond, t.PerSecond})
	}
	if err := rec.Stop(); err != nil {
		return rep, err
	}
	storedSecs := time.Since(start).Seconds()
	stats := rec.Stats()
	rep.MaxLagMs = float64(stats.MaxLag) / 1e6
	rep.Flushes = stats.Flushes
	rep.RecorderWaits = stats.Waits
	if rep.Hits, err = st.CountHits(ctx, tracking.KindClick); err != nil {
		return rep, err
	}
	n, err := st.CountEvents(ctx, event.Filter{Types: []string{event.Click}})
	if err != nil {
		return rep, err
	}
	rep.Events = int64(n)
	clicks := int64(o.Rounds*(o.Requests+o.Warmup) - rep.TrackErrors)
	rep.Clicks = clicks
	rep.Stored = rep.Hits == clicks && rep.Events == clicks && rep.TrackErrors == 0
	rep.StoredPerSecond = float64(rep.Hits) / storedSecs
	if rep.Bare.PerSecond > 0 {
		rep.Ratio = rep.Track.PerSecond / rep.Bare.PerSecond
	}
	rep.Targets = map[string]bool{
		"requests_per_second >= 20000": rep.Track.PerSecond >= 20000,
		"ratio >= 0.5":                 rep.Ratio >= 0.5,
		"p99 < 10 ms":                  rep.Track.P99Ms < 10,
		"every event stored":           rep.Stored,
	}
	rep.PeakRSS = rusage.PeakRSSMB()
	return rep, nil
}

// seed stores a sent campaign of n recipients and returns its send ids.
func seed(ctx context.Context, st store.Store, n int) ([]int64, error) {
	at := time.Now().UTC().Add(-time.Hour)
	c, err := st.CreateCampaign(ctx, campaign.Campaign{Name: "bench", State: campaign.Draft, Segment: "all", Channels: []string{"email"},
		Mode: campaign.ModeBest, Depth: "segment", Variants: campaign.EvenVariants(1), Approval: campaign.ApprovalAuto,
		Schedule: campaign.Schedule{Kind: campaign.StartNow}, CreatedAt: at, UpdatedAt: at})
	if err != nil {
		return nil, err
	}
	sends := make([]campaign.Send, n)
	for i := range sends {
		cust := fmt.Sprintf("B%07d", i)
		sends[i] = campaign.Send{CustomerID: cust, Channel: "email", State: campaign.SendSent, Variant: "A",
			Key: delivery.Key("campaign/bench", cust, "email"), PlannedAt: at}
	}
	c.State, c.LaunchedAt, c.UpdatedAt, c.Recipients = campaign.Running, at, at, n
	if err := st.LaunchCampaign(ctx, c, campaign.Draft, sends, 100, noJobs{}); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, n)
	err = st.ListSends(ctx, c.ID, "", 0, 0, func(s campaign.Send) error {
		ids = append(ids, s.ID)
		return nil
	})
	return ids, err
}

// measure serves h on a loopback listener and drives it with o.Concurrency
// keep-alive clients (loadConn, the same for every handler): warmup
// requests first, then o.Requests timed ones.
func measure(ctx context.Context, h http.Handler, paths []string, o Options, warmup int, p progress.Reporter) (Load, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Load{}, apperr.Wrap(err, apperr.Unavailable, "loopback listener")
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	conns := make([]*loadConn, o.Concurrency)
	for g := range conns {
		conns[g] = newLoadConn(ln.Addr().String(), userAgent)
	}
	defer func() {
		for _, c := range conns {
			c.close()
		}
	}()
	var firstErr atomic.Pointer[error]
	run := func(total int, lat [][]time.Duration) (int, time.Duration) {
		var next, errs atomic.Int64
		var wg sync.WaitGroup
		begin := time.Now()
		for g := range o.Concurrency {
			c := conns[g]
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= total || ctx.Err() != nil {
						return
					}
					t0 := time.Now()
					code, err := c.get(paths[i%len(paths)])
					d := time.Since(t0)
					if err != nil || code != http.StatusFound {
						if errs.Add(1) == 1 {
							if err == nil {
								err = fmt.Errorf("status %d", code)
							}
							firstErr.Store(&err)
						}
					}
					if lat != nil {
						lat[g] = append(lat[g], d)
						if i%1000 == 0 {
							p.Add(1000)
						}
					}
				}
			})
		}
		wg.Wait()
		return int(errs.Load()), time.Since(begin)
	}
	if warmup > 0 {
		if e, _ := run(warmup, nil); e > 0 {
			return Load{}, apperr.New(apperr.Internal, "%d of %d warm-up requests failed (the first: %v)", e, warmup, *firstErr.Load())
		}
	}
	lat := make([][]time.Duration, o.Concurrency)
	for g := range lat {
		lat[g] = make([]time.Duration, 0, o.Requests/o.Concurrency+o.Concurrency)
	}
	cpu0 := rusage.CPUSeconds()
	errs, took := run(o.Requests, lat)
	cpu := rusage.CPUSeconds() - cpu0
	if ctx.Err() != nil {
		return Load{}, ctx.Err()
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	q := func(f float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(f*float64(len(all))))]) / 1e6
	}
	return Load{Requests: o.Requests, Errors: errs, Seconds: took.Seconds(), PerSecond: float64(o.Requests) / took.Seconds(),
		P50Ms: q(0.5), P99Ms: q(0.99), MaxMs: q(1), CPUPerReq: cpu / float64(o.Requests) * 1e6}, nil
}
