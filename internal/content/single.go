package content

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/shop"
)

// ParseProfile reads an inline profile such as
// "age=25,gender=female,occupation=designer,interests=fashion|travel".
// Keys: age, age_band, gender, occupation, interests (| separated), city,
// segment, lifecycle, language. An unknown key or a bad age is Invalid.
func ParseProfile(s string) (llm.PersonaFacts, string, error) {
	var p llm.PersonaFacts
	lang := ""
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		if !ok || v == "" {
			return p, "", apperr.New(apperr.Invalid, "--profile: %q is not key=value", kv)
		}
		switch k {
		case "age":
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > 120 {
				return p, "", apperr.New(apperr.Invalid, "--profile: age %q is not an age in years", v)
			}
			p.Age, p.AgeBand = n, insight.AgeBand(n)
		case "age_band":
			p.AgeBand = v
		case "gender":
			p.Gender = v
		case "occupation":
			p.Occupation = v
		case "interests":
			for _, i := range strings.Split(v, "|") {
				if i = strings.TrimSpace(i); i != "" {
					p.Interests = append(p.Interests, i)
				}
			}
		case "city":
			p.City = v
		case "segment":
			p.Segment = v
		case "lifecycle":
			p.Lifecycle = v
		case "language", "lang":
			if v != Zh && v != En {
				return p, "", apperr.New(apperr.Invalid, "--profile: language %q is not zh or en", v)
			}
			lang = v
		default:
			return p, "", apperr.New(apperr.Invalid, "--profile: unknown key %q (age, age_band, gender, occupation, interests, city, segment, lifecycle, language)", k)
		}
	}
	return p, lang, nil
}

// PersonaOf turns a stored profile into the prompt's PII-free persona.
func PersonaOf(p insight.Profile) llm.PersonaFacts {
	f := llm.PersonaFacts{AgeBand: p.AgeBand, Gender: p.Gender, Occupation: p.Occupation, City: p.City,
		Interests: p.Interests, Segment: p.Segment, Lifecycle: p.Lifecycle, RecentPurchases: p.RecentPurchases}
	if len(f.Interests) == 0 {
		for _, c := range p.TopCategories {
			f.Interests = append(f.Interests, c.Name)
		}
	}
	return f
}

// LoadProduct reads a product from a JSON file (title, description, price,
// currency, selling_points, …; the catalog.Product fields).
func LoadProduct(path string) (catalog.Product, error) {
	var p catalog.Product
	b, err := os.ReadFile(path)
	if err != nil {
		return p, apperr.Wrap(err, apperr.Invalid, "%s: cannot read", path)
	}
	if err := decodeBytes(path+".json", b, &p); err != nil {
		return p, err
	}
	if strings.TrimSpace(p.Title) == "" {
		return p, fieldError(path, "title", "is required")
	}
	if p.Price < 0 {
		return p, fieldError(path, "price", "must not be negative")
	}
	if p.SKU == "" {
		p.SKU = "inline"
	}
	return p, nil
}

// DefaultBrief is the brief of a single-shot generation without --brief:
// introduce the product, no offer (so the copy may state no discount).
func DefaultBrief(lang string) Brief {
	b := Brief{Name: "single", Goal: "Introduce the product to this reader and make them want it", Language: lang}
	if lang == Zh {
		b.Goal = "向这位读者介绍这款商品，激发购买兴趣"
	}
	return b
}

// SingleRequest is one message for one reader and one product.
type SingleRequest struct {
	Channel  string
	Lang     string
	Product  catalog.Product
	Persona  llm.PersonaFacts
	Brief    Brief
	Voice    Voice
	Variants int
	// CustomerID, when set, labels the items (and the run they are saved in).
	CustomerID string
	// Others are catalog products the copy must not name.
	Others []catalog.Product
}

// Single generates one message with its variants (no store needed). Its
// items belong to run "single-<hash>" so they can be saved for review.
func (d Deps) Single(ctx context.Context, r SingleRequest) (Outcome, error) {
	spec, err := SpecFor(r.Channel)
	if err != nil {
		return Outcome{}, err
	}
	if r.Lang == "" {
		r.Lang = r.Brief.Language
	}
	if r.Lang == "" {
		r.Lang = d.Shop.Language
	}
	if r.Lang != Zh && r.Lang != En {
		r.Lang = shop.DefaultLanguage
	}
	if r.Voice.Brand == "" {
		r.Voice = DefaultVoice(d.signer(r.Brief, &r.Product))
	}
	p := r.Product
	persona := r.Persona
	t := Target{Spec: spec, Lang: r.Lang, Product: &p, Voice: r.Voice, Brief: r.Brief,
		Sender: r.Brief.SenderFor(r.Lang, r.Voice.Brand), OptOut: r.Brief.OptOutFor(r.Lang),
		Grounding: Grounding{Products: []catalog.Product{p}, Brief: r.Brief, Others: r.Others, Mentions: mentions(persona.RecentPurchases)}}
	if len(r.Others) > 0 {
		t.PriceBand = priceBands(r.Others)[p.SKU]
	}
	js, _ := json.Marshal(r)
	runID := "single-" + fmt.Sprintf("%x", hash8(js))
	g := &Generator{Model: d.Model, Checker: d.Checker, Prompts: d.Prompts, MaxRepairs: d.MaxRepairs, Now: d.Now, Labeler: d.Labeler, CallContext: d.CallContext}
	return g.Generate(ctx, Job{RunID: runID, Key: r.Channel + "|" + p.SKU + "|" + r.CustomerID, Target: t, Persona: &persona,
		Variants: max(r.Variants, 1), Customer: r.CustomerID, Campaign: r.Brief.Name})
}

