package cli

import (
	"strconv"

	"github.com/spf13/pflag"
)

// Optional is a flag value over *p that leaves *p nil unless the flag is
// given: for a setting whose absence means "not set, the configured or
// provider's default applies" (a sampling temperature, view-through
// credit). Help shows def as its default; the flag's type, parsing and
// messages are those of a plain flag of T.
func Optional[T int64 | float64 | bool](p **T, def T) pflag.Value {
	return &optional[T]{p: p, def: def}
}

type optional[T int64 | float64 | bool] struct {
	p   **T
	def T
}

func (o *optional[T]) String() string {
	v := o.def
	if *o.p != nil {
		v = **o.p
	}
	switch v := any(v).(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	default:
		return strconv.FormatBool(any(v).(bool))
	}
}

func (o *optional[T]) Set(s string) error {
	var v T
	var err error
	switch p := any(&v).(type) {
	case *int64:
		*p, err = strconv.ParseInt(s, 0, 64)
	case *float64:
		*p, err = strconv.ParseFloat(s, 64)
	case *bool:
		*p, err = strconv.ParseBool(s)
	}
	if err != nil {
		return err
	}
	*o.p = &v
	return nil
}

func (o *optional[T]) Type() string {
	switch any(o.def).(type) {
	case int64:
		return "int64"
	case float64:
		return "float64"
	}
	return "bool"
}
