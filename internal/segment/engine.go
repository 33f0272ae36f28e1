package segment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/insight"
)

// RecordSource supplies the records expressions are evaluated against.
// It is declared here, by its consumer; InsightSource implements it over
// the insight package, and tests or other front ends can supply their own.
type RecordSource interface {
	// Records returns the record of every customer.
	Records(ctx context.Context) ([]Record, error)
	// RecordsFor returns the records of the given customers, recomputed
	// from current data; ids that are not customers are omitted.
	RecordsFor(ctx context.Context, ids []string) ([]Record, error)
}

// Engine evaluates, saves and maintains segments.
type Engine struct {
	store Store
	src   RecordSource
	// Workers is the evaluation parallelism; 0 means GOMAXPROCS.
	Workers int
	// Now is the clock for "since" and "refreshed at"; nil means time.Now.
	Now func() time.Time
}

// NewEngine returns an engine over st that evaluates records from src.
func NewEngine(st Store, src RecordSource) *Engine {
	return &Engine{store: st, src: src}
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now().UTC()
	}
	return time.Now().UTC()
}

// Preview is the outcome of a dry run: how many customers match, and the
// first few of them.
type Preview struct {
	Expression string        `json:"expression"`
	Total      int           `json:"total"`
	Count      int           `json:"count"`
	Errors     int           `json:"errors"`
	FirstError *EvalError    `json:"first_error,omitempty"`
	Sample     []Record      `json:"sample,omitempty"`
	Elapsed    time.Duration `json:"elapsed_ns"` // evaluation only
	// RecordsElapsed is the time to compute the records from the store.
	RecordsElapsed time.Duration `json:"records_elapsed_ns"`
	// Warnings point out likely mistakes that are not errors, such as a
	// map key no customer has (affinity["cameras"]).
	Warnings []string `json:"warnings,omitempty"`
	ids      []string
}

// Preview compiles expression, evaluates it over every record and returns
// the count and the first sample matches (by customer id). Nothing is
// saved. A bad expression is apperr.Invalid (see Compile).
func (e *Engine) Preview(ctx context.Context, expression string, sample int) (Preview, error) {
	prog, err := Compile(expression)
	if err != nil {
		return Preview{}, err
	}
	start := time.Now()
	recs, err := e.src.Records(ctx)
	if err != nil {
		return Preview{}, err
	}
	took := time.Since(start)
	p, err := e.preview(ctx, prog, recs, sample)
	p.RecordsElapsed = took
	return p, err
}

func (e *Engine) preview(ctx context.Context, prog *Program, recs []Record, sample int) (Preview, error) {
	start := time.Now()
	res, err := prog.Filter(ctx, recs, e.Workers)
	if err != nil {
		return Preview{}, err
	}
	p := Preview{Expression: prog.Source, Total: res.Total, Count: res.Count, Errors: res.Errors,
		FirstError: res.FirstError, Elapsed: time.Since(start)}
	p.ids = make([]string, len(res.Matched))
	for i, k := range res.Matched {
		p.ids[i] = recs[k].ID
	}
	// The first matches by customer id (numeric ids as numbers, as
	// everywhere in Chorus), kept in a small sorted window rather than by
	// sorting what may be a million matches.
	var first []int
	for _, k := range res.Matched {
		if sample <= 0 {
			break
		}
		at, _ := slices.BinarySearchFunc(first, k, func(a, b int) int { return insight.CompareIDs(recs[a].ID, recs[b].ID) })
		if at >= sample {
			continue
		}
		first = slices.Insert(first, at, k)
		if len(first) > sample {
			first = first[:sample]
		}
	}
	for _, k := range first {
		p.Sample = append(p.Sample, recs[k])
	}
	p.Warnings = unusedKeys(prog, recs)
	return p, nil
}

// unusedKeys warns about each constant map key of prog that no record has,
// listing the keys that are in use.
func unusedKeys(prog *Program, recs []Record) []string {
	var out []string
	for _, mk := range prog.MapKeys() {
		inUse := map[string]bool{}
		found := false
		for i := range recs {
			var has bool
			switch mk.Field {
			case "affinity":
				_, has = recs[i].Affinity[mk.Key]
				for k := range recs[i].Affinity {
					inUse[k] = true
				}
			case "brand_affinity":
				_, has = recs[i].BrandAffinity[mk.Key]
				for k := range recs[i].BrandAffinity {
					inUse[k] = true
				}
			case "attrs":
				_, has = recs[i].Attrs[mk.Key]
				for k := range recs[i].Attrs {
					inUse[k] = true
				}
			}
			if has {
				found = true
				break
			}
		}
		if found || len(recs) == 0 {
			continue
		}
		keys := slices.Sorted(maps.Keys(inUse))
		msg := fmt.Sprintf("no customer has %s[%q]", mk.Field, mk.Key)
		switch {
		case len(keys) == 0:
			msg += fmt.Sprintf("; no customer has any %s yet", mk.Field)
		default:
			if s := nearest(mk.Key, keys); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			if len(keys) > 30 {
				keys = append(keys[:30], fmt.Sprintf("… %d more", len(keys)-30))
			}
			msg += "; keys in use: " + strings.Join(keys, ", ")
		}
		out = append(out, msg)
	}
	return out
}

