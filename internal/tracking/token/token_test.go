package token

import (
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

const (
	secret  = "0123456789abcdef0123456789abcdef-current"
	secret2 = "0123456789abcdef0123456789abcdef-previous"
)

var (
	at   = time.Date(2026, 11, 11, 8, 0, 0, 0, time.UTC)
	send = Send{SendID: "s_000042", Campaign: "double11", Channel: "email", Variant: "B"}
)

func codec(t testing.TB, s string, prev ...string) *Codec {
	t.Helper()
	c, err := New(s, prev...)
	if err != nil {
		t.Fatal(err)
	}
	return c.WithClock(func() time.Time { return at })
}

func TestRoundTrip(t *testing.T) {
	c := codec(t, secret)
	for _, cl := range []Claims{
		{Kind: Open, Send: send},
		{Kind: Unsubscribe, Send: send},
		{Kind: Click, Send: send, Link: 3, URL: "https://shop.example.cn/p/CN-PHOTO-BAG01?utm_source=chorus&utm_campaign=double11"},
		{Kind: Click, Send: Send{SendID: "1", Channel: "sms"}, URL: "http://127.0.0.1:8080/双11?q=%E5%8C%85"},
		{Kind: Open, Send: Send{SendID: "s", Campaign: "双11大促", Channel: "wechat"}},
	} {
		tok, err := c.Sign(cl)
		if err != nil {
			t.Fatalf("Sign(%+v): %v", cl, err)
		}
		if strings.ContainsAny(tok, "+/=") {
			t.Fatalf("token %q is not base64url without padding", tok)
		}
		got, err := c.Verify(tok, cl.Kind)
		cl.IssuedAt = at
		if err != nil || got != cl {
			t.Fatalf("Verify = %+v, %v; want %+v", got, err, cl)
		}
		for _, other := range []Kind{Open, Click, Unsubscribe} {
			if other != cl.Kind {
				if _, err := c.Verify(tok, other); err != ErrInvalid {
					t.Fatalf("%s token verified as %s", cl.Kind, other)
				}
			}
		}
	}
}

func TestCompact(t *testing.T) {
	c := codec(t, secret)
	tok, _ := c.Sign(Claims{Kind: Open, Send: send})
	// 6 header bytes, 5 of time, the four fields with their lengths and a
	// 16-byte MAC: 53 bytes, 71 characters.
	if len(tok) > 72 {
		t.Fatalf("open token is %d characters: %s", len(tok), tok)
	}
	dest := "https://shop.example.cn/p/CN-PHOTO-BAG01?utm_source=chorus"
	tok, _ = c.Sign(Claims{Kind: Click, Send: send, URL: dest})
	if max := 72 + (len(dest)+2)*4/3 + 1; len(tok) > max {
		t.Fatalf("click token is %d characters, want at most %d", len(tok), max)
	}
}

func TestRotation(t *testing.T) {
	old := codec(t, secret2)
	tok, err := old.Sign(Claims{Kind: Unsubscribe, Send: send})
	if err != nil {
		t.Fatal(err)
	}
	rotated := codec(t, secret, secret2)
	if _, err := rotated.Verify(tok, Unsubscribe); err != nil {
		t.Fatalf("a link signed before the rotation no longer works: %v", err)
	}
	// New tokens are signed with the current secret only.
	tok2, _ := rotated.Sign(Claims{Kind: Unsubscribe, Send: send})
	if _, err := old.Verify(tok2, Unsubscribe); err != ErrInvalid {
		t.Fatal("the previous secret verifies a token of the current one")
	}
	// Dropping the previous secret retires its tokens.
	if _, err := codec(t, secret).Verify(tok, Unsubscribe); err != ErrInvalid {
		t.Fatal("a retired secret's token still verifies")
	}
}

func TestRejects(t *testing.T) {
	c := codec(t, secret)
	click, _ := c.Sign(Claims{Kind: Click, Send: send, URL: "https://shop.example.cn/sale"})
	raw, _ := base64.RawURLEncoding.DecodeString(click)

	check := func(name, tok string, k Kind) {
		t.Helper()
		cl, err := c.Verify(tok, k)
		if err != ErrInvalid || cl != (Claims{}) {
			t.Errorf("%s: Verify = %+v, %v; want ErrInvalid", name, cl, err)
		}
		if !apperr.Is(err, apperr.NotFound) {
			t.Errorf("%s: kind %s", name, apperr.KindOf(err))
		}
	}
	check("empty", "", Click)
	check("garbage", "not a token at all!!", Click)
	check("forged with another secret", mustSign(t, codec(t, strings.Repeat("x", 32)), Claims{Kind: Click, Send: send, URL: "https://evil.example/"}), Click)
	for n := range len(click) {
		check("truncated", click[:n], Click)
	}
	check("appended", click+"A", Click)
	// Every single-bit change anywhere is caught.
	for i := range raw {
		for bit := range 8 {
			b := append([]byte(nil), raw...)
			b[i] ^= 1 << bit
			check("altered", base64.RawURLEncoding.EncodeToString(b), Click)
		}
	}
	// Replayed with another destination: same MAC, other URL bytes.
	i := strings.Index(string(raw), "https://shop.example.cn/sale")
	b := append([]byte(nil), raw...)
	copy(b[i:], "https://evil.example.cn/sale")
	check("other destination", base64.RawURLEncoding.EncodeToString(b), Click)
	// Non-canonical base64 (the last character's unused bits set).
	last := click[len(click)-1]
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	if len(raw)%3 != 0 {
		idx := strings.IndexByte(alphabet, last)
		check("non-canonical base64", click[:len(click)-1]+string(alphabet[idx^1]), Click)
	}
	// Padded and standard-alphabet spellings are not ours.
	check("padded", click+"==", Click)
	check("std alphabet", strings.NewReplacer("-", "+", "_", "/").Replace(click)+"+", Click)

	// A correctly MACed body that is not canonical (a non-minimal varint,
	// trailing bytes, a field running past the end) still fails: only what
	// Sign makes verifies.
	k := c.sign
	forge := func(body []byte) string {
		return base64.RawURLEncoding.EncodeToString(k.mac(body, body))
	}
	hdr := append([]byte{version, byte(Open)}, k.id[:]...)
	good := binary.AppendUvarint(append([]byte(nil), hdr...), uint64(at.Unix()))
	for _, s := range []string{"s1", "c", "email", ""} {
		good = appendString(good, s)
	}
	if _, err := c.Verify(forge(append([]byte(nil), good...)), Open); err != nil {
		t.Fatalf("hand-made canonical token: %v", err)
	}
	nonMinimal := append(append([]byte(nil), hdr...), 0x80|byte(at.Unix()&0x7f))
	nonMinimal = append(nonMinimal, binary.AppendUvarint(nil, uint64(at.Unix())>>7)...)
	nonMinimal = append(nonMinimal, 0x82, 0x00, 's', '1') // length 2 as two bytes
	check("non-minimal varint", forge(nonMinimal), Open)
	check("trailing bytes", forge(append(append([]byte(nil), good...), 0)), Open)
	check("field past the end", forge(append(append([]byte(nil), hdr...), 1, 40, 'x')), Open)
	bad := append([]byte(nil), good...)
	bad[0] = 2
	check("unknown version", forge(bad), Open)
	unknownKid := append([]byte(nil), good...)
	unknownKid[2] ^= 0xff
	check("unknown key id", forge(unknownKid), Open)
}

func mustSign(t *testing.T, c *Codec, cl Claims) string {
	t.Helper()
	tok, err := c.Sign(cl)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestSignRefuses(t *testing.T) {
	c := codec(t, secret)
	for _, tc := range []struct {
		name string
		cl   Claims
		want string
	}{
		{"unknown kind", Claims{Kind: 9, Send: send}, "kind"},
		{"no send id", Claims{Kind: Open, Send: Send{Campaign: "c"}}, "send id"},
		{"email as variant", Claims{Kind: Open, Send: Send{SendID: "s", Variant: "li.na@example.com"}}, "personal data"},
		{"email as send id", Claims{Kind: Open, Send: Send{SendID: "li.na@example.com"}}, "personal data"},
		{"long field", Claims{Kind: Open, Send: Send{SendID: strings.Repeat("s", 129)}}, "longer than"},
		{"control char", Claims{Kind: Open, Send: Send{SendID: "s\n1"}}, "control"},
		{"click without url", Claims{Kind: Click, Send: send}, "absolute"},
		{"relative", Claims{Kind: Click, Send: send, URL: "/p/1"}, "absolute"},
		{"scheme-relative", Claims{Kind: Click, Send: send, URL: "//evil.example/"}, "absolute"},
		{"javascript", Claims{Kind: Click, Send: send, URL: "javascript:alert(1)"}, "absolute"},
		{"mailto", Claims{Kind: Click, Send: send, URL: "mailto:x@y.cn"}, "absolute"},
		{"user info", Claims{Kind: Click, Send: send, URL: "https://shop.cn@evil.example/"}, "user info"},
		{"email in query", Claims{Kind: Click, Send: send, URL: "https://shop.cn/r?email=li.na%40example.com"}, "e-mail"},
		{"email in path", Claims{Kind: Click, Send: send, URL: "https://shop.cn/u/li.na@example.com"}, "e-mail"},
		{"space", Claims{Kind: Click, Send: send, URL: "https://shop.cn/a b"}, "spaces"},
		{"long url", Claims{Kind: Click, Send: send, URL: "https://shop.cn/" + strings.Repeat("a", 2048)}, "longer"},
		{"url on open", Claims{Kind: Open, Send: send, URL: "https://shop.cn/"}, "only click"},
		{"negative link", Claims{Kind: Click, Send: send, URL: "https://shop.cn/", Link: -1}, "negative"},
	} {
		_, err := c.Sign(tc.cl)
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want Invalid with %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "li.na") {
			t.Errorf("%s: the error repeats the address: %v", tc.name, err)
		}
	}
}

func TestNewRefusesShortSecrets(t *testing.T) {
	if _, err := New("short"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "tracking.secret") {
		t.Fatalf("short secret: %v", err)
	}
	if _, err := New(secret, "short"); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "previous_secrets[0]") {
		t.Fatalf("short previous secret: %v", err)
	}
}

