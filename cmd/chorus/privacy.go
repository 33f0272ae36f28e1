package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chorusmkt/chorus/internal/compliance/pii"
)

// privacyCmd is `chorus privacy …`: see what the PII redactor in front of
// every model call finds and sends.
func (a *app) privacyCmd() *cobra.Command {
	return a.command("", cmdSpec{Use: "privacy", Subs: []*cobra.Command{a.privacyRedactCmd(), a.privacyScanCmd()}})
}

// privacyOpts are the options of the privacy commands.
type privacyOpts struct {
	JSON  bool     `flag:"json"`
	Names []string `flag:"name"`
}

func (a *app) privacyRedactCmd() *cobra.Command {
	o := &privacyOpts{}
	return a.command("privacy", cmdSpec{Use: "redact [TEXT…]", Opts: o, Run: a.textRun(func(text string) error {
		r := pii.RedactText(pii.NewScanner(a.cfg.Compliance.PII.AllowValues), text, o.Names...)
		if o.JSON { // keys in JSON order: entities, then text
			return a.printJSON(map[string]any{"text": r.Text, "entities": r.Entities})
		}
		fmt.Fprint(a.stdout, r.Text)
		if !strings.HasSuffix(r.Text, "\n") {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stderr, "%d finding(s), %d distinct value(s) tokenised\n", len(r.Entities), r.Distinct)
		return nil
	})})
}

func (a *app) privacyScanCmd() *cobra.Command {
	o := &privacyOpts{}
	return a.command("privacy", cmdSpec{Use: "scan [TEXT…]", Opts: o, Run: a.textRun(func(text string) error {
		ents := pii.NewScanner(a.cfg.Compliance.PII.AllowValues).Scan(text, pii.NameRecords(o.Names)...)
		if o.JSON {
			return a.printJSON(map[string]any{"findings": pii.Findings(ents)})
		}
		return pii.WriteEntities(a.stdout, ents)
	})})
}
