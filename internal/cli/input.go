package cli

import (
	"cmp"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// TextInput is the text a command works on: its arguments joined by
// spaces or, without any, all of stdin less its final line break (what
// `echo` adds). Blank text is an Invalid error.
func TextInput(stdin io.Reader, args []string) (string, error) {
	text := strings.Join(args, " ")
	if len(args) == 0 {
		b, err := io.ReadAll(stdin)
		if err != nil {
			return "", apperr.Wrap(err, apperr.Invalid, "read standard input")
		}
		text = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	}
	if strings.TrimSpace(text) == "" {
		return "", apperr.New(apperr.Invalid, "no text: pass it as arguments or on standard input")
	}
	return text, nil
}

// LoginName is the user running the process, for logs: the account's
// name, else $USER, else "unknown".
func LoginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return cmp.Or(os.Getenv("USER"), "unknown")
}
