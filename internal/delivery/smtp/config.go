package smtp

import (
	"crypto"
	"crypto/tls"
	"net"
	"net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TLS modes of an SMTP connection.
const (
	TLSNone          = "none"          // never encrypt (a local relay, Mailpit)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSStartTLS      = "starttls"      // STARTTLS required
	TLSImplicit      = "implicit"      // TLS from the first byte (smtps://, port 465)
)

// Config configures a Sender.
type Config struct {
	// URL is the server: smtp://[user:pass@]host[:port][?options] or
	// smtps://… for implicit TLS (default ports 587 and 465). Options:
	// tls=none|opportunistic|starttls (smtp:// only; default starttls when
	// credentials are given to a host that is not loopback, so a password
	// never goes out in clear text, else opportunistic), auth=auto|plain|
	// login|cram-md5|scram-sha-1|scram-sha-256|xoauth2 (default auto),
	// skip_verify=true (accept any certificate: private relays only) and
	// helo=NAME. Percent-encode special characters of the password.
	URL string
	// From is the sender, "Name <addr>" or "addr"; its domain names the
	// Message-IDs.
	From string
	// ReplyTo is an optional Reply-To address.
	ReplyTo string
	// Connections is the size of the connection pool (default 4).
	Connections int
	// MessagesPerConnection closes a connection after that many messages
	// (default 1000; many servers cap a session).
	MessagesPerConnection int
	// Timeout bounds connecting and each SMTP command (default 30 s).
	Timeout time.Duration
	// IdleTimeout closes a connection unused that long before reusing it
	// (default 30 s; servers drop idle sessions after a minute or so).
	IdleTimeout time.Duration
	// DKIM signs every message when set.
	DKIM *DKIM
	// TLSConfig overrides the TLS settings (private CAs, tests).
	TLSConfig *tls.Config
}

// DKIM is a DKIM signing key: the d= domain, the s= selector, and an
// Ed25519 or RSA private key.
type DKIM struct {
	Domain   string
	Selector string
	Key      crypto.Signer
}

// LoadDKIMKey reads a PEM private key file (PKCS#1 RSA, or PKCS#8 RSA or
// Ed25519) for DKIM. It returns an apperr.Invalid error naming the file
// otherwise.
func LoadDKIMKey(path string) (crypto.Signer, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "delivery.email.dkim.key_file %s", path)
	}
	k, err := gomail.PrivKeyFromPEM(b)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "delivery.email.dkim.key_file %s is not an RSA or Ed25519 private key in PEM", path)
	}
	return k, nil
}

// endpoint is a parsed server URL.
type endpoint struct {
	host      string
	port      int
	user      string
	pass      string
	hasAuth   bool
	tls       string
	auth      string
	skip      bool
	helo      string
	redacted  string
	loopback  bool
	fromAddr  string
	fromName  string
	domain    string
	replyTo   string
	authTypes []gomail.SMTPAuthType
}

// parseURL checks an smtp:// or smtps:// URL; errors name the setting and
// never repeat the password.
func parseURL(raw string) (endpoint, error) {
	var ep endpoint
	bad := func(format string, args ...any) (endpoint, error) {
		return ep, apperr.New(apperr.Invalid, "delivery.email.smtp: "+format+" (CHORUS_DELIVERY_EMAIL_SMTP)", args...)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return bad("not a URL; percent-encode special characters of the password")
	}
	ep.redacted = u.Redacted()
	switch u.Scheme {
	case "smtp":
		ep.port = 587
	case "smtps":
		ep.port, ep.tls = 465, TLSImplicit
	default:
		return bad("%q must start with smtp:// or smtps://", ep.redacted)
	}
	ep.host = u.Hostname()
	if ep.host == "" {
		return bad("%q names no host", ep.redacted)
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return bad("port %q is not a port number", p)
		}
		ep.port = n
	}
	if u.User != nil {
		ep.user = u.User.Username()
		ep.pass, _ = u.User.Password()
		ep.hasAuth = ep.user != ""
	}
	if ip := net.ParseIP(ep.host); (ip != nil && ip.IsLoopback()) || strings.EqualFold(ep.host, "localhost") {
		ep.loopback = true
	}
	ep.auth = "auto"
	for k, vs := range u.Query() {
		v := strings.ToLower(strings.TrimSpace(vs[len(vs)-1]))
		switch k {
		case "tls":
			if ep.tls == TLSImplicit {
				return bad("tls= does not apply to smtps:// (always implicit TLS)")
			}
			switch v {
			case TLSNone, TLSOpportunistic, TLSStartTLS:
				ep.tls = v
			default:
				return bad("tls=%q: use none, opportunistic or starttls", v)
			}
		case "auth":
			ep.auth = v
		case "skip_verify":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return bad("skip_verify=%q is not true or false", v)
			}
			ep.skip = b
		case "helo":
			ep.helo = vs[len(vs)-1]
		default:
			return bad("unknown option %q (known: tls, auth, skip_verify, helo)", k)
		}
	}
	if ep.tls == "" {
		ep.tls = TLSOpportunistic
		if ep.hasAuth && !ep.loopback {
			ep.tls = TLSStartTLS
		}
	}
	if ep.hasAuth && ep.tls == TLSNone && !ep.loopback {
		return bad("tls=none with a password would send it in clear text to %s; use STARTTLS or smtps://", ep.host)
	}
	switch ep.auth {
	case "auto":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthSCRAMSHA256, gomail.SMTPAuthSCRAMSHA1, gomail.SMTPAuthCramMD5, gomail.SMTPAuthPlain, gomail.SMTPAuthLogin}
	case "plain":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthPlain}
	case "login":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthLogin}
	case "cram-md5":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthCramMD5}
	case "scram-sha-1":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthSCRAMSHA1}
	case "scram-sha-256":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthSCRAMSHA256}
	case "xoauth2":
		ep.authTypes = []gomail.SMTPAuthType{gomail.SMTPAuthXOAUTH2}
	default:
		return bad("auth=%q: use auto, plain, login, cram-md5, scram-sha-1, scram-sha-256 or xoauth2", ep.auth)
	}
	return ep, nil
}

// parseFrom checks the From and Reply-To addresses.
func (ep *endpoint) parseFrom(from, replyTo string) error {
	a, err := mail.ParseAddress(strings.TrimSpace(from))
	if err != nil {
		return apperr.New(apperr.Invalid, "delivery.email.from %q is not an e-mail address (e.g. \"Shop <news@shop.com>\") (CHORUS_DELIVERY_EMAIL_FROM)", from)
	}
	ep.fromAddr, ep.fromName = a.Address, a.Name
	ep.domain = strings.ToLower(a.Address[strings.LastIndexByte(a.Address, '@')+1:])
	if strings.TrimSpace(replyTo) != "" {
		r, err := mail.ParseAddress(strings.TrimSpace(replyTo))
		if err != nil {
			return apperr.New(apperr.Invalid, "delivery.email.reply_to %q is not an e-mail address (CHORUS_DELIVERY_EMAIL_REPLY_TO)", replyTo)
		}
		ep.replyTo = r.String()
	}
	return nil
}
