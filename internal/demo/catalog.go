package demo

import (
	"fmt"
	"github.com/chorusmkt/chorus/internal/customer"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/chorusmkt/chorus/internal/catalog"
)

// Interest is one consumer interest and the catalog categories that serve
// it, in both languages. Interests are stored on customers in their own
// language (时尚 for a Chinese customer, fashion for an English one) and are
// spelled like the top level of the matching category path, so affinity can
// be computed without a translation table.
type Interest struct {
	Key        string // stable English key: fashion, travel, …
	ZH         string // 时尚, stored on zh customers and used as the zh top category
	EN         string // fashion, stored on en customers
	CategoryEN string // Fashion, the en top category
}

// interests is the fixed interest vocabulary, in a stable order.
var interests = []Interest{
	{"fashion", "时尚", "fashion", "Fashion"},
	{"travel", "旅行", "travel", "Travel"},
	{"photography", "摄影", "photography", "Photography"},
	{"outdoor", "户外", "outdoor", "Outdoor"},
	{"beauty", "美妆", "beauty", "Beauty"},
	{"fitness", "健身", "fitness", "Fitness"},
	{"home", "家居", "home", "Home"},
	{"tech", "数码", "tech", "Tech"},
	{"parenting", "母婴", "parenting", "Baby & Kids"},
	{"food", "美食", "food", "Food & Drink"},
}

// Interests returns the interest vocabulary of the demo shop (a copy).
func Interests() []Interest { return append([]Interest(nil), interests...) }

// InterestLabel returns the label of interest key in language lang.
func InterestLabel(key, lang string) string {
	for _, in := range interests {
		if in.Key == key {
			if lang == LangZH {
				return in.ZH
			}
			return in.EN
		}
	}
	return key
}

// topCategory returns the top level of the category path for an interest.
func topCategory(key, lang string) string {
	for _, in := range interests {
		if in.Key == key {
			if lang == LangZH {
				return in.ZH
			}
			return in.CategoryEN
		}
	}
	return ""
}

// model is one product of the demo catalog in both languages; each model
// becomes two products: a zh one priced in CNY and an en one priced in USD.
type model struct {
	code     string // SKU stem, e.g. PHOTO-BAG01
	interest string // interest key; gives the top category
	subZH    string // second level of the zh category path
	subEN    string
	brand    string
	titleZH  string
	titleEN  string
	cny, usd float64
	pointsZH []string
	pointsEN []string
	descZH   string
	descEN   string
	tags     []string // language-neutral tags (kept in English, lower case)
	// consumable products are bought again and in quantities above one.
	consumable bool
	// pop weights the product within its category (1 = ordinary).
	pop float64
	// stockZH/stockEN; -1 means "derive a plausible stock".
	out      bool // out of stock in both languages
	inactive bool // withdrawn from sale (history keeps its orders)
}

