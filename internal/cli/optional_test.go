package cli

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestOptional leaves the variables nil until their flags are given, and
// looks to help and to errors like the plain flag of its type.
func TestOptional(t *testing.T) {
	var temp *float64
	var seed *int64
	var view *bool
	f := pflag.NewFlagSet("x", pflag.ContinueOnError)
	BindFlag(f, "temperature", Optional(&temp, 0.8), &Entry{Flags: map[string]string{"temperature": "sampling temperature"}})
	BindFlag(f, "seed", Optional(&seed, 0), &Entry{})
	BindFlag(f, "view", Optional(&view, false), &Entry{})

	plain := pflag.NewFlagSet("plain", pflag.ContinueOnError)
	plain.Float64("temperature", 0.8, "sampling temperature")
	plain.Int64("seed", 0, "")
	plain.Bool("view", false, "")
	for _, name := range []string{"temperature", "seed", "view"} {
		got, want := f.Lookup(name), plain.Lookup(name)
		if got.DefValue != want.DefValue || got.Value.Type() != want.Value.Type() || got.NoOptDefVal != want.NoOptDefVal {
			t.Errorf("--%s: default %q type %q noopt %q; a plain flag has %q %q %q", name,
				got.DefValue, got.Value.Type(), got.NoOptDefVal, want.DefValue, want.Value.Type(), want.NoOptDefVal)
		}
	}
	if f.FlagUsages() != plain.FlagUsages() {
		t.Errorf("usages:\n%s\nplain:\n%s", f.FlagUsages(), plain.FlagUsages())
	}

	if err := f.Parse(nil); err != nil || temp != nil || seed != nil || view != nil {
		t.Fatalf("not given: %v %v %v %v; want all nil", err, temp, seed, view)
	}
	if err := f.Parse([]string{"--temperature", "0", "--seed", "7", "--view"}); err != nil {
		t.Fatal(err)
	}
	if temp == nil || *temp != 0 || seed == nil || *seed != 7 || view == nil || !*view {
		t.Errorf("given: temperature %v, seed %v, view %v", temp, seed, view)
	}

	err := f.Parse([]string{"--seed", "many"})
	perr := plain.Parse([]string{"--seed", "many"})
	if err == nil || perr == nil || err.Error() != perr.Error() || !strings.Contains(err.Error(), `"many"`) {
		t.Errorf("bad value: %v; a plain flag says %v", err, perr)
	}
}
