package demo

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/event"
)

// Buyer kinds: how a customer behaves over the year.
const (
	KindNever   = "never"    // browses, never buys
	KindOneTime = "one_time" // buys once
	KindRepeat  = "repeat"   // buys again on a personal cadence
	KindChurned = "churned"  // bought repeatedly, stopped months ago
)

// gen holds what every part of the generator shares. It is built per
// Generate call; nothing is global.
type gen struct {
	seed       int64
	start, end time.Time
	days       int
	seasons    map[string]*season
	products   []catalog.Product
	prod       map[string]*prodInfo
	byInterest map[string]map[string][]*prodInfo // lang -> interest -> products
	all        map[string][]*prodInfo            // lang -> products
	locs       map[string]*time.Location
	sends      map[string][]campaign // lang -> campaigns in time order
}

type prodInfo struct {
	p          catalog.Product
	m          model
	notBefore  time.Time // listed
	notAfter   time.Time // withdrawn or sold out from then on (zero: never)
	popularity float64
}

// rng returns an independent stream for one named part of the shop, so
// that adding a customer or a product never reshuffles the others.
func (g *gen) rng(name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(uint64(g.seed), h.Sum64()))
}

func newGen(opts Options) (*gen, error) {
	g := &gen{
		seed:       opts.Seed,
		end:        opts.End,
		start:      opts.End.AddDate(-1, 0, 0),
		seasons:    map[string]*season{},
		prod:       map[string]*prodInfo{},
		byInterest: map[string]map[string][]*prodInfo{},
		all:        map[string][]*prodInfo{},
		locs:       map[string]*time.Location{},
	}
	g.days = int(math.Ceil(g.end.Sub(g.start).Hours() / 24))
	day0 := time.Date(g.start.Year(), g.start.Month(), g.start.Day(), 0, 0, 0, 0, time.UTC)
	for _, lang := range []string{LangZH, LangEN} {
		g.seasons[lang] = newSeason(lang, day0, g.days+1)
	}
	for _, cs := range [][]city{zhCities, enCities} {
		for _, c := range cs {
			if _, ok := g.locs[c.zone]; ok {
				continue
			}
			loc, err := time.LoadLocation(c.zone)
			if err != nil {
				return nil, fmt.Errorf("demo: time zone %s: %w", c.zone, err)
			}
			g.locs[c.zone] = loc
		}
	}
	g.sends = map[string][]campaign{LangZH: g.campaigns(LangZH), LangEN: g.campaigns(LangEN)}
	g.products = buildCatalog(g.rng, g.end)
	for i := range g.products {
		p := g.products[i]
		m := models[i%len(models)]
		info := &prodInfo{p: p, m: m, notBefore: p.CreatedAt, popularity: m.pop}
		if info.popularity == 0 {
			info.popularity = 1
		}
		switch {
		case !p.Active:
			info.notAfter = g.end.AddDate(0, -4, 0) // withdrawn in early summer
		case p.Stock == 0:
			info.notAfter = g.end.AddDate(0, 0, -24) // sold out three weeks ago
		}
		g.prod[p.SKU] = info
		if g.byInterest[p.Language] == nil {
			g.byInterest[p.Language] = map[string][]*prodInfo{}
		}
		g.byInterest[p.Language][m.interest] = append(g.byInterest[p.Language][m.interest], info)
		g.all[p.Language] = append(g.all[p.Language], info)
	}
	return g, nil
}

// person is a customer with the hidden traits that drive their behaviour.
type person struct {
	idx       int
	c         customer.Customer
	lang      string
	loc       *time.Location
	interests []string // interest keys, strongest first
	kind      string
	cadence   float64 // mean days between orders, for repeat buyers
	churnAt   time.Time
	priceExp  float64 // >0 favours dearer products, <0 cheaper ones
	browse    float64 // browsing sessions per month
	pref      string  // preferred marketing channel
	seed      bool    // the seed persona
	consents  []customer.Consent
	revokedAt map[string]time.Time // channel -> marketing revoked at
	orders    []*order
	revenue   float64
}

type order struct {
	lang    string
	cust    string
	at      time.Time
	lines   []line
	refund  *refund
	id      string
	seq     int // generation order, the tie-break for equal times
	channel string
	// email and phone are a guest checkout's contact, carried on its
	// purchase events (a member's is her customer record's)
	email, phone string
}

type line struct {
	sku   string
	qty   int
	price float64
	curr  string
}

type refund struct {
	at     time.Time
	lines  []int
	reason string
}

