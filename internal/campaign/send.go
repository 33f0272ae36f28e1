package campaign

import (
	"context"
	"database/sql"
	"time"
)

// States of a send (one row of the send table per campaign, customer and
// channel). Every state but pending is terminal.
const (
	SendPending = "pending"
	SendSent    = "sent"
	SendFailed  = "failed"
	SendSkipped = "skipped"
	SendHoldout = "holdout"
)

// SendStates lists the states in the order reports show them.
var SendStates = []string{SendPending, SendSent, SendFailed, SendSkipped, SendHoldout}

// Reason codes of the campaign itself (the contact policy's codes, such as
// no_consent or quiet_hours, and the delivery errors' codes, such as
// mailbox_unknown, are used as they are).
const (
	CodeHoldout            = "holdout"              // in the control group: gets nothing
	CodeContentNotApproved = "content_not_approved" // no approved item for her on the channel
	CodeNoContent          = "no_content"           // the studio had nothing to write for her (no product)
	CodeNoChannel          = "no_channel"           // every channel of the campaign is closed for her
	CodeCancelled          = "campaign_cancelled"   // the campaign was cancelled before the send
	CodeNoSender           = "no_sender"            // the channel has no configured sender
	CodeRetriesExhausted   = "retries_exhausted"    // temporary failures outlasted the retry schedule
	CodeEndpointDisabled   = "endpoint_disabled"    // the channel's endpoint answered 410 Gone earlier
	CodeFellBack           = "fell_back"            // capped on this channel at send time: a row on the next open channel stands in
)

