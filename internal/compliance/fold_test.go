package compliance_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// The PII scanner and the ad-law matcher fold text with one normaliser:
// a character that hides a number from one hides no term from the other.
func TestOneFoldForPIIAndAdLaw(t *testing.T) {
	ck, err := adlaw.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := pii.NewScanner(nil)
	for _, hide := range []string{"\u200b", "\u200e", "\u2066", "\ufeff", "\u00ad", "\u034f", "\ufe0f"} {
		phone := "请致电 138" + hide + "0013 8000"
		if ents := sc.Scan(phone); len(ents) != 1 || ents[0].Type != pii.Phone {
			t.Errorf("U+%04X hides the phone in %q: %+v", []rune(hide)[0], phone, ents)
		}
		copy := "全网最" + hide + "低价"
		if rep := ck.Check(copy, adlaw.Options{Lang: "zh"}); rep.Verdict != adlaw.Block {
			t.Errorf("U+%04X hides the banned term in %q: %s", []rune(hide)[0], copy, rep.Verdict)
		}
	}
	// compatibility digits are digits to both
	if ents := sc.Scan("手机 ①③⑧ 0013 8000"); len(ents) != 1 {
		t.Errorf("circled digits hide the phone: %+v", ents)
	}
}
