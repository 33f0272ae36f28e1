package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery"
)

// Audience lists a segment's members (the segment engine).
type Audience interface {
	Members(ctx context.Context, segment string) ([]string, error)
}

// Studio is the content studio as a campaign uses it: plan and write the
// copy of a run, and approve items. content.Deps implements it.
type Studio interface {
	Prepare(ctx context.Context, req content.CampaignRequest) (*content.Prepared, error)
	Execute(ctx context.Context, p *content.Prepared) (content.Summary, error)
	Review(ctx context.Context, id, to, actor, note string) (content.Item, error)
}

// Content reads what the studio stored.
type Content interface {
	ListItems(ctx context.Context, f content.ItemFilter) ([]content.Item, error)
	ItemsByID(ctx context.Context, ids []string) (map[string]content.Item, error)
	GetRun(ctx context.Context, id string) (content.Run, error)
	GetVoice(ctx context.Context, name string) (content.Voice, error)
}

// Customers reads many customers at once.
type Customers interface {
	CustomersByID(ctx context.Context, ids []string) (map[string]customer.Customer, error)
}

// Gate is the contact policy: a read-only batch judgement for routing at
// launch, and the send-time admission of a batch.
type Gate interface {
	DecideBatch(ctx context.Context, msgs []policy.Message, quietHours bool) ([]policy.Decision, error)
	// AdmitBatchCustomers admits a batch right before its sends and
	// returns the customers it judged (nil: read them separately).
	AdmitBatchCustomers(ctx context.Context, msgs []policy.Message) ([]policy.Decision, map[string]customer.Customer, error)
}

// Service runs campaigns: create, plan, launch, pause, resume, cancel and
// report, and (Deliver) the send of one batch from a queue job.
type Service struct {
	Store     Store
	Audience  Audience
	Studio    Studio
	Content   Content
	Customers Customers
	Gate      Gate
	Queue     Enqueuer
	// Catalog gives the product block; Suppressor takes hard bounces.
	Catalog    Catalog
	Suppressor Suppressor
	// Senders carry each channel; a channel without one fails its sends
	// with no_sender.
	Senders map[string]Channel
	// Links signs tracking links; nil sends messages without tracking
	// (and email is then refused by the SMTP sender for lacking an
	// unsubscribe link).
	Links Linker
	// Log receives a line per batch with sends that did not go out (codes
	// and counts, never addresses); nil is slog.Default().
	Log *slog.Logger
	// Chunk is how many of a batch's messages are claimed, sent at once
	// and recorded together (default 25): the most a killed worker can
	// leave with an unknown outcome per running batch.
	Chunk int
	// BatchSize is the recipients per queue job (default 500). Each job
	// costs the queue a fetch and a completion and the gate one read of
	// consents and suppressions: at 100 these were a fifth of a worker's
	// CPU in bench send.
	BatchSize int
	// Now is the clock (tests); nil is time.Now.
	Now func() time.Time
	// Retry overrides the retry schedule per channel (tests, config).
	Retry map[string]delivery.Schedule
	// Tests keeps "test on X%, then send the winner" plans; Judge decides
	// them (nil: the default variant goes out, and the decision says so).
	Tests TestStore
	Judge Judge
	cache contentCache
	slots channelSlots
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) batchSize() int {
	if s.BatchSize > 0 {
		return s.BatchSize
	}
	return 500
}

// KnownChannels are the channels a campaign can send on: a content form
// and a sender kind exist for each.
var KnownChannels = []string{delivery.Email, delivery.SMS, delivery.Push, delivery.Ad}

// Create validates and stores a draft campaign. Errors: Invalid naming
// the setting, Conflict for a name in use.
func (s *Service) Create(ctx context.Context, c Campaign) (Campaign, error) {
	if c.Mode == "" {
		c.Mode = ModeBest
	}
	if c.Approval == "" {
		c.Approval = ApprovalAuto
	}
	if c.Depth == "" {
		c.Depth = content.DepthSegment
	}
	if len(c.Variants) == 0 {
		c.Variants = EvenVariants(1)
	}
	if c.Schedule.Kind == "" {
		c.Schedule.Kind = StartNow
	}
	if _, err := content.ParseDepth(c.Depth); err != nil {
		return c, err
	}
	if err := c.Validate(func(ch string) bool { return slices.Contains(KnownChannels, ch) }); err != nil {
		return c, apperr.New(apperr.Invalid, "%s (channels that can send: %s)", err, strings.Join(KnownChannels, ", "))
	}
	if strings.TrimSpace(c.Brief) == "" {
		return c, apperr.New(apperr.Invalid, "campaign %s: --brief FILE is required (what the campaign says and offers)", c.Name)
	}
	if _, err := s.brief(c); err != nil {
		return c, err
	}
	c.State = Draft
	c.CreatedAt, c.UpdatedAt = s.now(), s.now()
	return s.Store.CreateCampaign(ctx, c)
}

