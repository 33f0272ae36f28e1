package campaign

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chorusmkt/chorus/internal/delivery"
)

// gateSender holds every send until open is closed, counting the sends in
// flight and the most at once.
type gateSender struct {
	open chan struct{}
	mu   sync.Mutex
	now  int
	most int
}

func (g *gateSender) enter() {
	g.mu.Lock()
	g.now++
	g.most = max(g.most, g.now)
	g.mu.Unlock()
}

func (g *gateSender) leave() {
	g.mu.Lock()
	g.now--
	g.mu.Unlock()
}

func (g *gateSender) inFlight() (now, most int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.now, g.most
}

func (g *gateSender) Send(ctx context.Context, m delivery.Message) (delivery.Result, error) {
	g.enter()
	defer g.leave()
	<-g.open
	return delivery.Result{ID: m.Key}, nil
}

// gateBatchSender is a gateSender that takes a chunk as one unit.
type gateBatchSender struct{ *gateSender }

func (g gateBatchSender) SendBatch(ctx context.Context, msgs []delivery.Message) ([]delivery.Result, []error) {
	g.enter()
	defer g.leave()
	<-g.open
	rs := make([]delivery.Result, len(msgs))
	for i, m := range msgs {
		rs[i] = delivery.Result{ID: m.Key}
	}
	return rs, make([]error, len(msgs))
}

// chunkOf is n due messages on channel ch, claimed at attempt 1, with
// row ids from first on.
func chunkOf(ch string, first int64, n int) ([]ready, map[int64]int, []time.Time) {
	part := make([]ready, n)
	attempts := map[int64]int{}
	for i := range part {
		id := first + int64(i)
		key := fmt.Sprintf("%s-%d", ch, id)
		part[i] = ready{row: Send{ID: id, Channel: ch, Key: key}, msg: delivery.Message{Key: key, Channel: ch}}
		attempts[id] = 1
	}
	return part, attempts, make([]time.Time, n)
}

// A channel's Concurrency bounds its sends in flight across every chunk
// the service dispatches at once (two batch jobs here); a channel without
// one sends its whole chunk at once, and a batch sender's unit counts as
// one send.
func TestDispatchBoundsConcurrency(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		open := make(chan struct{})
		email, sms, ad := &gateSender{open: open}, &gateSender{open: open}, &gateSender{open: open}
		s := &Service{Senders: map[string]Channel{
			delivery.Email: {Sender: email, Concurrency: 3},
			delivery.SMS:   {Sender: sms},
			delivery.Ad:    {Sender: gateBatchSender{ad}, Concurrency: 1},
		}}
		ctx := context.Background()
		type chunk struct {
			part     []ready
			attempts map[int64]int
			slots    []time.Time
		}
		var chunks []chunk
		for i, ch := range []string{delivery.Email, delivery.Email, delivery.SMS, delivery.Ad, delivery.Ad} {
			p, a, sl := chunkOf(ch, int64(100*(i+1)), 10)
			chunks = append(chunks, chunk{p, a, sl})
		}
		results := make([][]Outcome, len(chunks))
		var wg sync.WaitGroup
		for i, c := range chunks {
			wg.Go(func() { results[i] = s.dispatch(ctx, ctx, c.part, c.attempts, c.slots) })
		}
		synctest.Wait() // every send that may start has started and waits at the gate
		if now, _ := email.inFlight(); now != 3 {
			t.Errorf("email in flight: %d, want its concurrency 3 (of 20 due in two chunks)", now)
		}
		if now, _ := sms.inFlight(); now != 10 {
			t.Errorf("sms in flight: %d, want the whole chunk of 10 (no bound)", now)
		}
		if now, _ := ad.inFlight(); now != 1 {
			t.Errorf("ad units in flight: %d, want 1 (two chunks, concurrency 1)", now)
		}
		close(open)
		wg.Wait()
		if _, most := email.inFlight(); most != 3 {
			t.Errorf("email: at most %d in flight, want 3", most)
		}
		if _, most := ad.inFlight(); most != 1 {
			t.Errorf("ad: at most %d units in flight, want 1", most)
		}
		for i, rs := range results {
			for k, o := range rs {
				if o.State != SendSent || o.MessageID != chunks[i].part[k].msg.Key {
					t.Fatalf("chunk %d message %d: %+v, want sent", i, k, o)
				}
			}
		}
	})
}

// A send waiting for its channel's slot when the job's context ends is
// not attempted: it stays pending with its attempt taken back.
func TestDispatchInterruptedWaitingForSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		open := make(chan struct{})
		email := &gateSender{open: open}
		s := &Service{Senders: map[string]Channel{delivery.Email: {Sender: email, Concurrency: 2}}}
		ctx, cancel := context.WithCancel(context.Background())
		part, attempts, slots := chunkOf(delivery.Email, 1, 5)
		var rs []Outcome
		done := make(chan struct{})
		go func() {
			defer close(done)
			rs = s.dispatch(ctx, context.WithoutCancel(ctx), part, attempts, slots)
		}()
		synctest.Wait()
		cancel()
		synctest.Wait() // the three waiting for a slot give up
		close(open)
		<-done
		sent, waited := 0, 0
		for _, o := range rs {
			switch {
			case o.State == SendSent:
				sent++
			case o.State == SendPending && o.Unattempted && o.Code == delivery.CodeCancelled:
				waited++
			default:
				t.Errorf("unexpected outcome %+v", o)
			}
		}
		if sent != 2 || waited != 3 {
			t.Fatalf("%d sent, %d interrupted; want 2 and 3", sent, waited)
		}
	})
}
