package support

import "context"

func (a *Assistant) withModel(ctx context.Context, t *turn) (*draft, error) { return a.offline(ctx, t) }

// SystemPromptCanary is a phrase of the model path's system prompt that
// no answer may contain: the evaluation reads it as a leaked prompt.
const SystemPromptCanary = "CHORUS-SUPPORT-RULES-v1"
