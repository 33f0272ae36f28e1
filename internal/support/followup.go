package support

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// A follow-up in a conversation names its product by a pronoun or not at
// all: "and how much is it?", "ok and can I return it if it doesn't fit?",
// 那它多少钱. It is about the product the last answer cited, and is read
// with that product's title added; a product the follow-up names by its
// title replaces the earlier one ("nvm found it, what's the battery life
// on the lantern").

// messageReader reads a conversation's earlier messages; the store and
// MemoryRecorder have it. A recorder without it gives follow-ups no
// earlier product.
type messageReader interface {
	ConversationMessages(ctx context.Context, id string) ([]Message, error)
}

var (
	// enPronounBackRe are the English words that point back to a thing
	// named before; enContinueRe begins a question by continuing one.
	enPronounBackRe = regexp.MustCompile(`(?i)\b(it|its|it's|they|them|their|this one|that one|the same one|these|those)\b`)
	enContinueRe    = regexp.MustCompile(`(?i)^\W*(and|so|ok(ay)?,?\s+and|also|what about|how about)\b`)
	// zhPronounBackRe and zhContinueRe are the Chinese ones.
	zhPronounBackRe = regexp.MustCompile(`它|这个|那个|这款|那款|这件|那件|这双|那双|这只|那只|这种|那种`)
	zhContinueRe    = regexp.MustCompile(`^\W*(那|还有|另外|那么|然后)`)
	// zhSubjectlessRe begins a Chinese question that has no subject of
	// its own (能坐两百斤的人吗, 有没有黑色, 适合几个人): it asks of what was
	// named before, as a continuation does.
	zhSubjectlessRe = regexp.MustCompile(`^\W*(能不能|能|可不可以|可以|会不会|有没有|是不是|适合|多重|多大|多高|多长|多宽)`)
	// zhBareAskRe is a bare "and its X?" (续航呢？, 重量呢): a few words and
	// 呢, asking of what was named before the thing it names.
	zhBareAskRe = regexp.MustCompile(`^\W*\p{Han}{1,6}呢\W*$`)
)

// refersBack reports whether text points back to a thing named before:
// by a pronoun, or by continuing the question before when it asks of a
// product ("and how much?"); a question of a rule that only continues
// (那我再问问，运费怎么算) asks the rule.
func refersBack(text string, sig Signals) bool {
	pron, cont := enPronounBackRe, enContinueRe
	if hasHan(text) {
		pron, cont = zhPronounBackRe, zhContinueRe
		if zhSubjectlessRe.MatchString(text) {
			cont = zhSubjectlessRe
		} else if zhBareAskRe.MatchString(text) {
			cont = zhBareAskRe
		}
	}
	return pron.MatchString(text) || cont.MatchString(text) && (sig.Scores[IntentPolicy] == 0 || sig.Scores[IntentProduct] > 0) ||
		bareProductAsk(text, sig)
}

// bareProductAsk reports whether text is a question of a few words that
// asks only what a product question asks ("How much?", "多少钱？", "in
// stock?") and names no rule: it asks of the product named before.
func bareProductAsk(text string, sig Signals) bool {
	if sig.Scores[IntentProduct] == 0 || sig.Scores[IntentPolicy] > 0 || len(sig.Concepts) > 0 {
		return false
	}
	n := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || unicode.IsSymbol(r) {
			return ' '
		}
		return r
	}, normalize(text)))
	if hasHan(n) {
		return utf8.RuneCountInString(strings.ReplaceAll(n, " ", "")) <= 6
	}
	return len(strings.Fields(n)) <= 3
}

// earlierProduct is the product the last answer of the conversation with
// a product citation cited, in lang.
func (a *Assistant) earlierProduct(ctx context.Context, t *turn) (catalog.Product, bool, error) {
	mr, ok := a.o.Recorder.(messageReader)
	if !ok || t.req.ConversationID == "" {
		return catalog.Product{}, false, nil
	}
	ms, err := mr.ConversationMessages(ctx, t.req.ConversationID)
	if err != nil {
		return catalog.Product{}, false, ignoreNotFound(err)
	}
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Role != RoleAssistant {
			continue
		}
		for _, c := range ms[i].Citations {
			if c.Kind != CiteProduct {
				continue
			}
			p, err := a.st.GetProduct(ctx, c.ID)
			if err != nil {
				return catalog.Product{}, false, ignoreNotFound(err)
			}
			if p.Language != "" && p.Language != t.lang {
				continue
			}
			return p, true, nil
		}
	}
	return catalog.Product{}, false, nil
}

