package content

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadBriefErrorsNameFileFieldAndReason(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		file, body string
		want       []string
	}{
		{"ok.yaml", "name: d11\ngoal: g\noffer:\n  text: 全场8折\n  discount: 8折\n  deadline: 2026-11-11\n", nil},
		{"ok.json", `{"name":"d11","goal":"g","offer":{"discount":"20% off"}}`, nil},
		{"noname.yaml", "goal: g\n", []string{"noname.yaml", "field name", "is required"}},
		{"typo.yaml", "name: x\ngoal: g\nchanels: [sms]\n", []string{"typo.yaml", "line 3", "field chanels: unknown field"}},
		{"badzhe.yaml", "name: x\ngoal: g\noffer:\n  discount: 5 zhe\n", []string{"badzhe.yaml", "field offer.discount", `"5 zhe" is not a discount`}},
		{"baddate.yaml", "name: x\ngoal: g\noffer:\n  deadline: 11/11\n", []string{"field offer.deadline", "YYYY-MM-DD"}},
		{"badchan.yaml", "name: x\ngoal: g\nchannels: [sms, fax]\n", []string{"field channels[1]", `unknown channel "fax"`}},
		{"badlang.yaml", "name: x\ngoal: g\nlanguage: fr\n", []string{"field language", `"fr" is not supported`}},
		{"type.json", `{"name":"x","goal":3}`, []string{"type.json", "field goal", "expected text, got number"}},
		{"offer.json", `{"name":"x","goal":"g","offer":"20%"}`, []string{"offer.json", "field offer", "expected a mapping of fields, got string"}},
		{"offer.yaml", "name: x\ngoal: g\noffer: 20% off\n", []string{"offer.yaml", "line 3", "expected a mapping of fields, got text `20% off`"}},
		{"syntax.json", "{\"name\":\"x\",\n\"goal\":}", []string{"syntax.json", "line 2", "not valid JSON"}},
		{"empty.yaml", "", []string{"empty.yaml", "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p := filepath.Join(dir, tt.file)
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			b, err := LoadBrief(p)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("LoadBrief: %v", err)
				}
				if b.Offer.Factor != 0.8 || b.Language != Zh {
					t.Fatalf("brief = %+v", b)
				}
				return
			}
			if err == nil {
				t.Fatal("LoadBrief accepted a bad brief")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "content.") || strings.Contains(err.Error(), "!!") {
				t.Errorf("error %q shows a Go or YAML identifier", err)
			}
		})
	}
}

func TestLoadVoice(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "v.yaml")
	os.WriteFile(p, []byte("name: lumen\nbrand: Lumen\nemoji: lots\n"), 0o644)
	if _, err := LoadVoice(p); err == nil || !strings.Contains(err.Error(), "field emoji") {
		t.Fatalf("LoadVoice(bad emoji) = %v", err)
	}
	os.WriteFile(p, []byte("name: lumen\nbrand: Lumen\nexamples:\n  - channel: telegram\n    text: hi\n"), 0o644)
	if _, err := LoadVoice(p); err == nil || !strings.Contains(err.Error(), "examples[0].channel") {
		t.Fatalf("LoadVoice(bad channel) = %v", err)
	}
	os.WriteFile(p, []byte("name: lumen\nbrand: Lumen\ntaboo: [最便宜]\n"), 0o644)
	v, err := LoadVoice(p)
	if err != nil || v.Emoji != "light" || len(v.Taboo) != 1 {
		t.Fatalf("LoadVoice = %+v, %v", v, err)
	}
}

func TestParseDiscount(t *testing.T) {
	for in, want := range map[string]float64{"8折": 0.8, "8.5折": 0.85, "20% off": 0.8, "15 % OFF": 0.85} {
		if got, err := ParseDiscount(in); err != nil || got != want {
			t.Errorf("ParseDiscount(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"10折", "0折", "100% off", "cheap"} {
		if _, err := ParseDiscount(in); err == nil {
			t.Errorf("ParseDiscount(%q) accepted", in)
		}
	}
}

func TestSenderForEnglishAvoidsUCS2(t *testing.T) {
	b := Brief{Sender: "【Lumen】"}
	if s := b.SenderFor(En, ""); s != "[Lumen]" || CountSMS(s).Encoding != GSM7 {
		t.Fatalf("SenderFor(en) = %q", s)
	}
	if s := b.SenderFor(Zh, ""); s != "【Lumen】" {
		t.Fatalf("SenderFor(zh) = %q", s)
	}
}
