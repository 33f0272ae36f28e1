package customer

import "testing"

func TestIDOf(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"+86 138-0013-8000", "13800138000"},
		{"13800138000", "13800138000"},
		{"１３８ ００１３ ８０００", "13800138000"},
		{"0086 138 0013 8000", "13800138000"},
		{"(020) 7946 0958", "2079460958"},
		{"+447946095800", "7946095800"},
		{" 12347 ", "12347"},       // a plain id
		{"0012345", "0012345"},     // zero-padded, not a phone
		{"2024-0001", "2024-0001"}, // an order-style id: too few digits
		{"C-138 0013 8000", "C-138 0013 8000"},
		{"ann@example.com", "ann@example.com"},
		{"", ""},
	} {
		if got := IDOf(c.in); got != c.want {
			t.Errorf("IDOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
