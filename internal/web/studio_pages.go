package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/app"
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/auth"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// Recorder writes the audit log (auth.Service.Record).
type Recorder interface {
	Record(ctx context.Context, e auth.Entry) error
}

// Reviewer changes items under review: content.Deps, or the app's
// StudioFunc which wires the studio per call.
type Reviewer interface {
	Review(ctx context.Context, id, to, actor, note string) (content.Item, error)
	Edit(ctx context.Context, id, field, value, actor, note string) (content.Item, []content.Violation, error)
}

// StudioPages are the content studio, the campaigns and the reports
// pages. They call the services the CLI calls: the campaign service
// (create, plan, write the copy, launch, pause, resume, status), the
// studio (review, edit), the store's content items and the report
// builder. Which role may use a route is routes.go's (auth.Action).
type StudioPages struct {
	Console   *Console
	App       *app.App
	Campaigns *campaign.Service
	Studio    Reviewer
	Reports   tracking.ReportStore
	Audit     Recorder
	// Now is the clock of the wizard's schedule (tests); nil is time.Now.
	Now func() time.Time
}

// actor names the signed-in user in the content audit trail and the
// audit log.
func actor(r *http.Request) string {
	if p, ok := auth.PrincipalFrom(r.Context()); ok {
		return string(p.Kind) + ":" + p.Name
	}
	return "user:unknown"
}

// record writes one audit line; a failure to write it fails the request
// after the change (the change itself stands, and the page says so).
func (s *StudioPages) record(r *http.Request, action, target, detail string) error {
	if s.Audit == nil {
		return nil
	}
	err := s.Audit.Record(r.Context(), auth.Entry{At: time.Now().UTC(), Actor: actor(r), Action: action, Target: target, Detail: detail})
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, "%s was done but the audit log could not be written", action)
	}
	return nil
}

