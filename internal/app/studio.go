package app

import (
	"context"
	"fmt"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/shop"
)

// Studio is the content studio over the app's services: profiles from
// insight, recommendations from the trained model, audiences from the
// segment engine, the ad-law checker, the AI label and the model stack.
// Its Model is built on first call (see Model).
func (a *App) Studio(ctx context.Context) (content.Deps, error) {
	stack, err := a.Model(ctx)
	if err != nil {
		return content.Deps{}, err
	}
	ps, err := content.LoadPrompts(a.Config.Content.PromptDir)
	if err != nil {
		return content.Deps{}, err
	}
	sh, err := a.Shop(ctx)
	if err != nil {
		return content.Deps{}, err
	}
	d := content.Deps{
		Shop:  sh.Settings,
		Model: stack, Store: a.Store, Catalog: a.Store, Customers: a.Store, Prompts: ps,
		Profiles:    a.Insight,
		Recommend:   a.Recommend,
		CoPurchases: CoPurchases{a.Insight},
		Audience:    a.Segments,
		MaxRepairs:  a.Config.Content.MaxRepairs,
		Concurrency: a.Config.Content.Concurrency,
		CallContext: KnownRecipient(a.Store),
		Labeler:     a.Labeler,
		Checker:     a.Checker(),
	}
	if d.Checker == nil {
		a.warnf("warning: compliance checker unavailable (%v); items are not checked against advertising law", a.AdLawErr)
	}
	prices, label := a.Config.LLM.Prices, stack.Config.Provider
	d.Price = func(model string, u llm.Usage) float64 {
		_, name := llm.SplitName(model)
		return llm.Cost(llm.Price(prices, label, name), u)
	}
	return d, nil
}

// coPurchaseOrders is how many orders two products must share before
// copy says one is often bought with the other.
const coPurchaseOrders = 3

// CoPurchases adapts the insight dataset to content.CoPurchases: the
// products bought in the same orders, from orders only.
type CoPurchases struct{ S *insight.Service }

// BoughtWith implements content.CoPurchases.
func (c CoPurchases) BoughtWith(ctx context.Context, skus []string, n int) (map[string][]string, error) {
	ds, err := c.S.Dataset(ctx)
	if err != nil {
		return nil, err
	}
	return ds.BoughtWith(skus, n, coPurchaseOrders), nil
}

// Reviewer is the studio for reviewing, editing and linting stored
// items: the store, the checker and the shop's settings (whose name signs
// copy without a voice, so that an item is checked against the signature
// it carries), without a model.
func (a *App) Reviewer(ctx context.Context) (content.Deps, error) {
	sh, err := a.Shop(ctx)
	if err != nil {
		return content.Deps{}, err
	}
	return content.Deps{Store: a.Store, Catalog: a.Store, Checker: a.Checker(), Shop: sh.Settings}, nil
}

// Checker is the ad-law checker as the studio calls it; nil without one.
func (a *App) Checker() content.Checker {
	if a.AdLaw == nil {
		return nil
	}
	return AdLawChecker{a.AdLaw}
}

// AdLawChecker adapts the advertising-law checker to content.Checker.
type AdLawChecker struct{ C *adlaw.Checker }

// Check implements content.Checker.
func (a AdLawChecker) Check(_ context.Context, text, lang, category string) (content.ComplianceReport, error) {
	rep := a.C.Check(text, adlaw.Options{Lang: lang, Category: category})
	out := content.ComplianceReport{Verdict: string(rep.Verdict)}
	for _, f := range rep.Findings {
		r := fmt.Sprintf("%q is not allowed in advertising (%s, %s)", f.MatchedText, f.Explanation, f.LawRef)
		if f.Suggestion != "" {
			r += "; instead: " + f.Suggestion
		}
		out.Reasons = append(out.Reasons, r)
	}
	return out, nil
}

// KnownRecipient tells the PII redactor whose record each content job is
// about: at individual depth the customer's own name, phone, email and
// address may come back in her copy, everyone else's may not. Jobs for a
// segment or cohort have no recipient, so no personal data may come back.
func KnownRecipient(cs content.Customers) func(context.Context, content.Job) context.Context {
	return func(ctx context.Context, j content.Job) context.Context {
		if j.Customer == "" || cs == nil {
			return ctx
		}
		c, err := cs.GetCustomer(ctx, j.Customer)
		if err != nil {
			return ctx // the job fails on its own lookup if the customer is gone
		}
		return pii.WithKnown(ctx, pii.Known{Recipient: pii.RecordOf(c)})
	}
}

// ProfileRecommender is the recommendation service as profiles consume it
// (insight.Recommender), so that insight does not depend on recommend.
type ProfileRecommender struct {
	App *App
}

// Recommend implements insight.Recommender with the trained model.
func (r ProfileRecommender) Recommend(ctx context.Context, id string, k int) ([]insight.ProductRec, error) {
	m, origin, err := r.App.Recommend.Model(ctx, false)
	if err != nil {
		return nil, err
	}
	r.App.warnf("recommendations: %s", origin)
	items, err := m.Recommend(id, k)
	if err != nil {
		return nil, err
	}
	out := make([]insight.ProductRec, len(items))
	for i, it := range items {
		out[i] = insight.ProductRec{SKU: it.SKU, Title: it.Title, Score: it.Score, Reason: it.Reason}
	}
	return out, nil
}

// ProfileRequest is a profile request with opts and recs recommendations
// from the trained model, labelled in the language Chorus writes to the
// customer in (her own, her country's, the shop's: shop.CustomerLanguage).
func (a *App) ProfileRequest(ctx context.Context, opts insight.Options, recs int) (insight.ProfileRequest, error) {
	sh, err := a.Shop(ctx)
	if err != nil {
		return insight.ProfileRequest{}, err
	}
	return insight.ProfileRequest{Options: opts, Recs: recs, Recommender: ProfileRecommender{App: a},
		Language: func(c customer.Customer) string { return shop.CustomerLanguage(c, sh.Settings).Value }}, nil
}

// ExplainProfile is customer id's profile (ProfileRequest with opts and
// recs) and the notes on how it was made; notes is never nil.
func (a *App) ExplainProfile(ctx context.Context, id string, opts insight.Options, recs int) (insight.Profile, []string, error) {
	req, err := a.ProfileRequest(ctx, opts, recs)
	if err != nil {
		return insight.Profile{}, []string{}, err
	}
	p, notes, err := a.Insight.Explain(ctx, id, req)
	if notes == nil {
		notes = []string{}
	}
	return p, notes, err
}
