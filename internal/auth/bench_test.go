package auth_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

// BenchmarkLoginFailure measures, with the default argon2id parameters,
// a wrong password for a known name and a sign-in as an unknown name,
// alternately in the same run, and reports their ratio: near 1 means a
// sign-in does not tell which names exist by its time.
func BenchmarkLoginFailure(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenSQLite(b)
	c := newClock()
	// each attempt an hour after the last: the limiter's window never fills
	svc := auth.New(st, auth.Options{Now: func() time.Time { c.add(time.Hour); return c.t }})
	if _, err := svc.CreateUser(ctx, "ann", auth.Marketer, "correct horse battery", ""); err != nil {
		b.Fatal(err)
	}
	client := netip.MustParseAddr("192.0.2.1")
	var wrong, unknown time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := svc.Login(ctx, "ann", "a wrong password", client); err == nil {
			b.Fatal("wrong password accepted")
		}
		t1 := time.Now()
		if _, err := svc.Login(ctx, "nobody", "a wrong password", client); err == nil {
			b.Fatal("unknown name accepted")
		}
		wrong += t1.Sub(t0)
		unknown += time.Since(t1)
	}
	b.ReportMetric(float64(wrong.Microseconds())/float64(b.N), "µs/wrong-password")
	b.ReportMetric(float64(unknown.Microseconds())/float64(b.N), "µs/unknown-name")
	b.ReportMetric(float64(unknown)/float64(wrong), "unknown/wrong")
}

// BenchmarkVerifyToken measures checking an API token (hash, lookup, the
// throttled last-use write) against the bare store lookup it wraps, in
// the same run.
func BenchmarkVerifyToken(b *testing.B) {
	ctx := context.Background()
	st := storetest.OpenSQLite(b)
	c := newClock()
	svc := auth.New(st, auth.Options{Now: func() time.Time { c.add(time.Second); return c.t }})
	secret, _, err := svc.CreateToken(ctx, "bench", auth.ScopeRead)
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256([]byte(secret))
	hash := hex.EncodeToString(sum[:])
	var verify, lookup time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := svc.VerifyToken(ctx, secret); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := st.TokenByHash(ctx, hash); err != nil {
			b.Fatal(err)
		}
		verify += t1.Sub(t0)
		lookup += time.Since(t1)
	}
	b.ReportMetric(float64(verify.Nanoseconds())/float64(b.N)/1e3, "µs/verify")
	b.ReportMetric(float64(lookup.Nanoseconds())/float64(b.N)/1e3, "µs/lookup")
	b.ReportMetric(float64(verify)/float64(lookup), "verify/lookup")
}
