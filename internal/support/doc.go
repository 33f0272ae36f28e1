// Package support is the customer-service assistant: a knowledge base of
// policies, FAQ entries and reviews (imported from Markdown, CSV or JSONL),
// bilingual retrieval over it and the catalog, intent detection, answers
// grounded in cited sources (the catalog, the policies and the customer's
// own orders), guardrails (grounding of every number, the ad-law check,
// order details only after verification, prompt-injection resistance, PII
// redaction of what is stored and of every model call), a hand-off queue
// that people work, satisfaction feedback, figures and an evaluation
// harness.
//
// The entry point is Assistant.Answer: it takes one customer message and
// emits the answer's events (tokens, citations, hand-off, done) through a
// callback, so a terminal, a test or an HTTP handler streaming server-sent
// events call the same method.
//
// Two answering paths share every guardrail: with a network model the
// assistant runs OpenAI tool calling (search_products, get_product,
// get_order_status, get_policy, recommend_for_customer, handoff_to_human)
// through the llm layer; with the offline provider it detects the intent
// and composes the answer from the retrieved passages itself.
package support