func seeOther(w http.ResponseWriter, r *http.Request, to string) error {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// StudioHome is the studio's front page: draft campaigns whose copy can be
// planned and written, and the review queue's size.
type StudioHome struct {
	Drafts  []campaign.Campaign
	Flagged int
	Draft   int
	Runs    []content.Run
}

// StudioIndex shows the studio's front page.
func (s *StudioPages) StudioIndex(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cs, err := s.Campaigns.List(ctx)
	if err != nil {
		return err
	}
	var v StudioHome
	for _, c := range cs {
		if c.State == campaign.Draft {
			v.Drafts = append(v.Drafts, c)
		}
	}
	for _, st := range []string{content.StatusFlagged, content.StatusDraft} {
		items, err := s.App.Store.ListItems(ctx, content.ItemFilter{Status: st, Limit: 1000})
		if err != nil {
			return err
		}
		if st == content.StatusFlagged {
			v.Flagged = len(items)
		} else {
			v.Draft = len(items)
		}
	}
	if v.Runs, err = s.App.Store.ListRuns(ctx); err != nil {
		return err
	}
	v.Runs = v.Runs[:min(len(v.Runs), 20)]
	return s.Console.Render(w, r, "studio", "", v)
}

// PlanView is the plan of a campaign's copy, shown before anything is
// written: calls at each depth and their estimated cost.
type PlanView struct {
	Campaign campaign.Campaign
	Plan     content.Plan
	Run      string
	Cost     Cost
}

// Cost is what a run's model calls are expected to cost: the chosen
// depth's calls at the average cost of the calls made so far (Basis of
// them); Known is false before the first call was ever made.
type Cost struct {
	Calls, MaxCalls int
	PerCall         float64
	Total, Max      float64
	Basis           int64
	Known           bool
}

// EstimateCost prices calls at the average cost per call of the stored
// usage records.
func EstimateCost(recs []llm.UsageRecord, calls, maxCalls int) Cost {
	c := Cost{Calls: calls, MaxCalls: maxCalls}
	var usd float64
	for _, r := range recs {
		c.Basis += r.Calls
		usd += r.CostUSD
	}
	if c.Basis > 0 {
		c.Known = true
		c.PerCall = usd / float64(c.Basis)
		c.Total, c.Max = c.PerCall*float64(calls), c.PerCall*float64(maxCalls)
	}
	return c
}

// StudioPlan shows the plan of campaign {name}'s copy.
func (s *StudioPages) StudioPlan(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, p, err := s.Campaigns.PrepareContent(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	recs, err := s.App.Store.LLMUsage(ctx, llm.UsageFilter{})
	if err != nil {
		return err
	}
	v := PlanView{Campaign: c, Plan: p.Plan, Run: p.Run.ID}
	for _, d := range p.Plan.Depths {
		if d.Depth == p.Plan.Depth {
			v.Cost = EstimateCost(recs, d.Calls, d.MaxCalls)
		}
	}
	return s.Console.Render(w, r, "studio_plan", "studio.plan", v)
}

// StudioGenerate writes campaign {name}'s copy and shows it for review.
func (s *StudioPages) StudioGenerate(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	sum, err := s.Campaigns.WriteContent(r.Context(), name)
	if err != nil {
		return err
	}
	if err := s.record(r, "content.generate", "campaign "+name, fmt.Sprintf("run %s: %d items, %d flagged", sum.Run, sum.Items, sum.Flagged)); err != nil {
		return err
	}
	return seeOther(w, r, "/studio/review?run="+url.QueryEscape(sum.Run))
}

// ReviewView is the review queue: items grouped by unit and channel with
// their variants side by side.
type ReviewView struct {
	Run, Status string
	Rows        []VariantRow
	Count       int
	Statuses    []string
}

// Review shows the review queue (draft and flagged items, or ?status=),
// optionally of one run (?run=).
func (s *StudioPages) Review(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	v := ReviewView{Run: q.Get("run"), Status: q.Get("status"),
		Statuses: []string{content.StatusDraft, content.StatusFlagged, content.StatusApproved, content.StatusRejected}}
	if v.Status != "" && !slices.Contains(v.Statuses, v.Status) {
		return apperr.New(apperr.Invalid, "status %q: use draft, flagged, approved or rejected", v.Status)
	}
	want := []string{v.Status}
	if v.Status == "" {
		want = []string{content.StatusFlagged, content.StatusDraft}
	}
	var items []content.Item
	for _, st := range want {
		got, err := s.App.Store.ListItems(r.Context(), content.ItemFilter{RunID: v.Run, Status: st, Limit: 200})
		if err != nil {
			return err
		}
		items = append(items, got...)
	}
	v.Count = len(items)
	v.Rows = SideBySide(items)
	sess, _ := auth.SessionFrom(r.Context())
	back := "/studio/review"
	if q := r.URL.RawQuery; q != "" {
		back += "?" + q
	}
	for i := range v.Rows {
		for j := range v.Rows[i].Items {
			v.Rows[i].Items[j].CSRF, v.Rows[i].Items[j].Back = sess.CSRF, back
		}
	}
	return s.Console.Render(w, r, "studio_review", "studio.review", v)
}

// ReviewItem approves or rejects item {id} (form decision=approve|reject,
// note), then goes back to the queue.
func (s *StudioPages) ReviewItem(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	to := ""
	switch r.PostFormValue("decision") {
	case "approve":
		to = content.StatusApproved
	case "reject":
		to = content.StatusRejected
	default:
		return apperr.New(apperr.Invalid, "decision %q: use approve or reject", r.PostFormValue("decision"))
	}
	it, err := s.Studio.Review(r.Context(), id, to, actor(r), strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		return err
	}
	action := "content.approve"
	if to == content.StatusRejected {
		action = "content.reject"
	}
	if err := s.record(r, action, "item "+it.ID, "run "+it.RunID); err != nil {
		return err
	}
	return seeOther(w, r, backTo(r, "/studio/review?run="+url.QueryEscape(it.RunID)))
}

// EditItem changes one field of item {id} (form field, value, note); the
// studio checks the item again, so it may come back flagged.
func (s *StudioPages) EditItem(w http.ResponseWriter, r *http.Request) error {
	it, _, err := s.Studio.Edit(r.Context(), r.PathValue("id"), r.PostFormValue("field"), r.PostFormValue("value"), actor(r), strings.TrimSpace(r.PostFormValue("note")))
	if err != nil {
		return err
	}
	if err := s.record(r, "content.edit", "item "+it.ID, "field "+r.PostFormValue("field")); err != nil {
		return err
	}
	return seeOther(w, r, backTo(r, "/studio/review?run="+url.QueryEscape(it.RunID)))
}

// backTo is the form's "back" path when it is one of ours (a path on this
// site, never another host), else def.
func backTo(r *http.Request, def string) string {
	b := r.PostFormValue("back")
	if strings.HasPrefix(b, "/") && !strings.HasPrefix(b, "//") && !strings.Contains(b, "\\") {
		return b
	}
	return def
}

// EmailPreview answers item {id}'s email HTML for the preview iframe
// (<iframe sandbox="">). Its route is the console's one frameable page
// (httpapi's framePage): a sandboxed document that runs no script.
func (s *StudioPages) EmailPreview(w http.ResponseWriter, r *http.Request) error {
	it, err := s.App.Store.GetItem(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if it.Channel != content.Email || it.HTML == "" {
		return apperr.New(apperr.NotFound, "item %s has no email to preview", it.ID)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(it.HTML))
	return nil
}

// CampaignList lists the campaigns.
func (s *StudioPages) CampaignList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Campaigns.List(r.Context())
	if err != nil {
		return err
	}
	return s.Console.Render(w, r, "campaigns", "", cs)
}

// WizardView is the wizard's page: the form so far, the segments to
// choose from, the channels and, at the review step, the plan.
type WizardView struct {
	Form     CampaignForm
	Steps    []string
	Segments []string
	Channels []ChannelOption
}

// ChannelOption is a channel's checkbox in the wizard.
type ChannelOption struct {
	Name    string
	Checked bool
}

// wizardChannels are the channels a campaign can send on.
var wizardChannels = []string{content.Email, content.SMS, content.Push}

// CampaignWizard shows the wizard's first step.
func (s *StudioPages) CampaignWizard(w http.ResponseWriter, r *http.Request) error {
	return s.wizard(w, r, http.StatusOK, ParseCampaignForm(r.URL.Query()))
}

func (s *StudioPages) wizard(w http.ResponseWriter, r *http.Request, status int, f CampaignForm) error {
	segs, err := s.App.Store.ListSegments(r.Context())
	if err != nil {
		return err
	}
	v := WizardView{Form: f, Steps: WizardSteps}
	for _, ch := range wizardChannels {
		v.Channels = append(v.Channels, ChannelOption{Name: ch, Checked: slices.Contains(f.Channels, ch)})
	}
	for _, sg := range segs {
		v.Segments = append(v.Segments, sg.Name)
	}
	return s.Console.RenderStatus(w, r, status, "campaigns_new", "campaigns.new", v)
}

// CampaignWizardStep checks the posted step and shows the next one (or the
// same one with its problem); "back" goes to the step before, and the
// review step's "create" stores the draft and opens it.
func (s *StudioPages) CampaignWizardStep(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "the form could not be read")
	}
	f := ParseCampaignForm(r.PostForm)
	loc := s.location(r.Context())
	switch r.PostFormValue("go") {
	case "back":
		f.Step = max(f.Step-1, StepAudience)
		return s.wizard(w, r, http.StatusOK, f)
	case "create":
		c, err := f.Campaign(loc)
		if err != nil {
			return s.wizard(w, r, http.StatusUnprocessableEntity, f)
		}
		if _, err := s.Campaigns.Create(r.Context(), c); err != nil {
			if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
				f.Err = err.Error()
				return s.wizard(w, r, http.StatusUnprocessableEntity, f)
			}
			return err
		}
		if err := s.record(r, "campaign.create", "campaign "+c.Name, ""); err != nil {
			return err
		}
		return seeOther(w, r, "/campaigns/"+url.PathEscape(c.Name))
	}
	if err := f.Check(f.Step, loc); err != nil {
		return s.wizard(w, r, http.StatusUnprocessableEntity, f)
	}
	f.Step = min(f.Step+1, StepReview)
	return s.wizard(w, r, http.StatusOK, f)
}

