package support_test

import (
	"strings"
	"testing"

	"github.com/chorusmkt/chorus/internal/store"
	"github.com/chorusmkt/chorus/internal/support"
)

// needCase is a recommendation asked by need: the first product
// recommended is of the category wanted (a part of its category path, so
// no SKU is named), every product cited is within the budget, and no
// person is asked for.
type needCase struct {
	q        string
	category string  // part of the first cited product's category
	budget   float64 // 0: none stated
	cheapest bool    // the first cited product is the cheapest cited
	notTitle string  // no cited product's title has this (the one she bought)
}

func checkNeeds(t *testing.T, cases []needCase) {
	t.Helper()
	st := demoShop(t)
	a := assistant(t, st, support.Options{})
	for _, c := range cases {
		r, err := a.Answer(ctx, support.Request{Text: c.q, Channel: "test"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r.Handoff {
			t.Errorf("%q: handed off (%s), want a recommendation: %q", c.q, r.HandoffReason, r.Answer)
			continue
		}
		ps := citedProducts(t, st, r)
		if len(ps) == 0 || len(ps) > 3 {
			t.Errorf("%q: %d products cited, want 1 to 3: %q", c.q, len(ps), r.Answer)
			continue
		}
		if !strings.Contains(ps[0].category, c.category) {
			t.Errorf("%q: first recommendation %s is in %q, want %q: %q", c.q, ps[0].title, ps[0].category, c.category, r.Answer)
		}
		for _, p := range ps {
			if c.budget > 0 && p.price > c.budget {
				t.Errorf("%q: %s costs %v, over the budget %v", c.q, p.title, p.price, c.budget)
			}
			if c.notTitle != "" && strings.Contains(p.title, c.notTitle) {
				t.Errorf("%q: recommends %s, which she has", c.q, p.title)
			}
			if c.cheapest && p.price < ps[0].price {
				t.Errorf("%q: %s (%v) is cheaper than the first, %s (%v)", c.q, p.title, p.price, ps[0].title, ps[0].price)
			}
		}
	}
}

type cited struct {
	title, category string
	price           float64
}

// citedProducts are the products an answer cites, in order, as the store
// holds them.
func citedProducts(t *testing.T, st store.Store, r support.Reply) []cited {
	t.Helper()
	var out []cited
	for _, c := range r.Citations {
		if c.Kind != support.CiteProduct {
			continue
		}
		p, err := st.GetProduct(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(r.Answer, c.String()) {
			t.Errorf("%s is cited but not marked in the answer %q", c, r.Answer)
		}
		out = append(out, cited{p.Title, p.Category, p.Price})
	}
	return out
}

// A gift for a person described by who they are, often with a budget.
func TestNeedGiftForAPersonWithinBudget(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "Gift ideas for my uncle, he walks mountain trails every Sunday, max $70", category: "Hiking", budget: 70},
		{q: "想给我妈买点东西，她每周都去徒步，预算300", category: "徒步", budget: 300},
		{q: "送給剛生寶寶的姊姊，不超過100元", category: "母婴", budget: 100},
		{q: "my brother is obsessed with coffee, something under $20", category: "Coffee", budget: 20},
	})
}

// A problem to solve, with no product named.
func TestNeedProblemToSolve(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "carrying my DSLR all day leaves my shoulder aching", category: "Straps"},
		{q: "出差总是睡不好，飞机上更难受", category: "舒适"},
		{q: "my cables are always tangled in my backpack", category: "Organisers"},
		{q: "开车的时候太阳反光太晃眼", category: "配饰"},
	})
}

// An activity or a place.
func TestNeedActivityOrPlace(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "heading to the beach in July, my skin always burns", category: "Sun Care"},
		{q: "去营地过夜，晚上太黑了", category: "露营"},
		{q: "I do pilates at home most mornings", category: "Yoga"},
		{q: "要去欧洲玩两周，手机电脑都要充电", category: "旅行"},
	})
}

// A constraint said with the need: cheap, waterproof, light, a budget.
func TestNeedWithConstraint(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "need a cheap tripod for my phone", category: "Tripods", cheapest: true},
		{q: "想要个防水的包，下雨天背相机用", category: "相机包"},
		{q: "a light tent for solo backpacking", category: "Camping"},
		{q: "有没有不要太贵的相机包，400以内", category: "相机包", budget: 400},
	})
}

// Chinese and English in one message: the need and the kind in either.
func TestNeedInMixedLanguage(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "想要一个lightweight的tripod，去爬山用", category: "三脚架"},
		{q: "给我爸买个hiking用的礼物，预算300", category: "徒步", budget: 300},
		{q: "周末去camping，晚上太黑", category: "露营"},
		{q: "my mom 怕冷，有什么推荐", category: "布艺"},
	})
}

// Two products compared for a need, and what goes with one she bought.
func TestNeedCompareAndGoesWith(t *testing.T) {
	checkNeeds(t, []needCase{
		{q: "for a rainy hike, the shell jacket or the camera backpack?", category: "Apparel"},
		{q: "买了登山杖，还需要配点什么", category: "徒步", notTitle: "登山杖"},
		{q: "What goes well with the camp chair I bought?", category: "Camping", notTitle: "Chair"},
	})
}

// A budget is read in the ways it is said; a figure that is no bound is
// none.
func TestBudgetIsRead(t *testing.T) {
	for q, want := range map[string]float64{
		"something under $100":        100,
		"nothing over $80 please":     80,
		"$50 or less":                 50,
		"300块以内":                      300,
		"预算350":                       350,
		"不超过200元":                     200,
		"a 20000 mah power bank":      0,
		"the 25l backpack for a trip": 0,
		"500元内":                       500,
		// a bound of a time or a size is no budget
		"a camera bag that arrives within 3 days": 0,
		"推荐一款3天内能到的相机包":                           0,
		"20寸以下的登机箱":                               0,
		"a tripod that holds up to 8 kg":          0,
	} {
		if got := support.BudgetOf(q); got != want {
			t.Errorf("%q: budget %v, want %v", q, got, want)
		}
	}
}
