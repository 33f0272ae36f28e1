package support

import (
	"regexp"
	"strings"
	"unicode"
)

// Asking for a person is said in many ways (转人工, "agent please",
// 能不能让你们经理来跟我说话, "I want to speak to someone"), and the words
// of such a request are also everyday words in other senses: a tent "for
// two people", 人工皮革 (artificial leather), the labour in 人工费, a
// "password manager". The request patterns below read the shape of the
// request (a verb of reaching, a person, or a plea against the bot); the
// other senses are blanked before the cues are read.

// otherSenseRe are person words used in another sense: how many a
// product is for, artificial materials, labour costs, software managers.
var otherSenseRe = regexp.MustCompile(`(?i)` +
	`\b(for|per|fits?|sleeps?|suits?|seats?|holds?|takes?)\s+(a|one|two|three|four|five|six|\d+)?\s*(-\s*)?(persons?|people|adults?|humans?)\b` +
	`|\b(\d+|one|two|three|four|five|six|single|double)\s*-?\s*(persons?|people|man)\b` +
	`|\bpersonal\w*|\bhuman\s+(hair|skin|body|error|rights|nature|resources)|\b(password|file|download|task|project|account|product|store|shop)\s+manager\b` +
	`|\b(cleaning|bleaching|raising|chemical|travel|shipping|customs|forwarding|estate)\s+agents?\b|\b(tour|network|mobile|phone|telecom|machine|camera)\s+operators?\b` +
	`|` + authorityClaimEn + `|` + authorityClaimZh +
	`|人工(皮革|皮|智能|合成|材料|纤维|草|湖|宝石|钻石|费|成本|养殖|降雨|呼吸|耳蜗)|(单|双|两|三|四|多|几|[0-9一二三四五六])人(用|份|帐篷|位|座|床|款|餐)|一个人(用|住|去|出行|旅行|露营)|适合.{0,4}人`)

// personRequestRes are the shapes of a request for a person.
var personRequestRes = []*regexp.Regexp{
	// speak / talk / chat to a person, in English
	regexp.MustCompile(`\b(speak|talk|chat|deal)\w*\s+(to|with)\s+(a|an|some|any|the|your|one of your|a member of)?\s*(real|actual|live|proper)?\s*(human|person|people|agent|someone|somebody|anyone|anybody|manager|supervisor|staff|representative|rep|employee|operator|team|boss|colleague)\b`),
	// get / put / transfer me to a person
	regexp.MustCompile(`\b(get|give|put|transfer|connect|pass|send|escalate|forward)\w*\s+(me|this|my case|my complaint|my question|it)?\s*(to|through to|on to|over to|with)\s+(a|an|the|your|some)?\s*(real|actual|live)?\s*((customer\s+)?(service|support|care)\s+)?(human|person|agent|manager|supervisor|someone|somebody|representative|rep|staff|team|colleague|boss)\b`),
	// in touch with a person ("help me get in touch with your customer service team")
	regexp.MustCompile(`\b(get|be|put\s+me|keep)\s+in\s+touch\s+with\s+(a|an|the|your|some)?\s*(real|actual|live)?\s*((customer\s+)?(service|support|care)\s+)?(human|person|agent|manager|supervisor|someone|somebody|representative|staff|team|colleague)\b`),
	// get / find me a person ("get me a manager", "find me someone real")
	regexp.MustCompile(`\b(get|fetch|find|bring)\s+me\s+(a|an|the|your|some)?\s*(real|actual|live)?\s*(human|person|agent|manager|supervisor|representative|operator)\b`),
	// a person, please / now
	regexp.MustCompile(`^\W*(an?\s+)?(real\s+|live\s+)?(human|person|agent|operator|representative|manager|supervisor)\s*(please|pls|plz|now|asap|!|$)|\b(agent|human|representative|operator|supervisor)\s+(please|pls|plz|now)\b`),
	// a real / live person
	regexp.MustCompile(`\b(real|actual|live|proper)\s+(person|human|agent|people|being)\b`),
	// I want / need a person
	regexp.MustCompile(`\b(want|need|like|demand|request|prefer)\s+(to\s+(speak|talk|chat)\s+(to|with)\s+)?(a|an|some|your)?\s*(human|person|agent|manager|supervisor|representative|staff member)\b`),
	// someone calls or writes back
	regexp.MustCompile(`\b(can|could|would|will)\s+(someone|somebody|a person|a human|an agent|your team|a manager|staff)\s+(call|contact|phone|ring|email|get back|reach|help me|look into)`),
	// 让 / 叫 / 找 / 请 a person (来), in Chinese
	regexp.MustCompile(`(让|叫|找|请|换|要|派|喊|给我找|给我换|给我叫)(一下|一个|个|位)?(你们|您们|贵司|你们的|你们店的|店里的)?(的)?(经理|主管|领导|负责人|老板|店长|值班经理|人工|真人|工作人员|客服人员|客服专员|售后人员|专员|同事|活人|人来|人工客服|客服小姐姐|客服妹子)`),
	// talking with a person
	regexp.MustCompile(`(跟|和|与|同)(你们|您们|你们的|贵店的?)?(真人|人工|活人|经理|主管|领导|负责人|客服人员|工作人员|人|你们老板|店长)(说|聊|谈|沟通|对话|讲|通话|联系)`),
	// 转 to a person
	regexp.MustCompile(`转(接|给|到)?(人工|真人|客服|经理|主管|专人|工作人员)`),
	// is anybody there at all (客服呢, 人呢, 有没有人管)
	regexp.MustCompile(`(客服|人工|真人|人)呢|有没有人(管|在|理|回|处理)|(出来|站出来)(说话|解释|回应)|找(个|一个|位)?[^，。？！,.?!]{0,4}的人(来|过来|处理|回复)`),
	regexp.MustCompile(`\b(is|are)\s+(there\s+)?(anyone|anybody|someone|somebody)\s+(there|here|real|around|awake)\b|\ba real one\b`),
}

