package policy_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/store/storetest"
)

var ctx = context.Background()

// noon is 12:00 in Shanghai (the default zone), inside every send window.
var noon = time.Date(2026, 6, 10, 4, 0, 0, 0, time.UTC)

func contact() config.Contact { return config.Default().Compliance.Contact }

// world builds customers, ledgers, suppressions and sends in a store.
type world struct {
	t *testing.T
	s store.Store
	g *policy.Gate
}

func newWorld(t *testing.T, s store.Store, cfg config.Contact) *world {
	t.Helper()
	g, err := policy.New(cfg, s)
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, s: s, g: g}
}

func (w *world) customer(c customer.Customer) {
	w.t.Helper()
	if _, err := w.s.UpsertCustomers(ctx, []customer.Customer{c}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) consent(id, channel, purpose, status string, at time.Time) {
	w.t.Helper()
	if _, err := w.s.AddConsents(ctx, []customer.Consent{{CustomerID: id, Channel: channel, Purpose: purpose, Status: status, At: at}}); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) grant(id, channel string, at time.Time) {
	w.consent(id, channel, policy.Marketing, customer.Granted, at)
}

func (w *world) revoke(id, channel string, at time.Time) {
	w.consent(id, channel, policy.Marketing, customer.Revoked, at)
}

func (w *world) suppress(kind, value, reason string, marketingOnly bool) {
	w.t.Helper()
	sp, err := policy.NewSuppression(kind, value, reason, marketingOnly, "", "test", noon.Add(-48*time.Hour))
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.s.AddSuppressions(ctx, []policy.Suppression{sp}); err != nil {
		w.t.Fatal(err)
	}
}

// sent logs a send without cap checks, as history.
func (w *world) sent(id, channel, purpose string, at time.Time) {
	w.t.Helper()
	err := w.s.RecordSend(ctx, policy.Send{CustomerID: id, Channel: channel, Purpose: purpose, SentAt: at}, at, func([]policy.Send) error { return nil })
	if err != nil {
		w.t.Fatal(err)
	}
}

// person is a customer with every address, in zone tz ("" for none).
func person(id, tz string) customer.Customer {
	return customer.Customer{ID: id, Email: id + "@example.com", Phone: "+86138" + fmt.Sprintf("%08d", len(id)*7919), TimeZone: tz}
}

// phoneComplaint sets up a consenting customer whose phone is stored as
// phone and a complaint suppression entered as entry.
func phoneComplaint(phone, entry string) func(w *world, id string) {
	return func(w *world, id string) {
		c := person(id, "")
		c.Phone = phone
		granted(w, id, c)
		w.suppress("phone", entry, "complaint", false)
	}
}

type decideCase struct {
	name  string
	setup func(w *world, id string)
	msg   policy.Message // CustomerID is filled in
	code  string         // "" means allowed
	next  time.Time      // expected NextAt when set
	pers  *bool          // expected Personalize when set
}

// runDecide gives each case its own customer in one database.
func runDecide(t *testing.T, cfg config.Contact, cases []decideCase) {
	t.Helper()
	w := newWorld(t, storetest.OpenSQLite(t), cfg)
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.t = t
			id := fmt.Sprintf("c%03d", i)
			tc.setup(w, id)
			m := tc.msg
			m.CustomerID = id
			d, err := w.g.Decide(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			if d.Allow != (tc.code == "") || d.Code != tc.code {
				t.Fatalf("Decide = allow %v code %q (%s), want code %q", d.Allow, d.Code, d.Reason, tc.code)
			}
			if !d.Allow && d.Reason == "" {
				t.Errorf("skip %s without a human reason", d.Code)
			}
			if !tc.next.IsZero() && !d.NextAt.Equal(tc.next) {
				t.Errorf("NextAt = %s, want %s", d.NextAt, tc.next)
			}
			if tc.pers != nil && d.Personalize != *tc.pers {
				t.Errorf("Personalize = %v, want %v", d.Personalize, *tc.pers)
			}
		})
	}
}