// Create validates name, compiles and evaluates expression over every
// record, and saves the segment with its membership in one transaction.
// It returns the saved segment and the dry run it was built from. An
// existing name is apperr.Conflict.
func (e *Engine) Create(ctx context.Context, name, expression, description string, sample int) (Segment, Preview, error) {
	if err := ValidateName(name); err != nil {
		return Segment{}, Preview{}, err
	}
	if old, err := e.store.GetSegment(ctx, name); err == nil {
		return Segment{}, Preview{}, apperr.New(apperr.Conflict,
			"segment %q already exists (version %d); replace its expression with --replace or delete it first", name, old.Version)
	} else if !apperr.Is(err, apperr.NotFound) {
		return Segment{}, Preview{}, err
	}
	p, err := e.Preview(ctx, expression, sample)
	if err != nil {
		return Segment{}, Preview{}, err
	}
	now := e.now()
	s, err := e.store.CreateSegment(ctx, Segment{Name: name, Expression: p.Expression, Description: description,
		CreatedAt: now, UpdatedAt: now, RefreshedAt: now}, p.ids)
	return s, p, err
}

// Replace gives an existing segment a new expression (and description, when
// not empty), increments its version and rebuilds its membership, keeping
// "since" for customers who stay. An unknown name is apperr.NotFound.
func (e *Engine) Replace(ctx context.Context, name, expression, description string, sample int) (Segment, Change, Preview, error) {
	old, err := e.store.GetSegment(ctx, name)
	if err != nil {
		return Segment{}, Change{}, Preview{}, err
	}
	p, err := e.Preview(ctx, expression, sample)
	if err != nil {
		return Segment{}, Change{}, Preview{}, err
	}
	if description == "" {
		description = old.Description
	}
	now := e.now()
	s, ch, err := e.store.UpdateSegment(ctx, Segment{Name: name, Expression: p.Expression, Description: description,
		UpdatedAt: now, RefreshedAt: now}, p.ids)
	return s, ch, p, err
}

// Refresh rebuilds the membership of the named segment, or of every segment
// when name is "", from all records, and returns the diffs. A segment
// replaced while it was being evaluated is evaluated again. Rebuilding
// every segment also clears the marks of writes read before it began
// (see Follow).
func (e *Engine) Refresh(ctx context.Context, name string) (Changes, error) {
	if name != "" {
		return e.refresh(ctx, name)
	}
	pending, err := e.store.PendingSegmentCustomers(ctx)
	if err != nil {
		return nil, err
	}
	out, err := e.refresh(ctx, "")
	if err != nil || len(pending) == 0 {
		return out, err
	}
	return out, e.store.FollowSegmentChanges(ctx, nil, e.now(), pending)
}

func (e *Engine) refresh(ctx context.Context, name string) (Changes, error) {
	var segs []Segment
	if name != "" {
		s, err := e.store.GetSegment(ctx, name)
		if err != nil {
			return nil, err
		}
		segs = []Segment{s}
	} else {
		var err error
		if segs, err = e.store.ListSegments(ctx); err != nil {
			return nil, err
		}
	}
	if len(segs) == 0 {
		return nil, nil
	}
	recs, err := e.src.Records(ctx)
	if err != nil {
		return nil, err
	}
	var out Changes
	for _, s := range segs {
		for attempt := 0; ; attempt++ {
			ch, err := e.refreshOne(ctx, s, recs)
			if apperr.Is(err, apperr.NotFound) && name == "" {
				break // deleted while the others were being rebuilt
			}
			if apperr.Is(err, apperr.Conflict) && attempt < 2 {
				if s, err = e.store.GetSegment(ctx, s.Name); err != nil {
					return out, err
				}
				continue
			}
			if err != nil {
				return out, fmt.Errorf("refresh segment %q: %w", s.Name, err)
			}
			out = append(out, ch)
			break
		}
	}
	return out, nil
}

func (e *Engine) refreshOne(ctx context.Context, s Segment, recs []Record) (Change, error) {
	prog, err := Compile(s.Expression)
	if err != nil {
		return Change{}, err
	}
	res, err := prog.Filter(ctx, recs, e.Workers)
	if err != nil {
		return Change{}, err
	}
	ids := make([]string, len(res.Matched))
	for i, k := range res.Matched {
		ids[i] = recs[k].ID
	}
	return e.store.RefreshSegment(ctx, s.Name, s.Version, ids, e.now())
}

// Refreshed is what a refresh changed (`chorus segment refresh`); in
// JSON it is the list of changes.
type Refreshed struct {
	Changes Changes
	// Customers is how many customers were re-evaluated (0: all).
	Customers int
	// Took is how long the refresh took, by the engine's clock.
	Took time.Duration
}

