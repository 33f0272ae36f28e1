package content

import (
	"strings"
	"testing"
)

func TestCountSMS(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		enc      string
		units    int
		segments int
	}{
		{"empty", "", GSM7, 0, 1},
		{"160 GSM is one segment", strings.Repeat("a", 160), GSM7, 160, 1},
		{"161 GSM is two", strings.Repeat("a", 161), GSM7, 161, 2},
		{"306 GSM is two (153 per part)", strings.Repeat("a", 306), GSM7, 306, 2},
		{"307 GSM is three", strings.Repeat("a", 307), GSM7, 307, 3},
		{"€ counts two: 159+€ = 161 units", strings.Repeat("a", 159) + "€", GSM7, 161, 2},
		{"€ at 158 fits", strings.Repeat("a", 158) + "€", GSM7, 160, 1},
		{"every extension char counts two", "^{}\\[~]|€", GSM7, 18, 1},
		{"£ and é are basic GSM", "£10 café", GSM7, 8, 1},
		{"en sample: [ and ] are extension chars (106 chars + 2)", "[Lumen] Ada, your Linen Shirt is 20% off until Nov 11. Shop: https://lumen.example/s Reply STOP to opt out", GSM7, 108, 1},
		{"70 UCS-2 is one segment", strings.Repeat("好", 70), UCS2, 70, 1},
		{"71 UCS-2 is two", strings.Repeat("好", 71), UCS2, 71, 2},
		{"134 UCS-2 is two (67 per part)", strings.Repeat("好", 134), UCS2, 134, 2},
		{"135 UCS-2 is three", strings.Repeat("好", 135), UCS2, 135, 3},
		{"one CJK char turns GSM text into UCS-2", strings.Repeat("a", 69) + "好", UCS2, 70, 1},
		{"emoji outside the BMP count two", "【Lumen】" + strings.Repeat("好", 61) + "😀", UCS2, 70, 1},
		{"zh sample with signature and opt-out", "【Lumen】小明，你常买的亚麻衬衫双11全场8折，11月11日截止，戳 lumen.cn/s 回T退订", UCS2, 52, 1},
		{"curly quote forces UCS-2", "Don’t miss it", UCS2, 13, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CountSMS(tt.text)
			if got.Encoding != tt.enc || got.Units != tt.units || got.Segments != tt.segments {
				t.Fatalf("CountSMS = %+v, want %s %d units %d segments", got, tt.enc, tt.units, tt.segments)
			}
		})
	}
}

func TestSMSUnitsBudget(t *testing.T) {
	for _, tt := range []struct {
		enc  string
		n    int
		want int
	}{{GSM7, 1, 160}, {GSM7, 2, 306}, {GSM7, 3, 459}, {UCS2, 1, 70}, {UCS2, 2, 134}, {UCS2, 3, 201}} {
		if got := SMSUnitsBudget(tt.enc, tt.n); got != tt.want {
			t.Errorf("SMSUnitsBudget(%s, %d) = %d, want %d", tt.enc, tt.n, got, tt.want)
		}
		// the budget is exactly the longest text that still fits
		text := strings.Repeat("a", tt.want)
		if tt.enc == UCS2 {
			text = strings.Repeat("好", tt.want)
		}
		if c := CountSMS(text); c.Segments != tt.n {
			t.Errorf("%s × %d: %d segments, want %d", tt.enc, tt.want, c.Segments, tt.n)
		}
		if c := CountSMS(text + text[:1]); c.Segments != tt.n+1 && tt.enc == GSM7 {
			t.Errorf("%s × %d+1: %d segments, want %d", tt.enc, tt.want, c.Segments, tt.n+1)
		}
	}
}

func TestRunesNotBytes(t *testing.T) {
	if n := Runes("小红书笔记标题"); n != 7 {
		t.Fatalf("Runes = %d, want 7", n)
	}
}
