package importer

import (
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// delimiter reads --delimiter: 0 for "" (sniff) and for whitespace, which
// the reader handles itself.
func delimiter(s string) (byte, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return 0, nil
	case "whitespace", "space", "spaces", "blank", "blanks":
		return 0, nil
	case "tab", `\t`, "\t":
		return '\t', nil
	case ",", "comma":
		return ',', nil
	case ";", "semicolon":
		return ';', nil
	case "|", "pipe":
		return '|', nil
	}
	return 0, apperr.New(apperr.Invalid, "--delimiter %q: use , ; | tab or whitespace", s)
}

// isWhitespace reports whether --delimiter asks for fields separated by
// runs of blanks.
func isWhitespace(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "whitespace", "space", "spaces", "blank", "blanks":
		return true
	}
	return false
}

// resolveSets checks the --set constants against the schema: each names
// a field (or attrs.KEY / properties.KEY) that no column of the header
// already gives.
func resolveSets(s *schema, sets map[string]string, cols []column, headings []string) ([]setValue, error) {
	keys := make([]string, 0, len(sets))
	for k := range sets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []setValue
	for _, k := range keys {
		c, err := s.target(k)
		if err != nil {
			return nil, apperr.Wrap(err, apperr.Invalid, "--set %s", k)
		}
		if c.field < 0 && c.extra == "" {
			return nil, apperr.New(apperr.Invalid, "--set %s: name a field to fill", k)
		}
		for i, col := range cols {
			if col.field >= 0 && col.field == c.field {
				return nil, apperr.New(apperr.Invalid, "--set %s: column %q already gives %s; drop one (--map %q=-)", k, headings[i], k, headings[i])
			}
		}
		out = append(out, setValue{col: c, val: sets[k]})
	}
	return out, nil
}

// setColumns are the fields the constants give, for the required-column
// check.
func setColumns(sets []setValue) []column {
	out := make([]column, len(sets))
	for i, s := range sets {
		out[i] = s.col
	}
	return out
}

// applySets fills the constants into a row where the row gives no value.
func (p *parser) applySets(r *row) {
	for _, s := range p.sets {
		switch {
		case s.col.field >= 0:
			if strings.TrimSpace(r.vals[s.col.field]) == "" {
				r.vals[s.col.field] = s.val
			}
		case s.col.extra != "":
			found := false
			for _, e := range r.extras {
				if e.key == s.col.extra {
					found = true
				}
			}
			if !found {
				r.extras = append(r.extras, kv{s.col.extra, s.val})
			}
		}
	}
}

// dateTokens translate the usual spellings of a date format into Go's
// layout, longest first.
var dateTokens = []struct{ tok, layout string }{
	{"YYYY", "2006"}, {"%Y", "2006"}, {"YY", "06"}, {"%y", "06"},
	{"MM", "01"}, {"%m", "01"}, {"DD", "02"}, {"%d", "02"},
	{"hh", "15"}, {"HH", "15"}, {"%H", "15"}, {"mm", "04"}, {"%M", "04"}, {"ss", "05"}, {"%S", "05"},
	{"%z", "-0700"}, {"%Z", "MST"},
}

// dateLayout turns --date-format into a Go layout. A Go layout (it holds
// 2006) is taken as it is; otherwise tokens such as DD/MM/YYYY hh:mm or
// %d/%m/%Y %H:%M are translated.
func dateLayout(f string) (string, error) {
	f = strings.TrimSpace(f)
	if strings.Contains(f, "2006") || strings.Contains(f, "06") && strings.Contains(f, "01") {
		return f, nil
	}
	out := f
	for _, t := range dateTokens {
		out = strings.ReplaceAll(out, t.tok, t.layout)
	}
	if out == f || !strings.Contains(out, "2006") && !strings.Contains(out, "06") {
		return "", apperr.New(apperr.Invalid, "--date-format %q: give a layout such as DD/MM/YYYY, MM/DD/YYYY hh:mm, %%d/%%m/%%Y or Go's 02/01/2006", f)
	}
	return out, nil
}
