package web

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
)

// The wizard's steps, in order.
const (
	StepAudience = iota
	StepChannels
	StepContent
	StepSchedule
	StepReview
)

// WizardSteps are the steps' message keys, in order.
var WizardSteps = []string{"wizard.audience", "wizard.channels", "wizard.content", "wizard.schedule", "wizard.review"}

// CampaignForm is the campaign wizard's state. Every step posts the whole
// form (earlier steps as hidden fields), so the wizard keeps no state on
// the server and works without JavaScript.
type CampaignForm struct {
	Step     int
	Name     string
	Segment  string
	Channels []string
	Mode     string
	Variants int
	// the brief
	Goal, Offer, Deadline, Landing, Sender, Language string
	Approval                                         string
	Start                                            string  // now, window or a local time "2006-01-02T15:04"
	Holdout                                          float64 // percent
	// Err is the message of the step's first problem; Field names it.
	Err, Field string
}

// ParseCampaignForm reads the wizard's form. Numbers that do not parse
// are reported by Check, not here.
func ParseCampaignForm(f url.Values) CampaignForm {
	c := CampaignForm{
		Name: strings.TrimSpace(f.Get("name")), Segment: strings.TrimSpace(f.Get("segment")),
		Mode: f.Get("mode"), Goal: strings.TrimSpace(f.Get("goal")), Offer: strings.TrimSpace(f.Get("offer")),
		Deadline: strings.TrimSpace(f.Get("deadline")), Landing: strings.TrimSpace(f.Get("landing_url")),
		Sender: strings.TrimSpace(f.Get("sender")), Language: f.Get("language"), Approval: f.Get("approval"),
		Start: strings.TrimSpace(f.Get("start")),
	}
	c.Step, _ = strconv.Atoi(f.Get("step"))
	c.Step = min(max(c.Step, StepAudience), StepReview)
	for _, ch := range f["channels"] {
		for _, x := range strings.Split(ch, ",") {
			if x = strings.ToLower(strings.TrimSpace(x)); x != "" && !slices.Contains(c.Channels, x) {
				c.Channels = append(c.Channels, x)
			}
		}
	}
	c.Variants, _ = strconv.Atoi(f.Get("variants"))
	c.Holdout, _ = strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(f.Get("holdout")), "%"), 64)
	if c.Mode == "" {
		c.Mode = campaign.ModeBest
	}
	if c.Approval == "" {
		c.Approval = campaign.ApprovalAuto
	}
	if c.Start == "" {
		c.Start = campaign.StartNow
	}
	if c.Variants == 0 {
		c.Variants = 1
	}
	return c
}

// Check validates the steps up to and including step; the first problem
// is an apperr.Invalid naming the form field (Field) to change.
func (c *CampaignForm) Check(step int, loc *time.Location) error {
	fail := func(field, format string, args ...any) error {
		c.Field = field
		err := apperr.New(apperr.Invalid, format, args...)
		c.Err = err.Error()
		return err
	}
	if step >= StepAudience {
		if c.Name == "" || strings.ContainsAny(c.Name, "/\\ \t\n") {
			return fail("name", "name the campaign with letters, digits, '-' or '_' (no spaces or slashes)")
		}
		if c.Segment == "" {
			return fail("segment", "choose the audience: a saved segment")
		}
	}
	if step >= StepChannels {
		if len(c.Channels) == 0 {
			return fail("channels", "choose at least one channel")
		}
		for _, ch := range c.Channels {
			if _, err := content.SpecFor(ch); err != nil {
				return fail("channels", "%s", err.Error())
			}
		}
		if c.Mode != campaign.ModeBest && c.Mode != campaign.ModeAll {
			return fail("mode", "mode %q: use best or all", c.Mode)
		}
		if c.Variants < 1 || c.Variants > 26 {
			return fail("variants", "variants: use 1 to 26")
		}
	}
	if step >= StepContent {
		if _, err := c.Brief(); err != nil {
			return fail("goal", "%s", err.Error())
		}
		if c.Approval != campaign.ApprovalAuto && c.Approval != campaign.ApprovalManual {
			return fail("approval", "approval %q: use auto or manual", c.Approval)
		}
	}
	if step >= StepSchedule {
		if c.Holdout < 0 || c.Holdout > 50 {
			return fail("holdout", "holdout %.4g%%: use 0 to 50%%", c.Holdout)
		}
		if _, err := c.schedule(loc); err != nil {
			return fail("start", "%s", err.Error())
		}
	}
	return nil
}

// Brief is the brief the content step describes, as the studio reads it.
func (c CampaignForm) Brief() (content.Brief, error) {
	b := content.Brief{Name: c.Name, Goal: c.Goal, Language: c.Language, Channels: c.Channels,
		Offer: content.Offer{Text: c.Offer, Deadline: c.Deadline}, Sender: c.Sender, LandingURL: c.Landing}
	js, err := json.Marshal(b)
	if err != nil {
		return b, err
	}
	return content.ParseBrief("brief", js)
}

func (c CampaignForm) schedule(loc *time.Location) (campaign.Schedule, error) {
	switch c.Start {
	case campaign.StartNow, campaign.StartWindow:
		return campaign.Schedule{Kind: c.Start}, nil
	}
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", c.Start, loc)
	if err != nil {
		return campaign.Schedule{}, apperr.New(apperr.Invalid, "start %q: use now, window or a date and time", c.Start)
	}
	return campaign.Schedule{Kind: campaign.StartAt, At: t}, nil
}

// Campaign is the draft the form describes (Check first).
func (c *CampaignForm) Campaign(loc *time.Location) (campaign.Campaign, error) {
	if err := c.Check(StepSchedule, loc); err != nil {
		return campaign.Campaign{}, err
	}
	b, err := c.Brief()
	if err != nil {
		return campaign.Campaign{}, err
	}
	js, err := json.Marshal(b)
	if err != nil {
		return campaign.Campaign{}, err
	}
	s, _ := c.schedule(loc)
	return campaign.Campaign{Name: c.Name, Segment: c.Segment, Channels: c.Channels, Mode: c.Mode,
		Approval: c.Approval, Depth: content.DepthSegment, Brief: string(js), BriefFile: "console.json",
		Variants: campaign.EvenVariants(c.Variants), Holdout: c.Holdout / 100, Schedule: s}, nil
}

// Progress is a campaign's status as the live progress bar shows it.
type Progress struct {
	Status campaign.Status
	// Done is the share of recipients that are terminal; Live is whether
	// the page should keep polling.
	Done    float64
	Percent float64
	Live    bool
	// CanPause and CanResume say which buttons the state allows.
	CanPause, CanResume bool
}

// NewProgress reads st for the progress fragment.
func NewProgress(st campaign.Status) Progress {
	p := Progress{Status: st}
	total := 0
	for _, v := range st.Counts {
		total += v
	}
	if total > 0 {
		p.Done = float64(total-st.Counts["pending"]) / float64(total)
	}
	p.Percent = p.Done * 100
	switch st.State {
	case campaign.Running, campaign.Scheduled:
		p.Live, p.CanPause = true, true
	case campaign.Paused:
		p.CanResume = true
	}
	return p
}
