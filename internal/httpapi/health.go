package httpapi

import (
	"context"
	"net/http"
	"time"
)

// Probe is one readiness check: the store reachable, its migrations
// current, the queue up. Check returns nil when ready.
type Probe struct {
	Name  string
	Check func(ctx context.Context) error
}

// Readiness is the answer of /readyz.
type Readiness struct {
	Status string            `json:"status"` // ready | not_ready
	Checks map[string]string `json:"checks"` // name -> "ok" or why not
}

// ready runs every probe (5 s in all); any failure answers 503 so that a
// load balancer sends no traffic here.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	out := Readiness{Status: "ready", Checks: map[string]string{}}
	for _, p := range s.deps.Probes {
		if err := p.Check(ctx); err != nil {
			out.Status, out.Checks[p.Name] = "not_ready", BodyOf(err).Error.Message
			continue
		}
		out.Checks[p.Name] = "ok"
	}
	status := http.StatusOK
	if out.Status != "ready" {
		status = http.StatusServiceUnavailable
	}
	writeJSON(w, status, out)
	return nil
}