func (s *StudioPages) location(ctx context.Context) *time.Location {
	sh, err := s.App.Shop(ctx)
	if err != nil {
		return time.UTC
	}
	loc, err := time.LoadLocation(sh.Settings.TimeZone)
	if err != nil || sh.Settings.TimeZone == "" {
		return time.UTC
	}
	return loc
}

// CampaignView is one campaign's page: its settings, its plan while it is
// a draft, and its progress.
type CampaignView struct {
	Campaign campaign.Campaign
	Plan     *campaign.Plan
	PlanErr  string
	Progress Progress
	// HoldoutPct is the holdout share in percent.
	HoldoutPct float64
}

// CampaignShow shows campaign {name}.
func (s *StudioPages) CampaignShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	st, err := s.Campaigns.Status(ctx, r.PathValue("name"))
	if err != nil {
		return err
	}
	v := CampaignView{Campaign: st.Campaign, Progress: NewProgress(st), HoldoutPct: st.Campaign.Holdout * 100}
	if st.State == campaign.Draft {
		p, err := s.Campaigns.Plan(ctx, st.Campaign.Name)
		switch {
		case err == nil:
			v.Plan = &p
		case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.NotFound):
			v.PlanErr = err.Error()
		default:
			return err
		}
	}
	return s.Console.Render(w, r, "campaigns_show", "campaigns.show", v)
}

