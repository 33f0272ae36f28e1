package support

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/support/learn"
)

// The learned classifier reads the customer's words beside the rules.
// The rules were tuned case by case on the shipped evaluation sets and
// stopped generalising to sets written by others; a logistic regression
// trained on the same sets' labels, over the message's character and
// word n-grams and the rules' own signals as features, weighs many weak
// cues at once where a rule needs one strong one. It decides one thing,
// from the customer's words: whether a person should take the message
// (she asks for one, a strong complaint, harm or danger, a legal threat,
// a request only a person can decide). It reads the intent too, which
// names the reason of its hand-off (a request for a person or a
// complaint) and is reported with an evaluation's failures; the answer's
// intent stays the rules' (see learnedTurn). Hand-offs that depend on the
// shop's data (a spec the card does not state, a certification, a rule
// that is silent) stay with the checks that read the data.

// Classifier is a trained intent and hand-off classifier. It is
// read-only and safe for concurrent use.
type Classifier struct {
	intent  *learn.Model
	handoff *learn.Model
}

// Handoff classes of the hand-off model.
const (
	learnPerson = "person"
	learnAnswer = "answer"
)

// Thresholds of the combination with the rules (see Assistant.learnedTurn).
const (
	// learnHandoffAt is the hand-off probability over which a message the
	// rules would answer goes to a person. Held out (TestLearnHeldOutWords
	// logs it), the messages the rules rightly answer read up to 0.76 (我的
	// 箱子轮子掉了, which the warranty answers; a wrong size sent, a crushed
	// box "a bit disappointed" read about 0.7).
	learnHandoffAt = 0.85
	// learnCalmAt is the probability under which a soft rule hand-off
	// (anger counted from cue words, no legal threat, no request for a
	// person) is answered instead.
	learnCalmAt = 0.1
)

// LearnExample is one labelled message to train a classifier on: the
// message as the rules read it (Text, see LearnReading) with the rules'
// signals of it (Signals), its expected intent ("" for none), whether a
// person should take it, and the earlier turns of its conversation.
type LearnExample struct {
	Text    string
	Signals []string
	Intent  string
	Handoff bool
	// Turns are the earlier messages of its conversation.
	Turns []string
}

// LearnExamples are the shipped corpus's examples of the given sets (all
// sets when none is named), in corpus order.
func LearnExamples(sets ...string) []LearnExample {
	var out []LearnExample
	for _, r := range learn.Corpus() {
		if len(sets) > 0 && !slices.Contains(sets, r.Set) {
			continue
		}
		out = append(out, LearnExample{Text: r.Text, Signals: r.Signals, Intent: r.Intent, Handoff: r.Handoff, Turns: r.Turns})
	}
	return out
}

// LearnSets are the evaluation sets of the shipped corpus, in corpus
// order.
func LearnSets() []string { return learn.Sets(learn.Corpus()) }

// LearnReading is how the classifier reads a customer message: the text
// as the rules read it (Simplified, the service words of a Chinese
// question in Chinese) and the features of the rules' signals of it. The
// corpus generator stores both, so training does not run the rules on
// every example (that takes most of a second).
func LearnReading(sc *Scripts, question string) (text string, signals []string, err error) {
	text = strings.TrimSpace(question)
	folded, script, err := sc.Fold(text)
	if err != nil {
		return "", nil, err
	}
	if script == ScriptHant {
		text = folded
	}
	lang := DetectLanguage(text)
	if lang == Zh {
		text = zhServiceWords(text)
	}
	return text, signalFeatures(text, Analyze(text, lang)), nil
}

// defaultClassifier is trained once per process from the shipped corpus:
// the corpus is embedded and training is deterministic, so every
// assistant would train the same model.
var defaultClassifier = sync.OnceValues(func() (*Classifier, error) {
	return TrainClassifier(LearnExamples())
})

// DefaultClassifier returns the classifier trained on the whole shipped
// corpus (trained at first use, then shared).
func DefaultClassifier() (*Classifier, error) { return defaultClassifier() }

// TrainClassifier trains the intent and hand-off models on examples.
// An example trains the intent model when its intent is one the assistant
// reports, and the hand-off model unless its expected hand-off is not one
// her words decide (wordsHandoff). Training is deterministic.
func TrainClassifier(examples []LearnExample) (*Classifier, error) {
	c := &Classifier{}
	var in, ho []learn.Example
	for _, e := range examples {
		f := append(textFeatures(e.Text), e.Signals...)
		if slices.Contains(Intents(), e.Intent) {
			in = append(in, learn.Example{Features: f, Label: e.Intent})
		}
		switch {
		case e.Handoff && !wordsHandoff(e):
		case e.Handoff:
			ho = append(ho, learn.Example{Features: f, Label: learnPerson})
		default:
			ho = append(ho, learn.Example{Features: f, Label: learnAnswer})
		}
	}
	var err error
	if c.intent, err = learn.Train(in, Intents(), learn.Options{}); err != nil {
		return nil, fmt.Errorf("train the intent model: %w", err)
	}
	if c.handoff, err = learn.Train(ho, []string{learnAnswer, learnPerson}, learn.Options{Balanced: true}); err != nil {
		return nil, fmt.Errorf("train the hand-off model: %w", err)
	}
	return c, nil
}

