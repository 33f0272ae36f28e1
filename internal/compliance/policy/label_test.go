package policy_test

import (
	"fmt"
	"testing"

	"github.com/chorusmkt/chorus/internal/compliance/policy"
	"github.com/chorusmkt/chorus/internal/config"
)

func TestLabel(t *testing.T) {
	def := config.Default().Compliance.AILabel // enabled, AI生成 / AI-generated, suffix
	placed := def
	placed.Position = "prefix"
	placed.Placement = map[string]string{"sms": "suffix", "weibo": "none", "email": "prefix"}
	smsPrefix := def
	smsPrefix.Placement = map[string]string{"sms": "prefix"}
	off := def
	off.Enabled = false
	onlyZH := def
	onlyZH.EN = ""
	for _, tc := range []struct {
		name                string
		cfg                 config.AILabel
		text, channel, lang string
		want                string
	}{
		{"zh suffix", def, "【Lumen】新品上市，回复TD退订", "sms", "zh", "【Lumen】新品上市，回复TD退订（AI生成）"},
		{"zh-CN counts as zh", def, "秋冬护肤指南", "xiaohongshu", "zh-CN", "秋冬护肤指南（AI生成）"},
		{"en suffix", def, "New arrivals are in.", "email", "en", "New arrivals are in. (AI-generated)"},
		{"trailing space trimmed", def, "New arrivals ", "push", "en", "New arrivals (AI-generated)"},
		{"unknown language uses English", def, "Nouveautés", "push", "fr", "Nouveautés (AI-generated)"},
		{"already labelled", def, "秋冬护肤指南（AI生成）", "weibo", "zh", "秋冬护肤指南（AI生成）"},
		{"empty text", def, "", "sms", "zh", ""},
		{"disabled", off, "New arrivals", "email", "en", "New arrivals"},
		{"position prefix", placed, "New arrivals", "push", "en", "(AI-generated) New arrivals"},
		{"channel overrides position", placed, "新品上市", "sms", "zh", "新品上市（AI生成）"},
		{"channel labels itself", placed, "新品上市", "weibo", "zh", "新品上市"},
		{"sms prefix goes after the signature", smsPrefix, "【Lumen】新品上市", "sms", "zh", "【Lumen】（AI生成）新品上市"},
		{"sms prefix without a signature", smsPrefix, "新品上市", "sms", "zh", "（AI生成）新品上市"},
		{"no English label falls back to Chinese", onlyZH, "New arrivals", "push", "en", "New arrivals (AI生成)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := policy.NewLabeler(tc.cfg).Label(tc.text, tc.channel, tc.lang); got != tc.want {
				t.Fatalf("Label(%q, %s, %s) = %q, want %q", tc.text, tc.channel, tc.lang, got, tc.want)
			}
		})
	}
}

func ExampleLabeler_Label() {
	l := policy.NewLabeler(config.AILabel{Enabled: true, ZH: "AI生成", EN: "AI-generated", Position: "suffix",
		Placement: map[string]string{"push": "prefix"}})
	fmt.Println(l.Label("【Lumen】秋季新品，回复TD退订", "sms", "zh"))
	fmt.Println(l.Label("Your autumn edit is here", "push", "en"))
	// Output:
	// 【Lumen】秋季新品，回复TD退订（AI生成）
	// (AI-generated) Your autumn edit is here
}
