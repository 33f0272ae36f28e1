package config

// Insight configures the insight package. Its owner extends this section.
type Insight struct{}

func defaultInsight() Insight { return Insight{} }

func (c *Insight) applyEnv(env Lookup) error { return nil }

func (c Insight) validate() error { return nil }
