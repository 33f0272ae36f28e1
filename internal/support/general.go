package support

import (
	"slices"
	"strings"
	"unicode"
)

// generalClass is a kind of thing the shop's policies speak of in general
// terms: the shipping rules say "overseas" and list a few countries, the
// payment rules list the methods accepted. A question naming another
// member of the class ("Germany", 花呗) is still a question those rules
// answer, in their general terms, rather than one about a topic the shop
// never mentions. hint is what the question is widened with, per
// language, to find those rules.
type generalClass struct {
	hint  map[string]string
	words []string
}

var generalClasses = []generalClass{
	{ // countries and regions: the shipping area
		hint: map[string]string{Zh: "海外 国外 港澳台 配送", En: "international ship abroad shipping"},
		words: []string{
			"germany", "france", "italy", "spain", "portugal", "netherlands", "holland", "belgium", "switzerland", "austria", "sweden", "norway",
			"denmark", "finland", "ireland", "poland", "greece", "czech", "hungary", "romania", "russia", "ukraine", "turkey", "israel",
			"canada", "mexico", "brazil", "argentina", "chile", "colombia", "peru", "japan", "korea", "china", "taiwan", "hong kong", "macau",
			"singapore", "malaysia", "thailand", "vietnam", "indonesia", "philippines", "india", "pakistan", "new zealand", "south africa",
			"egypt", "nigeria", "kenya", "dubai", "uae", "saudi", "qatar", "europe", "asia", "africa", "latin america", "middle east", "eu",
			"德国", "法国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士", "奥地利", "瑞典", "挪威", "丹麦", "芬兰", "爱尔兰", "波兰", "希腊",
			"俄罗斯", "乌克兰", "土耳其", "以色列", "美国", "英国", "加拿大", "墨西哥", "巴西", "阿根廷", "日本", "韩国", "朝鲜", "新加坡",
			"马来西亚", "泰国", "越南", "印尼", "印度尼西亚", "菲律宾", "印度", "澳大利亚", "澳洲", "新西兰", "南非", "埃及", "迪拜", "阿联酋",
			"欧洲", "亚洲", "非洲", "美洲", "北美", "南美", "中东", "东南亚", "台湾", "澳门", "香港",
		},
	},
	{ // provinces, states and cities at home: where in the country it goes
		hint: map[string]string{Zh: "配送 送达 其他地区", En: "delivery shipping"},
		words: []string{
			"北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安", "长沙", "郑州", "青岛", "厦门", "沈阳", "大连",
			"哈尔滨", "昆明", "合肥", "济南", "福州", "宁波", "无锡", "东莞", "佛山", "石家庄", "太原", "南昌", "贵阳", "南宁", "海口", "三亚", "兰州",
			"银川", "呼和浩特", "乌鲁木齐", "拉萨", "西宁", "长春", "温州", "珠海", "常州", "徐州", "烟台", "泉州",
			"河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南",
			"四川", "贵州", "云南", "陕西", "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆", "东北", "华北", "华南", "华东", "西北", "西南",
			"california", "texas", "florida", "new york", "illinois", "ohio", "georgia", "michigan", "washington", "arizona", "colorado", "oregon",
			"nevada", "alaska", "hawaii", "massachusetts", "virginia", "pennsylvania", "new jersey", "minnesota", "utah", "tennessee", "chicago",
			"los angeles", "san francisco", "seattle", "boston", "miami", "houston", "dallas", "denver", "atlanta", "london", "manchester",
			"birmingham", "glasgow", "edinburgh", "cardiff", "belfast", "scotland", "wales", "england", "northern ireland", "sydney",
			"melbourne", "brisbane", "perth", "adelaide",
			"嘉兴", "绍兴", "湖州", "金华", "台州", "南通", "扬州", "镇江", "泰州", "盐城", "淮安", "连云港", "宿迁", "舟山", "丽水", "衢州", "昆山", "义乌",
			"张家港", "常熟", "江阴", "慈溪", "余姚", "喀什", "伊犁", "克拉玛依", "吐鲁番", "哈密", "阿克苏", "库尔勒", "日喀则", "林芝", "昌都", "格尔木", "玉树",
			"惠州", "中山", "江门", "汕头", "湛江", "洛阳", "开封", "保定", "唐山", "廊坊", "秦皇岛", "邯郸", "大同", "鞍山", "吉林市", "绵阳", "宜宾", "遵义",
			"桂林", "柳州", "北海", "大理", "丽江", "襄阳", "宜昌", "株洲", "衡阳", "岳阳", "赣州", "九江", "芜湖", "蚌埠", "淄博", "潍坊", "威海", "临沂", "济宁",
			"包头", "鄂尔多斯", "延安", "宝鸡", "天水", "咸阳",
			"philadelphia", "phoenix", "san diego", "austin", "portland", "detroit", "nashville", "las vegas", "brooklyn", "manhattan", "new orleans",
			"baltimore", "pittsburgh", "liverpool", "leeds", "bristol", "sheffield", "newcastle", "nottingham", "leicester", "brighton", "oxford",
			"cambridge", "york", "aberdeen", "canberra", "hobart", "darwin",
			"toronto", "vancouver", "montreal", "calgary", "ottawa", "edmonton", "winnipeg", "halifax", "quebec", "ontario",
			"british columbia", "alberta", "多伦多", "温哥华", "蒙特利尔", "卡尔加里", "渥太华",
		},
	},
	{ // means of payment
		hint: map[string]string{Zh: "支付方式 付款 支付 支持", En: "payment accept pay with"},
		words: []string{
			"visa", "mastercard", "maestro", "amex", "american express", "diners", "jcb", "unionpay", "union pay", "paypal",
			"apple pay", "google pay", "samsung pay", "amazon pay", "shop pay", "klarna", "afterpay", "affirm", "clearpay", "zip pay", "sezzle",
			"venmo", "zelle", "cash app", "alipay", "wechat pay", "bitcoin", "crypto", "cryptocurrency", "ethereum", "bank transfer",
			"wire transfer", "debit card", "prepaid card", "cheque",
			"花呗", "借呗", "白条", "京东白条", "云闪付", "银联", "数字人民币", "数币", "网银", "转账", "对公转账", "汇款", "储蓄卡", "借记卡",
			"信用卡", "微信支付", "支付宝", "分付", "月付", "先用后付", "比特币", "加密货币",
		},
	},
	{ // the parts of the shop's pages she clicks: a rule gives the path
		// ("Start a return from Your orders", 我的订单 → 申请售后), not
		// the button or the menu on it
		hint:  map[string]string{Zh: "申请路径 我的订单", En: "from your orders"},
		words: []string{"button", "buttons", "link", "tab", "menu", "icon", "screen", "按钮", "入口", "页面", "链接", "选项", "菜单", "界面", "图标"},
	},
}

