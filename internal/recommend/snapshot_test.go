package recommend

import (
	"bytes"
	"encoding/gob"
	"os"
	"reflect"
	"slices"
	"strings"
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

func TestFingerprintChangesWithDataOptionsAndFormat(t *testing.T) {
	v := SourceVersion{Events: 10, MaxEventID: 10, MaxEventAt: 5}
	o := DefaultOptions()
	fp := Fingerprint(v, o)
	if fp != Fingerprint(v, o) {
		t.Fatal("fingerprint is not stable")
	}
	v2 := v
	v2.ProductsDescribed = 1
	// availability edits alone are refreshed, not retrained (LoadOrTrain)
	v3 := v
	v3.ProductsEdited = 1
	if Fingerprint(v3, o) != fp {
		t.Error("a stock or price edit changes the fingerprint")
	}
	o2 := DefaultOptions()
	o2.ALS.Factors = 32
	// A store holding a snapshot of an older format finds no current one.
	for name, other := range map[string]string{"data": Fingerprint(v2, o), "options": Fingerprint(v, o2), "format": fingerprint(snapshotFormat-1, v, o)} {
		if other == fp {
			t.Errorf("a change of %s keeps the fingerprint", name)
		}
	}
}

// The history recency weights are stored once, shared by item-to-item,
// re-buy and content; content gets its own only when its half-life is
// set apart, and then round-trips too.
func TestSnapshotStoresHistoryWeightsOnce(t *testing.T) {
	for _, tc := range []struct {
		name        string
		contentDays float64
		ownContent  bool
	}{
		{"shared", 0, false},
		{"content apart", 7, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := shop(t)
			o := testOptions()
			if tc.contentDays > 0 {
				o.ContentHalfLife = tc.contentDays
			}
			m, err := Train(d, o)
			if err != nil {
				t.Fatal(err)
			}
			if m.knn.hist == nil || &m.knn.hist[0] != &m.hist[0] || &m.rebuy.hist[0] != &m.hist[0] {
				t.Fatal("item-to-item and re-buy do not share the model's history weights")
			}
			if shared := &m.content.hist[0] == &m.hist[0]; shared == tc.ownContent {
				t.Fatalf("content shares the history weights: %v", shared)
			}
			b, err := MarshalModel(m)
			if err != nil {
				t.Fatal(err)
			}
			var g modelGob
			if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&g); err != nil {
				t.Fatal(err)
			}
			if len(g.Hist) != m.ts.ui.nnz() || (g.ContHist != nil) != tc.ownContent {
				t.Fatalf("stored %d history weights for %d pairs, content's own: %v", len(g.Hist), m.ts.ui.nnz(), g.ContHist != nil)
			}
			r, err := UnmarshalModel(b)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(r.content.hist, m.content.hist) || !slices.Equal(r.knn.hist, m.knn.hist) || !slices.Equal(r.rebuy.hist, m.rebuy.hist) {
				t.Fatal("restored history weights differ")
			}
			for _, c := range append([]string{"probeA", "probeC", "probeE"}, d.Customers...) {
				x, _ := m.Recommend(c, 8)
				y, _ := r.Recommend(c, 8)
				if !reflect.DeepEqual(x, y) {
					t.Fatalf("%s: original %v\nrestored %v", c, x, y)
				}
			}
		})
	}
}

// testdata/snapshot-format3.gob is a model of shop() with testOptions()
// as MarshalModel wrote it before format 4 (commit 506f9f0, which stored
// the history weights twice). It must be refused as Invalid, the cache
// miss that makes callers retrain, never decoded into a model.
func TestSnapshotOfAnOlderFormatIsRefused(t *testing.T) {
	b, err := os.ReadFile("testdata/snapshot-format3.gob")
	if err != nil {
		t.Fatal(err)
	}
	m, err := UnmarshalModel(b)
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "format 3") {
		t.Fatalf("format 3 snapshot: %v, %v", m, err)
	}
	// Even if the format check were lost, the missing history weights
	// must not pass for a model.
	var g modelGob
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(&g); err != nil {
		t.Fatal(err)
	}
	g.Format = snapshotFormat
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(&g); err != nil {
		t.Fatal(err)
	}
	if _, err := UnmarshalModel(buf.Bytes()); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("format 3 fields under format %d: %v", snapshotFormat, err)
	}
}