func TestConsent(t *testing.T) {
	day := 24 * time.Hour
	runDecide(t, contact(), []decideCase{
		{"granted", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-30*day))
		}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, nil},
		{"revoked", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-30*day))
			w.revoke(id, "email", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, policy.CodeConsentRevoked, time.Time{}, nil},
		{"never given", func(w *world, id string) {
			w.customer(person(id, ""))
		}, policy.Message{Channel: "email", At: noon}, policy.CodeNoConsent, time.Time{}, nil},
		{"granted on another channel only", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "sms", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, policy.CodeNoConsent, time.Time{}, nil},
		{"revoked then granted again", func(w *world, id string) {
			w.customer(person(id, ""))
			w.revoke(id, "email", noon.Add(-30*day))
			w.grant(id, "email", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, nil},
		{"grant and revoke at one instant", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-day))
			w.revoke(id, "email", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, policy.CodeConsentRevoked, time.Time{}, nil},
		{"transactional needs no consent", func(w *world, id string) {
			w.customer(person(id, ""))
		}, policy.Message{Channel: "email", Purpose: "transactional", At: noon}, "", time.Time{}, nil},
		{"transactional despite a revocation", func(w *world, id string) {
			w.customer(person(id, ""))
			w.revoke(id, "sms", noon.Add(-day))
		}, policy.Message{Channel: "sms", Purpose: "transactional", At: noon}, "", time.Time{}, nil},
		{"no e-mail address", func(w *world, id string) {
			w.customer(customer.Customer{ID: id, Phone: "13800138000"})
			w.grant(id, "email", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, policy.CodeNoAddress, time.Time{}, nil},
		{"no phone for transactional sms", func(w *world, id string) {
			w.customer(customer.Customer{ID: id, Email: "x@example.com"})
		}, policy.Message{Channel: "sms", Purpose: "transactional", At: noon}, policy.CodeNoAddress, time.Time{}, nil},
		{"push needs no stored address", func(w *world, id string) {
			w.customer(customer.Customer{ID: id})
			w.grant(id, "push", noon.Add(-day))
		}, policy.Message{Channel: "push", At: noon}, "", time.Time{}, nil},
	})
}

// granted stores c with marketing consent on e-mail, SMS and push.
func granted(w *world, id string, c customer.Customer) {
	w.customer(c)
	for _, ch := range []string{"email", "sms", "push"} {
		w.grant(id, ch, noon.Add(-30*24*time.Hour))
	}
}