// Catalog lines. The photography / travel line is the largest, because the
// project's walkthroughs use a camera bag as their running example.
var models = []model{
	// Photography: camera bags, straps, tripods, cleaning, storage.
	{code: "PHOTO-BAG01", interest: "photography", subZH: "相机包", subEN: "Camera Bags", brand: "Lumen & Co",
		titleZH: "时尚相机包", titleEN: "Everyday Camera Bag",
		cny: 399, usd: 59,
		pointsZH: []string{"防水", "防震", "轻便", "大容量"},
		pointsEN: []string{"Water-resistant", "Shock-absorbing dividers", "Lightweight", "Large capacity"},
		descZH:   "防水防震、轻便耐用，适合旅行和户外拍摄的时尚相机包",
		descEN:   "A water-resistant, shock-absorbing camera bag that is light enough for travel and roomy enough for a day of shooting outdoors.",
		tags:     []string{"camera-bag", "waterproof", "travel", "bestseller"}, pop: 3},
	{code: "PHOTO-BAG02", interest: "photography", subZH: "相机包", subEN: "Camera Bags", brand: "Lumen & Co",
		titleZH: "双肩摄影背包 25L", titleEN: "Camera Backpack 25L",
		cny: 699, usd: 119,
		pointsZH: []string{"25L大容量", "侧开快取", "可放16寸笔记本", "防泼水面料"},
		pointsEN: []string{"25 L capacity", "Side quick-access", "Fits a 16-inch laptop", "Weather-resistant fabric"},
		descZH:   "侧开快取的双肩摄影背包，一机三镜加笔记本都能装下，通勤和远行都合适",
		descEN:   "A 25 L camera backpack with side access that carries a body, three lenses and a laptop, for commutes and long trips alike.",
		tags:     []string{"camera-bag", "backpack", "travel"}, pop: 2},
	{code: "PHOTO-BAG03", interest: "photography", subZH: "相机包", subEN: "Camera Bags", brand: "Lumen & Co",
		titleZH: "微单斜挎相机包", titleEN: "Mirrorless Sling Bag",
		cny: 259, usd: 45,
		pointsZH: []string{"小巧斜挎", "磁吸快扣", "可调隔板"},
		pointsEN: []string{"Compact sling", "Magnetic quick clasp", "Adjustable dividers"},
		descZH:   "为微单设计的小巧斜挎包，磁吸快扣单手开合，城市扫街不错过瞬间",
		descEN:   "A compact sling for a mirrorless camera with a one-handed magnetic clasp, made for street photography.",
		tags:     []string{"camera-bag", "sling", "city"}, pop: 1.5},
	{code: "PHOTO-BAG04", interest: "photography", subZH: "相机包", subEN: "Camera Bags", brand: "Lumen & Co",
		titleZH: "相机内胆包", titleEN: "Camera Insert",
		cny: 129, usd: 22,
		pointsZH: []string{"把任意背包变相机包", "加厚防震", "魔术贴隔板"},
		pointsEN: []string{"Turns any bag into a camera bag", "Thick padding", "Hook-and-loop dividers"},
		descZH:   "加厚防震的相机内胆，放进日常背包就是一只相机包",
		descEN:   "A padded insert that turns the bag you already carry into a camera bag.",
		tags:     []string{"camera-bag", "insert"}, pop: 1},
	{code: "PHOTO-STRAP1", interest: "photography", subZH: "背带", subEN: "Straps", brand: "Lumen & Co",
		titleZH: "真皮相机背带", titleEN: "Leather Camera Strap",
		cny: 189, usd: 35,
		pointsZH: []string{"头层牛皮", "快拆扣", "长度可调"},
		pointsEN: []string{"Full-grain leather", "Quick-release clips", "Adjustable length"},
		descZH:   "头层牛皮相机背带，快拆扣设计，越用越有味道",
		descEN:   "A full-grain leather strap with quick-release clips that ages beautifully.",
		tags:     []string{"strap", "leather", "gift"}, pop: 1.5},
	{code: "PHOTO-STRAP2", interest: "photography", subZH: "背带", subEN: "Straps", brand: "Lumen & Co",
		titleZH: "减压相机肩带", titleEN: "Padded Shoulder Strap",
		cny: 99, usd: 19,
		pointsZH: []string{"宽幅减压", "防滑", "快拆"},
		pointsEN: []string{"Wide padded strap", "Non-slip", "Quick release"},
		descZH:   "宽幅减压肩带，长时间拍摄也不勒肩",
		descEN:   "A wide, padded strap that stays comfortable through a full day of shooting.",
		tags:     []string{"strap"}, pop: 1},
	{code: "PHOTO-TRIPOD1", interest: "photography", subZH: "三脚架", subEN: "Tripods", brand: "Steadi",
		titleZH: "碳纤维旅行三脚架", titleEN: "Carbon Travel Tripod",
		cny: 899, usd: 169,
		pointsZH: []string{"碳纤维", "仅1.2kg", "反折收纳", "承重8kg"},
		pointsEN: []string{"Carbon fibre", "Only 1.2 kg", "Folds to 40 cm", "Holds 8 kg"},
		descZH:   "碳纤维旅行三脚架，反折后可放进登机箱，风光与夜景都稳",
		descEN:   "A carbon-fibre travel tripod that folds small enough for a carry-on and stays steady for landscapes and night shots.",
		tags:     []string{"tripod", "travel", "carbon"}, pop: 1.2},
	{code: "PHOTO-TRIPOD2", interest: "photography", subZH: "三脚架", subEN: "Tripods", brand: "Steadi",
		titleZH: "手机桌面三脚架", titleEN: "Mini Tabletop Tripod",
		cny: 69, usd: 15,
		pointsZH: []string{"八爪鱼脚", "手机相机通用", "蓝牙遥控"},
		pointsEN: []string{"Flexible legs", "Fits phones and cameras", "Bluetooth remote"},
		descZH:   "可缠绕的八爪鱼三脚架，配蓝牙遥控，Vlog自拍都方便",
		descEN:   "A flexible mini tripod with a Bluetooth remote for vlogs and selfies.",
		tags:     []string{"tripod", "vlog"}, pop: 1.5},
	{code: "PHOTO-CLOTH", interest: "photography", subZH: "清洁", subEN: "Cleaning", brand: "Lumen & Co",
		titleZH: "超细纤维镜头布（5片装）", titleEN: "Microfibre Lens Cloths (5-pack)",
		cny: 29, usd: 8,
		pointsZH: []string{"不掉毛", "可水洗", "5片装"},
		pointsEN: []string{"Lint-free", "Washable", "Pack of 5"},
		descZH:   "不掉毛的超细纤维镜头布，相机包里常备一片",
		descEN:   "Lint-free microfibre cloths; keep one in every bag.",
		tags:     []string{"cleaning", "consumable"}, consumable: true, pop: 2},
	{code: "PHOTO-CLEANKIT", interest: "photography", subZH: "清洁", subEN: "Cleaning", brand: "Lumen & Co",
		titleZH: "相机清洁套装", titleEN: "Camera Cleaning Kit",
		cny: 79, usd: 18,
		pointsZH: []string{"气吹+镜头笔+清洁液", "收纳袋", "旅行便携"},
		pointsEN: []string{"Blower, lens pen and fluid", "Storage pouch", "Travel size"},
		descZH:   "气吹、镜头笔、清洁液一套搞定，出门旅行随手清洁",
		descEN:   "Blower, lens pen and cleaning fluid in one travel pouch.",
		tags:     []string{"cleaning"}, pop: 1},
	{code: "PHOTO-SDCARD", interest: "photography", subZH: "存储", subEN: "Storage", brand: "Voltra",
		titleZH: "高速SD存储卡 128GB", titleEN: "High-speed SD Card 128GB",
		cny: 159, usd: 29,
		pointsZH: []string{"V30高速", "128GB", "防水防磁"},
		pointsEN: []string{"V30 speed", "128 GB", "Water- and magnet-proof"},
		descZH:   "V30高速存储卡，4K视频连续写入不掉帧",
		descEN:   "A V30 card that records 4K video without dropped frames.",
		tags:     []string{"storage", "4k"}, pop: 1.5},
	{code: "PHOTO-FILTER", interest: "photography", subZH: "滤镜", subEN: "Filters", brand: "Steadi",
		titleZH: "可调ND减光镜 67mm", titleEN: "Variable ND Filter 67mm",
		cny: 329, usd: 65,
		pointsZH: []string{"ND2-ND400可调", "多层镀膜", "超薄框"},
		pointsEN: []string{"ND2 to ND400", "Multi-coated", "Slim frame"},
		descZH:   "可调减光镜，白天也能拍出丝滑流水和慢门效果",
		descEN:   "A variable ND filter for silky water and slow shutters in daylight.",
		tags:     []string{"filter"}, pop: 0.7, inactive: true},

	// Travel: organisers, luggage, comfort.
	{code: "TRAVEL-CUBES", interest: "travel", subZH: "收纳", subEN: "Organisers", brand: "Wayfarer",
		titleZH: "旅行收纳袋六件套", titleEN: "Packing Cubes (Set of 6)",
		cny: 119, usd: 32,
		pointsZH: []string{"六件套", "轻薄防泼水", "分类收纳"},
		pointsEN: []string{"Six sizes", "Light and splash-proof", "Keeps a case tidy"},
		descZH:   "六件套旅行收纳袋，衣物鞋子分门别类，行李箱整整齐齐",
		descEN:   "Six packing cubes that keep clothes and shoes sorted and your case tidy.",
		tags:     []string{"organiser", "travel"}, pop: 2.5},
	{code: "TRAVEL-TECHPOUCH", interest: "travel", subZH: "收纳", subEN: "Organisers", brand: "Wayfarer",
		titleZH: "数码收纳包", titleEN: "Tech Organiser Pouch",
		cny: 89, usd: 24,
		pointsZH: []string{"弹力分隔", "防泼水", "可挂行李箱拉杆"},
		pointsEN: []string{"Elastic loops", "Splash-proof", "Slides over a trolley handle"},
		descZH:   "充电器、数据线、移动电源一包收好，旅行不再翻箱倒柜",
		descEN:   "Chargers, cables and a power bank in one pouch, so you never dig through your case.",
		tags:     []string{"organiser", "tech"}, pop: 1.5},
	{code: "TRAVEL-CARRYON", interest: "travel", subZH: "箱包", subEN: "Luggage", brand: "Wayfarer",
		titleZH: "20寸登机箱", titleEN: "Carry-on Spinner 20\"",
		cny: 899, usd: 189,
		pointsZH: []string{"PC箱体", "静音万向轮", "TSA海关锁", "可扩容"},
		pointsEN: []string{"Polycarbonate shell", "Silent spinner wheels", "TSA lock", "Expandable"},
		descZH:   "20寸登机箱，静音万向轮加可扩容设计，短途出差刚刚好",
		descEN:   "A 20-inch carry-on with silent spinners and an expandable zip, sized for short trips.",
		tags:     []string{"luggage", "travel"}, pop: 1.2},
	{code: "TRAVEL-WEEKENDER", interest: "travel", subZH: "箱包", subEN: "Luggage", brand: "Wayfarer",
		titleZH: "帆布旅行袋", titleEN: "Canvas Weekender",
		cny: 459, usd: 95,
		pointsZH: []string{"防泼水帆布", "独立鞋仓", "可套拉杆"},
		pointsEN: []string{"Waxed canvas", "Shoe compartment", "Trolley sleeve"},
		descZH:   "防泼水帆布旅行袋，带独立鞋仓，周末出游一包搞定",
		descEN:   "A waxed-canvas weekender with a shoe compartment for a two-night escape.",
		tags:     []string{"luggage", "weekend"}, pop: 1},
	{code: "TRAVEL-PILLOW", interest: "travel", subZH: "舒适", subEN: "Comfort", brand: "Wayfarer",
		titleZH: "记忆棉U型枕", titleEN: "Memory Foam Travel Pillow",
		cny: 99, usd: 29,
		pointsZH: []string{"慢回弹记忆棉", "可收纳", "可拆洗"},
		pointsEN: []string{"Slow-rebound memory foam", "Packs small", "Washable cover"},
		descZH:   "慢回弹记忆棉U型枕，长途飞行也能睡个好觉",
		descEN:   "A memory-foam neck pillow that makes a long flight restful.",
		tags:     []string{"comfort", "flight"}, pop: 1.2},
	{code: "TRAVEL-ADAPTER", interest: "travel", subZH: "电器", subEN: "Adapters", brand: "Voltra",
		titleZH: "全球通用转换插头", titleEN: "Universal Travel Adapter",
		cny: 129, usd: 29,
		pointsZH: []string{"覆盖150+国家", "4口USB", "保险丝保护"},
		pointsEN: []string{"Works in 150+ countries", "4 USB ports", "Fuse protected"},
		descZH:   "一个插头走遍150多个国家，还能同时给四台设备充电",
		descEN:   "One adapter for 150+ countries that charges four devices at once.",
		tags:     []string{"adapter", "travel"}, pop: 1.3},
	{code: "TRAVEL-PASSPORT", interest: "travel", subZH: "收纳", subEN: "Organisers", brand: "Wayfarer",
		titleZH: "RFID防盗护照包", titleEN: "RFID Passport Wallet",
		cny: 79, usd: 25,
		pointsZH: []string{"RFID屏蔽", "多卡位", "轻薄"},
		pointsEN: []string{"RFID blocking", "Card slots", "Slim"},
		descZH:   "RFID屏蔽护照包，证件卡片机票一处收好",
		descEN:   "An RFID-blocking wallet for passport, cards and boarding pass.",
		tags:     []string{"organiser", "security"}, pop: 1, out: true},

	// Outdoor.
	{code: "OUT-TENT2", interest: "outdoor", subZH: "露营", subEN: "Camping", brand: "Ridgeline",
		titleZH: "双人轻量帐篷", titleEN: "Two-person Lightweight Tent",
		cny: 1299, usd: 229,
		pointsZH: []string{"1.6kg轻量", "双层防雨", "三分钟速搭"},
		pointsEN: []string{"1.6 kg", "Double-wall rainfly", "Pitches in three minutes"},
		descZH:   "1.6kg双人轻量帐篷，双层防雨，三分钟就能搭好",
		descEN:   "A 1.6 kg two-person tent with a double-wall fly that pitches in three minutes.",
		tags:     []string{"camping", "lightweight"}, pop: 1},
	{code: "OUT-CHAIR", interest: "outdoor", subZH: "露营", subEN: "Camping", brand: "Ridgeline",
		titleZH: "折叠月亮椅", titleEN: "Folding Camp Chair",
		cny: 199, usd: 49,
		pointsZH: []string{"铝合金骨架", "承重120kg", "收纳小巧"},
		pointsEN: []string{"Aluminium frame", "Holds 120 kg", "Packs small"},
		descZH:   "铝合金折叠月亮椅，露营野餐坐得舒服",
		descEN:   "An aluminium folding chair for camping and picnics.",
		tags:     []string{"camping", "picnic"}, pop: 1.5},
	{code: "OUT-HYDRO", interest: "outdoor", subZH: "徒步", subEN: "Hiking", brand: "Ridgeline",
		titleZH: "徒步水袋背包 18L", titleEN: "Hiking Hydration Pack 18L",
		cny: 329, usd: 69,
		pointsZH: []string{"2L水袋", "透气背板", "反光条"},
		pointsEN: []string{"2 L reservoir", "Ventilated back", "Reflective trim"},
		descZH:   "18L徒步背包配2L水袋，透气背板，爬山不闷汗",
		descEN:   "An 18 L day pack with a 2 L reservoir and a ventilated back panel.",
		tags:     []string{"hiking", "backpack"}, pop: 1},
	{code: "OUT-LANTERN", interest: "outdoor", subZH: "露营", subEN: "Camping", brand: "Ridgeline",
		titleZH: "复古露营灯", titleEN: "Rechargeable Camp Lantern",
		cny: 159, usd: 39,
		pointsZH: []string{"三档调光", "续航20小时", "可当充电宝"},
		pointsEN: []string{"Three brightness levels", "20 h battery", "Doubles as a power bank"},
		descZH:   "复古造型露营灯，暖光三档可调，续航20小时",
		descEN:   "A rechargeable lantern with warm light, three levels and 20 hours of battery.",
		tags:     []string{"camping", "light"}, pop: 1.2},
	{code: "OUT-JACKET", interest: "outdoor", subZH: "服装", subEN: "Apparel", brand: "Ridgeline",
		titleZH: "三合一冲锋衣", titleEN: "3-in-1 Shell Jacket",
		cny: 799, usd: 179,
		pointsZH: []string{"防水透气", "可拆抓绒内胆", "防风帽檐"},
		pointsEN: []string{"Waterproof and breathable", "Removable fleece", "Storm hood"},
		descZH:   "防水透气三合一冲锋衣，抓绒内胆可拆，春秋冬都能穿",
		descEN:   "A waterproof, breathable 3-in-1 shell with a removable fleece for three seasons.",
		tags:     []string{"apparel", "waterproof"}, pop: 1.2},
	{code: "OUT-POLES", interest: "outdoor", subZH: "徒步", subEN: "Hiking", brand: "Ridgeline",
		titleZH: "碳素登山杖（一对）", titleEN: "Carbon Trekking Poles (Pair)",
		cny: 269, usd: 59,
		pointsZH: []string{"碳素杆身", "快锁调节", "软木握把"},
		pointsEN: []string{"Carbon shafts", "Flick locks", "Cork grips"},
		descZH:   "碳素登山杖，快锁调节，长距离徒步省力护膝",
		descEN:   "Carbon trekking poles with flick locks and cork grips that spare your knees.",
		tags:     []string{"hiking"}, pop: 0.8},

	// Fashion.
	{code: "FASH-TOTE", interest: "fashion", subZH: "包袋", subEN: "Bags", brand: "Maison Lin",
		titleZH: "极简通勤托特包", titleEN: "Minimal Work Tote",
		cny: 599, usd: 129,
		pointsZH: []string{"头层牛皮", "可放14寸电脑", "极简设计"},
		pointsEN: []string{"Full-grain leather", "Fits a 14-inch laptop", "Minimal design"},
		descZH:   "极简设计的头层牛皮托特包，通勤装得下电脑，周末也好搭",
		descEN:   "A minimal full-grain leather tote that fits a laptop for work and works for weekends too.",
		tags:     []string{"bag", "leather", "work"}, pop: 1.5},
	{code: "FASH-CROSSBODY", interest: "fashion", subZH: "包袋", subEN: "Bags", brand: "Maison Lin",
		titleZH: "链条斜挎小方包", titleEN: "Chain Crossbody Bag",
		cny: 399, usd: 89,
		pointsZH: []string{"金属链条", "多色可选", "小巧百搭"},
		pointsEN: []string{"Metal chain strap", "Several colours", "Goes with everything"},
		descZH:   "金属链条斜挎小方包，约会逛街都百搭",
		descEN:   "A small crossbody with a chain strap that goes with everything.",
		tags:     []string{"bag", "gift"}, pop: 1.3},
	{code: "FASH-SCARF", interest: "fashion", subZH: "配饰", subEN: "Accessories", brand: "Maison Lin",
		titleZH: "桑蚕丝方巾", titleEN: "Silk Square Scarf",
		cny: 299, usd: 69,
		pointsZH: []string{"100%桑蚕丝", "手工卷边", "礼盒包装"},
		pointsEN: []string{"100% mulberry silk", "Hand-rolled edges", "Gift box"},
		descZH:   "手工卷边的桑蚕丝方巾，可系颈可绑包，送礼体面",
		descEN:   "A hand-rolled mulberry silk scarf for the neck or the bag handle; a graceful gift.",
		tags:     []string{"accessory", "gift", "silk"}, pop: 1},
	{code: "FASH-SNEAKER", interest: "fashion", subZH: "鞋履", subEN: "Shoes", brand: "Stride",
		titleZH: "百搭小白鞋", titleEN: "Classic White Sneakers",
		cny: 459, usd: 95,
		pointsZH: []string{"软牛皮", "轻量缓震", "百搭"},
		pointsEN: []string{"Soft leather", "Cushioned and light", "Goes with everything"},
		descZH:   "软牛皮小白鞋，轻量缓震，通勤旅行都舒服",
		descEN:   "Soft leather white sneakers, light and cushioned for commutes and travel.",
		tags:     []string{"shoes"}, pop: 1.5},
	{code: "FASH-SUNGLASS", interest: "fashion", subZH: "配饰", subEN: "Accessories", brand: "Maison Lin",
		titleZH: "偏光太阳镜", titleEN: "Polarised Sunglasses",
		cny: 329, usd: 79,
		pointsZH: []string{"偏光防眩光", "UV400", "轻盈镜框"},
		pointsEN: []string{"Polarised lenses", "UV400", "Light frame"},
		descZH:   "偏光防眩光太阳镜，UV400防护，海边自驾都适合",
		descEN:   "Polarised, UV400 sunglasses for beaches and road trips.",
		tags:     []string{"accessory", "summer"}, pop: 1},
	{code: "FASH-CARDIGAN", interest: "fashion", subZH: "服装", subEN: "Clothing", brand: "Maison Lin",
		titleZH: "羊毛针织开衫", titleEN: "Merino Cardigan",
		cny: 699, usd: 139,
		pointsZH: []string{"美利奴羊毛", "亲肤不扎", "可机洗"},
		pointsEN: []string{"Merino wool", "Soft, never itchy", "Machine washable"},
		descZH:   "美利奴羊毛针织开衫，亲肤不扎，秋冬叠穿好看",
		descEN:   "A soft merino cardigan for layering through autumn and winter.",
		tags:     []string{"clothing", "wool", "autumn"}, pop: 1},
	{code: "FASH-BELT", interest: "fashion", subZH: "配饰", subEN: "Accessories", brand: "Maison Lin",
		titleZH: "头层牛皮腰带", titleEN: "Leather Belt",
		cny: 199, usd: 49,
		pointsZH: []string{"头层牛皮", "合金扣", "可裁剪长度"},
		pointsEN: []string{"Full-grain leather", "Alloy buckle", "Trim to fit"},
		descZH:   "头层牛皮腰带，可自行裁剪长度",
		descEN:   "A full-grain leather belt you can trim to fit.",
		tags:     []string{"accessory", "leather"}, pop: 0.6, inactive: true},

	// Beauty, including refills that are bought again.
	{code: "BEAUTY-SERUM", interest: "beauty", subZH: "护肤", subEN: "Skincare", brand: "Aurora Lab",
		titleZH: "玻尿酸保湿精华 30ml", titleEN: "Hyaluronic Hydrating Serum 30ml",
		cny: 269, usd: 42,
		pointsZH: []string{"多重玻尿酸", "清爽不粘", "敏感肌可用"},
		pointsEN: []string{"Multi-weight hyaluronic acid", "Light, never sticky", "Suitable for sensitive skin"},
		descZH:   "多重玻尿酸保湿精华，质地清爽，敏感肌也能用",
		descEN:   "A light, non-sticky hydrating serum with hyaluronic acid, suitable for sensitive skin.",
		tags:     []string{"skincare", "hydrating"}, consumable: true, pop: 2},
	{code: "BEAUTY-REFILL", interest: "beauty", subZH: "护肤", subEN: "Skincare", brand: "Aurora Lab",
		titleZH: "保湿面霜替换装 50ml", titleEN: "Moisturiser Refill 50ml",
		cny: 199, usd: 32,
		pointsZH: []string{"替换装更环保", "神经酰胺", "温和无香"},
		pointsEN: []string{"Refill pod, less packaging", "Ceramides", "Fragrance-free"},
		descZH:   "神经酰胺保湿面霜替换装，温和无香，少用一个瓶子",
		descEN:   "A fragrance-free ceramide moisturiser refill pod that saves a jar each time.",
		tags:     []string{"skincare", "refill"}, consumable: true, pop: 2},
	{code: "BEAUTY-SUNSCREEN", interest: "beauty", subZH: "防晒", subEN: "Sun Care", brand: "Aurora Lab",
		titleZH: "轻薄防晒乳 SPF50", titleEN: "Daily Sunscreen SPF50",
		cny: 159, usd: 28,
		pointsZH: []string{"SPF50 PA++++", "轻薄不油腻", "可作妆前"},
		pointsEN: []string{"SPF50 broad spectrum", "Light, never greasy", "Works under make-up"},
		descZH:   "SPF50轻薄防晒乳，不油不闷，可作妆前打底",
		descEN:   "A light SPF50 sunscreen that sits well under make-up.",
		tags:     []string{"suncare", "summer"}, consumable: true, pop: 1.5},
	{code: "BEAUTY-LIPSTICK", interest: "beauty", subZH: "彩妆", subEN: "Make-up", brand: "Aurora Lab",
		titleZH: "丝绒哑光口红", titleEN: "Velvet Matte Lipstick",
		cny: 199, usd: 26,
		pointsZH: []string{"丝绒哑光", "持久不拔干", "六色可选"},
		pointsEN: []string{"Velvet matte", "Long-wearing and comfortable", "Six shades"},
		descZH:   "丝绒哑光口红，持妆不拔干",
		descEN:   "A velvet matte lipstick that lasts without drying.",
		tags:     []string{"makeup", "gift"}, pop: 1.3},
	{code: "BEAUTY-MASK", interest: "beauty", subZH: "护肤", subEN: "Skincare", brand: "Aurora Lab",
		titleZH: "补水面膜（10片装）", titleEN: "Hydrating Sheet Masks (10-pack)",
		cny: 99, usd: 24,
		pointsZH: []string{"10片装", "天丝膜布", "密集补水"},
		pointsEN: []string{"Pack of 10", "Soft lyocell sheet", "Intense hydration"},
		descZH:   "天丝膜布补水面膜，十片装，熬夜后急救",
		descEN:   "Ten soft sheet masks for a quick hydration boost.",
		tags:     []string{"skincare", "mask"}, consumable: true, pop: 1.5},
	{code: "BEAUTY-CLEANSER", interest: "beauty", subZH: "护肤", subEN: "Skincare", brand: "Aurora Lab",
		titleZH: "氨基酸洁面乳", titleEN: "Gentle Amino Cleanser",
		cny: 119, usd: 19,
		pointsZH: []string{"氨基酸表活", "温和不紧绷", "弱酸性"},
		pointsEN: []string{"Amino-acid surfactants", "Never tight", "pH balanced"},
		descZH:   "氨基酸洁面乳，洗后不紧绷，早晚都能用",
		descEN:   "A gentle amino-acid cleanser that leaves skin comfortable, morning and night.",
		tags:     []string{"skincare"}, consumable: true, pop: 1.2},

	// Home.
	{code: "HOME-DIFFUSER", interest: "home", subZH: "香薰", subEN: "Fragrance", brand: "Nest & Co",
		titleZH: "无火香薰藤条", titleEN: "Reed Diffuser",
		cny: 169, usd: 38,
		pointsZH: []string{"天然精油", "持香60天", "无火安全"},
		pointsEN: []string{"Natural essential oils", "Lasts 60 days", "Flame-free"},
		descZH:   "天然精油无火香薰，持香约60天，卧室客厅都适合",
		descEN:   "A flame-free reed diffuser with natural oils that scents a room for about 60 days.",
		tags:     []string{"fragrance", "gift"}, consumable: true, pop: 1.3},
	{code: "HOME-THROW", interest: "home", subZH: "布艺", subEN: "Textiles", brand: "Nest & Co",
		titleZH: "华夫格盖毯", titleEN: "Waffle Knit Throw",
		cny: 259, usd: 59,
		pointsZH: []string{"纯棉", "柔软透气", "可机洗"},
		pointsEN: []string{"Pure cotton", "Soft and breathable", "Machine washable"},
		descZH:   "纯棉华夫格盖毯，沙发午睡刚刚好",
		descEN:   "A pure cotton waffle throw for the sofa.",
		tags:     []string{"textiles", "autumn"}, pop: 1},
	{code: "HOME-LAMP", interest: "home", subZH: "灯具", subEN: "Lighting", brand: "Nest & Co",
		titleZH: "护眼台灯", titleEN: "Eye-care Desk Lamp",
		cny: 299, usd: 65,
		pointsZH: []string{"无频闪", "三档色温", "触控调光"},
		pointsEN: []string{"Flicker-free", "Three colour temperatures", "Touch dimming"},
		descZH:   "无频闪护眼台灯，三档色温，看书办公都舒服",
		descEN:   "A flicker-free desk lamp with three colour temperatures for reading and work.",
		tags:     []string{"lighting", "work"}, pop: 1},
	{code: "HOME-MUG", interest: "home", subZH: "餐厨", subEN: "Kitchen", brand: "Nest & Co",
		titleZH: "手作陶瓷马克杯", titleEN: "Handmade Ceramic Mug",
		cny: 89, usd: 24,
		pointsZH: []string{"手工拉坯", "可进微波炉", "每只纹理不同"},
		pointsEN: []string{"Wheel-thrown", "Microwave safe", "Every glaze unique"},
		descZH:   "手工拉坯陶瓷马克杯，每一只釉色都独一无二",
		descEN:   "A wheel-thrown ceramic mug; no two glazes are the same.",
		tags:     []string{"kitchen", "gift"}, pop: 1.3},
	{code: "HOME-CANDLE", interest: "home", subZH: "香薰", subEN: "Fragrance", brand: "Nest & Co",
		titleZH: "大豆蜡香薰蜡烛", titleEN: "Soy Wax Candle",
		cny: 129, usd: 32,
		pointsZH: []string{"天然大豆蜡", "木芯噼啪声", "燃烧40小时"},
		pointsEN: []string{"Natural soy wax", "Crackling wood wick", "40-hour burn"},
		descZH:   "天然大豆蜡香薰蜡烛，木芯燃烧有噼啪声",
		descEN:   "A natural soy candle with a crackling wooden wick.",
		tags:     []string{"fragrance", "gift", "winter"}, consumable: true, pop: 1.2},

	// Tech accessories.
	{code: "TECH-POWERBANK", interest: "tech", subZH: "配件", subEN: "Accessories", brand: "Voltra",
		titleZH: "20000mAh快充移动电源", titleEN: "20,000 mAh Fast-charge Power Bank",
		cny: 199, usd: 45,
		pointsZH: []string{"65W快充", "可充笔记本", "可带上飞机"},
		pointsEN: []string{"65 W fast charging", "Charges laptops", "Flight-safe capacity"},
		descZH:   "65W快充移动电源，能给笔记本充电，可随身带上飞机",
		descEN:   "A 65 W power bank that charges laptops and is allowed in cabin baggage.",
		tags:     []string{"charging", "travel"}, pop: 2},
	{code: "TECH-EARBUDS", interest: "tech", subZH: "音频", subEN: "Audio", brand: "Voltra",
		titleZH: "降噪真无线耳机", titleEN: "Noise-cancelling Earbuds",
		cny: 599, usd: 129,
		pointsZH: []string{"主动降噪", "续航30小时", "多设备切换"},
		pointsEN: []string{"Active noise cancelling", "30 h with case", "Multipoint"},
		descZH:   "主动降噪真无线耳机，通勤和飞机上都安静",
		descEN:   "Noise-cancelling earbuds for quiet commutes and flights.",
		tags:     []string{"audio", "travel"}, pop: 1.5},
	{code: "TECH-CHARGER", interest: "tech", subZH: "配件", subEN: "Accessories", brand: "Voltra",
		titleZH: "氮化镓三口充电器 65W", titleEN: "65W GaN Charger (3 ports)",
		cny: 149, usd: 39,
		pointsZH: []string{"氮化镓小体积", "三口同充", "折叠插脚"},
		pointsEN: []string{"Compact GaN", "Three ports at once", "Folding prongs"},
		descZH:   "氮化镓三口充电器，一个头充手机、平板和电脑",
		descEN:   "One compact GaN charger for phone, tablet and laptop.",
		tags:     []string{"charging"}, pop: 1.5},
	{code: "TECH-CABLE", interest: "tech", subZH: "配件", subEN: "Accessories", brand: "Voltra",
		titleZH: "编织快充数据线（2条装）", titleEN: "Braided USB-C Cables (2-pack)",
		cny: 49, usd: 15,
		pointsZH: []string{"尼龙编织", "100W快充", "2条装"},
		pointsEN: []string{"Braided nylon", "100 W", "Pack of 2"},
		descZH:   "尼龙编织快充线，耐弯折，两条装",
		descEN:   "Two braided USB-C cables rated for 100 W.",
		tags:     []string{"charging", "consumable"}, consumable: true, pop: 1.5},
	{code: "TECH-STAND", interest: "tech", subZH: "办公", subEN: "Desk", brand: "Voltra",
		titleZH: "铝合金笔记本支架", titleEN: "Aluminium Laptop Stand",
		cny: 159, usd: 39,
		pointsZH: []string{"铝合金", "六档调节", "折叠便携"},
		pointsEN: []string{"Aluminium", "Six heights", "Folds flat"},
		descZH:   "铝合金笔记本支架，抬高屏幕缓解颈椎压力",
		descEN:   "An aluminium stand that lifts your screen and spares your neck.",
		tags:     []string{"desk", "work"}, pop: 1, out: true},
	{code: "TECH-TRACKER", interest: "tech", subZH: "配件", subEN: "Accessories", brand: "Voltra",
		titleZH: "蓝牙防丢器（4只装）", titleEN: "Bluetooth Item Trackers (4-pack)",
		cny: 199, usd: 49,
		pointsZH: []string{"手机查找", "超长续航", "行李钥匙通用"},
		pointsEN: []string{"Find with your phone", "Year-long battery", "For keys and luggage"},
		descZH:   "蓝牙防丢器，钥匙、行李、相机包都能挂",
		descEN:   "Trackers for keys, luggage and camera bags.",
		tags:     []string{"travel", "security"}, pop: 1},

	// Food & drink consumables.
	{code: "FOOD-COFFEE", interest: "food", subZH: "咖啡", subEN: "Coffee", brand: "Bean Theory",
		titleZH: "云南小粒咖啡豆 454g", titleEN: "Single-origin Coffee Beans 454g",
		cny: 88, usd: 18,
		pointsZH: []string{"中度烘焙", "当周新鲜烘焙", "坚果巧克力风味"},
		pointsEN: []string{"Medium roast", "Roasted this week", "Nutty, chocolate notes"},
		descZH:   "云南小粒咖啡豆，中度烘焙，坚果与巧克力风味",
		descEN:   "Medium-roast single-origin beans with nutty, chocolate notes, roasted weekly.",
		tags:     []string{"coffee", "consumable"}, consumable: true, pop: 3},
	{code: "FOOD-DRIP", interest: "food", subZH: "咖啡", subEN: "Coffee", brand: "Bean Theory",
		titleZH: "挂耳咖啡（20包）", titleEN: "Drip Coffee Bags (20)",
		cny: 59, usd: 16,
		pointsZH: []string{"独立包装", "热水即冲", "办公旅行都方便"},
		pointsEN: []string{"Individually sealed", "Just add hot water", "For office and travel"},
		descZH:   "挂耳咖啡二十包，热水一冲就是一杯手冲",
		descEN:   "Twenty drip bags: a pour-over anywhere with hot water.",
		tags:     []string{"coffee", "travel", "consumable"}, consumable: true, pop: 2.5},
	{code: "FOOD-TEA", interest: "food", subZH: "茶饮", subEN: "Tea", brand: "Bean Theory",
		titleZH: "明前龙井 100g", titleEN: "Longjing Green Tea 100g",
		cny: 168, usd: 29,
		pointsZH: []string{"明前采摘", "罐装密封", "豆香清新"},
		pointsEN: []string{"Spring harvest", "Sealed tin", "Fresh, nutty aroma"},
		descZH:   "明前龙井，豆香清新，罐装密封保鲜",
		descEN:   "Spring-harvest Longjing green tea in a sealed tin.",
		tags:     []string{"tea", "gift", "consumable"}, consumable: true, pop: 1.2},
	{code: "FOOD-NUTS", interest: "food", subZH: "零食", subEN: "Snacks", brand: "Bean Theory",
		titleZH: "每日坚果（30包）", titleEN: "Daily Mixed Nuts (30 packs)",
		cny: 129, usd: 29,
		pointsZH: []string{"六种坚果果干", "独立小包", "无添加糖"},
		pointsEN: []string{"Six nuts and fruits", "Single-serve packs", "No added sugar"},
		descZH:   "每日坚果三十包，独立小包，无添加糖",
		descEN:   "Thirty single-serve packs of mixed nuts and fruit with no added sugar.",
		tags:     []string{"snacks", "consumable"}, consumable: true, pop: 1.5},
	{code: "FOOD-GRINDER", interest: "food", subZH: "咖啡", subEN: "Coffee", brand: "Bean Theory",
		titleZH: "手摇磨豆机", titleEN: "Hand Coffee Grinder",
		cny: 239, usd: 55,
		pointsZH: []string{"不锈钢磨芯", "粗细可调", "便携"},
		pointsEN: []string{"Steel burrs", "Adjustable grind", "Portable"},
		descZH:   "不锈钢磨芯手摇磨豆机，露营出差都能现磨",
		descEN:   "A portable steel-burr grinder for fresh coffee at camp or on a trip.",
		tags:     []string{"coffee", "travel"}, pop: 0.8},

	// Fitness.
	{code: "FIT-MAT", interest: "fitness", subZH: "瑜伽", subEN: "Yoga", brand: "Pulse",
		titleZH: "天然橡胶瑜伽垫", titleEN: "Natural Rubber Yoga Mat",
		cny: 299, usd: 69,
		pointsZH: []string{"天然橡胶", "防滑", "体位线"},
		pointsEN: []string{"Natural rubber", "Non-slip", "Alignment lines"},
		descZH:   "天然橡胶瑜伽垫，出汗也防滑，带体位线",
		descEN:   "A natural rubber mat that grips even when you sweat, with alignment lines.",
		tags:     []string{"yoga"}, pop: 1.3},
	{code: "FIT-BANDS", interest: "fitness", subZH: "训练", subEN: "Training", brand: "Pulse",
		titleZH: "弹力阻力带套装", titleEN: "Resistance Band Set",
		cny: 79, usd: 25,
		pointsZH: []string{"五档阻力", "乳胶材质", "附收纳袋"},
		pointsEN: []string{"Five resistance levels", "Latex", "Carry pouch"},
		descZH:   "五档阻力带套装，在家在酒店都能练",
		descEN:   "Five resistance bands for training at home or in a hotel room.",
		tags:     []string{"training", "travel"}, pop: 1.2},
	{code: "FIT-BOTTLE", interest: "fitness", subZH: "装备", subEN: "Gear", brand: "Pulse",
		titleZH: "保温运动水杯 750ml", titleEN: "Insulated Sports Bottle 750ml",
		cny: 129, usd: 32,
		pointsZH: []string{"双层真空", "保冷24小时", "防漏"},
		pointsEN: []string{"Double-wall vacuum", "Cold for 24 hours", "Leak-proof"},
		descZH:   "双层真空运动水杯，保冷24小时，防漏",
		descEN:   "A double-wall bottle that keeps drinks cold for 24 hours.",
		tags:     []string{"hydration", "outdoor"}, pop: 1.5},
	{code: "FIT-PROTEIN", interest: "fitness", subZH: "营养", subEN: "Nutrition", brand: "Pulse",
		titleZH: "乳清蛋白粉 1kg", titleEN: "Whey Protein 1kg",
		cny: 239, usd: 45,
		pointsZH: []string{"每份24g蛋白", "易溶解", "可可味"},
		pointsEN: []string{"24 g protein per serving", "Mixes easily", "Cocoa flavour"},
		descZH:   "乳清蛋白粉，每份24克蛋白，训练后补充",
		descEN:   "Whey protein with 24 g per serving for after training.",
		tags:     []string{"nutrition", "consumable"}, consumable: true, pop: 1.3},

	// Baby & kids.
	{code: "BABY-CARRIER", interest: "parenting", subZH: "出行", subEN: "On the Go", brand: "Little Nest",
		titleZH: "婴儿腰凳背带", titleEN: "Ergonomic Baby Carrier",
		cny: 459, usd: 119,
		pointsZH: []string{"人体工学", "透气网布", "0-36个月"},
		pointsEN: []string{"Ergonomic hip seat", "Breathable mesh", "0 to 36 months"},
		descZH:   "人体工学腰凳背带，透气网布，带娃出门不累腰",
		descEN:   "An ergonomic carrier with breathable mesh that spares your back.",
		tags:     []string{"carrier", "travel"}, pop: 1},
	{code: "BABY-DIAPERBAG", interest: "parenting", subZH: "出行", subEN: "On the Go", brand: "Little Nest",
		titleZH: "多功能妈咪包", titleEN: "Diaper Backpack",
		cny: 299, usd: 69,
		pointsZH: []string{"保温奶瓶袋", "防水隔层", "可挂推车"},
		pointsEN: []string{"Insulated bottle pockets", "Wipe-clean lining", "Stroller straps"},
		descZH:   "多功能妈咪包，保温奶瓶袋加防水隔层，可挂推车",
		descEN:   "A diaper backpack with insulated bottle pockets that clips to a stroller.",
		tags:     []string{"bag", "travel"}, pop: 1},
	{code: "BABY-WIPES", interest: "parenting", subZH: "洗护", subEN: "Care", brand: "Little Nest",
		titleZH: "婴儿湿巾（12包）", titleEN: "Baby Wipes (12 packs)",
		cny: 69, usd: 22,
		pointsZH: []string{"99%纯水", "无香无酒精", "加厚"},
		pointsEN: []string{"99% water", "Fragrance- and alcohol-free", "Thick"},
		descZH:   "99%纯水婴儿湿巾，无香无酒精，十二包囤货装",
		descEN:   "Thick baby wipes, 99% water, no fragrance or alcohol; twelve packs.",
		tags:     []string{"care", "consumable"}, consumable: true, pop: 2},
	{code: "BABY-BOOKS", interest: "parenting", subZH: "玩具", subEN: "Toys", brand: "Little Nest",
		titleZH: "婴儿布书套装", titleEN: "Soft Cloth Books (Set of 4)",
		cny: 89, usd: 25,
		pointsZH: []string{"可咬可洗", "黑白彩色卡", "沙沙纸声"},
		pointsEN: []string{"Chewable and washable", "High-contrast pages", "Crinkle sounds"},
		descZH:   "可咬可洗的婴儿布书，黑白彩色配色促进视觉发育",
		descEN:   "Washable cloth books with high-contrast pages and crinkle sounds.",
		tags:     []string{"toys", "gift"}, pop: 1},
}

