package count

import "testing"

func TestList(t *testing.T) {
	if got := List(map[string]int{"bad date": 1, "wrong column count": 3, "a": 1}); got != "wrong column count 3, a 1, bad date 1" {
		t.Errorf("List = %q", got)
	}
	if got := List(nil); got != "none" {
		t.Errorf("List(nil) = %q", got)
	}
}