// MarshalJSON writes the changes, an empty list rather than null, and
// leaves <, > and & as they are (customer ids are the shop's own).
func (r Refreshed) MarshalJSON() ([]byte, error) {
	cs := r.Changes
	if cs == nil {
		cs = Changes{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	err := enc.Encode(cs)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// RefreshFor re-evaluates the segments: every saved segment for the
// customers ids when any are given, else the segment name ("" for all)
// for everyone. Naming a segment with customers is Invalid: a customer's
// change can move her in or out of any segment.
func (e *Engine) RefreshFor(ctx context.Context, name string, ids []string) (Refreshed, error) {
	if err := CheckRefresh(name, ids); err != nil {
		return Refreshed{}, err
	}
	start, r := e.now(), Refreshed{Customers: len(ids)}
	var err error
	if len(ids) == 0 {
		r.Changes, err = e.Refresh(ctx, name)
	} else {
		r.Changes, err = e.OnCustomers(ctx, ids)
	}
	r.Took = e.now().Sub(start)
	return r, err
}

// CheckRefresh is RefreshFor's rule, for a caller to check before it
// opens anything.
func CheckRefresh(name string, ids []string) error {
	if len(ids) > 0 && name != "" {
		return apperr.New(apperr.Invalid, "segment refresh: --customers re-evaluates every segment; leave out NAME")
	}
	return nil
}

// OnEvents keeps membership current as events arrive: it recomputes the
// records of just the customers the events touch, re-evaluates every saved
// segment for them and applies the joined/left diffs in one transaction.
// Callers (the importer, the campaign layer) call it after storing events.
// Events without a customer are ignored.
func (e *Engine) OnEvents(ctx context.Context, events []event.Event) (Changes, error) {
	seen := make(map[string]bool)
	var ids []string
	for _, ev := range events {
		if ev.CustomerID != "" && !seen[ev.CustomerID] {
			seen[ev.CustomerID] = true
			ids = append(ids, ev.CustomerID)
		}
	}
	return e.OnCustomers(ctx, ids)
}

// OnCustomers is OnEvents for changes that are not events (a consent was
// granted or revoked, a profile was edited): it re-evaluates every saved
// segment for the given customers and applies the diffs in one
// transaction. A stored segment whose expression no longer compiles is
// skipped and reported in the returned error after the others are applied.
func (e *Engine) OnCustomers(ctx context.Context, ids []string) (Changes, error) {
	return e.onCustomersApply(ctx, ids, func(ctx context.Context, chs Changes) error {
		if len(chs) == 0 {
			return nil
		}
		return e.store.ApplySegmentChanges(ctx, chs, e.now())
	})
}

// onCustomersApply is OnCustomers with apply writing the changes (it is
// called once per attempt, with none too).
func (e *Engine) onCustomersApply(ctx context.Context, ids []string, apply func(context.Context, Changes) error) (Changes, error) {
	if len(ids) == 0 {
		return nil, apply(ctx, nil)
	}
	for attempt := 0; ; attempt++ {
		out, err := e.onCustomers(ctx, ids, apply)
		if (apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound)) && attempt < 2 {
			continue // a segment was replaced or deleted meanwhile: start over
		}
		if err != nil {
			return nil, err
		}
		return out.changes, errors.Join(out.broken...)
	}
}

// incremental is the outcome of one OnCustomers attempt: the applied
// changes and the stored segments that could not be compiled.
type incremental struct {
	changes Changes
	broken  []error
}

func (e *Engine) onCustomers(ctx context.Context, ids []string, apply func(context.Context, Changes) error) (incremental, error) {
	var out incremental
	segs, err := e.store.ListSegments(ctx)
	if err != nil {
		return out, err
	}
	if len(segs) == 0 {
		return out, apply(ctx, nil)
	}
	recs, err := e.src.RecordsFor(ctx, ids)
	if err != nil {
		return out, err
	}
	byID := make(map[string]*Record, len(recs))
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	current, err := e.store.SegmentMemberships(ctx, ids)
	if err != nil {
		return out, err
	}
	var machine vm.VM
	for _, s := range segs {
		prog, err := Compile(s.Expression)
		if err != nil {
			out.broken = append(out.broken, fmt.Errorf("segment %q: %w", s.Name, err))
			continue
		}
		ch := Change{Segment: s.Name, Version: s.Version}
		for _, id := range ids {
			in := false
			if r := byID[id]; r != nil {
				// An evaluation error (say, a missing attrs key) means "no
				// match", as in a full rebuild.
				in, _ = prog.Match(&machine, r)
			}
			was := slices.Contains(current[id], s.Name)
			switch {
			case in && !was:
				ch.Joined = append(ch.Joined, id)
			case !in && was:
				ch.Left = append(ch.Left, id)
			}
		}
		if !ch.Empty() {
			out.changes = append(out.changes, ch)
		}
	}
	if err := apply(ctx, out.changes); err != nil {
		return incremental{}, err
	}
	return out, nil
}

// Count evaluates the expression of a saved segment over current records
// without changing its stored membership, so that drift since the last
// update shows.
func (e *Engine) Count(ctx context.Context, name string) (Segment, Preview, error) {
	s, err := e.store.GetSegment(ctx, name)
	if err != nil {
		return Segment{}, Preview{}, err
	}
	p, err := e.Preview(ctx, s.Expression, 0)
	return s, p, err
}
