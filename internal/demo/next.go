package demo

import "strings"

// Next is a suggestion printed after the demo; the CLI shows it only when
// the command it names exists in the build, so the list grows as areas
// land their commands.
type Next struct {
	Path []string // command path under the root, e.g. {"rfm"}
	// line is the command to suggest: {id} is the seed persona, {sku} the
	// camera bag, {db} a --db flag or "". Empty: the command's own first
	// example, whose flags its owners keep current.
	line string
	What string
}

// Line is the suggested command line for rep with the --db flag db ("":
// none), or "" when the command's own first example is to be shown.
func (n Next) Line(rep Report, db string) string {
	if db != "" {
		db = " --db " + db
	}
	return strings.NewReplacer("{id}", rep.SeedPersonaID, "{sku}", rep.CameraBagSKU, "{db}", db).Replace(n.line)
}

// Suggestions are what to try after the demo, in order.
var Suggestions = []Next{
	{[]string{"rfm"}, "chorus rfm{db}", "RFM segments and lifecycle stages RFM 分层"},
	{[]string{"segment", "list"}, "chorus segment list{db}", "saved segments 人群"},
	{[]string{"segment", "show"}, "chorus segment show photo_lovers{db}", "who is in a segment 人群成员"},
	{[]string{"clv"}, "chorus clv --limit 20{db}", "customer lifetime value 客户终身价值"},
	{[]string{"profile"}, "chorus profile {id}{db}", "the seed persona's profile 用户画像"},
	{[]string{"recommend"}, "chorus recommend {id}{db}", "recommendations for her 个性化推荐"},
	{[]string{"generate"}, "chorus generate --customer {id} --product {sku} --channel xiaohongshu{db}", "a 小红书 note for her about the bag 个性化文案"},
	{[]string{"check"}, "", "advertising-law check 广告法检查"},
	{[]string{"privacy", "redact"}, "", "what a model would see of a text with PII 隐私脱敏"},
	{[]string{"policy", "check"}, "chorus policy check {id} --channel sms{db}", "may we send her a marketing SMS now? 触达策略"},
	{[]string{"ask"}, "chorus ask 七天无理由退货怎么申请？{db}", "ask the customer-service assistant 智能客服"},
	{[]string{"import"}, "", "import your own shop's data 导入真实数据"},
	{[]string{"demo"}, "chorus demo --json{db}", "this report as JSON"},
}
