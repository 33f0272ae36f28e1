package tracking

import (
	"net/netip"
	"slices"
	"strings"
	"sync"
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

	// verdicts caches what each user agent string is judged: a mail
	// client's agent repeats on every open and click, and matching the
	// list is the costliest part of a hit. It is cleared when it holds
	// agentCacheMax agents, so made-up agents cannot grow it.
	mu       sync.RWMutex
	verdicts map[string]bool
}

const agentCacheMax = 10_000

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
	switch ua := strings.TrimSpace(c.UserAgent); {
	case c.Method == "HEAD":
		return true, ReasonHead
	case ua == "":
		return true, ReasonNoAgent
	case ua == appleMPPAgent:
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
	if d.scanner(c.UserAgent) {
		return true, ReasonScanner
	}
	return false, ""
}

// scanner reports whether ua names a scanner, bot or HTTP library.
func (d *Detector) scanner(ua string) bool {
	d.mu.RLock()
	v, ok := d.verdicts[ua]
	d.mu.RUnlock()
	if ok {
		return v
	}
	lower := strings.ToLower(ua)
	for _, s := range d.agents {
		if strings.Contains(lower, s) {
			v = true
			break
		}
	}
	d.mu.Lock()
	if d.verdicts == nil || len(d.verdicts) >= agentCacheMax {
		d.verdicts = make(map[string]bool, 256)
	}
	d.verdicts[strings.Clone(ua)] = v
	d.mu.Unlock()
	return v
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
// click of the burst is a machine's). It takes O(n log n) time, however
// the clicks are spread over sends.
func (d *Detector) Judge(hits []Hit, sends map[int64]SendRef) {
	clicks := map[int64][]int{}
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
			clicks[h.SendID] = append(clicks[h.SendID], i)
		}
	}
	for _, is := range clicks {
		if len(is) < 2 {
			continue
		}
		slices.SortStableFunc(is, func(a, b int) int { return hits[a].At.Compare(hits[b].At) })
		burst := make([]bool, len(is))
		// mark flags each click that has a click on another link within
		// burstWindow on one side, scanning in order: last is the latest
		// click's link and time, other the latest time of any other link.
		mark := func(order []int) {
			lastLink, otherAt := -1, time.Time{}
			var lastAt time.Time
			for _, pos := range order {
				h := hits[is[pos]]
				prev := lastAt
				if h.Link == lastLink {
					prev = otherAt
				}
				if lastLink >= 0 && !prev.IsZero() {
					if gap := h.At.Sub(prev); gap < burstWindow && gap > -burstWindow {
						burst[pos] = true
					}
				}
				if h.Link != lastLink {
					otherAt = lastAt
					lastLink = h.Link
				}
				lastAt = h.At
			}
		}
		fwd := make([]int, len(is))
		for k := range fwd {
			fwd[k] = k
		}
		mark(fwd)
		slices.Reverse(fwd)
		mark(fwd)
		for k, b := range burst {
			if h := &hits[is[k]]; b && !h.Machine {
				h.Machine, h.MachineReason = true, ReasonBurst
			}
		}
	}
}
