package insight

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/rivo/uniseg"

	"github.com/chorusmkt/chorus/internal/customer"
)

// Recommender gives a customer's recommended products with reasons.
// Declared here, where profiles consume it, so that insight does not
// depend on the recommend package; cmd wires an implementation in.
// Errors are returned as they are; a profile without recommendations is
// still a profile.
type Recommender interface {
	Recommend(ctx context.Context, customerID string, k int) ([]ProductRec, error)
}

// How many entries of each list a profile keeps.
const (
	profileTop    = 3
	profileRecent = 5
)

// BuildProfile assembles the PII-free profile (画像) of customer c from
// her metrics, consent state, purchase history in ds (for recent product
// titles; ds may be nil) and recommendations (may be nil). It never copies
// name, email, phone, address or id; age becomes a 5-year band.
//
// When the customer revoked consent to personalisation (PIPL Art. 24),
// PersonalizationOptOut is set and everything derived from her individual
// behaviour or stated interests (affinities, price band, recent purchases,
// interests, recommendations) is left out, so that only segment-level
// content can be built from the profile.
func BuildProfile(c customer.Customer, m Metrics, consents customer.ConsentState, ds *Dataset, recs []ProductRec) Profile {
	p := Profile{
		Language:         c.Language,
		AgeBand:          AgeBand(c.Age(time.Now().UTC())),
		Gender:           c.Gender,
		Occupation:       c.Occupation,
		City:             c.City,
		Country:          c.Country,
		Interests:        c.Interests,
		Segment:          m.RFM.Segment,
		Lifecycle:        m.Lifecycle,
		TopCategories:    Top(m.CategoryAffinity, profileTop),
		TopBrands:        Top(m.BrandAffinity, profileTop),
		PriceBand:        m.PriceBand,
		PreferredChannel: m.PreferredChannel,
		Recommendations:  recs,
		Stats:            map[string]float64{},
	}
	if m.Lifecycle == "" {
		p.Lifecycle = StageProspect
	}
	kept := m.Orders // orders not refunded in full
	if ds != nil {
		p.RecentPurchases = recentTitles(ds, m.CustomerID, profileRecent)
		if orders, _ := ds.NetOrders(m.CustomerID, time.Time{}); len(orders) > 0 {
			kept = 0
			for _, o := range orders {
				if !o.Cancelled() {
					kept++
				}
			}
		}
	}
	st := p.Stats
	st["orders"] = float64(m.Orders)
	if m.Orders > 0 {
		st["revenue"] = round2(m.Revenue)
		if kept > 0 {
			st["avg_order_value"] = round2(m.Revenue / float64(kept))
		}
		st["recency_days"] = float64(m.RFM.Recency)
		st["r"], st["f"], st["m"] = float64(m.RFM.R), float64(m.RFM.F), float64(m.RFM.M)
	}
	if m.CLV.HorizonDays > 0 {
		st["clv"] = round2(m.CLV.Value)
		st["p_alive"] = math.Round(m.CLV.PAlive*1000) / 1000
		st["expected_purchases"] = math.Round(m.CLV.ExpectedPurchases*100) / 100
		st["clv_horizon_days"] = float64(m.CLV.HorizonDays)
	}
	if PersonalizationRevoked(consents) {
		p.PersonalizationOptOut = true
		p.Interests, p.TopCategories, p.TopBrands, p.PriceBand = nil, nil, nil, ""
		p.RecentPurchases, p.Recommendations = nil, nil
	}
	return p
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// AgeBand buckets an age in years into its five-year band ("25-29"), the
// one band every profile and prompt uses; no age (0) and ages over 120
// (a birth year typed wrong) have none.
func AgeBand(age int) string {
	if age <= 0 || age > 120 {
		return ""
	}
	lo := age / 5 * 5
	return fmt.Sprintf("%d-%d", lo, lo+4)
}

// PersonalizationRevoked reports whether the latest personalisation
// consent, on any channel, is a revocation (PIPL Art. 24 opt-out).
func PersonalizationRevoked(st customer.ConsentState) bool {
	var latest customer.Consent
	found := false
	for _, c := range st {
		if c.Purpose != customer.PurposePersonalization {
			continue
		}
		if !found || c.At.After(latest.At) || (c.At.Equal(latest.At) && c.Status == customer.Revoked) {
			latest, found = c, true
		}
	}
	return found && latest.Status == customer.Revoked
}

// recentTitles returns the titles of the customer's latest purchased
// products, newest first, without repeats; orders refunded in full are
// not purchases.
func recentTitles(ds *Dataset, id string, k int) []string {
	c := ds.Index(id)
	if c < 0 {
		return nil
	}
	cancelled := map[int32]bool{}
	orders, _ := ds.NetOrders(id, time.Unix(math.MaxInt32, 0))
	for _, o := range orders {
		if o.Cancelled() {
			cancelled[int32(o.Order)] = true
		}
	}
	var out []string
	seen := map[int32]bool{}
	for l := ds.lineStart[c+1] - 1; l >= ds.lineStart[c] && len(out) < k; l-- {
		it := ds.lineItem[l]
		if ds.lineKind[l] != kindPurchase || it < 0 || seen[it] || cancelled[ds.lineOrder[l]] {
			continue
		}
		seen[it] = true
		out = append(out, strings.TrimSpace(ds.Titles[it]))
	}
	return out
}

// profileLabels are the field labels of Text by language.
var profileLabels = map[string]map[string]string{
	"en": {
		"title": "Customer profile", "language": "Language", "age": "Age", "gender": "Gender", "occupation": "Occupation",
		"location": "Location", "interests": "Interests", "segment": "RFM segment", "lifecycle": "Lifecycle",
		"categories": "Top categories", "brands": "Top brands", "price": "Price band", "recent": "Recent purchases",
		"channel": "Preferred channel", "recs": "Recommended", "stats": "Figures", "optout": "Personalisation: declined (segment-level content only)",
	},
	"zh": {
		"title": "客户画像", "language": "语言", "age": "年龄段", "gender": "性别", "occupation": "职业",
		"location": "地区", "interests": "兴趣", "segment": "RFM 分群", "lifecycle": "生命周期",
		"categories": "偏好品类", "brands": "偏好品牌", "price": "价格带", "recent": "最近购买",
		"channel": "偏好渠道", "recs": "推荐商品", "stats": "指标", "optout": "个性化推荐：已拒绝（仅使用分群级内容）",
	},
}

// zhValues translates enumerated values for Chinese readers.
var zhValues = map[string]string{
	// lifecycle
	StageProspect: "潜在客户", StageNew: "新客", StageActive: "活跃", StageAtRisk: "有流失风险", StageLapsed: "沉默", StageChurned: "已流失",
	// price bands
	"budget": "平价", "mid": "中端", "premium": "高端", "luxury": "奢华",
	// grid and rfm-package segments
	"champions": "冠军客户", "loyal_customers": "忠诚客户", "potential_loyalists": "潜力忠诚客户", "potential_loyalist": "潜力忠诚客户",
	"new_customers": "新客户", "promising": "有潜力客户", "need_attention": "需要关注", "about_to_sleep": "即将沉睡",
	"cant_loose": "不能失去", "cant_lose_them": "不能失去", "hibernating": "沉睡客户", "lost": "已流失客户", "others": "其他",
	// gender and channels
	"female": "女", "male": "男", "other": "其他",
	"email": "邮件", "sms": "短信", "push": "推送", "wechat": "微信", "social": "社交媒体", "phone": "电话",
}

// WriteText writes Text to w, as `chorus profile` prints it.
func (p Profile) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, p.Text())
	return err
}

