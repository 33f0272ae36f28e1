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
