package content

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/customer"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/shop"
)

// Run is one campaign generation: a brief applied to a segment's audience
// on some channels at a depth. Its id is derived from those inputs, so
// running the same command again resumes it.
type Run struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Brief     Brief     `json:"brief"`
	Segment   string    `json:"segment"`
	Channels  []string  `json:"channels"`
	Depth     string    `json:"depth"`
	Variants  int       `json:"variants"`
	Model     string    `json:"model"`
	Status    string    `json:"status"` // running | done | interrupted | partial
	Audience  int       `json:"audience"`
	Units     int       `json:"units"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ItemFilter selects items for review.
type ItemFilter struct {
	RunID   string
	Status  string
	Channel string
	Limit   int
}

// Store is what the studio persists. SaveUnit writes a unit's items and
// their first audit entries in one transaction, idempotently (a unit saved
// twice keeps the first), which is what makes batches resumable.
// GetItem, GetRun and GetVoice return NotFound errors for unknown ids.
type Store interface {
	SaveRun(ctx context.Context, r Run) error
	GetRun(ctx context.Context, id string) (Run, error)
	ListRuns(ctx context.Context) ([]Run, error)
	CompletedUnits(ctx context.Context, runID string) (map[string]Unit, error)
	SaveUnit(ctx context.Context, u Unit, items []Item) error
	ListItems(ctx context.Context, f ItemFilter) ([]Item, error)
	GetItem(ctx context.Context, id string) (Item, error)
	// UpdateItem stores a changed item (status, copy) and its audit entry
	// in one transaction; it is a Conflict when the stored status is no
	// longer a.From (someone else changed it).
	UpdateItem(ctx context.Context, it Item, a Audit) error
	AuditTrail(ctx context.Context, itemID string) ([]Audit, error)
	PutVoice(ctx context.Context, v Voice) error
	GetVoice(ctx context.Context, name string) (Voice, error)
}

// Deps are the studio's collaborators; cmd/chorus wires them.
type Deps struct {
	Model     Model
	Checker   Checker // nil: not checked, and the summary says so
	Store     Store
	Catalog   Catalog
	Customers Customers
	Profiles  ProfileSource
	Recommend Recommender
	// CoPurchases, when set, names what each product is often bought
	// with (nil: no co-purchase facts).
	CoPurchases CoPurchases
	Audience    Audience
	Prompts     *Prompts
	// MaxRepairs per variant; Concurrency of units in flight.
	MaxRepairs  int
	Concurrency int
	// Price converts a model's token usage to USD (nil: cost 0).
	Price func(model string, u llm.Usage) float64
	// Progress is told the total once and then each completed unit.
	Progress func(done, total int)
	Now      func() time.Time
	// CallContext, when set, derives the context of a job's model calls
	// (see Generator.CallContext).
	CallContext func(ctx context.Context, j Job) context.Context
	// Labeler adds the visible AI-generated label (nil: no label).
	Labeler Labeler
	// Shop is the merchant's settings: its name signs copy when no brand
	// voice is stored, and its language is the fallback of
	// shop.CustomerLanguage.
	Shop shop.Settings
}

// Brand is the name copy is signed with when no voice is stored: the
// shop's name, else the product's brand (empty when neither is known).
func (d Deps) Brand(p *catalog.Product) string {
	if d.Shop.Name != "" {
		return d.Shop.Name
	}
	if p != nil {
		return p.Brand
	}
	return ""
}

// customerShop is the shop as the fallback of a customer's language for
// brief b: a brief's language, when it names one, stands for the shop's.
func (d Deps) customerShop(b Brief) shop.Settings {
	s := d.Shop
	if b.Language != "" {
		s.Language = b.Language
	}
	return s
}

func (d Deps) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC()
	}
	return time.Now().UTC()
}

// DefaultTopK is how many of her top recommendations a customer's cohort
// product is chosen from by default: on the demo shop at 10,000 customers
// it takes cohort depth from 11.6× (k=1) to 21.3× fewer calls than
// individual depth.
const DefaultTopK = 5

// CampaignRequest is what `chorus generate --segment` asks for.
type CampaignRequest struct {
	Brief    Brief
	Segment  string
	Channels []string
	Depth    string
	Variants int
	// Voice names a stored voice; "" uses the brief's, then the default.
	Voice string
	// TopK is how many of a customer's top recommendations cohort depth
	// may choose from when packing cohorts (1: always her first).
	TopK int
}

// Prepared is a campaign resolved against the store, planned, and ready
// to run; preparing makes no model call.
type Prepared struct {
	Run        Run         `json:"run"`
	Plan       Plan        `json:"plan"`
	Recipients []Recipient `json:"-"`
	Groups     []Group     `json:"-"`
	Voice      Voice       `json:"voice"`
	Products   []catalog.Product
	catalog    []catalog.Product
	bands      map[string]string
	boughtWith map[string][]string // by SKU: co-purchased titles copy may name
}

// Prepare checks the request (unknown channel, product or segment fail
// here, before any model call), loads the voice, builds the audience with
// each customer's profile and top recommendation, groups it for the depth
// and costs every depth.
func (d Deps) Prepare(ctx context.Context, req CampaignRequest) (*Prepared, error) {
	b := req.Brief
	file := b.File
	if file == "" {
		file = "brief"
	}
	if len(req.Channels) == 0 {
		req.Channels = b.Channels
	}
	if len(req.Channels) == 0 {
		return nil, apperr.New(apperr.Invalid, "no channels: pass --channels or set channels: in %s", file)
	}
	for _, c := range req.Channels {
		if _, err := SpecFor(c); err != nil {
			return nil, err
		}
	}
	if req.Segment == "" {
		req.Segment = b.Segment
	}
	if req.Segment == "" {
		return nil, apperr.New(apperr.Invalid, "no segment: pass --segment or set segment: in %s", file)
	}
	depth, err := ParseDepth(req.Depth)
	if err != nil {
		return nil, err
	}
	all, err := d.Catalog.ListProducts(ctx)
	if err != nil {
		return nil, err
	}
	bySKU := map[string]catalog.Product{}
	for _, p := range all {
		bySKU[p.SKU] = p
	}
	var featured []catalog.Product
	for i, sku := range b.Products {
		p, ok := bySKU[sku]
		if !ok {
			return nil, fieldError(file, fmt.Sprintf("products[%d]", i), "unknown product %q (not in the catalog)", sku)
		}
		featured = append(featured, p)
	}
	voice, err := d.voice(ctx, req.Voice, b)
	if err != nil {
		return nil, err
	}
	ids, err := d.Audience.Members(ctx, req.Segment)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Invalid, "unknown segment %q: %s", req.Segment, strings.TrimPrefix(err.Error(), "unknown segment: "))
		}
		return nil, err
	}
	if len(ids) == 0 {
		return nil, apperr.New(apperr.Invalid, "segment %q is empty: no customer to write for", req.Segment)
	}
	rs, err := d.recipients(ctx, ids, req.Segment, b, bySKU, featured)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, apperr.New(apperr.Invalid, "segment %q has %d members but none has a product to recommend (import products and events first)", req.Segment, len(ids))
	}
	variants := max(req.Variants, 1)
	topK := req.TopK
	if topK <= 0 {
		topK = DefaultTopK
	}
	for _, ch := range req.Channels {
		if ch == SMS && b.SenderFor(b.Language, voice.Brand) == "" {
			return nil, fieldError(file, "sender", "an SMS must open with a sender signature and none is known: set sender: (e.g. 【Lumen】) in the brief, a brand voice, or the shop's name (chorus shop set name NAME)")
		}
	}
	p := &Prepared{Recipients: rs, Voice: voice, Products: featured, catalog: all, bands: priceBands(all)}
	p.Plan = MakePlan(rs, req.Channels, depth, variants, d.MaxRepairs, topK)
	if depth == DepthCohort {
		p.Recipients = Pack(rs, topK)
	}
	p.Groups = Groups(depth, p.Recipients)
	if p.boughtWith, err = d.coPurchases(ctx, p.Groups, bySKU); err != nil {
		return nil, err
	}
	model := ""
	if d.Model != nil {
		model = d.Model.Name()
	}
	p.Run = Run{
		ID:   RunID(b, req.Segment, req.Channels, depth+"/"+itoa(topK), variants, voice.Name, model),
		Name: b.Name, Brief: b, Segment: req.Segment, Channels: req.Channels, Depth: depth, Variants: variants,
		Model: model, Audience: len(rs), Units: len(p.Groups) * len(req.Channels), Status: "planned",
	}
	return p, nil
}

// coPurchaseN is how many co-purchased products a product's facts name.
const coPurchaseN = 3

// coPurchases are the co-purchased titles of the groups' products that
// have neither description nor selling points (the others' copy does not
// use them); nil without a CoPurchases source.
func (d Deps) coPurchases(ctx context.Context, gs []Group, bySKU map[string]catalog.Product) (map[string][]string, error) {
	if d.CoPurchases == nil {
		return nil, nil
	}
	var skus []string
	for _, g := range gs {
		p := g.Product
		if len(p.SellingPoints) == 0 && strings.TrimSpace(p.Description) == "" && !slices.Contains(skus, p.SKU) {
			skus = append(skus, p.SKU)
		}
	}
	if len(skus) == 0 {
		return nil, nil
	}
	m, err := d.CoPurchases.BoughtWith(ctx, skus, coPurchaseN)
	if err != nil {
		return nil, err
	}
	return boughtWith(m, bySKU), nil
}

func (d Deps) voice(ctx context.Context, name string, b Brief) (Voice, error) {
	if name == "" {
		name = b.Voice
	}
	if name == "" {
		return DefaultVoice(d.signer(b, nil)), nil
	}
	if d.Store == nil {
		return Voice{}, apperr.New(apperr.Invalid, "voice %q: no store to read it from", name)
	}
	v, err := d.Store.GetVoice(ctx, name)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return v, apperr.New(apperr.Invalid, "%s: field voice: unknown brand voice %q (add it with `chorus content voice set FILE`)", orBrief(b.File), name)
		}
		return v, err
	}
	return v, nil
}

// signer is who copy without a stored voice is signed by: the brief's
// sender (the campaign says who it is from), else the shop's name, else
// the product's brand. Never Chorus: Chorus is the tool, not the shop.
func (d Deps) signer(b Brief, p *catalog.Product) string {
	if s := SenderBrand(b.Sender); s != "" {
		return s
	}
	return d.Brand(p)
}

func orBrief(f string) string {
	if f == "" {
		return "brief"
	}
	return f
}

// recipients builds the audience: profile, language, top interest and the
// customer's own recommended product (the first featured product among
// her recommendations when the brief features products).
func (d Deps) recipients(ctx context.Context, ids []string, segment string, b Brief, bySKU map[string]catalog.Product, featured []catalog.Product) ([]Recipient, error) {
	rs := make([]Recipient, 0, len(ids))
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		prof, err := d.Profiles.Profile(ctx, id)
		if err != nil {
			if apperr.Is(err, apperr.NotFound) {
				continue
			}
			return nil, err
		}
		r := Recipient{CustomerID: id, Segment: segment, AgeBand: prof.AgeBand, Gender: prof.Gender, OptOut: prof.PersonalizationOptOut, Recent: prof.RecentPurchases}
		// Without the customer record, the profile's language and country
		// stand for it.
		r.Language = shop.CustomerLanguage(customer.Customer{Language: prof.Language, Country: prof.Country}, d.customerShop(b)).Value
		for _, in := range prof.Interests {
			r.Interests = append(r.Interests, strings.ToLower(in))
		}
		for _, c := range prof.TopCategories {
			r.Interests = append(r.Interests, strings.ToLower(c.Name))
		}
		if len(r.Interests) > 0 {
			r.Interest = r.Interests[0]
		}
		if d.Customers != nil {
			if c, err := d.Customers.GetCustomer(ctx, id); err == nil {
				r.Language = shop.CustomerLanguage(c, d.customerShop(b)).Value
				r.FirstName = FirstName(c.Name, r.Language)
			}
		}
		var recs []string
		for _, pr := range prof.Recommendations {
			recs = append(recs, pr.SKU)
		}
		if len(recs) == 0 && d.Recommend != nil {
			items, err := d.Recommend.Recommend(ctx, id, 10)
			if err != nil && !apperr.Is(err, apperr.NotFound) {
				return nil, err
			}
			for _, it := range items {
				recs = append(recs, it.SKU)
			}
		}
		var choices []catalog.Product
		addChoice := func(sku string) {
			if p, ok := bySKU[sku]; ok && !slices.ContainsFunc(choices, func(c catalog.Product) bool { return c.SKU == sku }) {
				choices = append(choices, p)
			}
		}
		if len(featured) > 0 {
			// her recommendations among the featured products, then the
			// first featured one
			for _, s := range recs {
				if slices.ContainsFunc(featured, func(p catalog.Product) bool { return p.SKU == s }) {
					addChoice(s)
				}
			}
			addChoice(featured[0].SKU)
		} else {
			// recommendations written in her language first
			for _, s := range recs {
				if p, ok := bySKU[s]; ok && (p.Language == "" || p.Language == r.Language) {
					addChoice(s)
				}
			}
			for _, s := range recs {
				addChoice(s)
			}
		}
		if len(choices) == 0 {
			continue
		}
		r.Choices = choices
		p := choices[0]
		r.Product = p
		rs = append(rs, r)
	}
	return rs, nil
}

// FirstName takes the given name from a full name: the first word of a
// Latin name ("Ada Lovelace" → "Ada"), the characters after the one-
// character family name of a Chinese name of three or more ("王小明" →
// "小明"; a two-character name is kept whole).
func FirstName(full, lang string) string {
	full = strings.TrimSpace(full)
	if full == "" {
		return ""
	}
	if f := strings.Fields(full); len(f) > 1 {
		return f[0]
	}
	rs := []rune(full)
	if len(rs) >= 3 && rs[0] > 0x2E80 {
		return string(rs[1:])
	}
	return full
}

// RunID derives the run id from everything that shapes its output.
func RunID(b Brief, segment string, channels []string, depth string, variants int, voice, model string) string {
	cs := slices.Clone(channels)
	sort.Strings(cs)
	sum := sha256.Sum256([]byte(strings.Join([]string{b.ID(), segment, strings.Join(cs, ","), depth, fmt.Sprint(variants), voice, model, PromptVersion}, "\x00")))
	return "run_" + hex.EncodeToString(sum[:6])
}

// target builds what one group's message on one channel is checked
// against.
func (p *Prepared) target(channel string, g Group) Target {
	spec, _ := SpecFor(channel)
	prod := g.Product
	t := Target{Spec: spec, Lang: g.Lang, Product: &prod, Voice: p.Voice, Brief: p.Run.Brief,
		Sender: p.Run.Brief.SenderFor(g.Lang, p.Voice.Brand), OptOut: p.Run.Brief.OptOutFor(g.Lang), PriceBand: p.bands[prod.SKU],
		BoughtWith: p.boughtWith[prod.SKU]}
	t.Grounding = Grounding{Products: append([]catalog.Product{prod}, p.Products...), Brief: p.Run.Brief, Others: p.catalog,
		Mentions: mentions(append(slices.Clone(g.Persona.RecentPurchases), t.BoughtWith...))}
	if spec.Personal {
		t.Slots = []string{SlotFirstName}
	}
	return t
}

// TargetOf rebuilds what a stored item of this run is checked against;
// ok is false for an item of another run or of a group the plan no
// longer has.
func (p *Prepared) TargetOf(it Item) (Target, bool) {
	if it.RunID != p.Run.ID {
		return Target{}, false
	}
	for _, g := range p.Groups {
		if g.Key == it.Cohort {
			return p.target(it.Channel, g), true
		}
	}
	return Target{}, false
}

// Jobs are the prepared run's units. Each carries its place among the
// units of its channel and language (Job.Variation), so that a template
// writer spreads its constructions over the campaign.
func (p *Prepared) Jobs() []Job {
	var jobs []Job
	seq := map[string]int{}
	for _, g := range p.Groups {
		for _, ch := range p.Run.Channels {
			persona := g.Persona
			v := seq[ch+"/"+g.Lang]
			seq[ch+"/"+g.Lang]++
			jobs = append(jobs, Job{RunID: p.Run.ID, Key: g.Key + "|" + ch, Target: p.target(ch, g), Persona: &persona,
				Variants: p.Run.Variants, Segment: g.Segment, Cohort: g.Key, Customer: g.Customer, Campaign: p.Run.Name, Variation: &v})
		}
	}
	return jobs
}

// mentions are purchase titles as the copy may name them.
func mentions(titles []string) []string {
	var out []string
	for _, t := range titles {
		out = append(out, t, lexicon.DisplayTitle(t))
	}
	return out
}

// Failure is a unit that could not be generated; a re-run retries it.
type Failure struct {
	Unit   string `json:"unit"`
	Reason string `json:"reason"`
}

// Summary is what a run did and cost.
type Summary struct {
	Run         string    `json:"run"`
	Campaign    string    `json:"campaign"`
	Segment     string    `json:"segment"`
	Depth       string    `json:"depth"`
	Channels    []string  `json:"channels"`
	Audience    int       `json:"audience"`
	Plan        Plan      `json:"plan"`
	Units       int       `json:"units"`
	Resumed     int       `json:"units_resumed"`
	Generated   int       `json:"units_generated"`
	Failed      []Failure `json:"failed,omitempty"`
	Items       int       `json:"items"` // this invocation
	Draft       int       `json:"draft"`
	Flagged     int       `json:"flagged"`
	Duplicates  int       `json:"duplicates_dropped"`
	ModelCalls  int       `json:"model_calls"`
	RepairCalls int       `json:"repair_calls"`
	Tokens      llm.Usage `json:"tokens"`
	CostUSD     float64   `json:"cost_usd"`
	// FlaggedReasons counts the violations of flagged items by rule, with
	// examples in FlaggedExamples.
	FlaggedReasons  map[string]int `json:"flagged_reasons,omitempty"`
	FlaggedExamples []string       `json:"flagged_examples,omitempty"`
	// Totals are the run's items by status, across every invocation.
	Totals      map[string]int `json:"totals"`
	Compliance  string         `json:"compliance"`
	Interrupted bool           `json:"interrupted,omitempty"`
	Status      string         `json:"status"`
	// Coverage, when measured, is what recipients receive once rendered.
	Coverage *Coverage `json:"coverage,omitempty"`
}

// Execute runs the prepared units that are not stored yet, persisting each
// as it completes. Cancelling ctx stops starting units; units in flight
// finish and are saved (their calls are paid for), so a re-run repeats no
// model call. A unit whose model call fails is reported and left for the
// re-run.
func (d Deps) Execute(ctx context.Context, p *Prepared) (Summary, error) {
	s := Summary{Run: p.Run.ID, Campaign: p.Run.Name, Segment: p.Run.Segment, Depth: p.Run.Depth, Channels: p.Run.Channels,
		Audience: p.Run.Audience, Plan: p.Plan, Units: p.Run.Units, FlaggedReasons: map[string]int{}, Compliance: "checked"}
	if d.Checker == nil {
		s.Compliance = "not checked: no compliance checker configured"
	}
	if d.Store == nil {
		return s, apperr.New(apperr.Internal, "content: no store")
	}
	keep := context.WithoutCancel(ctx)
	done, err := d.Store.CompletedUnits(ctx, p.Run.ID)
	if err != nil {
		return s, err
	}
	run := p.Run
	if old, err := d.Store.GetRun(ctx, run.ID); err == nil {
		run.CreatedAt = old.CreatedAt
	} else if !apperr.Is(err, apperr.NotFound) {
		return s, err
	} else {
		run.CreatedAt = d.now()
	}
	run.Status, run.UpdatedAt = "running", d.now()
	if err := d.Store.SaveRun(ctx, run); err != nil {
		return s, err
	}
	var pending []Job
	for _, j := range p.Jobs() {
		if _, ok := done[j.Key]; ok {
			s.Resumed++
			continue
		}
		pending = append(pending, j)
	}
	total := len(pending) + s.Resumed
	progress := func(n int) {
		if d.Progress != nil {
			d.Progress(n, total)
		}
	}
	progress(s.Resumed)
	gen := &Generator{Model: d.Model, Checker: d.Checker, Prompts: d.Prompts, MaxRepairs: d.MaxRepairs, Now: d.Now, Labeler: d.Labeler, CallContext: d.CallContext}
	var mu sync.Mutex
	var saveErr error
	work := make(chan Job)
	var wg sync.WaitGroup
	for range max(d.Concurrency, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				// the call runs to completion even if ctx is cancelled
				// meanwhile: a finished, paid-for answer is always saved
				out, err := gen.Generate(keep, j)
				mu.Lock()
				s.ModelCalls += out.Calls
				s.Tokens.Add(out.Usage)
				mu.Unlock()
				if err != nil {
					mu.Lock()
					s.Failed = append(s.Failed, Failure{Unit: j.Key, Reason: llm.Reason(err)})
					mu.Unlock()
					continue
				}
				u := Unit{RunID: j.RunID, Key: j.Key, Calls: out.Calls, Usage: out.Usage, At: d.now()}
				for _, it := range out.Items {
					if it.Status == StatusFlagged {
						u.Flagged++
					}
				}
				if err := d.Store.SaveUnit(keep, u, out.Items); err != nil {
					mu.Lock()
					saveErr = errors.Join(saveErr, err)
					mu.Unlock()
					continue
				}
				mu.Lock()
				s.Generated++
				s.RepairCalls += out.Calls - 1
				s.Duplicates += out.Duplicates
				for _, it := range out.Items {
					s.Items++
					if it.Status == StatusFlagged {
						s.Flagged++
						for _, v := range it.Violations {
							s.FlaggedReasons[v.Rule]++
							if len(s.FlaggedExamples) < 10 {
								s.FlaggedExamples = append(s.FlaggedExamples, fmt.Sprintf("%s: %s", j.Key, v))
							}
						}
					} else {
						s.Draft++
					}
				}
				mu.Unlock()
				progress(1)
			}
		}()
	}
feed:
	for _, j := range pending {
		select {
		case <-ctx.Done():
			break feed
		case work <- j:
		}
	}
	close(work)
	wg.Wait()
	if d.Price != nil {
		s.CostUSD = d.Price(p.Run.Model, s.Tokens)
	}
	s.Interrupted = ctx.Err() != nil
	switch {
	case s.Interrupted:
		run.Status = "interrupted"
	case len(s.Failed) > 0 || saveErr != nil:
		run.Status = "partial"
	default:
		run.Status = "done"
	}
	s.Status = run.Status
	run.UpdatedAt = d.now()
	if err := d.Store.SaveRun(keep, run); err != nil {
		saveErr = errors.Join(saveErr, err)
	}
	items, err := d.Store.ListItems(keep, ItemFilter{RunID: run.ID})
	if err == nil {
		s.Totals = map[string]int{}
		for _, it := range items {
			s.Totals[it.Status]++
		}
	}
	if saveErr != nil {
		return s, saveErr
	}
	if s.Interrupted {
		return s, apperr.Wrap(ctx.Err(), apperr.Unavailable, "interrupted after %d of %d units; run the same command again to resume", s.Resumed+s.Generated, s.Units)
	}
	return s, nil
}
