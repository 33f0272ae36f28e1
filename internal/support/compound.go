package support

import (
	"context"
	"regexp"
	"slices"
	"strings"
)

// A message often asks two things at once: "what does the tote cost and
// what sizes does it come in", "1) do you take PayPal 2) is there gift
// wrapping", 满多少包邮？还有，发票怎么开. The strict match of the whole
// message covers neither rule well enough and hands off, or answers the
// half it found. compound splits such a message into its questions
// (numbered items, question marks, the words that join a second question,
// "and" before a second question word), answers each from its own
// retrieval as a message of its own, and joins the answers with all their
// citations. A part that is unanswerable keeps the whole message's answer
// (a hand-off when that was one): what matters in it is not known.

var (
	// listItemRe marks the items of a numbered list: "1) … 2) …",
	// "1. … 2. …", "(1) …", ①…, 一是…二是…, "firstly, … secondly, …"; a
	// decimal (4.95) or a time (9:00) is no item.
	listItemRe = regexp.MustCompile(`(?:^|[\s，,;；。?？!！:：])(?:[(（][1-9][)）]|[1-9][)）、]|[1-9][.:：]\s|[①②③④⑤⑥⑦⑧⑨]|第?[一二三四五](是|个问题是?|[、：:])|first(ly)?,|second(ly)?,)\s*`)
	// questionEndRe ends a question: its mark, a full stop, an
	// exclamation or a semicolon.
	questionEndRe = regexp.MustCompile(`[？?]+|[。！!；;]+|\.(?:\s|$)`)
	// joinWordRe are the words that join a second question inside one
	// sentence: ", also …", "btw", "by the way", "oh and", "and also", and
	// in Chinese after a comma 还有, 另外, 顺便, 对了, 以及, 再问一下.
	joinWordRe = regexp.MustCompile(`(?i)(?:[,，]\s*|\s+and\s+|\s+)(?:also|plus)\b[,，]?|(?:^|[,，\s])\s*(?:btw|by the way|oh and|and another thing|one more thing)\b[,，:：]?|[,，]\s*(?:还有|另外|顺便问一?下|顺便|对了|以及|再问一?下|还想问一?下)[,，]?`)
	// andAskRe is "and" before a second question word: "how much is it
	// and how long is its warranty".
	andAskRe = regexp.MustCompile(`(?i)[,，]?\s+and\s+(what|what's|how|do|does|is|are|can|could|will|would|when|where|which|who|should|may|did|whether|if)\b`)
	// frameLeadRe is a frame that announces the questions ("two
	// things:", "quick questions:", 两个问题：).
	frameLeadRe = regexp.MustCompile(`(?i)^\s*[^:：?？]{0,24}\b(questions?|things|qs)\s*[:：]|^\s*[^:：?？]{0,8}(几个|两个|2个|一些)问题\s*[:：]`)
	// leadWordRe are words left at the start of a part once it is split
	// off: the joiner itself, or a frame of asking.
	commaRe    = regexp.MustCompile(`[，,]`)
	leadWordRe = regexp.MustCompile(`(?i)^\s*(?:你好|您好|哈喽|嗨|hi|hello|hey|and|also|plus|btw|by the way|oh and|so|then|quick questions?|another question|one more thing|还有|另外|顺便问一?下|顺便|对了|以及|再问一?下|还想问一?下|请问|问一下|想问一?下)\b?\s*[,，:：]?\s*`)
)

// splitQuestions returns the questions of a message: at least two, each
// one that asks something, or one beside sentences that tell, or nil when
// the message is one question. A
// part that tells rather than asks ("I ordered before and loved it") is
// her circumstance and is left out of them; told is what those parts
// say, which may name the product a question asks of ("I'd like the
// 20-inch carry-on. How much is it?").
func splitQuestions(text string) (parts []string, told string) {
	marked := listItemRe.ReplaceAllString(text, "\x00")
	marked = questionEndRe.ReplaceAllStringFunc(marked, func(m string) string {
		if strings.ContainsAny(m, "?？") {
			return "?\x00"
		}
		return "\x00"
	})
	marked = joinWordRe.ReplaceAllString(marked, "\x00")
	marked = andAskRe.ReplaceAllString(marked, "\x00$1")
	var out, tells []string
	for _, p := range strings.Split(marked, "\x00") {
		p = frameLeadRe.ReplaceAllString(p, "")
		for q := leadWordRe.ReplaceAllString(p, ""); q != p; q = leadWordRe.ReplaceAllString(p, "") {
			p = q
		}
		p = strings.TrimSpace(strings.Trim(p, " ,，:：-"))
		if p == "" || p == "?" {
			continue
		}
		mark := strings.HasSuffix(p, "?")
		p = strings.TrimSuffix(p, "?")
		if isGreeting(p) {
			continue
		}
		if !asks(p, mark) {
			tells = append(tells, p)
			continue
		}
		out = append(out, zhCommaQuestions(p)...)
	}
	// one question among sentences that tell is a question too, for a
	// hand-off of the whole to be asked again without them
	if len(out) < 2 && (len(out) == 0 || len(tells) == 0) {
		return nil, ""
	}
	return out, strings.Join(tells, " ")
}

