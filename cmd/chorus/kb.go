package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// kbCmd is `chorus kb …`: the customer-service knowledge base.
func (a *app) kbCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "kb",
		Short: "Manage the customer-service knowledge base (policies, FAQ, reviews)",
		Long: `The knowledge base holds the shop's policies, FAQ entries and product
reviews in Chinese and English. The support assistant (chorus ask, chorus
support chat) answers from it and from the catalog, and cites the entries
it used as [policy:ID]. 知识库：售后政策、常见问题和商品评价，中英文均可。`,
	}
	cmd.AddCommand(a.kbImportCmd(), a.kbListCmd(), a.kbDeleteCmd(), a.kbSearchCmd())
	return cmd
}

func (a *app) kbImportCmd() *cobra.Command {
	var format, lang, kind string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Import knowledge-base entries from Markdown, CSV or JSONL",
		Long: `Imports entries; re-importing a file changes nothing, and an entry with the
same id and language replaces the stored one.

Markdown: every heading with text under it is one entry titled by it; an
attribute block and "key: value" lines under the heading set id, keywords,
sku, topic, kind and language:
  ## 七天无理由退货 {#returns-7day topic=returns}
  关键词: 七天无理由, 无理由退货
  自签收之日起7天内……
CSV: a header with body (or answer, text, content, 正文, 答案) and optionally
id, language, kind (policy, faq, review), title (or question, 问题), topic,
keywords (; or , separated) and sku. JSONL: one object per line, same keys.
Entries without a language get --language, else their text's. Bad rows are
reported with their line and reason; the others are imported.`,
		Example: `  chorus kb import policies.md
  chorus kb import faq.csv --language en
  chorus kb import reviews.jsonl --kind review --json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				reps, err := support.ImportFiles(ctx, st, args, support.ParseOptions{Format: format, Language: lang, Kind: kind})
				if err != nil {
					return err
				}
				return a.render(asJSON, support.ImportReports(reps))
			})
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "markdown, csv or jsonl (default: from the file name)")
	cmd.Flags().StringVar(&lang, "language", "", "language of entries that do not state one (zh or en; default: their text decides)")
	cmd.Flags().StringVar(&kind, "kind", "", "kind of entries that do not state one: policy (default), faq or review")
	return jsonFlag(cmd, &asJSON)
}

func (a *app) kbListCmd() *cobra.Command {
	var asJSON bool
	var lang string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the knowledge-base entries",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				docs, err := st.ListKBDocs(cmd.Context(), time.Time{})
				if err != nil {
					return err
				}
				return a.render(asJSON, support.LiveDocs(docs, lang))
			})
		},
	}
	cmd.Flags().StringVar(&lang, "language", "", "only entries in zh or en")
	return jsonFlag(cmd, &asJSON)
}

func (a *app) kbDeleteCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Delete an entry (every language of it)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.withStore(cmd.Context(), func(st store.Store) error {
				n, err := st.DeleteKBDoc(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "deleted %s (%d language(s))\n", args[0], n)
				return nil
			})
		},
	}
}

func (a *app) kbSearchCmd() *cobra.Command {
	var lang string
	var k int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the knowledge base and the catalog as the assistant does",
		Example: `  chorus kb search 退货
  chorus kb search "free shipping" --language en`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			return a.withStore(ctx, func(st store.Store) error {
				ix, err := support.NewIndex()
				if err != nil {
					return err
				}
				defer ix.Close()
				if _, err := ix.Sync(ctx, st); err != nil {
					return err
				}
				hits, err := ix.Search(ctx, strings.Join(args, " "), support.SearchOptions{Language: lang, K: k})
				if err != nil {
					return err
				}
				return a.render(asJSON, support.Passages(orEmpty(hits)))
			})
		},
	}
	cmd.Flags().StringVar(&lang, "language", "", "only passages in zh or en")
	cmd.Flags().IntVar(&k, "k", 5, "how many passages")
	return jsonFlag(cmd, &asJSON)
}
