package demo

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
	"github.com/chorusmkt/chorus/internal/shop"
)

// WriteSummary writes the shop as a bilingual table, its orders per month
// as sparklines, and its buyers, catalog, events, consents and writes.
func (rep Report) WriteSummary(w io.Writer) error {
	last := rep.End.Add(-time.Second)
	fmt.Fprintf(w, "Chorus demo shop 演示店铺 · seed %d · %s – %s\n\n", rep.Seed, rep.Start.Format(time.DateOnly), last.Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	row := func(label string, zh, en, total string) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", label, zh, en, total)
	}
	n := func(m map[string]int, k string) string { return GroupDigits(m[k]) }
	row("", "中文 zh", "English en", "total 合计")
	row("customers 顾客", n(rep.CustomersByLanguage, LangZH), n(rep.CustomersByLanguage, LangEN), GroupDigits(rep.Customers))
	row("products 商品", n(rep.ProductsByLanguage, LangZH), n(rep.ProductsByLanguage, LangEN), GroupDigits(rep.Products))
	row("orders 订单", n(rep.OrdersByLanguage, LangZH), n(rep.OrdersByLanguage, LangEN), GroupDigits(rep.Orders))
	row("guest orders 游客订单", n(rep.GuestOrdersByLang, LangZH), n(rep.GuestOrdersByLang, LangEN), GroupDigits(rep.GuestOrders))
	row("revenue 销售额", money("CNY", rep.Revenue["CNY"]), money("USD", rep.Revenue["USD"]), "")
	row("refunds 退款", money("CNY", rep.Refunds["CNY"]), money("USD", rep.Refunds["USD"]), GroupDigits(rep.RefundedOrders)+" orders")
	tw.Flush()

	fmt.Fprintln(w)
	months := monthsOf(rep)
	fmt.Fprintf(w, "orders per month 月度订单  %s … %s\n", months[0], months[len(months)-1])
	for _, lang := range []string{LangZH, LangEN} {
		fmt.Fprintf(w, "  %s  %s\n", lang, sparkline(rep.OrdersByMonth[lang], months))
	}
	fmt.Fprintln(w)
	kinds := rep.CustomersByKind
	fmt.Fprintf(w, "buyers 买家: %s repeat 复购 (%s with 2+ orders) · %s churned 流失 · %s one-time 单次 · %s never bought 未购买\n",
		GroupDigits(kinds[KindRepeat]), GroupDigits(rep.RepeatBuyers), GroupDigits(kinds[KindChurned]),
		GroupDigits(kinds[KindOneTime]), GroupDigits(kinds[KindNever]))
	var cats []string
	for _, c := range slices.Sorted(maps.Keys(rep.ProductsByCategory)) {
		cats = append(cats, fmt.Sprintf("%s %d", c, rep.ProductsByCategory[c]))
	}
	fmt.Fprintf(w, "categories 类目: %s\n", strings.Join(cats, " · "))
	fmt.Fprintf(w, "  (%d inactive 已下架, %d out of stock 缺货)\n", rep.ProductsInactive, rep.ProductsOutOfStock)
	var evs []string
	for _, t := range []string{event.View, event.Cart, event.Purchase, event.Refund, event.Open, event.Click, event.Unsubscribe} {
		evs = append(evs, fmt.Sprintf("%s %s", t, GroupDigits(rep.EventsByType[t])))
	}
	fmt.Fprintf(w, "events 行为: %s (%s in all)\n", strings.Join(evs, " · "), GroupDigits(rep.Events))
	fmt.Fprintf(w, "consents 授权: %s granted 同意 · %s revoked 撤回 (%s customers unsubscribed a channel, %s opted out of personalisation 个性化推荐 per PIPL Art. 24)\n",
		GroupDigits(rep.ConsentsGranted), GroupDigits(rep.ConsentsRevoked), GroupDigits(rep.CustomersRevoked), GroupDigits(rep.PersonalizationOff))
	wr := rep.Written
	fmt.Fprintf(w, "written 写入: customers +%s (%s updated, %s unchanged) · products +%s (%s unchanged) · consents +%s · events +%s (%s already present)\n",
		GroupDigits(wr.Customers.Inserted), GroupDigits(wr.Customers.Updated), GroupDigits(wr.Customers.Unchanged),
		GroupDigits(wr.Products.Inserted), GroupDigits(wr.Products.Unchanged), GroupDigits(wr.ConsentsAdded),
		GroupDigits(wr.EventsInserted), GroupDigits(wr.EventsDuplicate))
	return nil
}

// WriteText tells the story as the demo prints it.
func (s Story) WriteText(w io.Writer, rep Report) error {
	c, loc := s.Customer, tzOf(s.Customer)
	fmt.Fprintf(w, "%s %s · %d岁 · %s · %s · %s · 兴趣 %s\n", c.ID, c.Name, c.Age(rep.End), genderZH(c.Gender), c.Occupation, c.City, strings.Join(c.Interests, "、"))
	bought := s.Bought
	if len(bought) > 5 { // the five most recent
		bought = append([]string{"…"}, bought[len(bought)-5:]...)
	}
	fmt.Fprintf(w, "%d orders 订单, %s net 净消费, last order 最近下单 %s; bought 购买过: %s\n",
		s.Orders, money("CNY", s.Net), s.LastOrder.In(loc).Format(time.DateOnly), strings.Join(bought, "、"))
	fmt.Fprintf(w, "marketing allowed on 允许营销渠道: %s\n", strings.Join(s.Allowed, ", "))
	if s.CartTitle != "" {
		fmt.Fprintf(w, "left in cart 加购未买: %s (%s) on %s\n", s.CartTitle, rep.CameraBagSKU, s.CartAt.In(loc).Format("2006-01-02 15:04"))
	}
	return nil
}