// againstBotRes are pleas against the bot ("stop the bot", 机器人说不清楚):
// a request for a person, even beside a question about the service.
var againstBotRes = []*regexp.Regexp{
	regexp.MustCompile(`\b(stop|enough|no more|not|don'?t want|tired of|hate)\s+(talking to\s+|the\s+|a\s+|this\s+|an?\s+)?(bot|robot|chatbot|machine|ai|automated)\b|\bare you (even )?(a )?(real|human)\b`),
	// the answers called no help ("your answers are not helping", 你的回答没用)
	regexp.MustCompile(`\b(your|these|the|those|this|bot'?s?)\s+(answers?|replies|responses|suggestions)\s+(are|is|aren'?t|isn'?t|have been|haven'?t been)\s+(not\s+|been\s+)?(helping|helpful|useful|any help|of any help|no help|useless|answering)|\b(you'?re|you are)\s+not\s+(helping|understanding|listening)\b|\bthis (isn'?t|is not) helping\b`),
	regexp.MustCompile(`(你的|你这|你们的)?(回答|回复|答复)(都|根本|完全|一点)?(没用|没有用|不管用|没帮助|没有帮助|帮不上|答非所问|都不对)|你(根本|完全)?(没|没有)(帮|回答)(到)?(我|我的问题)`),
	regexp.MustCompile(`(不(想|要|用)|别|不跟|不和)(再)?(跟|和|用)?(机器人|机器|ai|智能客服|自动回复)|(机器人|机器|自动回复|ai)(没用|不行|听不懂|答非所问|太笨|说不清)|你是(不是)?(机器人|真人)`),
}

// againstBot reports whether the normalised message n pleads against the
// bot.
func againstBot(n string) bool {
	b := otherSenseRe.ReplaceAllString(n, " ")
	for _, re := range againstBotRes {
		if re.MatchString(b) {
			return true
		}
	}
	return false
}

