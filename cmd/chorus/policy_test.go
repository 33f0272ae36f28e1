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
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store"
)

// policyDB has Ann in New York with e-mail and SMS marketing consent, and
// Bo (no time zone: the default Asia/Shanghai) who opted out of
// personalised marketing.
func policyDB(t *testing.T) string {
	t.Helper()
	t0 := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	return shopDB(t, fixtureShop{
		customers: []customer.Customer{
			{ID: "ann", Email: "Ann@Example.com", Phone: "+1 212 555 0100", TimeZone: "America/New_York"},
			{ID: "bo", Email: "bo@example.cn", Phone: "13800138000"},
			{ID: "13900139000", Phone: "13900139000"}, // keyed by phone, as importers do without an id
		},
		consents: []customer.Consent{
			{CustomerID: "ann", Channel: "email", Purpose: "marketing", Status: "granted", At: t0},
			{CustomerID: "ann", Channel: "sms", Purpose: "marketing", Status: "granted", At: t0},
			{CustomerID: "bo", Channel: "sms", Purpose: "marketing", Status: "granted", At: t0},
			{CustomerID: "bo", Channel: "app", Purpose: "personalization", Status: "revoked", At: t0},
		},
	})
}

func TestPolicyCheck(t *testing.T) {
	db := policyDB(t)

	// 08:30 EDT on the spring-forward day: inside the 08:00–21:00 SMS window.
	out, _, err := run(t, db, "policy", "check", "ann", "--channel", "sms", "--at", "2026-03-08T12:30:00Z")
	if err != nil || !strings.Contains(out, "ann: marketing sms at 2026-03-08T08:30:00-04:00 (America/New_York): allow") ||
		!strings.Contains(out, "personalised content: yes") {
		t.Fatalf("allow: %v\n%s", err, out)
	}
	// A wall-clock --at is read in the customer's zone; quiet hours exit 1.
	out, _, err = run(t, db, "policy", "check", "ann", "--channel", "sms", "--at", "2026-03-08 07:30")
	var es exitStatus
	if !errors.As(err, &es) || es != 1 || !strings.Contains(out, "skip quiet_hours") ||
		!strings.Contains(out, "next allowed: 2026-03-08T08:00:00-04:00 (2026-03-08T12:00:00Z)") {
		t.Fatalf("quiet: %v\n%s", err, out)
	}
	out, _, err = run(t, db, "policy", "check", "bo", "--channel", "sms", "--at", "2026-06-10 12:00", "--json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var v struct {
		Allow       bool   `json:"allow"`
		Personalize bool   `json:"personalize"`
		TimeZone    string `json:"time_zone"`
		LocalTime   string `json:"local_time"`
		Purpose     string `json:"purpose"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || !v.Allow || v.Personalize || v.TimeZone != "Asia/Shanghai" ||
		v.LocalTime != "2026-06-10T12:00:00+08:00" || v.Purpose != "marketing" {
		t.Fatalf("json = %s (%v)", out, err)
	}
	out, _, err = run(t, db, "policy", "check", "bo", "--channel", "email", "--at", "2026-06-10T04:00:00Z", "--json")
	var d struct {
		Allow  bool   `json:"allow"`
		Code   string `json:"code"`
		Reason string `json:"reason"`
	}
	if !errors.As(err, &es) || json.Unmarshal([]byte(out), &d) != nil || d.Allow || d.Code != policy.CodeNoConsent || d.Reason == "" {
		t.Fatalf("no consent: %v\n%s", err, out)
	}
	if _, _, err := run(t, db, "policy", "check", "bo", "--channel", "email", "--purpose", "transactional", "--at", "2026-06-10T04:00:00Z"); err != nil {
		t.Fatalf("transactional: %v", err)
	}
	for _, bad := range [][]string{
		{"policy", "check", "nobody", "--channel", "sms"},
		{"policy", "check", "ann", "--channel", "sms", "--at", "tomorrow"},
		{"policy", "check", "ann", "--channel", "sms", "--purpose", "survey"},
	} {
		if _, _, err := run(t, db, bad...); apperr.KindOf(err) != apperr.NotFound && apperr.KindOf(err) != apperr.Invalid {
			t.Errorf("%v = %v, want a usage error", bad, err)
		}
	}
}

func TestSuppressCommands(t *testing.T) {
	db := policyDB(t)
	at := "2026-06-10T16:00:00Z" // noon in New York

	out, _, err := run(t, db, "suppress", "add", "ANN@example.com", "--reason", "hard_bounce", "--note", "550 mailbox unavailable")
	if err != nil || !strings.Contains(out, "suppressed 1 (1 new, 0 updated)") {
		t.Fatalf("add: %v\n%s", err, out)
	}
	file := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(file, []byte("# complaints\n+1 (212) 555-0100\n\nbo\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = run(t, db, "suppress", "add", "--file", file, "--reason", "complaint")
	if err != nil || !strings.Contains(out, "suppressed 2 (2 new, 0 updated)") {
		t.Fatalf("add --file: %v\n%s", err, out)
	}
	out, _, err = run(t, db, "suppress", "add", "bo", "--reason", "unsubscribe", "--marketing-only")
	if err != nil || !strings.Contains(out, "(0 new, 1 updated)") {
		t.Fatalf("re-add: %v\n%s", err, out)
	}
	if _, _, err := run(t, db, "suppress", "add", "x@example.com", "--reason", "because"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad reason = %v", err)
	}
	// A number that is a known customer id suppresses that customer.
	if out, _, err := run(t, db, "suppress", "add", "13900139000", "--reason", "legal"); err != nil || !strings.Contains(out, "1 new") {
		t.Fatalf("add id-like number: %v\n%s", err, out)
	}
	out, _, err = run(t, db, "suppress", "list", "--kind", "customer", "--json")
	if err != nil || !strings.Contains(out, `"value": "13900139000"`) {
		t.Fatalf("numeric customer id: %v\n%s", err, out)
	}
	if out, _, err := run(t, db, "suppress", "remove", "13900139000"); err != nil || !strings.Contains(out, "removed customer 13900139000") {
		t.Fatalf("remove id-like number: %v\n%s", err, out)
	}

	out, _, err = run(t, db, "suppress", "list", "--json")
	var list []policy.Suppression
	if err != nil || json.Unmarshal([]byte(out), &list) != nil || len(list) != 3 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	byKind := map[string]policy.Suppression{}
	for _, sp := range list {
		byKind[sp.Kind] = sp
	}
	if byKind["email"].Value != "ann@example.com" || byKind["email"].Note != "550 mailbox unavailable" ||
		byKind["phone"].Value != "2125550100" || byKind["phone"].Reason != "complaint" ||
		!byKind["customer"].MarketingOnly || byKind["customer"].Reason != "unsubscribe" {
		t.Fatalf("list = %+v", list)
	}
	out, _, err = run(t, db, "suppress", "list", "--kind", "phone")
	if err != nil || !strings.Contains(out, "2125550100") || strings.Contains(out, "ann@example.com") || !strings.Contains(out, "1 suppressed") {
		t.Fatalf("list --kind phone: %v\n%s", err, out)
	}

	// The gate sees the list: e-mail and SMS to Ann are suppressed, Bo's
	// marketing-only entry lets a transactional message through.
	for _, tc := range []struct {
		args []string
		code string
	}{
		{[]string{"ann", "--channel", "email"}, policy.CodeSuppressed},
		{[]string{"ann", "--channel", "sms", "--purpose", "transactional"}, policy.CodeSuppressed},
		{[]string{"ann", "--channel", "push", "--purpose", "transactional"}, ""},
		{[]string{"bo", "--channel", "sms"}, policy.CodeSuppressed},
		{[]string{"bo", "--channel", "sms", "--purpose", "transactional"}, ""},
	} {
		out, _, err := run(t, db, append(append([]string{"policy", "check"}, tc.args...), "--at", at, "--json")...)
		var d struct {
			Code string `json:"code"`
		}
		if jerr := json.Unmarshal([]byte(out), &d); jerr != nil || d.Code != tc.code || (err == nil) != (tc.code == "") {
			t.Errorf("check %v = %q (%v), want %q", tc.args, d.Code, err, tc.code)
		}
	}

	out, _, err = run(t, db, "suppress", "remove", "ann@example.com", "+1 212 555 0100")
	if err != nil || !strings.Contains(out, "removed email ann@example.com") || !strings.Contains(out, "removed phone 2125550100") {
		t.Fatalf("remove: %v\n%s", err, out)
	}
	if _, _, err := run(t, db, "suppress", "remove", "ann@example.com"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("second remove = %v, want NotFound", err)
	}
	if _, _, err := run(t, db, "policy", "check", "ann", "--channel", "email", "--at", at); err != nil {
		t.Fatalf("after remove: %v", err)
	}
}

func TestPolicySkips(t *testing.T) {
	db := policyDB(t)
	inStore(t, db, func(ctx context.Context, s store.Store) error {
		g, err := policy.New(config.Default().Compliance.Contact, s)
		if err != nil {
			return err
		}
		night := time.Date(2026, 6, 10, 4, 0, 0, 0, time.UTC) // midnight in New York, noon in Shanghai
		for _, m := range []policy.Message{
			{CustomerID: "ann", Channel: "sms", At: night, Campaign: "june"},
			{CustomerID: "bo", Channel: "email", At: night, Campaign: "june"},
			{CustomerID: "bo", Channel: "sms", At: night, Campaign: "june"},
		} {
			if _, err := g.Admit(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	out, _, err := run(t, db, "policy", "skips", "--campaign", "june")
	if err != nil || !strings.Contains(out, "2 skipped, no_consent 1, quiet_hours 1") || !strings.Contains(out, "2026-06-10T12:00:00Z") {
		t.Fatalf("skips: %v\n%s", err, out)
	}
	out, _, err = run(t, db, "policy", "skips", "--json")
	if err != nil || strings.TrimSpace(out) != "[]" {
		t.Fatalf("skips without campaign: %v\n%s", err, out)
	}
}
