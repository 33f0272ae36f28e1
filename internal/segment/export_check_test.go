package segment

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestExportOptionsCheck(t *testing.T) {
	for _, tt := range []struct {
		o  ExportOptions
		ok bool
	}{
		{ExportOptions{}, true},
		{ExportOptions{IncludeContact: true}, true},
		{ExportOptions{IncludeContact: true, IgnoreConsent: true, Purpose: "order service notice"}, true},
		{ExportOptions{IgnoreConsent: true, Purpose: "order service notice"}, false},
		{ExportOptions{IncludeContact: true, IgnoreConsent: true, Purpose: "  "}, false},
	} {
		if err := tt.o.Check(); (err == nil) != tt.ok || (err != nil && !apperr.Is(err, apperr.Invalid)) {
			t.Errorf("%+v: Check = %v", tt.o, err)
		}
	}
}

func TestCheckRefresh(t *testing.T) {
	if err := CheckRefresh("vip", nil); err != nil {
		t.Errorf("a segment alone: %v", err)
	}
	if err := CheckRefresh("", []string{"C1"}); err != nil {
		t.Errorf("customers alone: %v", err)
	}
	if err := CheckRefresh("vip", []string{"C1"}); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("both: %v, want Invalid", err)
	}
}
