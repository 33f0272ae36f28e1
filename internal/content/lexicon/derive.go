package lexicon

import (
	"strconv"
	"strings"
)

// uses say what a kind is for, true of every product of the kind (a
// T-light holder holds a candle, a hot water bottle keeps you warm).
// Kinds whose claims would need evidence (beauty, supplements, tech
// performance) have none: advertising law wants those proven.
var uses = map[string][2]string{ // kind -> {en, zh}
	"camera_bag":       {"Carries a camera and lenses", "相机镜头都装得下"},
	"camera_strap":     {"Keeps a camera at the ready", "相机随时在手边"},
	"tripod":           {"Holds a camera steady", "让相机稳稳站住"},
	"lens_cloth":       {"Cleans lenses and screens", "镜头屏幕都能擦"},
	"cleaning_kit":     {"Keeps lenses clean", "镜头清洁一套搞定"},
	"memory_card":      {"Stores photos and video", "照片视频都能存"},
	"organiser":        {"Keeps a bag tidy", "让行李井井有条"},
	"luggage":          {"Packs a weekend away", "装得下一趟短途旅行"},
	"travel_pillow":    {"Supports your neck on long journeys", "长途路上托住脖子"},
	"travel_adapter":   {"Plugs into sockets abroad", "出国插座不用愁"},
	"camp_chair":       {"Gives you a seat anywhere", "随处都有地方坐"},
	"hydration_pack":   {"Carries water on the trail", "路上随时补水"},
	"camp_lantern":     {"Lights up the campsite", "照亮营地"},
	"trekking_poles":   {"Takes weight off your knees", "上下坡更省力"},
	"puncture_kit":     {"Fixes a flat tyre", "车胎扎了也能补"},
	"tote":             {"Carries the day's essentials", "日常随身物都装得下"},
	"handbag":          {"Carries the essentials", "随身小物都装得下"},
	"scarf":            {"Finishes an outfit", "给穿搭加分"},
	"belt":             {"Finishes an outfit", "给穿搭加分"},
	"sunglasses":       {"Keeps the glare out", "挡住刺眼阳光"},
	"umbrella":         {"Keeps the rain off", "下雨天不用慌"},
	"diffuser":         {"Fills a room with scent", "让房间香香的"},
	"incense":          {"Scents a room", "点上一支满室生香"},
	"throw":            {"Made for cosy evenings on the sofa", "沙发上窝着盖正好"},
	"cushion":          {"Softens a sofa or a chair", "沙发椅子靠着更舒服"},
	"doormat":          {"Welcomes guests at the door", "进门就有好心情"},
	"desk_lamp":        {"Gives a room a soft glow", "给房间添一盏暖光"},
	"fairy_lights":     {"Gives a room a soft glow", "一串就有氛围"},
	"candle_holder":    {"Holds a candle or a tea light", "放上蜡烛就有暖光"},
	"candle":           {"Fills a room with warm light", "点上就有暖光"},
	"mug":              {"Made for tea or coffee", "装咖啡装茶都合适"},
	"tableware":        {"Dresses up the table", "让餐桌更好看"},
	"cake_stand":       {"Shows off cakes and treats", "蛋糕点心摆上去更好看"},
	"bakeware":         {"Made for home baking", "在家烘焙更方便"},
	"storage":          {"Keeps small things tidy", "小物件收得整整齐齐"},
	"clock":            {"Keeps time in any room", "看时间一目了然"},
	"frame":            {"Shows off a favourite photo", "把喜欢的照片摆出来"},
	"sign":             {"Brightens up a wall", "给墙面添点趣味"},
	"chalkboard":       {"Made for notes, menus and messages", "留言记事都方便"},
	"doorstop":         {"Holds a door open", "把门稳稳挡住"},
	"decoration":       {"Brightens up a room", "让家里更有氛围"},
	"bunting":          {"Dresses up a party or a room", "派对布置一挂就有"},
	"hot_water_bottle": {"Keeps you warm on cold nights", "寒夜里暖暖的"},
	"hand_warmer":      {"Warms cold hands", "冷天里暖手"},
	"power_bank":       {"Charges your phone on the go", "出门在外随时充电"},
	"lunch_bag":        {"Carries lunch to work or school", "带饭上班上学都方便"},
	"toy":              {"Made for playtime", "陪孩子玩得开心"},
	"notebook":         {"Made for notes, lists and sketches", "记事手帐都好用"},
	"pens":             {"Made for drawing and colouring", "画画涂色都合适"},
	"craft_kit":        {"Made for crafting at home", "在家动手做"},
	"stickers":         {"Made for cards, notebooks and gifts", "贴在本子礼物上都好看"},
	"gift_wrap":        {"Made for gifts and good wishes", "送礼祝福都用得上"},
	"party_tableware":  {"Made for parties", "派对聚会都用得上"},
	"bag":              {"Carries everything you need for the day", "出门要带的都装得下"},
}