func (s *Service) brief(c Campaign) (content.Brief, error) {
	name := c.BriefFile
	if name == "" {
		name = "brief.yaml"
	}
	b, err := content.ParseBrief(name, []byte(c.Brief))
	if err != nil {
		return b, err
	}
	if err := b.Check(); err != nil {
		return b, err
	}
	return b, nil
}

// Get returns a campaign by name (NotFound when there is none).
func (s *Service) Get(ctx context.Context, name string) (Campaign, error) {
	return s.Store.GetCampaign(ctx, name)
}

// List returns every campaign.
func (s *Service) List(ctx context.Context) ([]Campaign, error) { return s.Store.ListCampaigns(ctx) }

// Plan is what a campaign would do, before anything is sent or written.
type Plan struct {
	Campaign string `json:"campaign"`
	Segment  string `json:"segment"`
	Audience int    `json:"audience"`
	Holdout  int    `json:"holdout"`
	// Messages per channel, and the people each mode reaches.
	ByChannel map[string]int `json:"by_channel"`
	ByVariant map[string]int `json:"by_variant"`
	Reached   int            `json:"reached"`
	// Skipped counts the rows that would be skipped at launch, by reason.
	Skipped   map[string]int `json:"skipped_by_reason"`
	Fallbacks map[string]int `json:"fallbacks"`
	Content   content.Plan   `json:"content"`
	// Calls are the model calls of a clean run of the chosen depth (the
	// segment-level fallback adds one per language and channel); MaxCalls
	// counts every repair round. Calls already made are not repeated.
	Calls    int                       `json:"model_calls"`
	MaxCalls int                       `json:"max_model_calls"`
	Note     string                    `json:"note,omitempty"`
	Closed   map[string]map[string]int `json:"closed_by_channel"`
}

// Plan shows the audience, the split per channel and variant, the skips
// by reason, and the content's model calls and cost, writing nothing.
func (s *Service) Plan(ctx context.Context, name string) (Plan, error) {
	c, err := s.Get(ctx, name)
	if err != nil {
		return Plan{}, err
	}
	fr, err := s.freeze(ctx, c, nil, nil, nil)
	if err != nil {
		return Plan{}, err
	}
	p := Plan{Campaign: c.Name, Segment: c.Segment, Audience: fr.audience, ByChannel: map[string]int{}, ByVariant: map[string]int{},
		Skipped: map[string]int{}, Fallbacks: map[string]int{}, Closed: map[string]map[string]int{}, Content: fr.prepared.Plan}
	reached := map[string]bool{}
	for _, sd := range fr.sends {
		switch sd.State {
		case SendHoldout:
			p.Holdout++
		case SendSkipped:
			p.Skipped[sd.Code]++
		case SendPending:
			p.ByChannel[sd.Channel]++
			if sd.Code == CodeAwaitingWinner {
				p.ByVariant["rest (the winner)"]++
			} else {
				p.ByVariant[sd.Variant]++
			}
			reached[sd.CustomerID] = true
			if sd.FallbackFrom != "" {
				p.Fallbacks[sd.FallbackFrom+"→"+sd.Channel]++
			}
		}
	}
	for ch, m := range fr.closed {
		p.Closed[ch] = m
	}
	p.Reached = len(reached)
	for _, dc := range p.Content.Depths {
		if dc.Depth == c.Depth {
			p.Calls, p.MaxCalls = dc.Calls, dc.MaxCalls
		}
	}
	if c.Depth != content.DepthSegment {
		// the segment-level fallback run: one call per language and channel
		if b, err := s.brief(c); err == nil {
			if fp, err := s.Studio.Prepare(ctx, s.request(c, b, content.DepthSegment)); err == nil {
				for _, dc := range fp.Plan.Depths {
					if dc.Depth == content.DepthSegment {
						p.Calls += dc.Calls
						p.MaxCalls += dc.MaxCalls
					}
				}
			}
		}
	}
	p.Note = "content not written yet: the skips for unapproved content are known at launch; calls already made by an earlier launch attempt are not repeated"
	return p, nil
}