func TestSuppression(t *testing.T) {
	runDecide(t, contact(), []decideCase{
		{"customer id, marketing", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("customer", id, "legal", false)
		}, policy.Message{Channel: "push", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"customer id, transactional", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("customer", id, "legal", false)
		}, policy.Message{Channel: "email", Purpose: "transactional", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"hard-bounced e-mail stops transactional e-mail", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("email", "  "+id+"@EXAMPLE.com", "hard_bounce", false)
		}, policy.Message{Channel: "email", Purpose: "transactional", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"hard-bounced e-mail does not stop sms", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("email", id+"@example.com", "hard_bounce", false)
		}, policy.Message{Channel: "sms", At: noon}, "", time.Time{}, nil},
		{"complaint on a phone written differently", phoneComplaint("+8613800138000", "+86 138-0013-8000"),
			policy.Message{Channel: "sms", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"complaint with the country code, customer without", phoneComplaint("138 0013 8000", "+86 138-0013-8000"),
			policy.Message{Channel: "sms", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"complaint in full-width digits", phoneComplaint("+86 13800138000", "１３８００１３８０００"),
			policy.Message{Channel: "sms", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"entry stored in the earlier +86 form", func(w *world, id string) {
			c := person(id, "")
			c.Phone = "+86 138-0013-8000"
			granted(w, id, c)
			sp, err := policy.NewSuppression("customer", "x", "complaint", false, "", "test", noon.Add(-48*time.Hour))
			if err != nil {
				w.t.Fatal(err)
			}
			sp.SuppressionKey = policy.SuppressionKey{Kind: "phone", Value: "+8613800138000"}
			if _, err := w.s.AddSuppressions(ctx, []policy.Suppression{sp}); err != nil {
				w.t.Fatal(err)
			}
		}, policy.Message{Channel: "sms", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"another number is not stopped", phoneComplaint("13900139000", "+86 138-0013-8000"),
			policy.Message{Channel: "sms", At: noon}, "", time.Time{}, nil},
		{"marketing-only entry, marketing", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("customer", id, "unsubscribe", true)
		}, policy.Message{Channel: "email", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
		{"marketing-only entry, transactional", func(w *world, id string) {
			granted(w, id, person(id, ""))
			w.suppress("customer", id, "unsubscribe", true)
		}, policy.Message{Channel: "email", Purpose: "transactional", At: noon}, "", time.Time{}, nil},
		{"suppression wins over missing consent", func(w *world, id string) {
			w.customer(person(id, ""))
			w.suppress("customer", id, "manual", false)
		}, policy.Message{Channel: "email", At: noon}, policy.CodeSuppressed, time.Time{}, nil},
	})
}

func TestRevocationEverywhere(t *testing.T) {
	day := 24 * time.Hour
	cases := func(whenOn string) []decideCase {
		return []decideCase{
			{"sms revoked after the e-mail grant", func(w *world, id string) {
				w.customer(person(id, ""))
				w.grant(id, "email", noon.Add(-30*day))
				w.grant(id, "sms", noon.Add(-30*day))
				w.revoke(id, "sms", noon.Add(-2*day))
			}, policy.Message{Channel: "email", At: noon}, whenOn, time.Time{}, nil},
			{"e-mail granted after the sms revocation", func(w *world, id string) {
				w.customer(person(id, ""))
				w.revoke(id, "sms", noon.Add(-30*day))
				w.grant(id, "email", noon.Add(-2*day))
			}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, nil},
			{"sms revocation superseded by a new sms grant", func(w *world, id string) {
				w.customer(person(id, ""))
				w.grant(id, "email", noon.Add(-30*day))
				w.revoke(id, "sms", noon.Add(-20*day))
				w.grant(id, "sms", noon.Add(-10*day))
			}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, nil},
			{"a personalization revocation is not a marketing one", func(w *world, id string) {
				w.customer(person(id, ""))
				w.grant(id, "email", noon.Add(-30*day))
				w.consent(id, "app", customer.PurposePersonalization, customer.Revoked, noon.Add(-day))
			}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, nil},
			{"transactional is not stopped", func(w *world, id string) {
				w.customer(person(id, ""))
				w.revoke(id, "sms", noon.Add(-day))
			}, policy.Message{Channel: "email", Purpose: "transactional", At: noon}, "", time.Time{}, nil},
		}
	}
	t.Run("on", func(t *testing.T) {
		runDecide(t, contact(), cases(policy.CodeOptedOutElsewhere))
	})
	t.Run("off", func(t *testing.T) {
		cfg := contact()
		cfg.RevokeStopsAll = false
		runDecide(t, cfg, cases(""))
	})
}

func TestPersonalization(t *testing.T) {
	yes, no := true, false
	day := 24 * time.Hour
	runDecide(t, contact(), []decideCase{
		{"no entry: personalised", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-day))
		}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, &yes},
		{"opted out: segment-level content, still sent", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-day))
			w.consent(id, "email", customer.PurposePersonalization, customer.Granted, noon.Add(-30*day))
			w.consent(id, "app", customer.PurposePersonalization, customer.Revoked, noon.Add(-2*day))
		}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, &no},
		{"opted out, opted in again", func(w *world, id string) {
			w.customer(person(id, ""))
			w.grant(id, "email", noon.Add(-day))
			w.consent(id, "email", customer.PurposePersonalization, customer.Revoked, noon.Add(-30*day))
			w.consent(id, "email", customer.PurposePersonalization, customer.Granted, noon.Add(-2*day))
		}, policy.Message{Channel: "email", At: noon}, "", time.Time{}, &yes},
		{"opted out, transactional", func(w *world, id string) {
			w.customer(person(id, ""))
			w.consent(id, "sms", customer.PurposePersonalization, customer.Revoked, noon.Add(-2*day))
		}, policy.Message{Channel: "sms", Purpose: "transactional", At: noon}, "", time.Time{}, &no},
		{"opted out and skipped: still reported", func(w *world, id string) {
			w.customer(person(id, ""))
			w.consent(id, "sms", customer.PurposePersonalization, customer.Revoked, noon.Add(-2*day))
		}, policy.Message{Channel: "sms", At: noon}, policy.CodeNoConsent, time.Time{}, &no},
	})
}

