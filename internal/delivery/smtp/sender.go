// Package smtp is the email Sender: messages over SMTP with go-mail, from a
// pool of reused connections (each sending many messages, reconnecting on
// failure), as multipart text and HTML with a Message-ID derived from the
// send's idempotency key, RFC 8058 one-click List-Unsubscribe headers and
// optional DKIM (Ed25519 or RSA). SMTP replies become delivery errors the
// queue can act on (ClassifyReply): 4xx temporary, 421/451/454 throttling
// of the recipient's domain, 5xx permanent with the enhanced code, and
// hard bounces (5.1.1 …) marked to suppress the address.
package smtp

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"errors"
	"net"
	"net/textproto"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-msgauth/dkim"
	gomail "github.com/wneessen/go-mail"
	gsmtp "github.com/wneessen/go-mail/smtp"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/delivery"
)

// Sender sends email over SMTP. It is safe for concurrent use; at most
// Config.Connections sends are in flight at once, each on its own
// connection.
//
// go-mail opens each session (TLS, STARTTLS, AUTH) and renders each
// message; the transaction itself (MAIL, RCPT, DATA) runs on go-mail's
// SMTP client directly, so that the exact bytes sent can be DKIM-signed
// and every reply is seen with its code.
type Sender struct {
	cfg    Config
	ep     endpoint
	tlsCfg *tls.Config
	dkim   *dkim.SignOptions
	now    func() time.Time

	// sem bounds the sends in flight; idle holds the sessions not in use,
	// the most recently used last, so that a light load keeps reusing one
	// warm session instead of cycling through the pool.
	sem    chan struct{}
	idleMu sync.Mutex
	idle   []*conn
	closed atomic.Bool
	// bufs holds the buffers messages are encoded into: a message is a
	// few kilobytes, grown in steps, for every send
	bufs  sync.Pool
	stats struct{ dials, dialFailures, reconnects, sent, failed, reused, retriedStale, pipelined atomic.Int64 }
}

// conn is one pooled SMTP session.
type conn struct {
	sc       *gsmtp.Client
	raw      net.Conn
	rawMu    sync.Mutex
	sent     int
	lastUsed time.Time
	opened   bool // a session was opened on this slot before
	// pipelining: the server offered PIPELINING (RFC 2920), so MAIL, RCPT
	// and DATA go out in one write and their replies are read together;
	// mailParams are the MAIL parameters go-mail's client would add for
	// the server's extensions (BODY=8BITMIME, SMTPUTF8)
	pipelining bool
	mailParams string
}

// signedHeaders are the headers a DKIM signature covers. RFC 8058 §4: the
// List-Unsubscribe headers must be covered, or receivers ignore the
// one-click link. Listing a header a message lacks (Reply-To …) also
// stops one being added in transit.
var signedHeaders = []string{"From", "To", "Subject", "Date", "Message-ID", "Reply-To", "MIME-Version", "Content-Type",
	"Content-Language", "List-Unsubscribe", "List-Unsubscribe-Post", "Feedback-ID"}

