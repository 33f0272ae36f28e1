package campaign

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
)

func TestTransition(t *testing.T) {
	for _, tc := range []struct {
		from, action, to string
		kind             apperr.Kind
	}{
		{Draft, ActStart, Running, ""},
		{Draft, ActSchedule, Scheduled, ""},
		{Scheduled, ActStart, Running, ""},
		{Scheduled, ActPause, Paused, ""},
		{Running, ActPause, Paused, ""},
		{Paused, ActResume, Running, ""},
		{Running, ActComplete, Completed, ""},
		{Running, ActCancel, Cancelled, ""},
		{Paused, ActCancel, Cancelled, ""},
		{Draft, ActResume, "", apperr.Conflict},
		{Paused, ActComplete, "", apperr.Conflict}, // never completes while paused
		{Completed, ActStart, "", apperr.Conflict},
		{Cancelled, ActResume, "", apperr.Conflict},
		{"bogus", ActStart, "", apperr.Internal},
	} {
		got, err := Transition(tc.from, tc.action)
		if tc.kind != "" {
			if !apperr.Is(err, tc.kind) {
				t.Errorf("%s --%s-->: err %v, want kind %s", tc.from, tc.action, err, tc.kind)
			}
			continue
		}
		if err != nil || got != tc.to {
			t.Errorf("%s --%s--> %q, %v; want %s", tc.from, tc.action, got, err, tc.to)
		}
	}
	_, err := Transition(Running, ActResume)
	if want := "a running campaign cannot resume (it can: cancel, complete, pause)"; err == nil || err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

func valid() Campaign {
	return Campaign{Name: "dbl11", Segment: "vip", Channels: []string{"email", "sms"}, Mode: ModeBest,
		Variants: EvenVariants(2), Holdout: 0.1, Approval: ApprovalAuto, Schedule: Schedule{Kind: StartNow}}
}

func TestValidate(t *testing.T) {
	known := func(ch string) bool { return slices.Contains([]string{"email", "sms", "push"}, ch) }
	if err := valid().Validate(known); err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*Campaign){
		"no name":         func(c *Campaign) { c.Name = "" },
		"space in name":   func(c *Campaign) { c.Name = "a b" },
		"no segment":      func(c *Campaign) { c.Segment = "" },
		"no channel":      func(c *Campaign) { c.Channels = nil },
		"unknown":         func(c *Campaign) { c.Channels = []string{"fax"} },
		"twice":           func(c *Campaign) { c.Channels = []string{"sms", "sms"} },
		"mode":            func(c *Campaign) { c.Mode = "some" },
		"holdout":         func(c *Campaign) { c.Holdout = 0.6 },
		"approval":        func(c *Campaign) { c.Approval = "yes" },
		"weight":          func(c *Campaign) { c.Variants[1].Weight = 0 },
		"variant twice":   func(c *Campaign) { c.Variants[1].Name = "A" },
		"at without time": func(c *Campaign) { c.Schedule = Schedule{Kind: StartAt} },
		"schedule kind":   func(c *Campaign) { c.Schedule.Kind = "later" },
		"negative rate":   func(c *Campaign) { c.Rates = map[string]float64{"sms": -1} },
	} {
		c := valid()
		mut(&c)
		if err := c.Validate(known); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
	}
	c := valid()
	c.Schedule = Schedule{Kind: StartAt, At: time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)}
	if err := c.Validate(known); err != nil {
		t.Errorf("scheduled: %v", err)
	}
}

func TestVariantName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 1: "B", 25: "Z", 26: "V27"} {
		if got := VariantName(i); got != want {
			t.Errorf("VariantName(%d) = %s, want %s", i, got, want)
		}
	}
}

// Assignment is a pure function of the campaign and the customer, the
// holdout share is met, and the variants split the rest by their weights
// (here 1:3) within a few standard errors on 100,000 customers.
func TestAssign(t *testing.T) {
	vs := []Variant{{"A", 1}, {"B", 3}}
	const n = 100000
	hold, counts := 0, make([]int, 2)
	for i := range n {
		id := fmt.Sprintf("C%06d", i)
		a := Assign("spring", id, 0.1, vs)
		if b := Assign("spring", id, 0.1, vs); b != a {
			t.Fatalf("%s: %v then %v", id, a, b)
		}
		if a.Holdout {
			if a.Variant != -1 {
				t.Fatalf("holdout with variant %d", a.Variant)
			}
			hold++
			continue
		}
		counts[a.Variant]++
	}
	within := func(name string, got, total int, p float64) {
		se := math.Sqrt(p * (1 - p) / float64(total))
		if share := float64(got) / float64(total); math.Abs(share-p) > 4*se {
			t.Errorf("%s share %.4f, want %.4f ± %.4f", name, share, p, 4*se)
		}
	}
	within("holdout", hold, n, 0.1)
	within("variant B among the rest", counts[1], n-hold, 0.75)
	// Another campaign draws afresh: the arms are not the same people.
	same := 0
	for i := range 10000 {
		id := fmt.Sprintf("C%06d", i)
		if Assign("spring", id, 0.5, nil).Holdout == Assign("autumn", id, 0.5, nil).Holdout {
			same++
		}
	}
	within("agreement between campaigns", same, 10000, 0.5)
	if a := Assign("x", "y", 0, EvenVariants(1)); a.Holdout || a.Variant != 0 {
		t.Errorf("single variant, no holdout: %v", a)
	}
}

