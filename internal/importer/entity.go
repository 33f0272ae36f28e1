package importer

import (
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/shop"
)

// tzCache validates IANA zone names once each.
type tzCache map[string]bool

func (c *tzCache) valid(name string) bool {
	if *c == nil {
		*c = tzCache{}
	}
	ok, seen := (*c)[name]
	if !seen {
		_, err := time.LoadLocation(name)
		ok = err == nil
		(*c)[name] = ok
	}
	return ok
}

func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n,;<>") && strings.Contains(s[at:], ".")
}

func normGender(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "f", "female", "woman", "w", "女", "女性":
		return "female", true
	case "m", "male", "man", "男", "男性":
		return "male", true
	case "other", "o", "x", "non-binary", "nonbinary", "diverse", "其他":
		return "other", true
	}
	return "", false
}

func isCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// fullName joins first and last names; Chinese names are written family
// name first and without a space.
func fullName(first, last string) string {
	switch {
	case first == "":
		return last
	case last == "":
		return first
	case isCJK(first) || isCJK(last):
		return last + first
	}
	return first + " " + last
}

// jsonObject parses a JSON object cell (attrs, properties).
func jsonObject(s, field string) (map[string]any, *rowError) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil || m == nil {
		return nil, reject(KindJSON, "%s is not a JSON object: %.80s", field, s)
	}
	return m, nil
}

func addExtras(m map[string]any, extras []kv) map[string]any {
	if len(extras) == 0 {
		return m
	}
	if m == nil {
		m = make(map[string]any, len(extras))
	}
	for _, e := range extras {
		m[e.key] = e.val
	}
	return m
}

func (p *parser) customerFromRow(r *row) (customer.Customer, []consentIntent, *rowError) {
	v := func(i int) string { return strings.TrimSpace(r.vals[i]) }
	var c customer.Customer
	c.Email = v(cEmail)
	if c.Email != "" && !validEmail(c.Email) {
		return c, nil, reject(KindValue, "email %q is not an address", c.Email)
	}
	c.Phone = strings.TrimLeft(v(cPhone), "'") // Excel's text guard
	// Shopify writes 'ID so Excel keeps the digits; an id that is a
	// written phone number is the phone's identity (customer.IDOf)
	c.ID = customer.IDOf(normalizeID(strings.TrimLeft(strings.TrimSpace(r.vals[cID]), "'")))
	switch {
	case c.ID != "":
	case c.Email != "":
		c.ID = strings.ToLower(c.Email)
	case customer.PhoneKey(c.Phone) != "":
		// one identity for a number however it is written, the one the
		// suppression list and the contact policy match on
		c.ID = customer.PhoneKey(c.Phone)
	default:
		return c, nil, reject(KindMissing, "no id, email or phone: the customer cannot be identified")
	}
	c.Name = v(cName)
	if c.Name == "" {
		c.Name = fullName(v(cFirstName), v(cLastName))
	}
	g, ok := normGender(r.vals[cGender])
	if !ok {
		return c, nil, reject(KindValue, "gender %q is not female, male or other", v(cGender))
	}
	c.Gender = g
	if s := v(cBirthYear); s != "" {
		y, err := parseInt(s)
		if err != nil {
			return c, nil, reject(KindNumber, "birth_year: %v", err)
		}
		if y < 1900 || y > p.opts.Now().Year() {
			return c, nil, reject(KindValue, "birth_year %d is not a plausible year of birth", y)
		}
		c.BirthYear = y
	}
	c.Occupation = v(cOccupation)
	c.City = v(cCity)
	c.Country = v(cCountry)
	c.Address = strings.Join(nonEmpty(v(cAddress), v(cAddress2)), ", ")
	if tz := v(cTimeZone); tz != "" {
		if !p.tz.valid(tz) {
			return c, nil, reject(KindValue, "time_zone %q is not an IANA zone such as Asia/Shanghai", tz)
		}
		c.TimeZone = tz
	}
	c.Language = strings.ToLower(v(cLanguage))
	c.Interests = parseList(r.vals[cInterests])
	c.Tags = parseList(r.vals[cTags])
	attrs, rerr := jsonObject(r.vals[cAttrs], "attrs")
	if rerr != nil {
		return c, nil, rerr
	}
	for _, f := range []struct {
		field int
		key   string
	}{{cProvince, "province"}, {cZip, "zip"}, {cCompany, "company"}, {cNote, "note"}} {
		if s := v(f.field); s != "" {
			attrs = addExtras(attrs, []kv{{f.key, s}})
		}
	}
	for _, f := range []struct {
		field int
		key   string
	}{{cTotalSpent, "total_spent"}, {cTotalOrders, "total_orders"}} {
		if s := v(f.field); s != "" {
			n, err := parseNumber(s)
			if err != nil {
				return c, nil, reject(KindNumber, "%s: %v", f.key, err)
			}
			attrs = addExtras(attrs, []kv{{f.key, n}})
		}
	}
	c.Attrs = addExtras(attrs, r.extras)
	if s := v(cCreatedAt); s != "" {
		t, err := p.dates.parse(s)
		if err != nil {
			return c, nil, reject(KindDate, "created_at: %v", err)
		}
		c.CreatedAt = t
	}
	var intents []consentIntent
	for _, cc := range consentChannels {
		granted, ok, err := parseBool(r.vals[cc.field])
		if err != nil {
			return c, nil, reject(KindValue, "%s: %v", customerSchema.fields[cc.field], err)
		}
		if ok {
			intents = append(intents, consentIntent{customerID: c.ID, channel: cc.channel, granted: granted})
		}
	}
	return c, intents, nil
}

