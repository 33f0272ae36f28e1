package main

import (
	"fmt"

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
		if err := a.render(o.JSON, r); err != nil || o.JSON {
			return err
		}
		fmt.Fprintf(a.stderr, "%d finding(s), %d distinct value(s) tokenised\n", len(r.Entities), r.Distinct)
		return nil
	})})
}

func (a *app) privacyScanCmd() *cobra.Command {
	o := &privacyOpts{}
	return a.command("privacy", cmdSpec{Use: "scan [TEXT…]", Opts: o, Run: a.textRun(func(text string) error {
		return a.render(o.JSON, pii.ScanText(pii.NewScanner(a.cfg.Compliance.PII.AllowValues), text, o.Names...))
	})})
}
