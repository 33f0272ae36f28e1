package shop

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
)

// Country is one entry of the embedded country table.
type Country struct {
	Code string // ISO 3166-1 alpha-2
	Name string // English short name
	// Language is the country's main language (a base tag such as fr);
	// only zh and en are languages Chorus writes.
	Language string
	Currency string // ISO 4217
	// Zone is the IANA zone when one zone covers the whole country, else
	// empty (the United States, Spain with the Canaries, …).
	Zone string
}

//go:embed countries.tsv
var countriesTSV string

type countryTable struct {
	byKey  map[string]Country
	byCode map[string]Country
	// currencies maps a currency code to the country that is its home
	// when that is unambiguous (GBP → GB; EUR has none).
	currencies map[string]string
}

var table = sync.OnceValue(func() countryTable {
	t := countryTable{byKey: map[string]Country{}, byCode: map[string]Country{}, currencies: map[string]string{}}
	users := map[string][]string{}
	for _, line := range strings.Split(countriesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		for len(f) < 5 {
			f = append(f, "")
		}
		names := strings.Split(f[1], "|")
		c := Country{Code: f[0], Name: names[min(1, len(names)-1)], Language: f[2], Currency: f[3], Zone: strings.TrimSpace(f[4])}
		t.byCode[c.Code] = c
		t.byKey[countryKey(c.Code)] = c
		for _, n := range names {
			t.byKey[countryKey(n)] = c
		}
		users[c.Currency] = append(users[c.Currency], c.Code)
	}
	for cur, codes := range users {
		if len(codes) == 1 {
			t.currencies[cur] = codes[0]
		}
	}
	// GBP is also the pound of the Crown dependencies; its home is GB.
	t.currencies["GBP"] = "GB"
	return t
})

// countryKey folds a country name for lookup: letters and digits only,
// lower case ("U.S.A." and "usa" are one key).
func countryKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// LookupCountry finds a country by ISO code (GB, GBR), English name or
// common spelling (United Kingdom, EIRE, RSA, USA) or Chinese name (英国,
// 中国香港). Values that name no country ("Unspecified", "European
// Community") are not found.
func LookupCountry(s string) (Country, bool) {
	k := countryKey(s)
	if k == "" {
		return Country{}, false
	}
	c, ok := table().byKey[k]
	return c, ok
}

// CountryOfCurrency is the country whose currency cur is when that is one
// country (GBP → GB, CNY → CN; EUR → none).
func CountryOfCurrency(cur string) (Country, bool) {
	code, ok := table().currencies[strings.ToUpper(cur)]
	if !ok {
		return Country{}, false
	}
	return table().byCode[code], true
}

// currencySymbols are the signs merchants write for a currency. A bare $
// or ¥ is ambiguous (USD or others; CNY or JPY): they map to the currency
// of the shop's market in ParseMoney when known, else to USD and CNY.
var currencySymbols = map[string]string{
	"£": "GBP", "€": "EUR", "¥": "CNY", "￥": "CNY", "元": "CNY", "人民币": "CNY", "RMB": "CNY", "$": "USD",
	"US$": "USD", "HK$": "HKD", "NT$": "TWD", "S$": "SGD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
	"NZ$": "NZD", "₩": "KRW", "₹": "INR", "₽": "RUB", "₺": "TRY", "₫": "VND", "฿": "THB", "₱": "PHP", "CHF": "CHF",
	"円": "JPY", "JP¥": "JPY", "港币": "HKD", "美元": "USD", "英镑": "GBP", "欧元": "EUR", "日元": "JPY",
}

// CurrencyCode reads a currency as a code (gbp, GBP) or a sign (£, ¥,
// HK$); ok is false when s is neither. Codes are checked against the
// currencies of the country table and a few more in common use.
func CurrencyCode(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if c, ok := currencySymbols[s]; ok {
		return c, true
	}
	u := strings.ToUpper(s)
	if c, ok := currencySymbols[u]; ok {
		return c, true
	}
	if len(u) != 3 {
		return "", false
	}
	if knownCurrency(u) {
		return u, true
	}
	return "", false
}

var extraCurrencies = map[string]bool{"EUR": true, "USD": true, "XAF": true, "XOF": true}

func knownCurrency(code string) bool {
	if extraCurrencies[code] {
		return true
	}
	t := table()
	for _, c := range t.byCode {
		if c.Currency == code {
			return true
		}
	}
	return false
}

// ParseMoney splits an amount written with a currency ("¥12", "12 元",
// "£1,234.50", "12.00 GBP", "USD 12") into the number's text and the
// currency code. cur is "" when the text names no currency; rest is s
// without the currency, trimmed. Signs before the currency ("-£5") are
// kept in rest.
func ParseMoney(s string) (rest, cur string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return s, ""
	}
	neg := ""
	if strings.HasPrefix(s, "-") {
		neg, s = "-", strings.TrimSpace(s[1:])
	}
	// Longest prefix or suffix made of non-digits.
	i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) || r == '.' || r == '-' || r == '+' })
	if i > 0 {
		if c, ok := CurrencyCode(strings.TrimSpace(s[:i])); ok {
			return neg + strings.TrimSpace(s[i:]), c
		}
		return neg + s, ""
	}
	j := strings.LastIndexFunc(s, func(r rune) bool { return unicode.IsDigit(r) || r == '.' })
	if j >= 0 && j < len(s)-1 { // digits and '.' are one byte
		if c, ok := CurrencyCode(strings.TrimSpace(s[j+1:])); ok {
			return neg + strings.TrimSpace(s[:j+1]), c
		}
	}
	return neg + s, ""
}
