package sqlstore

import (
	"reflect"
	"testing"

	"github.com/chorusmkt/chorus/internal/event"
)

func TestUnpackEventRow(t *testing.T) {
	type ints = [3]int64  // id, key, at
	type strs = [7]string // customer, type, sku, currency, order, channel, campaign
	for _, tc := range []struct {
		in   string
		ints ints
		strs strs
		bad  bool
	}{
		{in: `[1,-8202839498317429213,1291191960000000,"c1","purchase","SKU-1","GBP","536365","",""]`,
			ints: ints{1, -8202839498317429213, 1291191960000000}, strs: strs{"c1", "purchase", "SKU-1", "GBP", "536365", "", ""}},
		{in: `[2,0,-5,null,"view","S","","","web","spring"]`, ints: ints{2, 0, -5}, strs: strs{"", "view", "S", "", "", "web", "spring"}},
		{in: `[3,9223372036854775807,0,"a\"b\\c","purchase","line\nbreak","","订单/1","x\u0001y","[1,\"2\"]"]`,
			ints: ints{3, 9223372036854775807, 0}, strs: strs{`a"b\c`, "purchase", "line\nbreak", "", "订单/1", "x\x01y", `[1,"2"]`}},
		{in: `[4,1,2,"null","view","","","","",""]`, ints: ints{4, 1, 2}, strs: strs{"null", "view", "", "", "", "", ""}},
		{in: `[1,2,3,"c1","view","S","","","",""`, bad: true},
		{in: `[1,2,3,"c1","view","S","","",""]`, bad: true},
		{in: `[1,2,3,"c1","view","S","","","","",""]`, bad: true},
		{in: `[1,2,3,"c1","view","S","","","","x]`, bad: true},
		{in: `[1.5,2,3,"c1","view","S","","","",""]`, bad: true},
		{in: `[1,2,"3","c1","view","S","","","",""]`, bad: true},
		{in: `[1,2]`, bad: true},
		{in: `{"c1"}`, bad: true},
		{in: ``, bad: true},
	} {
		var e event.Event
		var at int64
		err := unpackEventRow(tc.in, &e, &at, map[string]string{})
		if tc.bad {
			if err == nil {
				t.Errorf("%s: no error, got %+v", tc.in, e)
			}
			continue
		}
		gotInts := ints{e.ID, e.Key, at}
		gotStrs := strs{e.CustomerID, e.Type, e.SKU, e.Currency, e.OrderID, e.Channel, e.Campaign}
		if err != nil || gotInts != tc.ints || gotStrs != tc.strs {
			t.Errorf("%s: got %v %q (%v), want %v %q", tc.in, gotInts, gotStrs, err, tc.ints, tc.strs)
		}
	}
}

func TestParseInt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"0", 0, true}, {"-5", -5, true}, {"1291191960000000", 1291191960000000, true},
		{"999999999999999999", 999999999999999999, true}, {"-999999999999999999", -999999999999999999, true},
		{"9223372036854775807", 9223372036854775807, true}, {"-9223372036854775808", -9223372036854775808, true},
		{"9223372036854775808", 0, false}, {"", 0, false}, {"-", 0, false}, {"1.5", 0, false}, {"1e3", 0, false},
		{"+1", 0, false}, {" 1", 0, false}, {"12a", 0, false},
	} {
		got, ok := parseInt(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
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

// BenchmarkUnpackEventRow measures the per-row cost of splitting the
// packed columns of a scan.
func BenchmarkUnpackEventRow(b *testing.B) {
	in := `[1,-8202839498317429213,1291191960000000,"17850","purchase","85123A","GBP","536365","",""]`
	intern := map[string]string{}
	var e event.Event
	var at int64
	b.ReportAllocs()
	for b.Loop() {
		if err := unpackEventRow(in, &e, &at, intern); err != nil {
			b.Fatal(err)
		}
	}
}