// hourWeights is when people shop online, by local hour: a lunch bump and
// an evening peak.
var hourWeights = []float64{
	1.2, 0.7, 0.4, 0.2, 0.15, 0.2, 0.4, 0.9, 1.5, 1.8, 2.0, 2.2,
	3.0, 2.8, 2.0, 2.0, 2.1, 2.3, 2.6, 3.4, 4.2, 4.6, 4.0, 2.6,
}

// instant turns a (fractional) day offset of the window into a local time
// of day drawn from hourWeights, then UTC, clamped into the window.
func (g *gen) instant(r *rand.Rand, p *person, d float64) time.Time {
	day := g.start.AddDate(0, 0, int(math.Floor(d)))
	y, m, dd := day.Date()
	h := pickWeighted(r, hourWeights)
	t := time.Date(y, m, dd, h, r.IntN(60), r.IntN(60), 0, p.loc).UTC()
	return g.clamp(r, t)
}

func (g *gen) clamp(r *rand.Rand, t time.Time) time.Time {
	if !t.Before(g.end) {
		return g.end.Add(-time.Duration(60+r.IntN(6*3600)) * time.Second)
	}
	if t.Before(g.start) {
		return g.start.Add(time.Duration(60+r.IntN(6*3600)) * time.Second)
	}
	return t
}

func (g *gen) offset(t time.Time) float64 { return t.Sub(g.start).Hours() / 24 }

// SeedPersonaID is the customer id of the seed persona: a 25-year-old
// female designer in 上海 who likes 时尚, 旅行 and 摄影. She left the camera
// bag (CameraBagSKU) in her cart three days before the end of the data.
const SeedPersonaID = "C000001"

// CameraBagSKU is the Chinese listing of the camera bag the walkthroughs
// use (时尚相机包: 防水, 防震, 轻便, 大容量); CameraBagSKUEN is its English one.
const (
	CameraBagSKU   = "CN-PHOTO-BAG01"
	CameraBagSKUEN = "US-PHOTO-BAG01"
)

func customerID(i int) string { return fmt.Sprintf("C%06d", i+1) }

// newPerson draws customer i. Customer 0 is always the seed persona.
func (g *gen) newPerson(i int) *person {
	r := g.rng(fmt.Sprintf("customer/%d", i))
	p := &person{idx: i, revokedAt: map[string]time.Time{}}
	p.lang = LangEN
	if i == 0 || r.Float64() < 0.6 {
		p.lang = LangZH
	}
	age := pickAge(r)
	gender := "male"
	if r.Float64() < 0.58 { // the shop's audience leans female
		gender = "female"
	}
	occ := pickOccupation(r, age)
	cities := enCities
	if p.lang == LangZH {
		cities = zhCities
	}
	ct := pickCity(r, cities)
	p.interests = pickInterests(r, occ, gender, age)
	if i == 0 {
		p.seed = true
		age, gender = 25, "female"
		occ = occupations[0] // 设计师
		ct = zhCities[0]     // 上海
		p.interests = []string{"fashion", "travel", "photography"}
	}
	p.loc = g.locs[ct.zone]
	c := customer.Customer{
		ID:        customerID(i),
		Gender:    gender,
		BirthYear: g.end.Year() - age,
		City:      ct.name,
		Country:   ct.country,
		TimeZone:  ct.zone,
		Language:  p.lang,
		Phone:     ct.phone(r),
	}
	var local string
	if p.lang == LangZH {
		c.Name, local = zhName(r, gender)
		c.Occupation = occ.zh
		c.Address = fmt.Sprintf("%s市%s%s%d号", ct.name, ct.district[r.IntN(len(ct.district))],
			zhRoads[r.IntN(len(zhRoads))], 1+r.IntN(999))
	} else {
		c.Name, local = enName(r, gender)
		c.Occupation = occ.en
		c.Address = fmt.Sprintf("%d %s, %s, %s", 1+r.IntN(400), enStreets[r.IntN(len(enStreets))],
			ct.district[r.IntN(len(ct.district))], ct.name)
	}
	if i == 0 {
		c.Name, local = "王芳", "wangfang"
	}
	// Reused names get a number, as real mailbox names do.
	if r.Float64() < 0.6 {
		local += fmt.Sprint(10 + r.IntN(990))
	}
	c.Email = local + "@" + mailDomains[r.IntN(len(mailDomains))]
	for _, k := range p.interests {
		c.Interests = append(c.Interests, InterestLabel(k, p.lang))
	}

	// Kind and dates. A third of the customers signed up before the window;
	// sign-ups within it grow slowly towards the end.
	switch x := r.Float64(); {
	case p.seed:
		p.kind = KindRepeat
	case x < 0.18:
		p.kind = KindNever
	case x < 0.42:
		p.kind = KindOneTime
	case x < 0.85:
		p.kind = KindRepeat
	default:
		p.kind = KindChurned
	}
	var created time.Time
	switch {
	case p.seed:
		created = g.start.AddDate(0, -7, 0).Add(14*time.Hour + 23*time.Minute)
	case p.kind == KindChurned:
		p.churnAt = g.end.Add(-time.Duration(90+r.IntN(180)) * 24 * time.Hour)
		latest := g.offset(p.churnAt) - 75
		created = g.start.Add(time.Duration((latest - r.Float64()*(latest+500)) * 24 * float64(time.Hour)))
	case r.Float64() < 0.33:
		created = g.start.Add(-time.Duration((20 + r.Float64()*900) * 24 * float64(time.Hour)))
	default:
		created = g.start.Add(time.Duration(math.Pow(r.Float64(), 0.85) * float64(g.days-3) * 24 * float64(time.Hour)))
	}
	c.CreatedAt = created.UTC().Truncate(time.Second)
	c.UpdatedAt = c.CreatedAt
	p.c = c

	// Cadence: a log-normal around 45 days; people who love consumables
	// (beauty, food, parenting) come back sooner.
	p.cadence = math.Exp(math.Log(45) + 0.55*r.NormFloat64())
	for _, k := range p.interests[:2] {
		if k == "beauty" || k == "food" || k == "parenting" {
			p.cadence *= 0.75
		}
	}
	p.cadence = min(max(p.cadence, 12), 160)
	if p.seed {
		p.cadence = 38
	}
	p.priceExp = 0.5 * r.NormFloat64()
	p.browse = math.Exp(math.Log(0.9) + 0.6*r.NormFloat64())
	if p.kind == KindNever {
		p.browse *= 0.7
	}
	p.pref = prefChannel(r, p.lang)
	if p.seed {
		p.pref = customer.ChannelWeChat
		p.priceExp = 0.6
	}
	return p
}

