package content

import (
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// SMS encodings.
const (
	GSM7 = lexicon.GSM7
	UCS2 = lexicon.UCS2
)

// SMSCount is how an SMS text is billed: its encoding, its length in that
// encoding's units (GSM septets or UTF-16 code units) and the number of
// segments a handset receives.
type SMSCount struct {
	Encoding string `json:"encoding"`
	Units    int    `json:"units"`
	Segments int    `json:"segments"`
	// PerSegment is the capacity of one segment for this text: 160/70 when
	// it fits one, 153/67 per part of a concatenated message.
	PerSegment int `json:"per_segment"`
}

// CountSMS counts text the way carriers bill it (lexicon.SMSLength): a
// GSM-7 text is 160 septets in one segment or 153 per part (the rest is
// the concatenation header); a UCS-2 one 70 UTF-16 units in one segment
// or 67 per part.
func CountSMS(text string) SMSCount {
	enc, units := lexicon.SMSLength(text)
	if enc == lexicon.GSM7 {
		return segmentCount(GSM7, units, 160, 153)
	}
	return segmentCount(UCS2, units, 70, 67)
}

func segmentCount(enc string, units, single, multi int) SMSCount {
	c := SMSCount{Encoding: enc, Units: units, Segments: 1, PerSegment: single}
	if units > single {
		c.PerSegment = multi
		c.Segments = (units + multi - 1) / multi
	}
	return c
}

// SMSUnitsBudget is the most units a text may have to fit in segments
// parts in encoding enc.
func SMSUnitsBudget(enc string, segments int) int {
	if segments <= 0 {
		return 0
	}
	if enc == GSM7 {
		if segments == 1 {
			return 160
		}
		return 153 * segments
	}
	if segments == 1 {
		return 70
	}
	return 67 * segments
}

// Runes is the length the other channels are budgeted in: characters as a
// reader counts them, never bytes.
func Runes(s string) int { return utf8.RuneCountInString(s) }
