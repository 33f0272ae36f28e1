package content_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/chorusmkt/chorus/internal/apperr"
	"github.com/chorusmkt/chorus/internal/catalog"
	"github.com/chorusmkt/chorus/internal/content"
	"github.com/chorusmkt/chorus/internal/content/lexicon"
	"github.com/chorusmkt/chorus/internal/insight"
	"github.com/chorusmkt/chorus/internal/llm"
	"github.com/chorusmkt/chorus/internal/recommend"
)

// linen is the catalog product most tests write about.
var linen = catalog.Product{SKU: "LIN-01", Title: "亚麻衬衫", Brand: "Lumen", Price: 299, Currency: "CNY",
	Category: "服装 > 衬衫", Language: "zh", Description: "100%亚麻，透气", SellingPoints: []string{"水洗不易皱", "三色可选"}, Active: true, URL: "https://lumen.example/p/LIN-01"}

func double11() content.Brief {
	b := content.Brief{Name: "double11", Goal: "双11唤醒老客复购", Language: content.Zh, Sender: "【Lumen】",
		Offer: content.Offer{Text: "全场8折", Discount: "8折", Deadline: "2026-11-11"}}
	if err := b.Check(); err != nil {
		panic(err)
	}
	return b
}

// fakeInputs is an in-memory audience with profiles and recommendations,
// standing in for the segment, insight and recommend areas.
type fakeInputs struct {
	products []catalog.Product
	members  map[string][]string
	profiles map[string]insight.Profile
	recs     map[string]string
}

func (f *fakeInputs) GetProduct(_ context.Context, sku string) (catalog.Product, error) {
	for _, p := range f.products {
		if p.SKU == sku {
			return p, nil
		}
	}
	return catalog.Product{}, apperr.New(apperr.NotFound, "no product %s", sku)
}
func (f *fakeInputs) ListProducts(context.Context) ([]catalog.Product, error) { return f.products, nil }
func (f *fakeInputs) Members(_ context.Context, seg string) ([]string, error) {
	m, ok := f.members[seg]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "no segment %s", seg)
	}
	return m, nil
}
func (f *fakeInputs) Profile(_ context.Context, id string) (insight.Profile, error) {
	return f.profiles[id], nil
}
func (f *fakeInputs) Recommend(_ context.Context, id string, n int) ([]recommend.Item, error) {
	return []recommend.Item{{SKU: f.recs[id], Score: 1}}, nil
}

// audience builds n customers in segment seg, spread over interests,
// products and both languages.
func audience(n int, seg string, products []catalog.Product) *fakeInputs {
	f := &fakeInputs{products: products, members: map[string][]string{}, profiles: map[string]insight.Profile{}, recs: map[string]string{}}
	interests := []string{"fashion", "travel", "photography", "fitness", "home"}
	for i := range n {
		id := fmt.Sprintf("C%05d", i)
		f.members[seg] = append(f.members[seg], id)
		lang := content.Zh
		if i%4 == 3 {
			lang = content.En
		}
		f.profiles[id] = insight.Profile{Language: lang, AgeBand: []string{"20-24", "25-29", "30-34"}[i%3], Gender: []string{"female", "male"}[i%2],
			Interests: []string{interests[(i/7)%len(interests)]}, Segment: seg}
		// products in the customer's language when the catalog says
		var pool []catalog.Product
		for _, p := range products {
			if p.Language == "" || p.Language == lang {
				pool = append(pool, p)
			}
		}
		if len(pool) == 0 {
			pool = products
		}
		f.recs[id] = pool[(i*7+i/13)%len(pool)].SKU
	}
	return f
}

// catalogOf returns n products with short bilingual-safe titles.
func catalogOf(n int) []catalog.Product {
	var ps []catalog.Product
	for i := range n {
		ps = append(ps, catalog.Product{SKU: fmt.Sprintf("P%03d", i), Title: fmt.Sprintf("Lumen Tee %03d", i), Brand: "Lumen",
			Price: float64(99 + i), Currency: "CNY", Category: "Apparel > Tees", Active: true})
	}
	return ps
}

