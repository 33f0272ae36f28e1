package campaign

import (
	"context"
	"time"
)

// Done is the number of the campaign's recipients no longer pending.
func (st Status) Done() int64 { return int64(st.Total - st.Counts[SendPending]) }

// Follow reads the status of st's campaign every interval (at least 50
// ms), passing each status to seen, starting with st itself, until the
// campaign ends or is paused. When ctx ends first, Follow returns the last
// status without an error: following is only watching (Ctrl-C stops the
// watch, not the campaign). An error reading the status is returned.
func (s *Service) Follow(ctx context.Context, st Status, interval time.Duration, seen func(Status)) (Status, error) {
	t := time.NewTicker(max(interval, 50*time.Millisecond))
	defer t.Stop()
	for {
		seen(st)
		if Terminal(st.State) || st.State == Paused {
			return st, nil
		}
		select {
		case <-ctx.Done():
			return st, nil
		case <-t.C:
		}
		next, err := s.Status(ctx, st.Campaign.Name)
		if err != nil {
			return st, err
		}
		st = next
	}
}
