// Package content is the content studio: it turns a consumer profile, the
// products recommended for her, a campaign brief and the brand voice into
// channel-fitted copy (ads, social notes, email, SMS, push, product blurbs),
// then checks every answer in Go — channel budgets counted in runes or GSM
// units, required elements, catalog-grounded facts, compliance — and sends
// the exact violations back to the model for repair, flagging what stays
// wrong for human review.
//
// Campaign-scale generation is planned before it runs (model calls per
// personalization depth), persisted item by item as it completes and
// resumable without repeating a model call.
//
// The package declares the small interfaces it consumes (Model, Checker,
// ProfileSource, Recommender, Audience, Store); cmd/chorus wires concrete
// implementations from the llm, compliance, insight, recommend, segment and
// store packages.
package content
