package demo

import (
	"math/rand/v2"
	"sort"
	"time"
)

// season is the relative shopping intensity of each day of the window for
// one market, normalised to a mean of 1, with its running sum so that a
// process running in "seasonal time" can be mapped back to calendar days.
type season struct {
	start time.Time // first day (UTC midnight)
	days  int
	w     []float64 // per day, mean 1
	cum   []float64 // cum[i] = sum of w[:i+1]
}

// lunarNewYear is the first day of the Chinese New Year; the demo only needs
// the years around its default window.
var lunarNewYear = map[int]time.Time{
	2024: time.Date(2024, 2, 10, 0, 0, 0, 0, time.UTC),
	2025: time.Date(2025, 1, 29, 0, 0, 0, 0, time.UTC),
	2026: time.Date(2026, 2, 17, 0, 0, 0, 0, time.UTC),
	2027: time.Date(2027, 2, 6, 0, 0, 0, 0, time.UTC),
	2028: time.Date(2028, 1, 26, 0, 0, 0, 0, time.UTC),
	2029: time.Date(2029, 2, 13, 0, 0, 0, 0, time.UTC),
	2030: time.Date(2030, 2, 3, 0, 0, 0, 0, time.UTC),
}

// blackFriday is the day after the fourth Thursday of November.
func blackFriday(year int) time.Time {
	d := time.Date(year, 11, 1, 0, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Thursday {
		d = d.AddDate(0, 0, 1)
	}
	return d.AddDate(0, 0, 22)
}

// dayWeight is the intensity of one calendar day for a market before
// normalisation: a monthly base times the shopping festivals of the market.
func dayWeight(lang string, d time.Time) float64 {
	y, m, day := d.Date()
	if lang == LangZH {
		base := [13]float64{0, 1.0, 0.8, 0.95, 0.95, 1.0, 1.35, 0.9, 0.8, 0.95, 1.05, 1.5, 1.1}[m]
		w := base
		switch {
		case m == 11 && day <= 11: // 双11: presales from the 1st, the peak on the 11th
			w *= 2.2
			if day == 11 {
				w *= 3
			}
		case m == 6 && day <= 18: // 618
			w *= 1.9
			if day == 18 {
				w *= 2.6
			}
		case m == 12 && day == 12: // 双12
			w *= 2.2
		}
		if ny, ok := lunarNewYear[y]; ok {
			// Couriers stop around the Spring Festival, so online orders dip
			// from a week before to a week after it; the New Year goods fair
			// in the weeks before lifts them.
			diff := d.Sub(ny).Hours() / 24
			switch {
			case diff >= -7 && diff <= 7:
				w *= 0.35
			case diff >= -25 && diff < -7:
				w *= 1.3
			}
		}
		return w
	}
	base := [13]float64{0, 0.8, 0.85, 0.95, 1.0, 1.0, 1.0, 1.05, 0.95, 0.95, 1.0, 1.3, 1.5}[m]
	w := base
	bf := blackFriday(y)
	switch {
	case d.Equal(bf):
		w *= 4.5
	case d.Equal(bf.AddDate(0, 0, 3)): // Cyber Monday
		w *= 3.2
	case d.After(bf.AddDate(0, 0, -7)) && d.Before(bf.AddDate(0, 0, 4)):
		w *= 1.8
	case m == 12 && day >= 1 && day <= 20: // Christmas shopping
		w *= 1.5
	case m == 12 && (day == 24 || day == 25):
		w *= 0.4
	case m == 12 && day == 26: // Boxing Day sales (UK, AU)
		w *= 2.2
	case m == 2 && day >= 7 && day <= 13: // Valentine's gifts
		w *= 1.3
	case m == 7 && day >= 8 && day <= 11: // mid-summer sale
		w *= 1.6
	}
	return w
}

func newSeason(lang string, start time.Time, days int) *season {
	s := &season{start: start, days: days, w: make([]float64, days), cum: make([]float64, days)}
	var sum float64
	for i := range days {
		s.w[i] = dayWeight(lang, start.AddDate(0, 0, i))
		sum += s.w[i]
	}
	mean := sum / float64(days)
	var c float64
	for i := range days {
		s.w[i] /= mean
		c += s.w[i]
		s.cum[i] = c
	}
	return s
}

// at returns the seasonal time (in mean-days) elapsed at day offset d.
func (s *season) at(d float64) float64 {
	if d <= 0 {
		return d // before the window the intensity is taken as the mean
	}
	i := int(d)
	if i >= s.days {
		return s.cum[s.days-1] + (d - float64(s.days))
	}
	prev := 0.0
	if i > 0 {
		prev = s.cum[i-1]
	}
	return prev + (d-float64(i))*s.w[i]
}

// day maps seasonal time x back to a day offset (possibly fractional),
// the inverse of at.
func (s *season) day(x float64) float64 {
	if x <= 0 {
		return x
	}
	total := s.cum[s.days-1]
	if x >= total {
		return float64(s.days) + (x - total)
	}
	i := sort.SearchFloat64s(s.cum, x)
	prev := 0.0
	if i > 0 {
		prev = s.cum[i-1]
	}
	return float64(i) + (x-prev)/s.w[i]
}

// draw returns a day offset in [from, to) drawn with seasonal density.
func (s *season) draw(r *rand.Rand, from, to float64) float64 {
	a, b := s.at(from), s.at(to)
	return s.day(a + r.Float64()*(b-a))
}
