package customer

import (
	"bufio"
	"io"
	"os"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// ReadIDs reads one customer id per line from the file path ("-": from
// stdin), skipping blank lines and # comments. flag names the setting the
// path came from in errors, which are apperr.Invalid; a file without ids
// is one.
func ReadIDs(flag, path string, stdin io.Reader) ([]string, error) {
	r := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "%s %s", flag, path)
		}
		defer f.Close()
		r = f
	}
	var ids []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ids = append(ids, line)
	}
	if err := sc.Err(); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "%s %s", flag, path)
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "%s %s holds no customer ids (one per line)", flag, path)
	}
	return ids, nil
}