var zhRoads = []string{"淮海中路", "南京西路", "天目山路", "建国路", "人民路", "中山路", "解放路", "科技园路", "文三路", "天府大道"}
var enStreets = []string{"Oak Street", "Maple Avenue", "High Street", "Church Road", "Park Lane", "King Street",
	"Elm Street", "Victoria Road", "George Street", "Station Road"}

// channelMix is the share of customers who grant each marketing channel at
// sign-up, and how often it is the channel they actually read.
var channelMix = map[string][]struct {
	ch          string
	grant, pref float64
}{
	LangZH: {{customer.ChannelWeChat, 0.80, 45}, {customer.ChannelSMS, 0.62, 20}, {customer.ChannelPush, 0.45, 20}, {customer.ChannelEmail, 0.35, 15}},
	LangEN: {{customer.ChannelEmail, 0.86, 60}, {customer.ChannelPush, 0.45, 25}, {customer.ChannelSMS, 0.35, 15}, {customer.ChannelWeChat, 0.02, 0.5}},
}

func prefChannel(r *rand.Rand, lang string) string {
	mix := channelMix[lang]
	w := make([]float64, len(mix))
	for i, m := range mix {
		w[i] = m.pref
	}
	return mix[pickWeighted(r, w)].ch
}

// consentSource names where a ledger entry came from.
const (
	SourceSignup   = "signup form"
	SourceCheckout = "checkout"
)

// unsubscribeSource is how a revocation arrives on each channel.
var unsubscribeSource = map[string]string{
	customer.ChannelEmail:  "unsubscribe link",
	customer.ChannelSMS:    "sms reply TD",
	customer.ChannelPush:   "push settings",
	customer.ChannelWeChat: "wechat menu",
}

