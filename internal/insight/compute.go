package insight

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

// Lifecycle stages.
const (
	StageProspect = "prospect" // never purchased
	StageNew      = "new"
	StageActive   = "active"
	StageAtRisk   = "at_risk"
	StageLapsed   = "lapsed"
	StageChurned  = "churned"
)

// Stages lists the lifecycle stages in order.
var Stages = []string{StageProspect, StageNew, StageActive, StageAtRisk, StageLapsed, StageChurned}

// Price bands, cheapest first.
var PriceBands = []string{"budget", "mid", "premium", "luxury"}

// Options steer Compute. OptionsFromConfig gives the configured defaults.
type Options struct {
	AsOf         time.Time // zero: the day after the last event
	Map          string    // grid | rfm-package | a key of CustomMaps
	CustomMaps   map[string]SegmentMap
	Breaks       Breaks
	MinCustomers int // fewest purchasing customers to score; at least 5
	// HalfLifeDays is the half-life of affinity decay.
	HalfLifeDays   float64
	PriceQuantiles [3]float64
	Lifecycle      config.Lifecycle
	// CLVHorizonDays > 0 makes Compute also fit BG/NBD + Gamma-Gamma and
	// fill Metrics.CLV over that horizon, discounted at CLVDiscountRate
	// (annual). When the data cannot support the fit (no repeat buyers),
	// Compute still succeeds and says why in Snapshot.Notes.
	CLVHorizonDays  int
	CLVDiscountRate float64
}

// OptionsFromConfig turns the insight config section into Options.
func OptionsFromConfig(c config.Insight) Options {
	o := Options{
		Map:          c.Map,
		MinCustomers: c.MinCustomers,
		HalfLifeDays: c.HalfLifeDays,
		Breaks:       Breaks{Recency: c.RFMBreaks.Recency, Frequency: c.RFMBreaks.Frequency, Monetary: c.RFMBreaks.Monetary},
		Lifecycle:    c.Lifecycle,

		CLVHorizonDays:  c.CLV.HorizonDays,
		CLVDiscountRate: c.CLV.DiscountRate,
	}
	if t, err := time.Parse(time.DateOnly, c.AsOf); err == nil {
		o.AsOf = t
	}
	copy(o.PriceQuantiles[:], c.PriceQuantiles)
	if len(c.SegmentMaps) > 0 {
		o.CustomMaps = map[string]SegmentMap{}
		for name, rules := range c.SegmentMaps {
			sm := SegmentMap{Default: "others"}
			for _, r := range rules {
				sm.Rules = append(sm.Rules, SegmentRule(r))
			}
			o.CustomMaps[name] = sm
		}
	}
	return o
}

// DefaultOptions are OptionsFromConfig of the default configuration.
func DefaultOptions() Options { return OptionsFromConfig(config.Default().Insight) }

// Snapshot is everything Compute found, for every known customer.
type Snapshot struct {
	AsOf time.Time `json:"as_of"`
	Map  string    `json:"map"`
	// Metrics are by customer, in the Dataset's order (ascending id).
	Metrics []Metrics `json:"-"`
	// Scored is the number of customers with at least one purchase (the
	// ones RFM scores); the others are prospects.
	Scored    int     `json:"customers"`
	Recency   Scoring `json:"recency"`
	Frequency Scoring `json:"frequency"`
	Monetary  Scoring `json:"monetary"`
	// Segments counts scored customers by RFM segment.
	Segments map[string]int `json:"segments"`
	// Lifecycle counts all customers by stage.
	Lifecycle map[string]int `json:"lifecycle"`
	// CadenceDays is the population median cadence used for one-time
	// buyers.
	CadenceDays float64 `json:"cadence_days"`
	// PriceEdges are the catalog price quantiles between the bands.
	PriceEdges []float64 `json:"price_edges,omitempty"`
	// CLV is the fitted lifetime-value model when Options asked for it
	// and the data supported it.
	CLV *CLVModel `json:"clv,omitempty"`
	// Notes say what was not computed, or computed by a fallback, and why.
	Notes []string `json:"notes,omitempty"`

	index map[string]int
}

// Get returns the metrics of customer id.
func (s *Snapshot) Get(id string) (Metrics, bool) {
	i, ok := s.index[id]
	if !ok {
		return Metrics{}, false
	}
	return s.Metrics[i], true
}

const day = 24 * 60 * 60

