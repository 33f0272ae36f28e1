package support

import (
	"regexp"
	"strings"
)

// A request for a person, a harm a product did and money lost are said in
// more words than a phrase list holds ("can somebody from support email
// me", 安排一位客服同事跟进, "the serum left a burn and I saw a doctor").
// They are read by composition over the small vocabulary below, one
// table for both languages (Traditional text meets it folded to
// Simplified): a word of one kind together with a word of another, in one
// clause, with the readings that only look alike (the service hours, "no
// need for a human", a friend who is a rep, "will it cause a rash?")
// taken out first. The rules' intent and hand-off read the result
// (Analyze), and so does the classifier, through the rule signals.

// composeVocab is the vocabulary of the compositions. Latin words are
// matched where a word starts (cueIn), and as whole words when written
// with a trailing space.
var composeVocab = struct {
	// agents are the people of the shop she may ask for
	agents []string
	// contactActs are the acts of reaching her or taking her case over
	contactActs []string
	// connectActs ask to be put through to someone: with an agent, a
	// request however it is put
	connectActs []string
	// numbers are the shop's means of being called; callActs what she
	// would do with one
	numbers, callActs []string
	// channels are her being reached by a means (text me, a phone
	// appointment, 加微信): with an agent in one clause ("can a staffer
	// text me back", "a phone appointment with one of your advisors"), a
	// request
	channels []string
	// botCannot says the assistant cannot answer: with an agent in the
	// message, a request for one (你肯定答不了，有没有懂行的同事)
	botCannot []string
	// injuries are the words of hurt and of health; safetyEvents those of
	// a product that smoked, melted, caught fire or gave way
	injuries, safetyEvents []string
	// charges and twice say money taken twice; delivered and notReceived a
	// parcel marked delivered that never came
	charges, twice, delivered, notReceived []string
}{
	agents: []string{"someone", "somebody", "a person", "a human", "human being", "staff", "team member", "member of your team", "member of the team",
		"someone on the team", "your team", "team", "support team", "support crew", "customer care", "customer service", "customer support", "from support", "your support", "rep ", "reps ", "representative", "agent", "advisor", "adviser",
		"specialist", "expert", "your people", "one of your", "one of you ", "you lot", "someone in your", "manager", "supervisor", "colleague", "employee", "operator",
		"同事", "工作人员", "客服", "人工", "专人", "真人", "懂行", "专员", "专业人员", "售后人员", "经理", "主管", "负责人", "技术人员", "人员", "做主", "说了算", "管事的", "能做决定"},
	contactActs: []string{"call me", "call back", "callback", "call-back", "a call from", "hear from", "reply from", "over the phone", "talk this through", "talk it through", "ring me", "phone me", "give me a call", "give me a ring", "email me", "e-mail me", "drop me", "write to me", "message me",
		"contact me", "reach me", "reach out", "get back to me", "get in touch", "follow up", "follow-up", "look into", "look at my", "reply by email", "reply by e-mail", "by email", "via email", "take over", "take this over", "hand this over", "hand it over", "hand me over", "pass this on", "pass it on", "handle this", "deal with this",
		"talk to", "talk with", "speak to", "speak with", "chat with", "by phone", "on the phone", "phone call",
		"通电话", "通个电话", "聊一下", "聊聊", "直接聊", "沟通一下", "打电话", "打个电话", "给我打", "回电", "回个电话", "打给我", "来电", "致电", "联系我", "联系一下", "联络我", "跟进", "对接", "接手", "处理一下", "回复我", "email我", "邮件联系", "发邮件给我", "call我", "打我电话"},
	connectActs: []string{"connect me", "transfer me", "put me through", "pass me", "get me ", "find me ", "i need ", "i want ", "i'd like ", "转接", "转给", "接通", "帮我安排", "安排一", "安排个", "安排位", "安排专人", "安排同事", "安排客服", "安排人", "帮我找", "给我找", "我要"},
	numbers:     []string{"phone number", "telephone number", "contact number", "number to call", "hotline", "helpline", "what number", "which number", "number can i", "number i can", "电话号码", "客服电话", "联系电话", "热线", "专线", "号码", "电话是多少", "电话多少"},
	callActs:    []string{"to call", "like to call", "rather call", "call you", "ring you", "phone you", "give you a call", "打过去", "打电话过去", "想打电话", "打电话给你们", "打给你们", "给你们打", "致电", "拨打", "直接打", "打一下"},
	channels:    []string{"text me", "sms me", "whatsapp me", "wechat me", "phone appointment", "call appointment", "by phone", "on my mobile", "on my cell", "give me a bell", "give us a bell", "加微信", "加个微信", "微信联系", "短信联系", "电话沟通", "电话里说"},
	botCannot: []string{"you can't answer", "you cannot answer", "you won't be able", "you will not be able", "beyond you", "a bot can't", "the bot can't",
		"答不了", "回答不了", "解决不了", "搞不定", "处理不了", "说不清"},
	injuries: []string{"rash", "burn ", "burns ", "burned", "burnt", "blister", "hurt him", "hurt her", "hurt his", "hurt their", "hurt himself", "hurt herself", "hurt myself", "got hurt", "was hurt", "sprain", "sprained", "fractured", "i fell", "he fell", "she fell", "fell over", "fell and", "red raw", "acid", "vomit", "food poisoning", "上吐下泻", "呕吐", "腹泻", "拉肚子", "输液", "打点滴", "食物中毒",
		"injured", "injury", "electric shock", "shocked me", "gave me a shock", "cracked a rib", "broke a rib", "broken rib", "broke my arm", "broke my wrist", "broken arm", "broken wrist", "触电", "电到", "漏电", "骨裂", "起了泡", "起了水泡", "起了个泡", "got a cut", "a cut from", "a cut on", "a deep cut", "nasty cut", "sharp edge", "swell up", "swelled", "antihistamine", "bleeding", "bled", "allergic reaction", "swollen", "swelling", "hives", "doctor", "dermatologist", "hospital", "vet ", "the vet", "兽医", "宠物医院", "诊所", "开了药", "scald", "烫红", "肿了", "肿得", "肿起来", "the er ", "to er ", "去了er", "进了er", "急诊室", "a&e", "urgent care", "stitches", "gp ",
		"红疹", "疹子", "起疹", "红了一大片", "红了一片", "红成一片", "红了好大一片", "过敏", "红肿", "烫伤", "烧伤", "灼伤", "受伤", "医院", "医生", "看病", "急诊", "皮肤科", "流血", "出血", "起泡", "水泡", "割伤", "划伤", "扭伤", "骨折", "腰伤"},
	safetyEvents: []string{"smoke came", "smoke coming", "smoke out", "started to smoke", "began to smoke", "smoking", "smoked", "melted", "caught fire", "on fire", "exploded", "blew up", "collapsed", "sparks", "sparked", "overheated", "dangerous",
		"冒烟", "烫化", "冒火星", "火花", "烧了个洞", "烧了一个洞", "烧化", "熔化", "塌了", "塌掉", "垮了", "爆炸", "炸了", "着火", "起火", "烧焦", "危险"},
	charges:   []string{"charged", "charge", "charges", "payment", "payments", "took the money", "taken the money", "took my money", "transaction", "statement", "billed", "debited", "taken from", "扣", "扣款", "扣钱", "付款", "支付", "收费", "收了"},
	twice:     []string{"twice", "two times", "2 times", "three times", "3 times", "三次", "double", "duplicate", "two identical", "two transactions", "charged again", "two payments", "two charges", "two separate", "两次", "两笔", "2次", "二次", "两遍", "重复"},
	delivered: []string{"delivered", "marked as delivered", "shows delivered", "says delivered", "left at the door", "left on the doorstep", "left outside", "left it outside", "放门口", "放在门口", "放快递柜", "签收", "已送达", "送达", "显示已收货", "已妥投", "妥投"},
	notReceived: []string{"never received", "not received", "didn't receive", "did not receive", "haven't received", "have not received", "never got", "didn't get", "no parcel", "no package", "nothing arrived", "not here", "nowhere", "never arrived", "never came", "no sign",
		"没收到", "未收到", "没人见过", "都没见", "没见过", "不见了", "被偷", "被人拿走", "stolen", "is gone", "was gone", "it's gone", "disappeared", "vanished", "什么都没有", "啥都没有", "没有包裹", "没看见", "没有收到", "没拿到", "没见到", "根本没", "没看到"},
}

