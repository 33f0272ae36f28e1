package segment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Synthetic returns n deterministic, plausible records for benchmarks and
// load tests: the same n and seed always give the same records. Segments,
// categories and consent rates are drawn from fixed distributions so that
// typical expressions match a realistic share (a few percent) of them.
// Read-only slices are shared between records to keep 10^6 of them small.
func Synthetic(n int, seed uint64) []Record {
	rng := rand.New(rand.NewPCG(seed, 0x5e9e47))
	rfmSegments := []string{"champions", "loyal_customers", "potential_loyalists", "new_customers", "promising",
		"need_attention", "about_to_sleep", "at_risk", "cant_loose", "hibernating"}
	rfmWeights := []float64{0.10, 0.12, 0.10, 0.05, 0.05, 0.08, 0.08, 0.15, 0.05, 0.22}
	lifecycles := []string{"new", "active", "at_risk", "lapsed", "churned"}
	categories := []string{"camera", "phone", "laptop", "audio", "beauty", "fashion", "home", "kitchen", "toys", "books", "sports", "grocery"}
	brands := []string{"canon", "sony", "nikon", "apple", "xiaomi", "huawei", "lenovo", "dyson", "nike", "uniqlo"}
	cities := []string{"Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Chengdu", "London", "Paris", "Berlin", "New York", "Singapore"}
	countries := []string{"CN", "CN", "CN", "CN", "CN", "GB", "FR", "DE", "US", "SG"}
	langs := []string{"zh", "zh", "zh", "zh", "zh", "en", "fr", "de", "en", "en"}
	bands := []string{"budget", "mid", "premium", "luxury"}
	channels := []string{"email", "sms", "push", "wechat"}
	genders := []string{"female", "male", "female", "male", "other"}
	occupations := []string{"engineer", "teacher", "designer", "student", "manager", "doctor", "retired", ""}
	interestPool := [][]string{nil, {"travel"}, {"photography"}, {"photography", "travel"}, {"fitness"}, {"cooking", "home"}, {"gaming"}, {"fashion", "beauty"}}
	tagPool := [][]string{nil, nil, nil, {"vip"}, {"newsletter"}, {"vip", "newsletter"}, {"wholesale"}}

	pick := func(weights []float64) int {
		u := rng.Float64()
		for i, w := range weights {
			if u < w {
				return i
			}
			u -= w
		}
		return len(weights) - 1
	}
	recs := make([]Record, n)
	for i := range recs {
		r := &recs[i]
		loc := rng.IntN(len(cities))
		r.ID = fmt.Sprintf("syn%07d", i)
		r.Age = 18 + rng.IntN(60)
		r.Gender = genders[rng.IntN(len(genders))]
		r.City, r.Country, r.Language = cities[loc], countries[loc], langs[loc]
		r.Occupation = occupations[rng.IntN(len(occupations))]
		r.Interests = interestPool[rng.IntN(len(interestPool))]
		r.Tags = tagPool[rng.IntN(len(tagPool))]

		orders := 1 + int(rng.ExpFloat64()*3)
		monetary := math.Round(float64(orders)*(20+rng.ExpFloat64()*80)*100) / 100
		recency := rng.IntN(720)
		seg := pick(rfmWeights)
		rs, fs, ms := 1+rng.IntN(5), 1+rng.IntN(5), 1+rng.IntN(5)
		r.RFM = RFM{Recency: recency, Frequency: orders, Monetary: monetary, R: rs, F: fs, M: ms,
			Score: fmt.Sprintf("%d%d%d", rs, fs, ms), Segment: rfmSegments[seg]}
		r.Lifecycle = lifecycles[rng.IntN(len(lifecycles))]
		r.PAlive = math.Round(rng.Float64()*1000) / 1000
		r.CLV = math.Round(monetary*r.PAlive*(0.5+rng.Float64()*3)*100) / 100
		k := 1 + rng.IntN(4)
		r.Affinity = make(map[string]float64, k)
		for range k {
			r.Affinity[categories[rng.IntN(len(categories))]] = math.Round(rng.Float64()*100) / 100
		}
		if rng.IntN(2) == 0 {
			r.BrandAffinity = map[string]float64{brands[rng.IntN(len(brands))]: math.Round(rng.Float64()*100) / 100}
		}
		r.PriceBand = bands[rng.IntN(len(bands))]
		r.PreferredChannel = channels[rng.IntN(len(channels))]
		r.Consent = Consent{Email: rng.Float64() < 0.6, SMS: rng.Float64() < 0.4, Push: rng.Float64() < 0.3, WeChat: rng.Float64() < 0.5}
		r.Orders = orders
		r.Revenue = monetary
		r.DaysSinceLastPurchase = recency
		r.ExpectedNextPurchaseDays = rng.IntN(120)
	}
	return recs
}