// Compute scores RFM, lifecycle, affinities, price band, preferred channel
// and next purchase for every customer of ds. It fails with apperr.Invalid
// when there is too little data: no purchases at all, or fewer purchasing
// customers than opts.MinCustomers; and for a bad map name or break points.
func Compute(ds *Dataset, opts Options) (*Snapshot, error) {
	if opts.MinCustomers < 5 {
		opts.MinCustomers = 5
	}
	smap, err := resolveMap(opts)
	if err != nil {
		return nil, err
	}
	asOf := opts.AsOf
	if asOf.IsZero() {
		asOf = ds.DefaultAsOf()
	}
	n := len(ds.Customers)
	snap := &Snapshot{AsOf: asOf, Map: opts.Map, Metrics: make([]Metrics, n), Segments: map[string]int{}, Lifecycle: map[string]int{}}
	if snap.Map == "" {
		snap.Map = MapGrid
	}
	asOfSec := asOf.Unix()

	// Pass 1: per-customer totals over purchase and refund lines before
	// the analysis date.
	orderSeen := make([]bool, ds.nOrders)
	buyers := make([]int, 0, n)
	var rec, freq, mon []float64
	days := make([]int64, 0, 64)
	cadences := make([]float64, n)
	var repeatCadences []float64
	for c := range n {
		m := &snap.Metrics[c]
		m.CustomerID = ds.Customers[c]
		var first, last int64 = math.MaxInt64, math.MinInt64
		orders := 0
		var revenue float64
		days = days[:0]
		for l := ds.lineStart[c]; l < ds.lineStart[c+1]; l++ {
			at := ds.lineAt[l]
			if at >= asOfSec {
				break // lines are in time order
			}
			// Monetary is the total of NetOrders (the orders' net values
			// plus unattributed refunds), which NetOrders keeps equal to
			// the sum of the lines: summing them here costs no attribution.
			revenue += ds.lineAmount[l]
			if ds.lineKind[l] != kindPurchase {
				continue
			}
			first, last = min(first, at), max(last, at)
			if o := ds.lineOrder[l]; !orderSeen[o] {
				orderSeen[o] = true
				orders++
			}
			if d := floorDiv(at, day); len(days) == 0 || days[len(days)-1] != d {
				days = append(days, d)
			}
		}
		if orders == 0 {
			continue
		}
		m.Orders, m.Revenue = orders, revenue
		m.FirstPurchase, m.LastPurchase = time.Unix(first, 0).UTC(), time.Unix(last, 0).UTC()
		m.RFM.Recency = int(floorDiv(asOfSec-last, day)) // pandas Timedelta.days floors
		m.RFM.Frequency = orders
		m.RFM.Monetary = revenue
		buyers = append(buyers, c)
		rec = append(rec, float64(m.RFM.Recency))
		freq = append(freq, float64(orders))
		mon = append(mon, revenue)
		if len(days) >= 2 {
			gaps := make([]float64, len(days)-1)
			for i := 1; i < len(days); i++ {
				gaps[i-1] = float64(days[i] - days[i-1])
			}
			cadences[c] = median(gaps)
			repeatCadences = append(repeatCadences, cadences[c])
		}
	}
	if len(buyers) == 0 {
		return nil, apperr.New(apperr.Invalid, "insight: no purchases before %s among %d customers; import orders first (purchase events with a customer id and a positive amount)", asOf.Format(time.DateOnly), n)
	}
	if len(buyers) < opts.MinCustomers {
		return nil, apperr.New(apperr.Invalid, "insight: only %d customers have purchases before %s; RFM quintiles need at least %d (insight.min_customers)", len(buyers), asOf.Format(time.DateOnly), opts.MinCustomers)
	}
	snap.Scored = len(buyers)

	// RFM scores over the buyers, in ascending id order (the Dataset's).
	rs, rsc, err := scoreDim(rec, true, false, opts.Breaks.Recency, "recency")
	if err != nil {
		return nil, err
	}
	fs, fsc, err := scoreDim(freq, false, true, opts.Breaks.Frequency, "frequency")
	if err != nil {
		return nil, err
	}
	ms, msc, err := scoreDim(mon, false, false, opts.Breaks.Monetary, "monetary")
	if err != nil {
		return nil, err
	}
	snap.Recency, snap.Frequency, snap.Monetary = rsc, fsc, msc
	for i, c := range buyers {
		r := &snap.Metrics[c].RFM
		r.R, r.F, r.M = rs[i], fs[i], ms[i]
		r.Score = string([]byte{byte('0' + r.R), byte('0' + r.F), byte('0' + r.M)})
		r.Segment = smap.segment(r.R, r.F, r.M)
		snap.Segments[r.Segment]++
	}

	// Lifecycle and expected next purchase from each customer's cadence.
	lc := opts.Lifecycle
	snap.CadenceDays = lc.DefaultCadenceDays
	if len(repeatCadences) > 0 {
		snap.CadenceDays = max(median(repeatCadences), lc.MinCadenceDays)
	}
	for c := range n {
		m := &snap.Metrics[c]
		if m.Orders == 0 {
			m.Lifecycle = StageProspect
			snap.Lifecycle[StageProspect]++
			continue
		}
		cad := snap.CadenceDays
		if cadences[c] > 0 {
			cad = max(cadences[c], lc.MinCadenceDays)
		}
		r := float64(m.RFM.Recency)
		age := asOf.Sub(m.FirstPurchase).Hours() / 24
		switch {
		case age <= lc.NewDays:
			m.Lifecycle = StageNew
		case r <= lc.ActiveFactor*cad:
			m.Lifecycle = StageActive
		case r <= lc.AtRiskFactor*cad:
			m.Lifecycle = StageAtRisk
		case r <= lc.ChurnFactor*cad:
			m.Lifecycle = StageLapsed
		default:
			m.Lifecycle = StageChurned
		}
		snap.Lifecycle[m.Lifecycle]++
		if m.Lifecycle != StageChurned {
			m.NextPurchase = m.LastPurchase.Add(time.Duration(cad * float64(24*time.Hour))).Truncate(24 * time.Hour)
		}
	}

	snap.PriceEdges = priceEdges(ds, opts.PriceQuantiles)
	computeAffinity(ds, snap, asOfSec, opts.HalfLifeDays)
	for _, sc := range []Scoring{rsc, fsc, msc} {
		if sc.Note != "" {
			snap.Notes = append(snap.Notes, sc.Note)
		}
	}
	if opts.CLVHorizonDays > 0 {
		model, inputs, err := FitCLV(ds, asOf)
		switch {
		case apperr.Is(err, apperr.Invalid):
			snap.Notes = append(snap.Notes, "CLV not computed: "+err.Error())
		case err != nil:
			return nil, err
		default:
			snap.CLV = model
			snap.ApplyCLV(model, inputs, opts.CLVHorizonDays, opts.CLVDiscountRate)
		}
	}

	snap.index = make(map[string]int, n)
	for i, id := range ds.Customers {
		snap.index[id] = i
	}
	return snap, nil
}

