package importer

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// parseNumber reads a decimal number as merchants' files write it: spaces
// around it, an optional leading currency sign, thousands separators in the
// 1,234.50 form. An empty value is 0. NaN and infinities are rejected.
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	for _, sym := range []string{"$", "£", "€", "¥", "￥"} {
		s = strings.TrimPrefix(s, sym)
	}
	if strings.IndexByte(s, ',') >= 0 {
		if !thousands(s) {
			return 0, fmt.Errorf("%q is not a number", s)
		}
		s = strings.ReplaceAll(s, ",", "")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || s == "" || s[0] == '+' && len(s) == 1 {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if strings.ContainsAny(s, "xXpP_") || strings.EqualFold(s, "inf") || strings.EqualFold(s, "infinity") {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	if neg {
		f = -f
	}
	return f, nil
}

// thousands reports whether s is digits grouped by commas in threes, with
// an optional fraction: 1,234 and 12,345.6 but not 1,2 (a decimal comma,
// which is ambiguous and therefore refused).
func thousands(s string) bool {
	intPart, _, _ := strings.Cut(s, ".")
	groups := strings.Split(intPart, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return false
	}
	for i, g := range groups {
		if i > 0 && len(g) != 3 {
			return false
		}
		for _, r := range g {
			if r < '0' || r > '9' {
				return false
			}
		}
	}
	return true
}

// parseInt reads a whole number; 3.0 is accepted, 3.5 is not.
func parseInt(s string) (int, error) {
	f, err := parseNumber(s)
	if err != nil {
		return 0, err
	}
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, fmt.Errorf("%q is not a whole number", strings.TrimSpace(s))
	}
	return int(f), nil
}

// normalizeID turns the float-looking ids spreadsheets produce (17850.0,
// 1.785E+04) back into the integer the merchant meant; other ids are only
// trimmed.
func normalizeID(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		frac := s[i+1:]
		if strings.Trim(frac, "0") == "" && allDigits(s[:i]) {
			return s[:i]
		}
	}
	if strings.ContainsAny(s, "eE") && (s[0] >= '0' && s[0] <= '9') {
		if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && f < 1e15 && f >= 0 {
			return strconv.FormatInt(int64(f), 10)
		}
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// parseBool reads the many ways exports write yes and no. ok is false for
// an empty value (unknown, so no consent entry is written).
func parseBool(s string) (v, ok bool, err error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return false, false, nil
	case "yes", "y", "true", "t", "1", "subscribed", "granted", "opted_in", "opt-in", "optin", "是", "已订阅":
		return true, true, nil
	case "no", "n", "false", "f", "0", "unsubscribed", "not_subscribed", "revoked", "opted_out", "opt-out", "optout", "pending", "否", "未订阅":
		return false, true, nil
	}
	return false, false, fmt.Errorf("%q is not yes/no", strings.TrimSpace(s))
}

// parseList reads a list written as a JSON array or separated by commas,
// semicolons or pipes; items are trimmed and empty items dropped.
func parseList(s string) []string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if s[0] == '[' {
		var xs []any
		if err := json.Unmarshal([]byte(s), &xs); err == nil {
			out := make([]string, 0, len(xs))
			for _, x := range xs {
				if v := strings.TrimSpace(fmt.Sprint(x)); v != "" {
					out = append(out, v)
				}
			}
			return out
		}
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '，' || r == '、' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// zoned layouts carry their own offset; the others are read in the
// import's time zone (--tz). Dates with dots are day.month.year. Dates
// with slashes or dashes and the year last (03/04/2024) are read by
// dayMonth: day/month when the first number cannot be a month (13/01),
// month/day when the second cannot (01/13), and otherwise rejected as
// ambiguous unless --day-first or --date-format says.
var (
	zonedLayouts = []string{
		time.RFC3339Nano,
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 -0700 MST",
		time.RFC1123Z,
		time.RFC1123,
	}
	localLayouts = []string{
		"2006-01-02 15:04:05",
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04:05.999999999",
		"2006-01-02 15:04",
		"2006-01-02T15:04",
		"2006-01-02",
		"2006/01/02 15:04:05",
		"2006/01/02 15:04",
		"2006/01/02",
		"2.1.2006 15:04:05", // day and month of one or two digits
		"2.1.2006 15:04",
		"2.1.2006",
		"2006年1月2日 15:04:05",
		"2006年1月2日 15:04",
		"2006年1月2日",
		"20060102",
	}
)

// dateParser parses timestamps in several layouts, remembering the last
// layout that worked and the last value, since rows of one file share a
// layout and consecutive rows often share a timestamp.
type dateParser struct {
	loc        *time.Location
	dayFirst   bool
	monthFirst bool
	layout     string // --date-format as a Go layout; "" for every known layout
	lastIn     string
	lastOut    time.Time
	lastZoned  int // index+1 of the last layout that matched; 0 none
	lastLocal  int
}

func newDateParser(loc *time.Location) *dateParser {
	if loc == nil {
		loc = time.UTC
	}
	return &dateParser{loc: loc}
}

func (p *dateParser) parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == p.lastIn && s != "" {
		return p.lastOut, nil
	}
	t, err := p.parseSlow(s)
	if err != nil {
		return t, err
	}
	p.lastIn, p.lastOut = s, t
	return t, nil
}

func (p *dateParser) parseSlow(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, fmt.Errorf("date is empty")
	}
	if p.layout != "" {
		t, err := time.ParseInLocation(p.layout, s, p.loc)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q does not match --date-format %s", s, p.layout)
		}
		return t.UTC(), nil
	}
	if p.lastLocal > 0 { // no layout reads a year-last date: dayMonth below does
		if t, err := time.ParseInLocation(localLayouts[p.lastLocal-1], s, p.loc); err == nil {
			return t.UTC(), nil
		}
	}
	if p.lastZoned > 0 {
		if t, err := time.Parse(zonedLayouts[p.lastZoned-1], s); err == nil {
			return t.UTC(), nil
		}
	}
	if m := dayMonthRe.FindStringSubmatch(s); m != nil {
		return p.dayMonth(s, m)
	}
	if allDigits(s) && (len(s) == 10 || len(s) == 13) {
		n, _ := strconv.ParseInt(s, 10, 64)
		if len(s) == 13 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	for i, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			p.lastZoned = i + 1
			return t.UTC(), nil
		}
	}
	for i, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, p.loc); err == nil {
			p.lastLocal = i + 1
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use e.g. 2006-01-02 15:04:05, RFC 3339, 31/01/2006 15:04 or unix seconds)", s)
}