var (
	// clauseSplitRe are the bounds of a clause
	clauseSplitRe = regexp.MustCompile(`[,.;!?，。；！？\n]+|\s+(but|and then|because|so)\s+|但是|不过|可是`)
	// notAskedRe are the readings of an agent word that ask for no one: no
	// need of one, one she knows, the hours one is there
	notAskedRe = regexp.MustCompile(noNeedOfPerson + `|` +
		`\b(friend|sister|brother|mum|mom|dad|wife|husband|cousin|partner|neighbou?r|i)\s+(works?|worked|used to work)\s+(as|in)\b|\b(is|was|am|i'm)\s+(a|an)\s+(customer service|support|sales)?\s*(rep|agent|representative|advisor)\b` +
		`|\bwhen\s+(are|is|do|does|will)\b|\bwhat (time|hours|days)\b|\b(available|online|open)\s*(to chat|to talk)?$` +
		`|(朋友|家人|亲戚|我)(在|是|做|当)(客服|售后)|(几点|什么时候|什么时间)(上班|下班|在线|有人)|上班时间|工作时间`)
	// askedAboutRe is a question whether harm could come ("will it cause
	// a rash?", 会过敏吗, "is it safe"), or a trouble she always has ("my
	// skin always burns", 一晒就红), or what a doctor advised ("the doctor
	// said I need a firmer pillow"): no harm done, though the words are
	askedAboutRe = regexp.MustCompile(`\b(always|usually|easily|tends? to|whenever)\b|总是|老是|经常|容易|一晒就|` +
		`\b(doctor|gp|dermatologist|physio\w*|midwife|nurse)s?\s+(said|says|told|tells|recommend\w*|suggest\w*|advis\w*|wants)\b|(医生|大夫|护士)(说|建议|让|推荐|叫)|` +
		`\b(will|would|could|can|does|do|might|may)\s+(it|this|they|these|that)\b|\bis\s+(it|this|that)\s+(safe|normal|ok|okay)\b|\b(if|in case|worried|afraid|scared)\b|\bprone to\b|\bsafe for\b` +
		`|^(how|what|which|is|are|does|do|can|could|will|would|should)\b|\b(suggest|recommend)\w*|会不会|会.{0,8}吗|容易.{0,8}吗|能不能|可不可以|有没有|如果|万一|担心|怕|正常吗|安全吗|推荐|建议|适合|吗\s*$|呢\s*$`)
	// forSomeoneRe is someone a product is for or a gift to ("a gift for
	// someone who hikes"): no one she asks for
	// ("is it possible for someone to call me" still asks for one)
	forSomeoneRe = regexp.MustCompile(`\b(for|gift|buy|buying)\s+(someone|somebody|a person)\s+(who|that|with|like|into|special|aged|turning|in their)\b` +
		`|\b(gifts?|presents?|something|anything|ideas?|one|good)\s+for\s+(someone|somebody|a person)\b|\b(gift|buy|buying)\s+(someone|somebody)\b`)
	// noNeedRe is a person said not to be needed ("no need for a human",
	// 不用转人工): blanked before a request is read, so its 人工 asks for
	// no one
	noNeedRe = regexp.MustCompile(noNeedOfPerson)
	// diagnosisRe is what a doctor found (医生说是过敏, "the doctor says it's
	// an allergy"): harm done, not advice, though askedAboutRe reads a
	// doctor's words as advice
	diagnosisRe = regexp.MustCompile(`(医生|大夫|护士|醫生|護士)(说|讲|诊断|确诊|說|診斷|確診)(这|这个|這|這個)?(是|为|成|為)?.{0,4}(过敏|過敏|皮炎|湿疹|濕疹|烫伤|燙傷|烧伤|燒傷|灼伤|感染|中毒|骨折|扭伤|扭傷|骨裂)|(诊断|确诊|診斷|確診)(为|是|成|為)` +
		`|\b(doctor|gp|dermatologist|nurse|vet|paediatrician|pediatrician)s?\s+(said|says|told (me|us)|thinks|confirmed|diagnosed)\s+(it'?s|it was|it is|that it|that it's|its|as|with)\s+(an?\s+|from\s+|caused by\s+|down to\s+)?(allerg|reaction|contact dermatitis|dermatitis|rash|burn|infection|poisoning|sprain|fracture|chemical)|\bdiagnosed\s+(with|as)\b`)
	// productTieRe ties a harm to the product or its use
	productTieRe = regexp.MustCompile(`\b(your|the|this|these|that|it|its|after|since|using|used|wearing|wore|applied|putting|while|was|were|got|had|made|left|gave)\b|了|你们|这个|这款|那个|用了|用完|涂|擦|敷|戴|穿|坐|充|吃了|喝了|之后|以后|后来|直接|结果`)
)

