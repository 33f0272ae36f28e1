package config

// Content configures the content package. Its owner extends this section.
type Content struct{}

func defaultContent() Content { return Content{} }

func (c *Content) applyEnv(env Lookup) error { return nil }

func (c Content) validate() error { return nil }