func utc(y int, mo time.Month, d, h, mi int) time.Time {
	return time.Date(y, mo, d, h, mi, 0, 0, time.UTC)
}

func TestQuietHours(t *testing.T) {
	day := 24 * time.Hour
	in := func(tz string) func(w *world, id string) {
		return func(w *world, id string) {
			w.customer(person(id, tz))
			for _, ch := range []string{"sms", "push", "email", "wechat"} {
				w.grant(id, ch, utc(2025, 1, 1, 0, 0))
			}
		}
	}
	sms := func(at time.Time) policy.Message { return policy.Message{Channel: "sms", At: at} }
	cfg := contact()
	cfg.SendWindows["wechat"] = config.SendWindow{From: "22:00", Until: "06:00"} // wraps midnight
	cfg.SendWindows["push"] = config.SendWindow{From: "09:30", Until: "24:00"}
	runDecide(t, cfg, []decideCase{
		// Asia/Shanghai is UTC+8 all year.
		{"shanghai 07:59", in("Asia/Shanghai"), sms(utc(2026, 6, 9, 23, 59)), policy.CodeQuietHours, utc(2026, 6, 10, 0, 0), nil},
		{"shanghai 08:00", in("Asia/Shanghai"), sms(utc(2026, 6, 10, 0, 0)), "", time.Time{}, nil},
		{"shanghai 20:59", in("Asia/Shanghai"), sms(utc(2026, 6, 10, 12, 59)), "", time.Time{}, nil},
		{"shanghai 21:00 waits for tomorrow", in("Asia/Shanghai"), sms(utc(2026, 6, 10, 13, 0)), policy.CodeQuietHours, utc(2026, 6, 11, 0, 0), nil},
		{"no zone: default Asia/Shanghai", in(""), sms(utc(2026, 6, 9, 23, 30)), policy.CodeQuietHours, utc(2026, 6, 10, 0, 0), nil},
		{"unknown zone: default", in("Mars/Olympus_Mons"), sms(utc(2026, 6, 10, 4, 0)), "", time.Time{}, nil},
		{"noon in Shanghai is 05:00 in London", in("Europe/London"), sms(utc(2026, 6, 10, 4, 0)), policy.CodeQuietHours, utc(2026, 6, 10, 7, 0), nil},
		{"tokyo 08:30", in("Asia/Tokyo"), sms(utc(2026, 6, 9, 23, 30)), "", time.Time{}, nil},

		// America/New_York springs forward at 02:00 on 2026-03-08 (EST-5 → EDT-4).
		{"ny day before spring: 12:30Z is 07:30 EST", in("America/New_York"), sms(utc(2026, 3, 7, 12, 30)), policy.CodeQuietHours, utc(2026, 3, 7, 13, 0), nil},
		{"ny spring day: 12:30Z is 08:30 EDT", in("America/New_York"), sms(utc(2026, 3, 8, 12, 30)), "", time.Time{}, nil},
		{"ny spring day: 11:30Z is 07:30 EDT", in("America/New_York"), sms(utc(2026, 3, 8, 11, 30)), policy.CodeQuietHours, utc(2026, 3, 8, 12, 0), nil},
		{"ny spring night: 01:30 EST opens at 08:00 EDT", in("America/New_York"), sms(utc(2026, 3, 8, 6, 30)), policy.CodeQuietHours, utc(2026, 3, 8, 12, 0), nil},
		{"ny evening before spring opens at 08:00 EDT", in("America/New_York"), sms(utc(2026, 3, 8, 2, 30)), policy.CodeQuietHours, utc(2026, 3, 8, 12, 0), nil},
		{"ny spring day: 00:59Z next day is 20:59 EDT", in("America/New_York"), sms(utc(2026, 3, 9, 0, 59)), "", time.Time{}, nil},
		{"ny spring day: 01:00Z next day is 21:00 EDT", in("America/New_York"), sms(utc(2026, 3, 9, 1, 0)), policy.CodeQuietHours, utc(2026, 3, 9, 12, 0), nil},

		// It falls back at 02:00 on 2026-11-01 (EDT-4 → EST-5); 01:00–02:00 happens twice.
		{"ny day before fall: 12:30Z is 08:30 EDT", in("America/New_York"), sms(utc(2026, 10, 31, 12, 30)), "", time.Time{}, nil},
		{"ny fall day: 12:30Z is 07:30 EST", in("America/New_York"), sms(utc(2026, 11, 1, 12, 30)), policy.CodeQuietHours, utc(2026, 11, 1, 13, 0), nil},
		{"ny fall day: first 01:30 (EDT)", in("America/New_York"), sms(utc(2026, 11, 1, 5, 30)), policy.CodeQuietHours, utc(2026, 11, 1, 13, 0), nil},
		{"ny fall day: second 01:30 (EST)", in("America/New_York"), sms(utc(2026, 11, 1, 6, 30)), policy.CodeQuietHours, utc(2026, 11, 1, 13, 0), nil},
		{"ny fall day: 13:00Z is 08:00 EST", in("America/New_York"), sms(utc(2026, 11, 1, 13, 0)), "", time.Time{}, nil},
		{"ny fall day: 01:30Z next day is 20:30 EST", in("America/New_York"), sms(utc(2026, 11, 2, 1, 30)), "", time.Time{}, nil},
		{"ny fall eve: 02:00Z next day is 21:00 EST", in("America/New_York"), sms(utc(2026, 11, 2, 2, 0)), policy.CodeQuietHours, utc(2026, 11, 2, 13, 0), nil},

		// wechat's window is 22:00–06:00 (wraps midnight), Shanghai time.
		{"wrap: 23:00 open", in("Asia/Shanghai"), policy.Message{Channel: "wechat", At: utc(2026, 6, 10, 15, 0)}, "", time.Time{}, nil},
		{"wrap: 05:59 open", in("Asia/Shanghai"), policy.Message{Channel: "wechat", At: utc(2026, 6, 9, 21, 59)}, "", time.Time{}, nil},
		{"wrap: 22:00 open", in("Asia/Shanghai"), policy.Message{Channel: "wechat", At: utc(2026, 6, 10, 14, 0)}, "", time.Time{}, nil},
		{"wrap: 06:00 quiet until 22:00", in("Asia/Shanghai"), policy.Message{Channel: "wechat", At: utc(2026, 6, 9, 22, 0)}, policy.CodeQuietHours, utc(2026, 6, 10, 14, 0), nil},
		{"wrap: noon quiet until 22:00", in("Asia/Shanghai"), policy.Message{Channel: "wechat", At: noon}, policy.CodeQuietHours, utc(2026, 6, 10, 14, 0), nil},
		{"wrap across spring-forward in NY", in("America/New_York"), policy.Message{Channel: "wechat", At: utc(2026, 3, 8, 16, 0)}, policy.CodeQuietHours, utc(2026, 3, 9, 2, 0), nil},
		{"until 24:00: 23:59 open", in("Asia/Shanghai"), policy.Message{Channel: "push", At: utc(2026, 6, 10, 15, 59)}, "", time.Time{}, nil},
		{"until 24:00: 00:00 quiet", in("Asia/Shanghai"), policy.Message{Channel: "push", At: utc(2026, 6, 10, 16, 0)}, policy.CodeQuietHours, utc(2026, 6, 11, 1, 30), nil},

		{"email has no window", in("Asia/Shanghai"), policy.Message{Channel: "email", At: utc(2026, 6, 10, 19, 0)}, "", time.Time{}, nil},
		{"transactional sms at 03:00 goes out", in("Asia/Shanghai"), policy.Message{Channel: "sms", Purpose: "transactional", At: utc(2026, 6, 10, 19, 0).Add(-day)}, "", time.Time{}, nil},
	})
	t.Run("transactional when configured", func(t *testing.T) {
		cfg := contact()
		cfg.QuietHoursTransactional = true
		runDecide(t, cfg, []decideCase{
			{"transactional sms at 03:00", in("Asia/Shanghai"), policy.Message{Channel: "sms", Purpose: "transactional", At: utc(2026, 6, 10, 19, 0)},
				policy.CodeQuietHours, utc(2026, 6, 11, 0, 0), nil},
		})
	})
}

