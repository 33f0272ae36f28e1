package importer

import (
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// Args are an import's settings as a person writes them (the flags of
// `chorus import`): --map and --set as COLUMN=FIELD and FIELD=VALUE
// lists, the zone by name.
type Args struct {
	Format, TZ, Encoding, Delimiter, DateFormat string
	Map, Set                                    []string
	NoHeader, DayFirst, MonthFirst              bool
}

// Options are the importer's options args give for entity and path.
// Errors are apperr.Invalid and name the flag.
func (g Args) Options(entity, path string) (Options, error) {
	opts := Options{Entity: entity, Path: path, Format: g.Format, Encoding: g.Encoding, Delimiter: g.Delimiter,
		NoHeader: g.NoHeader, DayFirst: g.DayFirst, MonthFirst: g.MonthFirst, DateFormat: g.DateFormat}
	var err error
	if opts.Set, err = keyValues("--set", "FIELD=VALUE", g.Set, true); err != nil {
		return opts, err
	}
	if opts.Map, err = keyValues("--map", "COLUMN=FIELD", g.Map, false); err != nil {
		return opts, err
	}
	if g.TZ != "" {
		loc, err := time.LoadLocation(g.TZ)
		if err != nil {
			return opts, apperr.Wrap(err, apperr.Invalid, "--tz %q is not an IANA time zone such as Asia/Shanghai", g.TZ)
		}
		opts.TZ = loc
	}
	return opts, nil
}

// keyValues reads KEY=VALUE flags (nil for none); emptyValue allows an
// empty value.
func keyValues(flag, form string, kvs []string, emptyValue bool) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" || (!emptyValue && strings.TrimSpace(v) == "") {
			return nil, apperr.New(apperr.Invalid, "%s %q: write %s", flag, kv, form)
		}
		out[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return out, nil
}
