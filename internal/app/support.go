package app

import (
	"context"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/support"
)

// Support is the customer-service assistant over the application's store:
// a search index built from the store's catalog and knowledge base, the
// ad-law checker, the configured model stack (none for the offline
// provider, which composes answers from the sources), the recommender
// (trained or loaded on the first recommendation asked for) and the PII
// scanner for what is stored. rec keeps the conversations (nil: the
// store; an evaluation passes a support.MemoryRecorder). The caller calls
// close when done, before closing the App.
func (a *App) Support(ctx context.Context, rec support.Recorder) (as *support.Assistant, close func(), err error) {
	if a.AdLawErr != nil {
		return nil, nil, a.AdLawErr
	}
	r, err := a.Config.LLM.Resolved()
	if err != nil {
		return nil, nil, err
	}
	var model llm.Model
	if r.Provider != "offline" {
		stack, err := a.Model(ctx)
		if err != nil {
			return nil, nil, err
		}
		model = stack
	}
	ix, err := support.NewIndex()
	if err != nil {
		return nil, nil, err
	}
	as = support.New(a.Store, ix, support.Options{Model: model, AdLaw: a.AdLaw, PII: pii.NewScanner(a.Config.Compliance.PII.AllowValues),
		Recommender: supportRecommender{a}, Recorder: rec})
	return as, func() { ix.Close() }, nil
}

// supportRecommender gives the assistant the application's recommender.
type supportRecommender struct{ a *App }

func (r supportRecommender) Recommend(ctx context.Context, id string, k int) ([]support.Recommendation, error) {
	items, err := r.a.Recommend.Recommend(ctx, id, k)
	if err != nil {
		return nil, err
	}
	out := make([]support.Recommendation, len(items))
	for i, it := range items {
		out[i] = support.Recommendation{SKU: it.SKU, Reason: it.Reason}
	}
	return out, nil
}