func TestCaps(t *testing.T) {
	h, day := time.Hour, 24*time.Hour
	everywhere := func(w *world, id string) {
		w.customer(person(id, "Asia/Shanghai"))
		for _, ch := range []string{"sms", "push", "email", "wechat"} {
			w.grant(id, ch, noon.Add(-60*day))
		}
	}
	with := func(sends ...func(w *world, id string)) func(w *world, id string) {
		return func(w *world, id string) {
			everywhere(w, id)
			for _, s := range sends {
				s(w, id)
			}
		}
	}
	sent := func(ch, purpose string, ago time.Duration) func(w *world, id string) {
		return func(w *world, id string) { w.sent(id, ch, purpose, noon.Add(-ago)) }
	}
	msg := func(ch string) policy.Message { return policy.Message{Channel: ch, At: noon} }
	// Defaults: 1 marketing sms per 24 h; 3 marketing messages per 7 days on all channels.
	runDecide(t, contact(), []decideCase{
		{"first sms", with(), msg("sms"), "", time.Time{}, nil},
		{"sms 23 h ago", with(sent("sms", "marketing", 23*h)), msg("sms"), "cap_channel_day", noon.Add(h), nil},
		{"sms exactly 24 h ago has left the window", with(sent("sms", "marketing", 24*h)), msg("sms"), "", time.Time{}, nil},
		{"sms 23 h ago does not cap e-mail", with(sent("sms", "marketing", 23*h)), msg("email"), "", time.Time{}, nil},
		{"transactional sms does not count", with(sent("sms", "transactional", h), sent("sms", "transactional", 2*h)), msg("sms"), "", time.Time{}, nil},
		{"transactional message is not capped", with(sent("sms", "marketing", h)), policy.Message{Channel: "sms", Purpose: "transactional", At: noon}, "", time.Time{}, nil},
		{"three this week on three channels", with(sent("email", "marketing", 6*day), sent("push", "marketing", 3*day), sent("wechat", "marketing", h)),
			msg("sms"), "cap_all_week", noon.Add(day), nil},
		{"three, one of them 8 days ago", with(sent("email", "marketing", 8*day), sent("push", "marketing", 3*day), sent("wechat", "marketing", h)),
			msg("sms"), "", time.Time{}, nil},
		{"a send after the planned time is not counted", with(sent("sms", "marketing", -h)), msg("sms"), "", time.Time{}, nil},
		{"day cap is checked before week cap", with(sent("email", "marketing", 5*day), sent("sms", "marketing", 2*h), sent("wechat", "marketing", h)),
			msg("sms"), "cap_channel_day", noon.Add(22 * h), nil},
	})
	t.Run("custom caps", func(t *testing.T) {
		cfg := contact()
		caps, err := config.ParseCaps("push::2/1h,*::5/48h,email:marketing:0/24h")
		if err != nil {
			t.Fatal(err)
		}
		cfg.Caps = caps
		runDecide(t, cfg, []decideCase{
			{"hourly push cap counts transactional", with(sent("push", "transactional", 10*time.Minute), sent("push", "marketing", 50*time.Minute)),
				msg("push"), "cap_channel_hour", noon.Add(10 * time.Minute), nil},
			{"48 h cap across purposes", with(sent("sms", "transactional", 40*h), sent("sms", "transactional", 30*h), sent("wechat", "marketing", 20*h),
				sent("push", "marketing", 3*h), sent("push", "marketing", 2*h)),
				policy.Message{Channel: "wechat", Purpose: "transactional", At: noon}, "cap_all_2d", noon.Add(8 * h), nil},
			{"zero cap: never, no next time", with(), msg("email"), "cap_channel_day", time.Time{}, nil},
		})
	})
}

