package support

// Generalized is generalized, for the tests of package support_test.
func Generalized(text, lang string) (string, bool) {
	return generalized(text, lang, func(string) bool { return false })
}

// ContainsFact is containsFact, for the tests of package support_test.
func ContainsFact(answer, fact string) bool { return containsFact(&Scripts{}, answer, fact) }

// FollowUp is followUp, for the tests of package support_test.
func FollowUp(clause string) bool { return followUp(clause) }
