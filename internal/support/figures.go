package support

import (
	"context"
	"time"
)

// Figures are the assistant's results over a period.
type Figures struct {
	Since         time.Time `json:"since"`
	Until         time.Time `json:"until"`
	Conversations int       `json:"conversations"`
	Answers       int       `json:"answers"`       // by the assistant
	AgentAnswers  int       `json:"agent_answers"` // by people from the queue
	HandedOff     int       `json:"handed_off"`    // conversations with a hand-off
	// DeflectionRate is the share of conversations the assistant resolved
	// without a person; HandoffRate the share handed to one.
	DeflectionRate float64 `json:"deflection_rate"`
	HandoffRate    float64 `json:"handoff_rate"`
	CSAT           float64 `json:"csat"` // mean of 1-5 ratings, 0 when none
	CSATCount      int     `json:"csat_count"`
	CSATSatisfied  float64 `json:"csat_satisfied"` // share of 4 and 5
	ThumbsUpRate   float64 `json:"thumbs_up_rate"`
	ThumbsCount    int     `json:"thumbs_count"`
	PerDay         []Day   `json:"answers_per_day"`
}

// Day is one day's count of the assistant's answers (UTC).
type Day struct {
	Day     string `json:"day"`
	Answers int    `json:"answers"`
}

// FiguresStore is what ComputeFigures reads.
type FiguresStore interface {
	ScanSupport(ctx context.Context, since, until time.Time, fn func(m Message, f *Feedback, conv Conversation) error) error
}

// ComputeFigures reads the answers of [since, until) and their feedback.
// Evaluation conversations (channel eval) are not counted.
func ComputeFigures(ctx context.Context, st FiguresStore, since, until time.Time) (Figures, error) {
	f := Figures{Since: since.UTC(), Until: until.UTC(), PerDay: []Day{}}
	convs := map[string]bool{}
	handed := map[string]bool{}
	days := map[string]int{}
	var order []string
	csatSum, sat, up := 0, 0, 0
	err := st.ScanSupport(ctx, since, until, func(m Message, fb *Feedback, c Conversation) error {
		if c.Channel == "eval" {
			return nil
		}
		convs[c.ID] = true
		if m.Role == RoleAgent {
			f.AgentAnswers++
			handed[c.ID] = true
		} else {
			f.Answers++
			d := m.CreatedAt.UTC().Format(time.DateOnly)
			if _, ok := days[d]; !ok {
				order = append(order, d)
			}
			days[d]++
		}
		if m.Handoff {
			handed[c.ID] = true
		}
		if fb != nil {
			if fb.CSAT > 0 {
				f.CSATCount++
				csatSum += fb.CSAT
				if fb.CSAT >= 4 {
					sat++
				}
			}
			if fb.Thumb != 0 {
				f.ThumbsCount++
				if fb.Thumb > 0 {
					up++
				}
			}
		}
		return nil
	})
	if err != nil {
		return f, err
	}
	f.Conversations, f.HandedOff = len(convs), len(handed)
	if f.Conversations > 0 {
		f.HandoffRate = round3(float64(f.HandedOff) / float64(f.Conversations))
		f.DeflectionRate = round3(1 - f.HandoffRate)
	}
	if f.CSATCount > 0 {
		f.CSAT = round3(float64(csatSum) / float64(f.CSATCount))
		f.CSATSatisfied = round3(float64(sat) / float64(f.CSATCount))
	}
	if f.ThumbsCount > 0 {
		f.ThumbsUpRate = round3(float64(up) / float64(f.ThumbsCount))
	}
	for _, d := range order {
		f.PerDay = append(f.PerDay, Day{Day: d, Answers: days[d]})
	}
	return f, nil
}
