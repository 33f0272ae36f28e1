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
	o := &struct {
		Lang     string `flag:"lang"`
		Category string `flag:"category"`
		JSON     bool   `flag:"json"`
	}{}
	return a.command("", cmdSpec{Use: "check [TEXT...]", Opts: o,
		Check: func(*cobra.Command, []string) error {
			switch o.Lang {
			case "", "zh", "en":
				return nil
			}
			return apperr.New(apperr.Invalid, "--lang %q: use zh, en, or leave it out to apply both", o.Lang)
		},
		Run: a.textRun(func(text string) error {
			ck, err := adlaw.FromConfig(a.cfg.Compliance.AdLaw)
			if err != nil {
				return err
			}
			rep := ck.Check(text, adlaw.Options{Lang: o.Lang, Category: o.Category})
			rep.Findings = orEmpty(rep.Findings)
			if err := a.render(o.JSON, rep); err != nil {
				return err
			}
			return verdictStatus(rep.Verdict)
		})})
}
