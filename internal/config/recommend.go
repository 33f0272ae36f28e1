package config

// Recommend configures the recommend package. Its owner extends this section.
type Recommend struct{}

func defaultRecommend() Recommend { return Recommend{} }

func (c *Recommend) applyEnv(env Lookup) error { return nil }

func (c Recommend) validate() error { return nil }
