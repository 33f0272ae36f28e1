package content

import (
	"context"
	"fmt"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
)

// TargetFor rebuilds what a stored item is checked against: its channel,
// language, product (from the catalog), the run's brief and voice.
// Single-shot items without a stored run get the default brief.
func (d Deps) TargetFor(ctx context.Context, it Item) (Target, error) {
	spec, err := SpecFor(it.Channel)
	if err != nil {
		return Target{}, err
	}
	b := DefaultBrief(it.Language)
	if run, err := d.Store.GetRun(ctx, it.RunID); err == nil {
		b = run.Brief
	} else if !apperr.Is(err, apperr.NotFound) {
		return Target{}, err
	}
	var p *catalog.Product
	if it.SKU != "" && d.Catalog != nil {
		if cp, err := d.Catalog.GetProduct(ctx, it.SKU); err == nil {
			p = &cp
		}
	}
	v := DefaultVoice(d.signer(b, p))
	if b.Voice != "" {
		if sv, err := d.Store.GetVoice(ctx, b.Voice); err == nil {
			v = sv
		}
	}
	t := Target{Spec: spec, Lang: it.Language, Voice: v, Brief: b, Slots: it.Slots,
		Sender: b.SenderFor(it.Language, v.Brand), OptOut: b.OptOutFor(it.Language), Grounding: Grounding{Brief: b}}
	if p != nil {
		t.Product = p
		t.Grounding.Products = []catalog.Product{*p}
	}
	return t, nil
}

// Review moves an item to approved or rejected with an audit entry.
// Approving a flagged item needs a note saying why the flag is accepted:
// Invalid without one (the message names no flag or field, since the
// console and the API show it too; the CLI adds its flag). On an error
// the item returned is the stored one.
func (d Deps) Review(ctx context.Context, id, to, actor, note string) (Item, error) {
	it, err := d.Store.GetItem(ctx, id)
	if err != nil {
		return it, err
	}
	action, err := Transition(it.Status, to)
	if err != nil {
		return it, err
	}
	if to == StatusApproved && it.Status == StatusFlagged && strings.TrimSpace(note) == "" {
		return it, apperr.New(apperr.Invalid, "item %s is flagged (%s): approving a flagged item needs a note saying why", id, violationList(it.Violations))
	}
	if actor == "" {
		actor = "cli"
	}
	from := it.Status
	it.Status, it.UpdatedAt = to, d.now()
	a := Audit{ItemID: id, At: it.UpdatedAt, Actor: actor, Action: action, From: from, To: to, Note: note}
	return it, d.Store.UpdateItem(ctx, it, a)
}

// Edit changes one field of an item, validates it again against its
// target and stores it as draft (passes) or flagged (still violates),
// with the change in the audit trail. Approved items are re-opened.
func (d Deps) Edit(ctx context.Context, id, field, value, actor, note string) (Item, []Violation, error) {
	it, err := d.Store.GetItem(ctx, id)
	if err != nil {
		return it, nil, err
	}
	t, err := d.TargetFor(ctx, it)
	if err != nil {
		return it, nil, err
	}
	if _, ok := t.Spec.Field(field); !ok {
		return it, nil, apperr.New(apperr.Invalid, "channel %s has no field %q (fields: %s)", it.Channel, field, strings.Join(t.Spec.FieldNames(), ", "))
	}
	old := it.Copy.Field(field)
	it.Copy.SetField(field, value)
	it.Violations = dedupeViolations(append(t.Validate(it.Copy), complianceViolations(ctx, d.Checker, t, it.Copy)...))
	from := it.Status
	Finish(&it, t)
	it.UpdatedAt = d.now()
	if actor == "" {
		actor = "cli"
	}
	msg := fmt.Sprintf("%s: %q → %q", field, snip(old, 60), snip(value, 60))
	if note != "" {
		msg = note + " (" + msg + ")"
	}
	if len(it.Violations) > 0 {
		msg += "; still failing: " + violationList(it.Violations)
	}
	a := Audit{ItemID: id, At: it.UpdatedAt, Actor: actor, Action: "edited", From: from, To: it.Status, Note: msg}
	return it, it.Violations, d.Store.UpdateItem(ctx, it, a)
}

func violationList(vs []Violation) string {
	var s []string
	for _, v := range vs {
		s = append(s, v.String())
	}
	return strings.Join(s, "; ")
}

func snip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
