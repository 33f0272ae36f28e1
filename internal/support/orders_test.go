package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// An order is shown only on its proof (proof.go), read from any phrasing
// of the phone's last four digits or the e-mail.

// The proof of an order is read from any phrasing of the phone's last
// four digits or the e-mail; the digits of an order id are no phone's.
func TestProofParaphrases(t *testing.T) {
	cases := []struct {
		q, last4, email string
	}{
		{"order CN26100200000108, my phone ends with 4321", "4321", ""},
		{"订单 CN26100200000108 手机号最后四位是4321", "4321", ""},
		{"订单CN26100200000108，电话号码末尾4321", "4321", ""},
		{"order US26100200000108 mobile 555-201-4321", "4321", ""},
		{"订单 CN26100200000108，手机 138 0013 4321", "4321", ""},
		{"order US26100200000108, the number on it finishes 4321", "4321", ""},
		{"订单 CN26100200000108 联系方式尾数4321", "4321", ""},
		{"order US26100200000108, email is jo.lee at example dot com", "", "jo.lee@example.com"},
		{"order US26100200000108 e-mail: jo.lee(at)example.com", "", "jo.lee@example.com"},
		{"订单 CN26100200000108 邮箱 jo.lee＠example.com", "", "jo.lee@example.com"},
		// no phone cue: the digits of an order are not a phone's
		{"where is order US26100200004321", "", ""},
		{"I'm at home, order US26100200000108", "", ""},
	}
	for _, c := range cases {
		s := support.Analyze(c.q, "")
		if s.Last4 != c.last4 {
			t.Errorf("%q: last 4 %q, want %q", c.q, s.Last4, c.last4)
		}
		got := ""
		if len(s.Emails) > 0 {
			got = s.Emails[0]
		}
		if got != c.email {
			t.Errorf("%q: e-mail %q, want %q", c.q, got, c.email)
		}
	}
}

// Every phrasing of the right proof shows the order; the same phrasing
// with other digits shows nothing.
func TestOrderProofPhrasings(t *testing.T) {
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	id, _, email, last4, _ := orderOf(t, st, "zh")
	wrong := "0000"
	if last4 == wrong {
		wrong = "1111"
	}
	user, domain, _ := strings.Cut(email, "@")
	spelled := user + " at " + strings.ReplaceAll(domain, ".", " dot ")
	for _, form := range []string{"订单 %s，手机号最后四位是%s", "订单%s 电话末尾%s", "order %s, my phone ends with %s", "order %s last 4 are %s"} {
		for _, d := range []string{last4, wrong} {
			q := strings.Replace(strings.Replace(form, "%s", id, 1), "%s", d, 1)
			r := ask(t, a, q)
			if shown := has(r.Citations, "[order:"+id+"]"); shown != (d == last4) {
				t.Errorf("%q: order shown %v, want %v (%s)", q, shown, d == last4, r.Answer)
			}
		}
	}
	r := ask(t, a, "订单 "+id+"，邮箱是 "+spelled)
	if !has(r.Citations, "[order:"+id+"]") {
		t.Errorf("spelled-out e-mail %q refused: %s", spelled, r.Answer)
	}
}

// A past order asked with an e-mail only asks for the order number.
func TestPastOrderAsksForNumber(t *testing.T) {
	checkClass(t, []classCase{
		{q: "what did I last buy? my email is lyoung321@example.com", facts: []string{"order number"}, never: []string{"[product:US-BEAUTY-LIPSTICK]"}},
		{q: "我上次买的是什么？我的邮箱是 wangfang@example.net", facts: []string{"订单号"}},
		{q: "幫我查一下我最近買了什麼，信箱是 wangfang@example.net", facts: []string{"訂單號"}},
	})
}
