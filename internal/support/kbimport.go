package support

import (
	"context"
	"io"
	"io/fs"
	"path"
	"sort"

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
