package main

import (
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
			} else if err := rep.WriteText(a.stdout, category); err != nil {
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
