package support

// Generalized is generalized, for the tests of package support_test.
func Generalized(text, lang string) (string, bool) {
	never := func(string) bool { return false }
	return generalized(text, lang, never, never)
}

// ContainsFact is containsFact, for the tests of package support_test.
func ContainsFact(answer, fact string) bool { return containsFact(&Scripts{}, answer, fact) }

// FollowUp is followUp, for the tests of package support_test.
func FollowUp(clause string) bool { return followUp(clause) }

// LearnedHandoff is the hand-off decision on a message's words (text as
// the rules read it): the rules' alone, and the rules' with c beside them
// (see combine).
func LearnedHandoff(c *Classifier, text string) (rules, combined bool, p Prediction) {
	sig := Analyze(text, "")
	n := normalize(text)
	rules, _ = ruleHandoff(sig, n)
	p = c.Predict(text, sig)
	calm, hand := combine(sig, p, n)
	return rules, rules && !calm || hand, p
}

// WordsHandoff is wordsHandoff, for the tests of package support_test.
func WordsHandoff(e LearnExample) bool { return wordsHandoff(e) }
