package apperr

import (
	"errors"
	"fmt"
	"testing"
)

func TestWrapfKeepsTheMessageAndTheKind(t *testing.T) {
	cause := New(NotFound, "item ci_1 not found")
	err := fmt.Errorf("review: %w", cause)
	Wrapf(&err, "Store.GetItem(%q)", "ci_1")
	Wrapf(&err, "Deps.Review")
	if err.Error() != "review: item ci_1 not found" {
		t.Errorf("message %q shows the operations", err)
	}
	if KindOf(err) != NotFound || !errors.Is(err, cause) || !Has(err) {
		t.Errorf("kind %s, is %v", KindOf(err), errors.Is(err, cause))
	}
	if got, want := Trace(err), `Deps.Review: Store.GetItem("ci_1"): review: item ci_1 not found`; got != want {
		t.Errorf("Trace = %q, want %q", got, want)
	}
	var none error
	Wrapf(&none, "x")
	if none != nil {
		t.Error("Wrapf made an error of nil")
	}
	if Has(errors.New("plain")) || KindOf(errors.New("plain")) != Internal {
		t.Error("a plain error has a kind")
	}
	if len(Kinds()) != 9 {
		t.Errorf("Kinds() = %v", Kinds())
	}
}