// simulate draws one customer's year: orders (with their funnel), browsing
// and cart abandonment, consents and revocations, and engagement with
// campaigns. Purchase and refund events are emitted later, once order ids
// are assigned in time order.
func (g *gen) simulate(p *person, seq *int) (events []event.Event) {
	r := g.rng(fmt.Sprintf("behaviour/%d", p.idx))
	ss := g.seasons[p.lang]
	from := max(g.offset(p.c.CreatedAt), 0)
	until := float64(g.days)
	if p.kind == KindChurned {
		until = g.offset(p.churnAt)
	}

	// Orders.
	var times []float64
	switch p.kind {
	case KindOneTime:
		if r.Float64() < 0.6 && from < float64(g.days)-1 {
			times = append(times, from+r.ExpFloat64()*6) // most first orders follow the sign-up closely
		} else {
			times = append(times, ss.draw(r, from, until))
		}
	case KindRepeat, KindChurned:
		// A renewal process in seasonal time: Erlang(3) gaps around the
		// personal cadence, so orders are regular yet crowd the festivals.
		x := ss.at(from)
		if g.offset(p.c.CreatedAt) < 0 {
			x += r.Float64() * p.cadence // a customer from before: somewhere in a cycle
		} else {
			x += r.ExpFloat64() * 5
		}
		for end := ss.at(until); x < end; {
			times = append(times, ss.day(x))
			x += p.cadence * (r.ExpFloat64() + r.ExpFloat64() + r.ExpFloat64()) / 3
		}
	}
	// The seed persona is an active customer whatever the seed: her last
	// order is within the last month.
	if p.seed && (len(times) == 0 || times[len(times)-1] < float64(g.days)-35) {
		times = append(times, float64(g.days)-30+r.Float64()*20)
	}
	var favourites []*prodInfo // consumables this customer buys again
	for _, d := range times {
		if d >= float64(g.days) {
			continue
		}
		at := g.instant(r, p, d)
		o := &order{lang: p.lang, cust: p.c.ID, at: at, seq: *seq}
		*seq++
		nLines := 1 + pickWeighted(r, []float64{55, 28, 12, 5})
		seen := map[string]bool{}
		for range nLines {
			var pi *prodInfo
			if len(favourites) > 0 && r.Float64() < 0.45 {
				pi = favourites[r.IntN(len(favourites))]
			} else {
				pi = g.pickProduct(r, p, at)
			}
			if pi == nil || seen[pi.p.SKU] || !pi.available(at) || (p.seed && pi.p.SKU == CameraBagSKU) {
				continue
			}
			seen[pi.p.SKU] = true
			qty := 1
			if pi.m.consumable && r.Float64() < 0.35 {
				qty = 2 + r.IntN(2)
			}
			o.lines = append(o.lines, line{sku: pi.p.SKU, qty: qty, price: pi.p.Price, curr: pi.p.Currency})
			if pi.m.consumable && !slices.Contains(favourites, pi) {
				favourites = append(favourites, pi)
			}
			// The funnel: one to three views in the days before, a cart
			// minutes before paying.
			for v := range 1 + r.IntN(3) {
				vt := at.Add(-time.Duration(r.Float64()*72*float64(time.Hour)) - time.Duration(v+1)*time.Minute)
				events = append(events, g.browseEvent(p, event.View, pi, vt))
			}
			ct := at.Add(-time.Duration(2+r.IntN(40)) * time.Minute)
			events = append(events, g.browseEvent(p, event.Cart, pi, ct))
		}
		if len(o.lines) == 0 {
			continue
		}
		// A few percent of orders come back, mostly one line of them.
		if r.Float64() < 0.045 {
			rf := &refund{at: at.Add(time.Duration(2+r.IntN(19)) * 24 * time.Hour).Add(time.Duration(r.IntN(36000)) * time.Second)}
			if len(o.lines) > 1 && r.Float64() < 0.7 {
				rf.lines = []int{r.IntN(len(o.lines))}
			} else {
				for k := range o.lines {
					rf.lines = append(rf.lines, k)
				}
			}
			reasons := refundReasons[p.lang]
			rf.reason = reasons[r.IntN(len(reasons))]
			if rf.at.Before(g.end) {
				o.refund = rf
			}
		}
		o.id = orderID(p.lang, o.at, fmt.Sprintf("%06d%02d", p.idx+1, len(p.orders)+1))
		p.orders = append(p.orders, o)
	}

	// Browsing that does not end in an order, with abandoned carts.
	browseUntil := float64(g.days)
	if p.kind == KindChurned {
		browseUntil = min(until+30, browseUntil)
	}
	if span := browseUntil - from; span > 0 {
		n := poisson(r, p.browse*span/30.4)
		for range n {
			d := ss.draw(r, from, browseUntil)
			at := g.instant(r, p, d)
			views := 1 + pickWeighted(r, []float64{40, 30, 15, 10, 5})
			for v := range views {
				pi := g.pickProduct(r, p, at)
				if pi == nil || !pi.available(at) {
					continue
				}
				vt := at.Add(time.Duration(v*(30+r.IntN(240))) * time.Second)
				events = append(events, g.browseEvent(p, event.View, pi, vt))
				if r.Float64() < 0.18 { // most carts are abandoned: these never reach checkout
					events = append(events, g.browseEvent(p, event.Cart, pi, vt.Add(time.Duration(20+r.IntN(300))*time.Second)))
				}
			}
		}
	}

	if p.seed {
		events = append(events, g.seedStory(p)...)
	}

	// Consents: sign-up grants, checkout grants, revocations.
	events = append(events, g.consents(r, p)...)
	// Engagement with campaigns on the channels the customer allows.
	events = append(events, g.engagement(r, p)...)
	return events
}