// noNeedOfPerson is a person said not to be needed.
const noNeedOfPerson = `\b(no need|don'?t need|do not need|don'?t want|no)\s+(for\s+|of\s+|to\s+)?(talk to\s+|speak to\s+|be transferred to\s+|bother\s+|trouble\s+|wait for\s+)?(a\s+|an\s+|any\s+)?(human|person|agent|rep|staff|transfer)\b|\bwithout\s+(a\s+)?(human|person|agent)\b` +
	`|\b(rather not|don'?t want to|do not want to|no need to)\s+(talk|speak|chat|deal)\s+(to|with)\s+(anyone|anybody|someone|somebody|a person|a human|an agent|staff)\b` +
	`|(不用|不需要|不必|无需|没必要)(帮我)?(转|找|叫)?(人工|真人|客服|转接|转)`

// clauses are the clauses of the normalised text n.
func clauses(n string) []string {
	return clauseSplitRe.Split(n, -1)
}

func anyCue(s string, words []string) bool {
	for _, w := range words {
		if cueIn(s, w) {
			return true
		}
	}
	return false
}

// actIn reports whether the clause c holds one of the acts, a Latin one
// also with its first word inflected ("a manager reached out to me",
// "someone calls me back").
func actIn(c string, acts []string) bool {
	for _, w := range acts {
		if cueIn(c, w) {
			return true
		}
		verb, rest, ok := strings.Cut(w, " ")
		if !ok || !isWordByte(verb[0]) {
			continue
		}
		for _, end := range []string{"s", "es", "ed", "d"} {
			if cueIn(c, verb+end+" "+rest) {
				return true
			}
		}
	}
	return false
}

