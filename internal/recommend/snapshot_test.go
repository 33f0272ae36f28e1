package recommend

import (
	"reflect"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// A restored snapshot must rank exactly like the model it was taken from,
// including rules, explanations and the fallback for unknown customers.
func TestSnapshotRoundTrip(t *testing.T) {
	d := shop(t)
	o := testOptions()
	o.Tune = true
	o.ValidationDays = 30
	m, err := Train(d, o)
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalModel(m)
	if err != nil {
		t.Fatal(err)
	}
	r, err := UnmarshalModel(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r.BlendWeights(), m.BlendWeights()) || !reflect.DeepEqual(r.Tuning, m.Tuning) {
		t.Fatalf("blend %v / %v", r.BlendWeights(), m.BlendWeights())
	}
	ids := append([]string{"probeA", "probeB", "probeC", "probeE", "nobody"}, d.Customers...)
	for _, c := range ids {
		x, _ := m.Recommend(c, 8)
		y, _ := r.Recommend(c, 8)
		if !reflect.DeepEqual(x, y) {
			t.Fatalf("%s: original %v\nrestored %v", c, x, y)
		}
		if m.Known(c) != r.Known(c) {
			t.Fatalf("%s: Known differs", c)
		}
	}
	if _, err := UnmarshalModel(b[:len(b)/2]); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("truncated snapshot: %v", err)
	}
}

func TestFingerprintChangesWithDataAndOptions(t *testing.T) {
	v := SourceVersion{Events: 10, MaxEventID: 10, MaxEventAt: 5}
	o := DefaultOptions()
	fp := Fingerprint(v, o)
	if fp != Fingerprint(v, o) {
		t.Fatal("fingerprint is not stable")
	}
	v2 := v
	v2.ProductsEdited = 1
	o2 := DefaultOptions()
	o2.ALS.Factors = 32
	for name, other := range map[string]string{"data": Fingerprint(v2, o), "options": Fingerprint(v, o2)} {
		if other == fp {
			t.Errorf("a change of %s keeps the fingerprint", name)
		}
	}
}