// frozen is a campaign's recipients as a launch would store them.
type frozen struct {
	audience int
	sends    []Send
	// candidates are the waiting rows' content per variant (tests only).
	candidates []TestCandidate
	prepared   *content.Prepared
	closed     map[string]map[string]int
}

type itemKey struct {
	group, channel string
	variant        int
}

// freeze builds the recipient rows: the segment's members, each placed in
// holdout or a variant, routed to her channels by consent, address and
// suppression, and given her content item. items and fallback are the
// approved items of the main and fallback runs by key (nil when planning:
// every row is then taken as having content).
func (s *Service) freeze(ctx context.Context, c Campaign, p *content.Prepared, items map[itemKey]content.Item, fallback map[itemKey]content.Item) (*frozen, error) {
	b, err := s.brief(c)
	if err != nil {
		return nil, err
	}
	ids, err := s.Audience.Members(ctx, c.Segment)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Invalid, "campaign %s: unknown segment %q (chorus segment list shows them)", c.Name, c.Segment)
		}
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "campaign %s: segment %s has no members", c.Name, c.Segment)
	}
	slices.Sort(ids)
	if p == nil {
		if p, err = s.Studio.Prepare(ctx, s.request(c, b, c.Depth)); err != nil {
			return nil, err
		}
	}
	fr := &frozen{audience: len(ids), prepared: p, closed: map[string]map[string]int{}}
	type placed struct {
		r     content.Recipient
		group string
	}
	byID := map[string]placed{}
	for _, g := range p.Groups {
		for _, i := range g.Members {
			r := p.Recipients[i]
			byID[r.CustomerID] = placed{r, g.Key}
		}
	}
	planned := s.now()
	if c.Schedule.Kind == StartAt && c.Schedule.At.After(planned) {
		planned = c.Schedule.At.UTC()
	}
	// openness of every channel for every non-holdout member
	arms := make(map[string]Arm, len(ids))
	var msgs []policy.Message
	for _, id := range ids {
		a := Assign(c.Name, id, c.Holdout, c.Variants)
		arms[id] = a
		if a.Holdout {
			continue
		}
		for _, ch := range c.Channels {
			msgs = append(msgs, policy.Message{CustomerID: id, Channel: ch, Purpose: policy.Marketing, At: planned, Campaign: c.Name})
		}
	}
	open := make(map[string]map[string]Openness, len(ids))
	for start := 0; start < len(msgs); start += 1000 {
		chunk := msgs[start:min(start+1000, len(msgs))]
		ds, err := s.Gate.DecideBatch(ctx, chunk, false)
		if err != nil {
			return nil, err
		}
		for i, d := range ds {
			m := chunk[i]
			if open[m.CustomerID] == nil {
				open[m.CustomerID] = map[string]Openness{}
			}
			open[m.CustomerID][m.Channel] = Openness{Channel: m.Channel, Open: d.Allow, Code: d.Code, Reason: d.Reason}
			if !d.Allow {
				if fr.closed[m.Channel] == nil {
					fr.closed[m.Channel] = map[string]int{}
				}
				fr.closed[m.Channel][d.Code]++
			}
		}
	}
	history, err := s.engagement(ctx, c, arms)
	if err != nil {
		return nil, err
	}
	// written says whether any item (approved or not) of variant v exists
	// for a group's channel, in the main or the segment-level run
	written := func(group, lang, ch string, v int) bool {
		_, a := items[itemKey{group, ch, v}]
		_, b := fallback[itemKey{segmentKey(c.Segment, lang), ch, v}]
		return a || b
	}
	key := c.sendKeyPrefix()
	test, err := s.testPlan(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		a := arms[id]
		if a.Holdout {
			fr.sends = append(fr.sends, Send{CustomerID: id, State: SendHoldout, Code: CodeHoldout, Reason: "in the holdout group: gets nothing",
				Key: delivery.Key(key, id, ""), PlannedAt: planned})
			continue
		}
		variant := c.Variants[a.Variant].Name
		pl, ok := byID[id]
		route := Choose(c.Mode, c.Channels, history[id], open[id])
		if !ok {
			ch := c.Channels[0]
			if len(route.Channels) > 0 {
				ch = route.Channels[0]
			}
			fr.sends = append(fr.sends, Send{CustomerID: id, Channel: ch, State: SendSkipped, Code: CodeNoContent, Variant: variant,
				Reason: "the studio had no product to write about for her", Key: delivery.Key(key, id, ch), PlannedAt: planned})
			continue
		}
		if len(route.Channels) == 0 {
			cl := route.Closed[0]
			var why []string
			for _, o := range route.Closed {
				why = append(why, o.Channel+": "+o.Code)
			}
			fr.sends = append(fr.sends, Send{CustomerID: id, Channel: cl.Channel, State: SendSkipped, Code: cl.Code, Variant: variant,
				Reason: "no channel is open for her (" + strings.Join(why, "; ") + ")", Key: delivery.Key(key, id, cl.Channel), PlannedAt: planned})
			continue
		}
		if c.Mode == ModeAll {
			for _, o := range route.Closed {
				fr.sends = append(fr.sends, Send{CustomerID: id, Channel: o.Channel, State: SendSkipped, Code: o.Code, Reason: o.Reason,
					Variant: variant, Key: delivery.Key(key, id, o.Channel), PlannedAt: planned})
			}
		}
		for _, ch := range route.Channels {
			sd := Send{CustomerID: id, Channel: ch, State: SendPending, Variant: variant, Language: pl.r.Language, SKU: pl.r.Product.SKU,
				Key: delivery.Key(key, id, ch), PlannedAt: planned, NextAt: planned}
			for _, f := range route.Fallbacks {
				if f.To == ch {
					sd.FallbackFrom, sd.FallbackCode = f.From, f.Code
					break
				}
			}
			approved := func(v int) (content.Item, bool) {
				it, ok := items[itemKey{pl.group, ch, v}]
				if !ok || it.Status != content.StatusApproved {
					it, ok = fallback[itemKey{segmentKey(c.Segment, pl.r.Language), ch, v}]
				}
				return it, ok && it.Status == content.StatusApproved
			}
			if test != nil && !InTest(c.Name, id, test.Share) {
				// the rest: waits for the test's winner, with the content
				// each variant would give her
				sd.Variant, sd.Code = "", CodeAwaitingWinner
				sd.Reason = "waits for the test's winner (decided " + test.Window.String() + " after the start)"
				sd.PlannedAt, sd.NextAt = planned.Add(test.Window), planned.Add(test.Window)
				if items != nil {
					n := len(fr.candidates)
					for v := range c.Variants {
						if it, ok := approved(v); ok {
							fr.candidates = append(fr.candidates, TestCandidate{CustomerID: id, Channel: ch, Variant: c.Variants[v].Name, ContentID: it.ID})
						}
					}
					if len(fr.candidates) == n { // none approved: a marker, so the row stays known as the rest's
						fr.candidates = append(fr.candidates, TestCandidate{CustomerID: id, Channel: ch})
					}
				}
				fr.sends = append(fr.sends, sd)
				continue
			}
			if items != nil {
				if it, ok := approved(a.Variant); !ok && !written(pl.group, pl.r.Language, ch, a.Variant) {
					// the writer gave fewer distinct variants than the
					// campaign has: nothing of hers to send, and said so
					sd.State, sd.Code, sd.NextAt = SendSkipped, CodeNoContent, time.Time{}
					sd.Reason = "variant " + variant + " has no copy for her on " + ch + " (the writer gave fewer distinct variants than the campaign has)"
				} else if !ok {
					sd.State, sd.Code, sd.NextAt = SendSkipped, CodeContentNotApproved, time.Time{}
					sd.Reason = "no approved item for her on " + ch + " (flagged or rejected, and no approved segment-level item)"
				} else {
					sd.ContentID = it.ID
				}
			}
			fr.sends = append(fr.sends, sd)
		}
	}
	return fr, nil
}