// seedStory makes the walkthrough's hook: the seed persona looked at the
// camera bag three times in the last ten days and left it in her cart.
func (g *gen) seedStory(p *person) []event.Event {
	bag := g.prod[CameraBagSKU]
	var out []event.Event
	for _, d := range []int{10, 6, 3} {
		t := time.Date(g.end.Year(), g.end.Month(), g.end.Day(), 21, 14+d, 0, 0, p.loc).AddDate(0, 0, -d).UTC()
		out = append(out, g.browseEvent(p, event.View, bag, t))
	}
	t := time.Date(g.end.Year(), g.end.Month(), g.end.Day(), 21, 19, 0, 0, p.loc).AddDate(0, 0, -3).UTC()
	return append(out, g.browseEvent(p, event.Cart, bag, t))
}

var refundReasons = map[string][]string{
	LangZH: {"尺码不合适", "颜色与图片不符", "不想要了", "商品破损", "发货太慢"},
	LangEN: {"wrong size", "not as pictured", "changed my mind", "arrived damaged", "arrived too late"},
}

func (pi *prodInfo) available(t time.Time) bool {
	return !t.Before(pi.notBefore) && (pi.notAfter.IsZero() || t.Before(pi.notAfter))
}

// pickProduct chooses a product the way this customer shops: mostly from
// their interests (strongest first), sometimes anything; popular products
// and products in their price band more often.
func (g *gen) pickProduct(r *rand.Rand, p *person, at time.Time) *prodInfo {
	var pool []*prodInfo
	if p.seed || r.Float64() < 0.85 { // the seed persona shops true to her interests
		w := []float64{1, 0.7, 0.5, 0.4}[:len(p.interests)]
		pool = g.byInterest[p.lang][p.interests[pickWeighted(r, w)]]
	} else {
		pool = g.all[p.lang]
	}
	if len(pool) == 0 {
		return nil
	}
	w := make([]float64, len(pool))
	ref := 200.0 // a mid-range price in CNY
	if p.lang == LangEN {
		ref = 45
	}
	for i, pi := range pool {
		if !pi.available(at) {
			continue
		}
		w[i] = pi.popularity * math.Pow(pi.p.Price/ref, p.priceExp)
	}
	var sum float64
	for _, x := range w {
		sum += x
	}
	if sum == 0 {
		return nil
	}
	return pool[pickWeighted(r, w)]
}

func (g *gen) browseEvent(p *person, typ string, pi *prodInfo, t time.Time) event.Event {
	// Views before the window are dropped by finishEvents: the data starts
	// mid-story, as a real export does.
	return event.Event{CustomerID: p.c.ID, Type: typ, SKU: pi.p.SKU, Quantity: 1, OccurredAt: t.UTC().Truncate(time.Second)}
}

