package smtp

import (
	"strings"

	"github.com/chorusmkt/chorus/internal/config"
)

// FromConfig builds the email Sender of the configuration (delivery.email),
// loading the DKIM key file when one is set. Errors are apperr.Invalid
// naming the setting.
func FromConfig(c config.EmailDelivery) (*Sender, error) {
	cfg := Config{URL: c.SMTP, From: c.From, ReplyTo: c.ReplyTo, Connections: c.Connections,
		MessagesPerConnection: c.MessagesPerConnection, Timeout: c.Timeout.Std()}
	if strings.TrimSpace(c.DKIM.KeyFile) != "" {
		key, err := LoadDKIMKey(c.DKIM.KeyFile)
		if err != nil {
			return nil, err
		}
		cfg.DKIM = &DKIM{Domain: c.DKIM.Domain, Selector: c.DKIM.Selector, Key: key}
	}
	return New(cfg)
}
