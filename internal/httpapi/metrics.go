package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/chorusmkt/chorus/internal/queue"
	"github.com/chorusmkt/chorus/internal/telemetry"
)

// QueueCounter counts the job queue's jobs by state (*queue.Queue).
type QueueCounter interface {
	Count(ctx context.Context, kind string) (queue.Counts, error)
}

// metrics is the server's own Prometheus registry: request latency by
// route pattern (never the raw path, which may hold an id), and, read at
// scrape time, the store's counts of sends, tracking hits and model usage
// and the queue's depth, so that every process reports the same totals.
type metrics struct {
	reg      *prometheus.Registry
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
	// observers caches latency's histogram of each route, method and
	// status seen: finding it in the vector hashes the three labels and
	// formats the status on every request, a lock-free map read does
	// not. Routes are patterns and methods and statuses few, so it stays
	// small; an unmatched request or a made-up method is not cached.
	observers sync.Map // observerKey → prometheus.Observer
}

type observerKey struct {
	route, method string
	status        int
}

// observer returns the latency histogram of route, method and status.
func (m *metrics) observer(route, method string, status int) prometheus.Observer {
	k := observerKey{route, method, status}
	if o, ok := m.observers.Load(k); ok {
		return o.(prometheus.Observer)
	}
	o := m.latency.WithLabelValues(route, method, strconv.Itoa(status))
	if route != "unmatched" && standardMethod(method) {
		m.observers.Store(k, o)
	}
	return o
}

// standardMethod reports whether method is one of RFC 9110's (a route
// without a method in its pattern takes any token as a method).
func standardMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete,
		http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return true
	}
	return false
}

func newMetrics(deps Deps) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "chorus_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern, method and status code.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "method", "code"})
	m.inflight = prometheus.NewGauge(prometheus.GaugeOpts{Name: "chorus_http_requests_in_flight", Help: "HTTP requests being served."})
	m.reg.MustRegister(m.latency, m.inflight, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.reg.MustRegister(&storeCollector{src: deps.Telemetry, q: deps.Queue, log: deps.Log})
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg, Timeout: 10 * time.Second})
}

var (
	descSends = prometheus.NewDesc("chorus_sends_total", "Campaign sends by channel and state (sent, failed, skipped, …).",
		[]string{"channel", "state"}, nil)
	descHits = prometheus.NewDesc("chorus_tracking_events_total", "Tracking events (opens, clicks, unsubscribes, receipts) by kind; machine is true for hits judged automated.",
		[]string{"kind", "machine"}, nil)
	descCalls  = prometheus.NewDesc("chorus_llm_calls_total", "Model calls by provider and model.", []string{"provider", "model"}, nil)
	descTokens = prometheus.NewDesc("chorus_llm_tokens_total", "Model tokens by provider, model and direction (prompt, completion).",
		[]string{"provider", "model", "direction"}, nil)
	descCost  = prometheus.NewDesc("chorus_llm_cost_usd_total", "Model cost in US dollars by provider and model.", []string{"provider", "model"}, nil)
	descQueue = prometheus.NewDesc("chorus_queue_jobs", "Jobs in the queue by state.", []string{"state"}, nil)
	descUp    = prometheus.NewDesc("chorus_store_up", "1 when the last scrape could read the store's counts.", nil, nil)
)

// storeCollector reads its figures from the store and the queue at each
// scrape.
type storeCollector struct {
	src telemetry.Source
	q   QueueCounter
	log *slog.Logger
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSends, descHits, descCalls, descTokens, descCost, descQueue, descUp} {
		ch <- d
	}
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c.src != nil {
		counts, err := c.src.TelemetryCounts(ctx)
		up := 1.0
		if err != nil {
			up = 0
			if c.log != nil {
				c.log.Warn("metrics: reading the store's counts", "error", err.Error())
			}
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up)
		for _, x := range counts.Sends {
			ch <- prometheus.MustNewConstMetric(descSends, prometheus.CounterValue, float64(x.N), x.Channel, x.State)
		}
		for _, x := range counts.Hits {
			ch <- prometheus.MustNewConstMetric(descHits, prometheus.CounterValue, float64(x.N), x.Kind, strconv.FormatBool(x.Machine))
		}
		for _, x := range counts.LLM {
			ch <- prometheus.MustNewConstMetric(descCalls, prometheus.CounterValue, float64(x.Calls), x.Provider, x.Model)
			ch <- prometheus.MustNewConstMetric(descTokens, prometheus.CounterValue, float64(x.PromptTokens), x.Provider, x.Model, "prompt")
			ch <- prometheus.MustNewConstMetric(descTokens, prometheus.CounterValue, float64(x.Completion), x.Provider, x.Model, "completion")
			ch <- prometheus.MustNewConstMetric(descCost, prometheus.CounterValue, x.CostUSD, x.Provider, x.Model)
		}
	}
	if c.q != nil {
		counts, err := c.q.Count(ctx, "")
		if err != nil {
			if c.log != nil {
				c.log.Warn("metrics: counting the queue's jobs", "error", err.Error())
			}
			return
		}
		for state, n := range counts {
			ch <- prometheus.MustNewConstMetric(descQueue, prometheus.GaugeValue, float64(n), state)
		}
	}
}

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe times every request into the latency histogram and writes the
// access log line: route pattern (never the raw path or the query
// string, which may hold ids or personal data), method, status, duration
// and size. No header is logged, so no token is.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		s.metrics.inflight.Inc()
		defer func() {
			s.metrics.inflight.Dec()
			route := r.Pattern // set by the mux on this request
			if route == "" {
				route = "unmatched"
			}
			if sw.status == 0 {
				sw.status = http.StatusOK
			}
			took := time.Since(start)
			s.metrics.observer(route, r.Method, sw.status).Observe(took.Seconds())
			if s.log.Enabled(r.Context(), slog.LevelInfo) {
				s.log.LogAttrs(r.Context(), slog.LevelInfo, "http",
					slog.String("route", route), slog.String("method", r.Method), slog.Int("status", sw.status),
					slog.Float64("ms", float64(took.Microseconds())/1000), slog.Int("bytes", sw.bytes))
			}
		}()
		next.ServeHTTP(sw, r)
	})
}