func poisson(r *rand.Rand, mean float64) int {
	if mean <= 0 {
		return 0
	}
	if mean > 50 { // normal approximation; exact enough for a demo
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	l, k, prod := math.Exp(-mean), 0, r.Float64()
	for prod > l {
		k++
		prod *= r.Float64()
	}
	return k
}

// consents writes the customer's ledger: marketing grants at sign-up,
// further grants at the first checkout, the personalization grant, and the
// revocations (each with its unsubscribe event).
func (g *gen) consents(r *rand.Rand, p *person) []event.Event {
	var out []event.Event
	add := func(ch, purpose, status, source string, at time.Time) {
		p.consents = append(p.consents, customer.Consent{CustomerID: p.c.ID, Channel: ch, Purpose: purpose,
			Status: status, LegalBasis: "consent", Source: source, At: at.UTC().Truncate(time.Second)})
	}
	signup := p.c.CreatedAt.Add(time.Duration(5+r.IntN(300)) * time.Second)
	var granted []string
	grantAt := map[string]time.Time{}
	for _, m := range channelMix[p.lang] {
		if p.seed || m.ch == p.pref || r.Float64() < m.grant {
			add(m.ch, customer.PurposeMarketing, customer.Granted, SourceSignup, signup)
			granted = append(granted, m.ch)
			grantAt[m.ch] = signup
		}
	}
	if len(p.orders) > 0 {
		first := p.orders[0].at.Add(time.Duration(30+r.IntN(60)) * time.Second)
		for _, m := range channelMix[p.lang] {
			if _, ok := grantAt[m.ch]; !ok && r.Float64() < 0.3 {
				add(m.ch, customer.PurposeMarketing, customer.Granted, SourceCheckout, first)
				granted = append(granted, m.ch)
				grantAt[m.ch] = first
			}
		}
	}
	// Personalised marketing (PIPL Art. 24) is asked for at sign-up and
	// recorded on every channel the customer allows, so a check on any
	// channel sees the same answer.
	personalised := p.seed || r.Float64() < 0.93
	if personalised {
		for _, ch := range granted {
			add(ch, customer.PurposePersonalization, customer.Granted, SourceSignup, grantAt[ch])
		}
	}
	if !p.seed && personalised && len(granted) > 0 && r.Float64() < 0.03 {
		at := g.randomAfter(r, signup.Add(7*24*time.Hour))
		if !at.IsZero() {
			for _, ch := range granted {
				add(ch, customer.PurposePersonalization, customer.Revoked, "privacy settings", at)
			}
		}
	}
	// About one customer in ten later unsubscribes from one channel.
	if !p.seed && len(granted) > 0 && r.Float64() < 0.10 {
		ch := granted[r.IntN(len(granted))]
		at := g.randomAfter(r, grantAt[ch].Add(14*24*time.Hour))
		if !at.IsZero() {
			at = at.UTC().Truncate(time.Second)
			add(ch, customer.PurposeMarketing, customer.Revoked, unsubscribeSource[ch], at)
			p.revokedAt[ch] = at
			out = append(out, event.Event{CustomerID: p.c.ID, Type: event.Unsubscribe, Channel: ch,
				Campaign: g.lastCampaign(p.lang, at), OccurredAt: at})
		}
	}
	return out
}

// randomAfter returns a time uniformly between t (or the window start) and
// the end, or zero when t is past the end.
func (g *gen) randomAfter(r *rand.Rand, t time.Time) time.Time {
	if t.Before(g.start) {
		t = g.start
	}
	span := g.end.Sub(t)
	if span <= time.Hour {
		return time.Time{}
	}
	return t.Add(time.Duration(r.Float64() * float64(span-time.Hour))).Truncate(time.Second)
}

// campaign is one marketing send of the shop in one market.
type campaign struct {
	name string
	at   time.Time
}

// campaignNames holds two sends per month for each market (month 1..12).
var campaignNames = map[string][13][2]string{
	LangZH: {{}, {"年货节好物", "新年焕新"}, {"春节不打烊", "情人节礼物指南"}, {"春季新品上市", "3·8女神节"},
		{"春日出游季", "会员日"}, {"五一出游清单", "母亲节礼遇"}, {"618年中大促预热", "618狂欢返场"},
		{"夏日清凉好物", "暑期旅行装备"}, {"七夕礼物", "开学季"}, {"中秋礼盒", "秋季上新"},
		{"国庆出游", "双11预售开启"}, {"双11狂欢", "双11返场"}, {"双12年终盛典", "圣诞新年礼物"}},
	LangEN: {{}, {"New Year Reset", "January Sale"}, {"Valentine's Gift Guide", "Winter Clearance"},
		{"Spring Arrivals", "Mother's Day (UK) Gifts"}, {"Easter Weekend Picks", "Spring Travel Edit"},
		{"Mother's Day Gifts", "Memorial Day Sale"}, {"Summer Travel Edit", "Father's Day Gifts"},
		{"Mid-Summer Sale", "Outdoor Adventures"}, {"Back to School", "Late Summer Getaways"},
		{"Autumn Arrivals", "Camera Week"}, {"Halloween Treats", "Black Friday Early Access"},
		{"Black Friday", "Cyber Monday"}, {"Holiday Gift Guide", "Last-minute Gifts"}},
}

// campaigns lists the sends of one market within the window, in time order.
func (g *gen) campaigns(lang string) []campaign {
	var out []campaign
	for m := g.start.AddDate(0, 0, -g.start.Day()+1); m.Before(g.end); m = m.AddDate(0, 1, 0) {
		names := campaignNames[lang][m.Month()]
		days := [2]int{4, 18}
		switch {
		case lang == LangZH && m.Month() == 11:
			days = [2]int{1, 11}
		case lang == LangZH && m.Month() == 6:
			days = [2]int{1, 18}
		case lang == LangEN && m.Month() == 11:
			bf := blackFriday(m.Year())
			days = [2]int{bf.Day(), bf.Day() + 3}
			if days[1] > 30 {
				days[1] = 30
			}
		}
		for k, name := range names {
			// 10:00 in the market's main time zone.
			hour := 2 // 10:00 Beijing time
			if lang == LangEN {
				hour = 15 // 10:00 New York time (11:00 in summer)
			}
			at := time.Date(m.Year(), m.Month(), days[k], hour, 0, 0, 0, time.UTC)
			if !at.Before(g.start) && at.Before(g.end) {
				out = append(out, campaign{name: name, at: at})
			}
		}
	}
	return out
}

func (g *gen) lastCampaign(lang string, t time.Time) string {
	name := ""
	for _, c := range g.sends[lang] {
		if c.at.Before(t) {
			name = c.name
		}
	}
	return name
}

// engagement draws opens and clicks for every campaign sent to the customer
// on a channel they allowed at the time. The preferred channel is read far
// more often, so it can be inferred from these events.
func (g *gen) engagement(r *rand.Rand, p *person) []event.Event {
	var out []event.Event
	grants := map[string]time.Time{}
	for _, c := range p.consents {
		if c.Purpose == customer.PurposeMarketing && c.Status == customer.Granted {
			grants[c.Channel] = c.At
		}
	}
	damp := 1.0
	switch p.kind {
	case KindNever:
		damp = 0.6
	case KindRepeat:
		damp = 1.2
	}
	for _, cp := range g.sends[p.lang] {
		for _, m := range channelMix[p.lang] {
			ch := m.ch
			from, ok := grants[ch]
			if !ok || cp.at.Before(from) {
				continue
			}
			if rv, ok := p.revokedAt[ch]; ok && !cp.at.Before(rv) {
				continue
			}
			pOpen := 0.07
			if ch == p.pref {
				pOpen = 0.42
			}
			pOpen *= damp
			if p.kind == KindChurned && cp.at.After(p.churnAt) {
				pOpen *= 0.3
			}
			delay := time.Duration(r.ExpFloat64()*5*float64(time.Hour)) + time.Duration(r.IntN(600))*time.Second
			at := cp.at.Add(delay).Truncate(time.Second)
			if !at.Before(g.end) {
				continue
			}
			// SMS has no open receipt; its engagement is the link click.
			if ch != customer.ChannelSMS {
				if r.Float64() >= pOpen {
					continue
				}
				out = append(out, event.Event{CustomerID: p.c.ID, Type: event.Open, Channel: ch, Campaign: cp.name, OccurredAt: at})
				if r.Float64() < 0.28 {
					ct := at.Add(time.Duration(10+r.IntN(600)) * time.Second)
					out = append(out, event.Event{CustomerID: p.c.ID, Type: event.Click, Channel: ch, Campaign: cp.name, OccurredAt: ct})
				}
			} else if r.Float64() < pOpen*0.3 {
				out = append(out, event.Event{CustomerID: p.c.ID, Type: event.Click, Channel: ch, Campaign: cp.name, OccurredAt: at})
			}
		}
	}
	return out
}

// guestOrders draws checkouts without an account: about one order in
// sixteen, popular products, mostly one line.
func (g *gen) guestOrders(lang string, memberOrders int, seq *int) []*order {
	r := g.rng("guests/" + lang)
	n := int(math.Round(float64(memberOrders) * 0.065))
	ss := g.seasons[lang]
	tz := "Asia/Shanghai"
	if lang == LangEN {
		tz = "America/New_York"
	}
	guest := &person{lang: lang, loc: g.locs[tz], interests: nil}
	var out []*order
	for i := range n {
		at := g.instant(r, guest, ss.draw(r, 0, float64(g.days)))
		o := &order{lang: lang, at: at, seq: *seq, id: orderID(lang, at, fmt.Sprintf("G%05d", i+1))}
		o.email, o.phone = g.guestContact(lang, o.id)
		*seq++
		seen := map[string]bool{}
		for range 1 + pickWeighted(r, []float64{75, 20, 5}) {
			pool := g.all[lang]
			w := make([]float64, len(pool))
			for i, pi := range pool {
				if pi.available(at) {
					w[i] = pi.popularity * pi.popularity
				}
			}
			pi := pool[pickWeighted(r, w)]
			if seen[pi.p.SKU] || !pi.available(at) {
				continue
			}
			seen[pi.p.SKU] = true
			o.lines = append(o.lines, line{sku: pi.p.SKU, qty: 1, price: pi.p.Price, curr: pi.p.Currency})
		}
		if len(o.lines) > 0 {
			out = append(out, o)
		}
	}
	return out
}

// guestContact is the e-mail and phone a guest gave at checkout, which
// verify the order to the support assistant. They come from a stream of
// their own per order, so the rest of the shop is drawn as without them.
func (g *gen) guestContact(lang, orderID string) (email, phone string) {
	r := g.rng("guest-contact/" + orderID)
	gender := "female"
	if r.IntN(2) == 0 {
		gender = "male"
	}
	var local string
	if lang == LangZH {
		_, local = zhName(r, gender)
		phone = cnMobile(r)
	} else {
		_, local = enName(r, gender)
		phone = usPhone("212")(r)
	}
	return fmt.Sprintf("%s%d@%s", local, 10+r.IntN(990), mailDomains[r.IntN(len(mailDomains))]), phone
}

// orderID is the market prefix, the order's date and a number that
// depends only on its buyer and their own order count (or the guest
// checkout's index), e.g. CN26061800012303. So a larger demo shop keeps the
// order ids of a smaller one with the same seed, and building one over the
// other adds orders instead of re-adding the same ones under new ids.
func orderID(lang string, at time.Time, num string) string {
	return strings.TrimSuffix(skuPrefix[lang], "-") + at.Format("060102") + num
}

// sortOrders puts orders in time order, generation order breaking ties.
func sortOrders(orders []*order) {
	slices.SortStableFunc(orders, func(a, b *order) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq))
	})
}

