package main

import (
	"fmt"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
)

// verdictStatus is the exit status of `chorus check` for a verdict.
func verdictStatus(v adlaw.Verdict) error {
	switch v {
	case adlaw.Block:
		return exitStatus(2)
	case adlaw.Review:
		return exitStatus(1)
	}
	return nil
}

func (a *app) checkCmd() *cobra.Command {
	var lang, category string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "check [TEXT...]",
		Short: "Check marketing copy against advertising law; exit status 0 pass, 1 review, 2 block",
		Long: `Checks copy against the advertising-law lexicon (China's Advertising Law:
absolute terms, authority, medical and efficacy claims, guaranteed returns,
education guarantees, price fraud; FTC practice for English) and prints the
verdict and every finding with its byte offsets in the text, the law it
breaks and a suggested rewrite.

The text is the arguments joined by spaces, or standard input when there are
none. --category is the product's catalog category: category gates in the
configuration (compliance.adlaw.category_gates) permit e.g. efficacy claims
for registered special cosmetics. The exit status is 0 for pass, 1 for
review and 2 for block, so scripts can gate on it.`,
		Example: `  chorus check "全网最低价，销量第一"
  echo "Clinically proven to reduce wrinkles" | chorus check --lang en --json
  chorus check --category cosmetics_special "美白精华"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch lang {
			case "", "zh", "en":
			default:
				return apperr.New(apperr.Invalid, "--lang %q: use zh, en, or leave it out to apply both", lang)
			}
			text, err := a.textInput(args)
			if err != nil {
				return err
			}
			ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
			if err != nil {
				return err
			}
			rep := ck.Check(text, adlaw.Options{Lang: lang, Category: category})
			if asJSON {
				if rep.Findings == nil {
					rep.Findings = []adlaw.Finding{}
				}
				if err := a.printJSON(rep); err != nil {
					return err
				}
			} else if err := a.printCheck(rep, category); err != nil {
				return err
			}
			return verdictStatus(rep.Verdict)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "", "lexicon to apply: zh or en (default both)")
	cmd.Flags().StringVar(&category, "category", "", "catalog category of the product, for category gates")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}

// printCheck prints a report as a verdict line, a table of findings and
// each finding's explanation and law.
func (a *app) printCheck(rep adlaw.Report, category string) error {
	fmt.Fprintf(a.stdout, "verdict: %s (%d findings, lexicon %s)\n", rep.Verdict, len(rep.Findings), rep.LexiconVersion)
	if len(rep.Findings) > 0 {
		a.printFindings(rep.Findings)
		for _, f := range rep.Findings {
			fmt.Fprintf(a.stdout, "  %s: %s (%s)\n", f.MatchedText, f.Explanation, f.LawRef)
		}
	}
	if len(rep.Permitted) > 0 {
		fmt.Fprintf(a.stdout, "permitted for category %s by a category gate:\n", category)
		a.printFindings(rep.Permitted)
	}
	return nil
}

// printFindings prints a table aligned by display width: tabwriter counts
// runes, which misaligns Chinese and full-width text.
func (a *app) printFindings(fs []adlaw.Finding) {
	rows := [][]string{{"BYTES", "MATCHED", "TERM", "CATEGORY", "SEVERITY", "SUGGESTION"}}
	for _, f := range fs {
		rows = append(rows, []string{fmt.Sprintf("%d-%d", f.Start, f.End), f.MatchedText, f.Term, f.Category, f.Severity, f.Suggestion})
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], uniseg.StringWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range rows {
		b.Reset()
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-uniseg.StringWidth(c)+2))
			}
		}
		fmt.Fprintln(a.stdout, b.String())
	}
}