func TestAdmitRecordsSendsAndSkips(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s store.Store) {
		w := newWorld(t, s, contact())
		w.customer(person("ann", "Asia/Shanghai"))
		w.grant("ann", "sms", noon.Add(-time.Hour*24*30))
		m := policy.Message{CustomerID: "ann", Channel: "sms", At: noon, Campaign: "spring"}
		d, err := w.g.Admit(ctx, m)
		if err != nil || !d.Allow {
			t.Fatalf("first Admit = %+v, %v", d, err)
		}
		m.At = noon.Add(time.Hour)
		d, err = w.g.Admit(ctx, m)
		if err != nil || d.Code != "cap_channel_day" || !d.NextAt.Equal(noon.Add(24*time.Hour)) {
			t.Fatalf("second Admit = %+v, %v; want cap_channel_day until %s", d, err, noon.Add(24*time.Hour))
		}
		m.At = utc(2026, 6, 10, 14, 0) // 22:00 Shanghai
		if d, err = w.g.Admit(ctx, m); err != nil || d.Code != policy.CodeQuietHours {
			t.Fatalf("night Admit = %+v, %v", d, err)
		}
		// Re-deciding the same planned message replaces its skip.
		if _, err = w.g.Admit(ctx, m); err != nil {
			t.Fatal(err)
		}
		sends, err := s.SendsSince(ctx, "ann", noon.Add(-time.Hour))
		if err != nil || len(sends) != 1 || sends[0].Campaign != "spring" || !sends[0].SentAt.Equal(noon) {
			t.Fatalf("sends = %+v, %v", sends, err)
		}
		skips, err := s.ListSkips(ctx, "spring")
		if err != nil || len(skips) != 2 {
			t.Fatalf("skips = %+v, %v", skips, err)
		}
		if skips[0].Code != "cap_channel_day" || skips[1].Code != policy.CodeQuietHours || skips[1].Reason == "" ||
			!skips[1].NextAt.Equal(utc(2026, 6, 11, 0, 0)) || skips[0].Purpose != "marketing" {
			t.Fatalf("skips = %+v", skips)
		}
		// Decide writes nothing.
		if _, err := w.g.Decide(ctx, policy.Message{CustomerID: "ann", Channel: "email", At: noon, Campaign: "spring"}); err != nil {
			t.Fatal(err)
		}
		if skips, _ := s.ListSkips(ctx, "spring"); len(skips) != 2 {
			t.Fatalf("Decide recorded a skip: %+v", skips)
		}
		// Record counts a send made without Admit, and refuses one over a cap.
		d, err = w.g.Record(ctx, policy.Send{CustomerID: "ann", Channel: "sms", Purpose: "marketing", SentAt: noon.Add(2 * time.Hour)})
		if err != nil || d.Allow || d.Code != "cap_channel_day" {
			t.Fatalf("Record over the cap = %+v, %v", d, err)
		}
		d, err = w.g.Record(ctx, policy.Send{CustomerID: "ann", Channel: "sms", Purpose: "transactional", SentAt: noon.Add(2 * time.Hour)})
		if err != nil || !d.Allow {
			t.Fatalf("Record transactional = %+v, %v", d, err)
		}
		if sends, _ := s.SendsSince(ctx, "ann", noon.Add(-time.Hour)); len(sends) != 2 {
			t.Fatalf("sends after Record = %+v", sends)
		}
	})
}

