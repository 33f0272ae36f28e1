package app

import (
	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/content"
)

// GenerateArgs are what a person gives `chorus generate`: a campaign
// (Segment, BriefFile, Channels, Depth, TopK) or, with Channel, one
// message for a stored customer or an inline persona.
type GenerateArgs struct {
	Segment, Channels, Depth, BriefFile, Voice string
	TopK, Variants                             int
	Channel, Customer, SKU, Profile            string
	ProductFile, Lang                          string
}

// Single reports whether a asks for one message rather than a campaign.
func (a GenerateArgs) Single() bool { return a.Channel != "" }

// Campaign is the campaign request a gives, its brief loaded. Errors are
// Invalid and name the flag.
func (a GenerateArgs) Campaign() (content.CampaignRequest, error) {
	if a.Segment == "" && a.BriefFile == "" {
		return content.CampaignRequest{}, apperr.New(apperr.Invalid, "give --segment with --brief (campaign) or --channel with --customer/--profile (single message)")
	}
	if a.BriefFile == "" {
		return content.CampaignRequest{}, apperr.New(apperr.Invalid, "--brief FILE is required in campaign mode")
	}
	b, err := content.LoadBrief(a.BriefFile)
	if err != nil {
		return content.CampaignRequest{}, err
	}
	req := content.CampaignRequest{Brief: b, Segment: a.Segment, Depth: a.Depth, Variants: a.Variants, Voice: a.Voice, TopK: a.TopK}
	if a.Channels != "" {
		req.Channels, err = content.ParseChannels(a.Channels)
	}
	return req, err
}

// Message is the single message a asks for: for a stored customer (saved
// for review; App.WriteFor) or, with a persona (nil customer), an inline
// profile and product file (nothing saved; WriteForPersona). Errors are
// Invalid and name the flag.
func (a GenerateArgs) Message() (*content.ForCustomer, *content.ForPersona, error) {
	if a.Customer == "" && a.Profile == "" {
		return nil, nil, apperr.New(apperr.Invalid, "--channel needs --customer ID or --profile 'age=…,interests=…'")
	}
	if a.Customer != "" && a.Profile != "" {
		return nil, nil, apperr.New(apperr.Invalid, "give --customer or --profile, not both")
	}
	if _, err := content.SpecFor(a.Channel); err != nil {
		return nil, nil, err
	}
	var b *content.Brief
	if a.BriefFile != "" {
		lb, err := content.LoadBrief(a.BriefFile)
		if err != nil {
			return nil, nil, err
		}
		b = &lb
	}
	if a.Profile == "" {
		return &content.ForCustomer{CustomerID: a.Customer, Channel: a.Channel, SKU: a.SKU, Lang: a.Lang, Brief: b, Voice: a.Voice, Variants: a.Variants}, nil, nil
	}
	persona, plang, err := content.ParseProfile(a.Profile)
	if err != nil {
		return nil, nil, err
	}
	if a.ProductFile == "" {
		return nil, nil, apperr.New(apperr.Invalid, "--profile needs --product-file FILE (a product without a stored catalog)")
	}
	product, err := content.LoadProduct(a.ProductFile)
	if err != nil {
		return nil, nil, err
	}
	return nil, &content.ForPersona{Channel: a.Channel, Persona: persona, PersonaLang: plang, Product: product, Lang: a.Lang, Brief: b, Variants: a.Variants}, nil
}
