package web

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/compliance/adlaw"
	"github.com/chorusmkt/chorus/internal/compliance/policy"
)

// Limits of the compliance page.
const (
	maxCheckRunes   = 10000
	suppressionPage = 200
	skipRows        = 200
	maxSuppressAdd  = 1000
)

type complianceView struct {
	Text, Lang   string
	Check        *checkView
	Suppressions []policy.Suppression
	MoreSupp     bool
	Reasons      []string
	CanSuppress  bool
	Added        string // "3 of 3 new", after an add
	Campaign     string
	Skips        *skipsView
}

// checkView is a checked text: its verdict, the text cut into pieces
// with each finding's piece marked, and the findings.
type checkView struct {
	Verdict  adlaw.Verdict
	Pieces   []piece
	Findings []adlaw.Finding
	Lexicon  string
}

type piece struct {
	Text    string
	Finding *adlaw.Finding
}

type skipsView struct {
	Total  int
	ByCode []codeCount
	Rows   []policy.Skip
	More   bool
}

type codeCount struct {
	Code  string
	Count int
}

// Compliance shows the ad-law checker's form, the suppression list (with
// a form to add to it for those allowed) and why messages were not sent
// (?campaign=NAME: its skips by reason).
func (c *Console) Compliance(w http.ResponseWriter, r *http.Request) error {
	v, err := c.complianceView(r)
	if err != nil {
		return err
	}
	return c.Render(w, r, "compliance", "nav.compliance", v)
}

func (c *Console) complianceView(r *http.Request) (complianceView, error) {
	ctx := r.Context()
	v := complianceView{Reasons: policy.Reasons, Campaign: strings.TrimSpace(r.FormValue("campaign")), Lang: r.FormValue("lang")}
	if p, ok := auth.PrincipalFrom(ctx); ok {
		v.CanSuppress = p.Can(auth.Compliance)
	}
	errEnough := errors.New("enough")
	err := c.deps.App.Store.ListSuppressions(ctx, func(s policy.Suppression) error {
		if len(v.Suppressions) == suppressionPage {
			v.MoreSupp = true
			return errEnough
		}
		v.Suppressions = append(v.Suppressions, s)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		return v, err
	}
	if _, ok := r.Form["campaign"]; ok {
		skips, err := c.deps.App.Store.ListSkips(ctx, v.Campaign)
		if err != nil {
			return v, err
		}
		v.Skips = skipsOf(skips)
	}
	return v, nil
}

func skipsOf(skips []policy.Skip) *skipsView {
	s := &skipsView{Total: len(skips)}
	counts := map[string]int{}
	for _, k := range skips {
		counts[k.Code]++
	}
	for code, n := range counts {
		s.ByCode = append(s.ByCode, codeCount{code, n})
	}
	slices.SortFunc(s.ByCode, func(a, b codeCount) int { return cmp.Or(b.Count-a.Count, strings.Compare(a.Code, b.Code)) })
	if len(skips) > skipRows {
		skips, s.More = skips[:skipRows], true
	}
	s.Rows = skips
	return s
}

// ComplianceCheck checks the form's text against the advertising-law
// lexicon (the checker `chorus check` uses) and shows it with each
// finding highlighted.
func (c *Console) ComplianceCheck(w http.ResponseWriter, r *http.Request) error {
	text := r.PostFormValue("text")
	if n := utf8.RuneCountInString(text); n > maxCheckRunes {
		return apperr.New(apperr.Invalid, "the text has %d characters; check at most %d at a time", n, maxCheckRunes)
	}
	ck := c.deps.App.AdLaw
	if ck == nil {
		return apperr.Wrap(c.deps.App.AdLawErr, apperr.Unavailable, "the advertising-law lexicon is not loaded (compliance.adlaw)")
	}
	lang := r.PostFormValue("lang")
	if lang != "" && lang != Zh && lang != En {
		return apperr.New(apperr.Invalid, "language %q: choose zh, en or both", lang)
	}
	rep := ck.Check(text, adlaw.Options{Lang: lang})
	v, err := c.complianceView(r)
	if err != nil {
		return err
	}
	v.Text, v.Lang = text, lang
	v.Check = &checkView{Verdict: rep.Verdict, Findings: rep.Findings, Pieces: highlight(text, rep.Findings), Lexicon: rep.LexiconVersion}
	if r.Header.Get("HX-Request") == "true" {
		return c.Fragment(w, r, "compliance", "check_result", v)
	}
	return c.Render(w, r, "compliance", "nav.compliance", v)
}

// highlight cuts text at the findings' byte offsets; a finding that
// overlaps an earlier one is listed but not marked again.
func highlight(text string, fs []adlaw.Finding) []piece {
	sorted := slices.Clone(fs)
	slices.SortStableFunc(sorted, func(a, b adlaw.Finding) int { return cmp.Or(a.Start-b.Start, b.End-a.End) })
	var out []piece
	at := 0
	for i := range sorted {
		f := &sorted[i]
		if f.Start < at || f.End > len(text) || f.Start >= f.End {
			continue
		}
		if f.Start > at {
			out = append(out, piece{Text: text[at:f.Start]})
		}
		out = append(out, piece{Text: text[f.Start:f.End], Finding: f})
		at = f.End
	}
	if at < len(text) {
		out = append(out, piece{Text: text[at:]})
	}
	return out
}

// SuppressAdd adds the form's values (one a line) to the suppression
// list with the gate `chorus suppress` uses.
func (c *Console) SuppressAdd(w http.ResponseWriter, r *http.Request) error {
	var values []string
	for _, l := range strings.Split(r.PostFormValue("values"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			values = append(values, l)
		}
	}
	if len(values) > maxSuppressAdd {
		return apperr.New(apperr.Invalid, "%d values: add at most %d at a time (or use chorus suppress --file)", len(values), maxSuppressAdd)
	}
	total, added, err := c.deps.App.Gate.Suppress(r.Context(), policy.SuppressRequest{
		Values: values, Kind: r.PostFormValue("kind"), Reason: r.PostFormValue("reason"),
		MarketingOnly: r.PostFormValue("marketing_only") != "", Note: strings.TrimSpace(r.PostFormValue("note")), Source: "console",
	})
	if err != nil {
		return err
	}
	v, err := c.complianceView(r)
	if err != nil {
		return err
	}
	v.Added = c.T(c.Lang(r), "compliance.added", added, total)
	return c.Render(w, r, "compliance", "nav.compliance", v)
}