// New checks cfg and returns a Sender; it does not connect (the first send
// does, and Check can). Errors are apperr.Invalid and name the setting.
func New(cfg Config) (*Sender, error) {
	if strings.TrimSpace(cfg.URL) == "" {
		return nil, apperr.New(apperr.Invalid, "delivery.email.smtp is not set: give an smtp:// or smtps:// URL (CHORUS_DELIVERY_EMAIL_SMTP)")
	}
	ep, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if err := ep.parseFrom(cfg.From, cfg.ReplyTo); err != nil {
		return nil, err
	}
	if cfg.Connections <= 0 {
		cfg.Connections = 4
	}
	if cfg.MessagesPerConnection <= 0 {
		cfg.MessagesPerConnection = 1000
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 30 * time.Second
	}
	s := &Sender{cfg: cfg, ep: ep, now: time.Now, sem: make(chan struct{}, cfg.Connections)}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	if cfg.TLSConfig != nil {
		s.tlsCfg = cfg.TLSConfig.Clone()
	} else {
		s.tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if s.tlsCfg.ServerName == "" {
		s.tlsCfg.ServerName = ep.host
	}
	if ep.skip {
		s.tlsCfg.InsecureSkipVerify = true
	}
	if d := cfg.DKIM; d != nil {
		if d.Domain == "" || d.Selector == "" || d.Key == nil {
			return nil, apperr.New(apperr.Invalid, "delivery.email.dkim needs domain, selector and key_file together")
		}
		switch d.Key.(type) {
		case ed25519.PrivateKey, *rsa.PrivateKey:
		default:
			return nil, apperr.New(apperr.Invalid, "delivery.email.dkim key must be Ed25519 or RSA")
		}
		s.dkim = &dkim.SignOptions{Domain: strings.ToLower(d.Domain), Selector: d.Selector, Signer: d.Key,
			HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
			HeaderKeys: signedHeaders}
		if _, err := s.sign([]byte("From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\n\r\nx\r\n")); err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "delivery.email.dkim key")
		}
	}
	return s, nil
}

// Stats are a Sender's counts since it was made.
type Stats struct {
	Dials        int64 `json:"dials"`         // sessions opened
	DialFailures int64 `json:"dial_failures"` // sessions that failed to open
	Reconnects   int64 `json:"reconnects"`    // sessions opened on a slot whose previous one ended
	Sent         int64 `json:"sent"`          // messages accepted
	Failed       int64 `json:"failed"`        // sends that failed
	Reused       int64 `json:"reused"`        // messages sent on an already open session
	RetriedStale int64 `json:"retried_stale"` // sends retried at once on a new session after a kept one had died before MAIL was answered
	Pipelined    int64 `json:"pipelined"`     // transactions whose MAIL, RCPT and DATA went out in one write (the server offers PIPELINING)
}

// Stats returns the counts.
func (s *Sender) Stats() Stats {
	return Stats{Dials: s.stats.dials.Load(), DialFailures: s.stats.dialFailures.Load(), Reconnects: s.stats.reconnects.Load(),
		Sent: s.stats.sent.Load(), Failed: s.stats.failed.Load(), Reused: s.stats.reused.Load(), RetriedStale: s.stats.retriedStale.Load(),
		Pipelined: s.stats.pipelined.Load()}
}

// Server returns the server URL without its password, for logs.
func (s *Sender) Server() string { return s.ep.redacted }

// Send delivers m (channel email) over a pooled connection; see
// delivery.Sender for the error contract. Besides the checks of
// Message.Validate it refuses (Permanent invalid_message) a marketing
// message without an unsubscribe URL, an unsubscribe URL that is neither
// https nor http on a loopback host, and (invalid_address) a recipient that
// is not an e-mail address. SMTP replies are classified by ClassifyReply,
// with Scope the recipient's domain; a broken or timed-out connection is
// Temporary (connection, timeout) and is reopened for the next send; a
// session kept open that the server had closed is replaced at once when
// nothing of the message went out. A send waiting for a free connection
// when ctx ends returns Temporary cancelled; a send in flight has its
// connection closed, and whether the server kept the message is unknown.
func (s *Sender) Send(ctx context.Context, m delivery.Message) (delivery.Result, error) {
	start := s.now()
	msg, rcpt, err := s.build(m)
	if err != nil {
		s.stats.failed.Add(1)
		return delivery.Result{}, err
	}
	buf := s.bufs.Get().(*bytes.Buffer)
	defer s.putBuf(buf)
	body, err := s.renderTo(buf, msg, len(m.Text)+len(m.HTML))
	if err != nil {
		s.stats.failed.Add(1)
		return delivery.Result{}, err
	}
	dbuf := s.bufs.Get().(*bytes.Buffer)
	defer s.putBuf(dbuf)
	dbuf.Reset()
	dbuf.Write(appendData(dbuf.AvailableBuffer(), body)) // the buffer keeps what it grew to
	data := dbuf.Bytes()
	if s.closed.Load() {
		return delivery.Result{}, &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeCancelled, Msg: "email sender is closed"}
	}
	c, err := s.acquire(ctx)
	if err != nil {
		return delivery.Result{}, err
	}
	defer s.release(c)

	peerID, err := s.sendOn(ctx, c, rcpt, data, delivery.Domain(rcpt))
	if err != nil {
		s.stats.failed.Add(1)
		return delivery.Result{}, err
	}
	s.stats.sent.Add(1)
	return delivery.Result{ID: delivery.MessageID(m.Key, s.ep.domain), PeerID: peerID, Duration: s.now().Sub(start)}, nil
}

