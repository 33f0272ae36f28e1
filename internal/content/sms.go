package content

import "unicode/utf8"

// SMS encodings.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
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

// gsmBasic is the GSM 03.38 default alphabet (one septet each).
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
	"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExt is the extension table: each costs an escape plus the character.
const gsmExt = "^{}\\[~]|€\f"

var gsmUnits = func() map[rune]int {
	m := make(map[rune]int, 140)
	for _, r := range gsmBasic {
		m[r] = 1
	}
	for _, r := range gsmExt {
		m[r] = 2
	}
	return m
}()

// CountSMS counts text the way carriers bill it. A text made only of GSM-7
// characters is 160 septets in one segment or 153 per part (the rest is the
// concatenation header), extension characters ^{}\[~]|€ costing two; any
// other character switches the whole message to UCS-2: 70 UTF-16 units in
// one segment or 67 per part, characters outside the BMP (most emoji)
// costing two.
func CountSMS(text string) SMSCount {
	gsm, units := true, 0
	for _, r := range text {
		n, ok := gsmUnits[r]
		if !ok {
			gsm = false
			break
		}
		units += n
	}
	if gsm {
		return segmentCount(GSM7, units, 160, 153)
	}
	units = 0
	for _, r := range text {
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
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