// Text renders the profile for people, with labels in the customer's
// language (Chinese for zh*, English otherwise).
func (p Profile) Text() string {
	lang := "en"
	if strings.HasPrefix(strings.ToLower(p.Language), "zh") {
		lang = "zh"
	}
	L := profileLabels[lang]
	v := func(s string) string {
		if lang == "zh" {
			if t, ok := zhValues[s]; ok {
				return t + " (" + s + ")"
			}
		}
		return s
	}
	var b strings.Builder
	line := func(label, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %s %s\n", padWidth(L[label]+":", 18), value)
		}
	}
	weighted := func(ws []Weighted) string {
		parts := make([]string, len(ws))
		for i, w := range ws {
			parts[i] = fmt.Sprintf("%s %.0f%%", w.Name, w.Weight*100)
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(&b, "%s\n", L["title"])
	line("language", p.Language)
	line("age", p.AgeBand)
	line("gender", v(p.Gender))
	line("occupation", p.Occupation)
	line("location", strings.Trim(p.City+", "+p.Country, ", "))
	line("interests", strings.Join(p.Interests, ", "))
	line("segment", v(p.Segment))
	line("lifecycle", v(p.Lifecycle))
	line("categories", weighted(p.TopCategories))
	line("brands", weighted(p.TopBrands))
	line("price", v(p.PriceBand))
	line("channel", v(p.PreferredChannel))
	if p.PersonalizationOptOut {
		fmt.Fprintf(&b, "  %s\n", L["optout"])
	}
	if len(p.RecentPurchases) > 0 {
		fmt.Fprintf(&b, "  %s:\n", L["recent"])
		for _, t := range p.RecentPurchases {
			fmt.Fprintf(&b, "    - %s\n", t)
		}
	}
	if len(p.Recommendations) > 0 {
		fmt.Fprintf(&b, "  %s:\n", L["recs"])
		for _, r := range p.Recommendations {
			fmt.Fprintf(&b, "    - %s (%s): %s\n", r.Title, r.SKU, r.Reason)
		}
	}
	if len(p.Stats) > 0 {
		keys := []string{"orders", "revenue", "avg_order_value", "recency_days", "r", "f", "m", "clv", "p_alive", "expected_purchases", "clv_horizon_days"}
		var parts []string
		for _, k := range keys {
			if x, ok := p.Stats[k]; ok {
				parts = append(parts, fmt.Sprintf("%s=%s", k, trimFloat(x)))
			}
		}
		line("stats", strings.Join(parts, " "))
	}
	return b.String()
}

// padWidth pads s with spaces to n terminal columns, counting East Asian
// wide characters as two, so that zh and en labels align alike.
func padWidth(s string, n int) string {
	if w := uniseg.StringWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

func trimFloat(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}
