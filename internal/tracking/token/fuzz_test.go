package token

import (
	"testing"
)

// FuzzVerify feeds arbitrary strings to the decoder: it must never panic,
// and whatever it accepts must be exactly what Sign makes of the claims it
// returned (so there is one spelling of each token, and a click's
// destination is the one that was signed).
func FuzzVerify(f *testing.F) {
	c := codec(f, secret, secret2)
	old := codec(f, secret2)
	for _, cl := range []Claims{
		{Kind: Open, Send: send},
		{Kind: Click, Send: send, Link: 1, URL: "https://shop.example.cn/p/1?utm_source=chorus"},
		{Kind: Unsubscribe, Send: Send{SendID: "x", Channel: "sms"}},
	} {
		tok, _ := c.Sign(cl)
		f.Add(tok, byte(cl.Kind))
		tok, _ = old.Sign(cl)
		f.Add(tok, byte(cl.Kind))
	}
	f.Add("", byte(1))
	f.Add("AQEAAAAA", byte(2))
	f.Fuzz(func(t *testing.T, tok string, kind byte) {
		cl, err := c.Verify(tok, Kind(kind))
		if err != nil {
			if err != ErrInvalid || cl != (Claims{}) {
				t.Fatalf("failure returned %+v, %v", cl, err)
			}
			return
		}
		if cl.Kind != Kind(kind) {
			t.Fatalf("verified a %s token as %d", cl.Kind, kind)
		}
		// Re-sign with the secret whose key id the token carries.
		for _, signer := range []*Codec{c, old} {
			again, err := signer.Sign(cl)
			if err == nil && again == tok {
				return
			}
		}
		t.Fatalf("accepted token %q is not what Sign makes of %+v", tok, cl)
	})
}

// FuzzSignVerify checks that every token Sign makes verifies to the same
// claims, and that Sign's refusals never panic.
func FuzzSignVerify(f *testing.F) {
	c := codec(f, secret)
	f.Add("s1", "double11", "email", "A", "https://shop.cn/p?x=1", uint16(0), byte(2))
	f.Add("s2", "双11", "sms", "", "", uint16(0), byte(1))
	f.Fuzz(func(t *testing.T, sendID, campaign, channel, variant, dest string, link uint16, kind byte) {
		cl := Claims{Kind: Kind(kind), Send: Send{SendID: sendID, Campaign: campaign, Channel: channel, Variant: variant}}
		if cl.Kind == Click {
			cl.URL, cl.Link = dest, int(link)
		}
		tok, err := c.Sign(cl)
		if err != nil {
			return
		}
		got, err := c.Verify(tok, cl.Kind)
		cl.IssuedAt = at
		if err != nil || got != cl {
			t.Fatalf("Sign/Verify: %+v, %v; want %+v", got, err, cl)
		}
	})
}
