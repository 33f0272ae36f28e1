package httpapi

import (
	"context"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/campaign"
	"github.com/chorusmkt/chorus/internal/experiment"
	"github.com/chorusmkt/chorus/internal/tracking"
)

// Campaigns is the campaign service as the API calls it
// (*campaign.Service, with the studio and the audience wired, as
// `chorus campaign` uses it).
type Campaigns interface {
	Create(ctx context.Context, c campaign.Campaign) (campaign.Campaign, error)
	Get(ctx context.Context, name string) (campaign.Campaign, error)
	List(ctx context.Context) ([]campaign.Campaign, error)
	Plan(ctx context.Context, name string) (campaign.Plan, error)
	Launch(ctx context.Context, name string) (campaign.Launched, error)
	Status(ctx context.Context, name string) (campaign.Status, error)
	Pause(ctx context.Context, name string) (campaign.Campaign, error)
	Resume(ctx context.Context, name string) (campaign.Campaign, error)
}

func (s *Server) campaigns() (Campaigns, error) {
	if s.deps.Campaigns == nil {
		return nil, apperr.New(apperr.Unavailable, "campaigns are not available on this server")
	}
	return s.deps.Campaigns, nil
}

type createCampaign struct {
	Name     string             `json:"name" required:"true"`
	Segment  string             `json:"segment" required:"true" description:"the audience: a saved segment"`
	Channels []string           `json:"channels" required:"true" minItems:"1" description:"email, sms, push, …"`
	Brief    string             `json:"brief" required:"true" description:"the campaign brief, YAML or JSON text (as chorus campaign create --brief)"`
	Mode     string             `json:"mode,omitempty" description:"first (each person's first reachable channel, default) or all"`
	Approval string             `json:"approval,omitempty" description:"auto or manual"`
	Depth    string             `json:"depth,omitempty" description:"segment, cohort or individual"`
	Variants int                `json:"variants,omitempty" minimum:"1" maximum:"26"`
	Holdout  float64            `json:"holdout,omitempty" minimum:"0" maximum:"0.5" description:"share of the audience sent nothing"`
	Rates    map[string]float64 `json:"rates,omitempty" description:"messages per second per channel"`
}

func (s *Server) createCampaign(ctx context.Context, req *createCampaign) (campaign.Campaign, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Campaign{}, err
	}
	vs, err := campaign.SplitVariants(req.Variants)
	if err != nil {
		return campaign.Campaign{}, err
	}
	return svc.Create(ctx, campaign.Campaign{Name: req.Name, Segment: req.Segment, Channels: campaign.ParseChannels(req.Channels...),
		Mode: req.Mode, Approval: req.Approval, Depth: req.Depth, Brief: req.Brief, BriefFile: "brief.yaml", Variants: vs,
		Holdout: req.Holdout, Rates: req.Rates})
}

// CampaignList is every campaign.
type CampaignList struct {
	Campaigns []campaign.Campaign `json:"campaigns"`
}

func (s *Server) listCampaigns(ctx context.Context, _ *struct{}) (CampaignList, error) {
	svc, err := s.campaigns()
	if err != nil {
		return CampaignList{}, err
	}
	cs, err := svc.List(ctx)
	if cs == nil {
		cs = []campaign.Campaign{}
	}
	return CampaignList{Campaigns: cs}, err
}

type campaignName struct {
	Name string `path:"name"`
}

func (s *Server) getCampaign(ctx context.Context, req *campaignName) (campaign.Campaign, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Campaign{}, err
	}
	return svc.Get(ctx, req.Name)
}

func (s *Server) planCampaign(ctx context.Context, req *campaignName) (campaign.Plan, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Plan{}, err
	}
	return svc.Plan(ctx, req.Name)
}

func (s *Server) launchCampaign(ctx context.Context, req *campaignName) (campaign.Launched, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Launched{}, err
	}
	return svc.Launch(ctx, req.Name)
}

func (s *Server) campaignStatus(ctx context.Context, req *campaignName) (campaign.Status, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Status{}, err
	}
	return svc.Status(ctx, req.Name)
}

func (s *Server) pauseCampaign(ctx context.Context, req *campaignName) (campaign.Campaign, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Campaign{}, err
	}
	return svc.Pause(ctx, req.Name)
}

func (s *Server) resumeCampaign(ctx context.Context, req *campaignName) (campaign.Campaign, error) {
	svc, err := s.campaigns()
	if err != nil {
		return campaign.Campaign{}, err
	}
	return svc.Resume(ctx, req.Name)
}

type reportReq struct {
	Name       string `path:"name"`
	By         string `query:"by" description:"split the cells: variant, channel (comma-separated)"`
	Sequential bool   `query:"sequential" description:"always-valid figures for a running campaign"`
}

// campaignReport is `chorus campaign report` with the configured
// attribution rule.
func (s *Server) campaignReport(ctx context.Context, req *reportReq) (tracking.Report, error) {
	opt, err := tracking.ReportQuery{By: req.By, Sequential: req.Sequential}.Options(s.deps.App.Config)
	if err != nil {
		return tracking.Report{}, err
	}
	if s.deps.Reports == nil {
		return tracking.Report{}, apperr.New(apperr.Unavailable, "campaign reports are not available on this server")
	}
	return tracking.Reporter{Store: s.deps.Reports}.Report(ctx, req.Name, opt)
}

// ArmIn is one arm of an experiment to analyze.
type ArmIn struct {
	Name        string  `json:"name" required:"true"`
	Recipients  int64   `json:"recipients" minimum:"0"`
	Conversions int64   `json:"conversions" minimum:"0"`
	Weight      float64 `json:"weight,omitempty" description:"planned share, any scale; all 0 is an even split"`
	Control     bool    `json:"control,omitempty"`
}

type analyzeReq struct {
	Arms       []ArmIn `json:"arms" required:"true" minItems:"2"`
	Sequential bool    `json:"sequential,omitempty"`
}

// analyzeExperiment is `chorus experiment analyze` on counts.
func (s *Server) analyzeExperiment(_ context.Context, req *analyzeReq) (experiment.Report, error) {
	arms := make([]experiment.Arm, len(req.Arms))
	for i, a := range req.Arms {
		arms[i] = experiment.Arm{Name: a.Name, Recipients: a.Recipients, Conversions: a.Conversions, Weight: a.Weight, Control: a.Control}
	}
	opt := experiment.OptionsFromConfig(s.deps.App.Config.Experiment)
	opt.Sequential = req.Sequential
	return experiment.Analyze(arms, opt)
}
