package tracking

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

// A mail report is what a mail server sends back about a message, posted
// raw to POST /hooks/email: a delivery status notification (RFC 3464,
// multipart/report; report-type=delivery-status) or an abuse feedback
// report of a feedback loop (RFC 5965, report-type=feedback-report). The
// body is the report message itself (Content-Type message/rfc822) or its
// multipart/report body (the HTTP Content-Type carries the boundary).

// Mail report kinds (MailReport.Kind).
const (
	ReportBounce    = KindBounce    // failed or delayed: Hard says which
	ReportComplaint = KindComplaint // an abuse (fraud, virus, other) feedback report
	ReportDelivered = KindDelivered // a DSN of a successful delivery
)

// MailReport is what a DSN or ARF report says.
type MailReport struct {
	// Kind is ReportBounce, ReportComplaint or ReportDelivered.
	Kind string
	// Hard is a permanent failure (Status 5.x.x); a 4.x.x failure or
	// delay is soft.
	Hard bool
	// Status is the DSN's status code (5.1.1), or the feedback type
	// (abuse) of a complaint.
	Status string
	// MessageIDs are the ids the report names the original message by,
	// most reliable first: the returned headers' Message-ID, then the
	// report's In-Reply-To and References.
	MessageIDs []string
	// Unsubscribe are the tokens of our unsubscribe links found in the
	// returned headers (List-Unsubscribe), a second way to the send.
	Unsubscribe []string
	// At is when it happened (Arrival-Date, else the report's Date);
	// zero when neither parses.
	At time.Time
}

// maxMailReport bounds a posted mail report (a DSN or ARF report usually
// returns the whole original message).
const maxMailReport = 1 << 20

// IsMailReport reports whether a request's Content-Type is a raw mail
// report's: message/rfc822 or multipart/report.
func IsMailReport(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && (mt == "message/rfc822" || mt == "multipart/report")
}

func badReport(format string, args ...any) error {
	return apperr.New(apperr.Invalid, "the mail report "+format, args...)
}

// ParseMailReport reads a DSN or ARF report posted with Content-Type
// contentType. Errors are apperr.Invalid, saying what is wrong: not a
// report, a report of another type, no delivery-status or
// feedback-report part, a status that is not x.y.z, a feedback type that
// is not a complaint.
func ParseMailReport(contentType string, body []byte) (MailReport, error) {
	if len(body) > maxMailReport {
		return MailReport{}, badReport("is larger than %d KiB", maxMailReport>>10)
	}
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return MailReport{}, badReport("has no valid Content-Type")
	}
	var outer textproto.MIMEHeader
	switch mt {
	case "message/rfc822":
		msg, err := mail.ReadMessage(bytes.NewReader(body))
		if err != nil {
			return MailReport{}, badReport("is not an e-mail message")
		}
		outer = textproto.MIMEHeader(msg.Header)
		if mt, params, err = mime.ParseMediaType(msg.Header.Get("Content-Type")); err != nil {
			return MailReport{}, badReport("has no valid Content-Type header")
		}
		if body, err = io.ReadAll(msg.Body); err != nil {
			return MailReport{}, badReport("could not be read")
		}
	case "multipart/report":
	default:
		return MailReport{}, badReport("must be posted as message/rfc822 or multipart/report, not %s", mt)
	}
	if mt != "multipart/report" {
		return MailReport{}, badReport("is %s, not a multipart/report (RFC 6522)", mt)
	}
	if params["boundary"] == "" {
		return MailReport{}, badReport("has no multipart boundary")
	}
	var rep MailReport
	reportType := strings.ToLower(params["report-type"])
	var fields []textproto.MIMEHeader // the report part's field blocks
	var returned textproto.MIMEHeader // the original message's headers
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return MailReport{}, badReport("is not a well-formed multipart message")
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		data, err := partBody(p)
		if err != nil {
			return MailReport{}, badReport("has a part that could not be decoded")
		}
		switch pt {
		case "message/delivery-status", "message/global-delivery-status", "message/feedback-report":
			if fields, err = fieldBlocks(data); err != nil || len(fields) == 0 {
				return MailReport{}, badReport("has a %s part that could not be read", pt)
			}
			if reportType == "" { // tolerate a missing report-type parameter
				reportType = map[bool]string{true: "feedback-report", false: "delivery-status"}[pt == "message/feedback-report"]
			}
		case "message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers":
			if h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(data))).ReadMIMEHeader(); err == nil || len(h) > 0 {
				returned = h
			}
		}
	}
	if fields == nil {
		return MailReport{}, badReport("has no delivery-status or feedback-report part")
	}
	switch reportType {
	case "delivery-status":
		if err := rep.readDSN(fields); err != nil {
			return MailReport{}, err
		}
	case "feedback-report":
		if err := rep.readARF(fields[0]); err != nil {
			return MailReport{}, err
		}
	default:
		return MailReport{}, badReport("is of type %q: only delivery-status (RFC 3464) and feedback-report (RFC 5965) are read", clean(reportType))
	}
	if returned != nil {
		rep.MessageIDs = append(rep.MessageIDs, msgIDs(returned.Get("Message-Id"))...)
		rep.Unsubscribe = unsubscribeTokens(returned.Values("List-Unsubscribe"))
	}
	if outer != nil {
		rep.MessageIDs = append(rep.MessageIDs, msgIDs(outer.Get("In-Reply-To"))...)
		rep.MessageIDs = append(rep.MessageIDs, msgIDs(outer.Get("References"))...)
		if rep.At.IsZero() {
			rep.At, _ = mail.ParseDate(outer.Get("Date"))
		}
	}
	return rep, nil
}

