package support

import (
	"regexp"
	"strings"
)

// A customer's tone is not her topic. "Ugh, the website is confusing. how
// do I return something?", 真烦人，怎么开发票, "can I talk to you about
// shipping?": the feeling and the framing around the question name nothing
// the shop's rules need to cover, so they must neither send the question to
// a person as "something the rules never mention" nor pull in the passage
// that happens to share a word of the frame (the service-hours entry's
// "when can I talk"). Anger strong enough to want a person is read by the
// signals (see Analyze) before any of this; what is left of a mildly
// frustrated message is answered, with the offer of a person.

// frameRe are the conversational frames around a topic: "can I talk to
// you about", "I have a question about", 我想跟你聊聊…的事.
var frameRe = regexp.MustCompile(`(?i)\b(can|could|may)\s+(i|we)\s+(talk|chat|speak|ask)\s+((to|with)\s+you\s+)?(about|regarding)\b` +
	`|\b(i'd|i\s+would|i)\s+(like|want|wanna|need)\s+(to\s+)?(talk|chat|speak|ask)\s+((to|with)\s+you\s+)?(about|regarding)\b` +
	`|\blet'?s\s+(talk|chat)\s+about\b|\b(i\s+have|i've\s+got|i\s+got|quick)\s+(a\s+)?(quick\s+)?question\s+(about|regarding|on)\b` +
	`|\b(sorry|apologies)\s+(to\s+bother\s+you|for\s+bothering\s+you|for\s+the\s+trouble|to\s+trouble\s+you)\b|\bexcuse\s+me\b|不好意思(打扰(一下|了|您)?)?|打扰(一下|了|您)|麻烦(问|请教)一?下|^\s*(求助|求救|请帮忙|帮帮忙)` +
	`|(我)?(想|要|能|可以)?(跟|和|同)(你|您)(们)?(聊聊|聊一下|聊一聊|谈谈|谈一下|说说|说一下|讲讲|讲一下)|(我)?想(聊聊|谈谈|说说|问问|咨询一?下)|(的事情?|的问题|这件事|这个事)(吧|呀|啊)?\s*$`)

// toneCues are words of mild feeling: frustration, impatience,
// confusion. A clause with one that asks nothing is a remark.
var toneCues = []string{"ugh", "argh", "sigh", "annoyed", "annoying", "frustrat", "confus", "not happy", "unhappy", "upset", "impatient",
	"waiting forever", "been waiting", "taking forever", "took forever", "ages", "honestly", "seriously", "come on", "jeez", "geez",
	"not impressed", "a bit much", "no offence", "no offense", "slow", "tired of waiting", "have to ask again", "asking again",
	"awful", "terrible", "horrible", "dreadful", "poor service", "bad service", "disappointing", "disappointed", "not satisfied", "unsatisfied",
	"太差", "很差", "好差", "真差", "失望", "不满意", "太慢", "好慢", "真慢",
	"second time", "asked before", "already asked", "asking twice",
	"搞不清", "不清楚", "不太清楚", "不大清楚", "不太明白", "不明白", "搞不懂", "没搞懂", "看不懂", "不太懂", "没看懂", "迷糊", "懵", "烦人", "好烦", "真烦", "烦躁", "着急", "急死", "郁闷", "无奈", "服了", "不爽", "唉", "哎", "说实话", "等了好久", "等好久", "等了半天", "真是的", "搞什么", "无聊", "麻烦死"}

// toneSplit splits a message into clauses, at a colon too ("second time
// I'm asking: what is …").
var toneSplit = regexp.MustCompile(`[，,；;。.？?！!:：]+`)

// withoutTone is text with its frames taken out and, when another clause
// asks something or names a rule's topic, without its remark clauses: the
// clauses that carry a tone cue and ask nothing. It returns text itself when nothing is left.
func withoutTone(text string) string {
	t := frameRe.ReplaceAllString(text, " ")
	parts := toneSplit.Split(t, -1)
	marks := toneSplit.FindAllString(t, -1)
	asking := func(i int) bool {
		return asks(parts[i], i < len(marks) && strings.ContainsAny(marks[i], "?？"))
	}
	remark := make([]bool, len(parts))
	other := false
	for i, p := range parts {
		remark[i] = toned(normalize(p)) && !asking(i)
		// a clause that names a rule's topic without asking ("still no
		// refund 10 days after you got my return", 今天价格就降了) says
		// what she wants answered as much as a question does
		if !remark[i] && strings.TrimSpace(p) != "" && (asking(i) || len(conceptNames(p)) > 0) {
			other = true
		}
	}
	if other {
		var b strings.Builder
		for i, p := range parts {
			if remark[i] {
				continue
			}
			b.WriteString(p)
			if i < len(marks) {
				b.WriteString(marks[i])
			}
		}
		t = b.String()
	}
	if strings.TrimSpace(toneSplit.ReplaceAllString(t, "")) == "" {
		return text
	}
	return strings.TrimSpace(t)
}

// toned reports whether the normalised clause n has a tone cue where a
// word starts ("ugh", not the ugh of "bought").
func toned(n string) bool {
	for _, w := range toneCues {
		if cueIn(n, w) {
			return true
		}
	}
	return false
}

// frustrationCues are the tone cues that say she is put out (annoyed,
// 着急, 失望), not merely unsure (不清楚) or candid ("honestly"): a message
// with one is a complaint, however it is answered.
var frustrationCues = []string{"ugh", "argh", "annoyed", "annoying", "frustrat", "not happy", "unhappy", "upset", "not thrilled",
	"awful", "terrible", "horrible", "dreadful", "poor service", "bad service", "not satisfied", "unsatisfied", "fed up",
	"waiting forever", "been waiting", "taking forever", "took forever", "tired of waiting", "have to ask again", "asking again", "second time",
	"着急", "急死", "郁闷", "烦人", "好烦", "真烦", "烦躁", "不爽", "服了", "不满意", "太差", "很差", "好差", "真差",
	"等了好久", "等好久", "等了半天", "等了好几天", "麻烦死", "搞什么"}

// frustrated reports whether the normalised message n says she is put
// out (see frustrationCues).
func frustrated(n string) bool {
	for _, w := range frustrationCues {
		if cueIn(n, w) {
			return true
		}
	}
	return false
}