// engagement reads the audience's history per channel of the campaign
// (mode best ranks her channels by it; see Order). Only members not held
// out, and only the campaign's channels, are kept.
func (s *Service) engagement(ctx context.Context, c Campaign, arms map[string]Arm) (map[string]map[string]Engagement, error) {
	out := map[string]map[string]Engagement{}
	if c.Mode != ModeBest || len(c.Channels) < 2 {
		return out, nil // the order changes nothing
	}
	err := s.Store.ChannelEngagement(ctx, func(id, ch string, e Engagement) error {
		if a, ok := arms[id]; !ok || a.Holdout || !slices.Contains(c.Channels, ch) {
			return nil
		}
		if out[id] == nil {
			out[id] = map[string]Engagement{}
		}
		out[id][ch] = e
		return nil
	})
	return out, err
}

func segmentKey(segment, lang string) string { return "s|" + segment + "|" + lang }

func (c Campaign) sendKeyPrefix() string {
	return "campaign/" + strconv.FormatInt(c.ID, 10) + "/" + c.Name
}

func (s *Service) request(c Campaign, b content.Brief, depth string) content.CampaignRequest {
	return content.CampaignRequest{Brief: b, Segment: c.Segment, Channels: c.Channels, Depth: depth, Variants: len(c.Variants)}
}

