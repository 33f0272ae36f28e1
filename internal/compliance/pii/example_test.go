package pii_test

import (
	"fmt"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// A prompt is redacted with one vault per request and the answer restored
// with the same vault; the shop's hotline is allowed through.
func ExampleVault() {
	s := pii.NewScanner([]string{"400-820-8820"})
	v := pii.NewVault()
	prompt, ents := v.Redact(s, "给王芳写短信：她的手机 138 0013 8000，客服热线 400-820-8820", pii.Record{Name: "王芳"})
	fmt.Println(prompt)
	for _, e := range ents {
		fmt.Println(e.Type, e.Start, e.End, e.Token, e.Label)
	}
	answer, problems := v.Restore("⟦NAME_1⟧您好，订单已发货，如有问题回电 ⟦PHONE_1⟧")
	fmt.Println(answer, problems)
	// Output:
	// 给⟦NAME_1⟧写短信：她的手机 ⟦PHONE_1⟧，客服热线 400-820-8820
	// NAME 3 9 ⟦NAME_1⟧ known_value
	// PHONE 34 47 ⟦PHONE_1⟧ mobile
	// 王芳您好，订单已发货，如有问题回电 138 0013 8000 []
}
