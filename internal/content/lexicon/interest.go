package lexicon

import (
	"slices"
	"strings"
)

// Interest is one consumer interest in both languages. Parent, when set,
// is the broader interest it belongs to (hiking → outdoor): a product
// serving hiking serves outdoor too, not the other way round.
type Interest struct {
	Key    string
	Parent string
	// ZH and EN are the words customers' profiles and copy use for it,
	// the first the label; Categories are catalog category names (any
	// level, any language) whose products serve it.
	ZH, EN     []string
	Categories []string
	// Ambiguous English words ("home", "beauty", "food") name the
	// interest only in an interest frame ("love home", "food lovers");
	// elsewhere they are ordinary words.
	Ambiguous bool
}

// interests is the interest vocabulary. The demo shop's customers carry
// the first ten (时尚 … 美食 / fashion … food), spelled like its top
// categories; real shops' customers carry whatever their import says,
// which is matched against every spelling below.
var interests = []Interest{
	{Key: "fashion", ZH: []string{"时尚", "穿搭", "潮流"}, EN: []string{"fashion"}, Categories: []string{"时尚", "服装", "服饰", "鞋履", "配饰", "包袋", "Fashion", "Apparel", "Clothing", "Shoes", "Accessories", "Bags", "Jewellery", "Jewelry"}},
	{Key: "travel", ZH: []string{"旅行", "旅游"}, EN: []string{"travel", "travelling", "traveling"}, Categories: []string{"旅行", "箱包", "Travel", "Luggage"}},
	{Key: "photography", ZH: []string{"摄影", "摄影师"}, EN: []string{"photography"}, Categories: []string{"摄影", "相机包", "Photography", "Camera Bags"}},
	{Key: "outdoor", ZH: []string{"户外"}, EN: []string{"outdoor", "outdoors", "the outdoors"}, Categories: []string{"户外", "Outdoor"}},
	{Key: "hiking", Parent: "outdoor", ZH: []string{"徒步", "登山"}, EN: []string{"hiking", "trekking"}, Categories: []string{"徒步", "Hiking"}},
	{Key: "camping", Parent: "outdoor", ZH: []string{"露营"}, EN: []string{"camping"}, Categories: []string{"露营", "Camping"}},
	{Key: "cycling", Parent: "outdoor", ZH: []string{"骑行"}, EN: []string{"cycling", "biking"}, Categories: []string{"骑行", "Cycling"}},
	{Key: "beauty", ZH: []string{"美妆"}, EN: []string{"beauty"}, Categories: []string{"美妆", "Beauty"}, Ambiguous: true},
	{Key: "skincare", Parent: "beauty", ZH: []string{"护肤"}, EN: []string{"skincare", "skin care"}, Categories: []string{"护肤", "防晒", "Skincare", "Sun Care"}},
	{Key: "makeup", Parent: "beauty", ZH: []string{"彩妆", "化妆"}, EN: []string{"make-up", "makeup"}, Categories: []string{"彩妆", "Make-up"}},
	{Key: "fitness", ZH: []string{"健身", "运动", "撸铁"}, EN: []string{"fitness", "working out", "the gym", "workouts"}, Categories: []string{"健身", "训练", "营养", "Fitness", "Training", "Nutrition", "Gear"}},
	{Key: "yoga", Parent: "fitness", ZH: []string{"瑜伽"}, EN: []string{"yoga"}, Categories: []string{"瑜伽", "Yoga"}},
	{Key: "running", Parent: "fitness", ZH: []string{"跑步", "夜跑"}, EN: []string{"running"}, Ambiguous: true},
	{Key: "home", ZH: []string{"家居", "居家"}, EN: []string{"home", "homeware", "interiors", "home decor", "home décor"}, Categories: []string{"家居", "布艺", "灯具", "餐厨", "香薰", "Home", "Textiles", "Lighting", "Kitchen", "Fragrance", "Home Decor"}, Ambiguous: true},
	{Key: "tech", ZH: []string{"数码", "科技", "电子"}, EN: []string{"tech", "gadgets", "technology"}, Categories: []string{"数码", "配件", "音频", "办公", "Tech", "Audio", "Desk", "Adapters", "Storage"}},
	{Key: "music", ZH: []string{"音乐"}, EN: []string{"music"}},
	{Key: "parenting", ZH: []string{"母婴", "育儿", "带娃"}, EN: []string{"parenting", "new parents"}, Categories: []string{"母婴", "出行", "洗护", "玩具", "Baby & Kids", "On the Go", "Care", "Toys"}},
	{Key: "kids", Parent: "parenting", ZH: []string{"孩子", "小朋友"}, EN: []string{"kids", "children"}, Ambiguous: true},
	{Key: "food", ZH: []string{"美食", "吃货", "零食"}, EN: []string{"food", "foodies", "snacks"}, Categories: []string{"美食", "零食", "Food & Drink", "Snacks"}, Ambiguous: true},
	{Key: "coffee", Parent: "food", ZH: []string{"咖啡"}, EN: []string{"coffee"}, Categories: []string{"咖啡", "Coffee"}, Ambiguous: true},
	{Key: "tea", Parent: "food", ZH: []string{"喝茶", "茶饮"}, EN: []string{"tea drinking"}, Categories: []string{"茶饮", "Tea"}},
	{Key: "baking", Parent: "food", ZH: []string{"烘焙"}, EN: []string{"baking"}, Categories: []string{"烘焙", "Baking"}},
	{Key: "cooking", Parent: "food", ZH: []string{"下厨", "做饭"}, EN: []string{"cooking"}},
	{Key: "crafts", ZH: []string{"手工", "手作"}, EN: []string{"crafts", "crafting", "diy"}, Categories: []string{"手工", "Crafts"}},
	{Key: "stationery", ZH: []string{"文具", "手帐"}, EN: []string{"stationery", "journaling"}, Categories: []string{"文具", "Stationery"}},
	{Key: "reading", ZH: []string{"阅读", "读书"}, EN: []string{"reading"}},
	{Key: "gardening", ZH: []string{"园艺", "养花"}, EN: []string{"gardening", "the garden"}, Categories: []string{"园艺", "Garden"}},
	{Key: "party", ZH: []string{"派对", "聚会"}, EN: []string{"parties", "party"}, Categories: []string{"派对", "Party"}, Ambiguous: true},
	{Key: "pets", ZH: []string{"宠物", "养猫", "养狗"}, EN: []string{"pets"}, Categories: []string{"宠物", "Pets"}},
}

