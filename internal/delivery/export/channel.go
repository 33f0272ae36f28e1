package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"sync"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/delivery"
)

// AudienceSender is the ad channel of campaigns: each chunk of a
// campaign's sends the queue hands it becomes one customer-match file,
// <campaign>.<part>.<platform>.csv, where part is a digest of the chunk's
// idempotency keys, so a retried chunk rewrites the same file with the
// same bytes. A message's To is her e-mail address and Data["phone"] her
// phone number; its result ID names the file. The folder is created on
// the first chunk, not when a worker starts.
type AudienceSender struct {
	cfg      config.ExportDelivery
	platform Platform
	once     sync.Once
	x        *Exporter
	err      error
}

// NewAudienceSender returns the ad channel's sender for the export
// settings. Errors: Invalid naming delivery.export.ad_platform.
func NewAudienceSender(cfg config.ExportDelivery) (*AudienceSender, error) {
	p := Platform(cfg.AdPlatform)
	if p == "" {
		p = Google
	}
	if !slices.Contains(Platforms, p) {
		return nil, apperr.New(apperr.Invalid, "delivery.export.ad_platform %q: use google or meta (CHORUS_DELIVERY_EXPORT_AD_PLATFORM)", cfg.AdPlatform)
	}
	return &AudienceSender{cfg: cfg, platform: p}, nil
}

// Send delivers one message as a chunk of one.
func (a *AudienceSender) Send(ctx context.Context, m delivery.Message) (delivery.Result, error) {
	rs, errs := a.SendBatch(ctx, []delivery.Message{m})
	return rs[0], errs[0]
}

// SendBatch writes msgs as one audience file. A member without a usable
// identifier fails permanently (no_identifier); a file that cannot be
// written fails every message temporarily.
func (a *AudienceSender) SendBatch(ctx context.Context, msgs []delivery.Message) ([]delivery.Result, []error) {
	rs := make([]delivery.Result, len(msgs))
	errs := make([]error, len(msgs))
	fail := func(e error) ([]delivery.Result, []error) {
		for i := range errs {
			errs[i] = e
		}
		return rs, errs
	}
	a.once.Do(func() { a.x, a.err = FromConfig(a.cfg) })
	if a.err != nil {
		return fail(&delivery.Error{Class: delivery.Temporary, Code: delivery.CodePeerUnavailable, Msg: "the export folder cannot be used", Err: a.err})
	}
	if len(msgs) == 0 {
		return rs, errs
	}
	keys := make([]string, len(msgs))
	members := make([]Member, len(msgs))
	for i, m := range msgs {
		keys[i] = m.Key
		members[i] = Member{SendID: m.Key, Email: m.To, Phone: m.Data["phone"]}
	}
	slices.Sort(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k + "\n"))
	}
	name := msgs[0].CampaignID + "." + hex.EncodeToString(h.Sum(nil))[:16]
	res, err := a.x.Audience(ctx, name, a.platform, members)
	if err != nil {
		return fail(&delivery.Error{Class: delivery.Temporary, Code: delivery.CodePeerUnavailable, Msg: "the audience file could not be written", Err: err})
	}
	skipped := map[string]bool{}
	for _, sk := range res.Skipped {
		skipped[sk.SendID] = true
	}
	for i, m := range msgs {
		if skipped[m.Key] {
			errs[i] = &delivery.Error{Class: delivery.Permanent, Code: SkipNoIdentifier,
				Msg: "neither her e-mail address nor her phone number can be matched on " + string(a.platform)}
			continue
		}
		rs[i] = delivery.Result{ID: m.Key, PeerID: res.Path}
	}
	return rs, errs
}
