package pii_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

type finding struct {
	typ   pii.Type
	text  string
	label string // "" = not checked
}

func checkScan(t *testing.T, s *pii.Scanner, in string, known []pii.Record, want []finding) {
	t.Helper()
	got := s.Scan(in, known...)
	if len(got) != len(want) {
		t.Fatalf("Scan(%q) = %v, want %d findings", in, describe(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Type != w.typ || g.Text != w.text || (w.label != "" && g.Label != w.label) {
			t.Errorf("Scan(%q)[%d] = %s %q %s, want %s %q %s", in, i, g.Type, g.Text, g.Label, w.typ, w.text, w.label)
		}
		if in[g.Start:g.End] != g.Text {
			t.Errorf("Scan(%q)[%d]: offsets %d:%d slice %q, not %q", in, i, g.Start, g.End, in[g.Start:g.End], g.Text)
		}
	}
}

func TestDetectors(t *testing.T) {
	s := pii.NewScanner(nil)
	for _, c := range []struct {
		name string
		in   string
		want []finding
	}{
		// mobiles
		{"mobile plain", "手机13800138000。", []finding{{pii.Phone, "13800138000", pii.LabelMobile}}},
		{"mobile spaced", "call 138 0013 8000 now", []finding{{pii.Phone, "138 0013 8000", pii.LabelMobile}}},
		{"mobile hyphens", "电话：138-0013-8000", []finding{{pii.Phone, "138-0013-8000", pii.LabelMobile}}},
		{"mobile +86", "+86 13800138000", []finding{{pii.Phone, "+86 13800138000", pii.LabelMobile}}},
		{"mobile 0086", "0086-13800138000", []finding{{pii.Phone, "0086-13800138000", pii.LabelMobile}}},
		{"mobile (+86)", "(+86)139 1234 5678", []finding{{pii.Phone, "(+86)139 1234 5678", pii.LabelMobile}}},
		{"mobile 4-3-4", "1380 013 8000", []finding{{pii.Phone, "1380 013 8000", pii.LabelMobile}}},
		{"mobile inside longer number", "单号 2138001380001", nil},
		{"mobile split by zero-width space", "加我 138\u200b0013 8000", []finding{{pii.Phone, "138\u200b0013 8000", pii.LabelMobile}}},
		{"mobile split by joiners and soft hyphens", "138\u200d0013\u00ad8000\u2060", []finding{{pii.Phone, "138\u200d0013\u00ad8000", pii.LabelMobile}}},
		{"e-mail with a zero-width joiner", "mail wf\u200d@example.com", []finding{{pii.Email, "wf\u200d@example.com", ""}}},
		{"mobile glued to letters", "SF13800138000", nil},
		{"ms timestamp", "ts 1700000000000", nil},
		// landlines
		{"beijing", "座机010-12345678", []finding{{pii.Phone, "010-12345678", pii.LabelLandline}}},
		{"shanghai parens", "(021)87654321", []finding{{pii.Phone, "(021)87654321", pii.LabelLandline}}},
		{"shenzhen ext", "0755-1234567转8021", []finding{{pii.Phone, "0755-1234567转8021", pii.LabelLandline}}},
		{"grouped local", "021-6888 8888", []finding{{pii.Phone, "021-6888 8888", pii.LabelLandline}}},
		{"+86 landline", "+86 10 87654321", []finding{{pii.Phone, "+86 10 87654321", pii.LabelLandline}}},
		{"big city with 7 digits is not a number", "010-1234567", nil},
		{"service number", "热线400-820-8820", []finding{{pii.Phone, "400-820-8820", pii.LabelService}}},
		// international
		{"uk", "ring +44 20 7946 0958 today", []finding{{pii.Phone, "+44 20 7946 0958", pii.LabelInternational}}},
		{"us national", "(415) 555-2671", []finding{{pii.Phone, "(415) 555-2671", pii.LabelInternational}}},
		{"trailing group dropped", "+1 415 555 2671 2 times", []finding{{pii.Phone, "+1 415 555 2671", pii.LabelInternational}}},
		{"invalid international", "+999 1234 5678", nil},
		// IDs
		{"id valid", "身份证11010519491231002X", []finding{{pii.ID, "11010519491231002X", pii.LabelValidChecksum}}},
		{"id lower x", "11010519491231002x", []finding{{pii.ID, "11010519491231002x", pii.LabelValidChecksum}}},
		{"id invalid checksum still found", "110105194912310021", []finding{{pii.ID, "110105194912310021", pii.LabelInvalidChecksum}}},
		{"id spaced", "110105 19491231 002X", []finding{{pii.ID, "110105 19491231 002X", pii.LabelValidChecksum}}},
		{"id bad date", "110105194902301234", nil},
		{"id bad province", "990105194912310021", nil},
		// cards
		{"unionpay 19", "卡号6222021234567890128", []finding{{pii.Card, "6222021234567890128", ""}}},
		{"visa grouped", "4111 1111 1111 1111", []finding{{pii.Card, "4111 1111 1111 1111", pii.LabelValidChecksum}}},
		{"visa luhn off", "4111-1111-1111-1112", []finding{{pii.Card, "4111-1111-1111-1112", pii.LabelInvalidChecksum}}},
		{"19 digits grouped 4x4+3", "6217 0000 1001 2345 678", []finding{{pii.Card, "6217 0000 1001 2345 678", ""}}},
		{"order number with visa prefix", "订单 4213567890123456789", nil},
		{"date-led order number", "20231115123456789", nil},
		// emails
		{"email", "mail zhang.san+vip@example.com.cn.", []finding{{pii.Email, "zhang.san+vip@example.com.cn", ""}}},
		{"email made of a phone", "13800138000@139.com", []finding{{pii.Email, "13800138000@139.com", ""}}},
		{"not an email", "@everyone at 3pm", nil},
		// addresses
		{"cn full", "寄到北京市朝阳区建国路88号SOHO现代城5号楼1单元1203室，谢谢", []finding{{pii.Address, "北京市朝阳区建国路88号SOHO现代城5号楼1单元1203室", ""}}},
		{"cn lane", "上海市浦东新区张江路123弄45号602室", []finding{{pii.Address, "上海市浦东新区张江路123弄45号602室", ""}}},
		{"cn estate", "家住望京花园小区3栋2单元501室", []finding{{pii.Address, "望京花园小区3栋2单元501室", ""}}},
		{"cn dao after district", "厦门市思明区鹭江道8号", []finding{{pii.Address, "厦门市思明区鹭江道8号", ""}}},
		{"cn city only", "上海市浦东新区的用户偏爱轻奢", nil},
		{"cn mall floor", "南京西路店3楼，万达广场3号门", nil},
		{"cn channel number", "电视频道3号", nil},
		{"en street", "Ship to 221B Baker Street, London please", []finding{{pii.Address, "221B Baker Street, London", ""}}},
		{"en full", "1600 Amphitheatre Parkway, Mountain View, CA 94043", []finding{{pii.Address, "1600 Amphitheatre Parkway, Mountain View, CA 94043", ""}}},
		{"en apt", "500 Oak Street Apt 4B", []finding{{pii.Address, "500 Oak Street Apt 4B", ""}}},
		// non-PII mix
		{"commerce noise", "SO-2023-000123 ¥1299.00 2024-03-15 2024年3月15日 SKU-85123A SF1234567890123 YT1234567890123456 6901234567892", nil},
		// full-width digits map back to the original offsets
		{"full width", "电话：１３８００１３８０００", []finding{{pii.Phone, "１３８００１３８０００", pii.LabelMobile}}},
	} {
		t.Run(c.name, func(t *testing.T) { checkScan(t, s, c.in, nil, c.want) })
	}
}

func TestKnownValues(t *testing.T) {
	s := pii.NewScanner(nil)
	known := []pii.Record{{Name: "王芳", Email: "Wang.Fang@Example.com"}, {Name: "Ann Lee", Address: "梧桐苑"}, {Name: "X"}}
	for _, c := range []struct {
		name string
		in   string
		want []finding
	}{
		{"cn name", "王芳女士", []finding{{pii.Name, "王芳", pii.LabelKnown}}},
		{"latin name, any case", "dear ANN LEE,", []finding{{pii.Name, "ANN LEE", pii.LabelKnown}}},
		{"latin name inside a word", "Annlee is not Ann Leeds", nil},
		{"email any case", "wang.fang@example.com", []finding{{pii.Email, "wang.fang@example.com", ""}}},
		{"address no pattern would catch", "住在梧桐苑", []finding{{pii.Address, "梧桐苑", pii.LabelKnown}}},
		{"one-rune names are ignored", "X marks", nil},
	} {
		t.Run(c.name, func(t *testing.T) { checkScan(t, s, c.in, known, c.want) })
	}
}

func TestAllowValues(t *testing.T) {
	s := pii.NewScanner([]string{"400-820-8820", "service@shop.com", "+86 21 6888 8888"})
	checkScan(t, s, "热线 400 820 8820 或 4008208820，邮件 SERVICE@shop.com，总机 021-6888 8888，个人 13800138000", nil,
		[]finding{{pii.Phone, "13800138000", ""}})
}

func TestIDChecksum(t *testing.T) {
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},
		{"11010519491231002x", true},
		{"110101199003077578", false},
		{"440524188001010014", true},
		{"440524188001010015", false},
		{"1101051949123100", false},
		{"11010519491231002A", false},
	} {
		if got := pii.IDChecksumValid(c.id); got != c.want {
			t.Errorf("IDChecksumValid(%q) = %v", c.id, got)
		}
	}
}