// hintWriter is a test model that writes valid copy from the request's
// hints (the role the offline writer plays in production) and counts
// its calls.
type hintWriter struct {
	mu    sync.Mutex
	calls int
	after func(n int) // called after the n-th call returns
}

func (w *hintWriter) Name() string { return "test/hint-writer" }

func (w *hintWriter) Generate(ctx context.Context, req llm.Request) (llm.Result, error) {
	if err := ctx.Err(); err != nil {
		return llm.Result{}, err
	}
	h := req.Hints
	zh := h.Language == content.Zh
	title := h.Product.Title
	offer, dl := h.Brief.Offer, lexicon.DateWords(h.Brief.Deadline, h.Language, false)
	name := ""
	if len(h.Slots) > 0 {
		name = h.Slots[0]
	}
	pick := func(zhs, ens string) string {
		if zh {
			return zhs
		}
		return ens
	}
	m := map[string]any{}
	for _, f := range h.Fields {
		switch f {
		case "headline":
			m[f] = pick(title+"限时优惠", title+" on sale")
		case "description":
			m[f] = pick(title+"，"+offer+"，"+dl+"截止，先到先得。", title+": "+offer+" until "+dl+". While stocks last.")
		case "cta":
			m[f] = pick("立即选购", "Shop now")
		case "title":
			m[f] = pick(title+"上新", title+" is back")
		case "body":
			if h.Channel == content.Xiaohongshu {
				m[f] = pick("这款"+title+"我穿了一个夏天，透气又好搭，通勤周末都合适。这次"+offer+"，"+dl+"截止，喜欢的姐妹别错过～",
					"I wore this "+title+" all summer: breathable and easy to pair, from office days to weekends. Now "+offer+" until "+dl+", do not miss it.")
			} else {
				m[f] = pick(name+"，"+title+offer+"，快来看看", name+", "+title+" is "+offer+" now")
			}
		case "hashtags":
			m[f] = pick3(zh)
		case "subject":
			m[f] = pick(name+"，你的"+title+"正在"+offer, name+", your "+title+" is "+offer)
		case "preheader":
			m[f] = pick(dl+"截止，先到先得", "Ends "+dl+", while stocks last")
		case "body_text":
			m[f] = pick(name+"你好：\n你关注的"+title+"现在"+offer+"，"+dl+"截止。\n数量有限，喜欢就别犹豫。",
				"Hi "+name+",\nThe "+title+" you liked is "+offer+" until "+dl+".\nStocks are limited.")
		case "text":
			if h.Channel == content.SMS {
				optOut := h.Brief.OptOut
				m[f] = pick(h.Brief.Sender+name+"，"+title+offer+"，"+dl+"截止。"+optOut,
					h.Brief.Sender+" "+name+", "+title+" is "+offer+" until "+dl+". "+optOut)
			} else {
				m[f] = pick(title+offer+"，"+dl+"截止，和朋友一起来挑吧。", title+" is "+offer+" until "+dl+". Come and pick yours.")
			}
		case "caption":
			m[f] = pick(title+offer+"，"+dl+"截止。", title+" is "+offer+" until "+dl+".")
		}
	}
	js, _ := json.Marshal(m)
	n := max(req.N, 1)
	res := llm.Result{Model: "hint-writer", Provider: "test", Usage: llm.Usage{PromptTokens: 200, CompletionTokens: 80 * n, TotalTokens: 200 + 80*n}}
	for i := range n {
		txt := string(js)
		if i > 0 {
			// a variant that differs in its closing words
			var c map[string]any
			_ = json.Unmarshal(js, &c)
			for k, v := range c {
				if s, ok := v.(string); ok && (k == "cta") {
					c[k] = s + strings.Repeat("!", i)
				}
			}
			b, _ := json.Marshal(c)
			txt = string(b)
		}
		res.Choices = append(res.Choices, llm.Choice{Text: txt, JSON: json.RawMessage(txt)})
	}
	w.mu.Lock()
	w.calls++
	n2 := w.calls
	w.mu.Unlock()
	if w.after != nil {
		w.after(n2)
	}
	return res, nil
}

func pick3(zh bool) []string {
	if zh {
		return []string{"穿搭", "双11", "亚麻"}
	}
	return []string{"style", "sale", "linen"}
}
