package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/store"
)

func TestPolicyPrune(t *testing.T) {
	db := policyDB(t)
	now := time.Now()
	// at is the latest 16:00 UTC, daytime in New York, so that Ann's SMS
	// is judged by its cap, not by quiet hours.
	at := now.UTC().Truncate(24 * time.Hour).Add(16 * time.Hour)
	if at.After(now) {
		at = at.Add(-24 * time.Hour)
	}
	day := 24 * time.Hour
	var ss []policy.Send
	add := func(n int, age time.Duration) {
		for range n {
			ss = append(ss, policy.Send{CustomerID: "ann", Channel: "email", Purpose: "transactional", SentAt: now.Add(-age)})
		}
	}
	ss = append(ss, policy.Send{CustomerID: "ann", Channel: "sms", Purpose: "marketing", SentAt: at.Add(-2 * time.Hour)})
	add(1, 10*day)  // inside the retention, outside every cap window
	add(5, 40*day)  // the default retention is 7 + 30 days
	add(3, 400*day) //
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		if _, err := s.AddSends(ctx, ss); err != nil {
			return err
		}
		// skips: 4 older than the 180-day skip retention, 2 newer
		for i, age := range []time.Duration{200 * day, 300 * day, 190 * day, 181 * day, 179 * day, 2 * day} {
			err := s.RecordSkip(ctx, policy.Skip{Campaign: "spring", CustomerID: "ann", Channel: "sms", Purpose: "marketing",
				PlannedAt: now.Add(-age).Add(time.Duration(i) * time.Second), Code: policy.CodeNoConsent, DecidedAt: now.Add(-age)})
			if err != nil {
				return err
			}
		}
		return nil
	})
	prune := func(args ...string) policy.PruneReport {
		t.Helper()
		out, _, err := run(t, db, append([]string{"policy", "prune", "--json"}, args...)...)
		var r policy.PruneReport
		if err != nil || json.Unmarshal([]byte(out), &r) != nil {
			t.Fatalf("prune %v: %v\n%s", args, err, out)
		}
		return r
	}
	capped := func() {
		t.Helper()
		out, _, err := run(t, db, "policy", "check", "ann", "--channel", "sms", "--at", at.Format(time.RFC3339))
		var es exitStatus
		if !errors.As(err, &es) || !strings.Contains(out, "skip cap_channel_day") {
			t.Fatalf("check after prune: %v\n%s", err, out)
		}
	}

	r := prune("--dry-run")
	if !r.DryRun || r.WouldDelete != 8 || r.Deleted != 0 || !r.Default || r.RetentionHours != 37*24 || r.LongestCapHours != 7*24 ||
		r.Cutoff.Sub(now.Add(-37*day)).Abs() > time.Minute || r.SkipsWouldDelete != 4 || r.SkipsDeleted != 0 ||
		r.SkipRetentionHours != 180*24 || r.SkipsCutoff.Sub(now.Add(-180*day)).Abs() > time.Minute {
		t.Fatalf("dry run = %+v", r)
	}
	if r := prune("--dry-run"); r.WouldDelete != 8 {
		t.Fatalf("the dry run deleted: %+v", r)
	}
	out, _, err := run(t, db, "policy", "prune")
	if err != nil || !strings.Contains(out, "pruned 8 sends made before") || !strings.Contains(out, "(retention 37 days)") ||
		!strings.Contains(out, "longest cap window 7 days") || !strings.Contains(out, "pruned 4 skips decided before") ||
		!strings.Contains(out, "(skip retention 180 days)") {
		t.Fatalf("prune: %v\n%s", err, out)
	}
	capped()
	if r := prune(); r.Deleted != 0 || r.DryRun || r.SkipsDeleted != 0 {
		t.Fatalf("second prune = %+v", r)
	}
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		if left, err := s.ListSkips(ctx, "spring"); err != nil || len(left) != 2 {
			t.Errorf("%d skips left (%v), want the 2 inside the skip retention", len(left), err)
		}
		return nil
	})

	// --before: inside the week cap is refused; at its edge it deletes
	// the e-mail of ten days ago and keeps the caps.
	for _, bad := range []string{now.Add(-6 * day).Format(time.RFC3339), "last week"} {
		if _, _, err := run(t, db, "policy", "prune", "--before", bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("--before %s = %v, want Invalid", bad, err)
		}
	}
	edge := now.Add(-8 * day).UTC().Format("2006-01-02")
	if r := prune("--before", edge, "--dry-run"); r.WouldDelete != 1 || r.Default {
		t.Fatalf("--before %s --dry-run = %+v", edge, r)
	}
	if r := prune("--before", edge); r.Deleted != 1 || !r.Cutoff.Equal(now.Add(-8*day).UTC().Truncate(day)) {
		t.Fatalf("--before %s = %+v", edge, r)
	}
	capped()

	// A retention shorter than the week cap is refused before anything runs.
	cfg := filepath.Join(t.TempDir(), "chorus.yaml")
	if err := os.WriteFile(cfg, []byte("compliance:\n  contact:\n    send_retention: 72h\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := run(t, db, "--config", cfg, "policy", "prune"); !apperr.Is(err, apperr.Invalid) ||
		!strings.Contains(err.Error(), "send_retention 72h is shorter than the 168h window") {
		t.Fatalf("short retention: %v", err)
	}
}
