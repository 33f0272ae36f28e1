package tracking

import (
	"context"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ActivityStore reads the shop's activity in equal time buckets; it is
// declared here, by its consumer, and store/sqlstore implements it.
type ActivityStore interface {
	// Activity returns n buckets of width step from from, in order, each
	// with the messages sent in it, the human clicks made in it, and the
	// shop's orders, buyers and revenue (purchases less refunds).
	Activity(ctx context.Context, from time.Time, step time.Duration, n int) ([]Bucket, error)
	// LatestActivity is the time of the newest event, send or click;
	// zero for an empty shop.
	LatestActivity(ctx context.Context) (time.Time, error)
}

// Bucket is one period of the shop's activity.
type Bucket struct {
	Start time.Time
	// Sends are campaign messages that went out; Clicks are people's
	// human clicks on them (a machine's are left out) in the period.
	Sends  int64
	Clicks int64
	// Orders and Buyers count the shop's purchases and distinct buying
	// customers; Revenue is purchases less refunds, in the shop's
	// currency.
	Orders  int64
	Buyers  int64
	Revenue float64
}

// CTR is clicks over sends (0 without sends).
func (b Bucket) CTR() float64 {
	if b.Sends == 0 {
		return 0
	}
	return float64(b.Clicks) / float64(b.Sends)
}

// Activity is the dashboard's figures: the buckets and their sum.
type Activity struct {
	From, To time.Time
	Step     time.Duration
	Buckets  []Bucket
	Total    Bucket
}

// ActivityOf reads the n days that end with the day of to (UTC); a zero
// to is the day of the shop's latest activity (an imported history may
// end long ago), or now for an empty shop. Errors are apperr.Invalid for
// n outside 1..366 and the store's.
func ActivityOf(ctx context.Context, st ActivityStore, to time.Time, n int) (Activity, error) {
	if n < 1 || n > 366 {
		return Activity{}, apperr.New(apperr.Invalid, "the dashboard shows 1 to 366 days, not %d", n)
	}
	if to.IsZero() {
		t, err := st.LatestActivity(ctx)
		if err != nil {
			return Activity{}, err
		}
		to = t
		if to.IsZero() {
			to = time.Now()
		}
	}
	const day = 24 * time.Hour
	end := to.UTC().Truncate(day).Add(day)
	from := end.Add(-time.Duration(n) * day)
	bs, err := st.Activity(ctx, from, day, n)
	if err != nil {
		return Activity{}, err
	}
	a := Activity{From: from, To: end, Step: day, Buckets: bs}
	for _, b := range bs {
		a.Total.Sends += b.Sends
		a.Total.Clicks += b.Clicks
		a.Total.Orders += b.Orders
		a.Total.Buyers += b.Buyers // a buyer of two days counts twice
		a.Total.Revenue += b.Revenue
	}
	a.Total.Start = from
	return a, nil
}