// Use is what a kind is for in lang ("" when the kind has none).
func Use(kindKey, lang string) string {
	u, ok := uses[kindKey]
	if !ok {
		return ""
	}
	if lang == "zh" {
		return u[1]
	}
	return u[0]
}

var (
	colours = []string{"red", "pink", "blue", "white", "black", "green", "ivory", "cream", "silver", "gold", "purple", "yellow", "brown", "grey", "gray", "orange", "turquoise", "lilac", "mint", "navy"}
	// material words of a title and how a selling point says them
	materialPoints = map[string]string{"wooden": "Made of wood", "wood": "Made of wood", "glass": "Made of glass", "metal": "Made of metal",
		"zinc": "Zinc finish", "enamel": "Enamel finish", "ceramic": "Made of ceramic", "porcelain": "Made of porcelain", "wicker": "Woven wicker",
		"felt": "Made of felt", "lace": "Lace detail", "cotton": "Made of cotton", "linen": "Made of linen", "velvet": "Soft velvet",
		"leather": "Made of leather", "bamboo": "Made of bamboo", "tin": "Made of tin", "acrylic": "Made of acrylic", "crystal": "Crystal detail",
		"paper": "Made of paper", "wire": "Wirework", "iron": "Made of iron", "slate": "Made of slate", "knitted": "Knitted"}
	stylePoints = map[string]string{"vintage": "Vintage look", "retro": "Retro look", "regency": "Regency style", "french": "French style",
		"scandinavian": "Scandinavian style", "50's": "1950s style", "antique": "Antique look", "edwardian": "Edwardian style", "baroque": "Baroque style",
		"victorian": "Victorian style", "rustic": "Rustic look", "shabby": "Shabby-chic look", "traditional": "Traditional design", "moroccan": "Moroccan style"}
	// motif words and how a selling point names them ("%s" takes a colour)
	motifPoints = map[string]string{"heart": "%s heart design", "hearts": "%s heart design", "star": "%s star design", "stars": "%s star design",
		"bird": "%s bird design", "birds": "%s bird design", "owl": "%s owl design", "rabbit": "%s rabbit design", "bunny": "%s bunny design",
		"flower": "%s flower design", "flowers": "%s flower design", "floral": "%s floral print", "rose": "%s rose design", "roses": "%s rose design",
		"leaf": "%s leaf design", "butterfly": "%s butterfly design", "skull": "%s skull design", "skulls": "%s skull design",
		"spaceboy": "Spaceboy design", "babushka": "%s babushka design", "polkadot": "%s polka dots", "retrospot": "%s Retrospot print",
		"spotty": "%s spotty print", "gingham": "%s gingham check", "paisley": "%s paisley pattern", "strawberry": "%s strawberry design",
		"woodland": "Woodland design", "mushrooms": "Woodland mushroom design", "reindeer": "%s reindeer design", "snowflake": "%s snowflake design",
		"angel": "%s angel design", "cat": "%s cat design", "dog": "%s dog design", "elephant": "%s elephant design", "owls": "%s owl design",
		"botanical": "Botanical design", "union": "Union Jack design", "london": "London design", "doily": "%s doily pattern", "cherry": "%s cherry design"}
	numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
)