// dayMonthRe matches a date with the year last: a/b/yyyy or a-b-yyyy,
// optionally followed by a time.
var dayMonthRe = regexp.MustCompile(`^(\d{1,2})([/-])(\d{1,2})([/-])(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$`)

func (p *dateParser) dayMonth(s string, m []string) (time.Time, error) {
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[3])
	y, _ := strconv.Atoi(m[5])
	if m[2] != m[4] {
		return time.Time{}, fmt.Errorf("%q mixes separators", s)
	}
	day, month := b, a // month first, as Excel writes in English locales
	switch {
	case p.dayFirst:
		day, month = a, b
	case p.monthFirst:
	case a > 12 && b <= 12:
		day, month = a, b
	case b > 12 && a <= 12, a == b:
	default:
		return time.Time{}, fmt.Errorf("%q is ambiguous: day %d of month %d, or day %d of month %d? Pass --day-first (day/month) or --month-first (month/day), or --date-format", s, a, b, b, a)
	}
	var hh, mm, ss int
	if m[6] != "" {
		hh, _ = strconv.Atoi(m[6])
		mm, _ = strconv.Atoi(m[7])
		if m[8] != "" {
			ss, _ = strconv.Atoi(m[8])
		}
	}
	t := time.Date(y, time.Month(month), day, hh, mm, ss, 0, p.loc)
	if t.Day() != day || int(t.Month()) != month || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, fmt.Errorf("%q is not a valid date", s)
	}
	return t.UTC(), nil
}
