package export

import (
	"bytes"
	"context"
	"net/mail"
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Platform is an ad platform whose customer-match rules an audience
// follows.
type Platform string

// Platforms.
const (
	// Google Ads Customer Match: e-mail trimmed and lower-cased, dots
	// before @ removed for gmail.com and googlemail.com; phone in E.164
	// with its +; columns Email, Phone.
	Google Platform = "google"
	// Meta (Facebook, Instagram) custom audiences: e-mail trimmed and
	// lower-cased; phone as digits only with the country code, no + and
	// no leading zeros; columns email, phone.
	Meta Platform = "meta"
)

// Platforms lists the supported platforms.
var Platforms = []Platform{Google, Meta}

// Member is one recipient of an audience export.
type Member struct {
	// SendID is the send this member's row records.
	SendID string
	Email  string
	Phone  string
	// Region is the ISO 3166 region of a phone number written without a
	// country code (the customer's country); the exporter's default when
	// empty.
	Region string
}

// AudienceResult is what an audience export wrote.
type AudienceResult struct {
	Path     string   `json:"path"`
	Platform Platform `json:"platform"`
	Rows     int      `json:"rows"`   // distinct (e-mail, phone) rows in the file
	Emails   int      `json:"emails"` // rows with an e-mail hash
	Phones   int      `json:"phones"` // rows with a phone hash
	// Included are the sends in the file (recorded as sent); members with
	// the same identifiers share a row.
	Included []string `json:"included"`
	// InvalidEmails and InvalidPhones count identifiers that could not be
	// normalised (the member may still be included by the other one).
	InvalidEmails int    `json:"invalid_emails"`
	InvalidPhones int    `json:"invalid_phones"`
	Skipped       []Skip `json:"skipped"`
	// SHA256 is the digest of the file's bytes.
	SHA256 string `json:"sha256"`
}

// NormalizeEmail applies platform p's rules to an e-mail address and
// reports false when it is not an address.
func NormalizeEmail(p Platform, s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return "", false
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	if p == Google && (domain == "gmail.com" || domain == "googlemail.com") {
		local = strings.ReplaceAll(local, ".", "")
	}
	return local + "@" + domain, true
}

// NormalizePhone applies platform p's rules to a phone number, read with
// region when it has no country code, and reports false when it is not a
// valid number (libphonenumber's rules).
func NormalizePhone(p Platform, s, region string) (string, bool) {
	if strings.TrimSpace(s) == "" {
		return "", false
	}
	if region == "" {
		region = "CN"
	}
	num, err := phonenumbers.Parse(s, strings.ToUpper(region))
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return "", false
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if p == Meta {
		return strings.TrimLeft(strings.TrimPrefix(e164, "+"), "0"), true
	}
	return e164, true
}

// Audience writes the customer-match CSV of members for platform p as
// <name>.<platform>.csv: a header and one row per distinct member, each
// identifier the lower-case hex SHA-256 of its normalised form (a member's
// e-mail and phone in one row, as both platforms take them), rows sorted
// so the same audience gives the same bytes. Members without a usable
// identifier are skipped (no_identifier). It returns apperr.Invalid for an
// unknown platform or a name with no usable characters, apperr.Unavailable
// when the file cannot be written.
func (x *Exporter) Audience(ctx context.Context, name string, p Platform, members []Member) (AudienceResult, error) {
	var header [2]string
	switch p {
	case Google:
		header = [2]string{"Email", "Phone"}
	case Meta:
		header = [2]string{"email", "phone"}
	default:
		return AudienceResult{}, apperr.New(apperr.Invalid, "unknown ad platform %q (use google or meta)", p)
	}
	base, err := slug(name)
	if err != nil {
		return AudienceResult{}, err
	}
	res := AudienceResult{Platform: p, Included: []string{}, Skipped: []Skip{}}
	type row struct{ email, phone string }
	rows := map[row]bool{}
	for _, m := range members {
		email, eok := NormalizeEmail(p, m.Email)
		if m.Email != "" && !eok {
			res.InvalidEmails++
		}
		region := m.Region
		if region == "" {
			region = x.region
		}
		phone, pok := NormalizePhone(p, m.Phone, region)
		if m.Phone != "" && !pok {
			res.InvalidPhones++
		}
		if !eok && !pok {
			res.Skipped = append(res.Skipped, Skip{SendID: m.SendID, Reason: SkipNoIdentifier})
			continue
		}
		var r row
		if eok {
			r.email = sha256Hex(email)
		}
		if pok {
			r.phone = sha256Hex(phone)
		}
		rows[r] = true // members with the same identifiers share a row
		res.Included = append(res.Included, m.SendID)
	}
	sorted := make([]row, 0, len(rows))
	for r := range rows {
		sorted = append(sorted, r)
	}
	slices.SortFunc(sorted, func(a, b row) int { return strings.Compare(a.email+a.phone, b.email+b.phone) })
	var b bytes.Buffer
	csvLine(&b, header[0], header[1])
	for _, r := range sorted {
		csvLine(&b, r.email, r.phone)
		if r.email != "" {
			res.Emails++
		}
		if r.phone != "" {
			res.Phones++
		}
	}
	res.Rows = len(sorted)
	file := base + "." + string(p) + ".csv"
	if err := writeAtomic(ctx, x.dir, file, b.Bytes(), 0o600); err != nil {
		return AudienceResult{}, err
	}
	res.Path, res.SHA256 = x.dir+"/"+file, fileSum(b.Bytes())
	return res, nil
}
