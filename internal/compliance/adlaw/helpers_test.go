package adlaw

import "testing"

func defaultChecker(t testing.TB) *Checker {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
