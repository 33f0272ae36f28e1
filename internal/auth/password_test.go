package auth

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/apperr"
)

func TestPasswordHash(t *testing.T) {
	p := Argon2{Time: 1, Memory: 64, Threads: 1}
	h, err := hashPassword("correct horse", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string with its parameters", h)
	}
	h2, _ := hashPassword("correct horse", p)
	if h == h2 {
		t.Fatal("two hashes of one password are equal: no salt")
	}
	for pw, want := range map[string]bool{"correct horse": true, "correct hors": false, "": false, "Correct horse": false} {
		if ok, err := verifyPassword(pw, h); err != nil || ok != want {
			t.Errorf("verify(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	// a hash made with other parameters still verifies: they are read from it
	old, _ := hashPassword("correct horse", Argon2{Time: 2, Memory: 128, Threads: 2})
	if ok, err := verifyPassword("correct horse", old); !ok || err != nil {
		t.Fatalf("verify with the stored parameters = %v, %v", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=64,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=64,t=0,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=64,t=1,p=1$!!$a2V5", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$"} {
		if ok, err := verifyPassword("x", bad); ok || err == nil {
			t.Errorf("verify against %q = %v, %v; want an error", bad, ok, err)
		}
	}
}

func TestCheckPasswordCountsRunes(t *testing.T) {
	for pw, ok := range map[string]bool{
		"123456789":              false, // 9
		"1234567890":             true,
		"密码密码密码密码密":              false, // 9 runes, 27 bytes
		"密码密码密码密码密码":             true,
		strings.Repeat("x", 257): false,
		"\xff\xfe234567890":      false,
	} {
		err := checkPassword(pw)
		if (err == nil) != ok || err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("checkPassword(%q) = %v, want ok %v", pw, err, ok)
		}
	}
}

func TestCan(t *testing.T) {
	all := []Action{Read, WriteData, WriteSegment, Generate, Review, Launch, Export, Compliance, ChangeSettings, ManageAccess}
	want := map[string][]Action{
		"user:admin":    all,
		"user:marketer": {Read, WriteData, WriteSegment, Generate, Review, Launch, Export, Compliance},
		"user:reviewer": {Read, Review},
		"user:analyst":  {Read},
		"user:":         nil,
		"token:read":    {Read},
		"token:write":   {Read, WriteData, WriteSegment, Generate, Review, Export, Compliance},
		"token:send":    {Read, WriteData, WriteSegment, Generate, Review, Launch, Export, Compliance},
		"token:":        nil,
	}
	for who, acts := range want {
		kind, v, _ := strings.Cut(who, ":")
		p := Principal{Kind: Kind(kind), Role: Role(v), Scope: Scope(v)}
		allowed := map[Action]bool{}
		for _, a := range acts {
			allowed[a] = true
		}
		for _, a := range all {
			if p.Can(a) != allowed[a] {
				t.Errorf("%s Can(%s) = %v", who, a, p.Can(a))
			}
		}
	}
	if (Principal{}).Can(Read) {
		t.Error("an anonymous principal can read")
	}
}
