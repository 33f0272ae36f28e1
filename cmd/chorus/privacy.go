package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// privacyCmd is `chorus privacy …`: see what the PII redactor in front of
// every model call finds and sends.
func (a *app) privacyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "privacy",
		Short: "Find and redact personal data the way model calls are protected",
		Long: `Every prompt Chorus sends to a language model first passes the PII redactor:
mainland mobile and landline numbers, international numbers, 18-digit resident
IDs, bank cards, email addresses, postal addresses and the known values of the
customers involved are replaced by tokens such as ⟦PHONE_1⟧, which are put back
in the answer. Values in compliance.pii.allow_values (CHORUS_COMPLIANCE_PII_ALLOW_VALUES),
such as the shop's hotline, are left alone. These commands show what it finds.`,
	}
	cmd.AddCommand(a.privacyRedactCmd(), a.privacyScanCmd())
	return cmd
}

// textInput is the text a command works on: its arguments joined by
// spaces or, without any, standard input less its final line break (what
// `echo` adds). Blank text is an Invalid error.
func (a *app) textInput(args []string) (string, error) {
	text := strings.Join(args, " ")
	if len(args) == 0 {
		b, err := io.ReadAll(a.stdin)
		if err != nil {
			return "", apperr.Wrap(err, apperr.Invalid, "read standard input")
		}
		text = strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	}
	if strings.TrimSpace(text) == "" {
		return "", apperr.New(apperr.Invalid, "no text: pass it as arguments or on standard input")
	}
	return text, nil
}

func (a *app) privacyRedactCmd() *cobra.Command {
	var asJSON bool
	var names []string
	cmd := &cobra.Command{
		Use:   "redact [TEXT…]",
		Short: "Print the text as a model would receive it, with personal data tokenised",
		Example: `  echo '请联系王芳 138 0013 8000' | chorus privacy redact --name 王芳
  chorus privacy redact --json 'Ship to 221B Baker Street, London'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := a.textInput(args)
			if err != nil {
				return err
			}
			r := pii.RedactText(pii.NewScanner(a.cfg.Compliance.PII.AllowValues), text, names...)
			if asJSON { // keys in JSON order: entities, then text
				return a.printJSON(map[string]any{"text": r.Text, "entities": r.Entities})
			}
			fmt.Fprint(a.stdout, r.Text)
			if !strings.HasSuffix(r.Text, "\n") {
				fmt.Fprintln(a.stdout)
			}
			fmt.Fprintf(a.stderr, "%d finding(s), %d distinct value(s) tokenised\n", len(r.Entities), r.Distinct)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the redacted text and the entities {type, start, end, token} (byte offsets into the input)")
	cmd.Flags().StringSliceVar(&names, "name", nil, "a customer name to treat as a known value (repeatable)")
	return cmd
}

func (a *app) privacyScanCmd() *cobra.Command {
	var asJSON bool
	var names []string
	cmd := &cobra.Command{
		Use:   "scan [TEXT…]",
		Short: "List the personal data in a text (type, byte offsets, label, masked preview)",
		Example: `  chorus privacy scan < support-ticket.txt
  chorus privacy scan --json '身份证 11010519491231002X'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			text, err := a.textInput(args)
			if err != nil {
				return err
			}
			ents := pii.NewScanner(a.cfg.Compliance.PII.AllowValues).Scan(text, pii.NameRecords(names)...)
			if asJSON {
				return a.printJSON(map[string]any{"findings": pii.Findings(ents)})
			}
			return pii.WriteEntities(a.stdout, ents)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (offsets and labels, masked previews, never the values)")
	cmd.Flags().StringSliceVar(&names, "name", nil, "a customer name to treat as a known value (repeatable)")
	return cmd
}
