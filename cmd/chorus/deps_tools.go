//go:build tools

// This file pins, for go mod tidy, the libraries chosen in STYLE.md that
// packages under construction are about to use. It is never compiled.
package main

import (
	_ "github.com/BobuSumisu/aho-corasick"
	_ "github.com/expr-lang/expr"
	_ "github.com/nyaruka/phonenumbers"
	_ "github.com/openai/openai-go/v3"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "golang.org/x/text/encoding/simplifiedchinese"
	_ "golang.org/x/text/unicode/norm"
	_ "golang.org/x/text/width"
	_ "golang.org/x/time/rate"
	_ "gonum.org/v1/gonum/optimize"
)
