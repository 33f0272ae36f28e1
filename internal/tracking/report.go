package tracking

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// ReportStore is what a campaign report reads. It is declared here, by
// its consumer; store/sqlstore implements it.
type ReportStore interface {
	// GetCampaign returns a campaign by name or a NotFound error.
	GetCampaign(ctx context.Context, name string) (campaign.Campaign, error)
	// ListSends visits a campaign's rows of the send table.
	ListSends(ctx context.Context, id int64, state string, afterID int64, limit int, fn func(campaign.Send) error) error
	// CampaignHits visits the hits of the campaign's sends.
	CampaignHits(ctx context.Context, campaignID int64, fn func(Hit) error) error
	// RecipientTouches visits the human clicks and opens, on any
	// campaign, of the campaign's recipients at or after since.
	RecipientTouches(ctx context.Context, campaignID int64, since time.Time, fn func(Touch) error) error
	// RecipientOrders visits the purchase and refund events of the
	// campaign's recipients, grouped by customer, in time order.
	RecipientOrders(ctx context.Context, campaignID int64, fn func(event.Event) error) error
	// TestPlan and RestSends read a tested campaign's plan and the rows
	// of its rest (see campaign.TestStore).
	TestPlan(ctx context.Context, campaignID int64) (campaign.TestPlan, bool, error)
	RestSends(ctx context.Context, campaignID int64) (map[int64]bool, error)
}

// Segmenter names each customer's segment for reports split by segment
// (the RFM segment insight computes now).
type Segmenter func(ctx context.Context, customerIDs []string) (map[string]string, error)

// Report dimensions (--by).
const (
	ByVariant = "variant"
	ByChannel = "channel"
	BySegment = "segment"
)

// ReportOptions shape a report.
type ReportOptions struct {
	// By splits the cells (any of variant, channel, segment, in order).
	By []string
	// Rule is the attribution rule.
	Rule Rule
	// Experiment are the statistics' options; Sequential asks for
	// always-valid figures.
	Experiment experiment.Options
	// Segments names the recipients' segments (needed for BySegment).
	Segments Segmenter
	// Now is the report's time [time.Now].
	Now func() time.Time
}

// Cell is one group of recipients (a variant, a channel, a segment or a
// combination) and what happened to them. Counts of people are distinct
// customers in the cell; rates are over the cell's recipients
// (conversion, revenue per recipient) or its delivered messages (CTR,
// open rate).
type Cell struct {
	Variant string `json:"variant,omitempty"`
	Channel string `json:"channel,omitempty"`
	Segment string `json:"segment,omitempty"`

	// Recipients are the people assigned to the cell (sent, skipped,
	// failed or pending alike: the basis of every per-recipient rate);
	// Sent those whose message went out; Delivered those whose message
	// went out and did not bounce or fail afterwards.
	Recipients int64 `json:"recipients"`
	Sent       int64 `json:"sent"`
	Delivered  int64 `json:"delivered"`
	Skipped    int64 `json:"skipped"`
	Failed     int64 `json:"failed"`
	Pending    int64 `json:"pending"`
	// Opens are people with a human open (a human click counts as an
	// open: images may be blocked); Clicks people with a human click.
	Opens  int64 `json:"opens"`
	Clicks int64 `json:"clicks"`
	// MachineOpens and MachineClicks are people whose opens or clicks
	// were all a machine's (Apple's proxy, a scanner), left out above.
	MachineOpens  int64 `json:"machine_opens"`
	MachineClicks int64 `json:"machine_clicks"`
	// Conversions are people with at least one order credited to the
	// cell's sends (last click; view-through when on); Orders the
	// credited orders and Revenue their value net of refunds.
	Conversions int64   `json:"conversions"`
	Orders      int64   `json:"orders"`
	Revenue     float64 `json:"revenue"`

	Unsubscribes int64 `json:"unsubscribes"`
	Bounces      int64 `json:"bounces"`
	Complaints   int64 `json:"complaints"`

	OpenRate            float64 `json:"open_rate"`
	CTR                 float64 `json:"ctr"`
	CTOR                float64 `json:"ctor"`
	CVR                 float64 `json:"cvr"`
	RevenuePerRecipient float64 `json:"revenue_per_recipient"`
	UnsubscribeRate     float64 `json:"unsubscribe_rate"`
	BounceRate          float64 `json:"bounce_rate"`
	ComplaintRate       float64 `json:"complaint_rate"`

	people   map[string]*person
	revenues map[string]float64
}

