package support

import (
	_ "embed"
	"strings"
)

//go:embed testdata/eval_demo.jsonl
var demoEvalSet string

// DemoEvalSet is the shipped evaluation set over the demo shop (chorus
// demo, seed 42): the file internal/support/testdata/eval_demo.jsonl.
func DemoEvalSet() []EvalCase {
	cases, err := ReadEvalCases(strings.NewReader(demoEvalSet))
	if err != nil {
		panic(err) // the embedded file is tested
	}
	return cases
}