// composedPersonRequest reports whether the normalised message n asks for
// a person in words no pattern of person.go holds: an agent with a
// contact or take-over act, or a request to be put through to one, in one
// clause; the shop's number asked to call; the assistant said to be
// unable, beside an agent.
func composedPersonRequest(n string) bool {
	b := otherSenseRe.ReplaceAllString(n, " ")
	b = forSomeoneRe.ReplaceAllString(b, " ")
	var agentSeen bool
	for _, c := range clauses(b) {
		if c = strings.TrimSpace(c); c == "" || notAskedRe.MatchString(c) {
			continue
		}
		if !anyCue(c, composeVocab.agents) {
			continue
		}
		agentSeen = true
		if actIn(c, composeVocab.contactActs) || anyCue(c, composeVocab.connectActs) || anyCue(c, composeVocab.channels) {
			return true
		}
	}
	if agentSeen && anyCue(b, composeVocab.botCannot) {
		return true
	}
	return anyCue(b, composeVocab.numbers) && anyCue(b, composeVocab.callActs) && !notAskedRe.MatchString(b)
}

// harmDone reports whether the normalised message n tells of harm a
// product did: an injury or a health word, or a safety event, in a clause
// that asks no question of whether it could happen, with the product or
// its use named in the message.
func harmDone(n string) bool {
	if !productTieRe.MatchString(n) {
		return false
	}
	for _, c := range clauses(n) {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if (anyCue(c, composeVocab.injuries) || anyCue(c, composeVocab.safetyEvents)) && (!askedAboutRe.MatchString(c) || diagnosisRe.MatchString(c)) {
			return true
		}
	}
	return false
}

// moneyLost reports whether the normalised message n tells of money she
// lost: taken twice, or a parcel marked delivered that never came.
func moneyLost(n string) bool {
	if anyCue(n, composeVocab.charges) && anyCue(n, composeVocab.twice) {
		return true
	}
	return anyCue(n, composeVocab.delivered) && anyCue(n, composeVocab.notReceived)
}