func TestLuhn(t *testing.T) {
	for _, c := range []struct {
		n    string
		want bool
	}{
		{"4111111111111111", true},
		{"4111111111111112", false},
		{"6222021234567890128", true},
		{"79927398713", true},
		{"79927398710", false},
		{"4111 1111", false},
		{"0", false},
	} {
		if got := pii.LuhnValid(c.n); got != c.want {
			t.Errorf("LuhnValid(%q) = %v", c.n, got)
		}
	}
}

func TestVaultRedactRestore(t *testing.T) {
	s := pii.NewScanner(nil)
	v := pii.NewVault()
	in := "王芳 138 0013 8000 / +86 13800138000 / wf@example.com / 13900001111"
	out, ents := v.Redact(s, in, pii.Record{Name: "王芳"})
	want := "⟦NAME_1⟧ ⟦PHONE_1⟧ / ⟦PHONE_1⟧ / ⟦EMAIL_1⟧ / ⟦PHONE_2⟧"
	if out != want {
		t.Fatalf("Redact = %q, want %q", out, want)
	}
	if len(ents) != 5 || ents[2].Token != "⟦PHONE_1⟧" || in[ents[2].Start:ents[2].End] != "+86 13800138000" {
		t.Fatalf("entities = %+v", ents)
	}
	back, problems := v.Restore(out)
	if problems != nil || back != "王芳 138 0013 8000 / 138 0013 8000 / wf@example.com / 13900001111" {
		t.Fatalf("Restore = %q %v", back, problems)
	}
	if _, p := v.Restore("hi ⟦PHONE_3⟧ and ⟦NAME_1"); len(p) < 2 || !strings.Contains(p[0], "unknown token ⟦PHONE_3⟧") {
		t.Fatalf("problems = %v", p)
	}
	if _, p := v.Restore("PHONE_1 called"); len(p) != 1 {
		t.Fatalf("bare token not reported: %v", p)
	}
	if _, p := v.Restore("gift card 50, ID 7"); p != nil {
		t.Fatalf("ordinary words reported: %v", p)
	}
	v2 := pii.NewVault()
	if red, _ := v2.Redact(s, `write to Bob "B" Lee`, pii.Record{Name: `Bob "B" Lee`}); red != "write to ⟦NAME_1⟧" {
		t.Fatalf("Redact = %q", red)
	}
	doc, p := v2.RestoreJSON(json.RawMessage(`{"text":"Hi ⟦NAME_1⟧"}`))
	var m map[string]string
	if p != nil || json.Unmarshal(doc, &m) != nil || m["text"] != `Hi Bob "B" Lee` {
		t.Fatalf("RestoreJSON = %s %v", doc, p)
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"13800138000":           "13*******00",
		"王芳":                    "**",
		"张小明":                   "张*明",
		"wang.fang@example.com": "wa**.****@*******.*om",
	} {
		if got := pii.Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPhoneKey(t *testing.T) {
	for _, group := range [][]string{
		{"+86 138-0013-8000", "0086 13800138000", "13800138000", "8613800138000", "１３８００１３８０００", "138\u200b0013 8000", "(+86)138 0013 8000"},
		{"+86 10 8765 4321", "010-87654321", "(010)87654321"},
		{"+44 20 7946 0958", "020 7946 0958", "0044 20 7946 0958"},
		{"+1 (212) 555-0100", "(212) 555-0100", "212.555.0100"},
	} {
		want := pii.PhoneKey(group[0])
		if want == "" {
			t.Fatalf("PhoneKey(%q) is empty", group[0])
		}
		for _, v := range group[1:] {
			if got := pii.PhoneKey(v); got != want {
				t.Errorf("PhoneKey(%q) = %q, want %q (as %q)", v, got, want, group[0])
			}
		}
	}
	if a, b := pii.PhoneKey("13800138000"), pii.PhoneKey("13900139000"); a == b {
		t.Errorf("two numbers share the key %q", a)
	}
	if k := pii.PhoneKey("no digits"); k != "" {
		t.Errorf("PhoneKey without digits = %q", k)
	}
}
