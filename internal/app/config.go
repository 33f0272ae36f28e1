package app

import (
	"github.com/chorusmkt/chorus/internal/config"
	"github.com/chorusmkt/chorus/internal/shop"
)

// LoadConfig is the configuration every front end starts from: defaults,
// then the file at path (else $CHORUS_CONFIG, else none), then CHORUS_*
// from env, then db when set (a --db flag), validated once with the
// shop.* settings. Errors are Invalid and name the setting.
func LoadConfig(path, db string, env config.Lookup) (config.Config, error) {
	if path == "" {
		if v, ok := env("CHORUS_CONFIG"); ok {
			path = v
		}
	}
	cfg, err := config.Load(path, env)
	if err != nil {
		return cfg, err
	}
	if db != "" {
		cfg.DB = db
	}
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	_, err = shop.FromConfig(cfg.Shop)
	return cfg, err
}
