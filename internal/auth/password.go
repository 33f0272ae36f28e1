package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Argon2 are the argon2id parameters of new password hashes. A stored
// hash carries its own, so raising them later keeps old passwords valid.
type Argon2 struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultArgon2 follows OWASP's password storage advice for argon2id
// (19 MiB, 2 passes, 1 lane): about 30 ms on one core, so the login
// limiter, not the CPU, is what bounds guessing.
var DefaultArgon2 = Argon2{Time: 2, Memory: 19 * 1024, Threads: 1}

// Password length bounds, in runes. The upper bound keeps one sign-in
// from costing more than a few kilobytes of hashing input.
const (
	MinPassword = 10
	MaxPassword = 256
)

const (
	saltLen = 16
	keyLen  = 32
)

// checkPassword says, in a person's words, what is wrong with pw.
func checkPassword(pw string) error {
	if !utf8.ValidString(pw) {
		return apperr.New(apperr.Invalid, "the password is not valid UTF-8 text")
	}
	n := utf8.RuneCountInString(pw)
	if n < MinPassword {
		return apperr.New(apperr.Invalid, "the password is too short: %d characters, at least %d are needed (密码至少 %d 个字符)", n, MinPassword, MinPassword)
	}
	if n > MaxPassword {
		return apperr.New(apperr.Invalid, "the password is too long: %d characters, at most %d are allowed", n, MaxPassword)
	}
	return nil
}

// hashPassword is pw's argon2id hash in the PHC string format:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$KEY (unpadded standard base64).
func hashPassword(pw string, p Argon2) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", apperr.Wrap(err, apperr.Internal, "read random bytes")
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// verifyPassword reports whether pw matches the PHC string phc, comparing
// in constant time. A malformed phc is an error (a damaged row), never a
// match.
func verifyPassword(pw, phc string) (bool, error) {
	p, salt, key, err := parsePHC(phc)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

var errPHC = errors.New("stored password hash is not an argon2id PHC string")

func parsePHC(phc string) (p Argon2, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errPHC
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, errPHC
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return p, nil, nil, errPHC
	}
	b64 := base64.RawStdEncoding
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, errPHC
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) == 0 {
		return p, nil, nil, errPHC
	}
	return p, salt, key, nil
}
