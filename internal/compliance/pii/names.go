package pii

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Names of people who are not a known customer record are found by their
// context only: a form label (收件人：, Name:), a salutation (亲爱的,
// Dear … ,) or a title (先生, 女士, Mr.). A name alone in running text is
// not found, because in Chinese almost any two characters can be one (高兴,
// 王牌, 黄金) and in English any capitalised word; the cues keep marketing
// copy and product titles (女士手表, Dear customer) clean.

// LabelContextName marks a name found by its context, not as a known value.
const LabelContextName = "context"

// surnames are the common single-character Chinese surnames (the top of
// the household register, which covers the great majority of people);
// compoundSurnames are the two-character ones still in use.
var (
	surnames         = setOf([]rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"))
	compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "呼延", "申屠", "澹台", "万俟", "闻人"}
)

func setOf(rs []rune) map[rune]bool {
	m := make(map[rune]bool, len(rs))
	for _, r := range rs {
		m[r] = true
	}
	return m
}

// zhCues precede a name: form labels (with or without a colon) and
// salutations.
var zhCues = []string{"收件人", "收货人", "寄件人", "联系人", "签收人", "持卡人", "客户姓名", "姓名", "亲爱的", "尊敬的", "致"}

// zhTitles follow a name; a title alone after a surname (王先生) marks the
// surname.
var zhTitles = []string{"先生", "女士", "小姐", "太太", "同学", "老师", "医生", "律师", "经理"}

// zhStops end a given name: a character that starts what usually follows
// a name in a sentence (a verb, a particle, a title, a field label), so
// that 陈静电话 yields 陈静 and 王芳说 yields 王芳.
var zhStops = setOf([]rune("的了是在说和与及等也都还就已被把给向对您你我他她们电手地先女小太同老医律经反买下收签购上来去表提请让要会很不没从于为到并但而或"))

// zhAfterTitle are what may follow a title when it is a person's: the end,
// punctuation (checked apart) or a verb or particle. 女士手表 and 先生专属
// are product words, not people.
var zhAfterTitle = setOf([]rune("说讲问答觉认推选订预确的在已于您你好反购下收买上来去提对也都和与请是要会很不没从到为把被给向将刚又还就曾"))

// zhBeforeName are the Han characters that may stand right before a name
// found by its title (besides the start of the text, punctuation and
// non-Han text): a measure word, a particle or the end of a verb such as
// 联系 or 感谢. Anything else means the run is part of a longer word
// (老师送同学 has no one called 师送).
var zhBeforeName = setOf([]rune("位的请系给和与跟找叫是由向对致及把被让问谢户员"))

// zhNotNames are words that follow a salutation or label and start with
// a surname without being a name (亲爱的顾客, 尊敬的金卡会员).
var zhNotNames = []string{"顾客", "顾问", "常客", "金卡", "金牌", "黄金", "白金", "钻石", "家人", "伙伴", "宝贝", "宝宝", "用户", "会员", "朋友", "各位", "大家", "同学", "老师"}

func isHanRune(r rune) bool { return unicode.Is(unicode.Han, r) }

// zhName returns the byte length of a name starting at f[i:]: a surname and
// one or two given-name characters, cut short at a stop character. It
// returns 0 when f[i:] does not start with a surname.
func zhName(f string, i int) int {
	n := 0
	rest := f[i:]
	for _, c := range compoundSurnames {
		if strings.HasPrefix(rest, c) {
			n = len(c)
			break
		}
	}
	if n == 0 {
		r, size := utf8.DecodeRuneInString(rest)
		if !surnames[r] {
			return 0
		}
		n = size
	}
	given := 0
	for given < 2 {
		r, size := utf8.DecodeRuneInString(f[i+n:])
		if size == 0 || !isHanRune(r) || (given > 0 && zhStops[r]) || (given == 0 && zhStops[r] && r != '小') {
			break
		}
		n += size
		given++
	}
	if given == 0 {
		return 0
	}
	for _, w := range zhNotNames {
		if strings.HasPrefix(rest, w) {
			return 0
		}
	}
	return n
}

