package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// The tone of a message is not its topic (tone.go): mild feeling beside a
// question is answered, with a person offered; strong or repeated anger
// hands off.

// Mild disappointment (有点小失望, "kinda disappointed") is answered by the
// returns rule, or by the rule of the question she asks beside it; said
// strongly, or beside an ask for a person, the law or a repeat, it keeps
// its hand-off.
func TestMildDisappointmentIsAnswered(t *testing.T) {
	checkClass(t, []classCase{
		{q: "面膜没有想象中那么好用，有点小失望", cites: []string{"[policy:returns-7day]"}},
		{q: "收到的杯子比图片上小一点，有点失望", cites: []string{"[policy:returns-7day]"}},
		{q: "这件外套不太满意，颜色有点暗", cites: []string{"[policy:returns-7day]"}},
		{q: "说实话有些失望，没想象中好", cites: []string{"[policy:returns-7day]"}},
		{q: "the mug is a bit smaller than it looked, kinda disappointed tbh", cites: []string{"[policy:returns]"}},
		{q: "a little disappointed with the backpack, it's not as roomy as I hoped", cites: []string{"[policy:returns]"}},
		{q: "the colour is slightly duller than the photo, bit of a letdown, kind of disappointed", cites: []string{"[policy:returns]"}},
		{q: "honestly the jacket is not quite what I expected, a bit disappointed", cites: []string{"[policy:returns]"}},
		// with a question of its own, the rule she asks answers
		{q: "有点失望，围巾到手颜色没想象中好看，能换个颜色吗", cites: []string{"[policy:exchange]"}},
		{q: "a bit disappointed with the colour, can I exchange it for another colour?", cites: []string{"[policy:exchange]"}},
		// said strongly, or beside a person, the law or a repeat asked: handed off
		{q: "太失望了，简直是垃圾！！", handoff: true},
		{q: "有点失望，第三次了还没人处理，给我转人工", handoff: true},
		{q: "有点失望，我要去12315投诉你们", handoff: true},
		{q: "this is the third time, a bit disappointed is an understatement, absolutely pathetic", handoff: true},
		{q: "kinda disappointed, I'm going to contact my lawyer", handoff: true},
		{q: "a bit disappointed, can I talk to a real person please", handoff: true},
		{q: "I'm furious, the worst shop ever", handoff: true},
	})
}

// Mild annoyance beside a rule question is her tone: the rule answers,
// no hand-off.
func TestMildAnnoyanceWithRule(t *testing.T) {
	checkClass(t, []classCase{
		{q: "a bit annoyed that return postage isn't free", handoff: false},
		{q: "ugh, the refund still isn't on my card, you got the return 4 days ago", handoff: false},
		{q: "slightly frustrating I can't pay cash, what can I use?", handoff: false},
	})
}

// Hand-off is for strong anger, an explicit request for a person and the
// law. Mild frustration, a conversational frame ("can I talk to you about
// X"), a question about the human service itself and an answerable
// question in a frustrated tone are answered, with the offer of a person
// where she sounded frustrated or asked about people.
func TestHandoffOnlyWhenWanted(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	answered := []struct {
		q, cite string
		offer   bool
	}{
		{"ugh, the website is confusing. how do I return something?", "[policy:returns]", true},
		{"I'm not happy that delivery is slow, how long does UK shipping take?", "[policy:shipping]", true},
		{"真烦人，怎么开发票？", "[policy:invoice]", true},
		{"服了，包邮门槛是多少", "[policy:shipping]", true},
		{"I've been waiting forever, what's your refund timeline?", "[policy:refund]", true},
		{"can I talk to you about shipping?", "[policy:shipping]", false},
		{"I'd like to talk about exchanges", "[policy:exchange]", false},
		{"我想跟你聊聊退货的事", "[policy:returns-7day]", false},
		{"do you have human customer service? what are the hours?", "[policy:service-hours]", true},
		{"有人工客服吗？", "[policy:service-hours]", true},
		{"有点失望，耳机多少钱", "[product:CN-TECH-EARBUDS]", true},
		{"your service is awful, how do I get a refund?", "[policy:refund]", true},
		{"服务太差了，退款多久到账？", "[policy:refund]", true},
	}
	for _, c := range answered {
		r := ask(t, a, c.q)
		offered := strings.Contains(r.Answer, "转人工") || strings.Contains(r.Answer, `just say "human"`)
		if r.Handoff || !cites(r, c.cite) || c.offer && !offered {
			t.Errorf("%q: hand-off %v, citations %v, answer %q; want %s answered (offer of a person: %v)", c.q, r.Handoff, r.Citations, r.Answer, c.cite, c.offer)
		}
		if c.cite == "[policy:shipping]" && cites(r, "[policy:service-hours]") {
			t.Errorf("%q: cites the service hours for a frame's word", c.q)
		}
	}
	for _, q := range []string{
		"你们这什么垃圾服务，气死我了！！",
		"我要找人工",
		"I want to talk to a person",
		"I'll report you to trading standards",
		"有没有真人客服啊，机器人说不清楚",
		"this is the third time I've asked, absolutely useless, where is my refund",
		"escalate this to your manager or I'm taking legal action",
	} {
		r := ask(t, a, q)
		if !r.Handoff {
			t.Errorf("%q: intent %s, answer %q; want a hand-off", q, r.Intent, r.Answer)
		}
		// the law goes to the team lead, whatever else she asks for
		if strings.Contains(q, "legal") && (r.Intent != support.IntentComplaint || !strings.Contains(r.Answer, "legal")) {
			t.Errorf("%q: intent %s, answer %q; want the legal hand-off", q, r.Intent, r.Answer)
		}
	}
}

