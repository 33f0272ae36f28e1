package sqlstore

import (
	"reflect"
	"testing"

	"github.com/chorusmkt/chorus/internal/event"
)

func TestUnpackEventTexts(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want [7]string // customer, type, sku, currency, order, channel, campaign
		bad  bool
	}{
		{in: `["c1","purchase","SKU-1","GBP","536365","",""]`, want: [7]string{"c1", "purchase", "SKU-1", "GBP", "536365", "", ""}},
		{in: `[null,"view","S","","","web","spring"]`, want: [7]string{"", "view", "S", "", "", "web", "spring"}},
		{in: `["a\"b\\c","purchase","line\nbreak","","订单/1","x\u0001y","[1,\"2\"]"]`,
			want: [7]string{`a"b\c`, "purchase", "line\nbreak", "", "订单/1", "x\x01y", `[1,"2"]`}},
		{in: `["null","view","","","","",""]`, want: [7]string{"null", "view", "", "", "", "", ""}},
		{in: `["c1","view","S","","","",""`, bad: true},
		{in: `["c1","view","S","","",""]`, bad: true},
		{in: `["c1","view","S","","","","",""]`, bad: true},
		{in: `["c1","view","S","","","","x]`, bad: true},
		{in: `{"c1"}`, bad: true},
		{in: ``, bad: true},
	} {
		var e event.Event
		err := unpackEventTexts(tc.in, &e, map[string]string{})
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error, got %+v", tc.in, e)
			}
			continue
		}
		got := [7]string{e.CustomerID, e.Type, e.SKU, e.Currency, e.OrderID, e.Channel, e.Campaign}
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q (%v), want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestFlatStringObject(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]any // nil: left to encoding/json
	}{
		{`{"country":"United Kingdom"}`, map[string]any{"country": "United Kingdom"}},
		{`{"country": "France", "utm": "邮件"}`, map[string]any{"country": "France", "utm": "邮件"}}, // PostgreSQL's JSONB spacing
		{`{"a":"","a":"2"}`, map[string]any{"a": "2"}},
		{`{"n":3}`, nil},
		{`{"q":"a\"b"}`, nil},
		{`{"nested":{"a":"b"}}`, nil},
		{`{"a":"b"} `, nil},
		{`{"a":"b",}`, nil},
		{`{"a" "b"}`, nil},
		{`{"a":"b"`, nil},
		{`["a"]`, nil},
	} {
		if got := flatStringObject(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

// BenchmarkUnpackEventTexts measures the per-row cost of splitting the
// packed text columns of a scan.
func BenchmarkUnpackEventTexts(b *testing.B) {
	in := `["17850","purchase","85123A","GBP","536365","",""]`
	intern := map[string]string{}
	var e event.Event
	b.ReportAllocs()
	for b.Loop() {
		if err := unpackEventTexts(in, &e, intern); err != nil {
			b.Fatal(err)
		}
	}
}