// WriteText writes what the store holds and, when it holds all of rep, says
// so; a store that lacks some is an Internal error naming what.
func (v Verification) WriteText(w io.Writer, rep Report) error {
	var parts []string
	for _, t := range EventTypes {
		parts = append(parts, fmt.Sprintf("%s %s", t, GroupDigits(v.Events[t])))
	}
	fmt.Fprintf(w, "the store holds %s customers, %s products; events in the window: %s\n",
		GroupDigits(v.Customers), GroupDigits(v.Products), strings.Join(parts, " · "))
	if !v.Complete(rep) {
		return apperr.New(apperr.Internal, "the store lacks demo data: customers %d/%d, products %d/%d, events %s",
			v.Customers, rep.Customers, v.Products, rep.Products, strings.Join(v.Missing, ", "))
	}
	_, err := fmt.Fprintln(w, "every generated record is stored 所有演示数据均已写入")
	return err
}

func monthsOf(rep Report) []string {
	var out []string
	for m := rep.Start; m.Before(rep.End); m = m.AddDate(0, 1, 0) {
		out = append(out, m.Format("2006-01"))
	}
	return out
}

// sparkline draws counts per month as block characters, with the peak's
// value, so seasonality is visible at a glance.
func sparkline(counts map[string]int, months []string) string {
	blocks := []rune("▁▂▃▄▅▆▇█")
	peak := 0
	for _, m := range months {
		peak = max(peak, counts[m])
	}
	var b strings.Builder
	for _, m := range months {
		if peak == 0 {
			b.WriteRune(blocks[0])
			continue
		}
		i := int(math.Round(float64(counts[m]) / float64(peak) * float64(len(blocks)-1)))
		b.WriteRune(blocks[i])
	}
	return fmt.Sprintf("%s  (peak %s)", b.String(), GroupDigits(peak))
}

func money(currency string, v float64) string {
	sym := map[string]string{"CNY": "¥", "USD": "$"}[currency]
	neg := ""
	if v < 0 {
		neg, v = "-", -v
	}
	return neg + sym + GroupDigits(int(math.Round(v)))
}

// GroupDigits writes n with thousands separators.
func GroupDigits(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func genderZH(g string) string {
	switch g {
	case "female":
		return "女"
	case "male":
		return "男"
	}
	return g
}

// tzOf is c's zone by the one precedence rule (her own, her country's,
// the demo shop's).
func tzOf(c customer.Customer) *time.Location {
	sh := shop.Settings{}
	for _, s := range ShopSettings(time.Time{}) {
		if s.Key == shop.KeyTimeZone {
			sh.TimeZone = s.Value
		}
	}
	if loc, err := time.LoadLocation(shop.CustomerTimeZone(c, sh, "").Value); err == nil {
		return loc
	}
	return time.UTC
}

// WritePipeline writes each step's output under its name, and why a step
// failed.
func (rep Report) WritePipeline(w io.Writer) error {
	for _, r := range rep.Pipeline {
		fmt.Fprintf(w, "\n── %s ──\n", r.Name)
		if r.Summary != "" {
			fmt.Fprintln(w, r.Summary)
		}
		if r.Error != "" {
			fmt.Fprintf(w, "failed: %s\n", r.Error)
		}
	}
	return nil
}

// LogProgress is an Options.Progress that writes a line per finished
// stage to w ("demo: wrote 12,345 events in 1.2s").
func LogProgress(w io.Writer) func(stage string, n int, took time.Duration) {
	return func(stage string, n int, took time.Duration) {
		verb := "wrote"
		if stage == "generate" {
			verb, stage = "generated", "records"
		}
		fmt.Fprintf(w, "demo: %s %s %s in %s\n", verb, GroupDigits(n), stage, took.Round(time.Millisecond))
	}
}

// WriteServe tells how to open the console on the demo shop, with the
// demo admin's password (shown this once); nothing when the report has no
// console login. db is the --db flag to repeat ("": none); needSecret adds
// a tracking secret to the command line.
func (rep Report) WriteServe(w io.Writer, db string, needSecret bool) {
	l := rep.Console
	if l == nil {
		return
	}
	const addr = "127.0.0.1:8080"
	serve := "chorus serve --addr " + addr
	if db != "" {
		serve += " --db " + db
	}
	if needSecret {
		serve = "CHORUS_TRACKING_SECRET=$(openssl rand -base64 32) " + serve
	}
	fmt.Fprintf(w, "\nNext: %s\n  then open http://%s/ and sign in as %s / %s\n", serve, addr, l.Name, l.Password)
	fmt.Fprintf(w, "下一步：启动 chorus serve，打开 http://%s/ ，以 %s / %s 登录。\n", addr, l.Name, l.Password)
	fmt.Fprintln(w, "(the password is shown only now; chorus demo again sets a new one · 密码只显示这一次，再次运行 chorus demo 会重置)")
}
