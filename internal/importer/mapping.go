package importer

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// schema names the fields of one entity and the column headings that mean
// them. Columns that match no field go to the entity's free-form map
// (customer attrs, event properties) so that nothing in the file is lost;
// products have no such map and report them as ignored.
type schema struct {
	entity  string
	fields  []string
	aliases map[string]int // normalised heading -> field index
	extra   string         // "attrs", "properties" or ""
}

func newSchema(entity, extra string, fields []string, aliases map[string][]string) *schema {
	s := &schema{entity: entity, fields: fields, aliases: map[string]int{}, extra: extra}
	for i, f := range fields {
		s.aliases[normHeading(f)] = i
		for _, a := range aliases[f] {
			s.aliases[normHeading(a)] = i
		}
	}
	return s
}

func (s *schema) index(field string) int {
	for i, f := range s.fields {
		if f == field {
			return i
		}
	}
	panic("importer: unknown field " + field) // a programming error
}

// normHeading folds a column heading for matching: lower case, letters and
// digits only ("Customer ID", "customer_id" and "CustomerID" are equal).
func normHeading(h string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(h) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// Customer fields.
const (
	cID = iota
	cName
	cFirstName
	cLastName
	cEmail
	cPhone
	cGender
	cBirthYear
	cOccupation
	cCity
	cProvince
	cCountry
	cAddress
	cAddress2
	cZip
	cCompany
	cTimeZone
	cLanguage
	cInterests
	cTags
	cAttrs
	cCreatedAt
	cConsentEmail
	cConsentSMS
	cConsentWeChat
	cConsentPush
	cNote
	cTotalSpent
	cTotalOrders
)

var customerSchema = newSchema("customers", "attrs", []string{
	"id", "name", "first_name", "last_name", "email", "phone", "gender", "birth_year", "occupation",
	"city", "province", "country", "address", "address2", "zip", "company", "time_zone", "language",
	"interests", "tags", "attrs", "created_at", "consent_email", "consent_sms", "consent_wechat",
	"consent_push", "note", "total_spent", "total_orders",
}, map[string][]string{
	"id":             {"customer_id", "customerid", "external_id", "customer", "user_id", "userid", "member_id", "客户ID", "会员ID", "用户ID"},
	"name":           {"full_name", "customer_name", "姓名", "名字"},
	"first_name":     {"firstname", "given_name"},
	"last_name":      {"lastname", "family_name", "surname"},
	"email":          {"e_mail", "email_address", "mail", "邮箱"},
	"phone":          {"mobile", "phone_number", "tel", "telephone", "cell", "手机", "手机号", "电话"},
	"gender":         {"sex", "性别"},
	"birth_year":     {"birthyear", "year_of_birth", "出生年份"},
	"occupation":     {"job", "profession", "职业"},
	"city":           {"城市", "default_address_city"},
	"province":       {"state", "region", "省份", "default_address_province_code"},
	"country":        {"国家", "default_address_country_code"},
	"address":        {"address1", "street", "地址", "default_address_address1"},
	"address2":       {"default_address_address2"},
	"zip":            {"postcode", "postal_code", "zip_code", "邮编", "default_address_zip"},
	"company":        {"default_address_company"},
	"time_zone":      {"timezone", "tz"},
	"language":       {"lang", "locale", "语言"},
	"interests":      {"兴趣"},
	"tags":           {"tag", "标签"},
	"created_at":     {"signup_date", "registered_at", "created", "注册时间"},
	"consent_email":  {"accepts_email_marketing", "accepts_marketing", "email_consent", "email_opt_in", "newsletter"},
	"consent_sms":    {"accepts_sms_marketing", "sms_consent", "sms_opt_in"},
	"consent_wechat": {"wechat_consent"},
	"consent_push":   {"push_consent"},
	"note":           {"notes", "备注"},
	"total_spent":    {},
	"total_orders":   {},
})

// Product fields.
const (
	pSKU = iota
	pTitle
	pDescription
	pCategory
	pBrand
	pPrice
	pCurrency
	pSellingPoints
	pTags
	pStock
	pURL
	pImageURL
	pActive
	pLanguage
	pCreatedAt
)

var productSchema = newSchema("products", "", []string{
	"sku", "title", "description", "category", "brand", "price", "currency", "selling_points", "tags",
	"stock", "url", "image_url", "active", "language", "created_at",
}, map[string][]string{
	"sku":            {"stock_code", "stockcode", "product_id", "item_id", "variant_sku", "商品编码", "货号"},
	"title":          {"name", "product_name", "product_title", "标题", "商品名称"},
	"description":    {"body", "body_html", "desc", "描述"},
	"category":       {"category_path", "product_type", "type", "类目", "分类"},
	"brand":          {"vendor", "品牌"},
	"price":          {"unit_price", "unitprice", "variant_price", "价格"},
	"selling_points": {"features", "highlights", "卖点"},
	"stock":          {"inventory", "inventory_quantity", "variant_inventory_qty", "qty", "库存"},
	"url":            {"link", "product_url"},
	"image_url":      {"image", "image_src", "image_link", "图片"},
	"active":         {"published", "status", "enabled"},
	"language":       {"lang", "locale"},
})

// Event fields.
const (
	eCustomerID = iota
	eType
	eSKU
	eQuantity
	ePrice
	eAmount
	eCurrency
	eOrderID
	eChannel
	eCampaign
	eOccurredAt
	eProperties
)

var eventSchema = newSchema("events", "properties", []string{
	"customer_id", "type", "sku", "quantity", "price", "amount", "currency", "order_id", "channel",
	"campaign", "occurred_at", "properties",
}, map[string][]string{
	"customer_id": {"customer", "customerid", "user_id", "userid", "member_id", "客户ID", "用户ID"},
	"type":        {"event", "event_type", "action", "事件", "行为"},
	"sku":         {"stock_code", "stockcode", "product_id", "item_id", "商品编码"},
	"quantity":    {"qty", "count", "数量"},
	"price":       {"unit_price", "unitprice", "单价"},
	"amount":      {"total", "revenue", "value", "金额"},
	"order_id":    {"order", "invoice", "invoice_no", "invoiceno", "订单号"},
	"occurred_at": {"timestamp", "time", "date", "datetime", "event_time", "created_at", "invoice_date", "invoicedate", "时间"},
})

// column says where one input column goes.
type column struct {
	field int    // index into schema.fields, or -1
	extra string // key in the free-form map when field is -1 ("" ignores)
}

// mapper resolves headings to fields, with the --map overrides applied.
type mapper struct {
	s         *schema
	overrides map[string]column // normalised heading -> target
	ignored   map[string]bool   // headings dropped because the entity has no free-form map
}

// newMapper validates the --map overrides (column=field) for s.
func newMapper(s *schema, overrides map[string]string) (*mapper, error) {
	m := &mapper{s: s, overrides: map[string]column{}, ignored: map[string]bool{}}
	for col, field := range overrides {
		target, err := s.target(field)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "--map %s=%s", col, field)
		}
		m.overrides[normHeading(col)] = target
	}
	return m, nil
}

