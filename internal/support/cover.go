package support

import (
	"regexp"
	"slices"
)

// clearMargin is how many times the score of the next passage on another
// topic the search's first passage must have for its topic to be plainly
// the one a question asks of.
const clearMargin = 2.0

// incidentalWords are the everyday words of q (see plainWords) and the
// words the shop's texts never use that are only the customer's context,
// when the search plainly ranks one rule first (see clearTopic): "can I
// just hand the delivery guy cash at the door?" asks the cash-on-delivery
// rule, and "door" is where she stands.
// A word said of another word that names something ("educator
// discount", "restocking fee"; see qualifiesKnown) is what she asks of,
// and so is a service beyond the topic (an insurance, a claim; see
// extraService); a service no rule names hands off before these words
// count (see unnamedService). The words are as UnknownWords returns them
// and as coverage weighs them (stemmed).
func (a *Assistant) incidentalWords(q string, hits []Passage, lang string) map[string]bool {
	top, ok := a.clearTopic(q, hits, lang)
	if !ok {
		return nil
	}
	st := a.ix.searchText(q)
	var out map[string]bool
	// the everyday words some other passage happens to have ("go",
	// "through" in "did the refund go through?") name nothing the rule
	// must say: those the rule does not cover count against it no more
	// than an everyday word no passage has (see questionTerms); those it
	// covers ("company name" of the invoice rule, "how long" of a rule
	// that gives days) still count for it
	base := a.ix.coverage(q, top)
	askLong := containsAnyWord(normalize(q), []string{"how long", "how soon"})
	for _, t := range a.ix.termsOf(q, lang) {
		plain := plainHan[t]
		if (t == "long" || t == "soon") && askLong {
			continue // what she asks: a length of time (see coverage)
		}
		if !isHan(t) {
			plain = slices.ContainsFunc(wordRuns(st), func(r string) bool { return stem(r) == t && plainWords[r] && !stopWords[r] })
		}
		if plain && a.ix.coverageWithout(q, top, map[string]bool{t: true}) > base {
			if out == nil {
				out = map[string]bool{}
			}
			out[t] = true
		}
	}
	unknown := a.ix.UnknownWords(q, lang)
	known := a.ix.KnownTerms(q, lang)
	for _, w := range unknown {
		// a Han bigram is not a word: without the words of the sentence
		// (segmentation) which characters qualify which cannot be told
		// (取件 in 退货能上门取件吗 is what she asks), so only Latin words
		// are read as her context here; a Chinese one is hers when said
		// in a clause that only tells (see toldOnly)
		if isHan(w) || extraService(w) || qualifiesKnown(st, w, known, unknown) {
			continue
		}
		if out == nil {
			out = map[string]bool{}
		}
		out[w] = true
		out[stem(w)] = true
	}
	return out
}

// clearTopic returns the search's best passage in hits and reports
// whether it is plainly what q asks of: it shares a term with the
// question in its title or keywords, and it scores at least clearMargin
// times the best passage on another topic (two rules on one topic, the
// general and the conditional, do not make it less clear).
func (a *Assistant) clearTopic(q string, hits []Passage, lang string) (Passage, bool) {
	if len(hits) == 0 {
		return Passage{}, false
	}
	top := hits[0]
	for _, h := range hits[1:] {
		if h.Score > top.Score {
			top = h
		}
	}
	next := 0.0
	for _, h := range hits {
		if h.Topic != top.Topic || top.Topic == "" && h.ID != top.ID {
			next = max(next, h.Score)
		}
	}
	if top.Score < clearMargin*next {
		return Passage{}, false
	}
	have := termSet(top.Title+" "+top.Keywords, lang)
	for _, t := range a.ix.termsOf(q, lang) {
		if have[t] {
			return top, true
		}
	}
	return Passage{}, false
}

// qualifiesKnown reports whether the unknown Latin word w stands next to
// a term of the question in its search text st that names something: a
// known term or another unknown word, past an article or a possessive
// ("educator discount", "collect the return", "restocking fee"); a word
// after a preposition is where or when ("cash at the door"), not what
// she asks of.
func qualifiesKnown(st, w string, known, unknown []string) bool {
	isKnown := func(s string) bool {
		for _, k := range known {
			if k == s || !isHan(s) && k == stem(s) {
				return true
			}
		}
		return false
	}
	names := func(s string) bool {
		return isKnown(s) || s != w && slices.Contains(unknown, s)
	}
	runs := wordRuns(st)
	for i, r := range runs {
		if r != w {
			continue
		}
		for k := i - 1; k >= 0 && !isHan(runs[k]); k-- {
			if !determiners[runs[k]] {
				if names(runs[k]) {
					return true
				}
				break
			}
		}
		for k := i + 1; k < len(runs) && !isHan(runs[k]); k++ {
			if !determiners[runs[k]] {
				if names(runs[k]) {
					return true
				}
				break
			}
		}
	}
	return false
}

// determiners stand between a word and the noun it is said of.
var determiners = wordSet(`the a an my your our their his her its this that these those some any`)

// exerciseRe frames a message as a school exercise (a maths problem, a
// homework question, 数学作业, 应用题, 帮我检查作业): its prices, fees and
// shapes are the exercise's ("a shirt costs $40 and is 25% off",
// 运费10元买3件, the square root of 144), so no product or rule of the
// shop answers it. Homework as what a product is for (台灯适合写作业吗, "a
// lamp for homework") is no exercise. Matched on normalised text.
var exerciseRe = regexp.MustCompile(`\bhome ?work (question|problem|help)s?\b|\bmaths? (homework|problem|question|exercise|puzzle)s?\b|` +
	`\b(my|his|her|our) (maths |math )?homework\b.{0,40}\b(what'?s|what is|how (many|much|far|fast|long)|solve|work out|calculate|equals?)\b|` +
	`\b(algebra|trigonometry|quadratic|square root|long division)\b|\bsolve\b.{0,20}\b(for x|equations?)\b|` +
	`数学作业|作业题|数学题|应用题|奥数|口算|方程|帮.{0,6}(写|做|检查|看看?|算).{0,4}作业|作业[:：]`)
