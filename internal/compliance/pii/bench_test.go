package pii_test

import (
	"testing"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// a typical content/support prompt of about 200 runes: persona, product,
// offer, one customer's contact details
const benchPrompt = "请为这位读者写一条双11短信：女性，25-29岁，设计师，喜欢旅行和摄影，常住上海。" +
	"商品：Lumen 亚麻衬衫（SKU-85123A），原价¥399，活动价¥299，2024年11月11日截止。" +
	"客户王芳，手机 138 0013 8000，邮箱 wang.fang@example.com，" +
	"收货地址上海市浦东新区张江路123弄45号602室。订单号20231115123456789，" +
	"顺丰单号SF1234567890123。语气亲切，不超过70字，结尾加【Lumen】和回T退订。"

func BenchmarkRedact200Runes(b *testing.B) {
	s := pii.NewScanner([]string{"400-820-8820"})
	known := []pii.Record{{Name: "王芳", Phone: "13800138000", Email: "wang.fang@example.com"}}
	runes := utf8.RuneCountInString(benchPrompt)
	b.ReportAllocs()
	b.SetBytes(int64(len(benchPrompt)))
	var n int
	for b.Loop() {
		v := pii.NewVault()
		_, ents := v.Redact(s, benchPrompt, known...)
		n = len(ents)
	}
	b.ReportMetric(float64(runes), "runes/op")
	b.ReportMetric(float64(n), "findings/op")
}