// stage is how far a transaction got.
type stage int

const (
	atMail stage = iota
	atRcpt
	atData
	atDot // the data was sent; the reply to its end is awaited
)

func (s *Sender) sendOn(ctx context.Context, c *conn, rcpt string, data []byte, scope string) (string, error) {
	for attempt := 0; ; attempt++ {
		if c.sc != nil && (c.sent >= s.cfg.MessagesPerConnection || s.now().Sub(c.lastUsed) > s.cfg.IdleTimeout) {
			c.quit()
		}
		reused := c.sc != nil
		if !reused {
			if err := s.dial(ctx, c); err != nil {
				return "", err
			}
		}
		stop := context.AfterFunc(ctx, c.abort)
		if c.pipelining {
			s.stats.pipelined.Add(1)
		}
		resp, st, err := c.transact(s.ep.fromAddr, rcpt, data, s.cfg.Timeout)
		aborted := !stop()
		c.lastUsed = s.now()
		if err == nil && !aborted {
			c.sent++
			if reused {
				s.stats.reused.Add(1)
			}
			return queueID(resp), nil
		}
		if aborted {
			c.drop()
			if err == nil {
				// The server answered 250 just as ctx ended.
				return queueID(resp), nil
			}
			return "", delivery.AsError(ctx.Err())
		}
		var te *textproto.Error
		if !errors.As(err, &te) {
			c.drop()
			if st == atMail && reused && attempt == 0 {
				// A kept session the server had closed; nothing of the
				// message went out, so try once on a new one.
				s.stats.retriedStale.Add(1)
				continue
			}
			return "", netError(err, scope)
		}
		if te.Code == 421 {
			c.drop() // the server closes the session after a 421
		}
		e := ClassifyReply(te.Code, enhancedRE.FindString(te.Msg), delivery.Redact(te.Msg))
		e.Scope = scope
		return "", e
	}
}

// transact runs one MAIL/RCPT/DATA transaction, data made by appendData,
// and returns the server's final reply text; on an error it says how far
// it got.
func (c *conn) transact(from, rcpt string, data []byte, timeout time.Duration) (string, stage, error) {
	if err := c.sc.UpdateDeadline(timeout); err != nil {
		return "", atMail, err
	}
	if c.pipelining {
		return c.transactPipelined(from, rcpt, data)
	}
	if err := c.sc.Mail("<" + from + ">"); err != nil {
		return "", atMail, err
	}
	if err := c.sc.Rcpt("<" + rcpt + ">"); err != nil {
		if rerr := c.sc.Reset(); rerr != nil {
			c.drop()
		}
		return "", atRcpt, err
	}
	resp, st, err := writeData(c.sc, data)
	if st == atData && isReply(err) {
		// a refused DATA leaves the transaction open: without RSET the
		// next MAIL on this session would be refused as nested
		if rerr := c.sc.Reset(); rerr != nil {
			c.drop()
		}
	}
	return resp, st, err
}

