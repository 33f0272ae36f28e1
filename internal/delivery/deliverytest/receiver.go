package deliverytest

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"sync"
	"testing"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// Reply is what the Receiver answers one delivery with.
type Reply struct {
	Status     int    // 0 means 200
	RetryAfter string // the Retry-After header, when set
	Body       string // the response body; default {"id":"r<n>"}
	// Stall holds the answer until the sender gives up (its request
	// context ends) or the server closes.
	Stall bool
}

// ReceiverFaults are scripted answers drawn per delivery: Rates maps an
// HTTP status (429, 500, 503, 410 …) to the share of deliveries answered
// with it; RetryAfter goes with 429 and 503 answers.
type ReceiverFaults struct {
	Rates      map[int]float64
	Stall      float64
	RetryAfter string
	Seed       uint64
}

// Delivery is one request the Receiver got.
type Delivery struct {
	ID        string      // webhook-id
	Timestamp string      // webhook-timestamp
	Header    http.Header // all request headers
	Body      []byte
	Verified  bool // the signature verified
	Status    int  // what the receiver answered
}

// ReceiverStats are the Receiver's counts.
type ReceiverStats struct {
	Requests     int         // every request
	Verified     int         // requests whose signature verified
	BadSignature int         // requests whose signature did not verify (answered 401)
	Distinct     int         // distinct webhook-ids among verified requests
	Repeated     int         // verified requests whose webhook-id came before
	Accepted     int         // verified requests answered 2xx
	AcceptedIDs  int         // distinct webhook-ids answered 2xx at least once
	ByStatus     map[int]int // answers by status
}

// Receiver is an httptest webhook endpoint that verifies Standard Webhooks
// signatures (with the library the spec's authors publish) and counts
// webhook-ids, distinct and repeated. A request whose signature fails is
// answered 401 and not counted as a delivery.
type Receiver struct {
	URL string

	srv *httptest.Server
	wh  *standardwebhooks.Webhook

	mu         sync.Mutex
	faults     ReceiverFaults
	rng        *rand.Rand
	respond    func(d Delivery, n int) Reply
	gone       bool
	keep       bool
	anyTime    bool
	deliveries []Delivery
	ids        map[string]int
	acceptedID map[string]bool
	stats      ReceiverStats
}

// ReceiverOption configures a Receiver.
type ReceiverOption func(*Receiver)

// WithReceiverFaults sets scripted answers.
func WithReceiverFaults(f ReceiverFaults) ReceiverOption {
	return func(r *Receiver) { r.SetFaults(f) }
}

// WithRespond sets a function that answers each verified delivery (the
// n-th, 1-based); it overrides the faults.
func WithRespond(fn func(d Delivery, n int) Reply) ReceiverOption {
	return func(r *Receiver) { r.respond = fn }
}

// WithoutTimestampCheck verifies signatures without the spec's 5-minute
// tolerance on webhook-timestamp (senders on an injected clock).
func WithoutTimestampCheck() ReceiverOption { return func(r *Receiver) { r.anyTime = true } }

// WithoutKeep makes the receiver count without keeping bodies (for
// benchmarks).
func WithoutKeep() ReceiverOption { return func(r *Receiver) { r.keep = false } }

// NewReceiver starts a receiver for secret (whsec_… as the sender has it)
// and closes it when the test ends.
func NewReceiver(t testing.TB, secret string, opts ...ReceiverOption) *Receiver {
	t.Helper()
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		t.Fatalf("deliverytest: webhook secret: %v", err)
	}
	r := &Receiver{wh: wh, keep: true, ids: map[string]int{}, acceptedID: map[string]bool{}, rng: rand.New(rand.NewPCG(7, 11))}
	r.stats.ByStatus = map[int]int{}
	for _, o := range opts {
		o(r)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	r.URL = r.srv.URL
	t.Cleanup(r.Close)
	return r
}

// Close stops the receiver.
func (r *Receiver) Close() { r.srv.Close() }

// SetFaults replaces the scripted answers and reseeds them.
func (r *Receiver) SetFaults(f ReceiverFaults) {
	r.mu.Lock()
	r.faults, r.rng = f, rand.New(rand.NewPCG(f.Seed, f.Seed+1))
	r.mu.Unlock()
}

// SetGone makes every answer 410 Gone (an endpoint that was removed), or
// stops that.
func (r *Receiver) SetGone(gone bool) {
	r.mu.Lock()
	r.gone = gone
	r.mu.Unlock()
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	d := Delivery{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"), Header: req.Header.Clone(), Body: body}
	verify := r.wh.Verify
	if r.anyTime {
		verify = r.wh.VerifyIgnoringTimestamp
	}
	d.Verified = req.Method == http.MethodPost && verify(body, req.Header) == nil

	r.mu.Lock()
	r.stats.Requests++
	if !d.Verified {
		r.stats.BadSignature++
		r.stats.ByStatus[http.StatusUnauthorized]++
		r.mu.Unlock()
		http.Error(w, "signature does not verify", http.StatusUnauthorized)
		return
	}
	r.stats.Verified++
	if r.ids[d.ID] > 0 {
		r.stats.Repeated++
	}
	r.ids[d.ID]++
	n := r.stats.Verified
	var rep Reply
	switch {
	case r.gone:
		rep = Reply{Status: http.StatusGone}
	case r.respond != nil:
		fn := r.respond
		r.mu.Unlock()
		rep = fn(d, n)
		r.mu.Lock()
	default:
		rep = r.drawReply()
	}
	if rep.Status == 0 {
		rep.Status = http.StatusOK
	}
	d.Status = rep.Status
	r.stats.ByStatus[rep.Status]++
	if rep.Status/100 == 2 {
		r.stats.Accepted++
		r.acceptedID[d.ID] = true
	}
	if !r.keep {
		d.Body, d.Header = nil, nil
	}
	r.deliveries = append(r.deliveries, d)
	r.mu.Unlock()

	if rep.Stall {
		<-req.Context().Done()
		return
	}
	if rep.RetryAfter != "" {
		w.Header().Set("Retry-After", rep.RetryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.Status)
	if rep.Body == "" {
		b, _ := json.Marshal(map[string]string{"id": "r" + strconv.Itoa(n)})
		w.Write(b)
		return
	}
	io.WriteString(w, rep.Body)
}

// drawReply draws an answer from the faults; r.mu is held.
func (r *Receiver) drawReply() Reply {
	x := r.rng.Float64()
	if x < r.faults.Stall {
		return Reply{Stall: true}
	}
	x -= r.faults.Stall
	codes := make([]int, 0, len(r.faults.Rates))
	for c := range r.faults.Rates {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	for _, c := range codes {
		if x < r.faults.Rates[c] {
			rep := Reply{Status: c}
			if c == http.StatusTooManyRequests || c == http.StatusServiceUnavailable {
				rep.RetryAfter = r.faults.RetryAfter
			}
			return rep
		}
		x -= r.faults.Rates[c]
	}
	return Reply{}
}

// Stats returns a snapshot of the counts.
func (r *Receiver) Stats() ReceiverStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := r.stats
	st.ByStatus = make(map[int]int, len(r.stats.ByStatus))
	for k, v := range r.stats.ByStatus {
		st.ByStatus[k] = v
	}
	st.Distinct = len(r.ids)
	st.AcceptedIDs = len(r.acceptedID)
	return st
}

// Deliveries returns every verified delivery in arrival order.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.deliveries...)
}

// IDs returns how often each webhook-id arrived (verified requests).
func (r *Receiver) IDs() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.ids))
	for k, v := range r.ids {
		out[k] = v
	}
	return out
}