// resolveFollowUp reads a follow-up with the earlier product's title: t's
// text gains the title and its signals are read again. It reports whether
// it did.
func (a *Assistant) resolveFollowUp(ctx context.Context, t *turn) (bool, error) {
	if t.req.ConversationID == "" || len(t.sig.OrderIDs) > 0 || !refersBack(t.req.Text, t.sig) {
		return false, nil
	}
	if _, named, err := a.titledProduct(ctx, t); err != nil || named {
		return false, err
	}
	p, ok, err := a.earlierProduct(ctx, t)
	if err != nil || !ok {
		return false, err
	}
	if strings.Contains(normalize(t.req.Text), normalize(p.Title)) {
		return false, nil
	}
	t.req.Text = strings.TrimSpace(t.req.Text) + sep(t.lang) + " " + p.Title
	// what she asks is read again; her tone was read from all she wrote
	s := Analyze(t.req.Text, t.lang)
	t.sig.Scores, t.sig.Concepts = s.Scores, s.Concepts
	return true, nil
}

// slotChangeRe is a short follow-up that asks the question before again
// with one thing changed: "what about the UK then?", "and if I already
// used a coupon?", "and to Australia?", 那用了优惠券的呢？, 如果是香港呢.
var slotChangeRe = regexp.MustCompile(`(?i)^\W*(ok(ay)?,?\s+)?(and\s+|but\s+|so\s+)?(what|how)\s+about\b[^.?!]{0,40}[?？]?\W*$|^\W*(ok(ay)?,?\s+)?((and|but)\s+)?(what\s+)?if\b[^.?!]{0,50}[?？]?\W*$|^\W*(ok(ay)?,?\s+)?(and|or)\s+(to|for|in|into|with|from|on)\b[^.?!]{0,40}[?？]?\W*$` +
	`|^\W*(那|那么|那如果|如果|要是)[^。？?！!]{1,14}呢\W*$`)

// ackRe is a reply that only acknowledges ("thanks!", "ok great", 好的谢谢).
var ackRe = regexp.MustCompile(`^\W*((ok(ay)?|cool|great|perfect|nice|awesome|got it|sure|alright|thanks|thank you|thx|cheers|ta|好的?|好吧|谢谢|谢了|多谢|明白了?|知道了|收到|嗯+|行)\W*)+$`)

// resolveRuleFollowUp reads a follow-up of a rule question with the
// question before: "do you ship to the UK?" then "how long does that
// take", "I want to return something" then "it's the packing cubes,
// unused, got them 10 days ago", "the zipper on my backpack broke" then
// "bought it 5 months ago". A message that names no rule topic of its own
// and either tells rather than asks or points back is her detail of the
// topic asked before, when that question asked a rule (or told of a
// fault) and was answered from the rules. It reports whether it did.
func (a *Assistant) resolveRuleFollowUp(ctx context.Context, t *turn) (bool, error) {
	text := strings.TrimSpace(t.req.Text)
	// "what about the UK then?", "and if I already used a coupon?": one
	// slot of the question before changed, though it names a topic; one
	// that asks of a product ("what about the tote, how much is it?")
	// changes the subject
	slot := slotChangeRe.MatchString(normalize(text)) && t.sig.Scores[IntentProduct] == 0
	if t.req.ConversationID == "" || len(t.sig.OrderIDs) > 0 || len(t.sig.Concepts) > 0 && !slot || len(t.sig.Injection) > 0 ||
		t.sig.Scores[IntentHuman] > 0 || t.sig.Legal || t.sig.Compensation || t.sig.Safety {
		return false, nil
	}
	if isGreeting(text) || ackRe.MatchString(normalize(text)) {
		return false, nil
	}
	if asks(text, strings.ContainsAny(text, "?？")) && !followUp(text) && !slot {
		return false, nil
	}
	mr, ok := a.o.Recorder.(messageReader)
	if !ok {
		return false, nil
	}
	ms, err := mr.ConversationMessages(ctx, t.req.ConversationID)
	if err != nil {
		return false, ignoreNotFound(err)
	}
	// the last exchange: her question and the answer to it
	var q, ans *Message
	for i := len(ms) - 1; i >= 0 && q == nil; i-- {
		switch {
		case ms[i].Role == RoleAssistant && ans == nil:
			ans = &ms[i]
		case ms[i].Role == RoleCustomer && ans != nil:
			q = &ms[i]
		}
	}
	if q == nil || ans.Handoff || !slices.ContainsFunc(ans.Citations, func(c Citation) bool { return c.Kind == CitePolicy }) {
		return false, nil
	}
	// a slot changed needs only that the rules answered the question
	// before (when do I get my refund? → the refund rule)
	if qs := Analyze(q.Text, t.lang); !slot && len(qs.Concepts) == 0 && qs.Intent() != IntentPolicy && !qs.Defect {
		return false, nil
	}
	t.req.Text = strings.TrimSpace(q.Text) + sep(t.lang) + " " + text
	s := Analyze(t.req.Text, t.lang)
	t.sig.Scores, t.sig.Concepts = s.Scores, s.Concepts
	return true, nil
}
