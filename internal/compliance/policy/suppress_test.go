package policy_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

func TestGuessKindAndNormalize(t *testing.T) {
	for _, tc := range []struct{ in, kind, value string }{
		{" Ann@Example.COM ", "email", "ann@example.com"},
		{"+86 138-0013-8000", "phone", "13800138000"},
		{"0086 138 0013 8000", "phone", "13800138000"},
		{"(212) 555-0100", "phone", "2125550100"},
		{"13800138000", "phone", "13800138000"},
		{"+44 20 7946 0958", "phone", "2079460958"},
		{"17850", "customer", "17850"},
		{"c1042", "customer", "c1042"},
		{"u-55", "customer", "u-55"},
	} {
		k := policy.GuessKind(tc.in)
		key, err := policy.NormalizeKey(k, tc.in)
		if k != tc.kind || err != nil || key.Value != tc.value {
			t.Errorf("%q: kind %s value %q (%v), want %s %q", tc.in, k, key.Value, err, tc.kind, tc.value)
		}
	}
	for _, bad := range [][2]string{{"email", "not-an-address"}, {"phone", "--"}, {"customer", "  "}, {"fax", "123"}} {
		if _, err := policy.NormalizeKey(bad[0], bad[1]); err == nil {
			t.Errorf("NormalizeKey(%s, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestKeyForms(t *testing.T) {
	ks, err := policy.KeyForms("phone", "+86 138-0013-8000")
	want := []policy.SuppressionKey{{Kind: "phone", Value: "13800138000"}, {Kind: "phone", Value: "+8613800138000"}}
	if err != nil || len(ks) != 2 || ks[0] != want[0] || ks[1] != want[1] {
		t.Errorf("KeyForms(phone, +86 …) = %v, %v; want %v", ks, err, want)
	}
	if ks, err := policy.KeyForms("phone", "13800138000"); err != nil || len(ks) != 1 {
		t.Errorf("KeyForms(phone, 13800138000) = %v, %v; want one form", ks, err)
	}
	if ks, err := policy.KeyForms("email", "A@B.com"); err != nil || len(ks) != 1 || ks[0].Value != "a@b.com" {
		t.Errorf("KeyForms(email) = %v, %v", ks, err)
	}
}
