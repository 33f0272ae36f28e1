package tracking

import (
	"net/netip"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

// Reasons a hit is judged a machine's.
const (
	ReasonAppleMPP = "apple_mpp"  // Apple Mail Privacy Protection's proxy fetched the pixel
	ReasonScanner  = "scanner"    // a security scanner's or a bot's user agent
	ReasonPrefetch = "prefetch"   // within seconds of the send: a scanner fetching every link
	ReasonHead     = "head"       // a HEAD request: a link checker, never a person
	ReasonNetwork  = "network"    // from a configured machine network
	ReasonNoAgent  = "no_agent"   // no user agent at all
	ReasonBurst    = "link_burst" // several links of one message clicked within a second
)

// appleMPPAgent is the whole user agent of Apple's Mail Privacy Protection
// proxy: it fetches remote content with exactly this string, where every
// mail client and browser sends a platform and engine after it.
const appleMPPAgent = "Mozilla/5.0"

// scannerAgents are substrings (lower case) of the user agents of mail
// security gateways, link scanners and HTTP libraries. Mail clients'
// image proxies (GoogleImageProxy, YahooMailProxy) fetch when a person
// opens, so they are not here.
var scannerAgents = []string{
	"barracuda", "mimecast", "proofpoint", "ppops", "messagelabs", "symantec", "trend micro", "trendmicro",
	"forcepoint", "sophos", "ironport", "cisco", "zscaler", "fortiguard", "fortinet", "checkpoint", "check point",
	"spamtitan", "mailcontrol", "bingpreview", "safelinks", "microsoft office existence discovery", "ms-office; msoffice",
	"googlebot", "bingbot", "yandexbot", "baiduspider", "slurp", "bot/", "crawler", "spider",
	"python-requests", "python-urllib", "aiohttp", "curl/", "wget/", "go-http-client", "java/", "okhttp",
	"libwww-perl", "apache-httpclient", "headlesschrome", "phantomjs", "scrapy",
}

// appleNetwork is Apple's own address block, from which part of Mail
// Privacy Protection's fetches come.
var appleNetwork = netip.MustParsePrefix("17.0.0.0/8")

// burstWindow is how close together clicks on different links of one
// message must be to be a scanner following them all.
const burstWindow = time.Second

// Detector judges whether a hit was made by a machine. The request alone
// decides most cases (Request); the send's time decides prefetches
// (Judge). It is safe for concurrent use.
type Detector struct {
	prefetch time.Duration
	agents   []string
	networks []netip.Prefix
}

// NewDetector builds the detector of tracking.machine. Errors are
// apperr.Invalid for a network that is not a CIDR range.
func NewDetector(c config.Machine) (*Detector, error) {
	d := &Detector{prefetch: c.PrefetchWindow.Std(), agents: scannerAgents, networks: []netip.Prefix{appleNetwork}}
	for _, a := range c.UserAgents {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			d.agents = append(d.agents[:len(d.agents):len(d.agents)], a)
		}
	}
	for i, n := range c.Networks {
		p, err := netip.ParsePrefix(strings.TrimSpace(n))
		if err != nil {
			return nil, apperr.New(apperr.Invalid, "tracking.machine.networks[%d] %q is not a CIDR range", i, n)
		}
		d.networks = append(d.networks, p.Masked())
	}
	return d, nil
}

// Request judges a request by itself: its method, user agent and address.
func (d *Detector) Request(c Client) (machine bool, reason string) {
	switch {
	case c.Method == "HEAD":
		return true, ReasonHead
	case strings.TrimSpace(c.UserAgent) == "":
		return true, ReasonNoAgent
	case strings.TrimSpace(c.UserAgent) == appleMPPAgent:
		return true, ReasonAppleMPP
	}
	if c.Addr.IsValid() {
		a := c.Addr.Unmap()
		if appleNetwork.Contains(a) {
			return true, ReasonAppleMPP
		}
		for _, n := range d.networks[1:] {
			if n.Contains(a) {
				return true, ReasonNetwork
			}
		}
	}
	ua := strings.ToLower(c.UserAgent)
	for _, s := range d.agents {
		if strings.Contains(ua, s) {
			return true, ReasonScanner
		}
	}
	return false, ""
}

// Prefetch reports whether a hit at at on a message sent at sent is too
// early to be a person's: a scanner fetching the links as the message
// arrives. An unknown send time never is.
func (d *Detector) Prefetch(at, sent time.Time) bool {
	if d.prefetch <= 0 || sent.IsZero() {
		return false
	}
	gap := at.Sub(sent)
	return gap >= -time.Minute && gap < d.prefetch // a minute of clock skew between processes
}

// Judge sets the machine flag of a batch of opens and clicks (in arrival
// order) with their sends' rows: first the request (already judged when
// Machine is set), then the prefetch window, then bursts, where one send
// has clicks on different links within a second of each other (every
// click of the burst is a machine's).
func (d *Detector) Judge(hits []Hit, sends map[int64]SendRef) {
	type linkAt struct {
		link int
		at   time.Time
		i    int
	}
	clicks := map[int64][]linkAt{}
	for i := range hits {
		h := &hits[i]
		if h.Kind != KindOpen && h.Kind != KindClick {
			continue
		}
		if !h.Machine {
			if s, ok := sends[h.SendID]; ok && d.Prefetch(h.At, s.SentAt) {
				h.Machine, h.MachineReason = true, ReasonPrefetch
			}
		}
		if h.Kind == KindClick {
			clicks[h.SendID] = append(clicks[h.SendID], linkAt{h.Link, h.At, i})
		}
	}
	for _, cs := range clicks {
		for a := range cs {
			for b := range cs {
				if a == b || cs[a].link == cs[b].link {
					continue
				}
				if gap := cs[a].at.Sub(cs[b].at); gap < burstWindow && gap > -burstWindow {
					if h := &hits[cs[a].i]; !h.Machine {
						h.Machine, h.MachineReason = true, ReasonBurst
					}
				}
			}
		}
	}
}
