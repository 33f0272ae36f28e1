// Package idempotency makes a repeated create request safe: the first
// request with a key runs and its response is stored with a hash of its
// body; a retry with the same key and the same body gets the stored
// response without running again, and the same key with another body is
// a conflict.
//
// The HTTP API (internal/httpapi) uses it for the POSTs that create; the
// store keeps the records (migration 0063, both engines).
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Record is one key's request and, once finished, its response. Status
// 0 means the first request is still running.
type Record struct {
	// Owner is whose key it is ("token:12"): keys of different callers
	// never collide.
	Owner string
	Key   string
	// Route is the route pattern the key was used on.
	Route string
	// BodyHash is the hex SHA-256 of the method, route and request body.
	BodyHash    string
	Status      int
	ContentType string
	Response    []byte
	CreatedAt   time.Time
}

// Store keeps the records. Claim inserts r when (r.Owner, r.Key) is new
// and reports created true; otherwise it returns the stored record and
// created false. Finish stores the response of a claimed key; Release
// deletes a claim whose request failed so that a retry runs again.
type Store interface {
	ClaimIdempotency(ctx context.Context, r Record) (stored Record, created bool, err error)
	FinishIdempotency(ctx context.Context, r Record) error
	ReleaseIdempotency(ctx context.Context, owner, key string) error
	// PruneIdempotency deletes records created before cutoff.
	PruneIdempotency(ctx context.Context, cutoff time.Time) (int, error)
}

// MaxKey is the longest key accepted, in characters.
const MaxKey = 200

// CheckKey is nil for a usable key: 1 to MaxKey printable ASCII
// characters (UUIDs, ULIDs and the like). Errors are apperr.Invalid.
func CheckKey(k string) error {
	if k == "" || utf8.RuneCountInString(k) > MaxKey {
		return apperr.New(apperr.Invalid, "the Idempotency-Key header must be 1 to %d characters", MaxKey)
	}
	for _, r := range k {
		if r < 0x21 || r > 0x7e {
			return apperr.New(apperr.Invalid, "the Idempotency-Key header may hold only printable ASCII characters without spaces")
		}
	}
	return nil
}

// Hash is the hex SHA-256 of what identifies a request: its method,
// route and body.
func Hash(method, route string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(strings.ToUpper(method)))
	h.Write([]byte{0})
	h.Write([]byte(route))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Outcome is what Begin decided.
type Outcome int

// The outcomes of Begin.
const (
	Run    Outcome = iota // the key is new: run the request, then Finish or Release
	Replay                // the key was used with the same body: answer Stored
)

// Begin claims r's key. For a new key it returns Run; for a key used with
// the same body and finished it returns Replay and the stored record. A
// key used with another body, on another route, or whose first request is
// still running is apperr.Conflict.
func Begin(ctx context.Context, st Store, r Record) (Outcome, Record, error) {
	stored, created, err := st.ClaimIdempotency(ctx, r)
	if err != nil {
		return Run, Record{}, err
	}
	if created {
		return Run, r, nil
	}
	if stored.BodyHash != r.BodyHash || stored.Route != r.Route {
		return Run, stored, apperr.New(apperr.Conflict, "this Idempotency-Key was already used with another request; use a new key for a new request")
	}
	if stored.Status == 0 {
		return Run, stored, apperr.New(apperr.Conflict, "a request with this Idempotency-Key is still running; retry later")
	}
	return Replay, stored, nil
}

// Retention is how long a key's record is kept by default: a retry
// within it is answered from the store; after it the key is forgotten
// and may run again (the 24 hours that payment APIs use).
const Retention = 24 * time.Hour

// Pruner deletes expired records from the request path that creates
// them, at most once per Every, so that a long-running server's table
// stays bounded without a scheduler of its own. A Pruner is safe for
// concurrent use; its zero Retention and Every mean Retention and one
// hour.
type Pruner struct {
	Store     Store
	Retention time.Duration
	Every     time.Duration
	Now       func() time.Time

	mu   sync.Mutex
	next time.Time
}

// Prune deletes the records older than the retention when a prune is
// due, and reports how many and whether it ran. A failed prune is retried
// at the next due time, not on every request.
func (p *Pruner) Prune(ctx context.Context) (n int, ran bool, err error) {
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	at := now()
	every, keep := p.Every, p.Retention
	if every <= 0 {
		every = time.Hour
	}
	if keep <= 0 {
		keep = Retention
	}
	p.mu.Lock()
	if at.Before(p.next) {
		p.mu.Unlock()
		return 0, false, nil
	}
	p.next = at.Add(every)
	p.mu.Unlock()
	n, err = p.Store.PruneIdempotency(ctx, at.Add(-keep))
	return n, true, err
}
