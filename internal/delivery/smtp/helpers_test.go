package smtp

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/delivery"
	"github.com/chorusmkt/chorus/internal/tracking/token"
)

const trackSecret = "test-tracking-secret-0123456789abcdef"

// testLinks signs unsubscribe links as the campaign will.
func testLinks(t testing.TB) *token.Links {
	t.Helper()
	c, err := token.New(trackSecret)
	if err != nil {
		t.Fatal(err)
	}
	l, err := token.NewLinks("https://t.shop.example.cn", c)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testMessage is the i-th message of a bilingual campaign.
func testMessage(t testing.TB, links *token.Links, i int) delivery.Message {
	t.Helper()
	cust := fmt.Sprintf("C%06d", i)
	key := delivery.Key("double11", cust, delivery.Email)
	unsub, err := links.Unsubscribe(token.Send{SendID: key, Campaign: "double11", Channel: delivery.Email, Variant: "A"})
	if err != nil {
		t.Fatal(err)
	}
	m := delivery.Message{
		Key: key, Channel: delivery.Email, To: fmt.Sprintf("user%d@example%d.cn", i, i%3),
		CampaignID: "double11", Variant: "A", SendID: key, CustomerID: cust, UnsubscribeURL: unsub,
	}
	if i%2 == 0 {
		m.Language, m.ToName = "zh", "李娜"
		m.Subject = fmt.Sprintf("双11 提前购：您的专属礼遇 #%d 🎁", i)
		m.Text = "亲爱的李娜：\n\n您关注的摄影包今晚 8 点开抢，前 100 名加赠镜头布。\n\n立即查看：https://shop.example.cn/p/CN-PHOTO-BAG01\n\n退订：" + unsub + "\n"
		m.HTML = `<html><body><p>亲爱的李娜：</p><p>您关注的<b>摄影包</b>今晚 8 点开抢，前 100 名加赠镜头布。</p><p><a href="https://shop.example.cn/p/CN-PHOTO-BAG01">立即查看</a></p><p><a href="` + unsub + `">退订</a></p></body></html>`
	} else {
		m.Language, m.ToName = "en", "Emma Stone"
		m.Subject = fmt.Sprintf("Early access to Singles' Day, #%d", i)
		m.Text = "Hi Emma,\n\nThe camera bag you liked goes on sale tonight at 8 pm.\n\nShop now: https://shop.example.cn/p/CN-PHOTO-BAG01\n\nUnsubscribe: " + unsub + "\n"
	}
	return m
}

// parsed is a received message taken apart by the standard library's
// MIME parser, as a mail client would.
type parsed struct {
	header  mail.Header
	subject string
	text    string
	html    string
}

func parseMessage(t testing.TB, raw []byte) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("net/mail cannot read the message: %v", err)
	}
	var p parsed
	p.header = msg.Header
	dec := new(mime.WordDecoder)
	if p.subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q (%v), want multipart/alternative", msg.Header.Get("Content-Type"), err)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mr.NextPart() // decodes quoted-printable itself
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		b, err := io.ReadAll(part)
		if err != nil {
			t.Fatal(err)
		}
		if part.Header.Get("Content-Transfer-Encoding") == "base64" {
			b = decodeBase64(t, b)
		}
		pt, pp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if pp["charset"] != "" && !strings.EqualFold(pp["charset"], "utf-8") {
			t.Fatalf("part charset %q", pp["charset"])
		}
		switch pt {
		case "text/plain":
			p.text = string(b)
		case "text/html":
			p.html = string(b)
		default:
			t.Fatalf("unexpected part %s", pt)
		}
	}
	if p.text == "" || p.html == "" {
		t.Fatalf("message lacks a text or an HTML part (text %d bytes, html %d bytes)", len(p.text), len(p.html))
	}
	return p
}

func decodeBase64(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	dec := base64StdDecoder(bytes.NewReader(b))
	if _, err := io.Copy(&out, dec); err != nil {
		t.Fatalf("base64 part: %v", err)
	}
	return out.Bytes()
}

// selfSigned writes a certificate for 127.0.0.1/localhost and its key to
// dir, and returns their paths and a TLS config that trusts it.
func selfSigned(t testing.TB, dir string) (certFile, keyFile string, trust *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := x509.MarshalPKCS8PrivateKey(key)
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
}

func base64StdDecoder(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, &stripNewlines{r: r})
}

// stripNewlines drops CR and LF from a base64 body.
type stripNewlines struct{ r io.Reader }

func (s *stripNewlines) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for i := range n {
		if p[i] != '\r' && p[i] != '\n' {
			p[j] = p[i]
			j++
		}
	}
	return j, err
}