// partBody is a part's content, decoded from base64 or quoted-printable
// (message/* parts must be 7bit or 8bit, but text/rfc822-headers need
// not be).
func partBody(p *multipart.Part) ([]byte, error) {
	var r io.Reader = io.LimitReader(p, maxMailReport)
	switch strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))) {
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &newlineDropper{r: r})
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	}
	return io.ReadAll(r)
}

// newlineDropper removes CR and LF (base64 bodies come in lines).
type newlineDropper struct{ r io.Reader }

func (d *newlineDropper) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	k := 0
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			p[k] = c
			k++
		}
	}
	return k, err
}

// fieldBlocks reads the header-like blocks of a delivery-status or
// feedback-report part, separated by blank lines: the per-message fields,
// then one block per recipient.
func fieldBlocks(data []byte) ([]textproto.MIMEHeader, error) {
	tr := textproto.NewReader(bufio.NewReader(bytes.NewReader(data)))
	var out []textproto.MIMEHeader
	for range 1000 {
		// blank lines between blocks (some servers write two)
		for {
			b, err := tr.R.Peek(1)
			if err != nil || (b[0] != '\r' && b[0] != '\n') {
				break
			}
			tr.R.ReadByte()
		}
		if _, err := tr.R.Peek(1); err != nil {
			return out, nil
		}
		h, err := tr.ReadMIMEHeader()
		if len(h) > 0 {
			out = append(out, h)
		}
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// readDSN judges a delivery status notification by its recipient blocks:
// the first failed or delayed one, else the first one.
func (r *MailReport) readDSN(blocks []textproto.MIMEHeader) error {
	perMessage, recips := blocks[0], blocks[1:]
	if perMessage.Get("Final-Recipient") != "" { // no per-message block
		perMessage, recips = textproto.MIMEHeader{}, blocks
	}
	if len(recips) == 0 {
		return badReport("has no recipient block (Final-Recipient, Action, Status)")
	}
	pick := recips[0]
	for _, b := range recips {
		if a := strings.ToLower(strings.TrimSpace(b.Get("Action"))); a == "failed" || a == "delayed" {
			pick = b
			break
		}
	}
	action := strings.ToLower(strings.TrimSpace(pick.Get("Action")))
	status := strings.TrimSpace(pick.Get("Status"))
	if i := strings.IndexAny(status, " \t("); i > 0 {
		status = status[:i] // "5.1.1 (bad destination mailbox address)"
	}
	class, ok := statusClass(status)
	if !ok {
		return badReport("has Status %q, not a status code like 5.1.1", clean(status))
	}
	r.Status = status
	switch {
	case action == "delivered" || action == "relayed" || action == "expanded":
		if class != '2' {
			return badReport("says %s with Status %s", action, status)
		}
		r.Kind = ReportDelivered
	case action == "failed" || action == "delayed" || action == "":
		switch class {
		case '5':
			r.Kind, r.Hard = ReportBounce, true
		case '4':
			r.Kind = ReportBounce
		default:
			return badReport("says %s with Status %s (a failure is 4.x.x or 5.x.x)", action, status)
		}
	default:
		return badReport("has Action %q, not failed, delayed, delivered, relayed or expanded", clean(action))
	}
	for _, b := range []textproto.MIMEHeader{pick, perMessage} {
		if t, err := mail.ParseDate(b.Get("Arrival-Date")); err == nil {
			r.At = t
			break
		}
	}
	return nil
}

// complaintTypes are the feedback types that are a recipient's complaint
// (RFC 5965 §7.3); auth-failure and not-spam reports are not.
var complaintTypes = map[string]bool{"abuse": true, "fraud": true, "virus": true, "other": true}

// readARF reads an abuse feedback report's fields.
func (r *MailReport) readARF(f textproto.MIMEHeader) error {
	ft := strings.ToLower(strings.TrimSpace(f.Get("Feedback-Type")))
	if ft == "" {
		return badReport("has no Feedback-Type")
	}
	if !complaintTypes[ft] {
		return badReport("has Feedback-Type %q, which is not a complaint (abuse, fraud, virus or other)", clean(ft))
	}
	r.Kind, r.Status = ReportComplaint, ft
	if t, err := mail.ParseDate(f.Get("Arrival-Date")); err == nil {
		r.At = t
	} else if t, err := mail.ParseDate(f.Get("Received-Date")); err == nil {
		r.At = t
	}
	return nil
}

// statusClass checks an RFC 3463 status code (class.subject.detail) and
// returns its class digit.
func statusClass(s string) (byte, bool) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[0]) != 1 || !strings.ContainsAny(parts[0], "245") {
		return 0, false
	}
	for _, p := range parts[1:] {
		if len(p) == 0 || len(p) > 3 || strings.Trim(p, "0123456789") != "" {
			return 0, false
		}
	}
	return parts[0][0], true
}