// Whether a person is there at a given time ("is there a person I could
// reach at 10pm, or just the bot?", 晚上11点还有人工吗) asks the service
// hours, not for a person now; "transfer me now" still is a request.
// personAtTimeEn and personAtTimeZh are the shapes of that question, also
// read as the hours concept (concept.go).
const (
	personAtTimeEn = `\b(person|human|someone|somebody|anyone|anybody|agents?|people|staff|team|live chat|customer service|support)\b.{0,40}\b(at|by|after|before|around|until|till|past)\s+(\d{1,2}(:\d\d)?\s*(am|pm|a\.m\.|p\.m\.|o'?clock)|midnight|noon|night)\b` +
		`|\b(person|human|someone|somebody|anyone|anybody|agents?|people|staff|team|live chat|customer service|support)\b.{0,40}\b(on (the )?(weekends?|sundays?|saturdays?|holidays|public holidays)|at night|late at night|overnight|in the (evening|morning|night)|tonight|after hours|after work)\b` +
		`|\b(at|after|around|by)\s+(\d{1,2}(:\d\d)?\s*(am|pm|o'?clock)|midnight)\b.{0,40}\b(person|human|someone|somebody|anyone|anybody|agents?|people|staff|team)\b`
	personAtTimeZh = `(晚上|夜里|夜裡|半夜|深夜|凌晨|早上|早晨|中午|周末|週末|节假日|節假日|假日|[0-9０-９一二两三四五六七八九十]+(点|點)(钟|鐘|半|多)?|几点|幾點)(以后|以後|之后|之後|前|后|後|左右)?(的)?(还|還)?(会|會)?(有|在)(没有|沒有)?(人工|真人|客服|人)|(人工|真人|客服)(晚上|夜里|夜裡|半夜|凌晨|周末|週末|节假日|節假日|几点|幾點|[0-9]+(点|點))`
)

var (
	personAtTimeRe = regexp.MustCompile(`(?i)` + personAtTimeEn + `|` + personAtTimeZh)
	// nowRe is a person asked for now: a request, whatever time she names
	nowRe = regexp.MustCompile(`(?i)\b(right now|now|asap|immediately|straight away|right away)\b|现在|現在|马上|馬上|立刻|立即|赶紧|趕緊`)
)

// asksPersonAtTime reports whether the normalised message n asks if a
// person is there at a time it names (see personAtTimeEn).
func asksPersonAtTime(n string) bool {
	return personAtTimeRe.MatchString(n) && !nowRe.MatchString(n)
}

// humanRequest reports whether the normalised message n asks for a
// person, and the cue words matched.
func humanRequest(n string) bool {
	if againstBot(n) {
		return true
	}
	if asksPersonAtTime(n) {
		return false
	}
	b := otherSenseRe.ReplaceAllString(n, " ")
	for _, re := range personRequestRes {
		if re.MatchString(b) {
			return true
		}
	}
	for _, c := range cues {
		if c.intent != IntentHuman {
			continue
		}
		for _, w := range c.words {
			if cueIn(b, w) {
				return true
			}
		}
	}
	return false
}

// cueIn reports whether the normalised text n has the cue w: a Han cue
// anywhere, a Latin one where a word starts ("hate" is not in
// "whatever", "sue" not in "issue"), and one written with a trailing
// space ("sue ") as a whole word (not "suede").
func cueIn(n, w string) bool {
	if w == "" {
		return false
	}
	if r := []rune(w); unicode.Is(unicode.Han, r[0]) || !isWordByte(w[0]) {
		return strings.Contains(n, w)
	}
	whole := strings.HasSuffix(w, " ")
	w = strings.TrimRight(w, " ")
	for i := 0; i < len(n); {
		j := strings.Index(n[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if j == 0 || !isWordByte(n[j-1]) {
			if !whole || j+len(w) == len(n) || !isWordByte(n[j+len(w)]) {
				return true
			}
		}
		i = j + 1
	}
	return false
}
