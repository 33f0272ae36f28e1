package policy_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

func TestGuessKindAndNormalize(t *testing.T) {
	for _, tc := range []struct{ in, kind, value string }{
		{" Ann@Example.COM ", "email", "ann@example.com"},
		{"+86 138-0013-8000", "phone", "+8613800138000"},
		{"(212) 555-0100", "phone", "2125550100"},
		{"13800138000", "phone", "13800138000"},
		{"+4420", "phone", "+4420"},
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
