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

// IDOf is the customer a file's id column names: a phone number as people
// write it (a leading + and at least 7 digits, or at least 10
// digits grouped by spaces, dashes, dots or brackets, or written in
// full-width digits) names the customer PhoneKey names, the identity a
// customer known only by her phone has; any other id is kept as it is
// (Online Retail's 12347, an order-style 2024-0001). "+86 138-0013-8000"
// and "13800138000" are one customer.
func IDOf(id string) string {
	id = strings.TrimSpace(id)
	if writtenPhone(id) {
		return PhoneKey(id)
	}
	return id
}

// writtenPhone reports whether id is a phone number written for people
// rather than a plain id (see IDOf).
func writtenPhone(id string) bool {
	f, _ := textfold.String(id)
	if f == "" {
		return false
	}
	intl := f[0] == '+' // a zero-padded plain id (0012345) stays an id
	grouped := f != id  // full-width digits or invisible marks were folded
	digits := 0
	for i := 0; i < len(f); i++ {
		switch c := f[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0:
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')':
			grouped = true
		default:
			return false
		}
	}
	return intl && digits >= 7 || grouped && digits >= 10
}