var interestByKey = func() map[string]*Interest {
	m := make(map[string]*Interest, len(interests))
	for i := range interests {
		m[interests[i].Key] = &interests[i]
	}
	return m
}()

// Interests returns the interest vocabulary (a copy).
func Interests() []Interest { return slices.Clone(interests) }

// InterestOf resolves a word a profile or a category uses ("健身",
// "Fitness", "food & drink", "hiking") to its interest key; "" when it is
// not an interest Chorus knows.
func InterestOf(word string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" {
		return ""
	}
	for _, in := range interests {
		if w == in.Key {
			return in.Key
		}
		for _, s := range in.ZH {
			if w == s {
				return in.Key
			}
		}
		for _, s := range in.EN {
			if w == s {
				return in.Key
			}
		}
		for _, c := range in.Categories {
			if w == strings.ToLower(c) {
				return in.Key
			}
		}
	}
	return ""
}

// InterestLabel is the word copy uses for an interest key in lang.
func InterestLabel(key, lang string) string {
	in, ok := interestByKey[key]
	if !ok {
		return key
	}
	if lang == "zh" {
		return in.ZH[0]
	}
	return in.EN[0]
}

// enNouns and enAttrs are how English copy names an interest as a noun
// ("love the outdoors") and before another noun ("outdoor lovers");
// missing keys use the label.
var (
	enNouns = map[string]string{"outdoor": "the outdoors", "home": "home comforts", "parenting": "family life", "food": "good food",
		"makeup": "make-up", "crafts": "crafts", "party": "parties", "tea": "tea"}
	enAttrs = map[string]string{"outdoor": "outdoor", "parenting": "family", "crafts": "craft", "party": "party", "pets": "pet",
		"reading": "book", "gardening": "garden", "makeup": "make-up", "kids": "kids'", "tea": "tea"}
)

// InterestNoun is the interest as a noun in copy ("the outdoors", 户外).
func InterestNoun(key, lang string) string {
	if lang != "zh" {
		if n, ok := enNouns[key]; ok {
			return n
		}
	}
	return InterestLabel(key, lang)
}

// InterestAttr is the interest before a noun ("outdoor lovers").
func InterestAttr(key, lang string) string {
	if lang != "zh" {
		if n, ok := enAttrs[key]; ok {
			return n
		}
	}
	return InterestLabel(key, lang)
}

// withParents adds every interest's broader interests.
func withParents(keys []string) []string {
	out := slices.Clone(keys)
	for i := 0; i < len(out); i++ {
		if in, ok := interestByKey[out[i]]; ok && in.Parent != "" && !slices.Contains(out, in.Parent) {
			out = append(out, in.Parent)
		}
	}
	return out
}