// CampaignProgress answers the progress fragment the campaign page polls
// (htmx, every two seconds while the campaign is live).
func (s *StudioPages) CampaignProgress(w http.ResponseWriter, r *http.Request) error {
	st, err := s.Campaigns.Status(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return s.Console.Fragment(w, r, "campaigns_show", "progress", CampaignView{Campaign: st.Campaign, Progress: NewProgress(st)})
}

// CampaignLaunch launches campaign {name}. When copy awaits review
// (approval manual) the campaign page says so and links to the queue.
func (s *StudioPages) CampaignLaunch(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	l, err := s.Campaigns.Launch(r.Context(), name)
	if err != nil {
		return err
	}
	if err := s.record(r, "campaign.launch", "campaign "+name, fmt.Sprintf("%d recipients, state %s", l.Recipients, l.Status.State)); err != nil {
		return err
	}
	return seeOther(w, r, "/campaigns/"+url.PathEscape(name))
}

// CampaignMove pauses or resumes campaign {name} ({action}).
func (s *StudioPages) CampaignMove(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("name")
	var err error
	switch a := r.PathValue("action"); a {
	case "pause":
		_, err = s.Campaigns.Pause(r.Context(), name)
	case "resume":
		_, err = s.Campaigns.Resume(r.Context(), name)
	default:
		return apperr.New(apperr.NotFound, "no campaign action %q", a)
	}
	if err != nil {
		return err
	}
	if err := s.record(r, "campaign."+r.PathValue("action"), "campaign "+name, ""); err != nil {
		return err
	}
	return seeOther(w, r, "/campaigns/"+url.PathEscape(name))
}

// ReportList lists the launched campaigns whose reports can be read.
func (s *StudioPages) ReportList(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.Campaigns.List(r.Context())
	if err != nil {
		return err
	}
	var out []campaign.Campaign
	for _, c := range cs {
		if c.State != campaign.Draft {
			out = append(out, c)
		}
	}
	return s.Console.Render(w, r, "reports", "", out)
}

// ReportShow shows campaign {name}'s report: the funnel, the variants
// compared with intervals, the holdout lift and the charts. ?sequential=1
// asks for always-valid figures.
func (s *StudioPages) ReportShow(w http.ResponseWriter, r *http.Request) error {
	cfg := s.App.Config
	exp := experiment.OptionsFromConfig(cfg.Experiment)
	exp.Sequential = r.URL.Query().Get("sequential") == "1"
	rep, err := tracking.Reporter{Store: s.Reports}.Report(r.Context(), r.PathValue("name"), tracking.ReportOptions{
		Rule: tracking.RuleFromConfig(cfg.Tracking.Attribution), Experiment: exp})
	if err != nil {
		return err
	}
	lang := s.Console.Lang(r)
	labels := map[string]string{}
	for _, k := range []string{"recipients", "sent", "delivered", "opens", "clicks", "conversions", "rate", "lift"} {
		labels[k] = s.Console.T(lang, "report."+k)
	}
	return s.Console.Render(w, r, "reports_show", "reports.show", NewReportView(rep, labels))
}
