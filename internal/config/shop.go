package config

// Shop is the merchant's own settings. Each overrides what `chorus shop
// set` stored or the first import inferred; shop.FromConfig checks and
// normalizes them (en-GB → en, £ → GBP, United Kingdom → GB).
type Shop struct {
	// Name signs copy and SMS (【name】) when no brand voice is stored.
	Name string `yaml:"name"`
	// Language (zh or en) is the language of customers whose own field and
	// country do not name one Chorus writes.
	Language string `yaml:"language"`
	// TimeZone (IANA) judges quiet hours of customers with no zone of their
	// own and a country of several zones.
	TimeZone string `yaml:"time_zone"`
	Currency string `yaml:"currency"`
	Country  string `yaml:"country"`
}

func (c *Shop) applyEnv(env Lookup) error {
	envString(env, &c.Name, "CHORUS_SHOP_NAME")
	envString(env, &c.Language, "CHORUS_SHOP_LANGUAGE")
	envString(env, &c.TimeZone, "CHORUS_SHOP_TIME_ZONE", "CHORUS_SHOP_TZ")
	envString(env, &c.Currency, "CHORUS_SHOP_CURRENCY")
	envString(env, &c.Country, "CHORUS_SHOP_COUNTRY")
	return nil
}
