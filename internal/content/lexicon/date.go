package lexicon

import (
	"regexp"
	"strconv"
	"time"
)

var (
	monthsLong  = [...]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	monthsShort = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// DateWords writes an ISO date (YYYY-MM-DD) the way copy does: 11月11日
// in Chinese, "November 11" in English, "Nov 11" when short (SMS, push,
// ads). Anything else is returned as it is: a brief may already say
// "12月12日" or "Dec 12".
func DateWords(iso, lang string, short bool) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	day := strconv.Itoa(d.Day())
	if lang == "zh" {
		return strconv.Itoa(int(d.Month())) + "月" + day + "日"
	}
	if short {
		return monthsShort[d.Month()-1] + " " + day
	}
	return monthsLong[d.Month()-1] + " " + day
}

// Season is the (northern) season of an ISO date: winter, spring, summer
// or autumn; "" for a bad date.
func Season(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return ""
	}
	switch d.Month() {
	case time.December, time.January, time.February:
		return "winter"
	case time.March, time.April, time.May:
		return "spring"
	case time.June, time.July, time.August:
		return "summer"
	}
	return "autumn"
}

// Span is a piece of text: byte offsets into it and the text itself.
type Span struct {
	Start, End int
	Text       string
}

var (
	// 2026-11-11, 2026/11/11, 2026.11.11
	isoDateRe = regexp.MustCompile(`\b(?:19|20)[0-9]{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12][0-9]|3[01])\b`)
	// 11/11/2026, 20.12.2011
	dmyDateRe = regexp.MustCompile(`\b(?:0?[1-9]|[12][0-9]|3[01])[/.](?:0?[1-9]|[12][0-9]|3[01])[/.](?:19|20)?[0-9]{2}\b`)
	// 11/11, 12/20 (a month and a day in digits)
	mdDateRe = regexp.MustCompile(`(?:^|[^0-9/.,:])((?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12][0-9]|3[01]))(?:$|[^0-9/%])`)
)

// MachineDates finds the dates of text written in digits (2026-11-11,
// 20/12/2011, 11/11), which copy should write in words. URLs are the
// caller's to leave out.
func MachineDates(text string) []Span {
	var out []Span
	taken := func(a, b int) bool {
		for _, s := range out {
			if a < s.End && b > s.Start {
				return true
			}
		}
		return false
	}
	for _, re := range []*regexp.Regexp{isoDateRe, dmyDateRe} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			if !taken(m[0], m[1]) {
				out = append(out, Span{m[0], m[1], text[m[0]:m[1]]})
			}
		}
	}
	for _, m := range mdDateRe.FindAllStringSubmatchIndex(text, -1) {
		if !taken(m[2], m[3]) {
			out = append(out, Span{m[2], m[3], text[m[2]:m[3]]})
		}
	}
	return out
}
