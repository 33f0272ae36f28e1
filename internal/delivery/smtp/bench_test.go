package smtp

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
)

const benchConns = 4

// BenchmarkSMTP sends b.N messages through our Sender and b.N through a
// raw go-mail loop (one go-mail Client per goroutine, dialled once,
// without NOOP or RSET per message: go-mail's fastest settings), to the
// same local sink with the same connection count, and reports both rates
// and their ratio. Run it with a fixed count, e.g.
//
//	go test -run XXX -bench SMTP -benchtime 20000x ./internal/delivery/smtp
func BenchmarkSMTP(b *testing.B) {
	for _, tc := range []struct {
		name string
		dkim bool
	}{{"plain", false}, {"dkim-ed25519", true}} {
		b.Run(tc.name, func(b *testing.B) { benchSMTP(b, tc.dkim) })
	}
}

func benchSMTP(b *testing.B, withDKIM bool) {
	sink, err := deliverytest.NewSMTPServer()
	if err != nil {
		b.Fatal(err)
	}
	defer sink.Close()
	links := testLinks(b)
	msgs := make([]delivery.Message, 1000)
	for i := range msgs {
		msgs[i] = testMessage(b, links, i)
	}
	cfg := Config{URL: "smtp://" + sink.Addr, From: "Shop <news@shop.example.cn>", Connections: benchConns}
	var signer *gomail.DKIMSigner
	if withDKIM {
		_, key, _ := ed25519.GenerateKey(rand.Reader)
		cfg.DKIM = &DKIM{Domain: "shop.example.cn", Selector: "s1", Key: key}
		signer = gomail.NewDKIMSigner("shop.example.cn", "s1", key)
	}
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := b.N
	b.ResetTimer()
	// Halves in alternating order, so drift of the machine hits both.
	var ours, raw time.Duration
	for half := range 2 {
		m := n / 2
		if half == 1 {
			m = n - n/2
		}
		runOurs := func() { ours += timeIt(func() { sendOurs(b, s, msgs, m) }) }
		runRaw := func() { raw += timeIt(func() { sendRaw(b, sink.Addr, msgs, m, signer) }) }
		if half == 0 {
			runOurs()
			runRaw()
		} else {
			runRaw()
			runOurs()
		}
	}
	b.StopTimer()
	if st := sink.Stats(); st.Accepted != 2*n {
		b.Fatalf("sink accepted %d of %d", st.Accepted, 2*n)
	}
	b.ReportMetric(float64(n)/ours.Seconds(), "msg/s")
	b.ReportMetric(float64(n)/raw.Seconds(), "raw_msg/s")
	b.ReportMetric(raw.Seconds()/ours.Seconds(), "ratio")
	b.ReportMetric(0, "ns/op")
}

func timeIt(fn func()) time.Duration {
	start := time.Now()
	fn()
	return time.Since(start)
}

func sendOurs(b *testing.B, s *Sender, msgs []delivery.Message, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				if _, err := s.Send(context.Background(), msgs[i%int64(len(msgs))]); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}

// sendRaw is the loop a go-mail user writes: a client per connection, a
// Msg built per message with the same headers and parts as ours.
func sendRaw(b *testing.B, addr string, msgs []delivery.Message, n int, signer *gomail.DKIMSigner) {
	host, portS, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portS)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range benchConns {
		wg.Go(func() {
			opts := []gomail.Option{gomail.WithPort(port), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithoutNoop(), gomail.WithoutRset()}
			if signer != nil {
				opts = append(opts, gomail.WithAlwaysDKIMSign(signer))
			}
			c, err := gomail.NewClient(host, opts...)
			if err != nil {
				b.Error(err)
				return
			}
			if err := c.DialWithContext(context.Background()); err != nil {
				b.Error(err)
				return
			}
			defer c.Close()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				m := msgs[i%int64(len(msgs))]
				msg := gomail.NewMsg()
				msg.FromFormat("Shop", "news@shop.example.cn")
				msg.AddToFormat(m.ToName, m.To)
				msg.Subject(m.Subject)
				msg.SetDate()
				msg.SetMessageIDWithValue(delivery.MessageID(m.Key, "shop.example.cn"))
				msg.SetListUnsubscribeOneClick(m.UnsubscribeURL)
				msg.SetBodyString(gomail.TypeTextPlain, m.Text)
				html := m.HTML
				if html == "" {
					html = "<p>" + m.Text + "</p>"
				}
				msg.AddAlternativeString(gomail.TypeTextHTML, html)
				if err := c.Send(msg); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
