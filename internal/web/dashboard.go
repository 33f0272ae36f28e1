package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// dashboardView is the dashboard's view model.
type dashboardView struct {
	Days       int
	DayChoices []int
	From, To   string
	KPIs       []kpi
	Charts     []Chart
}

type kpi struct {
	Key   string // catalogue key of its label
	Value string
}

// Dashboard shows the shop's KPIs and charts of sends, CTR, orders and
// revenue per day over the last ?days= (7, 30 or 90; 30) days up to
// ?to= (YYYY-MM-DD; the latest activity).
func (c *Console) Dashboard(w http.ResponseWriter, r *http.Request) error {
	days := 30
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || (n != 7 && n != 30 && n != 90) {
			return apperr.New(apperr.Invalid, "days=%q: choose 7, 30 or 90", v)
		}
		days = n
	}
	var to time.Time
	if v := r.URL.Query().Get("to"); v != "" {
		t, err := time.Parse("2006-01-02", v)
		if err != nil {
			return apperr.New(apperr.Invalid, "to=%q is not a date like 2026-11-11", v)
		}
		to = t
	}
	a, err := tracking.ActivityOf(r.Context(), c.deps.App.Store, to, days)
	if err != nil {
		return err
	}
	n := len(a.Buckets)
	sends, ctr, orders, revenue := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, b := range a.Buckets {
		sends[i], ctr[i], orders[i], revenue[i] = float64(b.Sends), b.CTR(), float64(b.Orders), b.Revenue
	}
	v := dashboardView{
		Days: days, DayChoices: []int{7, 30, 90},
		From: a.From.Format("2006-01-02"), To: a.To.Add(-time.Nanosecond).Format("2006-01-02"),
		KPIs: []kpi{
			{"dashboard.sends", formatCount(float64(a.Total.Sends))},
			{"dashboard.ctr", formatPercent(a.Total.CTR())},
			{"dashboard.orders", formatCount(float64(a.Total.Orders))},
			{"dashboard.revenue", formatMoney(a.Total.Revenue)},
		},
		Charts: []Chart{
			barChart("dashboard.chart_sends", a.From, a.Step, sends, formatCount),
			barChart("dashboard.chart_ctr", a.From, a.Step, ctr, formatPercent),
			barChart("dashboard.chart_orders", a.From, a.Step, orders, formatCount),
			barChart("dashboard.chart_revenue", a.From, a.Step, revenue, formatMoney),
		},
	}
	return c.Render(w, r, "dashboard", "nav.dashboard", v)
}
