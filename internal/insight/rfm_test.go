package insight

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

func day0(d int, hour int) time.Time { return time.Date(2025, 1, 1+d, hour, 0, 0, 0, time.UTC) }

func TestComputeSaysWhatIsMissing(t *testing.T) {
	empty := NewBuilder()
	empty.AddCustomer(customer.Customer{ID: "a"})
	_, err := Compute(empty.Dataset(), DefaultOptions())
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "no purchases") {
		t.Errorf("no purchases: err = %v", err)
	}
	few := NewBuilder()
	for i := range 3 {
		few.AddEvent(event.Event{CustomerID: string(rune('a' + i)), Type: event.Purchase, Amount: 5, OccurredAt: day0(i, 0)})
	}
	_, err = Compute(few.Dataset(), DefaultOptions())
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "only 3 customers") {
		t.Errorf("3 buyers: err = %v", err)
	}
	opts := DefaultOptions()
	opts.Map = "nope"
	ds := syntheticBuyers(30)
	if _, err := Compute(ds, opts); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "rfm-package") {
		t.Errorf("unknown map: err = %v", err)
	}
	opts = DefaultOptions()
	opts.Breaks.Recency = []float64{30, 10, 90, 180}
	if _, err := Compute(ds, opts); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("descending breaks: err = %v", err)
	}
}

// syntheticBuyers makes n buyers, customer i with i%5+1 orders.
func syntheticBuyers(n int) *Dataset {
	b := NewBuilder()
	for i := range n {
		id := string(rune('A'+i/26)) + string(rune('a'+i%26))
		for k := range i%5 + 1 {
			b.AddEvent(event.Event{CustomerID: id, Type: event.Purchase, Amount: float64(10 + i), Quantity: 1,
				OrderID: id + string(rune('0'+k)), OccurredAt: day0(i+k*3, 0)})
		}
	}
	return b.Dataset()
}

func TestCustomBreaksAndMaps(t *testing.T) {
	ds := syntheticBuyers(40)
	opts := DefaultOptions()
	opts.CLVHorizonDays = 0
	opts.Breaks.Frequency = []float64{1, 2, 3, 4}
	opts.CustomMaps = map[string]SegmentMap{"vip": {Rules: []SegmentRule{{Name: "frequent", F: "4-5"}, {Name: "top_spend", Pattern: "^..5$"}}}}
	opts.Map = "vip"
	snap, err := Compute(ds, opts)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Frequency.Method != "breaks" {
		t.Fatalf("frequency method = %s", snap.Frequency.Method)
	}
	for _, m := range snap.Metrics {
		wantF := min(m.RFM.Frequency, 5)
		if m.RFM.F != wantF {
			t.Errorf("%s: %d orders scored F=%d with breaks 1,2,3,4; want %d", m.CustomerID, m.RFM.Frequency, m.RFM.F, wantF)
		}
		want := "others"
		switch {
		case m.RFM.F >= 4:
			want = "frequent"
		case m.RFM.M == 5:
			want = "top_spend"
		}
		if m.RFM.Segment != want {
			t.Errorf("%s score %s: segment %s, want %s", m.CustomerID, m.RFM.Score, m.RFM.Segment, want)
		}
	}
}

func TestQcutSemantics(t *testing.T) {
	// pandas: pd.qcut([1,2,3,4,5,6,7,8,9,10], 5, retbins=True) gives edges
	// [1, 2.8, 4.6, 6.4, 8.2, 10] and bins 1,1,2,2,3,3,4,4,5,5.
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	edges := QcutEdges(v, 5)
	want := []float64{1, 2.8, 4.6, 6.4, 8.2, 10}
	for i := range want {
		if math.Abs(edges[i]-want[i]) > 1e-12 {
			t.Fatalf("edges = %v, want %v", edges, want)
		}
	}
	for i, x := range v {
		if got := Bin(edges, x); got != i/2+1 {
			t.Errorf("bin(%g) = %d, want %d", x, got, i/2+1)
		}
	}
	// Right-closed: a value equal to an inner edge goes to the lower bin.
	if Bin([]float64{0, 10, 20}, 10) != 1 || Bin([]float64{0, 10, 20}, 0) != 1 || Bin([]float64{0, 10, 20}, 10.5) != 2 {
		t.Error("bins are not right-closed with the lowest including its left edge")
	}
	// rank(method="first"): ties by position.
	if got := RankFirst([]float64{3, 1, 3, 2, 1}); !equalFloats(got, []float64{4, 1, 5, 3, 2}) {
		t.Errorf("RankFirst = %v", got)
	}
	// Ids order numerically when numeric (pandas float CustomerID).
	if CompareIDs("9", "10") >= 0 || CompareIDs("12346", "12346.5") >= 0 || CompareIDs("100", "abc") >= 0 || CompareIDs("b", "a") <= 0 {
		t.Error("CompareIDs order")
	}
}

func TestRecencyTiesFallBackToRank(t *testing.T) {
	b := NewBuilder()
	for i := range 20 {
		day := 0
		if i >= 18 {
			day = 10 // 18 customers share one last-purchase day
		}
		id := string(rune('a' + i))
		b.AddEvent(event.Event{CustomerID: id, Type: event.Purchase, Amount: float64(i + 1), OrderID: id, OccurredAt: day0(day, 0)})
	}
	opts := DefaultOptions()
	opts.CLVHorizonDays = 0
	snap, err := Compute(b.Dataset(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if snap.Recency.Method != "rank" || len(snap.Notes) == 0 {
		t.Errorf("recency scoring = %+v, notes %v; want a rank fallback with a note", snap.Recency, snap.Notes)
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
