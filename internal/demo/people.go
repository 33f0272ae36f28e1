package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// name is a name with its romanisation, used to build e-mail addresses.
type name struct{ text, latin string }

var (
	zhSurnames = []name{
		{"王", "wang"}, {"李", "li"}, {"张", "zhang"}, {"刘", "liu"}, {"陈", "chen"}, {"杨", "yang"},
		{"黄", "huang"}, {"赵", "zhao"}, {"吴", "wu"}, {"周", "zhou"}, {"徐", "xu"}, {"孙", "sun"},
		{"马", "ma"}, {"朱", "zhu"}, {"胡", "hu"}, {"郭", "guo"}, {"何", "he"}, {"高", "gao"},
		{"林", "lin"}, {"罗", "luo"}, {"郑", "zheng"}, {"梁", "liang"}, {"谢", "xie"}, {"宋", "song"},
		{"唐", "tang"}, {"许", "xu"}, {"韩", "han"}, {"冯", "feng"}, {"邓", "deng"}, {"曹", "cao"},
	}
	// Surname weights follow the rough frequency order of the list.
	zhFemale = []name{
		{"芳", "fang"}, {"娜", "na"}, {"静", "jing"}, {"敏", "min"}, {"丽", "li"}, {"婷", "ting"},
		{"雪", "xue"}, {"琳", "lin"}, {"欣怡", "xinyi"}, {"梓涵", "zihan"}, {"雨桐", "yutong"},
		{"思琪", "siqi"}, {"佳怡", "jiayi"}, {"晓雯", "xiaowen"}, {"诗涵", "shihan"}, {"梦瑶", "mengyao"},
		{"丹", "dan"}, {"倩", "qian"}, {"玉兰", "yulan"}, {"秀英", "xiuying"}, {"慧", "hui"}, {"颖", "ying"},
	}
	zhMale = []name{
		{"伟", "wei"}, {"强", "qiang"}, {"磊", "lei"}, {"洋", "yang"}, {"勇", "yong"}, {"军", "jun"},
		{"杰", "jie"}, {"涛", "tao"}, {"浩然", "haoran"}, {"子轩", "zixuan"}, {"宇航", "yuhang"},
		{"俊杰", "junjie"}, {"志强", "zhiqiang"}, {"建华", "jianhua"}, {"明", "ming"}, {"超", "chao"},
		{"鹏", "peng"}, {"博文", "bowen"}, {"一鸣", "yiming"}, {"天宇", "tianyu"},
	}
	enFemale = []string{"Emma", "Olivia", "Sophie", "Charlotte", "Amelia", "Grace", "Chloe", "Emily", "Hannah",
		"Jessica", "Sarah", "Lucy", "Isla", "Mia", "Ava", "Zoe", "Megan", "Rachel", "Laura", "Ella"}
	enMale = []string{"James", "Oliver", "Jack", "William", "Thomas", "Daniel", "Michael", "Harry", "Noah",
		"Ethan", "Liam", "Lucas", "Samuel", "Benjamin", "Ryan", "Matthew", "Joshua", "Nathan", "Alex", "Tom"}
	enSurnames = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Taylor", "Davies", "Wilson", "Evans",
		"Thomas", "Walker", "White", "Harris", "Martin", "Thompson", "Robinson", "Clarke", "Wright", "Mitchell",
		"Anderson", "Kelly", "Campbell", "Murphy", "Nguyen", "Patel", "Garcia", "Lee", "King", "Scott", "Young"}
)

// city is where a customer lives, with the IANA zone its messages obey.
type city struct {
	name, country, zone string
	weight              float64
	phone               func(r *rand.Rand) string
	district            []string // for an address line
}

