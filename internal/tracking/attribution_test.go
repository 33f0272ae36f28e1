package tracking

import (
	"math"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/event"
)

func TestAttribute(t *testing.T) {
	t0 := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	touches := []Touch{
		{CustomerID: "a", SendID: 1, Kind: KindClick, At: t0},
		{CustomerID: "a", SendID: 2, Kind: KindClick, At: t0.Add(2 * day)}, // a later click on another send wins
		{CustomerID: "b", SendID: 3, Kind: KindOpen, At: t0},
		{CustomerID: "c", SendID: 4, Kind: KindClick, At: t0},
		{CustomerID: "d", SendID: 5, Kind: KindClick, At: t0.Add(time.Hour)},
	}
	orders := []Order{
		{CustomerID: "a", ID: "a1", At: t0.Add(time.Hour), Net: 10},        // send 1
		{CustomerID: "a", ID: "a2", At: t0.Add(3 * day), Net: 20},          // send 2
		{CustomerID: "a", ID: "a3", At: t0.Add(9*day + time.Hour), Net: 5}, // past the window of send 2
		{CustomerID: "b", ID: "b1", At: t0.Add(time.Hour), Net: 7},         // open only: view-through
		{CustomerID: "c", ID: "c1", At: t0.Add(7 * day), Net: 9},           // exactly at the window's end: credited
		{CustomerID: "c", ID: "c2", At: t0.Add(time.Hour), Net: 0, Cancelled: true},
		{CustomerID: "d", ID: "d1", At: t0, Net: 3}, // before the click
		{CustomerID: "e", ID: "e1", At: t0, Net: 4}, // never touched
	}
	for _, tt := range []struct {
		name string
		rule Rule
		want map[string]int64 // order id → send
	}{
		{"last click", Rule{Window: 7 * day}, map[string]int64{"a1": 1, "a2": 2, "c1": 4}},
		{"view-through", Rule{Window: 7 * day, ViewThrough: true, ViewWindow: day}, map[string]int64{"a1": 1, "a2": 2, "c1": 4, "b1": 3}},
		{"short window", Rule{Window: 30 * time.Minute}, map[string]int64{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := map[string]int64{}
			for _, cr := range Attribute(orders, touches, tt.rule) {
				got[cr.Order.ID] = cr.SendID
				if want := ByClick; cr.Order.ID == "b1" {
					want = ByView
					if cr.By != want {
						t.Errorf("b1 credited by %s", cr.By)
					}
				} else if cr.By != want {
					t.Errorf("%s credited by %s", cr.Order.ID, cr.By)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("credits %v, want %v", got, tt.want)
			}
			for id, s := range tt.want {
				if got[id] != s {
					t.Errorf("order %s credited to send %d, want %d", id, got[id], s)
				}
			}
		})
	}
}

func TestNetRevenue(t *testing.T) {
	t0 := time.Date(2026, 11, 11, 10, 0, 0, 500_000_000, time.UTC)
	es := []event.Event{
		{Type: event.Refund, OrderID: "o1", SKU: "bag", Amount: -30, OccurredAt: t0.Add(48 * time.Hour)},
		{Type: event.Purchase, OrderID: "o1", SKU: "bag", Amount: 100, OccurredAt: t0},
		{Type: event.Purchase, OrderID: "o1", SKU: "lens", Amount: 50, OccurredAt: t0},
		{Type: event.Purchase, OrderID: "o2", SKU: "strap", Amount: 20, OccurredAt: t0.Add(time.Hour)},
		{Type: event.Refund, OrderID: "o2", SKU: "strap", Amount: -20, OccurredAt: t0.Add(2 * time.Hour)},
		{Type: event.Purchase, SKU: "card", Amount: 15, OccurredAt: t0.Add(3 * time.Hour)}, // no order id: one checkout
		{Type: event.Purchase, SKU: "pen", Amount: 5, OccurredAt: t0.Add(3 * time.Hour)},
		{Type: event.Refund, SKU: "card", Amount: -15, OccurredAt: t0.Add(4 * time.Hour)}, // names no order: the card line
		{Type: event.View, SKU: "bag", OccurredAt: t0},
	}
	got := NetRevenue("c1", es)
	want := []struct {
		id        string
		gross     float64
		net       float64
		cancelled bool
	}{{"o1", 150, 120, false}, {"o2", 20, 0, true}, {"", 20, 5, false}}
	if len(got) != len(want) {
		t.Fatalf("orders: %+v", got)
	}
	for i, w := range want {
		o := got[i]
		if o.ID != w.id || math.Abs(o.Gross-w.gross) > 1e-9 || math.Abs(o.Net-w.net) > 1e-9 || o.Cancelled != w.cancelled || o.CustomerID != "c1" {
			t.Errorf("order %d: %+v, want %+v", i, o, w)
		}
	}
	if !got[0].At.Equal(t0) {
		t.Errorf("order time %v, want the first line's %v to the microsecond", got[0].At, t0)
	}
}

func TestStopWordAndKeys(t *testing.T) {
	for text, stop := range map[string]bool{
		"STOP": true, " stop ": true, "ＳＴＯＰ": true, "T": true, "td": true, "退订": true, "我要退订，谢谢": true, "取消": true,
		"Stop.": true, "thanks": false, "好的": false, "": false, "TDX": false,
	} {
		if _, got := StopWord(text); got != stop {
			t.Errorf("StopWord(%q) = %v, want %v", text, got, stop)
		}
	}
	key := "3f2a0c9d8e7b6a5f4e3d2c1b0a998877"
	for id, want := range map[string]string{
		"msg_" + key: key, "<" + key + "@mail.shop.cn>": key, key + "@mail.shop.cn": key, key: key,
		"msg_xyz": "", "<abc@d>": "", "": "",
	} {
		if got := SendKeyOf(id); got != want {
			t.Errorf("SendKeyOf(%q) = %q, want %q", id, got, want)
		}
	}
}
