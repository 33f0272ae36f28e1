package support

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/customer"
)

// KBWriter is what an import writes through.
type KBWriter interface {
	UpsertKBDocs(ctx context.Context, docs []Doc) (customer.UpsertCounts, error)
}

// ImportReport says what importing one file did: read = imported +
// updated + unchanged + rejected.
type ImportReport struct {
	File       string         `json:"file"`
	Format     string         `json:"format"`
	Read       int            `json:"read"`
	Imported   int            `json:"imported"`
	Updated    int            `json:"updated"`
	Unchanged  int            `json:"unchanged"`
	Rejected   int            `json:"rejected"`
	Rejects    []Reject       `json:"rejects,omitempty"`
	ByLanguage map[string]int `json:"by_language"`
}

// Import parses one file and writes its good entries in one transaction.
func Import(ctx context.Context, st KBWriter, r io.Reader, o ParseOptions) (ImportReport, error) {
	res, err := ParseKB(r, o)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{File: o.Source, Format: o.Format, Read: res.Read, Rejected: len(res.Rejects), Rejects: res.Rejects, ByLanguage: map[string]int{}}
	for _, d := range res.Docs {
		rep.ByLanguage[d.Language]++
	}
	if len(res.Docs) > 0 {
		c, err := st.UpsertKBDocs(ctx, res.Docs)
		if err != nil {
			return rep, err
		}
		rep.Imported, rep.Updated, rep.Unchanged = c.Inserted, c.Updated, c.Unchanged
	}
	// duplicates within the file were folded into one entry
	if d := rep.Read - rep.Rejected - rep.Imported - rep.Updated - rep.Unchanged; d > 0 {
		rep.Unchanged += d
	}
	return rep, nil
}

// ImportFS imports every .md, .csv and .jsonl file of fsys in name order
// (the demo shop's knowledge base is one).
func ImportFS(ctx context.Context, st KBWriter, fsys fs.FS) ([]ImportReport, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			if _, ferr := FormatOf(p); ferr == nil {
				names = append(names, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []ImportReport
	for _, n := range names {
		f, err := fsys.Open(n)
		if err != nil {
			return out, err
		}
		format, _ := FormatOf(n)
		rep, err := Import(ctx, st, f, ParseOptions{Format: format, Source: path.Base(n)})
		f.Close()
		if err != nil {
			return out, err
		}
		out = append(out, rep)
	}
	return out, nil
}

// ImportFiles imports each of paths in turn with o, its format from its
// name unless o sets one, and Source its base name. A file that cannot be
// opened or read as its format stops the import (Invalid, naming the
// file); the reports of the files before it are returned.
func ImportFiles(ctx context.Context, st KBWriter, paths []string, o ParseOptions) ([]ImportReport, error) {
	var reps []ImportReport
	for _, file := range paths {
		fo := o
		if fo.Format == "" {
			var err error
			if fo.Format, err = FormatOf(file); err != nil {
				return reps, err
			}
		}
		fo.Source = filepath.Base(file)
		fh, err := os.Open(file)
		if err != nil {
			return reps, apperr.Wrap(err, apperr.Invalid, "open %s", file)
		}
		rep, err := Import(ctx, st, fh, fo)
		fh.Close()
		if err != nil {
			return reps, fmt.Errorf("%s: %w", file, err)
		}
		reps = append(reps, rep)
	}
	return reps, nil
}

// WriteText writes the report's counts and rejects for a person.
func (r ImportReport) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s (%s): read %d = imported %d + updated %d + unchanged %d + rejected %d (zh %d, en %d)\n",
		r.File, r.Format, r.Read, r.Imported, r.Updated, r.Unchanged, r.Rejected, r.ByLanguage[Zh], r.ByLanguage[En])
	for _, rj := range r.Rejects {
		if _, err := fmt.Fprintf(w, "  line %d: %s\n", rj.Line, rj.Reason); err != nil {
			return err
		}
	}
	return nil
}
