package textfold

import "testing"

func TestString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain text 中文", "plain text 中文"},
		{"138\u200b0013 8000", "13800138000"[:3] + "0013 8000"},
		{"１３８　００１３", "138 0013"},
		{"最\u200e佳", "最佳"},       // a direction mark (Cf)
		{"最\u2066佳\u2069", "最佳"}, // bidi isolates (Cf)
		{"最\ufe0f佳", "最佳"},       // a variation selector
		{"最\u034f佳", "最佳"},       // the combining grapheme joiner
		{"①３⑧", "138"},           // compatibility digits
		{"\ufeff第ｌ", "第l"},       // BOM, full-width letter
		{"ﬁne", "fine"},
	} {
		got, offs := String(tt.in)
		if got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if (offs == nil) != (got == tt.in) {
			t.Errorf("String(%q): offsets %v", tt.in, offs)
		}
		if offs != nil {
			if len(offs) != len(got)+1 || offs[len(got)] != len(tt.in) {
				t.Errorf("String(%q): %d offsets for %d bytes", tt.in, len(offs), len(got))
			}
			for i := 1; i < len(offs); i++ {
				if offs[i] < offs[i-1] {
					t.Errorf("String(%q): offsets go back at %d: %v", tt.in, i, offs)
				}
			}
		}
	}
}

func TestInvisible(t *testing.T) {
	for _, r := range []rune{0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x200E, 0x200F, 0x202A, 0x2066, 0xFE0F, 0x034F, 0xE0101} {
		if !Invisible(r) {
			t.Errorf("U+%04X is not invisible", r)
		}
	}
	for _, r := range []rune{'a', ' ', '最', '，', 0x3000, 0x0301} {
		if Invisible(r) {
			t.Errorf("U+%04X is invisible", r)
		}
	}
}