// ForCustomer is one message for a stored customer (see Deps.WriteFor).
type ForCustomer struct {
	CustomerID string
	Channel    string
	// SKU is the product; "" takes her first recommendation.
	SKU string
	// Lang is zh or en; "" takes her profile's language, else zh.
	Lang string
	// Brief is the campaign brief; nil introduces the product (DefaultBrief).
	Brief *Brief
	// Voice names a stored brand voice ("" : the product's brand).
	Voice    string
	Variants int
}

// Written is what WriteFor wrote: the request it resolved (language,
// product, persona) and the outcome, whose items are saved for review.
type Written struct {
	Request SingleRequest
	Outcome Outcome
}

// WriteFor writes one message for a stored customer and saves its items
// for review: her PII-free profile becomes the persona, her language the
// copy's (unless r says one), her first recommendation the product when r
// names none, and every other catalog product one the copy must not name.
// An unknown customer, product or voice is NotFound; a customer without a
// recommendation and no SKU is Invalid.
func (d Deps) WriteFor(ctx context.Context, r ForCustomer) (Written, error) {
	if _, err := SpecFor(r.Channel); err != nil {
		return Written{}, err
	}
	prof, err := d.Profiles.Profile(ctx, r.CustomerID)
	if err != nil {
		return Written{}, err
	}
	req := SingleRequest{Channel: r.Channel, Lang: r.Lang, Variants: r.Variants, CustomerID: r.CustomerID, Persona: PersonaOf(prof)}
	if req.Lang == "" {
		c, err := d.Customers.GetCustomer(ctx, r.CustomerID)
		if err != nil {
			return Written{}, err
		}
		sh := d.Shop
		if r.Brief != nil && r.Brief.Language != "" {
			sh.Language = r.Brief.Language // the brief speaks for the shop
		}
		req.Lang = shop.CustomerLanguage(c, sh).Value
	}
	sku := r.SKU
	if sku == "" {
		recs, err := d.Recommend.Recommend(ctx, r.CustomerID, 1)
		if err != nil {
			return Written{}, apperr.Wrap(err, apperr.Invalid, "no product to write about for customer %s (pass --product SKU)", r.CustomerID)
		}
		if len(recs) == 0 {
			return Written{}, apperr.New(apperr.Invalid, "no recommendation for customer %s: pass --product SKU", r.CustomerID)
		}
		sku = recs[0].SKU
	}
	if req.Product, err = d.Catalog.GetProduct(ctx, sku); err != nil {
		return Written{}, err
	}
	if req.Others, err = d.Catalog.ListProducts(ctx); err != nil {
		return Written{}, err
	}
	if req.Lang == "" {
		req.Lang = cmp.Or(d.Shop.Language, shop.DefaultLanguage)
	}
	if r.Brief != nil {
		req.Brief = *r.Brief
	} else {
		req.Brief = DefaultBrief(req.Lang)
	}
	if r.Voice != "" {
		if req.Voice, err = d.Store.GetVoice(ctx, r.Voice); err != nil {
			return Written{}, err
		}
	}
	out, err := d.Single(ctx, req)
	if err != nil {
		return Written{}, err
	}
	it := out.Items[0]
	u := Unit{RunID: it.RunID, Key: it.UnitKey, Calls: out.Calls, Usage: out.Usage, At: it.CreatedAt}
	if err := d.Store.SaveUnit(ctx, u, out.Items); err != nil {
		return Written{}, err
	}
	return Written{Request: req, Outcome: out}, nil
}

// ForPersona is one message for an inline persona and a product that
// need no store (see Deps.WriteForPersona).
type ForPersona struct {
	Channel     string
	Persona     llm.PersonaFacts
	Product     catalog.Product
	Lang        string // "": the persona's (PersonaLang), then the product's, then zh
	PersonaLang string
	Brief       *Brief
	Variants    int
}

// WriteForPersona writes one message for an inline persona; nothing is
// saved.
func (d Deps) WriteForPersona(ctx context.Context, r ForPersona) (Written, error) {
	req := SingleRequest{Channel: r.Channel, Lang: r.Lang, Variants: r.Variants, Persona: r.Persona, Product: r.Product}
	for _, l := range []string{r.PersonaLang, r.Product.Language, cmp.Or(d.Shop.Language, shop.DefaultLanguage)} {
		if req.Lang == "" {
			req.Lang = l
		}
	}
	if r.Brief != nil {
		req.Brief = *r.Brief
	} else {
		req.Brief = DefaultBrief(req.Lang)
	}
	out, err := d.Single(ctx, req)
	if err != nil {
		return Written{}, err
	}
	return Written{Request: req, Outcome: out}, nil
}
