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
//
// Questions are read in the shop's words before they are searched: the
// policy concepts (concept.go) map customers' phrasings in zh, en and,
// once folded, Traditional Chinese to the words the policies use ("swap
// for a bigger size" → exchange, 几点下班 → 客服时间); plain words
// (plain.go: numbers, time, common verbs) count neither for nor against a
// passage; a product question prefers products of its head noun (head.go:
// the lamp in "camping lamp"). A misspelt word is read as the shop's word
// it is one slip from (spell.go: "camra" → camera); a request for a person
// is read by its shape once other senses of its words are set aside
// (person.go: 叫你们主管来, but not a two-person tent); the proof of an
// order is read from any phrasing of the phone's last four digits or the
// e-mail (proof.go), and is still compared with the order's customer.
// testdata/eval_probe.jsonl holds the paraphrases these were checked on
// (tuned, not held out); the behaviour tests hold more, per class.
//
// The tone of a message is not its topic (tone.go): its signals are read
// from all of it, its search from what it asks. A product named in the
// other language's script is answered by its counterpart in the
// customer's catalog (cross.go). A city's delivery area is read from the
// areas of placeAreas that the shop's rules name (general.go).
// testdata/eval_probe2.jsonl holds the cases of these classes (tuned, not
// held out). A need said as a trouble of her own (tired eyes, no sleep on
// a plane) is a recommendation searched with the catalog's words for
// what meets it (the bridges of vocab/needs.yaml), and a claim to be the
// shop's owner or staff is refused as role play, not read as an ask for a
// person; testdata/eval_probe6.jsonl holds these and the other cases of
// the fresh11 blind set's classes.
//
// A message of several questions is answered part by part (compound.go);
// the words of the law that threaten nothing are not a threat (legal.go);
// what only a person can confirm is handed off (handoff.go); a follow-up
// is read with the product of the answer before (followup.go); a product
// and the rule that names it are cited both (pair.go).
// testdata/eval_probe7.jsonl holds their cases (tuned, not held out).
//
// Beside a product the catalog answers, a part that names a rule topic
// is answered by that rule though loosely worded (compound.go), and one
// question of a product that names a rule topic asks the rule too
// (otherHalf); whether a person is there at a time she names asks the
// service hours (person.go); a question of a product in words the
// shop's texts never use (engraving, 阻燃检测报告) is a person's, not out
// of scope (unknownOfProduct); damage to her things and who pays for
// the cleaning, and someone nearly hurt, hand off (intent.go); a word of
// mild feeling is her tone, not an unknown term (unCued); a reply that
// tells her detail of a rule asked before is read with that question
// (resolveRuleFollowUp). testdata/eval_probe8.jsonl holds their cases
// (tuned, not held out).
//
// Before an answer says a product is silent on what was asked, the cited
// product's own texts are read for the kind of value asked (65 W for a
// wattage, months for an age range, a material, inches) (stated.go); one
// product set against an order's rule (free shipping over a threshold,
// gift-wrapping) is answered by the rule and its price (itemfee.go); a
// photograph's exposure and the law cited as a rule question are no
// threat (legal.go); a need said as a wish that names no product is a
// recommendation (needRe, vocab/needs.yaml). testdata/eval_probe9.jsonl
// holds their cases (tuned, not held out).
//
// Anger at a failure that keeps coming back (the fourth time, "I've
// emailed five times", 受够了, patience run out) is a strong complaint
// without an insult (repeatedFailRe); a product that smoked or nearly set
// a thing alight, and a carrier that gave way with a child in it, are
// safety incidents (safetyRe); answers called no help ask for a person
// (againstBotRes); the warehouse's city and a pickup in person are
// nothing the shop's texts hold (unheldRe); a battery's Wh rating is one
// the card must state (certRe). A person or a live chat asked of with its
// hours is the service-hours rule's question; 妈妈的 is no curse; a bare
// 续航呢？ asks of the product before (zhBareAskRe); litres are answered
// by a volume the card states in L (attrKinds), and a part by the name
// the card gives it (partNames: a bladder is its reservoir).
// testdata/eval_probe10.jsonl holds their cases (tuned, not held out).
//
// A recommendation asked by need (a gift for a person and a budget, a
// trouble, an activity or a place, a constraint, two products compared,
// what goes with one she bought) is ranked over the whole catalog from one
// vocabulary table, vocab/needs.yaml: its concepts map her words in zh and
// en to the catalog's tags, category names and card words, weighted by
// kind and shared out when many products meet one; a stated budget filters
// every pick and cheap orders by price (need.go). The same table holds the
// bridges of her words into the catalog's for the search. Its cases are in
// testdata/eval_probe11.jsonl and need_test.go.
//
// The measurable kinds of value a question asks (a wireless version, a
// codec, a waterproof rating, a thickness, dimensions, a read speed, the
// allergens, the shades' names, a capacity, a power, a weight, a load)
// are one table, attrKinds (stated.go), with the zh and en words that ask
// for each and the form the value takes on a card: a kind no cited card
// states hands off, one of two measures stated is answered and the other
// said plainly to be unstated, and a kind asked of a product no path
// placed answers that product's card (kindOfProduct). Business terms, a
// creator's offer and a parcel marked delivered that never came are a
// person's (unheldRe); a bare "How much?" asks of the product before
// (bareProductAsk), "what about the UK then?" changes one slot of the
// rule question before (slotChangeRe); where a tracking number comes from
// is the shipping rule's (tracking_how); a quoted review or a discount
// demand beside a real question is refused and the question answered
// (questionBesideInjection). testdata/eval_probe12.jsonl holds their
// cases (tuned, not held out; spec_test.go, injection_answer_test.go).
// The question is kept from the sentence that carries the injection when
// it is that sentence's last clause after a comma or a dash; an order
// after a role-play set-up goes with the set-up, and a pronoun left in
// the question takes the product words of what was taken out
// (besideInjectionParts; testdata/eval_probe15a.jsonl,
// beside_injection_test.go).
//
// The tests of these behaviours are grouped by what they check, not by
// when a class was fixed: handoff_test.go, stated_test.go, tone_test.go,
// person_test.go, legal_test.go, injection_test.go, followup_test.go,
// compound_test.go, products_test.go, recommend_test.go, scope_test.go,
// returns_test.go, shipping_test.go, rules_test.go, orders_test.go,
// need_test.go, spec_test.go and injection_answer_test.go, most of them
// tables of classCase asked of the demo shop (case_test.go).
package support