// generalized is text (normalised) with every member of a class that
// known says the knowledge base does not name replaced by the class's
// general words in lang, for a policy search: "ship to germany" asks what
// "ship to international abroad" does, while "paypal", which the rules
// name, stays. A place at home is replaced by the areas it lies in that
// named says the knowledge base names (see regionHint). ok is false when
// nothing was replaced.
func generalized(text, lang string, known, named func(string) bool) (string, bool) {
	n := normalize(text)
	ok := false
	for ci, c := range generalClasses {
		for _, w := range c.words {
			// a place of a delivery region is read as its region even
			// when its characters are known (喀什: 什 of 什么)
			if !nameIn(n, w) {
				continue
			}
			h, region := regionHint(w, lang, c.hint[lang], named)
			if !known(w) || region {
				if ci < 2 {
					// the district of a city she names (杭州西湖区) is
					// where in it, not a word of the rules
					for _, d := range districts(n, w) {
						n = strings.ReplaceAll(n, d, w)
					}
				}
				n = replaceName(n, w, " "+h+" ")
				ok = true
			}
		}
	}
	return n, ok
}

// nameIn reports whether the normalised text n names w: a Han name
// anywhere, a Latin one as whole words ("eu" is not in "queue").
func nameIn(n, w string) bool {
	if r := []rune(w); unicode.Is(unicode.Han, r[0]) {
		return strings.Contains(n, w)
	}
	for i := 0; ; {
		j := strings.Index(n[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(n[j-1])
		after := j+len(w) == len(n) || !isWordByte(n[j+len(w)])
		if before && after {
			return true
		}
		i = j + 1
	}
}

// replaceName replaces in n every place nameIn would find w.
func replaceName(n, w, with string) string {
	if r := []rune(w); unicode.Is(unicode.Han, r[0]) {
		return strings.ReplaceAll(n, w, with)
	}
	var b strings.Builder
	for {
		j := strings.Index(n, w)
		if j < 0 {
			b.WriteString(n)
			return b.String()
		}
		whole := (j == 0 || !isWordByte(n[j-1])) && (j+len(w) == len(n) || !isWordByte(n[j+len(w)]))
		b.WriteString(n[:j])
		if whole {
			b.WriteString(with)
		} else {
			b.WriteString(w)
		}
		n = n[j+len(w):]
	}
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// coveredInGeneral drops from the unknown words of a question those that
// belong to a class the knowledge base speaks of in general terms (its
// hint words are known to the index in lang): "Germany" when the shipping
// rules say where the shop ships; 花呗 when the payment rules list the
// methods. The answer then quotes those general rules.
func (ix *Index) coveredInGeneral(unknown []string, lang string) []string {
	var out []string
	for _, u := range unknown {
		if !ix.generalWord(u, lang) {
			out = append(out, u)
		}
	}
	return out
}

func (ix *Index) generalWord(u, lang string) bool {
	for _, c := range generalClasses {
		member := false
		for _, w := range c.words {
			if w == u || strings.Contains(w, u) && (unicode.Is(unicode.Han, []rune(u)[0]) || slicesHasWord(w, u)) {
				member = true
				break
			}
		}
		if member && ix.knowsSome(c.hint[lang], lang) {
			return true
		}
	}
	return false
}

func slicesHasWord(phrase, w string) bool {
	for _, f := range strings.Fields(phrase) {
		if f == w {
			return true
		}
	}
	return false
}

// knowsSome reports whether some word of the space-separated hint is in
// the index's vocabulary of lang.
func (ix *Index) knowsSome(hint, lang string) bool {
	for _, h := range strings.Fields(hint) {
		if len(ix.UnknownWords(h, lang)) == 0 {
			return true
		}
	}
	return false
}

// placeAreas say which larger areas a place at home lies in: its
// province or state, and the groupings people use for a region (江浙沪,
// 长三角, 华东; "the UK"). This is geography, not the shop's rules: which
// of these areas a shop's shipping rules name, and what they say of it,
// is read from its knowledge base (see regionHint). A city the rules do
// not name (杭州, "Manchester") is then answered by the line of the area
// they do name (江浙沪 2-3 days, the UK's 5-10), and a place in no named
// area by the rules' general words.
var placeAreas = []struct {
	areas  []string
	places []string
}{
	{areas: []string{"上海", "江浙沪", "长三角", "华东"}, places: []string{"上海"}},
	{areas: []string{"江苏", "江浙沪", "长三角", "华东"}, places: []string{"江苏", "南京", "苏州", "无锡", "常州", "徐州", "南通", "扬州", "镇江", "泰州", "盐城", "淮安",
		"连云港", "宿迁", "昆山", "张家港", "常熟", "江阴"}},
	{areas: []string{"浙江", "江浙沪", "长三角", "华东"}, places: []string{"浙江", "杭州", "宁波", "温州", "嘉兴", "绍兴", "湖州", "金华", "台州", "舟山", "丽水", "衢州",
		"义乌", "慈溪", "余姚"}},
	{areas: []string{"安徽", "长三角", "华东"}, places: []string{"安徽", "合肥", "芜湖", "蚌埠"}},
	{areas: []string{"山东", "华东"}, places: []string{"山东", "济南", "青岛", "烟台", "淄博", "潍坊", "威海", "临沂", "济宁"}},
	{areas: []string{"福建", "华东"}, places: []string{"福建", "福州", "厦门", "泉州"}},
	{areas: []string{"江西", "华东"}, places: []string{"江西", "南昌", "赣州", "九江"}},
	{areas: []string{"广东", "珠三角", "华南"}, places: []string{"广东", "广州", "深圳", "东莞", "佛山", "珠海", "惠州", "中山", "江门", "汕头", "湛江"}},
	{areas: []string{"广西", "华南"}, places: []string{"广西", "南宁", "桂林", "柳州", "北海"}},
	{areas: []string{"海南", "华南"}, places: []string{"海南", "海口", "三亚"}},
	{areas: []string{"北京", "京津冀", "华北"}, places: []string{"北京"}},
	{areas: []string{"天津", "京津冀", "华北"}, places: []string{"天津"}},
	{areas: []string{"河北", "京津冀", "华北"}, places: []string{"河北", "石家庄", "保定", "唐山", "廊坊", "秦皇岛", "邯郸"}},
	{areas: []string{"山西", "华北"}, places: []string{"山西", "太原", "大同"}},
	{areas: []string{"内蒙古", "华北"}, places: []string{"内蒙古", "呼和浩特", "包头", "鄂尔多斯"}},
	{areas: []string{"辽宁", "东北"}, places: []string{"辽宁", "沈阳", "大连", "鞍山"}},
	{areas: []string{"吉林", "东北"}, places: []string{"吉林", "长春", "吉林市"}},
	{areas: []string{"黑龙江", "东北"}, places: []string{"黑龙江", "哈尔滨"}},
	{areas: []string{"河南", "华中"}, places: []string{"河南", "郑州", "洛阳", "开封"}},
	{areas: []string{"湖北", "华中"}, places: []string{"湖北", "武汉", "襄阳", "宜昌"}},
	{areas: []string{"湖南", "华中"}, places: []string{"湖南", "长沙", "株洲", "衡阳", "岳阳"}},
	{areas: []string{"四川", "西南"}, places: []string{"四川", "成都", "绵阳", "宜宾"}},
	{areas: []string{"重庆", "西南"}, places: []string{"重庆"}},
	{areas: []string{"贵州", "西南"}, places: []string{"贵州", "贵阳", "遵义"}},
	{areas: []string{"云南", "西南"}, places: []string{"云南", "昆明", "大理", "丽江"}},
	{areas: []string{"西藏", "西南"}, places: []string{"西藏", "拉萨", "日喀则", "林芝", "昌都"}},
	{areas: []string{"陕西", "西北"}, places: []string{"陕西", "西安", "延安", "宝鸡", "咸阳"}},
	{areas: []string{"甘肃", "西北"}, places: []string{"甘肃", "兰州", "天水"}},
	{areas: []string{"青海", "西北"}, places: []string{"青海", "西宁", "格尔木", "玉树"}},
	{areas: []string{"宁夏", "西北"}, places: []string{"宁夏", "银川"}},
	{areas: []string{"新疆", "西北"}, places: []string{"新疆", "乌鲁木齐", "喀什", "伊犁", "克拉玛依", "吐鲁番", "哈密", "阿克苏", "库尔勒"}},
	{areas: []string{"us", "usa", "united states", "america"}, places: []string{
		"california", "texas", "florida", "new york", "illinois", "ohio", "georgia", "michigan", "washington", "arizona", "colorado", "oregon",
		"nevada", "alaska", "hawaii", "massachusetts", "virginia", "pennsylvania", "new jersey", "minnesota", "utah", "tennessee", "chicago",
		"los angeles", "san francisco", "seattle", "boston", "miami", "houston", "dallas", "denver", "atlanta", "philadelphia", "phoenix",
		"san diego", "austin", "portland", "detroit", "nashville", "las vegas", "brooklyn", "manhattan", "new orleans", "baltimore", "pittsburgh"}},
	{areas: []string{"uk", "united kingdom", "britain", "great britain"}, places: []string{
		"london", "manchester", "birmingham", "glasgow", "edinburgh", "cardiff", "belfast", "scotland", "wales", "england", "northern ireland",
		"liverpool", "leeds", "bristol", "sheffield", "newcastle", "nottingham", "leicester", "brighton", "oxford", "cambridge", "york", "aberdeen"}},
	{areas: []string{"australia"}, places: []string{"sydney", "melbourne", "brisbane", "perth", "adelaide", "canberra", "hobart", "darwin"}},
	{areas: []string{"canada", "加拿大"}, places: []string{"toronto", "vancouver", "montreal", "calgary", "ottawa", "edmonton", "winnipeg", "halifax",
		"quebec", "ontario", "british columbia", "alberta", "多伦多", "温哥华", "蒙特利尔", "卡尔加里", "渥太华"}},
}

// deliveryWords are what a place's areas are joined with, per language,
// to find the shipping rules.
var deliveryWords = map[string]string{Zh: "配送 送达", En: "delivery shipping"}

// regionHint is what the place w is widened with in lang: the areas it
// lies in that the shop's texts name (named reports whether they do),
// with the words of delivery, when there is one; else the class's general
// words. region reports whether w is a place of placeAreas: such a place
// is widened even when the index knows its characters (成都: 都 is a
// function character, 喀什: 什 of 什么), since only the areas the rules
// name can say where it is.
func regionHint(w, lang, general string, named func(string) bool) (hint string, region bool) {
	var areas []string
	for _, pa := range placeAreas {
		if !slices.Contains(pa.places, w) {
			continue
		}
		region = true
		for _, a := range pa.areas {
			if !slices.Contains(areas, a) && named(a) {
				areas = append(areas, a)
			}
		}
	}
	if len(areas) == 0 {
		return general, region
	}
	return strings.Join(areas, " ") + " " + deliveryWords[lang], region
}

// namesArea reports whether a policy entry of the knowledge base in lang
// names the area a: a Han name anywhere, a Latin one as a word ("us" in
// "in the US", not in "must").
func (ix *Index) namesArea(a, lang string) bool {
	for _, p := range ix.Passages(CitePolicy, lang) {
		if nameIn(normalize(p.Title+" "+p.Text), a) {
			return true
		}
	}
	return false
}

// placeNamed reports whether the normalised text n names a country,
// region or city of generalClasses.
func placeNamed(n string) bool {
	for _, c := range generalClasses[:2] {
		for _, w := range c.words {
			if nameIn(n, w) {
				return true
			}
		}
	}
	return false
}

// districtMarks end the name of a part of a city or a province (西湖区,
// 昆山市, 余杭县, 乌镇).
const districtMarks = "区县市镇乡"

// districts are the places in n that name a part of the Han place w: w
// followed by at most four characters that end in a district mark, none
// of them a function character (杭州有什么区别 names no district), and
// not the start of a longer word (区别, 区域, 市场).
func districts(n, w string) []string {
	if !isHan(w) {
		return nil
	}
	var out []string
	for rest := n; ; {
		i := strings.Index(rest, w)
		if i < 0 {
			return out
		}
		after := []rune(rest[i+len(w):])
		for k := 0; k < len(after) && k < 5 && unicode.Is(unicode.Han, after[k]) && !functionHan[after[k]]; k++ {
			if k > 0 && strings.ContainsRune(districtMarks, after[k]) && (k+1 == len(after) || !strings.ContainsRune("别域场长委政", after[k+1])) {
				out = append(out, w+string(after[:k+1]))
				break
			}
		}
		rest = rest[i+len(w):]
	}
}