// target parses the right-hand side of --map: a field, attrs.KEY /
// properties.KEY, or "-" to drop the column.
func (s *schema) target(field string) (column, error) {
	field = strings.TrimSpace(field)
	if field == "-" || field == "ignore" {
		return column{field: -1}, nil
	}
	if s.extra != "" && strings.HasPrefix(field, s.extra+".") && len(field) > len(s.extra)+1 {
		return column{field: -1, extra: field[len(s.extra)+1:]}, nil
	}
	for i, f := range s.fields {
		if f == field {
			return column{field: i}, nil
		}
	}
	fields := append([]string(nil), s.fields...)
	sort.Strings(fields)
	hint := ""
	if s.extra != "" {
		hint = fmt.Sprintf(", %s.KEY", s.extra)
	}
	return column{}, fmt.Errorf("unknown %s field %q (fields: %s%s, or - to ignore the column)", s.entity, field, strings.Join(fields, ", "), hint)
}

// column resolves one heading.
func (m *mapper) column(heading string) column {
	n := normHeading(heading)
	if c, ok := m.overrides[n]; ok {
		return c
	}
	if i, ok := m.s.aliases[n]; ok {
		return column{field: i}
	}
	if m.s.extra == "" {
		m.ignored[strings.TrimSpace(heading)] = true
		return column{field: -1}
	}
	return column{field: -1, extra: strings.TrimSpace(heading)}
}

// header resolves a CSV header line, checking that every --map column is
// present and that no field is claimed by two columns.
func (m *mapper) header(headings []string) ([]column, error) {
	cols := make([]column, len(headings))
	seen := map[string]bool{}
	byField := map[int]string{}
	for i, h := range headings {
		seen[normHeading(h)] = true
		cols[i] = m.column(h)
		if f := cols[i].field; f >= 0 {
			if prev, dup := byField[f]; dup {
				return nil, apperr.New(apperr.Invalid, "columns %q and %q both map to %s; drop one with --map %q=-", prev, h, m.s.fields[f], h)
			}
			byField[f] = h
		}
	}
	for col := range m.overrides {
		if !seen[col] {
			return nil, apperr.New(apperr.Invalid, "--map names column %q, which is not in the header (%s)", col, strings.Join(headings, ", "))
		}
	}
	return cols, nil
}

// has reports whether a header maps some column to field.
func has(cols []column, field int) bool {
	for _, c := range cols {
		if c.field == field {
			return true
		}
	}
	return false
}
