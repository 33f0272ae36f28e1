package token

import (
	"net/url"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Links builds the tracking URLs of a send under the tracking server's
// public base URL (tracking.base_url).
type Links struct {
	base  string
	codec *Codec
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

// Click returns the redirect URL of the link-th link of s to dest.
func (l *Links) Click(s Send, link int, dest string) (string, error) {
	return l.url(ClickPath, Claims{Kind: Click, Send: s, Link: link, URL: dest})
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