// Send is one row of the send table (campaign_sends). Its ID is the send
// id that tracking tokens name.
type Send struct {
	ID         int64  `json:"id"`
	CampaignID int64  `json:"campaign_id"`
	CustomerID string `json:"customer_id"`
	// Channel is "" for a holdout row.
	Channel string `json:"channel"`
	State   string `json:"state"`
	// Code is a stable reason code for skipped, failed and holdout rows
	// (and for a pending row's last temporary failure); Reason says it
	// for people and names no address.
	Code   string `json:"reason_code,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Variant is the variant's name ("A", "B", …); "" for holdout.
	Variant string `json:"variant,omitempty"`
	// ContentID is the content item chosen at launch; the item sent is
	// this one or its segment-level fallback (recorded here once sent).
	ContentID string `json:"content_id,omitempty"`
	Language  string `json:"language,omitempty"`
	// SKU is her product for the product block and slot.
	SKU string `json:"sku,omitempty"`
	// Key is the idempotency key (delivery.Key of campaign, customer and
	// channel): the Message-ID and webhook-id derive from it.
	Key string `json:"key"`
	// MessageID is our id of the message at the peer (Message-ID without
	// brackets, webhook-id); PeerID the peer's own id when it gave one.
	MessageID string `json:"message_id,omitempty"`
	PeerID    string `json:"peer_id,omitempty"`
	// Attempts counts delivery attempts. Resends counts the attempts made
	// after an earlier attempt's outcome was never recorded (the worker
	// died, or the connection broke, after the message went out): the one
	// window in which the peer may hold the message twice, with the same
	// Message-ID or webhook-id.
	Attempts int  `json:"attempts"`
	Resends  int  `json:"resends"`
	InFlight bool `json:"in_flight,omitempty"`
	// FallbackFrom is the closed channel this one stands in for (mode
	// best), with the reason code it was closed for.
	FallbackFrom string `json:"fallback_from,omitempty"`
	FallbackCode string `json:"fallback_code,omitempty"`
	// JobID is the queue job that owns a pending row.
	JobID     int64     `json:"job_id,omitempty"`
	PlannedAt time.Time `json:"planned_at"`
	NextAt    time.Time `json:"next_at,omitzero"`
	SentAt    time.Time `json:"sent_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Outcome is what one attempt at a send came to, as the worker records it.
type Outcome struct {
	ID    int64
	State string // sent, failed, skipped, or pending to retry at NextAt
	Code  string
	// Reason is user-safe (no address).
	Reason    string
	MessageID string
	PeerID    string
	ContentID string
	NextAt    time.Time
	SentAt    time.Time
	// KeepInFlight leaves the row marked in flight: the attempt's fate is
	// unknown (a broken connection, a timeout), so the next one counts as
	// a possible resend.
	KeepInFlight bool
	// Unattempted takes the attempt back: the message never left (our own
	// rate limit or an open circuit breaker turned it away), so it does not
	// use up the retry schedule.
	Unattempted bool
}

// Counts are sends by state.
type Counts map[string]int

// Status is a campaign's progress.
type Status struct {
	Campaign  Campaign                  `json:"campaign"`
	State     string                    `json:"state"`
	Counts    Counts                    `json:"counts"`
	ByChannel map[string]Counts         `json:"by_channel"`
	Skipped   map[string]int            `json:"skipped_by_reason"`
	Failed    map[string]int            `json:"failed_by_reason"`
	ByVariant map[string]Counts         `json:"by_variant"`
	Fallbacks map[string]map[string]int `json:"fallbacks"`
	// Resends is the number of attempts made after an earlier attempt's
	// outcome was unknown (see Send.Resends); InFlight the sends out now.
	Resends  int `json:"resends"`
	InFlight int `json:"in_flight"`
	Total    int `json:"total"`
	// NextAt is the earliest planned time of a deferred pending send.
	NextAt time.Time `json:"next_at,omitzero"`
}

// Batch is a group of pending sends of one campaign that one queue job
// works, due at At.
type Batch struct {
	CampaignID int64
	IDs        []int64
	At         time.Time
}

// Enqueuer inserts the jobs of batches in tx, the store's transaction that
// makes the change causing them, and returns each batch's job id. The
// worker package implements it over the queue.
type Enqueuer interface {
	EnqueueTx(ctx context.Context, tx *sql.Tx, batches []Batch) ([]int64, error)
}

// Store is what campaigns persist. It is declared here, by its consumer;
// store/sqlstore implements it on both engines. Methods that cause queue
// work take an Enqueuer and insert the jobs in their own transaction, so a
// state change and its jobs commit together. GetCampaign and
// GetCampaignByID return NotFound errors; CreateCampaign a Conflict for a
// name in use.
type Store interface {
	CreateCampaign(ctx context.Context, c Campaign) (Campaign, error)
	UpdateCampaign(ctx context.Context, c Campaign) error
	GetCampaign(ctx context.Context, name string) (Campaign, error)
	GetCampaignByID(ctx context.Context, id int64) (Campaign, error)
	ListCampaigns(ctx context.Context) ([]Campaign, error)

	// LaunchCampaign stores the recipients' rows (IDs are assigned), moves
	// the campaign from state from to c.State with c's launch fields, and
	// enqueues a job per batch of at most batchSize pending rows, all in
	// one transaction. It is a Conflict when the campaign is no longer in
	// state from.
	LaunchCampaign(ctx context.Context, c Campaign, from string, sends []Send, batchSize int, q Enqueuer) error
	// SetCampaignState moves a campaign from state from to to (Conflict
	// when it is no longer in from). With skipCode set, its pending rows
	// not in flight become skipped with that code (cancel). With q set,
	// its pending rows whose job is finished or gone get new jobs in the
	// same transaction (resume).
	SetCampaignState(ctx context.Context, id int64, from, to string, at time.Time, skipCode, skipReason string, batchSize int, q Enqueuer) error
	// CompleteCampaign moves a running campaign to completed if none of
	// its rows is pending, in one statement; it reports whether it did.
	CompleteCampaign(ctx context.Context, id int64, at time.Time) (bool, error)
	// Requeue gives new jobs to the campaign's pending rows whose job is
	// finished or gone, and reports how many rows it requeued.
	Requeue(ctx context.Context, id int64, at time.Time, batchSize int, q Enqueuer) (int, error)

	// ClaimSends returns the rows of ids that are pending and owned by
	// job (in id order) and marks them in flight: attempts+1, and resends+1
	// for a row still in flight from an attempt whose outcome was never
	// recorded.
	ClaimSends(ctx context.Context, job int64, ids []int64, at time.Time) ([]Send, error)
	// RecordAndClaim records outs (as RecordOutcomes, without done) and
	// claims ids (as ClaimSends) in one transaction.
	RecordAndClaim(ctx context.Context, job int64, outs []Outcome, ids []int64, at time.Time, batchSize int, q Enqueuer) ([]Send, error)
	// PendingSends returns the rows of ids that are pending and owned by
	// job, without claiming them.
	PendingSends(ctx context.Context, job int64, ids []int64) ([]Send, error)
	// RecordOutcomes writes outcomes of rows owned by job in one
	// transaction; rows to retry (state pending) get a new job per
	// distinct NextAt from q, and done, when set, runs last in the same
	// transaction (the job completing itself).
	RecordOutcomes(ctx context.Context, job int64, outs []Outcome, at time.Time, batchSize int, q Enqueuer, done func(*sql.Tx) error) error

	CampaignCounts(ctx context.Context, id int64) (Status, error)
	// ListSends visits a campaign's rows in id order after afterID, up
	// to limit (0: all), with state "" for every state.
	ListSends(ctx context.Context, id int64, state string, afterID int64, limit int, fn func(Send) error) error
	// RunningCampaigns lists the campaigns in state running or scheduled.
	ActiveCampaigns(ctx context.Context) ([]Campaign, error)
	// ChannelEngagement visits every customer's history per channel, in
	// no order: her sends that went out (state sent, any campaign) and how
	// many of them a person engaged with (a hit of EngagedKinds not made
	// by a machine).
	ChannelEngagement(ctx context.Context, fn func(customerID, channel string, e Engagement) error) error
	// FallBack inserts sends (pending rows of campaignID on other
	// channels, each standing in for a capped row) unless a row of their
	// campaign, customer and channel exists, records outs (rows owned by
	// job), and enqueues the new rows due at, in one transaction.
	FallBack(ctx context.Context, job, campaignID int64, outs []Outcome, sends []Send, at time.Time, batchSize int, q Enqueuer) error
	// ReserveRate takes n consecutive slots, interval apart, of the
	// campaign's rate on channel, none before now, and returns the first
	// slot's time. It is one atomic step in the database, so every worker
	// process sharing it shares the one rate.
	ReserveRate(ctx context.Context, campaignID int64, channel string, n int, interval time.Duration, now time.Time) (time.Time, error)
}
