package adlaw_test

import (
	"fmt"

	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

func ExampleChecker_Check() {
	c, err := adlaw.Default()
	if err != nil {
		panic(err)
	}
	text := "第一次购买立减20元，这是最 佳的选择！"
	rep := c.Check(text, adlaw.Options{Lang: "zh"})
	fmt.Println(rep.Verdict)
	for _, f := range rep.Findings {
		fmt.Printf("%s [%d:%d] %q → %s, %s; try %q\n", f.Term, f.Start, f.End, text[f.Start:f.End], f.Category, f.Severity, f.Suggestion)
	}
	// Output:
	// block
	// 最佳 [35:42] "最 佳" → absolute, block; try "出色"
}
