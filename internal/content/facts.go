package content

import (
	"sort"
	"strings"

	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
)

// copyProduct is the product as copy is written from it, by any model:
// its title as a reader sees it (an ALL-CAPS catalog title in title
// case) and, when the catalog gives no selling points, the ones its title
// and kind support (lexicon.DerivePoints). Validation still runs against
// the catalog record, whose names match case-insensitively. A product
// with neither description nor selling points also gets, second, the
// product it is most often bought with (boughtWith: catalog titles, most
// first), "Often bought with the …" / 常与…一起购买.
func copyProduct(p catalog.Product, lang string, boughtWith []string) catalog.Product {
	out := p
	out.Title = lexicon.DisplayTitle(p.Title)
	if len(p.SellingPoints) == 0 {
		info := lexicon.Describe(p.Title, p.Category, p.Tags)
		out.SellingPoints = lexicon.DerivePoints(p.Title, info, lang)
		if strings.TrimSpace(p.Description) == "" && len(boughtWith) > 0 {
			pt := lexicon.BoughtWithPoint(lexicon.DisplayTitle(boughtWith[0]), lang)
			at := min(1, len(out.SellingPoints))
			out.SellingPoints = append(out.SellingPoints[:at:at], append([]string{pt}, out.SellingPoints[at:]...)...)
		}
	}
	return out
}

// boughtWith keeps, for each SKU, the co-purchased titles copy may name
// for any product (lexicon.NeutralMention) other than the product itself.
func boughtWith(m map[string][]string, bySKU map[string]catalog.Product) map[string][]string {
	out := map[string][]string{}
	for sku, ts := range m {
		own := strings.ToLower(strings.TrimSpace(bySKU[sku].Title))
		for _, t := range ts {
			if lexicon.NeutralMention(t) && strings.ToLower(strings.TrimSpace(t)) != own {
				out[sku] = append(out[sku], t)
			}
		}
	}
	return out
}

// Price bands of a catalog, by where a price sits among the prices of
// the same currency.
const (
	PriceBudget  = "budget"
	PriceMid     = "mid"
	PricePremium = "premium"
	PriceLuxury  = "luxury"
)

// priceBands places every priced product of a catalog in a band: the
// cheapest quarter is budget, then mid up to the third quartile, premium
// up to the 95th percentile, luxury above.
func priceBands(ps []catalog.Product) map[string]string {
	byCur := map[string][]float64{}
	for _, p := range ps {
		if p.Price > 0 {
			c := strings.ToUpper(p.Currency)
			byCur[c] = append(byCur[c], p.Price)
		}
	}
	for _, v := range byCur {
		sort.Float64s(v)
	}
	q := func(v []float64, f float64) float64 { return v[min(len(v)-1, int(f*float64(len(v))))] }
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		v := byCur[strings.ToUpper(p.Currency)]
		if p.Price <= 0 || len(v) < 8 {
			continue // too few prices to say where one sits
		}
		switch {
		case p.Price <= q(v, 0.25):
			out[p.SKU] = PriceBudget
		case p.Price <= q(v, 0.75):
			out[p.SKU] = PriceMid
		case p.Price <= q(v, 0.95):
			out[p.SKU] = PricePremium
		default:
			out[p.SKU] = PriceLuxury
		}
	}
	return out
}

// SenderBrand is the brand an SMS signature names: "Gift Co" for
// "[Gift Co]" or 【Gift Co】.
func SenderBrand(sender string) string {
	return strings.TrimSpace(strings.Trim(strings.TrimSpace(sender), "[]【】()（）<>《》"))
}

// servedInterest is the first of a recipient's interests that her
// product serves, "" when it serves none: copy hooks on an interest only
// when interest and product agree, and customers whose product serves
// none of theirs share one cohort instead of splitting by interest.
func servedInterest(r Recipient, info func(catalog.Product) lexicon.ProductInfo) string {
	ins := r.Interests
	if len(ins) == 0 && r.Interest != "" {
		ins = []string{r.Interest}
	}
	pi := info(r.Product)
	for _, in := range ins {
		if pi.Serves(in) {
			return in
		}
	}
	return ""
}

// describer memoises lexicon.Describe per SKU.
func describer() func(catalog.Product) lexicon.ProductInfo {
	m := map[string]lexicon.ProductInfo{}
	return func(p catalog.Product) lexicon.ProductInfo {
		if d, ok := m[p.SKU]; ok {
			return d
		}
		d := lexicon.Describe(p.Title, p.Category, p.Tags)
		d.ServeNamed(append([]string{p.Description}, p.SellingPoints...)...)
		m[p.SKU] = d
		return d
	}
}

// shared are the titles every one of lists holds, in the first list's
// order, at most n.
func shared(lists [][]string, n int) []string {
	if len(lists) == 0 {
		return nil
	}
	var out []string
	for _, t := range lists[0] {
		all := true
		for _, l := range lists[1:] {
			found := false
			for _, x := range l {
				if x == t {
					found = true
					break
				}
			}
			if !found {
				all = false
				break
			}
		}
		if all {
			out = append(out, t)
			if len(out) == n {
				break
			}
		}
	}
	return out
}