func TestDecideErrors(t *testing.T) {
	w := newWorld(t, storetest.OpenSQLite(t), contact())
	w.customer(person("ann", ""))
	for _, tc := range []struct {
		m    policy.Message
		kind apperr.Kind
	}{
		{policy.Message{CustomerID: "nobody", Channel: "sms", At: noon}, apperr.NotFound},
		{policy.Message{Channel: "sms", At: noon}, apperr.Invalid},
		{policy.Message{CustomerID: "ann", At: noon}, apperr.Invalid},
		{policy.Message{CustomerID: "ann", Channel: "sms", Purpose: "survey", At: noon}, apperr.Invalid},
	} {
		if _, err := w.g.Decide(ctx, tc.m); !apperr.Is(err, tc.kind) {
			t.Errorf("Decide(%+v) = %v, want %s", tc.m, err, tc.kind)
		}
	}
}

// countingStore counts the reads of the sends log.
type countingStore struct {
	store.Store
	since, record int
}

func (c *countingStore) SendsSince(ctx context.Context, id string, t time.Time) ([]policy.Send, error) {
	c.since++
	return c.Store.SendsSince(ctx, id, t)
}

func (c *countingStore) RecordSend(ctx context.Context, s policy.Send, t time.Time, check func([]policy.Send) error) error {
	c.record++
	return c.Store.RecordSend(ctx, s, t, check)
}

