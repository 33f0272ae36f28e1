package webhook

import "github.com/chorusmkt/chorus/internal/config"

// FromConfig builds the Sender of channel from its configuration
// (delivery.webhooks.<channel>). Errors are apperr.Invalid naming the
// setting.
func FromConfig(channel string, c config.WebhookDelivery) (*Sender, error) {
	return New(Config{Channel: channel, URL: c.URL, Secret: c.Secret, PreviousSecrets: c.PreviousSecrets,
		Headers: c.Headers, Timeout: c.Timeout.Std(), AllowInsecure: c.AllowInsecure})
}
