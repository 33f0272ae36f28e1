package customer

import (
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/chorusmkt/chorus/internal/textfold"
)

// PhoneKey is a phone number's identity however it is written: its
// national significant number, the digits after the country code and
// without the trunk 0 dialled at home. "+86 138-0013-8000",
// "0086 13800138000", "13800138000" and "１３８００１３８０００" share one
// key, as do "+44 20 7946 0958" and "020 7946 0958". Numbers of different
// countries with the same national digits share it too: for suppression
// lists that errs on the side of not sending. It returns "" when v has no
// digits.
func PhoneKey(v string) string {
	f, _ := textfold.String(v)
	f = strings.TrimSpace(f)
	d := digitsOf(f)
	if strings.HasPrefix(f, "+") || strings.HasPrefix(d, "00") && !strings.HasPrefix(d, "000") {
		intl := "+" + strings.TrimPrefix(d, "00")
		if num, err := phonenumbers.Parse(intl, "ZZ"); err == nil {
			if nsn := phonenumbers.GetNationalSignificantNumber(num); nsn != "" {
				return nsn
			}
		}
		d = strings.TrimPrefix(d, "00")
	} else if len(d) >= 12 && strings.HasPrefix(d, "86") {
		d = d[2:] // a Chinese number written with its country code but no +
	}
	return strings.TrimLeft(d, "0")
}

// digitsOf keeps the ASCII digits of s.
func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
