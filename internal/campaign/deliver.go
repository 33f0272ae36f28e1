package campaign

import (
	"context"
	"database/sql"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// ready is a rendered message with its row and the item it came from.
type ready struct {
	row  Send
	msg  delivery.Message
	item string
}

// Channel is how one channel's messages leave: its sender (usually a
// delivery.Guard with the channel's rate limit and circuit breaker), its
// retry schedule, and how many of its messages one process sends at once.
type Channel struct {
	Sender   delivery.Sender
	Schedule delivery.Schedule
	// Concurrency is the most sends in flight on this channel in one
	// Service, across all the batches it works at once (River runs up to
	// queue.workers batches, each with up to Chunk messages out): e.g. an
	// SMTP sender's connections, which more sends would only queue for.
	// A BatchSender's batch is one send. 0 is no bound of its own.
	Concurrency int
}

// channelSlots bounds each channel's sends in flight (Channel.Concurrency).
type channelSlots struct {
	mu sync.Mutex
	m  map[string]chan struct{}
}

// slot waits for one of channel ch's sends in flight and returns its
// release; the error is ctx's when it ends before a slot is free.
func (s *Service) slot(ctx context.Context, ch string) (release func(), err error) {
	n := s.Senders[ch].Concurrency
	if n <= 0 {
		return func() {}, nil
	}
	s.slots.mu.Lock()
	sem := s.slots.m[ch]
	if sem == nil {
		if s.slots.m == nil {
			s.slots.m = map[string]chan struct{}{}
		}
		sem = make(chan struct{}, n)
		s.slots.m[ch] = sem
	}
	s.slots.mu.Unlock()
	select { // a free slot is taken even when ctx has ended, as without a bound
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	default:
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Linker signs a send's tracking links (token.Links).
type Linker interface {
	Open(s token.Send) (string, error)
	Click(s token.Send, link int, dest string) (string, error)
	Unsubscribe(s token.Send) (string, error)
}

// Suppressor adds addresses that bounced hard to the suppression list.
type Suppressor interface {
	AddSuppressions(ctx context.Context, ss []policy.Suppression) (int, error)
}

// Catalog reads products for the product block.
type Catalog interface {
	ListProducts(ctx context.Context) ([]catalog.Product, error)
}

// rateSlots reserves, in the store, one slot of the campaign's rate for
// each message of part on a channel with a rate (Campaign.Rates), and
// returns each message's slot (zero: no rate). The slots are shared by
// every worker process: the rate holds per campaign, not per process. The
// slots run on the real clock, which is what the sends go out by.
func (s *Service) rateSlots(ctx context.Context, c Campaign, part []ready) ([]time.Time, error) {
	slots := make([]time.Time, len(part))
	byChannel := map[string][]int{}
	for i, r := range part {
		if c.Rates[r.row.Channel] > 0 {
			byChannel[r.row.Channel] = append(byChannel[r.row.Channel], i)
		}
	}
	for ch, idx := range byChannel {
		interval := time.Duration(float64(time.Second) / c.Rates[ch])
		first, err := s.Store.ReserveRate(ctx, c.ID, ch, len(idx), interval, time.Now())
		if err != nil {
			return nil, err
		}
		for k, i := range idx {
			slots[i] = first.Add(time.Duration(k) * interval)
		}
	}
	return slots, nil
}

// waitUntil sleeps until t (real clock) or ctx ends.
func waitUntil(ctx context.Context, t time.Time) error {
	d := time.Until(t)
	if d <= 0 {
		return nil
	}
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}

// campaignContent is what rendering a campaign's messages needs, read
// once per campaign and process.
type campaignContent struct {
	brief    content.Brief
	voice    content.Voice
	products map[string]catalog.Product
	// segment-level items (the fallback) by key
	segment map[itemKey]string
	loaded  time.Time
	layouts layouts // email layouts rendered once (render.go)
}

type contentCache struct {
	mu sync.Mutex
	m  map[int64]*campaignContent
}

// contentOf loads (and caches for a minute, so a re-review reaches the
// senders soon) what c's messages are rendered from.
func (s *Service) contentOf(ctx context.Context, c Campaign) (*campaignContent, error) {
	s.cache.mu.Lock()
	cc := s.cache.m[c.ID]
	s.cache.mu.Unlock()
	if cc != nil && time.Since(cc.loaded) < time.Minute {
		return cc, nil
	}
	cc = &campaignContent{segment: map[itemKey]string{}, products: map[string]catalog.Product{}, loaded: time.Now()}
	b, err := s.brief(c)
	if err != nil {
		return nil, err
	}
	cc.brief = b
	cc.voice = content.DefaultVoice("")
	if b.Voice != "" && s.Content != nil {
		if v, err := s.Content.GetVoice(ctx, b.Voice); err == nil {
			cc.voice = v
		}
	}
	if s.Catalog != nil {
		ps, err := s.Catalog.ListProducts(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			cc.products[p.SKU] = p
		}
	}
	for _, run := range []string{c.ContentRun, c.FallbackRun} {
		if run == "" || s.Content == nil {
			continue
		}
		items, err := s.Content.ListItems(ctx, content.ItemFilter{RunID: run, Status: content.StatusApproved})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if strings.HasPrefix(it.Cohort, "s|") && !strings.HasSuffix(it.Cohort, "|no-personalization") {
				cc.segment[itemKey{it.Cohort, it.Channel, it.Variant}] = it.ID
			}
		}
	}
	s.cache.mu.Lock()
	if s.cache.m == nil {
		s.cache.m = map[int64]*campaignContent{}
	}
	s.cache.m[c.ID] = cc
	s.cache.mu.Unlock()
	return cc, nil
}

// Deliver works one batch job: the pending rows of ids that job owns. It
// re-reads the campaign (a paused campaign's job ends, leaving its rows to
// the resume; a cancelled one's rows are skipped), admits the due rows
// through the contact policy in one batch (a quiet-hours skip is deferred
// to the window's opening when the campaign allows it), renders each
// message from its approved item (or the segment-level fallback), marks
// the rows in flight, sends them, and records every outcome, the retries'
// new jobs and complete (the job completing itself) in one transaction.
// Rows already terminal are not touched, so a rescued job resends nothing
// that was recorded. Errors are the store's; River retries the job.
func (s *Service) Deliver(ctx context.Context, job, campaignID int64, ids []int64, complete func(*sql.Tx) error) error {
	keep := context.WithoutCancel(ctx)
	c, err := s.Store.GetCampaignByID(ctx, campaignID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return s.Store.RecordOutcomes(keep, job, nil, s.now(), s.batchSize(), s.q(), complete)
		}
		return err
	}
	rows, err := s.Store.PendingSends(ctx, job, ids)
	if err != nil {
		return err
	}
	now := s.now()
	record := func(outs []Outcome) error {
		if err := s.Store.RecordOutcomes(keep, job, outs, s.now(), s.batchSize(), s.q(), complete); err != nil {
			return err
		}
		if c.State == Running {
			if _, err := s.Store.CompleteCampaign(keep, c.ID, s.now()); err != nil {
				return err
			}
		}
		return nil
	}
	switch c.State {
	case Paused, Draft:
		return record(nil) // the rows wait for the resume, which gives them new jobs
	case Cancelled, Completed:
		outs := make([]Outcome, len(rows))
		for i, r := range rows {
			outs[i] = Outcome{ID: r.ID, State: SendSkipped, Code: CodeCancelled, Reason: "the campaign was cancelled before this send"}
		}
		return record(outs)
	case Scheduled:
		if c.Schedule.At.After(now) {
			outs := make([]Outcome, len(rows))
			for i, r := range rows {
				outs[i] = Outcome{ID: r.ID, State: SendPending, NextAt: c.Schedule.At}
			}
			return record(outs)
		}
		if err := s.Store.SetCampaignState(ctx, c.ID, Scheduled, Running, now, "", "", s.batchSize(), nil); err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
		c.State = Running
	}
	var outs []Outcome
	var due []Send
	for _, r := range rows {
		if r.NextAt.After(now.Add(time.Second)) {
			outs = append(outs, Outcome{ID: r.ID, State: SendPending, NextAt: r.NextAt, Code: r.Code, Reason: r.Reason})
			continue
		}
		due = append(due, r)
	}
	if len(due) == 0 {
		return record(outs)
	}
	for _, r := range due {
		if r.Code == CodeAwaitingWinner {
			// the test's window is over: judge it once, move the rest to
			// the winner, and work the batch again with their new rows
			if err := s.settleTest(ctx, c); err != nil {
				return err
			}
			return s.Deliver(ctx, job, campaignID, ids, complete)
		}
	}
	cc, err := s.contentOf(ctx, c)
	if err != nil {
		return err
	}
	// The gate admits the batch a group at a time, right before the
	// group's messages go: a consent revoked or an address suppressed
	// while a large batch is out stops the messages not yet admitted.
	st := &groupState{retried: map[string]int{}}
	for start := 0; start < len(due); start += admitGroup {
		err := ctx.Err() // a stopping worker starts no new group
		if err == nil {
			err = s.sendGroup(ctx, keep, job, c, cc, due[start:min(start+admitGroup, len(due))], st)
		}
		if err != nil {
			// what the groups before did is recorded (the last chunk
			// went out); the rest stays pending for the job's retry
			if len(st.outs)+len(st.prev) > 0 {
				if rerr := s.Store.RecordOutcomes(keep, job, append(st.outs, st.prev...), s.now(), s.batchSize(), s.q(), nil); rerr != nil {
					return rerr
				}
			}
			return err
		}
	}
	outs = append(outs, st.outs...)
	outs = append(outs, st.prev...)
	retried, sentN := st.retried, st.sent
	if len(retried) > 0 {
		s.logger().Info("campaign batch: sends not delivered", "campaign", c.Name, "job", job, "sent", sentN, "outcomes", retried)
	}
	return record(outs)
}

// admitGroup is how many of a batch's messages the gate admits at once.
const admitGroup = 100

// groupState carries a batch's outcomes from one group of its messages to
// the next: those to record at the end, the last chunk's (recorded with
// the next claim), and the counts for the log line.
type groupState struct {
	outs, prev []Outcome
	retried    map[string]int
	sent       int
}

// sendGroup admits, renders, claims and sends one group of a batch's due
// rows, in chunks, and leaves their outcomes in st.
func (s *Service) sendGroup(ctx, keep context.Context, job int64, c Campaign, cc *campaignContent, due []Send, st *groupState) error {
	now := s.now()
	msgs := make([]policy.Message, len(due))
	for i, r := range due {
		msgs[i] = policy.Message{CustomerID: r.CustomerID, Channel: r.Channel, Purpose: policy.Marketing, At: now, Campaign: c.Name, Key: r.Key}
	}
	ds, admitted, err := s.Gate.AdmitBatchCustomers(ctx, msgs)
	if err != nil {
		return err
	}
	var allowed []Send
	var allowedD []policy.Decision
	var capped []Send
	var cappedD []policy.Decision
	for i, r := range due {
		d := ds[i]
		switch {
		case d.Allow:
			allowed = append(allowed, r)
			allowedD = append(allowedD, d)
		case d.Code == policy.CodeQuietHours && (c.Schedule.DeferQuiet || c.Schedule.Kind == StartWindow) && !d.NextAt.IsZero():
			st.outs = append(st.outs, Outcome{ID: r.ID, State: SendPending, NextAt: d.NextAt, Code: d.Code, Reason: "deferred: " + d.Reason})
		case c.Mode == ModeBest && len(c.Channels) > 1 && strings.HasPrefix(d.Code, channelCapPrefix):
			capped = append(capped, r)
			cappedD = append(cappedD, d)
		default:
			st.outs = append(st.outs, Outcome{ID: r.ID, State: SendSkipped, Code: d.Code, Reason: d.Reason})
		}
	}
	if len(capped) > 0 {
		skips, err := s.fallBack(ctx, job, c, cc, capped, cappedD)
		if err != nil {
			return err
		}
		st.outs = append(st.outs, skips...)
	}
	// content and addresses
	var itemIDs, custIDs []string
	for _, r := range allowed {
		itemIDs = append(itemIDs, r.ContentID)
		custIDs = append(custIDs, r.CustomerID)
	}
	for _, id := range cc.segment {
		itemIDs = append(itemIDs, id)
	}
	items, err := s.Content.ItemsByID(ctx, itemIDs)
	if err != nil {
		return err
	}
	// the customers the gate judged, read right before; others (a store
	// that admits one by one) are read now
	custs := admitted
	if custs == nil {
		if custs, err = s.Customers.CustomersByID(ctx, custIDs); err != nil {
			return err
		}
	}
	var sendable []ready
	for i, r := range allowed {
		it, ok := items[r.ContentID]
		personalize := allowedD[i].Personalize
		if !ok || it.Status != content.StatusApproved || !personalize {
			variant := 0
			if ok {
				variant = it.Variant
			} else {
				variant = variantIndex(c, r.Variant)
			}
			fid, fok := cc.segment[itemKey{segmentKey(c.Segment, r.Language), r.Channel, variant}]
			fit, iok := items[fid]
			if fok && iok && fit.Status == content.StatusApproved {
				it, ok = fit, true
			} else if !ok || it.Status != content.StatusApproved {
				st.outs = append(st.outs, Outcome{ID: r.ID, State: SendSkipped, Code: CodeContentNotApproved,
					Reason: "its item is no longer approved and no approved segment-level item exists"})
				continue
			}
		}
		cust, ok := custs[r.CustomerID]
		if !ok {
			st.outs = append(st.outs, Outcome{ID: r.ID, State: SendSkipped, Code: policy.CodeUnknownCustomer, Reason: "the customer no longer exists"})
			continue
		}
		m, err := s.render(c, cc, r, cust, it, personalize)
		if err != nil {
			st.outs = append(st.outs, Outcome{ID: r.ID, State: SendFailed, Code: delivery.CodeInvalidMessage, Reason: err.Error()})
			continue
		}
		sendable = append(sendable, ready{row: r, msg: m, item: it.ID})
	}
	// Send in chunks, each claimed (marked in flight) right before it goes
	// and recorded right after: a worker killed mid-batch leaves only its
	// chunk in flight, so the window in which a peer may get a message
	// twice spans the messages out at that moment, not the whole batch.
	chunk := s.chunkSize()
	for start := 0; start < len(sendable); start += chunk {
		part := sendable[start:min(start+chunk, len(sendable))]
		claimIDs := make([]int64, len(part))
		for i, r := range part {
			claimIDs[i] = r.row.ID
		}
		claimed, err := s.Store.RecordAndClaim(keep, job, st.prev, claimIDs, s.now(), s.batchSize(), s.q())
		if err != nil {
			return err
		}
		st.prev = nil
		slots, err := s.rateSlots(keep, c, part)
		if err != nil {
			return err
		}
		attempts := map[int64]int{}
		for _, r := range claimed {
			attempts[r.ID] = r.Attempts
		}
		results := s.dispatch(ctx, keep, part, attempts, slots)
		var done []Outcome
		for _, o := range results {
			if o.ID > 0 {
				done = append(done, o)
				if o.State != SendSent {
					st.retried[o.State+":"+o.Code]++
				} else {
					st.sent++
				}
			}
		}
		st.prev = done
	}

	return nil
}

// dispatch sends a claimed chunk, each message at its rate slot and
// within its channel's Concurrency, and returns each message's outcome:
// ID -1 for a row no longer claimed (attempts lacks it), pending and
// unattempted for one whose wait ctx ended.
func (s *Service) dispatch(ctx, keep context.Context, part []ready, attempts map[int64]int, slots []time.Time) []Outcome {
	results := make([]Outcome, len(part))
	interrupted := func(r Send) Outcome {
		return Outcome{ID: r.ID, State: SendPending, NextAt: s.now(), Code: delivery.CodeCancelled, Reason: "interrupted", Unattempted: true}
	}
	var wg sync.WaitGroup
	batches := map[string][]int{} // channel → indexes of part for a BatchSender
	for i, r := range part {
		n, ok := attempts[r.row.ID]
		if !ok { // no longer pending or no longer this job's (cancelled)
			results[i] = Outcome{ID: -1}
			continue
		}
		r.msg.Attempt = n
		sc, ok := s.Senders[r.row.Channel]
		if !ok || sc.Sender == nil {
			results[i] = Outcome{ID: r.row.ID, State: SendFailed, Code: CodeNoSender,
				Reason: "no sender is configured for " + r.row.Channel + " (delivery settings)"}
			continue
		}
		if err := waitUntil(ctx, slots[i]); err != nil {
			results[i] = interrupted(r.row)
			continue
		}
		if _, ok := sc.Sender.(delivery.BatchSender); ok {
			batches[r.row.Channel] = append(batches[r.row.Channel], i)
			continue
		}
		wg.Go(func() {
			release, err := s.slot(ctx, r.row.Channel)
			if err != nil {
				results[i] = interrupted(r.row)
				return
			}
			defer release()
			res, err := sc.Sender.Send(ctx, r.msg)
			results[i] = s.outcome(keep, r.row, n, r.item, res, err, sc)
		})
	}
	for ch, idx := range batches {
		// one unit (an export file) for the chunk's messages on ch
		sc := s.Senders[ch]
		msgs := make([]delivery.Message, len(idx))
		for k, i := range idx {
			msgs[k] = part[i].msg
		}
		wg.Go(func() {
			release, err := s.slot(ctx, ch)
			if err != nil {
				for _, i := range idx {
					results[i] = interrupted(part[i].row)
				}
				return
			}
			defer release()
			rs, errs := sc.Sender.(delivery.BatchSender).SendBatch(ctx, msgs)
			for k, i := range idx {
				results[i] = s.outcome(keep, part[i].row, attempts[part[i].row.ID], part[i].item, rs[k], errs[k], sc)
			}
		})
	}
	wg.Wait()
	return results
}

// channelCapPrefix starts the codes of caps on one channel (a cap on
// every channel, cap_all_…, holds on the next channel too).
const channelCapPrefix = "cap_channel_"

// fallBack gives each row capped on its channel (mode best) a row on the
// next channel of the campaign's order that is open for her (consent,
// address, suppression) and has approved content, due now through the
// queue like any row: the capped row becomes skipped fell_back, the new
// one records where it came from and why. Rows with no such channel are
// returned as skipped with the cap's code, as before.
func (s *Service) fallBack(ctx context.Context, job int64, c Campaign, cc *campaignContent, capped []Send, ds []policy.Decision) ([]Outcome, error) {
	now := s.now()
	type cand struct {
		row int
		ch  string
	}
	var cands []cand
	var msgs []policy.Message
	for i, r := range capped {
		for _, ch := range c.Channels {
			if ch == r.Channel || ch == r.FallbackFrom {
				continue
			}
			cands = append(cands, cand{i, ch})
			msgs = append(msgs, policy.Message{CustomerID: r.CustomerID, Channel: ch, Purpose: policy.Marketing, At: now, Campaign: c.Name})
		}
	}
	var open []policy.Decision
	if len(msgs) > 0 {
		var err error
		if open, err = s.Gate.DecideBatch(ctx, msgs, false); err != nil {
			return nil, err
		}
	}
	chosen := make([]string, len(capped))
	contentOf := make([]string, len(capped))
	for k, cd := range cands {
		r := capped[cd.row]
		if chosen[cd.row] != "" || !open[k].Allow {
			continue
		}
		id, ok := cc.segment[itemKey{segmentKey(c.Segment, r.Language), cd.ch, variantIndex(c, r.Variant)}]
		if !ok {
			continue
		}
		chosen[cd.row], contentOf[cd.row] = cd.ch, id
	}
	var fell, skips []Outcome
	var sends []Send
	for i, r := range capped {
		d := ds[i]
		if chosen[i] == "" {
			skips = append(skips, Outcome{ID: r.ID, State: SendSkipped, Code: d.Code, Reason: d.Reason})
			continue
		}
		ch := chosen[i]
		fell = append(fell, Outcome{ID: r.ID, State: SendSkipped, Code: CodeFellBack, Reason: d.Reason + "; sent on " + ch + " instead"})
		sends = append(sends, Send{CampaignID: c.ID, CustomerID: r.CustomerID, Channel: ch, State: SendPending, Variant: r.Variant,
			ContentID: contentOf[i], Language: r.Language, SKU: r.SKU, Key: delivery.Key(c.sendKeyPrefix(), r.CustomerID, ch),
			FallbackFrom: r.Channel, FallbackCode: d.Code, PlannedAt: r.PlannedAt, NextAt: now})
	}
	if len(sends) > 0 {
		if err := s.Store.FallBack(context.WithoutCancel(ctx), job, c.ID, fell, sends, now, s.batchSize(), s.q()); err != nil {
			return nil, err
		}
	}
	return skips, nil
}

// chunkSize is how many of a batch's messages are in flight at once.
func (s *Service) chunkSize() int {
	if s.Chunk > 0 {
		return s.Chunk
	}
	return 25
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func (s *Service) logger() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

func variantIndex(c Campaign, name string) int {
	for i, v := range c.Variants {
		if v.Name == name {
			return i
		}
	}
	return 0
}

// outcome turns a send's result into the row's next state.
func (s *Service) outcome(ctx context.Context, r Send, attempts int, item string, res delivery.Result, err error, sc Channel) Outcome {
	now := s.now()
	if err == nil {
		return Outcome{ID: r.ID, State: SendSent, MessageID: res.ID, PeerID: res.PeerID, ContentID: item, SentAt: now}
	}
	e := delivery.AsError(err)
	o := Outcome{ID: r.ID, Code: e.Code, Reason: e.Msg}
	if o.Reason == "" {
		o.Reason = string(e.Class) + " delivery failure"
	}
	switch e.Class {
	case delivery.Permanent, delivery.EndpointGone:
		o.State = SendFailed
		if e.Suppress && s.Suppressor != nil && r.Channel == delivery.Email {
			if cs, cerr := s.Customers.CustomersByID(ctx, []string{r.CustomerID}); cerr == nil {
				if sp, serr := policy.NewSuppression(policy.KindEmail, cs[r.CustomerID].Email, e.Code, false, "bounce "+e.Enhanced, "campaign", now); serr == nil {
					if _, aerr := s.Suppressor.AddSuppressions(ctx, []policy.Suppression{sp}); aerr != nil {
						slog.Warn("campaign: could not suppress a bounced address", "send", r.ID, "err", aerr)
					}
				}
			}
		}
		return o
	}
	if e.Code == delivery.CodeThrottledLocal || e.Code == delivery.CodeCircuitOpen {
		wait := max(e.RetryAfter, time.Second)
		return Outcome{ID: r.ID, State: SendPending, Code: e.Code, Reason: o.Reason, NextAt: now.Add(wait), Unattempted: true}
	}
	sched := sc.Schedule
	if rs, ok := s.Retry[r.Channel]; ok {
		sched = rs
	}
	if len(sched) == 0 {
		sched = delivery.EmailSchedule
	}
	d, ok := delivery.RetryDelay(err, attempts, sched)
	if !ok {
		o.State, o.Code = SendFailed, CodeRetriesExhausted
		o.Reason = "gave up after " + strconv.Itoa(attempts) + " attempts; last: " + o.Reason
		return o
	}
	o.State, o.NextAt = SendPending, now.Add(d)
	// a broken connection or a timeout after the message went out leaves
	// its fate unknown: the next attempt counts as a possible resend
	o.KeepInFlight = e.Code == delivery.CodeCancelled || e.Code == delivery.CodeTimeout
	return o
}

// render builds one message: the item's copy with her slots filled (her
// first name only when she allows personalised marketing), the product
// block, every link through a signed click token, the open pixel and the
// one-click unsubscribe link.
func (s *Service) render(c Campaign, cc *campaignContent, r Send, cust customer.Customer, it content.Item, personalize bool) (delivery.Message, error) {
	spec, err := content.SpecFor(r.Channel)
	if err != nil {
		return delivery.Message{}, err
	}
	lang := it.Language
	if lang == "" {
		lang = r.Language
	}
	prod := cc.products[r.SKU]
	if prod.SKU == "" {
		prod = cc.products[it.SKU]
	}
	rc := content.Recipient{CustomerID: cust.ID, Language: lang, Product: prod}
	if personalize {
		rc.FirstName = content.FirstName(cust.Name, lang)
	}
	t := content.Target{Spec: spec, Lang: lang, Voice: cc.voice, Brief: cc.brief}
	if prod.SKU != "" {
		t.Product = &prod
	}
	rm := cc.renderItem(it, rc, t)
	tok := token.Send{SendID: strconv.FormatInt(r.ID, 10), Campaign: c.Name, Channel: r.Channel, Variant: r.Variant}
	m := delivery.Message{Key: r.Key, Channel: r.Channel, Language: lang, Purpose: policy.Marketing,
		CampaignID: c.Name, Variant: r.Variant, SendID: tok.SendID, CustomerID: cust.ID}
	landing := cc.brief.LandingURL
	if landing == "" {
		landing = prod.URL
	}
	if s.Links != nil {
		if m.UnsubscribeURL, err = s.Links.Unsubscribe(tok); err != nil {
			return m, err
		}
	}
	click := func(i int, dest string) string {
		if s.Links == nil || !(strings.HasPrefix(dest, "https://") || strings.HasPrefix(dest, "http://")) {
			return dest
		}
		u, err := s.Links.Click(tok, i, dest)
		if err != nil {
			return dest
		}
		return u
	}
	switch r.Channel {
	case delivery.Email:
		m.To = cust.Email
		if personalize {
			m.ToName = cust.Name
		}
		m.Subject = rm.Copy.Subject
		html := strings.ReplaceAll(rm.HTML, content.UnsubscribePlaceholder, htmlAttr(m.UnsubscribeURL))
		html = rewriteLinks(html, m.UnsubscribeURL, click)
		if s.Links != nil {
			if px, err := s.Links.Open(tok); err == nil {
				html = strings.Replace(html, "</body>", `<img src="`+htmlAttr(px)+`" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px;"></body>`, 1)
			}
		}
		m.HTML = html
		// the text part: the copy's own links go through click tokens and its
		// unsubscribe slot gets the link; what the copy lacks is added
		body := strings.TrimSpace(rm.Copy.BodyText)
		hasUnsub := strings.Contains(body, content.UnsubscribePlaceholder)
		body = strings.ReplaceAll(body, content.UnsubscribePlaceholder, m.UnsubscribeURL)
		hasLanding := landing != "" && strings.Contains(body, landing)
		body = rewriteTextLinks(body, m.UnsubscribeURL, click)
		var b strings.Builder
		b.WriteString(body)
		if landing != "" && !hasLanding {
			b.WriteString("\n\n" + rm.Copy.CTA + ": " + click(0, landing))
		}
		if m.UnsubscribeURL != "" && !hasUnsub {
			unsub := "Unsubscribe: "
			if lang == content.Zh {
				unsub = "退订："
			}
			b.WriteString("\n\n" + unsub + m.UnsubscribeURL)
		}
		m.Text = b.String()
	case delivery.SMS:
		m.To = cust.Phone
		m.Body = rm.Copy.Text
		if landing != "" {
			m.URL = click(0, landing)
		}
	case delivery.Ad:
		// a customer-match audience: her identifiers, hashed by the export
		m.To = cust.Email
		m.Data = map[string]string{"phone": cust.Phone}
		m.Title, m.Body = rm.Copy.Headline, rm.Copy.Description
		m.URL = landing
	default:
		m.To = cust.ID // push and app gateways address the shop's own user id
		m.Title, m.Body = rm.Copy.Title, rm.Copy.Body
		if landing != "" {
			m.URL = click(0, landing)
		}
	}
	return m, nil
}
