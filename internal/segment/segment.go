// Package segment defines named, saved customer segments by boolean
// expressions (github.com/expr-lang/expr) over profile fields and computed
// metrics, e.g.
//
//	rfm.segment in ["at_risk","cant_loose"] && affinity["camera"] > 0.3 && consent.email && clv > 200
//
// An expression is compiled once against the Record type, so unknown
// fields and type errors are reported with their position before anything
// is saved, and evaluation reads struct fields by index over a []Record in
// parallel.
//
// Membership is stored (segment_members) so that campaigns read it without
// re-evaluating. It is kept current two ways: Engine.OnEvents re-evaluates
// only the customers a batch of new events touches and applies the
// joined/left diff for every segment in one transaction; Engine.Refresh
// rebuilds a segment from all records.
package segment

import (
	"context"
	"regexp"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Segment is a saved, named expression. Version starts at 1 and grows each
// time the expression or description is replaced, so that membership
// computed for an older version is never applied to a newer one.
type Segment struct {
	Name        string    `json:"name"`
	Expression  string    `json:"expression"`
	Description string    `json:"description,omitempty"`
	Version     int       `json:"version"`
	Members     int       `json:"members"` // stored member count; read-only
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	RefreshedAt time.Time `json:"refreshed_at,omitzero"` // last full rebuild
}

// Member is one customer in a segment and since when.
type Member struct {
	CustomerID string    `json:"customer_id"`
	Since      time.Time `json:"since"`
}

// Change is the membership diff of one segment: customers who entered and
// left. Version is the segment version the diff was computed for.
type Change struct {
	Segment string   `json:"segment"`
	Version int      `json:"version"`
	Joined  []string `json:"joined"`
	Left    []string `json:"left"`
}

// Empty reports whether the change moves nobody.
func (c Change) Empty() bool { return len(c.Joined) == 0 && len(c.Left) == 0 }

// Changes are the diffs of several segments, one entry per segment that
// moved somebody.
type Changes []Change

// For returns the change of the named segment (empty when none).
func (cs Changes) For(name string) Change {
	for _, c := range cs {
		if c.Segment == name {
			return c
		}
	}
	return Change{Segment: name}
}

// Store is what segments need from persistence. It is declared here, by its
// consumer; store/sqlstore implements it for SQLite and PostgreSQL.
//
// Error contract: an unknown segment is apperr.NotFound; creating an
// existing name is apperr.Conflict; a change or rebuild computed for a
// version other than the stored one is apperr.Conflict (the segment was
// replaced meanwhile; recompute and retry).
type Store interface {
	// CreateSegment saves s with version 1 and members as its membership
	// (since = s.CreatedAt), in one transaction.
	CreateSegment(ctx context.Context, s Segment, members []string) (Segment, error)
	// UpdateSegment replaces the expression and description of a stored
	// segment, increments its version and sets its membership to members
	// (keeping "since" of those who stay), in one transaction.
	UpdateSegment(ctx context.Context, s Segment, members []string) (Segment, Change, error)
	// RefreshSegment sets the membership of the segment (at version) to
	// members, keeping "since" of those who stay, and records the rebuild.
	RefreshSegment(ctx context.Context, name string, version int, members []string, at time.Time) (Change, error)
	// ApplySegmentChanges applies every change in one transaction.
	ApplySegmentChanges(ctx context.Context, changes []Change, at time.Time) error
	GetSegment(ctx context.Context, name string) (Segment, error)
	ListSegments(ctx context.Context) ([]Segment, error)
	DeleteSegment(ctx context.Context, name string) error
	// ScanSegmentMembers visits the members of a segment by customer id.
	ScanSegmentMembers(ctx context.Context, name string, fn func(Member) error) error
	// SegmentMemberships returns, for each of ids that belongs to any
	// segment, the names of its segments.
	SegmentMemberships(ctx context.Context, ids []string) (map[string][]string, error)
	// PendingSegmentCustomers returns the customers marked for Follow, by
	// id. A store marks them in the transaction of each write that may
	// move them (a customer's record, consents, events; Everyone when a
	// product changed) while any segment is saved.
	PendingSegmentCustomers(ctx context.Context) ([]Pending, error)
	// FollowSegmentChanges applies changes as ApplySegmentChanges does and
	// deletes the marks done that still have the Seq they were read with,
	// in one transaction.
	FollowSegmentChanges(ctx context.Context, changes []Change, at time.Time, done []Pending) error
}

// Everyone is the mark of a write that may move any customer (a product
// changed).
const Everyone = "*"

// Pending is a customer marked for Follow; Seq moves on each time a write
// marks her again.
type Pending struct {
	CustomerID string
	Seq        int64
}

var reName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// ValidateName checks a segment name: 1–64 characters of lowercase
// letters, digits, '_', '-' and '.', starting with a letter or digit, so
// that names are safe in file names, URLs and shell arguments.
func ValidateName(name string) error {
	if !reName.MatchString(name) {
		return apperr.New(apperr.Invalid, "segment name %q: use 1-64 lowercase letters, digits, '_', '-' or '.', starting with a letter or digit (e.g. at_risk_camera)", name)
	}
	return nil
}