var (
	// a name word: Anna, O'Brien, Jean-Luc, McDonald
	enWord       = `[A-Z](?:[a-z]*[A-Z]?[a-z]+|['’][A-Z][a-z]+)(?:[-'’][A-Z]?[a-z]+)*`
	reHonorific  = regexp.MustCompile(`\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.? (` + enWord + `(?: ` + enWord + `)?)\b`)
	reSalutation = regexp.MustCompile(`(?m)(?:^|[.!?]\s+)(?:Dear|Hi|Hello|Hey) (` + enWord + `(?: ` + enWord + `)?)\s*[,!:]`)
	// only labels that name a person: a bare "Name:" labels products as
	// often, and "Ship to:" is followed by places
	reEnLabel = regexp.MustCompile(`(?m)(?:^|[,;|]\s*)(?i:full name|customer name|first name|last name|recipient|cardholder|contact name|contact person)\s*:\s*(` + enWord + `(?: ` + enWord + `){0,2})\b`)
	// enNotNames are words that follow these cues without naming anyone.
	enNotNames = map[string]bool{"Customer": true, "Customers": true, "Friend": true, "Friends": true, "There": true, "All": true,
		"Team": true, "Everyone": true, "Valued": true, "Member": true, "Members": true, "Shopper": true, "Shoppers": true, "Sir": true,
		"Madam": true, "Guest": true, "Subscriber": true, "Reader": true, "Right": true, "Beauty": true, "Fan": true, "Fans": true,
		"Folks": true, "Buyer": true, "Partner": true, "Partners": true, "Colleague": true, "Colleagues": true, "User": true, "World": true, "Again": true, "Martens": true}
)

// enCues are the English patterns, each with a cheap test of whether it
// can match at all: most text has no title, greeting or label.
var enCues = []struct {
	re    *regexp.Regexp
	worth func(string) bool
}{
	{reHonorific, func(f string) bool {
		return strings.Contains(f, "M") || strings.Contains(f, "Dr") || strings.Contains(f, "Prof")
	}},
	{reSalutation, func(f string) bool { return strings.Contains(f, "Dear") || strings.Contains(f, "H") }},
	{reEnLabel, func(f string) bool { return strings.IndexByte(f, ':') >= 0 }},
}

// findNames adds the names that context marks in f.
func findNames(f string, add addFunc) {
	findZhNames(f, add)
	if strings.IndexFunc(f, func(r rune) bool { return r >= 'A' && r <= 'Z' }) < 0 {
		return
	}
	for _, c := range enCues {
		if !c.worth(f) {
			continue // the regexp cannot match: skip its cost
		}
		for _, m := range c.re.FindAllStringSubmatchIndex(f, -1) {
			s, e := m[2], m[3]
			first, _, _ := strings.Cut(f[s:e], " ")
			if enNotNames[first] {
				continue
			}
			add(Name, s, e, LabelContextName, prioName)
		}
	}
}

func findZhNames(f string, add addFunc) {
	if !strings.ContainsFunc(f, isHanRune) {
		return
	}
	// after a cue
	for _, cue := range zhCues {
		for from := 0; ; {
			i := strings.Index(f[from:], cue)
			if i < 0 {
				break
			}
			j := from + i + len(cue)
			from = j
			for j < len(f) && (f[j] == ':' || f[j] == ' ') {
				j++
			}
			if strings.HasPrefix(f[j:], "：") {
				j += len("：")
			}
			if n := zhName(f, j); n > 0 {
				add(Name, j, j+n, LabelContextName, prioName)
			}
		}
	}
	// before a title
	for _, title := range zhTitles {
		for from := 0; ; {
			i := strings.Index(f[from:], title)
			if i < 0 {
				break
			}
			t := from + i
			from = t + len(title)
			if r, _ := utf8.DecodeRuneInString(f[from:]); from < len(f) && isHanRune(r) && !zhAfterTitle[r] {
				continue // 女士手表: a product, not a person
			}
			if s, ok := nameBefore(f, t); ok {
				add(Name, s, t, LabelContextName, prioName)
			}
		}
	}
}

// nameBefore finds the name that ends at f[:t]: the longest run of one to
// three Han characters before t that zhName reads as a whole name, or a
// surname alone (王先生).
func nameBefore(f string, t int) (int, bool) {
	starts := make([]int, 0, 3)
	for k := t; len(starts) < 3 && k > 0; {
		r, size := utf8.DecodeLastRuneInString(f[:k])
		if !isHanRune(r) {
			break
		}
		k -= size
		starts = append(starts, k)
	}
	for i := len(starts) - 1; i >= 0; i-- {
		s := starts[i]
		if r, _ := utf8.DecodeLastRuneInString(f[:s]); s > 0 && isHanRune(r) && !zhBeforeName[r] {
			continue
		}
		if i == 0 {
			r, _ := utf8.DecodeRuneInString(f[s:])
			if surnames[r] {
				return s, true // a surname alone
			}
			continue
		}
		if zhName(f, s) == t-s {
			return s, true
		}
	}
	return 0, false
}