// orderEvents turns an order into purchase lines and, when refunded,
// refund lines with the same order id and negative amounts.
func orderEvents(o *order) []event.Event {
	out := make([]event.Event, 0, len(o.lines))
	for _, l := range o.lines {
		e := event.Event{CustomerID: o.cust, Type: event.Purchase, SKU: l.sku, Quantity: float64(l.qty),
			Amount: round2(float64(l.qty) * l.price), Currency: l.curr, OrderID: o.id, OccurredAt: o.at}
		if o.cust == "" && o.email != "" {
			e.Properties = map[string]any{"email": o.email, "phone": o.phone}
		}
		out = append(out, e)
	}
	if o.refund != nil {
		for _, k := range o.refund.lines {
			l := o.lines[k]
			out = append(out, event.Event{CustomerID: o.cust, Type: event.Refund, SKU: l.sku, Quantity: -float64(l.qty),
				Amount: -round2(float64(l.qty) * l.price), Currency: l.curr, OrderID: o.id, OccurredAt: o.refund.at.Truncate(time.Second),
				Properties: map[string]any{"reason": o.refund.reason}})
		}
	}
	return out
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// finishEvents drops what falls outside the window, orders the rest by
// time (stable, so the generation order breaks ties) and gives events that
// would otherwise share a natural key a distinct ordinal, so that every
// generated event is stored exactly once.
func (g *gen) finishEvents(es []event.Event) []event.Event {
	es = slices.DeleteFunc(es, func(e event.Event) bool {
		return e.OccurredAt.Before(g.start) || !e.OccurredAt.Before(g.end)
	})
	// Sort positions rather than the wide events themselves; the position
	// breaks ties, which makes the order stable.
	pos := make([]int, len(es))
	for i := range pos {
		pos[i] = i
	}
	slices.SortFunc(pos, func(a, b int) int { return cmp.Or(es[a].OccurredAt.Compare(es[b].OccurredAt), cmp.Compare(a, b)) })
	sorted := make([]event.Event, len(es))
	for i, k := range pos {
		sorted[i] = es[k]
	}
	es = sorted
	seen := make(map[int64]bool, len(es))
	for i := range es {
		k := es[i].NaturalKey()
		for seen[k] {
			es[i].Ordinal++
			k = es[i].NaturalKey()
		}
		seen[k] = true
		es[i].Key = k
	}
	return es
}
