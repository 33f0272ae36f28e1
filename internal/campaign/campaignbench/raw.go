package campaignbench

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/delivery/deliverytest"
)

// mailTemplate is one message the pipeline sent, read back from the sink:
// what the raw loop sends again, to other addresses under other
// Message-IDs, so that both sides move mail of the same size and
// structure.
type mailTemplate struct {
	lang                string
	fromName, fromAddr  string
	subject             string
	text, html          string
	unsubscribe         string // the one-click URL of List-Unsubscribe
	feedbackID          string
	precedence, autoSup string
	encoding            gomail.Encoding
}

// templates reads the first stored message of each language the sink
// kept. Errors are Internal: the pipeline's mail did not parse.
func templates(rs []deliverytest.Received) (map[string]mailTemplate, error) {
	out := map[string]mailTemplate{}
	for _, r := range rs {
		if len(r.Data) == 0 || !r.Accepted {
			continue
		}
		t, err := parseTemplate(r.Data)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Internal, "read back a message the pipeline sent")
		}
		if _, ok := out[t.lang]; !ok {
			out[t.lang] = t
		}
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.Internal, "the sink kept no message of the pipeline to send again")
	}
	return out, nil
}

// parseTemplate reads one multipart/alternative message as the SMTP
// sender writes it.
func parseTemplate(data []byte) (t mailTemplate, err error) {
	m, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return t, err
	}
	h := m.Header
	var dec mime.WordDecoder
	if t.subject, err = dec.DecodeHeader(h.Get("Subject")); err != nil {
		return t, err
	}
	from, err := mail.ParseAddress(h.Get("From"))
	if err != nil {
		return t, err
	}
	t.fromName, t.fromAddr = from.Name, from.Address
	t.lang = h.Get("Content-Language")
	t.unsubscribe = strings.Trim(strings.TrimSpace(h.Get("List-Unsubscribe")), "<>")
	if h.Get("List-Unsubscribe-Post") == "" || t.unsubscribe == "" {
		return t, fmt.Errorf("no RFC 8058 one-click List-Unsubscribe")
	}
	t.feedbackID, t.precedence, t.autoSup = h.Get("Feedback-ID"), h.Get("Precedence"), h.Get("X-Auto-Response-Suppress")
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return t, err
	}
	if mt != "multipart/alternative" {
		return t, fmt.Errorf("content type %s, not multipart/alternative", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return t, err
		}
		var r io.Reader = p
		switch cte := strings.ToLower(p.Header.Get("Content-Transfer-Encoding")); cte {
		case "base64":
			t.encoding = gomail.EncodingB64
			r = base64.NewDecoder(base64.StdEncoding, p) // line breaks are skipped
		case "quoted-printable":
			t.encoding = gomail.EncodingQP
			r = quotedprintable.NewReader(p)
		default:
			return t, fmt.Errorf("part encoding %q", cte)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			return t, err
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		switch pt {
		case "text/plain":
			t.text = string(b)
		case "text/html":
			t.html = string(b)
		}
	}
	if t.text == "" || t.html == "" {
		return t, fmt.Errorf("a text or an HTML part is missing")
	}
	return t, nil
}

// msg builds the raw loop's i-th message from t with go-mail: the
// header set and parts of the pipeline's (From, To with her name,
// Subject, Date, Message-ID, Content-Language, RFC 8058 List-Unsubscribe
// and List-Unsubscribe-Post, Feedback-ID, Precedence,
// X-Auto-Response-Suppress; text and HTML alternatives in the same
// transfer encoding).
func (t mailTemplate) msg(i int, to, idPrefix string) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithEncoding(t.encoding), gomail.WithNoDefaultUserAgent())
	if err := m.FromFormat(t.fromName, t.fromAddr); err != nil {
		return nil, err
	}
	if err := m.AddToFormat("Customer "+strconv.Itoa(i), to); err != nil {
		return nil, err
	}
	m.Subject(t.subject)
	m.SetDateWithValue(time.Now())
	m.SetMessageIDWithValue(idPrefix + strconv.Itoa(i) + "@bench.example")
	if t.lang != "" {
		m.SetGenHeader(gomail.HeaderContentLang, t.lang)
	}
	if err := m.SetListUnsubscribeOneClick(t.unsubscribe); err != nil {
		return nil, err
	}
	if t.feedbackID != "" {
		m.SetGenHeader("Feedback-ID", t.feedbackID)
	}
	if t.precedence != "" {
		m.SetGenHeader(gomail.HeaderPrecedence, t.precedence)
	}
	if t.autoSup != "" {
		m.SetGenHeader(gomail.HeaderXAutoResponseSuppress, t.autoSup)
	}
	m.SetBodyString(gomail.TypeTextPlain, t.text)
	m.AddAlternativeString(gomail.TypeTextHTML, t.html)
	return m, nil
}

// rawLoop sends n messages made from ts (the i-th in the language of the
// bench's i-th recipient, langOf) with go-mail over conns
// connections, each reused for its share, and returns the rate. Each
// message is built with go-mail right before it goes, as a program
// without a queue would build it. Its Message-IDs start with idPrefix, so
// that two loops to one sink are told apart from each other and from the
// pipeline.
func rawLoop(ctx context.Context, addr string, n, conns int, ts map[string]mailTemplate, idPrefix string) (float64, error) {
	var any mailTemplate
	for _, t := range ts {
		any = t
	}
	host, port, _ := strings.Cut(addr, ":")
	p, _ := strconv.Atoi(port)
	per := (n + conns - 1) / conns
	var wg sync.WaitGroup
	errs := make(chan error, conns)
	t0 := time.Now()
	for c := range conns {
		wg.Go(func() {
			cl, err := gomail.NewClient(host, gomail.WithPort(p), gomail.WithTLSPolicy(gomail.NoTLS), gomail.WithHELO("bench"))
			if err != nil {
				errs <- err
				return
			}
			if err := cl.DialWithContext(ctx); err != nil {
				errs <- err
				return
			}
			defer cl.Close()
			for i := c * per; i < min(n, (c+1)*per); i++ {
				t, ok := ts[langOf(i)]
				if !ok {
					t = any
				}
				m, err := t.msg(i, fmt.Sprintf("%s%d@%s", idPrefix, i, benchDomains[i%len(benchDomains)]), idPrefix)
				if err != nil {
					errs <- err
					return
				}
				if err := cl.Send(m); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, apperr.Wrap(err, apperr.Unavailable, "raw go-mail loop")
	}
	return float64(n) / time.Since(t0).Seconds(), nil
}