// A frustrated message is a complaint, though its question is answered
// from the rules; one that only asks, or names its order, is not.
func TestFrustratedQuestionIsAComplaint(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	for _, c := range []struct{ q, intent string }{
		{"有点着急，你们一般多久发货啊", support.IntentComplaint},
		{"kinda annoyed, how long does dispatch normally take?", support.IntentComplaint},
		{"你们一般多久发货啊", support.IntentPolicy},
		{"how long does dispatch normally take?", support.IntentPolicy},
		{"我不太清楚，积分怎么用", support.IntentPolicy},
	} {
		r := ask(t, a, c.q)
		if r.Intent != c.intent || r.Handoff || len(r.Citations) == 0 {
			t.Errorf("%q: intent %s, hand-off %v, citations %v; want %s, answered", c.q, r.Intent, r.Handoff, r.Citations, c.intent)
		}
	}
}

// Anger said with a demand at once, or calling the shop a joke, hands off
// without a curse.
func TestStrongAngerHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "this is a joke. fix it NOW", handoff: true},
		{q: "我非常非常生气", handoff: true},
		{q: "真的很生氣", handoff: true},
	})
}

// Anger at a failure that keeps happening hands off though it holds no
// insult: a count of tries, "every time", 受够了, patience run out.
func TestRepeatedFailureAngerHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "This is the fourth time my order has been delayed!", handoff: true},
		{q: "Every single time I order from you something goes wrong", handoff: true},
		{q: "我真的受够了，快递又没到", handoff: true},
		{q: "已经第四次了，订单还是没发货", handoff: true},
		{q: "I've written to you five times about my refund and I'm out of patience", handoff: true},
		{q: "打電話都沒人接，我非常生氣", handoff: true},
		// near-misses: a count that is no complaint
		{q: "Is this the second time you run the sale this year?"},
	})
}

// An angry delivery story (paid for speed or waited long, the parcel came
// damaged, said with force) hands off; the same facts asked calmly are
// answered from the rules.
func TestAngryDeliveryStory(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Paid for EXPRESS. Waited 2 weeks. Box crushed. Are you kidding me?!", handoff: true},
		{q: "I paid for next-day delivery. It took nine days. The box was ripped open and half the stuff was squashed. I want someone to explain this to me.", handoff: true},
		{q: "买了加急快递结果等了十几天，到手箱子全压扁了，你们就这么做生意的？", handoff: true},
		{q: "說好的快遞等了兩週才到，盒子還破了，你們到底在幹嘛？！", handoff: true},
		{q: "I paid extra for fast delivery and it took 15 days and the box was smashed. I am so done with this shop", handoff: true},
		{q: "快遞等了兩個禮拜，到的時候箱子都爛了，真的很誇張", handoff: true},
		{q: "My order took 10 days and arrived damaged. Can I return it?", cites: []string{"[policy:returns]"}},
		{q: "等了5天才到，外包装压坏了，里面东西没事，还能退吗", handoff: false},
	})
}
