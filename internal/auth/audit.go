package auth

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// MaxAuditDetail bounds an entry's detail, in runes; longer is cut.
const MaxAuditDetail = 500

// RecordDone records e for a change already made (e.Action of
// e.Target): a failure says the change is done but not in the log, with
// the kind of the failure.
func (s *Service) RecordDone(ctx context.Context, e Entry) error {
	err := s.Record(ctx, e)
	return apperr.Wrap(err, apperr.KindOf(err), "%s of %s is done, but the audit log could not record it", e.Action, e.Target)
}

// Record appends e to the audit log. At defaults to now and Actor to
// ctx's actor (Actor); an entry without an action is Invalid. Targets and
// details name things (a campaign, a setting), never a customer's data.
func (s *Service) Record(ctx context.Context, e Entry) (err error) {
	defer apperr.Wrapf(&err, "Service.Record")
	e.Action = strings.TrimSpace(e.Action)
	if e.Action == "" {
		return apperr.New(apperr.Invalid, "an audit entry needs an action")
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	if e.Actor == "" {
		e.Actor = Actor(ctx)
	}
	if utf8.RuneCountInString(e.Detail) > MaxAuditDetail {
		e.Detail = string([]rune(e.Detail)[:MaxAuditDetail-1]) + "…"
	}
	_, err = s.st.InsertAudit(ctx, e)
	return err
}

// Audit is the entries filter selects, newest first (none is an empty
// list). A negative limit is Invalid; a limit above MaxAuditLimit is
// MaxAuditLimit.
func (s *Service) Audit(ctx context.Context, filter AuditFilter) (Entries, error) {
	switch {
	case filter.Limit < 0:
		return nil, apperr.New(apperr.Invalid, "the audit limit must be positive")
	case filter.Limit == 0:
		filter.Limit = DefaultAuditLimit
	case filter.Limit > MaxAuditLimit:
		filter.Limit = MaxAuditLimit
	}
	es, err := s.st.ListAudit(ctx, filter)
	return orEmpty(es), err
}