func nonEmpty(xs ...string) []string {
	out := xs[:0]
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

func (p *parser) productFromRow(r *row) (catalog.Product, *rowError) {
	v := func(i int) string { return strings.TrimSpace(r.vals[i]) }
	pr := catalog.Product{SKU: v(pSKU), Active: true}
	if pr.SKU == "" {
		return pr, reject(KindMissing, "sku is empty")
	}
	pr.Title = v(pTitle)
	pr.Description = v(pDescription)
	pr.Category = v(pCategory)
	pr.Brand = v(pBrand)
	cur, rerr := currencyOf(v(pCurrency))
	if rerr != nil {
		return pr, rerr
	}
	priceText, cur, rerr := moneyText("price", v(pPrice), cur)
	if rerr != nil {
		return pr, rerr
	}
	price, err := parseNumber(priceText)
	if err != nil {
		return pr, reject(KindNumber, "price: %v", err)
	}
	if price < 0 {
		return pr, reject(KindValue, "price %v is negative", price)
	}
	pr.Price = price
	pr.Currency = cur
	pr.SellingPoints = parseList(r.vals[pSellingPoints])
	pr.Tags = parseList(r.vals[pTags])
	if s := v(pStock); s != "" {
		n, err := parseInt(s)
		if err != nil {
			return pr, reject(KindNumber, "stock: %v", err)
		}
		pr.Stock = n
	}
	pr.URL = v(pURL)
	pr.ImageURL = v(pImageURL)
	if s := v(pActive); s != "" {
		switch strings.ToLower(s) {
		case "active":
			pr.Active = true
		case "draft", "archived", "inactive":
			pr.Active = false
		default:
			b, _, err := parseBool(s)
			if err != nil {
				return pr, reject(KindValue, "active: %v", err)
			}
			pr.Active = b
		}
	}
	pr.Language = strings.ToLower(v(pLanguage))
	if s := v(pCreatedAt); s != "" {
		t, err := p.dates.parse(s)
		if err != nil {
			return pr, reject(KindDate, "created_at: %v", err)
		}
		pr.CreatedAt = t
	}
	return pr, nil
}

// round4 removes binary noise from products of decimal prices
// (6 × 2.55 = 15.299999999999999), so that the same line always hashes
// to the same natural key.
func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

func (p *parser) eventFromRow(r *row) (event.Event, *rowError) {
	v := func(i int) string { return strings.TrimSpace(r.vals[i]) }
	var e event.Event
	e.Type = strings.ToLower(v(eType))
	if e.Type == "" {
		return e, reject(KindMissing, "type is empty")
	}
	at, err := p.dates.parse(r.vals[eOccurredAt])
	if err != nil {
		return e, reject(KindDate, "occurred_at: %v", err)
	}
	e.OccurredAt = at
	// the same identity as the customer's: a written phone number is keyed
	// by customer.PhoneKey, as a customer known only by her phone is
	e.CustomerID = customer.IDOf(normalizeID(r.vals[eCustomerID]))
	e.SKU = v(eSKU)
	q, err := parseNumber(r.vals[eQuantity])
	if err != nil {
		return e, reject(KindNumber, "quantity: %v", err)
	}
	e.Quantity = q
	cur, rerr := currencyOf(v(eCurrency))
	if rerr != nil {
		return e, rerr
	}
	amountText, cur, rerr := moneyText("amount", v(eAmount), cur)
	if rerr != nil {
		return e, rerr
	}
	amount, err := parseNumber(amountText)
	if err != nil {
		return e, reject(KindNumber, "amount: %v", err)
	}
	if amountText == "" && v(ePrice) != "" {
		var priceText string
		if priceText, cur, rerr = moneyText("price", v(ePrice), cur); rerr != nil {
			return e, rerr
		}
		price, err := parseNumber(priceText)
		if err != nil {
			return e, reject(KindNumber, "price: %v", err)
		}
		n := q
		if n == 0 {
			n = 1
		}
		amount = round4(n * price)
	}
	e.Amount = amount
	if e.Type == event.Purchase && (e.Quantity < 0 || e.Amount < 0) {
		// A purchase line with a negative quantity or amount is a return.
		e.Type = event.Refund
		p.sum.NegativeAsRefund++
	}
	if e.Type == event.Refund {
		// refunds are stored signed, whichever sign the file uses
		e.Quantity, e.Amount = -math.Abs(e.Quantity), -math.Abs(e.Amount)
	}
	e.Currency = cur
	e.OrderID = v(eOrderID)
	e.Channel = strings.ToLower(v(eChannel))
	e.Campaign = v(eCampaign)
	props, rerr := jsonObject(r.vals[eProperties], "properties")
	if rerr != nil {
		return e, rerr
	}
	e.Properties = addExtras(props, r.extras)
	return e, nil
}

// currencyOf reads a currency column: an ISO code or a sign (£, ¥, HK$);
// empty stays empty.
func currencyOf(s string) (string, *rowError) {
	if s == "" {
		return "", nil
	}
	c, ok := shop.CurrencyCode(s)
	if !ok {
		return "", reject(KindValue, "currency %q is not an ISO 4217 code such as GBP, CNY or USD", s)
	}
	return c, nil
}

// moneyText splits an amount written with its currency ("¥12", "12 GBP")
// into the number's text and the currency. The currency it names fills an
// empty currency column; one that contradicts the column rejects the row.
func moneyText(field, s, cur string) (string, string, *rowError) {
	rest, named := shop.ParseMoney(s)
	switch {
	case named == "":
		return s, cur, nil
	case cur == "":
		return rest, named, nil
	case cur != named:
		return "", cur, reject(KindValue, "%s %q is in %s, but the currency column says %s", field, s, named, cur)
	}
	return rest, cur, nil
}
