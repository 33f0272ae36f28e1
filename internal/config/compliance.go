package config

// Compliance configures the compliance package. Its owner extends this section.
type Compliance struct{}

func defaultCompliance() Compliance { return Compliance{} }

func (c *Compliance) applyEnv(env Lookup) error { return nil }

func (c Compliance) validate() error { return nil }