func TestOrderAndChoose(t *testing.T) {
	chs := []string{"email", "sms", "push"}
	if got := Order(chs, nil); !slices.Equal(got, chs) {
		t.Errorf("no history: %v", got)
	}
	// She ignores email and reads SMS: SMS first.
	h := map[string]Engagement{"email": {Sent: 20, Engaged: 0}, "sms": {Sent: 5, Engaged: 3}}
	if got := Order(chs, h); !slices.Equal(got, []string{"sms", "push", "email"}) {
		t.Errorf("history: %v", got)
	}
	// Two messages without engagement are not yet enough to drop email.
	if got := Order(chs, map[string]Engagement{"email": {Sent: 2}}); got[0] != "email" {
		t.Errorf("thin history: %v", got)
	}
	open := map[string]Openness{
		"email": {Open: false, Code: "no_consent", Reason: "never granted marketing by email"},
		"sms":   {Open: false, Code: "suppressed", Reason: "on the suppression list"},
		"push":  {Open: true},
	}
	r := Choose(ModeBest, chs, nil, open)
	if !slices.Equal(r.Channels, []string{"push"}) || len(r.Fallbacks) != 2 || r.Fallbacks[0].From != "email" || r.Fallbacks[1].Code != "suppressed" {
		t.Errorf("best with fallbacks: %+v", r)
	}
	open["email"] = Openness{Open: true}
	r = Choose(ModeAll, chs, nil, open)
	if !slices.Equal(r.Channels, []string{"email", "push"}) || len(r.Fallbacks) != 0 || len(r.Closed) != 1 {
		t.Errorf("all: %+v", r)
	}
	r = Choose(ModeBest, chs, nil, open)
	if !slices.Equal(r.Channels, []string{"email"}) || len(r.Fallbacks) != 0 {
		t.Errorf("best, first open: %+v", r)
	}
	r = Choose(ModeBest, chs, nil, map[string]Openness{})
	if len(r.Channels) != 0 || len(r.Closed) != 3 || r.Closed[0].Code != "no_consent" {
		t.Errorf("nothing open: %+v", r)
	}
}

// A launch refuses a campaign with a variant that has no copy in any of
// its content runs (its whole share would get nothing), and lets one
// through where a variant lacks copy in some units only (those rows are
// skipped with no_content).
func TestVariantsWritten(t *testing.T) {
	c := Campaign{Name: "ab", Variants: EvenVariants(3)}
	item := func(group string, v int) map[itemKey]content.Item {
		return map[itemKey]content.Item{{group, "email", v}: {ID: group}}
	}
	for _, tc := range []struct {
		name    string
		runs    []map[itemKey]content.Item
		missing string
	}{
		{"every variant somewhere", []map[itemKey]content.Item{merge(item("g1", 0), item("g1", 1)), item("s", 2)}, ""},
		{"variant C nowhere", []map[itemKey]content.Item{merge(item("g1", 0), item("g2", 1)), nil}, "variant C"},
		{"only A", []map[itemKey]content.Item{item("g1", 0), item("s", 0)}, "variant B, C"},
		{"nothing written", []map[itemKey]content.Item{{}, nil}, ""},
	} {
		err := variantsWritten(c, tc.runs)
		switch {
		case tc.missing == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.missing != "" && (!apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.missing)):
			t.Errorf("%s: got %v, want Invalid naming %s", tc.name, err, tc.missing)
		}
	}
	if err := variantsWritten(Campaign{Name: "one", Variants: EvenVariants(1)}, nil); err != nil {
		t.Errorf("one variant: %v", err)
	}
}

func merge(ms ...map[itemKey]content.Item) map[itemKey]content.Item {
	out := map[itemKey]content.Item{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// TestActUnknown: an action a person cannot ask for by name is NotFound,
// before anything is read (schedule, start and complete are the
// service's own moves).
func TestActUnknown(t *testing.T) {
	for _, action := range []string{"", "explode", ActStart, ActSchedule, ActComplete} {
		if _, err := (&Service{}).Act(context.Background(), action, "spring"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Act(%q) error %v; want NotFound", action, err)
		}
	}
}