// Product language and currency per shop language.
const (
	LangZH = customer.Chinese
	LangEN = customer.English
)

// skuPrefix distinguishes the zh (CNY) and en (USD) listing of one model.
var skuPrefix = map[string]string{LangZH: "CN-", LangEN: "US-"}

// productSKU is the SKU of model m in language lang.
func productSKU(m model, lang string) string { return skuPrefix[lang] + m.code }

// buildCatalog turns models into products. Stock is deterministic: it
// depends on the seed so that different seeds give different shops.
func buildCatalog(rng func(string) *rand.Rand, end time.Time) []catalog.Product {
	out := make([]catalog.Product, 0, 2*len(models))
	for _, lang := range []string{LangZH, LangEN} {
		for i, m := range models {
			r := rng("stock/" + lang + "/" + m.code)
			p := catalog.Product{
				SKU:      productSKU(m, lang),
				Brand:    m.brand,
				Language: lang,
				Tags:     append([]string(nil), m.tags...),
				Active:   !m.inactive,
				// Products were listed over the first weeks of the shop, oldest first.
				CreatedAt: end.AddDate(-1, 0, 0).Add(-time.Duration(len(models)-i) * 36 * time.Hour).Truncate(time.Second),
			}
			slug := strings.ToLower(m.code)
			if lang == LangZH {
				p.Title, p.Description = m.titleZH, m.descZH
				p.Category = topCategory(m.interest, lang) + catalog.CategorySep + m.subZH
				p.Price, p.Currency = m.cny, "CNY"
				p.SellingPoints = append([]string(nil), m.pointsZH...)
				p.URL = fmt.Sprintf("https://shop.example.com/zh/p/%s", slug)
			} else {
				p.Title, p.Description = m.titleEN, m.descEN
				p.Category = topCategory(m.interest, lang) + catalog.CategorySep + m.subEN
				p.Price, p.Currency = m.usd, "USD"
				p.SellingPoints = append([]string(nil), m.pointsEN...)
				p.URL = fmt.Sprintf("https://shop.example.com/en/p/%s", slug)
			}
			p.ImageURL = fmt.Sprintf("https://img.example.com/products/%s.jpg", slug)
			switch {
			case m.out:
				p.Stock = 0
			case m.inactive:
				p.Stock = r.IntN(5)
			case m.consumable:
				p.Stock = 200 + r.IntN(800)
			default:
				p.Stock = 15 + r.IntN(180)
			}
			out = append(out, p)
		}
	}
	return out
}
