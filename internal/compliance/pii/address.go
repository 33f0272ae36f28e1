package pii

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Chinese addresses run from the largest unit to the smallest: province,
// city, district, town, then a road with a house number or a named estate,
// then building, unit and room. A finding needs the part that makes an
// address personal: a road with a number, or an estate with a building,
// unit or room. A city or district on its own (a persona's "上海") is not
// personal data.
var reCNAddress = regexp.MustCompile(
	`(?:\p{Han}{2,6}?(?:省|自治区|特别行政区))?` +
		`(?:\p{Han}{2,6}?(?:市|州|盟|地区))?` +
		`(?:\p{Han}{1,6}?(?:区|县|旗))?` +
		`(?:\p{Han}{1,6}?(?:镇|乡|街道))?` +
		`(?:` +
		// road and number
		`[\p{Han}A-Za-z0-9]{1,10}?(?:大道|路|街|巷|胡同|弄|里|道)(?:[东南西北中]?段|[东南西北])?` +
		` ?\d{1,5}(?:[-之]\d{1,4})? ?(?:号|弄)` +
		`(?:[\p{Han}A-Za-z0-9]{2,12}?(?:小区|花园|苑|公寓|大厦|家园|新村|园|府|庭|阁|城|广场|大楼|中心))?` +
		`(?: ?[0-9A-Za-z]{1,5} ?(?:号楼|栋|幢|座|塔|区|单元|层|楼|室|号|户|房))*(?:[ -]?\d{3,4}\b)?` +
		`|` +
		// estate with building, unit or room
		`[\p{Han}A-Za-z0-9]{2,12}?(?:小区|花园|苑|公寓|大厦|家园|新村|村|园|府|庭|阁|城|广场|大楼)` +
		`(?: ?[0-9A-Za-z]{1,5} ?(?:号楼|栋|幢|座|塔|区|单元|层|楼|室|号|户|房))+(?:[ -]?\d{3,4}\b)?` +
		`)`)

var reResidential = regexp.MustCompile(`[0-9A-Za-z](?: ?)(?:号楼|栋|幢|单元|室|户)`)

var reRoadNumber = regexp.MustCompile(`(?:大道|路|街|巷|胡同|弄|里|[东南西北中一二三四五六七八九十]道|段|[东南西北]) ?\d{1,5}(?:[-之]\d{1,4})? ?(?:号|弄)`)

// a road called just "…道" (鹭江道) reads like too many other words (频道,
// 通道) to count without a city or district in front of it
var reDaoNumber = regexp.MustCompile(`(?:省|市|区|县)\p{Han}{1,8}道 ?\d{1,5}(?:[-之]\d{1,4})? ?号`)

// leadStops end the words before an address ("寄到", "住在", "地址：");
// the address starts after the last of them.
const leadStops = "在到往址是为于住寄送发至：:，,。、；;（(【[ \t\n"

var reENAddress = regexp.MustCompile(
	`\b\d{1,5}[A-Za-z]?(?:-\d{1,4})? (?:[NSEW]\.? )?(?:[A-Z][A-Za-z'.]* ){0,3}[A-Z][A-Za-z']* ` +
		`(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Parkway|Pkwy|Highway|Hwy|Circle|Square|Crescent|Close|Row|Loop|Trail|Plaza)\b\.?` +
		`(?:,? ?(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|Rm)\.? ?#?[0-9A-Za-z\-]+|,? ?#[0-9A-Za-z\-]+)?` +
		`(?:, ?[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,2}(?:, ?[A-Z]{2})?(?: \d{5}(?:-\d{4})?)?)?`)

func findAddresses(f string, add addFunc) {
	if hasHan(f) {
		for _, w := range clauses(f) {
			cnAddresses(f, w[0], w[1], add)
		}
	}
	if hasStreetWord(f) {
		for _, m := range reENAddress.FindAllStringIndex(f, -1) {
			add(Address, m[0], m[1], "", prioAddress)
		}
	}
}

var streetWords = []string{"Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct",
	"Way", "Place", "Pl", "Terrace", "Parkway", "Pkwy", "Highway", "Hwy", "Circle", "Square", "Crescent", "Close", "Row", "Loop", "Trail", "Plaza"}

// hasStreetWord is a cheap filter before the English address pattern.
func hasStreetWord(f string) bool {
	for _, w := range streetWords {
		if strings.Contains(f, " "+w) {
			return true
		}
	}
	return false
}

// clauseStops end a clause; a Chinese address never spans one.
const clauseStops = "，。；！？、,;!?:：\n\t"

// clauses are the spans of f between clause stops that contain a number
// with a unit an address ends with (88号, 602室, 3栋…): the address
// pattern, costly on long text, only runs there.
func clauses(f string) [][2]int {
	var out [][2]int
	start := 0
	flush := func(end int) {
		if unitAfterDigit(f[start:end]) {
			out = append(out, [2]int{start, end})
		}
	}
	for i, r := range f {
		if strings.ContainsRune(clauseStops, r) {
			flush(i)
			start = i + utf8.RuneLen(r)
		}
	}
	flush(len(f))
	return out
}

func cnAddresses(f string, from, to int, add addFunc) {
	{
		for _, m := range reCNAddress.FindAllStringIndex(f[from:to], -1) {
			s, e := from+m[0], from+m[1]
			a := f[s:e]
			if !reRoadNumber.MatchString(a) && !reResidential.MatchString(a) && !reDaoNumber.MatchString(a) {
				continue
			}
			s += trimLead(a)
			if e-s < 6 { // two runes
				continue
			}
			add(Address, s, e, "", prioAddress)
		}
	}
}

// trimLead returns how many bytes of words to drop from the front of a
// Chinese address match: the lazy name patterns may start a few runes
// early, in the sentence that introduces the address.
func trimLead(a string) int {
	// only look before the first unit suffix; names after it are part of
	// the address
	end := len(a)
	for i, r := range a {
		if strings.ContainsRune("省市区县路街道镇乡巷弄", r) && i > 0 {
			end = i
			break
		}
	}
	cut := 0
	for i, r := range a[:end] {
		if strings.ContainsRune(leadStops, r) {
			cut = i + utf8.RuneLen(r)
		}
	}
	return cut
}

func hasHan(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0xE3 && s[i] <= 0xE9 { // lead bytes of U+3000–U+9FFF
			return true
		}
	}
	return false
}

// unitAfterDigit reports a digit followed (after at most one space) by
// 号, 弄, 室, 栋, 幢, 户 or 单元.
func unitAfterDigit(c string) bool {
	for i := 0; i < len(c); i++ {
		if !isDigit(c[i]) {
			continue
		}
		j := i + 1
		if j < len(c) && c[j] == ' ' {
			j++
		}
		r, _ := utf8.DecodeRuneInString(c[j:])
		if strings.ContainsRune("号弄室栋幢户单", r) {
			return true
		}
	}
	return false
}