// zhCommaQuestions splits a Chinese clause at a comma when each side asks
// (降噪耳机多少钱，保修多久): two questions with no joining word. A side
// that tells (鞋子小了，能换吗) keeps the clause whole.
func zhCommaQuestions(p string) []string {
	if !hasHan(p) {
		return []string{p}
	}
	sides := commaRe.Split(p, -1)
	if len(sides) < 2 {
		return []string{p}
	}
	for _, s := range sides {
		if !zhAskRe.MatchString(s) || len([]rune(strings.TrimSpace(s))) < 3 {
			return []string{p}
		}
	}
	return sides
}

// compound answers a message of several questions part by part (see
// splitQuestions) and reports the joined draft, or nil when the message
// is one question, a part could not be answered, or the parts cite
// nothing the whole answer did not. whole is the answer to the message as
// one question.
func (a *Assistant) compound(ctx context.Context, t *turn, whole *draft) (*draft, error) {
	if len(t.sig.OrderIDs) > 0 || t.conv.PendingOrder != "" || len(t.sig.Injection) > 0 {
		return nil, nil
	}
	if whole.handoff != "" && whole.handoff != ReasonLowConf {
		return nil, nil
	}
	parts, told := splitQuestions(t.req.Text)
	// one question beside what she tells ("I bought the throw last week.
	// It's lovely! Can I have another gift wrapped?"): asked alone only
	// when the whole could not be answered
	if parts == nil || len(parts) == 1 && whole.handoff != ReasonLowConf {
		return nil, nil
	}
	out := &draft{}
	asked := false
	byTopic := false // a part answered by its rule topic alone (see topic)
	for i, p := range parts {
		// "do you deliver to Australia and how long does it take": a
		// part that names nothing of its own asks of the one before
		w := *t
		w.req.Text = p
		if i > 0 && followUp(p) {
			w.req.Text = parts[i-1] + " " + p
		}
		w.sig = Analyze(w.req.Text, t.lang)
		sub, err := a.offlineDraft(ctx, &w)
		if err != nil {
			return nil, err
		}
		// joined to the question before, the follow-up asks both again
		// ("how much is the lantern how long is the warranty on it");
		// a rule topic it names is asked alone
		if w.req.Text != p && (sub.handoff != "" || slices.Contains(sub.flags, FlagUnanswered)) {
			w.req.Text = p
			w.sig = Analyze(p, t.lang)
			if sub, err = a.offlineDraft(ctx, &w); err != nil {
				return nil, err
			}
		}
		// a product question that names nothing asks of the product
		// she told of
		if told != "" && w.sig.Intent() == IntentProduct && (sub.handoff != "" || slices.Contains(sub.flags, FlagUnanswered)) {
			w.req.Text = told + sep(t.lang) + " " + p
			w.sig = Analyze(w.req.Text, t.lang)
			if sub, err = a.offlineDraft(ctx, &w); err != nil {
				return nil, err
			}
		}
		// a part that asks for a person is that request, whatever the
		// other parts ask ("what are your hours and can I talk to someone now?")
		if sub.handoff == ReasonAsked && whole.handoff == "" {
			asked = true
			continue
		}
		if sub.handoff != "" || slices.Contains(sub.flags, FlagUnanswered) || len(sub.cites) == 0 {
			return nil, nil
		}
		// a part answered only by the closest rule, or, when the whole
		// was handed off as not known, one its citations cover poorly,
		// is not known; unless, beside a product the catalog answers
		// (see byTopic), it names a rule topic (the warranty, returns,
		// the invoice, instalments) and is answered by that rule, cited,
		// though its other words are hers ("is it covered if it breaks")
		topic := len(w.sig.Concepts) > 0 && citesKind(sub.cites, CitePolicy)
		loose := slices.Contains(sub.flags, flagClosestRule) || whole.handoff != "" && a.coverageOf(p, t.lang, sub.cites) < partCoverage
		if loose && !topic {
			return nil, nil
		}
		byTopic = byTopic || loose
		if out.intent == "" {
			out.intent = sub.intent
		}
		out.absorb(sub)
	}
	// a rule answered by its topic alone stands beside a product the
	// catalog answers, not beside rules as loosely found
	if byTopic && !citesKind(out.cites, CiteProduct) {
		return nil, nil
	}
	ph := phrasesFor(t.lang)
	if asked {
		out.parts = slices.DeleteFunc(out.parts, func(s string) bool { return s == ph.offerPerson })
		out.handoff = ReasonAsked
		out.intent = IntentHuman
		out.say(ph.handoffAsked)
		return out, nil
	}
	// the parts must add what the whole left out, and keep what it cited
	if whole.handoff == "" && !slices.Contains(whole.flags, FlagUnanswered) {
		if len(out.cites) <= len(whole.cites) {
			return nil, nil
		}
		for _, c := range whole.cites {
			if !slices.Contains(out.cites, c) {
				return nil, nil
			}
		}
	}
	// an offer of a person said once, at the end
	if i := slices.Index(out.parts, ph.offerPerson); i >= 0 && i != len(out.parts)-1 {
		out.parts = append(slices.Delete(out.parts, i, i+1), ph.offerPerson)
	}
	return out, nil
}

