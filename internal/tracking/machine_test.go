package tracking

import (
	"net/netip"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/config"
)

const thunderbird = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.3.0"

func TestDetectorRequest(t *testing.T) {
	d, err := NewDetector(config.Machine{PrefetchWindow: config.Duration(10 * time.Second),
		UserAgents: []string{"AcmeGuard"}, Networks: []string{"104.28.0.0/16"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name   string
		c      Client
		reason string
	}{
		{"mail client", Client{UserAgent: thunderbird, Addr: netip.MustParseAddr("203.0.113.9"), Method: "GET"}, ""},
		{"gmail image proxy is a person opening", Client{UserAgent: "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)", Method: "GET"}, ""},
		{"iphone mail", Client{UserAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148", Method: "GET"}, ""},
		{"apple mpp proxy agent", Client{UserAgent: "Mozilla/5.0", Method: "GET"}, ReasonAppleMPP},
		{"apple network", Client{UserAgent: thunderbird, Addr: netip.MustParseAddr("17.58.1.2"), Method: "GET"}, ReasonAppleMPP},
		{"apple network mapped in v6", Client{UserAgent: thunderbird, Addr: netip.MustParseAddr("::ffff:17.58.1.2"), Method: "GET"}, ReasonAppleMPP},
		{"configured network", Client{UserAgent: thunderbird, Addr: netip.MustParseAddr("104.28.7.7"), Method: "GET"}, ReasonNetwork},
		{"head", Client{UserAgent: thunderbird, Method: "HEAD"}, ReasonHead},
		{"no agent", Client{Method: "GET"}, ReasonNoAgent},
		{"scanner", Client{UserAgent: "Mozilla/5.0 (compatible; Barracuda Sentinel)", Method: "GET"}, ReasonScanner},
		{"library", Client{UserAgent: "python-requests/2.31", Method: "GET"}, ReasonScanner},
		{"configured agent", Client{UserAgent: "acmeguard/3", Method: "GET"}, ReasonScanner},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, why := d.Request(tt.c)
			if m != (tt.reason != "") || why != tt.reason {
				t.Errorf("Request = %v %q, want %q", m, why, tt.reason)
			}
		})
	}
	if _, err := NewDetector(config.Machine{Networks: []string{"not a net"}}); err == nil {
		t.Error("a bad network was accepted")
	}
}

func TestDetectorJudge(t *testing.T) {
	d, _ := NewDetector(config.Machine{PrefetchWindow: config.Duration(10 * time.Second)})
	sent := time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC)
	sends := map[int64]SendRef{1: {ID: 1, SentAt: sent}, 2: {ID: 2, SentAt: sent}, 3: {ID: 3}}
	hits := []Hit{
		{SendID: 1, Kind: KindOpen, At: sent.Add(3 * time.Second)},     // prefetch
		{SendID: 1, Kind: KindOpen, At: sent.Add(10 * time.Second)},    // person (window is [0, 10s))
		{SendID: 2, Kind: KindClick, Link: 0, At: sent.Add(time.Hour)}, // burst with the next
		{SendID: 2, Kind: KindClick, Link: 1, At: sent.Add(time.Hour + 300*time.Millisecond)},
		{SendID: 2, Kind: KindClick, Link: 1, At: sent.Add(time.Hour + 5*time.Second)}, // later, alone
		{SendID: 3, Kind: KindOpen, At: sent},                                          // send time unknown: no prefetch rule
		{SendID: 1, Kind: KindClick, Link: 0, At: sent.Add(time.Hour), Machine: true, MachineReason: ReasonScanner},
		{SendID: 1, Kind: KindDelivered, At: sent.Add(time.Second)},
	}
	d.Judge(hits, sends)
	want := []string{ReasonPrefetch, "", ReasonBurst, ReasonBurst, "", "", ReasonScanner, ""}
	for i, h := range hits {
		if h.MachineReason != want[i] || h.Machine != (want[i] != "") {
			t.Errorf("hit %d: machine %v %q, want %q", i, h.Machine, h.MachineReason, want[i])
		}
	}
	// repeated clicks on one link around a click on another: all of them
	// are the burst; 20,000 clicks of one send are judged in one pass
	t1 := sent.Add(2 * time.Hour)
	burst := []Hit{
		{SendID: 9, Kind: KindClick, Link: 0, At: t1}, {SendID: 9, Kind: KindClick, Link: 0, At: t1.Add(100 * time.Millisecond)},
		{SendID: 9, Kind: KindClick, Link: 0, At: t1.Add(200 * time.Millisecond)}, {SendID: 9, Kind: KindClick, Link: 1, At: t1.Add(300 * time.Millisecond)},
		{SendID: 9, Kind: KindClick, Link: 1, At: t1.Add(5 * time.Second)},
	}
	d.Judge(burst, nil)
	for i, h := range burst {
		if h.Machine != (i < 4) {
			t.Errorf("burst click %d: machine %v", i, h.Machine)
		}
	}
	many := make([]Hit, 20000)
	for i := range many {
		many[i] = Hit{SendID: 7, Kind: KindClick, Link: 0, At: t1.Add(time.Duration(i) * time.Millisecond)}
	}
	d.Judge(many, nil)
	for _, h := range many {
		if h.Machine {
			t.Fatal("clicks on one link are no burst")
		}
	}
	off, _ := NewDetector(config.Machine{})
	if off.Prefetch(sent.Add(time.Second), sent) {
		t.Error("prefetch window 0 should turn the rule off")
	}
}
