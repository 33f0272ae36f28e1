package token

import (
	"net/url"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Links builds the tracking URLs of a send under the tracking server's
// public base URL (tracking.base_url).
type Links struct {
	base      string
	codec     *Codec
	utmSource string
}

// NewLinks returns the link builder for base, an absolute http(s) URL
// without query or fragment (a path prefix is kept). It returns an
// apperr.Invalid error naming tracking.base_url otherwise.
func NewLinks(base string, c *Codec) (*Links, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, apperr.New(apperr.Invalid, "tracking.base_url %q must be an absolute http or https URL without query (CHORUS_TRACKING_BASE_URL)", base)
	}
	return &Links{base: strings.TrimRight(u.String(), "/"), codec: c}, nil
}

// Codec returns the codec the links are signed with.
func (l *Links) Codec() *Codec { return l.codec }

// Open returns the open pixel URL of s.
func (l *Links) Open(s Send) (string, error) {
	return l.url(OpenPath, Claims{Kind: Open, Send: s})
}

// WithUTM returns a copy of l whose click destinations get UTM
// parameters (see UTM); source "" turns them off.
func (l *Links) WithUTM(source string) *Links {
	c := *l
	c.utmSource = source
	return &c
}

// Click returns the redirect URL of the link-th link of s to dest. With
// UTM on, the destination signed into the token carries the send's UTM
// parameters.
func (l *Links) Click(s Send, link int, dest string) (string, error) {
	if l.utmSource != "" {
		dest = UTM(dest, l.utmSource, s)
	}
	return l.url(ClickPath, Claims{Kind: Click, Send: s, Link: link, URL: dest})
}

// UTM adds utm_source=source, utm_medium=channel, utm_campaign=campaign
// and utm_content=variant (when set) to dest, keeping any utm_ parameter
// dest already has (the merchant's own tagging wins) and the rest of the
// URL as written. A dest that does not parse is returned unchanged (Sign
// then rejects it).
func UTM(dest, source string, s Send) string {
	u, err := url.Parse(dest)
	if err != nil || u.Host == "" {
		return dest
	}
	q := u.Query()
	var add []string
	for _, kv := range [][2]string{{"utm_source", source}, {"utm_medium", s.Channel}, {"utm_campaign", s.Campaign}, {"utm_content", s.Variant}} {
		if kv[1] == "" || q.Has(kv[0]) {
			continue
		}
		add = append(add, url.QueryEscape(kv[0])+"="+url.QueryEscape(kv[1]))
	}
	if len(add) == 0 {
		return dest
	}
	extra := strings.Join(add, "&")
	if u.RawQuery == "" {
		u.RawQuery = extra
	} else {
		u.RawQuery += "&" + extra
	}
	return u.String()
}

// Unsubscribe returns the unsubscribe URL of s (the page on GET, RFC 8058
// one-click on POST).
func (l *Links) Unsubscribe(s Send) (string, error) {
	return l.url(UnsubscribePath, Claims{Kind: Unsubscribe, Send: s})
}

func (l *Links) url(path string, cl Claims) (string, error) {
	tok, err := l.codec.Sign(cl)
	if err != nil {
		return "", err
	}
	return l.base + path + tok, nil
}