// person is one customer's facts within a cell.
type person struct {
	sent, delivered, skipped, failed, pending         bool
	open, click, machineOpen, machineClick, converted bool
	unsub, bounce, complaint                          bool
}

// Arm is one side of the holdout comparison: people and their purchases
// in the measurement window (any purchase, clicked or not, so that the
// treated and the held-out are measured alike).
type Arm struct {
	Recipients  int64   `json:"recipients"`
	Conversions int64   `json:"conversions"`
	Revenue     float64 `json:"revenue"`
	CVR         float64 `json:"cvr"`
	// RevenuePerRecipient is Revenue over Recipients.
	RevenuePerRecipient float64 `json:"revenue_per_recipient"`
	moments             experiment.Moments
}

// Lift is the campaign against its holdout: the `lift` object of the
// report (estimate, ci_low, ci_high and p_value of the difference in
// conversion rate, treated minus holdout, plus revenue per recipient),
// with the arms it was computed from.
type Lift struct {
	experiment.Lift
	Treated Arm `json:"treated"`
	Holdout Arm `json:"holdout"`
}

// Report is `chorus campaign report`: per variant, per requested cell,
// the holdout, the total, the lift against the holdout and the A/B test
// of the variants.
type Report struct {
	Campaign string `json:"campaign"`
	State    string `json:"state"`
	// Method is fixed_horizon or sequential: what the lift's and the
	// test's p-values and intervals are.
	Method      experiment.Method `json:"method"`
	Attribution Rule              `json:"attribution"`
	// Window is the measurement window of the holdout comparison: from
	// each person's planned send time for Rule.Window (in JSON, the
	// attribution's window says it).
	Window time.Duration `json:"-"`
	By     []string      `json:"by,omitempty"`
	// Variants are the variants' recipients (of a tested campaign: the
	// test group only); Cells split everyone sent to by By.
	Variants []Cell `json:"variants"`
	Cells    []Cell `json:"cells,omitempty"`
	// TestPlan is a tested campaign's plan and decision ("test on X%,
	// then send the winner"); Rest the recipients who waited for the
	// winner.
	TestPlan *campaign.TestPlan `json:"test_plan,omitempty"`
	Rest     *Cell              `json:"rest,omitempty"`
	Holdout  *Cell              `json:"holdout,omitempty"`
	Total    Cell               `json:"total"`
	Lift     *Lift              `json:"lift,omitempty"`
	// Test compares the variants (the first is the control) on credited
	// conversions and revenue (of a tested campaign: in the test group).
	Test        *experiment.Report `json:"test,omitempty"`
	Warnings    []string           `json:"warnings"`
	GeneratedAt time.Time          `json:"generated_at"`
}

// Reporter builds campaign reports.
type Reporter struct {
	Store ReportStore
}

