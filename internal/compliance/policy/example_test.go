package policy_test

import (
	"fmt"
	"time"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/customer"
)

// A campaign admits each message right before handing it to the channel:
// the second SMS within 24 hours is skipped with the cap's code and the
// time it would be allowed.
func ExampleGate_Admit() {
	st := newMemStore() // any policy.Store; the SQL store in production
	st.UpsertCustomers(ctx, []customer.Customer{{ID: "c1", Phone: "+8613800138000", TimeZone: "Asia/Shanghai"}})
	st.AddConsents(ctx, []customer.Consent{{CustomerID: "c1", Channel: "sms", Purpose: "marketing", Status: "granted",
		At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}})

	g, err := policy.New(config.Default().Compliance.Contact, st)
	if err != nil {
		panic(err)
	}
	at := time.Date(2026, 6, 10, 2, 0, 0, 0, time.UTC) // 10:00 in Shanghai
	for _, t := range []time.Time{at, at.Add(3 * time.Hour), at.Add(12 * time.Hour)} {
		d, err := g.Admit(ctx, policy.Message{CustomerID: "c1", Channel: "sms", At: t, Campaign: "618"})
		if err != nil {
			panic(err)
		}
		if d.Allow {
			fmt.Println(t.Format(time.Kitchen), "send")
			continue
		}
		fmt.Println(t.Format(time.Kitchen), "skip", d.Code, "until", d.NextAt.Format(time.RFC3339))
	}
	// Output:
	// 2:00AM send
	// 5:00AM skip cap_channel_day until 2026-06-11T02:00:00Z
	// 2:00PM skip quiet_hours until 2026-06-11T00:00:00Z
}
