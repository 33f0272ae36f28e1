package campaign

import (
	"slices"
)

// Openness is whether one channel is open for one person, and if not why
// (a contact-policy reason code such as no_consent, no_address,
// suppressed, cap_channel_day).
type Openness struct {
	Channel string `json:"channel"`
	Open    bool   `json:"open"`
	Code    string `json:"code,omitempty"`
	Reason  string `json:"reason,omitempty"`
}

// Engagement is a person's history on one channel: messages sent and the
// ones she engaged with (opened, clicked, replied).
type Engagement struct {
	Sent    int `json:"sent"`
	Engaged int `json:"engaged"`
}

// EngagedKinds are the tracking hits that count as engaging with a
// message: a person's open, click or reply (a machine's never counts).
var EngagedKinds = []string{"open", "click", "reply"}

// Fallback records that a person's message went to a later channel
// because an earlier one was closed for her.
type Fallback struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Code   string `json:"code"`
	Reason string `json:"reason"`
}

// Route is the outcome of routing one person.
type Route struct {
	// Channels to send on, in the order they were chosen.
	Channels []string `json:"channels"`
	// Closed are the channels that were closed for her, with the reason.
	Closed []Openness `json:"closed,omitempty"`
	// Fallbacks say which closed channel each chosen one stands in for
	// (mode best only).
	Fallbacks []Fallback `json:"fallbacks,omitempty"`
}

// engagement smoothing: a channel's score is its engagement rate with
// priorWeight pseudo-messages at the campaign's prior for its position,
// so the campaign's order decides until her history says otherwise.
const (
	priorWeight = 4.0
	priorTop    = 0.2
)

func score(pos int, e Engagement) float64 {
	prior := priorTop / float64(pos+1)
	return (float64(e.Engaged) + priorWeight*prior) / (float64(e.Sent) + priorWeight)
}

// Order ranks the campaign's channels for one person: by her engagement
// rate per channel, smoothed towards a prior that falls with the channel's
// position in the campaign, so without history the campaign's order holds
// and a channel she reliably engages with rises above one she ignores.
func Order(channels []string, history map[string]Engagement) []string {
	out := slices.Clone(channels)
	pos := map[string]int{}
	for i, c := range channels {
		pos[c] = i
	}
	slices.SortStableFunc(out, func(a, b string) int {
		sa, sb := score(pos[a], history[a]), score(pos[b], history[b])
		switch {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return pos[a] - pos[b]
	})
	return out
}

// Choose routes one person. open says, per channel, whether she can be
// reached there now (consent, address, suppression, caps). Mode best
// takes the first open channel in her order and records a fallback from
// each closed channel ranked above it; mode all takes every open channel.
// A person with no open channel gets no channel, and Closed says why.
func Choose(mode string, channels []string, history map[string]Engagement, open map[string]Openness) Route {
	var r Route
	for _, ch := range Order(channels, history) {
		o, ok := open[ch]
		if !ok {
			o = Openness{Channel: ch, Open: false, Code: "no_consent", Reason: "no consent recorded on " + ch}
		}
		if !o.Open {
			o.Channel = ch
			r.Closed = append(r.Closed, o)
			continue
		}
		r.Channels = append(r.Channels, ch)
		if mode == ModeBest {
			for _, c := range r.Closed {
				r.Fallbacks = append(r.Fallbacks, Fallback{From: c.Channel, To: ch, Code: c.Code, Reason: c.Reason})
			}
			break
		}
	}
	return r
}