// Launched is what a launch did.
type Launched struct {
	Campaign   Campaign        `json:"campaign"`
	Content    content.Summary `json:"content"`
	Fallback   content.Summary `json:"fallback_content,omitzero"`
	Approved   int             `json:"auto_approved"`
	Status     Status          `json:"status"`
	Recipients int             `json:"recipients"`
}

// Launch writes the campaign's content (resuming a run written before),
// approves what passed every check under approval auto, freezes the
// audience into recipient rows and, in one transaction, stores them,
// moves the campaign to running (or scheduled) and enqueues their jobs.
// Errors: Conflict when the campaign is not a draft or (approval manual)
// items still await review; Invalid for a bad plan.
func (s *Service) Launch(ctx context.Context, name string) (Launched, error) {
	var out Launched
	c, err := s.Get(ctx, name)
	if err != nil {
		return out, err
	}
	if c.State != Draft {
		_, err := Transition(c.State, ActStart)
		if err == nil {
			err = apperr.New(apperr.Conflict, "campaign %s is %s: only a draft can be launched", c.Name, c.State)
		}
		return out, err
	}
	b, err := s.brief(c)
	if err != nil {
		return out, err
	}
	runs := []string{c.Depth}
	if c.Depth != content.DepthSegment {
		runs = append(runs, content.DepthSegment)
	}
	var runIDs []string
	var main *content.Prepared
	for i, depth := range runs {
		p, err := s.Studio.Prepare(ctx, s.request(c, b, depth))
		if err != nil {
			return out, err
		}
		if i == 0 {
			main = p
		}
		sum, err := s.Studio.Execute(ctx, p)
		if err != nil {
			return out, err
		}
		if i == 0 {
			out.Content = sum
		} else {
			out.Fallback = sum
		}
		runIDs = append(runIDs, p.Run.ID)
	}
	c.ContentRun = runIDs[0]
	if len(runIDs) > 1 {
		c.FallbackRun = runIDs[1]
	}
	maps := make([]map[itemKey]content.Item, 2)
	waiting := 0
	for i, run := range runIDs {
		items, err := s.Content.ListItems(ctx, content.ItemFilter{RunID: run})
		if err != nil {
			return out, err
		}
		maps[i] = map[itemKey]content.Item{}
		for _, it := range items {
			if it.Status == content.StatusDraft {
				if c.Approval == ApprovalAuto {
					if it, err = s.Studio.Review(ctx, it.ID, content.StatusApproved, "auto-approval", "campaign "+c.Name+": passed every check"); err != nil {
						return out, err
					}
					out.Approved++
				} else {
					waiting++
				}
			}
			maps[i][itemKey{it.Cohort, it.Channel, it.Variant}] = it
		}
	}
	if waiting > 0 {
		return out, apperr.New(apperr.Conflict, "campaign %s: %d items await review (approval manual): run chorus content review --run %s, then launch again",
			c.Name, waiting, strings.Join(runIDs, " --run "))
	}
	if err := variantsWritten(c, maps); err != nil {
		return out, err
	}
	fr, err := s.freeze(ctx, c, main, maps[0], maps[1])
	if err != nil {
		return out, err
	}
	now := s.now()
	c.LaunchedAt, c.UpdatedAt, c.Recipients = now, now, fr.audience
	c.State = Running
	if c.Schedule.Kind == StartAt && c.Schedule.At.After(now) {
		c.State = Scheduled
	}
	if len(fr.candidates) > 0 {
		// before the rows: a launch that fails leaves candidates a
		// relaunch replaces, never waiting rows without them
		if err := s.Tests.SaveTestCandidates(ctx, c.ID, fr.candidates); err != nil {
			return out, err
		}
	}
	if err := s.Store.LaunchCampaign(ctx, c, Draft, fr.sends, s.batchSize(), s.q()); err != nil {
		return out, err
	}
	// a campaign with nothing to send is complete at once
	if _, err := s.Store.CompleteCampaign(ctx, c.ID, now); err != nil {
		return out, err
	}
	st, err := s.Status(ctx, c.Name)
	if err != nil {
		return out, err
	}
	out.Campaign, out.Status, out.Recipients = st.Campaign, st, fr.audience
	return out, nil
}