// wordsHandoff reports whether the expected hand-off of example e is one
// her words decide, which the hand-off model learns. A case labelled a
// complaint or a request for a person is. One labelled another intent is
// not: the shop's data decides it (a product, rule or order question no
// text of the shop answers). An unlabelled one is when the rules read a
// person's matter in its words (a request for one, anger, the law, a
// demand, a danger) and it asks nothing the shop's data must answer (a
// certification, a spec, a bulk order, a contact detail, a condition of
// hers the card must name); a case with earlier turns never is, since its
// hand-off may come of the conversation, which the model does not read.
func wordsHandoff(e LearnExample) bool {
	switch e.Intent {
	case IntentComplaint, IntentHuman:
		return true
	case "":
	default:
		return false
	}
	if len(e.Turns) > 0 {
		return false
	}
	n := normalize(e.Text)
	if certRe.MatchString(n) || unheldRe.MatchString(n) || specAskRe.MatchString(n) || safeForRe.MatchString(n) || contactAskRe.MatchString(n) {
		return false
	}
	return slices.ContainsFunc(e.Signals, func(f string) bool {
		return f == "r:intent:"+IntentHuman || f == "r:intent:"+IntentComplaint || f == "r:legal" || f == "r:compensation" || f == "r:safety" ||
			f == "r:story" || strings.HasPrefix(f, "r:neg:") && f != "r:neg:0"
	})
}

// Prediction is what the classifier reads in one message.
type Prediction struct {
	// Handoff is the probability that a person should take the message.
	Handoff float64 `json:"handoff"`
	// Intent is the most probable intent and IntentProb its probability.
	Intent     string  `json:"intent"`
	IntentProb float64 `json:"intent_prob"`
}

// rounded is p with its probabilities to three places, for a report;
// nil for none.
func (p *Prediction) rounded() *Prediction {
	if p == nil {
		return nil
	}
	return &Prediction{Handoff: round3(p.Handoff), Intent: p.Intent, IntentProb: round3(p.IntentProb)}
}

// Predict reads the message text (already folded as the rules read it)
// with its signals.
func (c *Classifier) Predict(text string, sig Signals) Prediction {
	f := append(textFeatures(text), signalFeatures(text, sig)...)
	p := Prediction{Handoff: c.handoff.Prob(f, learnPerson)}
	for i, v := range c.intent.Predict(f) {
		if v > p.IntentProb {
			p.Intent, p.IntentProb = Intents()[i], v
		}
	}
	return p
}

// textFeatures are the classifier's features of the words of the folded
// message text: Han character 1- to 3-grams, Latin word 1- and 2-grams
// (a word with a digit is one word, #) and the marks of tone (!, ?,
// capitals).
func textFeatures(text string) []string {
	n := normalize(text)
	var f []string
	var han []rune
	var words []string
	flushHan := func() {
		for i := range han {
			f = append(f, "h1:"+string(han[i]))
			if i+1 < len(han) {
				f = append(f, "h2:"+string(han[i:i+2]))
			}
			if i+2 < len(han) {
				f = append(f, "h3:"+string(han[i:i+3]))
			}
		}
		han = han[:0]
	}
	var word []rune
	flushWord := func() {
		if len(word) > 0 {
			w := string(word)
			if strings.ContainsFunc(w, unicode.IsDigit) {
				w = "#"
			}
			words = append(words, w)
			word = word[:0]
		}
	}
	bang, ask := 0, 0
	for _, r := range n {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'':
			flushHan()
			word = append(word, r)
		default:
			flushHan()
			flushWord()
			switch r {
			case '!':
				bang++
			case '?':
				ask++
			}
		}
	}
	flushHan()
	flushWord()
	for i, w := range words {
		f = append(f, "w1:"+w)
		if i+1 < len(words) {
			f = append(f, "w2:"+w+"_"+words[i+1])
		}
	}
	f = append(f, "bang:"+strconv.Itoa(min(bang, 3)), "ask:"+strconv.Itoa(min(ask, 2)))
	if upperShare(text) > 0.6 {
		f = append(f, "shout")
	}
	return f
}

// signalFeatures are the features of the rules' signals sig of the folded
// message text.
func signalFeatures(text string, sig Signals) []string {
	n := normalize(text)
	f := []string{"r:intent:" + sig.Intent(), "r:neg:" + strconv.Itoa(min(sig.Negative, 5))}
	for _, in := range Intents() {
		if v := sig.Scores[in]; v > 0 {
			f = append(f, "r:score:"+in+":"+strconv.Itoa(min(v/2, 5)))
		}
	}
	for _, b := range []struct {
		name string
		on   bool
	}{
		{"legal", sig.Legal}, {"hours", sig.AboutHours}, {"defect", sig.Defect}, {"mild", sig.Mild},
		{"compensation", sig.Compensation}, {"safety", sig.Safety}, {"harm", sig.Harm}, {"moneylost", sig.MoneyLost}, {"tracking", sig.Tracking},
		{"offtopic", sig.OffTopic}, {"injection", len(sig.Injection) > 0}, {"order", len(sig.OrderIDs) > 0},
		{"email", len(sig.Emails) > 0}, {"discount", sig.Discount},
		{"story", angryDeliveryStory(n)}, {"nocomplaint", noComplaintRe.MatchString(n)}, {"frustrated", frustrated(n)}, {"toned", toned(n)},
	} {
		if b.on {
			f = append(f, "r:"+b.name)
		}
	}
	for _, c := range sig.Concepts {
		f = append(f, "r:concept:"+c)
	}
	f = append(f, "lang:"+sig.Language)
	return f
}