// ParseBy reads --by: a comma-separated list of variant, channel and
// segment. Errors are apperr.Invalid.
func ParseBy(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if p != ByVariant && p != ByChannel && p != BySegment {
			return nil, apperr.New(apperr.Invalid, "--by %q: use variant, channel or segment (comma-separated)", p)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// Report builds the report of campaign name. Errors: NotFound for an
// unknown campaign, Invalid for a campaign not yet launched or options
// that do not fit it, and the store's.
func (rp Reporter) Report(ctx context.Context, name string, o ReportOptions) (Report, error) {
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	if o.Rule.Window <= 0 {
		return Report{}, apperr.New(apperr.Invalid, "the attribution window must be positive")
	}
	c, err := rp.Store.GetCampaign(ctx, name)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Campaign: c.Name, State: c.State, Attribution: o.Rule, Window: o.Rule.Window, By: o.By,
		Method: experiment.FixedHorizon, Warnings: []string{}, GeneratedAt: now().UTC()}
	if o.Experiment.Sequential {
		rep.Method = experiment.Sequential
	}
	var sends []campaign.Send
	if err := rp.Store.ListSends(ctx, c.ID, "", 0, 0, func(s campaign.Send) error {
		sends = append(sends, s)
		return nil
	}); err != nil {
		return Report{}, err
	}
	if len(sends) == 0 {
		return Report{}, apperr.New(apperr.Invalid, "campaign %s has no recipients yet: launch it first (chorus campaign launch %s)", c.Name, c.Name)
	}
	rest := map[int64]bool{}
	if plan, ok, err := rp.Store.TestPlan(ctx, c.ID); err != nil {
		return Report{}, err
	} else if ok {
		rep.TestPlan = &plan
		if rest, err = rp.Store.RestSends(ctx, c.ID); err != nil {
			return Report{}, err
		}
	}
	bySend := make(map[int64]campaign.Send, len(sends))
	start := time.Time{}
	planned := map[string]time.Time{} // each person's earliest planned send
	var ids []string
	for _, s := range sends {
		bySend[s.ID] = s
		if start.IsZero() || s.PlannedAt.Before(start) {
			start = s.PlannedAt
		}
		if p, ok := planned[s.CustomerID]; !ok || s.PlannedAt.Before(p) {
			if !ok {
				ids = append(ids, s.CustomerID)
			}
			planned[s.CustomerID] = s.PlannedAt
		}
	}

	var segs map[string]string
	if slices.Contains(o.By, BySegment) {
		if o.Segments == nil {
			return Report{}, apperr.New(apperr.Invalid, "--by segment needs the customers' segments, which this report cannot compute")
		}
		if segs, err = o.Segments(ctx, ids); err != nil {
			return Report{}, err
		}
	}

	// What happened to each send.
	type facts struct {
		open, click, machineOpen, machineClick, unsub, bounce, complaint, delivered bool
	}
	hits := map[int64]*facts{}
	if err := rp.Store.CampaignHits(ctx, c.ID, func(h Hit) error {
		f := hits[h.SendID]
		if f == nil {
			f = &facts{}
			hits[h.SendID] = f
		}
		switch h.Kind {
		case KindOpen:
			if h.Machine {
				f.machineOpen = true
			} else {
				f.open = true
			}
		case KindClick:
			if h.Machine {
				f.machineClick = true
			} else {
				f.click, f.open = true, true
			}
		case KindUnsubscribe:
			f.unsub = true
		case KindBounce, KindFailed:
			f.bounce = true
		case KindComplaint:
			f.complaint = true
		case KindDelivered:
			f.delivered = true
		}
		return nil
	}); err != nil {
		return Report{}, err
	}

	// Attribution: the recipients' orders against every human touch.
	var touches []Touch
	if err := rp.Store.RecipientTouches(ctx, c.ID, start, func(t Touch) error {
		touches = append(touches, t)
		return nil
	}); err != nil {
		return Report{}, err
	}
	var orders []Order
	var cur []event.Event
	flush := func() {
		if len(cur) > 0 {
			orders = append(orders, NetRevenue(cur[0].CustomerID, cur)...)
		}
		cur = cur[:0]
	}
	if err := rp.Store.RecipientOrders(ctx, c.ID, func(e event.Event) error {
		if len(cur) > 0 && cur[0].CustomerID != e.CustomerID {
			flush()
		}
		cur = append(cur, e)
		return nil
	}); err != nil {
		return Report{}, err
	}
	flush()
	credits := map[int64][]Credit{}
	for _, cr := range Attribute(orders, touches, o.Rule) {
		if _, ours := bySend[cr.SendID]; ours {
			credits[cr.SendID] = append(credits[cr.SendID], cr)
		}
	}

	// Cells.
	cellOf := func(s campaign.Send, dims []string) Cell {
		var k Cell
		for _, d := range dims {
			switch d {
			case ByVariant:
				k.Variant = s.Variant
			case ByChannel:
				k.Channel = s.Channel
			case BySegment:
				k.Segment = segs[s.CustomerID]
				if k.Segment == "" {
					k.Segment = "unknown"
				}
			}
		}
		return k
	}
	type key struct{ v, ch, seg string }
	groups := func(dims []string, include func(campaign.Send) bool) map[key]*Cell {
		m := map[key]*Cell{}
		for _, s := range sends {
			if !include(s) {
				continue
			}
			k := cellOf(s, dims)
			kk := key{k.Variant, k.Channel, k.Segment}
			cl := m[kk]
			if cl == nil {
				k.people, k.revenues = map[string]*person{}, map[string]float64{}
				cl = &k
				m[kk] = cl
			}
			p := cl.people[s.CustomerID]
			if p == nil {
				p = &person{}
				cl.people[s.CustomerID] = p
			}
			f := hits[s.ID]
			if f == nil {
				f = &facts{}
			}
			switch s.State {
			case campaign.SendSent:
				p.sent = true
				if !f.bounce {
					p.delivered = true
				}
			case campaign.SendSkipped:
				p.skipped = true
			case campaign.SendFailed:
				p.failed = true
			case campaign.SendPending:
				p.pending = true
			}
			p.open = p.open || f.open
			p.click = p.click || f.click
			p.machineOpen = p.machineOpen || f.machineOpen
			p.machineClick = p.machineClick || f.machineClick
			p.unsub = p.unsub || f.unsub
			p.bounce = p.bounce || f.bounce
			p.complaint = p.complaint || f.complaint
			for _, cr := range credits[s.ID] {
				p.converted = true
				cl.Orders++
				cl.Revenue += cr.Order.Net
				cl.revenues[s.CustomerID] += cr.Order.Net
			}
		}
		for _, cl := range m {
			cl.finish()
		}
		return m
	}
	treated := func(s campaign.Send) bool { return s.State != campaign.SendHoldout }
	tested := func(s campaign.Send) bool { return treated(s) && !rest[s.ID] }
	sorted := func(m map[key]*Cell) []Cell {
		out := make([]Cell, 0, len(m))
		for _, cl := range m {
			out = append(out, *cl)
		}
		sort.Slice(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.Variant != b.Variant {
				return variantLess(c, a.Variant, b.Variant)
			}
			if a.Channel != b.Channel {
				return a.Channel < b.Channel
			}
			return a.Segment < b.Segment
		})
		return out
	}
	vcells := groups([]string{ByVariant}, tested)
	rep.Variants = sorted(vcells)
	// variants without recipients still show, with zeros
	for _, v := range c.Variants {
		if _, ok := vcells[key{v: v.Name}]; !ok {
			rep.Variants = append(rep.Variants, Cell{Variant: v.Name})
		}
	}
	if len(o.By) > 0 {
		rep.Cells = sorted(groups(o.By, treated))
	}
	for _, cl := range groups(nil, treated) {
		rep.Total = *cl
	}
	if len(rest) > 0 {
		for _, cl := range groups(nil, func(s campaign.Send) bool { return rest[s.ID] }) {
			r := *cl
			if rep.TestPlan != nil {
				r.Variant = rep.TestPlan.Winner
			}
			rep.Rest = &r
		}
	}
	hold := groups(nil, func(s campaign.Send) bool { return s.State == campaign.SendHoldout })
	for _, cl := range hold {
		h := *cl
		rep.Holdout = &h
	}

	// The holdout comparison: purchases in each person's window.
	if rep.Holdout != nil {
		inWindow := map[string]float64{}
		bought := map[string]bool{}
		for _, od := range orders {
			p, ok := planned[od.CustomerID]
			if !ok || od.Cancelled || od.At.Before(p) || od.At.Sub(p) > o.Rule.Window {
				continue
			}
			bought[od.CustomerID] = true
			inWindow[od.CustomerID] += od.Net
		}
		arm := func(m map[string]*person) Arm {
			var a Arm
			for id := range m {
				a.Recipients++
				if bought[id] {
					a.Conversions++
				}
				r := inWindow[id]
				a.Revenue += r
				a.moments.Sum += r
				a.moments.SumSq += r * r
			}
			a.moments.N = a.Recipients
			if a.Recipients > 0 {
				a.CVR = float64(a.Conversions) / float64(a.Recipients)
				a.RevenuePerRecipient = a.Revenue / float64(a.Recipients)
			}
			return a
		}
		var tp, hp map[string]*person
		for _, cl := range groups(nil, treated) {
			tp = cl.people
		}
		for _, cl := range hold {
			hp = cl.people
		}
		t, h := arm(tp), arm(hp)
		tm, hm := t.moments, h.moments
		l, err := experiment.HoldoutLift(
			experiment.Arm{Name: "treated", Recipients: t.Recipients, Conversions: t.Conversions, Revenue: &tm, Weight: 1 - c.Holdout},
			experiment.Arm{Name: "holdout", Recipients: h.Recipients, Conversions: h.Conversions, Revenue: &hm, Weight: c.Holdout},
			o.Experiment)
		if err != nil {
			rep.Warnings = append(rep.Warnings, "no lift against the holdout: "+err.Error())
		} else {
			rep.Lift = &Lift{Lift: l, Treated: t, Holdout: h}
			rep.Warnings = append(rep.Warnings, l.Warnings...)
		}
	} else if c.Holdout > 0 {
		rep.Warnings = append(rep.Warnings, "the campaign has a holdout share but no held-out recipients: no lift can be measured")
	}

	// The A/B test of the variants on credited conversions and revenue.
	if len(c.Variants) > 1 {
		var arms []experiment.Arm
		for i, v := range c.Variants {
			cl, ok := vcells[key{v: v.Name}]
			if !ok || cl.Recipients == 0 {
				continue
			}
			m := experiment.Moments{N: cl.Recipients}
			for _, r := range cl.revenues {
				m.Sum += r
				m.SumSq += r * r
			}
			arms = append(arms, experiment.Arm{Name: v.Name, Recipients: cl.Recipients, Conversions: cl.Conversions,
				Revenue: &m, Weight: v.Weight, Control: i == 0})
		}
		if len(arms) > 1 && arms[0].Control {
			tr, err := experiment.Analyze(arms, o.Experiment)
			if err != nil {
				rep.Warnings = append(rep.Warnings, "no test of the variants: "+err.Error())
			} else {
				rep.Test = &tr
			}
		}
	}
	if rep.State != campaign.Completed && rep.Method == experiment.FixedHorizon && rep.Lift != nil {
		rep.Warnings = append(rep.Warnings, "the campaign is still "+rep.State+": fixed-horizon figures are valid only at the planned end; use --sequential to look while it runs")
	}
	return rep, nil
}

