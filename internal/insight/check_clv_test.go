package insight

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestCheckCLV(t *testing.T) {
	for _, tt := range []struct {
		horizon int
		rate    float64
		ok      bool
	}{{365, 0.1, true}, {1, 0, true}, {0, 0.1, false}, {-5, 0.1, false}, {365, -0.01, false}, {365, 1, false}} {
		err := CheckCLV(tt.horizon, tt.rate)
		if (err == nil) != tt.ok || (err != nil && !apperr.Is(err, apperr.Invalid)) {
			t.Errorf("CheckCLV(%d, %g) = %v", tt.horizon, tt.rate, err)
		}
	}
}
