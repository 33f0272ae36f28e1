package shop

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/customer"
)

func TestCustomerLanguageAndZonePrecedence(t *testing.T) {
	uk := Settings{Name: "Gift Co", Language: En, TimeZone: "Europe/London", Currency: "GBP", Country: "GB"}
	cn := Settings{Language: Zh, TimeZone: "Asia/Shanghai", Country: "CN"}
	cases := []struct {
		name     string
		c        customer.Customer
		s        Settings
		lang     Choice
		zone     Choice
		fallback string
	}{
		{"her own fields win", customer.Customer{Language: "zh-CN", TimeZone: "America/New_York", Country: "United Kingdom"}, uk,
			Choice{Zh, FromCustomer}, Choice{"America/New_York", FromCustomer}, ""},
		{"Iceland: no language Chorus writes, one zone", customer.Customer{Country: "Iceland"}, uk,
			Choice{En, FromShop}, Choice{"Atlantic/Reykjavik", FromCountry}, ""},
		{"UK customer of a Chinese shop", customer.Customer{Country: "United Kingdom"}, cn,
			Choice{En, FromCountry}, Choice{"Europe/London", FromCountry}, ""},
		{"EIRE is Ireland", customer.Customer{Country: "EIRE"}, cn,
			Choice{En, FromCountry}, Choice{"Europe/Dublin", FromCountry}, ""},
		{"Singapore writes zh", customer.Customer{Country: "SG"}, uk,
			Choice{Zh, FromCountry}, Choice{"Asia/Singapore", FromCountry}, ""},
		{"Hong Kong in Chinese", customer.Customer{Country: "中国香港"}, uk,
			Choice{Zh, FromCountry}, Choice{"Asia/Hong_Kong", FromCountry}, ""},
		{"USA: English, several zones", customer.Customer{Country: "USA"}, cn,
			Choice{En, FromCountry}, Choice{"Asia/Shanghai", FromShop}, ""},
		{"a language Chorus does not write", customer.Customer{Language: "de", Country: "Germany"}, uk,
			Choice{En, FromShop}, Choice{"Europe/London", FromShop}, ""},
		{"an invalid zone of her own", customer.Customer{TimeZone: "Mars/Olympus", Country: "France"}, uk,
			Choice{En, FromShop}, Choice{"Europe/Paris", FromCountry}, ""},
		{"unknown country", customer.Customer{Country: "Unspecified"}, cn,
			Choice{Zh, FromShop}, Choice{"Asia/Shanghai", FromShop}, ""},
		{"nothing known: configured default zone", customer.Customer{}, Settings{},
			Choice{DefaultLanguage, FromDefault}, Choice{"Asia/Tokyo", FromDefault}, "Asia/Tokyo"},
		{"nothing known at all", customer.Customer{}, Settings{},
			Choice{DefaultLanguage, FromDefault}, Choice{"UTC", FromDefault}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := CustomerLanguage(c.c, c.s); got != c.lang {
				t.Errorf("language = %+v, want %+v", got, c.lang)
			}
			if got := CustomerTimeZone(c.c, c.s, c.fallback); got != c.zone {
				t.Errorf("zone = %+v, want %+v", got, c.zone)
			}
		})
	}
}

func TestCountryTable(t *testing.T) {
	for _, name := range []string{"United Kingdom", "EIRE", "RSA", "USA", "U.S.A.", "Channel Islands", "中国", "英国", "gbr", "cn", "Czech Republic"} {
		if _, ok := LookupCountry(name); !ok {
			t.Errorf("%q is not found", name)
		}
	}
	for _, name := range []string{"Unspecified", "European Community", "", "Atlantis"} {
		if c, ok := LookupCountry(name); ok {
			t.Errorf("%q found as %+v", name, c)
		}
	}
	// Every entry's zone loads, its language is a base tag and its currency
	// a code.
	seen := map[string]bool{}
	for _, line := range strings.Split(countriesTSV, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 5 || len(f[0]) != 2 || seen[f[0]] {
			t.Errorf("bad or repeated line %q", line)
			continue
		}
		seen[f[0]] = true
		if z := f[4]; z != "" {
			if _, err := time.LoadLocation(z); err != nil {
				t.Errorf("%s: zone %s: %v", f[0], z, err)
			}
		}
		if len(f[3]) != 3 || strings.ToUpper(f[3]) != f[3] || len(f[2]) != 2 {
			t.Errorf("%s: language %q currency %q", f[0], f[2], f[3])
		}
	}
	for _, code := range []string{"CN", "TW", "HK", "MO", "SG"} {
		if c, _ := LookupCountry(code); c.Language != Zh {
			t.Errorf("%s language %q, want zh", code, c.Language)
		}
	}
	for _, code := range []string{"GB", "US", "AU", "IE", "NZ", "CA"} {
		if c, _ := LookupCountry(code); c.Language != En {
			t.Errorf("%s language %q, want en", code, c.Language)
		}
	}
	if c, ok := CountryOfCurrency("GBP"); !ok || c.Code != "GB" {
		t.Errorf("GBP → %+v", c)
	}
	if _, ok := CountryOfCurrency("EUR"); ok {
		t.Error("EUR has a single home")
	}
}