// citesKind reports whether cites holds a citation of kind.
func citesKind(cites []Citation, kind string) bool {
	return slices.ContainsFunc(cites, func(c Citation) bool { return c.Kind == kind })
}

// partCoverage is the share of a part a hand-off's replacement must find
// in the passages it cites (see Index.coverage).
const partCoverage = 0.4

// coverageOf is how much of the part q the cited passages cover
// together.
func (a *Assistant) coverageOf(q, lang string, cites []Citation) float64 {
	var union Passage
	for _, c := range cites {
		p, ok := a.ix.Passage(c.Kind, c.ID, lang)
		if !ok {
			continue
		}
		if union.ID == "" {
			union = p
			continue
		}
		union.Text += "\n" + p.Title + "\n" + p.Text
		union.Keywords += " " + p.Keywords
	}
	if union.ID == "" {
		return 0
	}
	return a.ix.coverage(q, union)
}

// colonFrameRe is a frame before a colon that says who asks or why
// ("my friend told me to ask: …", 我朋友让我问一下：…); the question is
// what follows it.
var colonFrameRe = regexp.MustCompile(`(?i)^([^:：?？]{0,80}\b(told|asked|wants?|wanted|wondering|question|curious|need to know)\b[^:：?？]{0,30}|[^:：?？]{0,20}(让我问|叫我问|想知道|想问|问题是|托我问|想了解|想咨询|咨询一下|了解一下)[^:：?？]{0,10})[:：]\s*`)

// withoutColonFrame is text without a frame before a colon when what
// follows asks (see colonFrameRe).
func withoutColonFrame(text string) string {
	loc := colonFrameRe.FindStringIndex(text)
	if loc == nil {
		return text
	}
	rest := text[loc[1]:]
	if strings.TrimSpace(rest) == "" || !asks(rest, strings.ContainsAny(rest, "?？")) {
		return text
	}
	return rest
}

// searchParts searches a message of several questions (splitQuestions)
// for each of them too, and takes the best passages of the whole and of
// each part in turn: the sources of every part are among the first,
// not only those of the part with the most words. One question is
// searched as it is.
func (ix *Index) searchParts(ctx context.Context, q string, o SearchOptions) ([]Passage, error) {
	whole, err := ix.search(ctx, q, o)
	if err != nil {
		return nil, err
	}
	parts, _ := splitQuestions(q)
	if len(parts) < 2 {
		return whole, nil
	}
	lists := [][]Passage{whole}
	for _, p := range parts {
		hits, err := ix.search(ctx, p, o)
		if err != nil {
			return nil, err
		}
		lists = append(lists, hits)
	}
	var out []Passage
	seen := map[Citation]bool{}
	for i := 0; len(out) < o.K; i++ {
		added := false
		for _, l := range lists {
			if i >= len(l) || len(out) >= o.K {
				continue
			}
			added = true
			if c := l[i].Cite(); !seen[c] {
				seen[c] = true
				out = append(out, l[i])
			}
		}
		if !added {
			break
		}
	}
	return out, nil
}
