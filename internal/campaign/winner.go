package campaign

import (
	"context"
	"encoding/json"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/experiment"
)

// TestPlan is "test on Share of the audience, then send the winner to the
// rest": at launch, Share of the non-holdout recipients (drawn by an
// independent hash) get the variants as usual; the others wait, as rows
// with code awaiting_winner and no variant, until Window after the
// planned start. The first of their batches to come due has the test
// judged (Judge: the decision rule of internal/experiment on the test
// group's credited conversions or revenue) and moves every waiting row to
// the winning variant, or, with no clear winner, to Default (the first
// variant unless declared); the decision and its reason are kept.
type TestPlan struct {
	Share  float64       `json:"share"`
	Window time.Duration `json:"-"`
	// Metric is conversion_rate or revenue_per_recipient.
	Metric  experiment.Metric `json:"metric"`
	Default string            `json:"default,omitempty"`

	// Set once decided.
	Winner    string               `json:"winner,omitempty"`
	Decision  *experiment.Decision `json:"decision,omitempty"`
	DecidedAt time.Time            `json:"decided_at,omitzero"`
}

// testPlanJSON is TestPlan as JSON, its window as a duration people read
// and in seconds.
type testPlanJSON struct {
	alias
	Window        string `json:"window"`
	WindowSeconds int64  `json:"window_seconds"`
}

type alias TestPlan

// MarshalJSON writes the window as a duration and in seconds.
func (p TestPlan) MarshalJSON() ([]byte, error) {
	return json.Marshal(testPlanJSON{alias: alias(p), Window: p.Window.String(), WindowSeconds: int64(p.Window / time.Second)})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (p *TestPlan) UnmarshalJSON(b []byte) error {
	var j testPlanJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*p = TestPlan(j.alias)
	p.Window = time.Duration(j.WindowSeconds) * time.Second
	return nil
}

// CodeAwaitingWinner marks a row of the rest of a tested campaign before
// the test is decided.
const CodeAwaitingWinner = "awaiting_winner"

// Validate checks a plan against its campaign; messages name the flag.
func (p TestPlan) Validate(c Campaign) error {
	switch {
	case len(c.Variants) < 2:
		return apperr.New(apperr.Invalid, "campaign %s: a test needs at least two variants (--variants 2)", c.Name)
	case !(p.Share > 0 && p.Share < 1):
		return apperr.New(apperr.Invalid, "campaign %s: --test %.4g%%: use more than 0 and less than 100", c.Name, p.Share*100)
	case p.Window < time.Second:
		return apperr.New(apperr.Invalid, "campaign %s: --test-window %s: use a duration such as 24h (at least 1s)", c.Name, p.Window)
	case p.Metric != experiment.MetricConversion && p.Metric != experiment.MetricRevenue:
		return apperr.New(apperr.Invalid, "campaign %s: --test-metric %q: use conversion_rate or revenue_per_recipient", c.Name, p.Metric)
	}
	if p.Default != "" {
		for _, v := range c.Variants {
			if v.Name == p.Default {
				return nil
			}
		}
		return apperr.New(apperr.Invalid, "campaign %s: --test-default %s is not one of its variants", c.Name, p.Default)
	}
	return nil
}

// InTest reports whether a customer is in a tested campaign's test group.
func InTest(key, customerID string, share float64) bool {
	return unit("chorus/test/v1", key, customerID) < share
}

// TestCandidate is the content a waiting row would get with one variant.
type TestCandidate struct {
	CustomerID string
	Channel    string
	Variant    string
	ContentID  string
}

// TestStore keeps test plans and their decisions. store/sqlstore
// implements it on both engines.
type TestStore interface {
	// SaveTestPlan stores a draft campaign's plan (replacing one).
	SaveTestPlan(ctx context.Context, campaignID int64, p TestPlan) error
	// TestPlan returns a campaign's plan; ok is false for a campaign
	// without a test.
	TestPlan(ctx context.Context, campaignID int64) (p TestPlan, ok bool, err error)
	// SaveTestCandidates stores the waiting rows' content per variant
	// (replacing what a failed launch left).
	SaveTestCandidates(ctx context.Context, campaignID int64, cs []TestCandidate) error
	// DecideTest records the decision unless one is recorded, and moves
	// every waiting row to the winner with its candidate content (a row
	// without one becomes skipped content_not_approved), in one
	// transaction; it returns the plan as stored (with the decision made
	// first, when another process made one).
	DecideTest(ctx context.Context, campaignID int64, d experiment.Decision, at time.Time) (TestPlan, error)
	// RestSends returns the ids of the campaign's rows that wait or waited
	// for the winner.
	RestSends(ctx context.Context, campaignID int64) (map[int64]bool, error)
}

// Judge decides a test from what its group did (tracking implements it).
type Judge interface {
	JudgeTest(ctx context.Context, c Campaign, p TestPlan) (experiment.Decision, error)
}

// SetTest attaches a test plan to a draft campaign. Errors: Invalid for a
// bad plan, Conflict for a campaign past draft, Unavailable without a
// test store.
func (s *Service) SetTest(ctx context.Context, name string, p TestPlan) (TestPlan, error) {
	if s.Tests == nil {
		return p, apperr.New(apperr.Unavailable, "tests are not available in this process")
	}
	c, err := s.Get(ctx, name)
	if err != nil {
		return p, err
	}
	if c.State != Draft {
		return p, apperr.New(apperr.Conflict, "campaign %s is %s: a test can only be set on a draft", c.Name, c.State)
	}
	if p.Metric == "" {
		p.Metric = experiment.MetricConversion
	}
	if err := p.Validate(c); err != nil {
		return p, err
	}
	p.Winner, p.Decision, p.DecidedAt = "", nil, time.Time{}
	return p, s.Tests.SaveTestPlan(ctx, c.ID, p)
}

// testPlan is c's plan, nil without one (or without a test store).
func (s *Service) testPlan(ctx context.Context, c Campaign) (*TestPlan, error) {
	if s.Tests == nil {
		return nil, nil
	}
	p, ok, err := s.Tests.TestPlan(ctx, c.ID)
	if err != nil || !ok {
		return nil, err
	}
	return &p, nil
}

// settleTest decides c's test once (by the Judge; without one the
// default goes out, and the decision says why) and moves the waiting
// rows to the winner.
func (s *Service) settleTest(ctx context.Context, c Campaign) error {
	p, err := s.testPlan(ctx, c)
	if err != nil {
		return err
	}
	if p == nil {
		return apperr.New(apperr.Internal, "campaign %s has rows awaiting a winner but no test", c.Name)
	}
	if p.Winner != "" {
		_, err := s.Tests.DecideTest(ctx, c.ID, *p.Decision, p.DecidedAt) // moves rows a crash left waiting
		return err
	}
	def := p.Default
	if def == "" {
		def = c.Variants[0].Name
	}
	d := experiment.Decision{Send: def, Code: "no_judge",
		Reason:   "the test could not be judged in this process: the default variant " + def + " goes out",
		ReasonZh: "本进程无法评判测试：发送默认版本 " + def}
	if s.Judge != nil {
		if d, err = s.Judge.JudgeTest(ctx, c, *p); err != nil {
			return err
		}
	}
	_, err = s.Tests.DecideTest(ctx, c.ID, d, s.now())
	return err
}
