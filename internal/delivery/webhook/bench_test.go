package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
)

const benchWorkers = 8

// BenchmarkWebhook posts b.N signed messages through our Sender and b.N
// unsigned bodies of the same size through a bare net/http loop, to the
// same httptest receiver (which verifies the signed ones) with the same
// concurrency, and reports both rates and their ratio:
//
//	go test -run XXX -bench Webhook -benchtime 20000x ./internal/delivery/webhook
func BenchmarkWebhook(b *testing.B) {
	rcv := deliverytest.NewReceiver(b, secret, deliverytest.WithoutKeep())
	s := newSender(b, rcv.URL, func(c *Config) { c.Connections = benchWorkers })
	msgs := make([]delivery.Message, 1000)
	for i := range msgs {
		msgs[i] = sms(i)
	}
	body, _ := json.Marshal(payload(msgs[0], delivery.WebhookID(msgs[0].Key), time.Now()))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost, tr.MaxConnsPerHost = benchWorkers, benchWorkers
	bare := &http.Client{Transport: tr, Timeout: 10 * time.Second}

	n := b.N
	b.ResetTimer()
	var ours, raw time.Duration
	for half := range 2 {
		m := n / 2
		if half == 1 {
			m = n - n/2
		}
		o := func() {
			ours += timed(func() {
				run(b, m, func(i int) error { _, err := s.Send(context.Background(), msgs[i%len(msgs)]); return err })
			})
		}
		r := func() {
			raw += timed(func() {
				run(b, m, func(int) error {
					resp, err := bare.Post(rcv.URL, "application/json", bytes.NewReader(body))
					if err != nil {
						return err
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					return nil
				})
			})
		}
		if half == 0 {
			o()
			r()
		} else {
			r()
			o()
		}
	}
	b.StopTimer()
	if st := rcv.Stats(); st.Accepted != n {
		b.Fatalf("receiver accepted %d signed of %d", st.Accepted, n)
	}
	b.ReportMetric(float64(n)/ours.Seconds(), "msg/s")
	b.ReportMetric(float64(n)/raw.Seconds(), "bare_msg/s")
	b.ReportMetric(raw.Seconds()/ours.Seconds(), "ratio")
	b.ReportMetric(0, "ns/op")
}

func timed(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func run(b *testing.B, n int, fn func(i int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchWorkers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