// variantsWritten refuses a launch, before anything is stored or
// enqueued, when a variant of the campaign has no item at all in its
// content runs: its whole share of the audience would get nothing (a
// writer that gave fewer distinct variants than asked). A variant missing
// from some units only is launched; its recipients there are skipped with
// no_content. Errors: Invalid naming the variants without copy.
func variantsWritten(c Campaign, runs []map[itemKey]content.Item) error {
	if len(c.Variants) < 2 {
		return nil
	}
	have := map[int]bool{}
	for _, m := range runs {
		for k := range m {
			have[k.variant] = true
		}
	}
	if len(have) == 0 {
		return nil // no content at all: each row says why (no_content)
	}
	var missing []string
	for i, v := range c.Variants {
		if !have[i] {
			missing = append(missing, v.Name)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return apperr.New(apperr.Invalid, "campaign %s: the writer produced no copy for variant %s (%d distinct of %d variants): nothing was sent; create the campaign with fewer variants, or write the copy with another model",
		c.Name, strings.Join(missing, ", "), len(c.Variants)-len(missing), len(c.Variants))
}

// Status reports a campaign's state and counts.
func (s *Service) Status(ctx context.Context, name string) (Status, error) {
	c, err := s.Get(ctx, name)
	if err != nil {
		return Status{}, err
	}
	st, err := s.Store.CampaignCounts(ctx, c.ID)
	if err != nil {
		return st, err
	}
	st.Campaign, st.State = c, c.State
	return st, nil
}

// Pause stops a running or scheduled campaign from sending; batches in
// flight finish. Resume continues it.
func (s *Service) Pause(ctx context.Context, name string) (Campaign, error) {
	return s.move(ctx, name, ActPause, "", "", false)
}

// Resume continues a paused campaign: its pending recipients get jobs.
// A campaign paused before its scheduled start keeps its schedule: it
// goes back to scheduled, and its jobs wait for the start.
func (s *Service) Resume(ctx context.Context, name string) (Campaign, error) {
	return s.move(ctx, name, ActResume, "", "", true)
}

// Cancel ends a campaign: its pending recipients (but those in flight,
// which finish) become skipped with campaign_cancelled.
func (s *Service) Cancel(ctx context.Context, name string) (Campaign, error) {
	return s.move(ctx, name, ActCancel, CodeCancelled, "the campaign was cancelled before this send", false)
}

// Act does the action a person asks of campaign name by its name
// (ActPause, ActResume or ActCancel: `chorus campaign pause|resume|cancel`,
// the console's buttons); any other action is NotFound.
func (s *Service) Act(ctx context.Context, action, name string) (Campaign, error) {
	switch action {
	case ActPause:
		return s.Pause(ctx, name)
	case ActResume:
		return s.Resume(ctx, name)
	case ActCancel:
		return s.Cancel(ctx, name)
	}
	return Campaign{}, apperr.New(apperr.NotFound, "no campaign action %q", action)
}

func (s *Service) move(ctx context.Context, name, action, code, reason string, requeue bool) (Campaign, error) {
	c, err := s.Get(ctx, name)
	if err != nil {
		return c, err
	}
	to, err := Transition(c.State, action)
	if err != nil {
		return c, err
	}
	if action == ActResume && c.Schedule.Kind == StartAt && c.Schedule.At.After(s.now()) {
		to = Scheduled // paused before its start: the start stays where it was
	}
	var q Enqueuer
	if requeue {
		q = s.q()
	}
	if err := s.Store.SetCampaignState(ctx, c.ID, c.State, to, s.now(), code, reason, s.batchSize(), q); err != nil {
		return c, err
	}
	if to == Running {
		if _, err := s.Store.CompleteCampaign(ctx, c.ID, s.now()); err != nil {
			return c, err
		}
	}
	return s.Get(ctx, name)
}

// Reconcile is the periodic repair of every active campaign: a scheduled
// campaign whose start is due starts; a running campaign whose recipients
// are all terminal completes; pending recipients whose job is finished or
// gone (a job that gave up, a crash between two writes) get new jobs. It
// reports what it did.
func (s *Service) Reconcile(ctx context.Context) (string, error) {
	cs, err := s.Store.ActiveCampaigns(ctx)
	if err != nil {
		return "", err
	}
	var notes []string
	now := s.now()
	for _, c := range cs {
		if c.State == Scheduled {
			if c.Schedule.At.After(now) {
				continue
			}
			if err := s.Store.SetCampaignState(ctx, c.ID, Scheduled, Running, now, "", "", s.batchSize(), nil); err != nil && !apperr.Is(err, apperr.Conflict) {
				return strings.Join(notes, "; "), err
			}
			notes = append(notes, c.Name+" started")
		}
		done, err := s.Store.CompleteCampaign(ctx, c.ID, now)
		if err != nil {
			return strings.Join(notes, "; "), err
		}
		if done {
			notes = append(notes, c.Name+" completed")
			continue
		}
		n, err := s.Store.Requeue(ctx, c.ID, now, s.batchSize(), s.q())
		if err != nil {
			return strings.Join(notes, "; "), err
		}
		if n > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d pending recipients re-enqueued", c.Name, n))
		}
	}
	return strings.Join(notes, "; "), nil
}

// Recipients visits a campaign's rows in id order (state "" for all).
func (s *Service) Recipients(ctx context.Context, name, state string, afterID int64, limit int, fn func(Send) error) error {
	c, err := s.Get(ctx, name)
	if err != nil {
		return err
	}
	if state != "" && !slices.Contains(SendStates, state) {
		return apperr.New(apperr.Invalid, "state %q: use %s", state, strings.Join(SendStates, ", "))
	}
	return s.Store.ListSends(ctx, c.ID, state, afterID, limit, fn)
}

// RecipientQuery picks a page of a campaign's rows: those in State (""
// for all) after the row AfterID, at most Limit (0: no limit). The tags
// name the flags of `chorus campaign recipients`.
type RecipientQuery struct {
	State   string `flag:"state"`
	AfterID int64  `flag:"after"`
	Limit   int    `flag:"limit"`
}

// RecipientPage is the page of the campaign's rows q picks, in id order
// (see Recipients).
func (s *Service) RecipientPage(ctx context.Context, name string, q RecipientQuery) (Sends, error) {
	rows := Sends{}
	err := s.Recipients(ctx, name, q.State, q.AfterID, q.Limit, func(r Send) error {
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

// q is the queue as the service schedules on it. With an injected clock
// (tests), due times are on that clock: they are moved to the same
// distance from the real time, which is what the queue schedules by.
func (s *Service) q() Enqueuer {
	if s.Now == nil || s.Queue == nil {
		return s.Queue
	}
	return shifted{s.Queue, s.now}
}

type shifted struct {
	q   Enqueuer
	now func() time.Time
}

func (sh shifted) EnqueueTx(ctx context.Context, tx *sql.Tx, bs []Batch) ([]int64, error) {
	real, fake := time.Now(), sh.now()
	out := make([]Batch, len(bs))
	for i, b := range bs {
		out[i] = b
		if !b.At.IsZero() {
			out[i].At = real.Add(b.At.Sub(fake))
		}
	}
	return sh.q.EnqueueTx(ctx, tx, out)
}