// msgIDs splits a Message-ID, In-Reply-To or References value into ids.
func msgIDs(v string) []string {
	var out []string
	for _, f := range strings.Fields(strings.NewReplacer(">", "> ", ",", " ").Replace(v)) {
		if f = strings.Trim(f, "<>"); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// unsubscribeTokens finds the tokens of our unsubscribe links
// (…/u/{token}) in List-Unsubscribe values.
func unsubscribeTokens(values []string) []string {
	var out []string
	for _, v := range values {
		for _, u := range strings.Split(v, ",") {
			u = strings.Trim(strings.TrimSpace(u), "<>")
			if i := strings.LastIndex(u, token.UnsubscribePath); i >= 0 && strings.HasPrefix(u, "http") {
				tok := u[i+len(token.UnsubscribePath):]
				if j := strings.IndexAny(tok, "?#/"); j >= 0 {
					tok = tok[:j]
				}
				if tok != "" {
					out = append(out, tok)
				}
			}
		}
	}
	return out
}

// MailReport verifies and applies a raw mail report posted to
// /hooks/email with Content-Type contentType, before it returns, as
// Receipt does a JSON one: signed the same way (Standard Webhooks, over
// the raw body, with tracking.hooks.email's secret), and a repeat of a
// webhook-id changes nothing. A hard bounce suppresses the recipient's
// address (hard_bounce); a complaint suppresses it (complaint) and
// revokes marketing e-mail consent; a soft bounce and a delivery are
// recorded. The send is found by the returned message's Message-ID (then
// In-Reply-To and References), else by the unsubscribe token in its
// List-Unsubscribe header. Errors are Receipt's, and apperr.Invalid for
// a body that is not a DSN or ARF report (ParseMailReport).
func (s *Service) MailReport(ctx context.Context, channel, contentType string, sig Signature, body []byte) (ReceiptResult, error) {
	if s.hooks == nil {
		return ReceiptResult{}, apperr.New(apperr.NotFound, "no receipts are configured for channel %q", channel)
	}
	now := s.now()
	if err := s.hooks.verify(channel, sig, body, now); err != nil {
		return ReceiptResult{}, err
	}
	if channel != customer.ChannelEmail {
		return ReceiptResult{}, apperr.New(apperr.Invalid, "mail reports (message/rfc822, multipart/report) are posted to /hooks/email, not /hooks/%s", channel)
	}
	rep, err := ParseMailReport(contentType, body)
	if err != nil {
		return ReceiptResult{}, err
	}
	ref, err := s.reportSend(ctx, rep)
	if err != nil {
		return ReceiptResult{}, err
	}
	cu, err := s.store.GetCustomer(ctx, ref.CustomerID)
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return ReceiptResult{}, err
	}
	at := rep.At
	if at.IsZero() || at.After(now.Add(receiptTolerance)) {
		at = now
	}
	at = at.UTC()
	typ := map[string]string{ReportBounce: EmailBounced, ReportComplaint: EmailComplained, ReportDelivered: EmailDelivered}[rep.Kind]
	e := Effect{Hit: Hit{Key: DerivedKey("receipt", channel, sig.ID), Kind: rep.Kind, SendID: ref.ID, Campaign: ref.Campaign,
		Channel: ref.Channel, Variant: ref.Variant, CustomerID: ref.CustomerID, Code: clean(rep.Status), At: at}}
	suppress := func(reason string) {
		if sp, err := policy.NewSuppression(policy.KindEmail, cu.Email, reason, false, "receipt "+typ, "mail report", at); err == nil {
			e.Suppress = append(e.Suppress, sp)
		}
	}
	switch rep.Kind {
	case ReportBounce:
		e.Hit.Detail = "soft"
		if rep.Hard {
			e.Hit.Detail = "hard"
			suppress("hard_bounce")
		}
	case ReportComplaint:
		suppress("complaint")
		e.Revoke = append(e.Revoke, customer.Consent{CustomerID: ref.CustomerID, Channel: customer.ChannelEmail,
			Purpose: customer.PurposeMarketing, Status: customer.Revoked, LegalBasis: "consent", Source: "spam complaint", At: at})
	}
	if cu.ID == "" {
		e.Suppress, e.Revoke = nil, nil
	}
	er, err := s.store.ApplyEffect(ctx, e)
	if err != nil {
		return ReceiptResult{}, err
	}
	return ReceiptResult{Kind: rep.Kind, Duplicate: !er.New, EffectResult: er}, nil
}

// reportSend finds the e-mail send a mail report is about.
func (s *Service) reportSend(ctx context.Context, rep MailReport) (SendRef, error) {
	for _, id := range rep.MessageIDs {
		key := SendKeyOf(id)
		if key == "" {
			continue
		}
		ref, err := s.store.SendByKey(ctx, key)
		if err == nil && ref.Channel == customer.ChannelEmail {
			return ref, nil
		}
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return SendRef{}, err
		}
	}
	for _, tok := range rep.Unsubscribe {
		cl, err := s.codec.Verify(tok, token.Unsubscribe)
		if err != nil {
			continue
		}
		id, ok := ParseSendID(cl.SendID)
		if !ok {
			continue
		}
		got, err := s.store.Sends(ctx, []int64{id})
		if err != nil {
			return SendRef{}, err
		}
		if ref, ok := got[id]; ok && ref.Channel == customer.ChannelEmail {
			return ref, nil
		}
	}
	return SendRef{}, apperr.New(apperr.NotFound, "the mail report names no e-mail Chorus sent (no Message-ID or unsubscribe link of ours in the returned headers)")
}
