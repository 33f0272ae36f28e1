// Package export delivers the channels that are files rather than
// messages: ad audiences as customer-match CSVs (SHA-256 of normalised
// e-mail addresses and E.164 phone numbers, per each ad platform's rules)
// and social posts as JSON and Markdown for a scheduling tool. Files are
// written to a folder atomically (a temporary file, fsync, rename, fsync of
// the folder), so a reader never sees half a file and a crash leaves the
// previous version; the same input writes the same bytes, so an export run
// twice changes nothing. Each result lists the sends it includes, which the
// campaign records as sent, and the ones it skipped with a reason.
package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/config"
)

// Exporter writes exports into one folder.
type Exporter struct {
	dir    string
	region string
}

// New returns an Exporter writing into dir (created if missing, mode
// 0700: audiences are personal data even hashed). defaultRegion is the
// ISO 3166 region used to read phone numbers written without a country
// code (CN when empty). Errors are apperr.Invalid naming
// delivery.export.dir.
func New(dir, defaultRegion string) (*Exporter, error) {
	if strings.TrimSpace(dir) == "" {
		return nil, apperr.New(apperr.Invalid, "delivery.export.dir is empty (CHORUS_DELIVERY_EXPORT_DIR)")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "delivery.export.dir %s cannot be created (CHORUS_DELIVERY_EXPORT_DIR)", dir)
	}
	if defaultRegion == "" {
		defaultRegion = "CN"
	}
	return &Exporter{dir: dir, region: strings.ToUpper(defaultRegion)}, nil
}

// Dir returns the export folder.
func (x *Exporter) Dir() string { return x.dir }

// Skip is a send left out of an export, with the reason.
type Skip struct {
	SendID string `json:"send_id"`
	Reason string `json:"reason"`
}

// Skip reasons.
const (
	SkipNoIdentifier = "no_identifier" // neither a usable e-mail nor phone
	SkipInvalid      = "invalid"       // a post without platform or text
)

// slug turns an export name into a file name part: letters (any script),
// digits, '-', '_' and '.', nothing that can leave the folder.
func slug(name string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(name) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == '.' && b.Len() > 0:
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '/' || r == '\\' || r == ':':
			b.WriteRune('-')
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" || strings.Contains(s, "..") {
		return "", apperr.New(apperr.Invalid, "export name %q has no usable characters for a file name", name)
	}
	if len(s) > 120 {
		s = s[:120]
	}
	return s, nil
}

// writeAtomic writes data to dir/name through a temporary file in the
// same folder, so the file is either its old or its new content.
func writeAtomic(ctx context.Context, dir, name string, data []byte, perm os.FileMode) (err error) {
	if err := ctx.Err(); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "export interrupted")
	}
	defer apperr.Wrapf(&err, "write %s", name)
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot create a file in %s", dir)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if _, err = f.Write(data); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, perm)
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot write to %s (disk full?)", dir)
	}
	if err = os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "cannot rename into %s", dir)
	}
	if d, derr := os.Open(dir); derr == nil {
		d.Sync() // make the rename durable
		d.Close()
	}
	return nil
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func fileSum(b []byte) string { return sha256Hex(string(b)) }

// csvLine writes one CSV record; values are hex digests or fixed names,
// so no quoting is ever needed.
func csvLine(b *bytes.Buffer, fields ...string) {
	fmt.Fprintln(b, strings.Join(fields, ","))
}

// FromConfig builds the Exporter of the configuration (delivery.export).
func FromConfig(c config.ExportDelivery) (*Exporter, error) { return New(c.Dir, c.DefaultRegion) }