func resolveMap(opts Options) (compiledMap, error) {
	var sm SegmentMap
	switch opts.Map {
	case "", MapGrid:
		sm = GridMap()
	case MapRFMPackage:
		sm = RFMPackageMap()
	default:
		var ok bool
		if sm, ok = opts.CustomMaps[opts.Map]; !ok {
			known := []string{MapGrid, MapRFMPackage}
			for k := range opts.CustomMaps {
				known = append(known, k)
			}
			slices.Sort(known[2:])
			return compiledMap{}, apperr.New(apperr.Invalid, "unknown segment map %q: known maps are %v", opts.Map, known)
		}
	}
	return sm.compile()
}

// floorDiv divides rounding toward negative infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return Quantile(s, 0.5)
}

// priceEdges are the catalog price quantiles between bands; when the
// catalog has no prices, the unit prices of purchase lines stand in.
func priceEdges(ds *Dataset, qs [3]float64) []float64 {
	var prices []float64
	for i, p := range ds.ItemPrice {
		if ds.InCatalog[i] && p > 0 {
			prices = append(prices, p)
		}
	}
	if len(prices) == 0 {
		for l, k := range ds.lineKind {
			if k == kindPurchase && ds.lineQty[l] > 0 {
				prices = append(prices, ds.lineAmount[l]/ds.lineQty[l])
			}
		}
	}
	if len(prices) == 0 {
		return nil
	}
	slices.Sort(prices)
	out := make([]float64, len(qs))
	for i, q := range qs {
		out[i] = Quantile(prices, q)
	}
	return out
}

// Weights of behaviour in affinity: a purchase says more than a cart, a
// cart more than a view.
const (
	weightPurchase = 1.0
	weightCart     = 0.5
	weightView     = 0.2
	weightOpen     = 1.0
	weightClick    = 3.0
)