func TestLinks(t *testing.T) {
	c := codec(t, secret)
	l, err := NewLinks("https://t.shop.cn/track/", c)
	if err != nil {
		t.Fatal(err)
	}
	open, _ := l.Open(send)
	click, _ := l.Click(send, 2, "https://shop.cn/p/1")
	unsub, _ := l.Unsubscribe(send)
	for _, tc := range []struct {
		url, prefix string
		kind        Kind
	}{{open, "https://t.shop.cn/track/t/o/", Open}, {click, "https://t.shop.cn/track/t/c/", Click}, {unsub, "https://t.shop.cn/track/u/", Unsubscribe}} {
		tok, ok := strings.CutPrefix(tc.url, tc.prefix)
		if !ok {
			t.Fatalf("%s does not start with %s", tc.url, tc.prefix)
		}
		cl, err := c.Verify(tok, tc.kind)
		if err != nil || cl.Send != send {
			t.Fatalf("%s: %+v %v", tc.url, cl, err)
		}
		if tc.kind == Click && (cl.URL != "https://shop.cn/p/1" || cl.Link != 2) {
			t.Fatalf("click claims %+v", cl)
		}
	}
	if _, err := l.Click(send, 0, "ftp://x"); !apperr.Is(err, apperr.Invalid) {
		t.Fatalf("bad destination: %v", err)
	}
	for _, base := range []string{"", "t.shop.cn", "ftp://t.shop.cn", "https://t.shop.cn/?a=1", "https://u:p@t.shop.cn"} {
		if _, err := NewLinks(base, c); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "tracking.base_url") {
			t.Errorf("NewLinks(%q): %v", base, err)
		}
	}
}

