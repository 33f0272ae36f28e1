package support

import (
	"regexp"
	"strings"
)

// The proof of who a customer is, read from her own words: the e-mail of
// the order or the last four digits of its phone, however she puts them
// ("phone ends in 0668", 尾号0668, "last four 0668", 手机号138 1234 0668,
// "wangfang at example dot net"). Reading more phrasings never shows more
// than it did: the proof is still compared with the order's customer
// (Verify), and a wrong one is refused.

// phoneCues say that the digits near them are a phone's.
var phoneCues = []string{"phone", "mobile", "cell", "tel", "number", "digits", "ending", "ends", "ended", "last four", "last 4", "final four", "final 4", "finishes", "finishing",
	"手机", "电话", "号码", "尾号", "尾数", "后四位", "后4位", "末四位", "末4位", "最后四位", "最后4位", "末尾", "结尾", "联系方式"}

// emailCues say that the words near them spell an e-mail address.
var emailCues = []string{"email", "e-mail", "mail", "address", "邮箱", "邮件", "电邮", "信箱", "郵箱", "電郵"}

var (
	// digitRunRe is a run of digits, possibly grouped by spaces or dashes
	// as phones are written (138 1234 0668, 138-1234-0668).
	digitRunRe = regexp.MustCompile(`[0-9][0-9 \-]*[0-9]|[0-9]`)
	// spelledAtRe and spelledDotRe are "at" and "dot" written out, as
	// people do to keep an address from robots.
	spelledAtRe  = regexp.MustCompile(`(?i)\s*(?:\(at\)|\[at\]|\{at\}|<at>|\bat\b|艾特|圈a)\s*`)
	spelledDotRe = regexp.MustCompile(`(?i)\s*(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\bdot\b|点)\s*`)
)

// proofEmails returns the e-mail addresses text gives, written plainly or
// spelled out ("name at example dot com"), width-folded.
func proofEmails(text string) []string {
	t := foldWidth(text)
	out := emailRe.FindAllString(t, -1)
	if !containsAnyWord(strings.ToLower(t), emailCues) {
		return out
	}
	// only spelled-out forms next to an e-mail cue: "I'm at home" is
	// nobody's address
	s := spelledDotRe.ReplaceAllString(spelledAtRe.ReplaceAllString(t, "@"), ".")
	for _, e := range emailRe.FindAllString(s, -1) {
		if !containsFold(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// proofLast4 returns the last four digits of a phone that text gives, or
// "". orderIDs are the order numbers it names, whose digits are never a
// phone's. Four digits count next to a phone cue ("ends in 0668", 尾号
// 0668); a whole phone number (seven digits or more, spaces and dashes
// allowed) next to one gives its last four.
func proofLast4(text string, orderIDs []string) string {
	t := strings.ToLower(foldWidth(text))
	if m := last4Re.FindStringSubmatch(t); m != nil {
		return m[1]
	}
	if !containsAnyWord(t, phoneCues) {
		return ""
	}
	for _, id := range orderIDs {
		t = strings.ReplaceAll(t, strings.ToLower(id), " ")
	}
	emails := emailRe.FindAllString(t, -1)
	for _, e := range emails {
		t = strings.ReplaceAll(t, strings.ToLower(e), " ")
	}
	four := ""
	for _, loc := range digitRunRe.FindAllStringIndex(t, -1) {
		i, j := loc[0], loc[1]
		// a run inside a word or a code (sku-0668, a1234) is not a phone
		if i > 0 && isWordByte(t[i-1]) || j < len(t) && isWordByte(t[j]) || i > 0 && t[i-1] == '-' {
			continue
		}
		d := digits(t[i:j])
		switch {
		case len(d) == 4 && four == "":
			four = d
		case len(d) >= 7 && len(d) <= 15:
			return d[len(d)-4:]
		}
	}
	return four
}