func cnMobile(r *rand.Rand) string {
	prefixes := []string{"130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
		"155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "186", "187", "188", "189", "199"}
	return fmt.Sprintf("+86%s%08d", prefixes[r.IntN(len(prefixes))], r.IntN(100000000))
}

// The English-speaking numbers are in the ranges reserved for fiction
// (US 555-01xx, UK 07700 900xxx, AU 0491 570 xxx), so a demo database can
// never text a real person.
func usPhone(area string) func(r *rand.Rand) string {
	return func(r *rand.Rand) string { return fmt.Sprintf("+1%s55501%02d", area, r.IntN(100)) }
}
func ukPhone(r *rand.Rand) string { return fmt.Sprintf("+447700900%03d", r.IntN(1000)) }
func auPhone(r *rand.Rand) string { return fmt.Sprintf("+61491570%03d", r.IntN(1000)) }

var zhCities = []city{
	{"上海", "CN", "Asia/Shanghai", 18, cnMobile, []string{"徐汇区", "静安区", "浦东新区", "长宁区", "黄浦区"}},
	{"北京", "CN", "Asia/Shanghai", 16, cnMobile, []string{"朝阳区", "海淀区", "东城区", "西城区"}},
	{"杭州", "CN", "Asia/Shanghai", 10, cnMobile, []string{"西湖区", "滨江区", "余杭区"}},
	{"深圳", "CN", "Asia/Shanghai", 11, cnMobile, []string{"南山区", "福田区", "宝安区"}},
	{"广州", "CN", "Asia/Shanghai", 10, cnMobile, []string{"天河区", "越秀区", "海珠区"}},
	{"成都", "CN", "Asia/Shanghai", 9, cnMobile, []string{"锦江区", "武侯区", "高新区"}},
	{"南京", "CN", "Asia/Shanghai", 6, cnMobile, []string{"鼓楼区", "玄武区", "建邺区"}},
	{"武汉", "CN", "Asia/Shanghai", 6, cnMobile, []string{"武昌区", "江汉区", "洪山区"}},
	{"苏州", "CN", "Asia/Shanghai", 5, cnMobile, []string{"姑苏区", "工业园区"}},
	{"重庆", "CN", "Asia/Shanghai", 5, cnMobile, []string{"渝中区", "江北区"}},
	{"西安", "CN", "Asia/Shanghai", 4, cnMobile, []string{"雁塔区", "碑林区"}},
}

var enCities = []city{
	{"New York", "US", "America/New_York", 12, usPhone("212"), []string{"Brooklyn", "Manhattan", "Queens"}},
	{"Los Angeles", "US", "America/Los_Angeles", 8, usPhone("213"), []string{"Silver Lake", "Santa Monica"}},
	{"Chicago", "US", "America/Chicago", 6, usPhone("312"), []string{"Lincoln Park", "Wicker Park"}},
	{"Seattle", "US", "America/Los_Angeles", 5, usPhone("206"), []string{"Capitol Hill", "Ballard"}},
	{"Austin", "US", "America/Chicago", 4, usPhone("512"), []string{"South Congress", "East Austin"}},
	{"Denver", "US", "America/Denver", 3, usPhone("303"), []string{"LoDo", "Highlands"}},
	{"Phoenix", "US", "America/Phoenix", 3, usPhone("602"), []string{"Arcadia", "Downtown"}},
	{"London", "GB", "Europe/London", 12, ukPhone, []string{"Hackney", "Islington", "Clapham"}},
	{"Manchester", "GB", "Europe/London", 5, ukPhone, []string{"Ancoats", "Didsbury"}},
	{"Edinburgh", "GB", "Europe/London", 3, ukPhone, []string{"Leith", "Stockbridge"}},
	{"Sydney", "AU", "Australia/Sydney", 7, auPhone, []string{"Surry Hills", "Bondi"}},
	{"Melbourne", "AU", "Australia/Melbourne", 6, auPhone, []string{"Fitzroy", "St Kilda"}},
	{"Brisbane", "AU", "Australia/Brisbane", 3, auPhone, []string{"West End", "New Farm"}},
}

// occupation carries its labels and the interests it makes likely.
type occupation struct {
	zh, en  string
	minAge  int
	maxAge  int
	weight  float64
	affine  map[string]float64 // interest key -> extra weight
	student bool
}

var occupations = []occupation{
	{"设计师", "designer", 22, 50, 8, map[string]float64{"fashion": 4, "photography": 3, "travel": 3, "home": 2, "beauty": 1}, false},
	{"程序员", "software engineer", 22, 50, 9, map[string]float64{"tech": 5, "fitness": 1.5, "outdoor": 1.5, "food": 1.5, "photography": 1}, false},
	{"教师", "teacher", 23, 62, 7, map[string]float64{"home": 3, "food": 2, "travel": 2, "parenting": 2}, false},
	{"学生", "student", 18, 25, 10, map[string]float64{"fashion": 3, "tech": 3, "beauty": 2, "food": 2, "travel": 1.5, "fitness": 1}, true},
	{"摄影师", "photographer", 22, 55, 3, map[string]float64{"photography": 6, "travel": 4, "outdoor": 3, "tech": 1}, false},
	{"产品经理", "product manager", 25, 45, 5, map[string]float64{"tech": 3, "travel": 2.5, "fitness": 1.5, "food": 1.5, "photography": 1}, false},
	{"护士", "nurse", 21, 60, 5, map[string]float64{"beauty": 3, "fitness": 2, "home": 2, "parenting": 2}, false},
	{"工程师", "engineer", 23, 62, 7, map[string]float64{"tech": 3, "outdoor": 3, "fitness": 2, "photography": 1}, false},
	{"销售", "sales manager", 22, 55, 6, map[string]float64{"fashion": 3, "travel": 3, "beauty": 2, "food": 1.5}, false},
	{"会计", "accountant", 23, 62, 5, map[string]float64{"home": 3, "beauty": 2, "food": 2, "travel": 1}, false},
	{"医生", "doctor", 27, 65, 3, map[string]float64{"fitness": 3, "travel": 2, "food": 2, "home": 1}, false},
	{"自由职业者", "freelancer", 22, 55, 4, map[string]float64{"travel": 3, "photography": 3, "food": 2, "tech": 1.5}, false},
	{"健身教练", "personal trainer", 20, 45, 2, map[string]float64{"fitness": 6, "outdoor": 3, "food": 2}, false},
	{"市场专员", "marketing specialist", 22, 45, 5, map[string]float64{"fashion": 3, "beauty": 2.5, "travel": 2, "photography": 1.5}, false},
	{"全职父母", "stay-at-home parent", 25, 50, 3, map[string]float64{"parenting": 6, "home": 3, "food": 2}, false},
	{"退休人员", "retiree", 55, 65, 3, map[string]float64{"travel": 3, "home": 3, "food": 2, "outdoor": 2}, false},
}

// Occupation returns the en label of a zh occupation label (or the input).
func occupationEN(zh string) string {
	for _, o := range occupations {
		if o.zh == zh {
			return o.en
		}
	}
	return zh
}

// ageBands gives the age mix of an online shop's customers: most are
// 25-44, fewer at the ends of the 18-65 range.
var ageBands = []struct {
	lo, hi int
	weight float64
}{{18, 24, 20}, {25, 34, 36}, {35, 44, 24}, {45, 54, 13}, {55, 65, 7}}

func pickAge(r *rand.Rand) int {
	w := make([]float64, len(ageBands))
	for i, b := range ageBands {
		w[i] = b.weight
	}
	b := ageBands[pickWeighted(r, w)]
	return b.lo + r.IntN(b.hi-b.lo+1)
}

func pickOccupation(r *rand.Rand, age int) occupation {
	w := make([]float64, len(occupations))
	for i, o := range occupations {
		if age >= o.minAge && age <= o.maxAge {
			w[i] = o.weight
			if o.student && age <= 22 {
				w[i] *= 6 // most people under 23 are still studying
			}
		}
	}
	return occupations[pickWeighted(r, w)]
}

// pickInterests draws 2-4 distinct interests weighted by occupation, gender
// and life stage, strongest first.
func pickInterests(r *rand.Rand, o occupation, gender string, age int) []string {
	w := make([]float64, len(interests))
	for i, in := range interests {
		w[i] = 0.4 + o.affine[in.Key]
		switch in.Key {
		case "beauty":
			if gender == "female" {
				w[i] *= 2.5
			} else {
				w[i] *= 0.3
			}
		case "fashion":
			if gender == "female" {
				w[i] *= 1.5
			}
		case "parenting":
			if age < 26 || age > 48 {
				w[i] *= 0.05
			} else if age <= 40 {
				w[i] *= 2
			}
		case "outdoor", "fitness":
			if age > 55 {
				w[i] *= 0.6
			}
		}
	}
	n := 2 + r.IntN(3)
	out := make([]string, 0, n)
	for len(out) < n {
		k := pickWeighted(r, w)
		out = append(out, interests[k].Key)
		w[k] = 0
	}
	return out
}

// pickWeighted returns an index drawn with probability proportional to w.
func pickWeighted(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	if sum <= 0 {
		return r.IntN(len(w))
	}
	x := r.Float64() * sum
	for i, v := range w {
		x -= v
		if x < 0 {
			return i
		}
	}
	for i := len(w) - 1; i >= 0; i-- {
		if w[i] > 0 {
			return i
		}
	}
	return len(w) - 1
}

func pickCity(r *rand.Rand, cs []city) city {
	w := make([]float64, len(cs))
	for i, c := range cs {
		w[i] = c.weight
	}
	return cs[pickWeighted(r, w)]
}

// zhName returns a Chinese name and an e-mail local part built from its
// pinyin.
func zhName(r *rand.Rand, gender string) (string, string) {
	sw := make([]float64, len(zhSurnames))
	for i := range sw {
		sw[i] = 1 / float64(i+3) // a few surnames are very common
	}
	s := zhSurnames[pickWeighted(r, sw)]
	given := zhMale
	if gender == "female" {
		given = zhFemale
	}
	g := given[r.IntN(len(given))]
	var local string
	switch r.IntN(3) {
	case 0:
		local = s.latin + g.latin
	case 1:
		local = s.latin + "." + g.latin
	default:
		local = g.latin + s.latin
	}
	return s.text + g.text, local
}

func enName(r *rand.Rand, gender string) (string, string) {
	given := enMale
	if gender == "female" {
		given = enFemale
	}
	f := given[r.IntN(len(given))]
	l := enSurnames[r.IntN(len(enSurnames))]
	var local string
	switch r.IntN(3) {
	case 0:
		local = strings.ToLower(f + "." + l)
	case 1:
		local = strings.ToLower(f[:1] + l)
	default:
		local = strings.ToLower(f + l)
	}
	return f + " " + l, local
}

// The mail domains are the ones reserved for documentation (RFC 2606), so
// demo data can never reach a real mailbox.
var mailDomains = []string{"example.com", "example.net", "example.org"}