// transactPipelined is transact on a server that offers PIPELINING (RFC
// 2920): MAIL, RCPT and DATA go out in one write and their three replies
// are read in order, then the data and its final reply: two round trips
// per message instead of four. The outcome is the one the step-by-step
// transaction would have had: the first refusal is the error, with the
// stage it came at; the replies after it (503 for a transaction the
// server did not open) are read so that the session stays in step, a
// DATA that the server accepted anyway is ended with an empty message,
// and a refused RCPT or DATA is followed by RSET as in transact.
func (c *conn) transactPipelined(from, rcpt string, data []byte) (string, stage, error) {
	if strings.ContainsAny(from, "\r\n") || strings.ContainsAny(rcpt, "\r\n") {
		return "", atMail, errors.New("smtp: a line break in an address")
	}
	t := c.sc.Text
	w := t.W
	w.WriteString("MAIL FROM:<")
	w.WriteString(from)
	w.WriteString(">")
	w.WriteString(c.mailParams)
	w.WriteString("\r\nRCPT TO:<")
	w.WriteString(rcpt)
	w.WriteString(">\r\nDATA\r\n")
	if err := w.Flush(); err != nil {
		return "", atMail, err
	}
	// the first refusal decides; a connection that fails after it (a 421
	// closes the session) is dropped, the refusal still returned
	var refused error
	var at stage
	dataCode := 0
	for _, r := range [...]struct {
		expect int
		at     stage
	}{{250, atMail}, {25, atRcpt}, {354, atData}} {
		code, _, err := t.ReadResponse(r.expect)
		if r.at == atData {
			dataCode = code
		}
		if err == nil {
			continue
		}
		if !isReply(err) {
			if refused == nil {
				return "", r.at, err
			}
			c.drop()
			return "", at, refused
		}
		if refused == nil {
			refused, at = err, r.at
		}
	}
	if refused != nil {
		if dataCode == 354 {
			// the server opened the data anyway: end it empty
			w.WriteString(".\r\n")
			if err := w.Flush(); err != nil {
				c.drop()
				return "", at, refused
			}
			if _, _, err := t.ReadResponse(0); err != nil && !isReply(err) {
				c.drop()
				return "", at, refused
			}
		}
		if at == atRcpt || at == atData {
			if err := c.sc.Reset(); err != nil {
				c.drop()
			}
		}
		return "", at, refused
	}
	if _, err := w.Write(data); err != nil {
		return "", atDot, err
	}
	if err := w.Flush(); err != nil {
		return "", atDot, err
	}
	_, resp, err := t.ReadResponse(250)
	if err != nil {
		return "", atDot, err
	}
	return resp, atDot, nil
}

// isReply reports whether err is an SMTP reply (a *textproto.Error), not a
// failure of the connection.
func isReply(err error) bool {
	var te *textproto.Error
	return errors.As(err, &te)
}

// dial opens c's session.
func (s *Sender) dial(ctx context.Context, c *conn) error {
	if c.opened {
		s.stats.reconnects.Add(1)
	}
	c.opened = true
	s.stats.dials.Add(1)
	opts := []gomail.Option{
		gomail.WithTimeout(s.cfg.Timeout),
		gomail.WithTLSConfig(s.tlsCfg),
		gomail.WithDialContextFunc(func(ctx context.Context, network, addr string) (net.Conn, error) {
			d := net.Dialer{Timeout: s.cfg.Timeout, KeepAlive: 30 * time.Second}
			nc, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			if s.ep.tls == TLSImplicit {
				tc := tls.Client(nc, s.tlsCfg)
				if err := tc.HandshakeContext(ctx); err != nil {
					nc.Close()
					return nil, err
				}
				nc = tc
			}
			c.rawMu.Lock()
			c.raw = nc
			c.rawMu.Unlock()
			return nc, nil
		}),
	}
	switch s.ep.tls {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	opts = append(opts, gomail.WithPort(s.ep.port)) // after the policies, which set default ports
	if s.ep.helo != "" {
		opts = append(opts, gomail.WithHELO(s.ep.helo))
	}
	if s.ep.hasAuth {
		opts = append(opts, gomail.WithUsername(s.ep.user), gomail.WithPassword(s.ep.pass),
			gomail.WithOpportunisticSMTPAuth(s.ep.authTypes...))
	}
	client, err := gomail.NewClient(s.ep.host, opts...)
	if err != nil {
		s.stats.dialFailures.Add(1)
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeEndpointError, Msg: "smtp client setup failed", Err: err}
	}
	sc, err := client.DialToSMTPClientWithContext(ctx)
	if err != nil {
		s.stats.dialFailures.Add(1)
		c.drop()
		return classifyDial(ctx, err, s.ep)
	}
	c.sc, c.sent, c.lastUsed = sc, 0, s.now()
	c.pipelining, _ = sc.Extension("PIPELINING")
	c.mailParams = ""
	if ok, _ := sc.Extension("8BITMIME"); ok {
		c.mailParams += " BODY=8BITMIME"
	}
	if ok, _ := sc.Extension("SMTPUTF8"); ok {
		c.mailParams += " SMTPUTF8"
	}
	return nil
}

