package lexicon

// SMS encodings.
const (
	GSM7 = "GSM-7"
	UCS2 = "UCS-2"
)

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

// SMSLength is how carriers measure an SMS text: a text made only of
// GSM-7 characters is counted in septets, the extension characters
// ^{}\[~]|€ costing two; any other character switches the whole message
// to UCS-2, counted in UTF-16 units (characters outside the BMP, most
// emoji, cost two). It is the one count both the validator and the
// offline writer use, so a text written to a budget fits it.
func SMSLength(text string) (encoding string, units int) {
	gsm := true
	for _, r := range text {
		n, ok := gsmUnits[r]
		if !ok {
			gsm = false
			break
		}
		units += n
	}
	if gsm {
		return GSM7, units
	}
	units = 0
	for _, r := range text {
		if r > 0xFFFF {
			units += 2
		} else {
			units++
		}
	}
	return UCS2, units
}
