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