// abort closes the raw connection (ctx ended mid-send, or a broken session).
func (c *conn) abort() {
	c.rawMu.Lock()
	if c.raw != nil {
		c.raw.Close()
	}
	c.rawMu.Unlock()
}

// quit ends a healthy session politely.
func (c *conn) quit() {
	if c.sc != nil {
		c.sc.UpdateDeadline(2 * time.Second)
		c.sc.Quit()
	}
	c.drop()
}

// drop discards a session.
func (c *conn) drop() {
	c.abort()
	c.rawMu.Lock()
	c.sc, c.raw = nil, nil
	c.rawMu.Unlock()
}

// acquire takes a session slot, waiting while all are in use.
func (s *Sender) acquire(ctx context.Context) (*conn, error) {
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, delivery.AsError(ctx.Err())
	}
	s.idleMu.Lock()
	defer s.idleMu.Unlock()
	n := len(s.idle)
	if n == 0 {
		return &conn{}, nil
	}
	i := n - 1 // the most recently used live session, else any slot
	for j := n - 1; j >= 0; j-- {
		if s.idle[j].sc != nil {
			i = j
			break
		}
	}
	c := s.idle[i]
	s.idle = append(s.idle[:i], s.idle[i+1:]...)
	return c, nil
}

func (s *Sender) release(c *conn) {
	s.idleMu.Lock()
	s.idle = append(s.idle, c)
	s.idleMu.Unlock()
	<-s.sem
}

// Close ends every pooled session (QUIT) and makes later sends fail; it
// waits for sends in flight to finish.
func (s *Sender) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	for range s.cfg.Connections {
		s.sem <- struct{}{}
	}
	s.idleMu.Lock()
	defer s.idleMu.Unlock()
	for _, c := range s.idle {
		c.quit()
	}
	s.idle = nil
	return nil
}

// Check connects, greets, negotiates TLS and authenticates, then quits:
// it tells a user that the SMTP settings work before a campaign starts.
// Errors are *delivery.Error as for Send.
func (s *Sender) Check(ctx context.Context) error {
	c := &conn{}
	if err := s.dial(ctx, c); err != nil {
		return err
	}
	c.quit()
	return nil
}

var (
	enhancedRE = regexp.MustCompile(`\b([245])\.(\d{1,3})\.(\d{1,3})\b`)
	replyRE    = regexp.MustCompile(`\b([245]\d\d)[ -]`)
	queuedRE   = regexp.MustCompile(`(?i)queued as ([A-Za-z0-9._-]+)`)
)

func queueID(resp string) string {
	if m := queuedRE.FindStringSubmatch(resp); m != nil {
		return m[1]
	}
	return ""
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

func netError(err error, scope string) *delivery.Error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "i/o timeout") {
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeTimeout, Scope: scope, Msg: "smtp server did not answer in time", Err: err}
	}
	return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeConnection, Scope: scope, Msg: "smtp connection failed", Detail: delivery.Redact(err.Error())}
}