// finish turns a cell's people into its counts and rates.
func (cl *Cell) finish() {
	for _, p := range cl.people {
		cl.Recipients++
		b := func(v bool, n *int64) {
			if v {
				*n++
			}
		}
		b(p.sent, &cl.Sent)
		b(p.delivered, &cl.Delivered)
		b(p.skipped && !p.sent, &cl.Skipped)
		b(p.failed && !p.sent, &cl.Failed)
		b(p.pending && !p.sent, &cl.Pending)
		b(p.open, &cl.Opens)
		b(p.click, &cl.Clicks)
		b(p.machineOpen && !p.open, &cl.MachineOpens)
		b(p.machineClick && !p.click, &cl.MachineClicks)
		b(p.converted, &cl.Conversions)
		b(p.unsub, &cl.Unsubscribes)
		b(p.bounce, &cl.Bounces)
		b(p.complaint, &cl.Complaints)
	}
	div := func(a, b int64) float64 {
		if b == 0 {
			return 0
		}
		return float64(a) / float64(b)
	}
	cl.OpenRate = div(cl.Opens, cl.Delivered)
	cl.CTR = div(cl.Clicks, cl.Delivered)
	cl.CTOR = div(cl.Clicks, cl.Opens)
	cl.CVR = div(cl.Conversions, cl.Recipients)
	if cl.Recipients > 0 {
		cl.RevenuePerRecipient = cl.Revenue / float64(cl.Recipients)
	}
	cl.UnsubscribeRate = div(cl.Unsubscribes, cl.Delivered)
	cl.BounceRate = div(cl.Bounces, cl.Sent)
	cl.ComplaintRate = div(cl.Complaints, cl.Delivered)
}

// variantLess orders variants as the campaign lists them.
func variantLess(c campaign.Campaign, a, b string) bool {
	ia, ib := len(c.Variants), len(c.Variants)
	for i, v := range c.Variants {
		if v.Name == a {
			ia = i
		}
		if v.Name == b {
			ib = i
		}
	}
	if ia != ib {
		return ia < ib
	}
	return a < b
}
