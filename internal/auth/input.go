package auth

import (
	"bufio"
	"io"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ReadPassword is the first line of r (at most 4 KiB), for a password
// given on standard input: never as an argument, which other users of the
// machine can read. An empty line is Invalid.
func ReadPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", apperr.Wrap(err, apperr.Invalid, "read the password from standard input")
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", apperr.New(apperr.Invalid, "standard input holds no password (--password-stdin reads its first line)")
	}
	return line, nil
}