// classifyDial turns a failure to open a session into a delivery error:
// a refusal in the greeting is classified like any reply (421 throttles),
// a failed login or TLS negotiation is a configuration problem (Temporary
// endpoint_error, so nothing is lost while it is fixed), the rest is a
// connection failure.
func classifyDial(ctx context.Context, err error, ep endpoint) *delivery.Error {
	if ctx.Err() != nil {
		return delivery.AsError(ctx.Err())
	}
	var te *textproto.Error
	if errors.As(err, &te) {
		switch {
		case te.Code == 530 || te.Code == 534 || te.Code == 535 || te.Code == 538:
			return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeEndpointError, Status: te.Code,
				Msg: "smtp login to " + ep.host + " failed: check the user and password of delivery.email.smtp", Detail: delivery.Redact(te.Msg)}
		default:
			e := ClassifyReply(te.Code, enhancedRE.FindString(te.Msg), delivery.Redact(te.Msg))
			if e.Class == delivery.Permanent {
				// A server refusing the session refuses us, not the address.
				e.Class, e.Code, e.Suppress = delivery.Temporary, delivery.CodeEndpointError, false
			}
			return e
		}
	}
	msg := err.Error()
	var ce *tls.CertificateVerificationError
	switch {
	case errors.As(err, &ce) || strings.Contains(msg, "x509:") || strings.Contains(msg, "tls:"):
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeEndpointError,
			Msg: "TLS with " + ep.host + " failed (certificate or protocol); fix the server or delivery.email.smtp (skip_verify=true only for private relays)", Detail: delivery.Redact(msg)}
	case strings.Contains(msg, "STARTTLS"):
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeEndpointError,
			Msg: ep.host + " does not offer STARTTLS, which delivery.email.smtp requires (tls=starttls)", Detail: delivery.Redact(msg)}
	case strings.Contains(msg, "SMTP AUTH") || strings.Contains(msg, "auth"):
		return &delivery.Error{Class: delivery.Temporary, Code: delivery.CodeEndpointError,
			Msg: "smtp login to " + ep.host + " is not possible with the configured mechanism", Detail: delivery.Redact(msg)}
	}
	return netError(err, "")
}