// classifier is the assistant's classifier, nil for the rules alone (a
// model answering with tool calling, or Options.RulesOnly).
func (a *Assistant) classifier() (*Classifier, error) {
	switch {
	case !a.Offline() || a.o.RulesOnly:
		return nil, nil
	case a.o.Classifier != nil:
		return a.o.Classifier, nil
	}
	c, err := DefaultClassifier()
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Internal, "train the support classifier")
	}
	return c, nil
}

// learnedTurn reads t's message with the classifier and combines what it
// reads with the rules' signals:
//   - the hard hand-offs stay the rules': a request for a person, a legal
//     threat and an angry late-and-damaged delivery story hand off whatever
//     the classifier reads, and an injection is refused;
//   - a message the rules would hand off for anger counted from cue words
//     alone, or a demand or a danger read by one pattern, is answered when
//     the classifier is sure no person is needed (learnCalmAt);
//   - a message the rules would answer goes to a person when the
//     classifier is sure one is needed (learnHandoffAt), unless it names
//     an order (whose status the rules answer once it is verified) or asks
//     when people are available, or says it is no complaint
//     (noComplaintRe); it is a request for a person when the
//     classifier's intent is one, a complaint otherwise.
//
// The answer's intent stays the rules': each answering path starts from
// it, and taking the classifier's where no rule cue voted (though it reads
// the intent of the words better held out, 0.935 against 0.875) broke two
// answers of the cross-validation (a cabin-bag question the FAQ answers,
// a pregnancy question the card must state).
func (a *Assistant) learnedTurn(t *turn) error {
	c, err := a.classifier()
	if err != nil || c == nil {
		return err
	}
	p := c.Predict(t.req.Text, t.sig)
	t.pred = &p
	t.sig.calm, t.learnedHandoff = combine(t.sig, p, normalize(t.req.Text))
	return nil
}

// noComplaintRe is a message saying it is no complaint, or that she is
// not angry (不是投诉, 我不生气, "not complaining", "no worries"): its
// words of complaint are no request for a person, though the classifier,
// which reads n-grams, weighs 投诉 in it as in 我要投诉.
var noComplaintRe = regexp.MustCompile(`(?i)(不是|并不是|并非|没有|没|不)(要|想|在)?(投诉|抱怨|生气|找茬|闹)|不(怎么)?生气|别误会|\bnot\s+(a\s+|to\s+|trying\s+to\s+)?(complain\w*|angry|upset|mad)\b|\bno\s+(complaint|worries)\b|\bnot\s+a\s+complaint\b`)

// ruleHandoff reports whether the rules hand the message off for her
// words alone (signals sig of the normalised text n), and whether that
// hand-off is a hard one: a request for a person, a legal threat, an
// angry story of a late and damaged delivery (read by three patterns at
// once, not by one cue word).
func ruleHandoff(sig Signals, n string) (handoff, hard bool) {
	if sig.Legal {
		return true, true
	}
	in := sig.Intent()
	if in == IntentHuman || angryDeliveryStory(n) || sig.Harm || sig.MoneyLost {
		return true, true
	}
	return in == IntentComplaint && sig.angry(), false
}

// combine is learnedTurn's decision for the signals sig of the normalised
// text n and the classifier's prediction p: whether the soft rule
// hand-off is dropped (calm), and whether the classifier hands off what
// the rules answer (handoff).
func combine(sig Signals, p Prediction, n string) (calm, handoff bool) {
	if len(sig.Injection) > 0 {
		return false, false
	}
	rule, hard := ruleHandoff(sig, n)
	switch {
	case rule && !hard && p.Handoff < learnCalmAt:
		calm = true
	case !rule && p.Handoff >= learnHandoffAt && len(sig.OrderIDs) == 0 && !sig.AboutHours && !noComplaintRe.MatchString(n):
		handoff = true
	}
	return calm, handoff
}

// learnedHandoff is the hand-off of a message the classifier reads as a
// person's: asked for one when its intent is a request for a person, a
// complaint otherwise.
func learnedHandoff(t *turn) *draft {
	ph := phrasesFor(t.lang)
	d := &draft{intent: IntentComplaint, handoff: ReasonComplaint}
	if t.pred.Intent == IntentHuman {
		d.intent, d.handoff = IntentHuman, ReasonAsked
	}
	d.flag("learned_handoff")
	if d.handoff == ReasonAsked {
		d.say(ph.handoffAsked)
	} else {
		d.say(ph.handoffComplaint)
	}
	return d
}