func TestParseMoney(t *testing.T) {
	cases := []struct{ in, rest, cur string }{
		{"¥12", "12", "CNY"},
		{"￥12.50", "12.50", "CNY"},
		{"12元", "12", "CNY"},
		{"£1,234.50", "1,234.50", "GBP"},
		{"-£5", "-5", "GBP"},
		{"12.00 GBP", "12.00", "GBP"},
		{"USD 12", "12", "USD"},
		{"HK$ 99", "99", "HKD"},
		{"$3", "3", "USD"},
		{"12", "12", ""},
		{"12 apples", "12 apples", ""},
		{"€", "€", ""},
		{"", "", ""},
	}
	for _, c := range cases {
		rest, cur := ParseMoney(c.in)
		if rest != c.rest || cur != c.cur {
			t.Errorf("ParseMoney(%q) = %q, %q; want %q, %q", c.in, rest, cur, c.rest, c.cur)
		}
	}
}

func TestNormalize(t *testing.T) {
	ok := []struct{ key, in, want string }{
		{KeyLanguage, "en-GB", En}, {KeyLanguage, "中文", Zh}, {KeyCurrency, "£", "GBP"}, {KeyCurrency, "cny", "CNY"},
		{KeyCountry, "United Kingdom", "GB"}, {KeyTimeZone, "Europe/London", "Europe/London"}, {KeyName, "  Gift Co ", "Gift Co"},
	}
	for _, c := range ok {
		if got, err := Normalize(c.key, c.in); err != nil || got != c.want {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q", c.key, c.in, got, err, c.want)
		}
	}
	bad := []struct{ key, in string }{
		{KeyLanguage, "de"}, {KeyCurrency, "pounds"}, {KeyCountry, "Atlantis"}, {KeyTimeZone, "Europe/Londres"}, {KeyTimeZone, "Local"},
		{KeyName, ""}, {"colour", "red"},
	}
	for _, c := range bad {
		if _, err := Normalize(c.key, c.in); err == nil {
			t.Errorf("Normalize(%s, %q) accepted", c.key, c.in)
		}
	}
}

func TestInfer(t *testing.T) {
	// The Online Retail shop: most customers in the UK, prices in pounds.
	uk := Infer(Evidence{
		CustomerCountries: []Count{{"United Kingdom", 3950}, {"Germany", 95}, {"France", 87}, {"EIRE", 3}},
		EventCurrencies:   []Count{{"GBP", 541909}},
	})
	if uk != (Settings{Language: En, TimeZone: "Europe/London", Currency: "GBP", Country: "GB"}) {
		t.Errorf("Online Retail = %+v", uk)
	}
	// Events only, in dollars: the currency's home.
	us := Infer(Evidence{EventCurrencies: []Count{{"USD", 10}}})
	if us != (Settings{Language: En, Currency: "USD", Country: "US"}) {
		t.Errorf("dollar events = %+v", us)
	}
	// Customers who write Chinese outweigh a country Chorus does not write.
	mixed := Infer(Evidence{CustomerCountries: []Count{{"Germany", 5}}, CustomerLanguages: []Count{{"zh-CN", 3}, {"en", 1}, {"de", 9}}})
	if mixed.Language != Zh || mixed.Currency != "EUR" || mixed.TimeZone != "" {
		t.Errorf("mixed = %+v", mixed)
	}
	if got := Infer(Evidence{}); got != (Settings{}) {
		t.Errorf("no evidence = %+v", got)
	}
}

// memStore is an Inferrer in memory that counts evidence reads.
type memStore struct {
	set   map[string]Setting
	reads int
	ev    Evidence
}

func (m *memStore) ShopSettings(context.Context) ([]Setting, error) {
	var out []Setting
	for _, s := range m.set {
		out = append(out, s)
	}
	return out, nil
}

func (m *memStore) PutShopSettings(_ context.Context, ss []Setting, onlyMissing bool) (int, error) {
	n := 0
	for _, s := range ss {
		if _, ok := m.set[s.Key]; ok && onlyMissing {
			continue
		}
		m.set[s.Key] = s
		n++
	}
	return n, nil
}

func (m *memStore) ShopEvidence(context.Context) (Evidence, error) { m.reads++; return m.ev, nil }

func TestInferMissingReadsTheDataOnlyWhenItCanTell(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &memStore{set: map[string]Setting{}, ev: Evidence{CustomerCountries: []Count{{"USA", 10}}, EventCurrencies: []Count{{"USD", 10}}}}
	got, err := InferMissing(ctx, st, Configured{}, "import a.csv", now)
	if err != nil || len(got) != 3 || st.reads != 1 {
		t.Fatalf("first import: %+v, %v, %d reads", got, err, st.reads)
	}
	// A US shop has no single zone: later imports do not read the data again.
	for range 3 {
		if got, err := InferMissing(ctx, st, Configured{}, "import b.csv", now); err != nil || len(got) != 0 {
			t.Fatalf("later import: %+v, %v", got, err)
		}
	}
	if st.reads != 1 {
		t.Errorf("evidence read %d times, want once", st.reads)
	}
	// Set to France, the zone follows from the country alone.
	if _, err := Set(ctx, st, KeyCountry, "France", now); err != nil {
		t.Fatal(err)
	}
	got, err = InferMissing(ctx, st, Configured{}, "import c.csv", now)
	if err != nil || len(got) != 1 || got[0].Value != "Europe/Paris" || st.reads != 1 {
		t.Errorf("France: %+v, %v, %d reads", got, err, st.reads)
	}
}