func BenchmarkSignClick(b *testing.B) {
	c := codec(b, secret)
	cl := Claims{Kind: Click, Send: send, URL: "https://shop.example.cn/p/CN-PHOTO-BAG01?utm_source=chorus"}
	for b.Loop() {
		if _, err := c.Sign(cl); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyClick(b *testing.B) {
	c := codec(b, secret, secret2)
	tok, _ := c.Sign(Claims{Kind: Click, Send: send, URL: "https://shop.example.cn/p/CN-PHOTO-BAG01?utm_source=chorus"})
	for b.Loop() {
		if _, err := c.Verify(tok, Click); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFromConfig(t *testing.T) {
	l, err := FromConfig(config.Tracking{BaseURL: "https://t.shop.cn", Secret: secret, PreviousSecrets: []string{secret2}})
	if err != nil {
		t.Fatal(err)
	}
	old := codec(t, secret2)
	tok, _ := old.Sign(Claims{Kind: Open, Send: send})
	if _, err := l.Codec().Verify(tok, Open); err != nil {
		t.Fatalf("previous secret from the config: %v", err)
	}
	for _, c := range []config.Tracking{{BaseURL: "https://t.shop.cn"}, {Secret: secret}} {
		if _, err := FromConfig(c); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("FromConfig(%+v): %v", c, err)
		}
	}
}
