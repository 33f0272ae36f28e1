package adlaw

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// Fragments of synthetic copy: mostly clean phrases (with the context forms
// that must pass), and some that carry a listed term, plainly or evasively.
var (
	sampleZH = []string{
		"秋冬新款针织开衫上线，五种颜色可选，",
		"第一次购买立减20元，新人专享，",
		"最近上新的羊毛围巾手感柔软，",
		"本品执行国家标准，质检报告可查，",
		"活动最后一天，今晚24点截止，",
		"精选新疆长绒棉，亲肤透气不闷热，",
		"满300元最高立减50元，可叠加店铺券，",
		"下单即送定制礼盒，送礼自用两相宜，",
		"咖啡豆来自云南普洱，坚果香浓郁，",
		"支持7天无理由退换，运费险护航，",
		"最快明天送达，江浙沪包邮，",
		"会员积分可抵现，100积分抵1元，",
	}
	sampleZHBad = []string{
		"全网最低价，手慢无！",
		"销量第一的保温杯，",
		"国家级工艺打造，",
		"这是最 佳的补水选择，",
		"稳赚不赔，年化收益8%，",
		"坚持喝降血压，",
		"ＮＯ．１畅销的音箱，",
		"國家級工藝，",
	}
	sampleEN = []string{
		"New arrivals: chunky knit sweaters in five colours. ",
		"First time ordering? Take 10% off with code WELCOME10. ",
		"Best before: see the date printed on the lid. ",
		"Free shipping on orders over $50 this week. ",
		"Soft, breathable cotton that gets better with every wash. ",
		"Secure checkout with Apple Pay and Google Pay. ",
		"Our best coffee yet, roasted in small batches. ",
		"Members get early access to the holiday sale. ",
		"Water resistant to 50 metres, tested in the lab. ",
		"Pick up in store in as little as two hours. ",
	}
	sampleENBad = []string{
		"Clinically proven to reduce wrinkles. ",
		"Our #1 selling serum is back. ",
		"Guaranteed returns of 12% a year. ",
		"This tea CURES insomnia. ",
		"Last chance, prices go up tomorrow! ",
	}
)

// SampleMessages returns n synthetic marketing messages of about 100 runes,
// half Chinese and half English, about a third of them carrying a listed
// term. The same seed gives the same messages, so benchmark runs compare.
func SampleMessages(n int, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	out := make([]string, n)
	var b strings.Builder
	for i := range out {
		b.Reset()
		clean, bad, runes := sampleZH, sampleZHBad, 100
		if r.IntN(2) == 1 {
			clean, bad = sampleEN, sampleENBad
		}
		withTerm := r.IntN(3) == 0
		for utf8.RuneCountInString(b.String()) < runes-10 {
			if withTerm && r.IntN(3) == 0 {
				b.WriteString(bad[r.IntN(len(bad))])
				withTerm = false
				continue
			}
			b.WriteString(clean[r.IntN(len(clean))])
		}
		s := b.String()
		if k := runeOffset(s, runes); k < len(s) {
			s = s[:k]
		}
		out[i] = s
	}
	return out
}

// runeOffset is the byte offset of the n-th rune of s (len(s) if fewer).
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}
