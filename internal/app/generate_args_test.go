package app_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
)

// GenerateArgs refuses what chorus generate's flags cannot mean, naming
// the flag, and makes a stored customer's request without touching files.
func TestGenerateArgs(t *testing.T) {
	for _, c := range []struct {
		args app.GenerateArgs
		want string
	}{
		{app.GenerateArgs{}, "--segment with --brief"},
		{app.GenerateArgs{Segment: "vip"}, "--brief FILE is required"},
		{app.GenerateArgs{Channel: "sms"}, "--customer ID or --profile"},
		{app.GenerateArgs{Channel: "sms", Customer: "c1", Profile: "age=30"}, "not both"},
		{app.GenerateArgs{Channel: "fax", Customer: "c1"}, "unknown channel"},
		{app.GenerateArgs{Channel: "sms", Profile: "age=30,interests=travel"}, "--product-file"},
	} {
		var err error
		if c.args.Single() {
			_, _, err = c.args.Message()
		} else {
			_, err = c.args.Campaign()
		}
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want Invalid naming %q", c.args, err, c.want)
		}
	}
	fc, fp, err := app.GenerateArgs{Channel: "sms", Customer: "c1", SKU: "P1", Lang: "en", Variants: 2}.Message()
	if err != nil || fp != nil || fc == nil || fc.CustomerID != "c1" || fc.SKU != "P1" || fc.Lang != "en" || fc.Variants != 2 || fc.Brief != nil {
		t.Fatalf("a stored customer's message: %+v %+v %v", fc, fp, err)
	}
}