// computeAffinity fills category and brand affinity (decayed weight
// shares, summing to 1 per customer), price band and preferred channel.
func computeAffinity(ds *Dataset, snap *Snapshot, asOfSec int64, halfLifeDays float64) {
	if halfLifeDays <= 0 {
		halfLifeDays = 90
	}
	lambda := math.Ln2 / (halfLifeDays * day)
	catW := make([]float64, len(ds.Categories))
	brandW := make([]float64, len(ds.Brands))
	chanW := make([]float64, len(ds.Channels))
	// Stamps mark the categories and brands the current customer touched,
	// so that only those are read and reset.
	catStamp := make([]int32, len(ds.Categories))
	brandStamp := make([]int32, len(ds.Brands))
	var touchedCat, touchedBrand []int32
	stamp := int32(0)
	add := func(item int32, w float64) {
		if item < 0 {
			return
		}
		if cat := ds.ItemCat[item]; cat >= 0 {
			if catStamp[cat] != stamp {
				catStamp[cat] = stamp
				touchedCat = append(touchedCat, cat)
			}
			catW[cat] += w
		}
		if b := ds.ItemBrand[item]; b >= 0 {
			if brandStamp[b] != stamp {
				brandStamp[b] = stamp
				touchedBrand = append(touchedBrand, b)
			}
			brandW[b] += w
		}
	}
	decay := func(at int64) float64 {
		age := float64(asOfSec - at)
		if age < 0 {
			age = 0
		}
		return math.Exp(-lambda * age)
	}
	for c := range snap.Metrics {
		m := &snap.Metrics[c]
		touchedCat, touchedBrand = touchedCat[:0], touchedBrand[:0]
		stamp++
		var spend, qty float64
		for l := ds.lineStart[c]; l < ds.lineStart[c+1]; l++ {
			at := ds.lineAt[l]
			if at >= asOfSec {
				break
			}
			if ds.lineKind[l] != kindPurchase {
				continue
			}
			add(ds.lineItem[l], weightPurchase*decay(at))
			q := ds.lineQty[l]
			if q <= 0 {
				q = 1 // quantity unknown: one item
			}
			spend += ds.lineAmount[l]
			qty += q
		}
		clear(chanW)
		bestCh, bestW := -1, 0.0
		for a := ds.actStart[c]; a < ds.actStart[c+1]; a++ {
			at := ds.actAt[a]
			if at >= asOfSec {
				break
			}
			switch ds.actKind[a] {
			case kindView:
				add(ds.actItem[a], weightView*decay(at))
			case kindCart:
				add(ds.actItem[a], weightCart*decay(at))
			case kindOpen, kindClick:
				w := weightOpen
				if ds.actKind[a] == kindClick {
					w = weightClick
				}
				ch := ds.actChan[a]
				chanW[ch] += w * decay(at)
				if chanW[ch] > bestW || (chanW[ch] == bestW && int(ch) < bestCh) {
					bestCh, bestW = int(ch), chanW[ch]
				}
			}
		}
		m.CategoryAffinity = shares(catW, touchedCat, ds.Categories)
		m.BrandAffinity = shares(brandW, touchedBrand, ds.Brands)
		if qty > 0 && len(snap.PriceEdges) == 3 {
			m.PriceBand = PriceBands[Bin(append(append([]float64{math.Inf(-1)}, snap.PriceEdges...), math.Inf(1)), spend/qty)-1]
		}
		switch {
		case bestCh >= 0:
			m.PreferredChannel = ds.Channels[bestCh]
		default:
			for bit, ch := range consentChannels {
				if ds.Granted[c]&(1<<bit) != 0 {
					m.PreferredChannel = ch
					break
				}
			}
		}
	}
}

// shares turns accumulated weights into shares of their sum (in [0,1],
// summing to 1) and resets the accumulators it read.
func shares(w []float64, touched []int32, names []string) map[string]float64 {
	if len(touched) == 0 {
		return nil
	}
	var sum float64
	for _, i := range touched {
		sum += w[i]
	}
	out := make(map[string]float64, len(touched))
	for _, i := range touched {
		if sum > 0 {
			out[names[i]] = w[i] / sum
		}
		w[i] = 0
	}
	return out
}

// Top returns the k heaviest entries of an affinity map, heaviest first
// (ties by name).
func Top(aff map[string]float64, k int) []Weighted {
	out := make([]Weighted, 0, len(aff))
	for name, w := range aff {
		out = append(out, Weighted{Name: name, Weight: w})
	}
	slices.SortFunc(out, func(a, b Weighted) int {
		return cmp.Or(cmp.Compare(b.Weight, a.Weight), cmp.Compare(a.Name, b.Name))
	})
	if len(out) > k {
		out = out[:k]
	}
	return out
}