// ClassifyReply maps an SMTP reply to a delivery error.
//
//   - 421, 451, 454 (and 452, or an enhanced X.4.5/X.7.28 rate code) are
//     Throttled: retry later and slow the domain.
//   - Other 4xx are Temporary (code temporary).
//   - 5xx are Permanent. By the enhanced code (RFC 3463): X.1.1, X.1.6
//     mailbox_unknown, X.1.2, X.1.10, X.4.4 domain_unknown, X.1.3
//     invalid_address and X.2.1 mailbox_disabled suppress the address;
//     X.2.2 mailbox_full and X.2.3, X.3.4 message_too_large do not;
//     X.7.x, X.6.x, X.5.x, other X.3.x and sender problems (X.1.7, X.1.8)
//     are message_rejected and do not suppress; other X.1.x, X.2.x are
//     bounce_hard and suppress. Without an enhanced code 550, 551 and 553
//     are bounce_hard (suppress), 552 mailbox_full, 554 message_rejected.
func ClassifyReply(code int, enhanced, text string) *delivery.Error {
	e := &delivery.Error{Status: code, Enhanced: enhanced, Detail: text}
	subj, det := -1, -1
	if m := enhancedRE.FindStringSubmatch(enhanced); m != nil {
		subj, det = atoi(m[2]), atoi(m[3])
	}
	switch {
	case code == 421 || code == 451 || code == 454 || code == 452 || (code/100 == 4 && (subj == 4 && det == 5 || subj == 7 && det == 28)):
		e.Class, e.Code, e.Msg = delivery.Throttled, delivery.CodeThrottled, "the mail server asked us to slow down"
	case code/100 == 4:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodeTemporary, "the mail server deferred the message"
	case code/100 == 5:
		e.Class = delivery.Permanent
		perm := func(c string, suppress bool, msg string) { e.Code, e.Suppress, e.Msg = c, suppress, msg }
		switch {
		case subj == 1 && (det == 1 || det == 6):
			perm(delivery.CodeMailboxUnknown, true, "the mailbox does not exist")
		case subj == 1 && (det == 2 || det == 10), subj == 4 && det == 4:
			perm(delivery.CodeDomainUnknown, true, "the recipient's domain does not accept mail")
		case subj == 1 && det == 3:
			perm(delivery.CodeInvalidAddress, true, "the address is malformed")
		case subj == 1 && (det == 7 || det == 8):
			perm(delivery.CodeRejected, false, "the mail server refused our sender address")
		case subj == 2 && det == 1:
			perm(delivery.CodeMailboxDisabled, true, "the mailbox is disabled")
		case subj == 2 && det == 2:
			perm(delivery.CodeMailboxFull, false, "the mailbox is full")
		case subj == 2 && det == 3, subj == 3 && det == 4:
			perm(delivery.CodeTooLarge, false, "the message is too large")
		case subj == 1 || subj == 2:
			perm(delivery.CodeBounceHard, true, "the mailbox refused the message permanently")
		case subj >= 3:
			perm(delivery.CodeRejected, false, "the mail server refused the message")
		case code == 552:
			perm(delivery.CodeMailboxFull, false, "the mailbox is full")
		case code == 554:
			perm(delivery.CodeRejected, false, "the mail server refused the message")
		case code == 550 || code == 551 || code == 553:
			perm(delivery.CodeBounceHard, true, "the mailbox refused the message permanently")
		default:
			perm(delivery.CodeRejected, false, "the mail server refused the message")
		}
	default:
		e.Class, e.Code, e.Msg = delivery.Temporary, delivery.CodeTemporary, "unexpected reply from the mail server"
	}
	return e
}

// Render returns the message exactly as Send would transmit it (DKIM
// signature included when configured), for previews and tests. Errors are
// as for Send's checks.
func (s *Sender) Render(m delivery.Message) ([]byte, error) {
	msg, _, err := s.build(m)
	if err != nil {
		return nil, err
	}
	return s.renderTo(new(bytes.Buffer), msg, len(m.Text)+len(m.HTML))
}

// renderTo encodes msg into b (reset first; bodies is the size of its
// parts, to grow b once) and signs it when DKIM is configured. The bytes
// returned are b's unless signed.
func (s *Sender) renderTo(b *bytes.Buffer, msg *gomail.Msg, bodies int) ([]byte, error) {
	b.Reset()
	b.Grow(bodies + bodies/2 + 2048) // quoted-printable or base64 (a third more), and the headers
	if _, err := msg.WriteTo(b); err != nil {
		return nil, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage, Msg: "message could not be encoded", Err: err}
	}
	if s.dkim == nil {
		return b.Bytes(), nil
	}
	return s.sign(b.Bytes())
}

// putBuf returns a buffer to the pool unless it grew past what messages
// usually need (one large message should not stay pinned).
func (s *Sender) putBuf(b *bytes.Buffer) {
	if b.Cap() <= 256<<10 {
		s.bufs.Put(b)
	}
}

// sign prepends a DKIM-Signature to raw. go-mail v0.8.1's own signer is
// not used: it signs the unfolded tag list but emits it hard-wrapped
// inside long tags (h=), so under relaxed canonicalization its
// signatures over more than a few headers do not verify.
func (s *Sender) sign(raw []byte) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(raw) + 512)
	if err := dkim.Sign(&out, bytes.NewReader(raw), s.dkim); err != nil {
		return nil, &delivery.Error{Class: delivery.Permanent, Code: delivery.CodeInvalidMessage, Msg: "DKIM signing failed", Err: err}
	}
	return out.Bytes(), nil
}
