package support

import (
	"regexp"
	"strings"
)

// The words of the law are not always a threat: a customer who is a
// lawyer by trade wants an invoice for her firm, "I don't want to go to
// court over this, haha" asks a policy question, 不是要起诉 rules the law
// out. Only a threat to sue, or to report or complain to an authority,
// hands off as legal; the other senses are blanked before the legal cues
// are read (see Analyze).

// notThreatRe are the words of the law in a sense that threatens
// nothing: her trade or her family's (我老公是律师), her firm, the law
// negated or waved away, and the law cited as her reading of a rule and
// asked back.
var notThreatRe = regexp.MustCompile(`(?i)` +
	`\b(i'?m|i am|is|are|was|were|as|work as|working as|i work as|being)\s+(a|an)\s+((retired|former|trainee|junior|senior|qualified|practising|practicing|corporate|family|divorce|tax|real\s+estate|criminal)\s+)?(lawyer|attorney|solicitor|paralegal|barrister|judge)\b` +
	`|\b(my|our)\s+(law\s+)?(firm|practice|chambers|office)\b|\blaw\s+firm\b|\b(lawyer|attorney|solicitor|barrister)\s+(friend|husband|wife|partner|brother|sister|mom|mum|dad|father|mother|colleague|cousin|neighbou?r|son|daughter)s?\b|\bcourt\s+(shoes?|heels?|pumps?)\b|\b(tennis|basketball|netball|squash|badminton|food|royal)\s+court|\bno\s+need\s+for\s+(a\s+|any\s+)?(lawyers?|attorneys?|court|lawsuits?|legal\s+action)` +
	`|\b(don'?t|do\s+not|didn'?t|won'?t|will\s+not|wouldn'?t|would\s+not|not|never|no\s+need\s+to|no\s+intention\s+(of|to)|no\s+plans?\s+to)\s+` +
	`(really\s+)?(want\s+to\s+|wanna\s+|going\s+to\s+|gonna\s+|planning\s+(on|to)\s+|trying\s+to\s+|threaten(ing)?\s+to\s+|need\s+to\s+|have\s+to\s+)?` +
	`(go(ing)?\s+to\s+|end\s+up\s+in\s+|take\s+(you|this|it)\s+to\s+|get\s+|involve\s+|call\s+)?(a\s+|the\s+|my\s+|any\s+)?` +
	`(court|sue|suing|lawsuit|legal\s+action|lawyers?|attorneys?|solicitors?|report(ing)?\s+(you|this))\b` +
	`|(我|我的)?(老公|老婆|丈夫|妻子|先生|太太|朋友|爸爸|妈妈|爸|妈|同事|家人|哥哥|姐姐|弟弟|妹妹|他|她)?(是|当|做)(一名|一个|个|专职|执业)?(的)?律师|(在)?(律师事务所|律所)(上班|工作|实习|做事)?|(不想|不会|不打算|没打算|不是要|并不想|没想|不至于|犯不着|不用|不需要|没必要)[^，。！？,.!?]{0,5}?(起诉|告|打官司|上法院|上法庭|法院|找律师|举报|维权|提告)` +
	// the law cited as her reading of a rule, asked back (消法不是规定七天无理由吗)
	`|(按照|根据|依照|依据)?(消费者权益保护法|消保法|消法|新消法|法律)(里|上|中)?(不是|是不是|明明|也)?(有)?(规定|说|写|讲)(了|过|的)?[^。！!？?]{0,30}?(吗|吧|么|嘛|呢)?`)

// photoExposureRe is a photograph's exposure (长曝光, 曝光补偿), no media
// exposure. It is blanked only where the legal cues are read: what she
// asks (a tripod for long exposures) keeps it.
var photoExposureRe = regexp.MustCompile(`(长|长时间|多重|包围|慢门)曝光|曝光(时间|补偿|参数|模式|过度|不足|值|三角)`)

// legalText is the normalised message n with the words of the law that
// threaten nothing blanked.
func legalText(n string) string {
	return photoExposureRe.ReplaceAllString(notThreatRe.ReplaceAllString(n, " "), " ")
}

// laughRe is laughter, which names nothing the rules cover.
var laughRe = regexp.MustCompile(`(?i)\b(ha(ha)+h?|he(he)+|lol|lmao|rofl)\b|哈哈+|呵呵+|嘿嘿+|嘻嘻+`)

// withoutLaw is text without the words of the law that threaten nothing
// and without laughter: what is left is what she asks.
func withoutLaw(text string) string {
	t := laughRe.ReplaceAllString(notThreatRe.ReplaceAllString(text, " "), " ")
	if t = strings.TrimSpace(t); t == "" {
		return text
	}
	return t
}