// DerivePoints are selling points read from what a catalog has when a
// product comes without any: the title's words (pack, material, motif,
// colour, style, form, theme) and what its kind is for. Each is true of
// the product by its title, so copy built on them invents nothing.
func DerivePoints(title string, info ProductInfo, lang string) []string {
	if lang == "zh" || isHan(title) {
		return derivePointsZh(title, info)
	}
	ws := Words(title)
	var out []string
	add := func(s string) {
		for _, o := range out {
			if strings.EqualFold(o, s) {
				return
			}
		}
		if s != "" {
			out = append(out, s)
		}
	}
	has := func(w string) bool {
		for _, x := range ws {
			if x == w {
				return true
			}
		}
		return false
	}
	// what it is for comes first: the most useful thing a title tells
	add(Use(info.Kind.Key, "en"))
	// a pack: SET OF 4, SET/6, SET 36, PACK OF 12, 60 CAKE CASES
	if n := packCount(ws); n > 1 {
		if has("set") || strings.Contains(strings.ToLower(title), "set/") {
			add("Set of " + count(n))
		} else {
			add("Pack of " + count(n))
		}
	}
	colour := ""
	for _, w := range ws {
		for _, c := range colours {
			if w == c && colour == "" {
				colour = c
			}
		}
	}
	motif := ""
	for _, w := range ws {
		if f, ok := motifPoints[w]; ok {
			c := colour
			if !strings.Contains(f, "%s") {
				c = ""
			}
			motif = strings.TrimSpace(strings.Replace(f, "%s", c, 1))
			motif = strings.ToUpper(motif[:1]) + motif[1:]
			break
		}
	}
	add(motif)
	if motif == "" && colour != "" {
		add(strings.ToUpper(colour[:1]) + colour[1:])
	}
	for _, w := range ws {
		if m, ok := materialPoints[w]; ok {
			add(m)
			break
		}
	}
	for _, w := range ws {
		if s, ok := stylePoints[w]; ok {
			add(s)
			break
		}
	}
	switch {
	case has("hanging"):
		add("Ready to hang")
	case has("jumbo"):
		add("Extra large")
	case has("scented"):
		add("Scented")
	case has("led"):
		add("LED light")
	}
	if i := indexOf(ws, "tier"); i > 0 {
		if n, err := strconv.Atoi(ws[i-1]); err == nil && n > 1 {
			add(strings.ToUpper(count(n)[:1]) + count(n)[1:] + " tiers")
		}
	}
	if info.Theme != "" {
		add("Made for " + OccasionName(info.Theme, "en"))
	}
	return out
}

func indexOf(ws []string, w string) int {
	for i, x := range ws {
		if x == w {
			return i
		}
	}
	return -1
}

// packCount reads how many items a title sells: SET OF 4, SET/6, SET 36,
// PACK OF 12, BOX OF 24, 60 CAKE CASES; 0 when it does not say.
func packCount(ws []string) int {
	for i, w := range ws {
		switch w {
		case "set", "pack", "box", "bag":
			j := i + 1
			if j < len(ws) && ws[j] == "of" {
				j++
			}
			if j < len(ws) {
				if n, err := strconv.Atoi(ws[j]); err == nil {
					return n
				}
			}
		}
		if n, ok := strings.CutPrefix(w, "set/"); ok {
			if v, err := strconv.Atoi(n); err == nil {
				return v
			}
		}
	}
	if n, err := strconv.Atoi(ws[0]); err == nil && len(ws) > 1 {
		for _, w := range ws[1:min(len(ws), 4)] {
			if lastWordPlural(w) {
				return n // 60 CAKE CASES, 12 PENCILS SMALL TUBE
			}
		}
	}
	return 0
}

func count(n int) string {
	if n >= 0 && n < len(numberWords) {
		return numberWords[n]
	}
	return strconv.Itoa(n)
}

var (
	zhColours   = []string{"红色", "粉色", "蓝色", "白色", "黑色", "绿色", "米色", "银色", "金色", "紫色", "黄色", "棕色", "灰色"}
	zhMaterialP = [][2]string{{"实木", "实木材质"}, {"木质", "木质"}, {"玻璃", "玻璃材质"}, {"陶瓷", "陶瓷材质"}, {"纯棉", "纯棉"}, {"亚麻", "亚麻"}, {"金属", "金属材质"}, {"不锈钢", "不锈钢"}, {"藤编", "藤编"}, {"毛毡", "毛毡"}, {"皮革", "皮革"}}
	zhStyleP    = [][2]string{{"复古", "复古风"}, {"北欧", "北欧风"}, {"日式", "日式风格"}, {"法式", "法式风格"}, {"简约", "简约设计"}, {"ins", "ins风"}}
)

func derivePointsZh(title string, info ProductInfo) []string {
	var out []string
	for _, c := range zhColours {
		if strings.Contains(title, c) {
			out = append(out, c)
			break
		}
	}
	for _, kv := range zhMaterialP {
		if strings.Contains(title, kv[0]) {
			out = append(out, kv[1])
			break
		}
	}
	for _, kv := range zhStyleP {
		if strings.Contains(strings.ToLower(title), kv[0]) {
			out = append(out, kv[1])
			break
		}
	}
	if strings.Contains(title, "挂") {
		out = append(out, "可悬挂")
	}
	if info.Theme != "" {
		out = append(out, "为"+OccasionName(info.Theme, "zh")+"准备")
	}
	if u := Use(info.Kind.Key, "zh"); u != "" {
		out = append(out, u)
	}
	return out
}
