package token

import (
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

// FromConfig builds the link builder of the configuration: tracking.secret
// and tracking.previous_secrets for the codec, tracking.base_url for the
// links. It returns an apperr.Invalid error naming the setting when either
// is missing or bad.
func FromConfig(t config.Tracking) (*Links, error) {
	if strings.TrimSpace(t.Secret) == "" {
		return nil, apperr.New(apperr.Invalid, "tracking.secret is not set: links cannot be signed (CHORUS_TRACKING_SECRET; generate one with openssl rand -base64 32)")
	}
	c, err := New(t.Secret, t.PreviousSecrets...)
	if err != nil {
		return nil, err
	}
	return NewLinks(t.BaseURL, c)
}
