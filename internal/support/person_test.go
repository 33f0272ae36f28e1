package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// An ask for a person is read by its shape (person.go): handed off
// however it is said, while a person asked of with a time, or the service
// hours, is the service-hours rule's question.

// A request for a person is read by its shape, in zh, en and 繁體, not by
// its words: a two-person tent, 人工皮革 or the operator manual are no ask
// for a person.
func TestPersonRequestParaphrases(t *testing.T) {
	asks := []string{
		"agent pls", "Human please!", "can I chat with a real human", "I'd like to talk with one of your staff",
		"put me through to a supervisor", "Could somebody call me about this?", "stop the bot, I want a person",
		"is there an actual person I can deal with", "transfer me to someone", "I need a representative",
		"connect me with your team", "I don't want to talk to a chatbot",
		"叫你们主管来", "请让店长跟我沟通", "找个工作人员处理一下", "我要跟真人说", "给我转接人工", "不想和机器人聊了",
		"麻烦换个客服人员来", "你们负责人呢？让负责人来", "機器人聽不懂，找真人",
		"客服呢？到底有没有人管", "能不能找个懂行的人来", "人呢？出来说话", "hello? is anybody there?", "let me talk to your boss",
	}
	for _, q := range asks {
		if in := support.Analyze(q, "").Intent(); in != support.IntentHuman {
			t.Errorf("%q: intent %s, want a request for a person", q, in)
		}
	}
	others := []string{
		"is the tent big enough for two people?", "does the camp chair suit a tall person", "is this a 2-person tent",
		"can I get personalised engraving on the mug", "does the password manager app work with the earbuds",
		"这个帐篷是双人帐篷吗", "包是人工皮革还是真皮", "维修要人工费吗", "适合一个人露营用吗", "一个人用的睡袋有吗",
		"I have an issue with the zip on my bag, can I get it repaired?", "is the operator manual in the box?",
		"which tent is best for 4 people", "what are your customer service hours",
	}
	for _, q := range others {
		if in := support.Analyze(q, "").Intent(); in == support.IntentHuman {
			t.Errorf("%q: taken for a request for a person", q)
		}
	}
}

// An ask for a person in words of its own, and answers called unhelpful,
// hand off; so does a bare ask without "to" ("get me a manager"), where
// "get me a gift" would not.
func TestPersonAskHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Please put me through to a customer service representative", handoff: true},
		{q: "These replies aren't helping me at all", handoff: true},
		{q: "帮我转接客服代表", handoff: true},
		{q: "connect me to customer service rep", handoff: true},
		{q: "你的回答根本没用", handoff: true},
		{q: "get me a manager", handoff: true},
		{q: "just get me a real person already", handoff: true},
		{q: "Find me a human, this bot is useless", handoff: true},
		{q: "Please transfer me to customer service staff", handoff: true},
		{q: "我要跟你們客服人員講話", handoff: true},
		{q: "help me get in touch with your customer service team", handoff: true},
	})
}

// Whether a person is there at a time she names asks the service hours;
// a person asked for now is still handed off.
func TestPersonAtATimeAsksHours(t *testing.T) {
	checkClass(t, []classCase{
		{q: "is there a person I could reach at 10pm, or just the bot?", cites: []string{"[policy:service-hours]"}},
		{q: "晚上11点还有人工吗？", cites: []string{"[policy:service-hours]"}},
		{q: "晚上11點還有人工嗎？", cites: []string{"[policy:service-hours]"}},
		{q: "can I talk to someone on the weekend?", cites: []string{"[policy:service-hours]"}},
		{q: "how late can I reach a human agent tonight?", cites: []string{"[policy:service-hours]"}},
		{q: "When are your human agents available? Not now, just asking", cites: []string{"[policy:service-hours]"}, facts: []string{"9:00"}},
		{q: "Are your agents around on weekends? don't transfer me, just curious", cites: []string{"[policy:service-hours]"}},
		// a person asked for now still hands off, with the hours asked too
		{q: "What are your opening hours and can I talk to someone now?", handoff: true},
		{q: "I need a person right now, not at 10pm", handoff: true},
		{q: "put me through to a human please", handoff: true},
		{q: "现在就给我转人工", handoff: true},
	})
}