// TestAdmitReadsSendsOnce: Admit counts the caps only inside RecordSend,
// under the lock; Decide reads the log once; neither reads it for a
// message an earlier rule skips.
func TestAdmitReadsSendsOnce(t *testing.T) {
	cs := &countingStore{Store: storetest.OpenSQLite(t)}
	w := newWorld(t, cs, contact())
	w.customer(person("ann", "Asia/Shanghai"))
	w.grant("ann", "sms", noon.Add(-30*24*time.Hour))
	for i, tc := range []struct {
		admit         bool
		at            time.Time
		code          string
		since, record int
	}{
		{false, noon, "", 1, 0},
		{true, noon, "", 0, 1},
		{true, noon.Add(time.Hour), "cap_channel_day", 0, 1},
		{false, noon.Add(time.Hour), "cap_channel_day", 1, 0},
		{true, utc(2026, 6, 10, 14, 0), policy.CodeQuietHours, 0, 0},
	} {
		cs.since, cs.record = 0, 0
		m := policy.Message{CustomerID: "ann", Channel: "sms", At: tc.at}
		call := w.g.Decide
		if tc.admit {
			call = w.g.Admit
		}
		d, err := call(ctx, m)
		if err != nil || d.Code != tc.code || cs.since != tc.since || cs.record != tc.record {
			t.Errorf("%d: admit=%v: code %q (%v), SendsSince %d, RecordSend %d; want %q, %d, %d",
				i, tc.admit, d.Code, err, cs.since, cs.record, tc.code, tc.since, tc.record)
		}
	}
}

func TestNewRejectsAnInvalidContact(t *testing.T) {
	for _, tc := range []struct {
		mod  func(*config.Contact)
		want string
	}{
		{func(c *config.Contact) { c.SendWindows["sms"] = config.SendWindow{From: "8am", Until: "21:00"} }, "compliance.contact.send_windows.sms"},
		{func(c *config.Contact) { c.SendWindows["push"] = config.SendWindow{From: "09:00", Until: "09:00"} }, "from and until are equal"},
		{func(c *config.Contact) { c.Caps[1].Window = 0 }, "compliance.contact.caps[1]"},
		{func(c *config.Contact) { c.DefaultTimeZone = "Mars/Olympus" }, "compliance.contact.default_time_zone"},
	} {
		cfg := contact()
		tc.mod(&cfg)
		if _, err := policy.New(cfg, storetest.OpenSQLite(t)); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New = %v, want Invalid naming %s", err, tc.want)
		}
	}
}
