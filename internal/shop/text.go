package shop

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chorusmkt/chorus/internal/config"
)

// LoadConfigured is Load with the configuration's shop.* keys
// (FromConfig) over the stored settings.
func LoadConfigured(ctx context.Context, st Store, c config.Shop) (Resolved, error) {
	cfg, err := FromConfig(c)
	if err != nil {
		return Resolved{}, err
	}
	return Load(ctx, st, cfg)
}

// WriteText writes every setting with its value and source, saying how
// to set one that is missing.
func (r Resolved) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range Keys() {
		v, src := r.Get(k), r.Sources[k]
		if v == "" {
			v, src = "-", "not set: chorus shop set "+k+" VALUE"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k, v, src)
	}
	return tw.Flush()
}

// WriteInferred says in one line which settings an import inferred
// (nothing when none).
func WriteInferred(w io.Writer, written []Setting) {
	if len(written) == 0 {
		return
	}
	parts := make([]string, len(written))
	for i, s := range written {
		parts[i] = s.Key + " " + s.Value
	}
	fmt.Fprintf(w, "shop settings inferred: %s (change with chorus shop set KEY VALUE)\n", strings.Join(parts, ", "))
}
