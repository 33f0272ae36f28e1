package adlaw

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
)

// The lexicon is data, versioned with the code: one TSV per language and
// an allow-list, each with a "# version:" header line.
//
//go:embed lexicon/*.tsv
var lexiconFS embed.FS

// Severities of an entry and verdicts of a report.
const (
	SeverityBlock  = "block"
	SeverityReview = "review"
)

// Entry is one row of the lexicon.
type Entry struct {
	Term        string `json:"term"`
	Lang        string `json:"lang"`
	Category    string `json:"category"`
	Severity    string `json:"severity"`
	LawRef      string `json:"law_ref"`
	Explanation string `json:"explanation"`
	Suggestion  string `json:"suggestion"`
}

// AllowForm is a context form that is not a violation although it contains
// a listed term (最后一天 contains no term, but 第一次 contains 第一).
type AllowForm struct {
	Term string `json:"term"`
	Lang string `json:"lang"`
	Note string `json:"note"`
}

// Lexicon is the loaded term list and allow-list.
type Lexicon struct {
	Version string
	Entries []Entry
	Allow   []AllowForm
}

// DefaultLexicon parses the embedded lexicon (zh.tsv, en.tsv, allow.tsv).
func DefaultLexicon() (Lexicon, error) {
	return LoadLexicon(lexiconFS, "lexicon")
}

// LoadLexicon reads zh.tsv, en.tsv and allow.tsv from dir in fsys. Every
// file must carry the same "# version:" header so a half-updated lexicon is
// caught at load time rather than producing mixed results.
func LoadLexicon(fsys fs.FS, dir string) (Lexicon, error) {
	var lx Lexicon
	for _, name := range []string{"zh.tsv", "en.tsv", "allow.tsv"} {
		path := dir + "/" + name
		f, err := fsys.Open(path)
		if err != nil {
			return lx, apperr.Wrap(err, apperr.Invalid, "lexicon: open %s", path)
		}
		version, rows, err := readTSV(f)
		f.Close()
		if err != nil {
			return lx, apperr.Wrap(err, apperr.Invalid, "lexicon %s", path)
		}
		if lx.Version == "" {
			lx.Version = version
		} else if version != lx.Version {
			return lx, apperr.New(apperr.Invalid, "lexicon %s has version %q but the others have %q: update all files together", path, version, lx.Version)
		}
		for i, r := range rows {
			if name == "allow.tsv" {
				if len(r) != 3 {
					return lx, apperr.New(apperr.Invalid, "lexicon %s row %d: want 3 columns (term, lang, note), got %d", path, i+1, len(r))
				}
				lx.Allow = append(lx.Allow, AllowForm{Term: r[0], Lang: r[1], Note: r[2]})
				continue
			}
			if len(r) != 7 {
				return lx, apperr.New(apperr.Invalid, "lexicon %s row %d: want 7 columns, got %d", path, i+1, len(r))
			}
			e := Entry{Term: r[0], Lang: r[1], Category: r[2], Severity: r[3], LawRef: r[4], Explanation: r[5], Suggestion: r[6]}
			if e.Severity != SeverityBlock && e.Severity != SeverityReview {
				return lx, apperr.New(apperr.Invalid, "lexicon %s row %d (%s): severity %q must be block or review", path, i+1, e.Term, e.Severity)
			}
			if e.Term == "" || e.Category == "" || e.LawRef == "" {
				return lx, apperr.New(apperr.Invalid, "lexicon %s row %d: term, category and law_ref are required", path, i+1)
			}
			lx.Entries = append(lx.Entries, e)
		}
	}
	if lx.Version == "" {
		return lx, apperr.New(apperr.Invalid, "lexicon: no \"# version:\" header")
	}
	return lx, nil
}

// readTSV returns the version header and the data rows, skipping comments
// and the column-name row.
func readTSV(r io.Reader) (version string, rows [][]string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	header := false
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		// Comments are "# …"; a term may itself start with # (#1 selling).
		if line == "#" || strings.HasPrefix(line, "# ") {
			if v, ok := strings.CutPrefix(line, "# version:"); ok {
				version = strings.TrimSpace(v)
			}
			continue
		}
		if !header {
			header = true
			if !strings.HasPrefix(line, "term\t") {
				return "", nil, fmt.Errorf("first row must name the columns, starting with term")
			}
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
	}
	return version, rows, sc.Err()
}
