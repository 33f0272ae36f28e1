package lexicon

import (
	"slices"
	"strings"
	"unicode"
)

// Families group kinds for the writer's phrase banks: a benefit worded
// for clothing ("stays cool when worn all day") is never used for a
// blanket.
const (
	FamBag        = "bag"
	FamApparel    = "apparel"
	FamShoes      = "shoes"
	FamAccessory  = "accessory"
	FamJewellery  = "jewellery"
	FamBeauty     = "beauty"
	FamTextile    = "textile"
	FamDecor      = "decor"
	FamLight      = "light"
	FamTableware  = "tableware"
	FamBaking     = "baking"
	FamFood       = "food"
	FamDrink      = "drink"
	FamTech       = "tech"
	FamPhoto      = "photo"
	FamTravel     = "travel"
	FamOutdoor    = "outdoor"
	FamFitness    = "fitness"
	FamBaby       = "baby"
	FamStationery = "stationery"
	FamToy        = "toy"
	FamParty      = "party"
	FamWarmer     = "warmer"
	FamStorage    = "storage"
	FamKitchen    = "kitchen"
	FamTool       = "tool"
	FamGeneral    = "general"
)

// Kind is what a product is, as copy needs to know it.
type Kind struct {
	Key string
	// ZH are substrings of a Chinese title or category naming the kind;
	// EN are English words or phrases, matched as whole words in a title
	// or category (a plural -s/-es/-ies is accepted).
	ZH, EN []string
	// NounZH and NounEN are how copy refers to the product once it is
	// named (这条盖毯 / "the throw"); empty: the words that matched.
	NounZH, NounEN string
	// Measure are the zh measure words (量词) that fit one item, the first
	// preferred. 款 (a model, a style) fits every product.
	Measure []string
	Family  string
	// Interests are the interest keys the kind serves (their broader
	// interests too, see Interest.Parent).
	Interests []string
	// Consumable kinds are bought again when used up.
	Consumable bool
	// Seasons are the seasons the kind is for ("summer", "winter");
	// empty means all year.
	Seasons []string
	// Gift kinds are natural presents.
	Gift bool
}

// kinds is the kind table: the demo catalog's products and the usual
// lines of gift, home, fashion, beauty, food and tech shops. A product
// matching none is the general kind, which any measure word fits.
var kinds = []Kind{
	// photography
	{Key: "camera_bag", ZH: []string{"相机包", "摄影背包", "相机内胆", "摄影包"}, EN: []string{"camera bag", "camera backpack", "sling bag", "camera insert"}, NounZH: "相机包", Measure: []string{"只", "个"}, Family: FamBag, Interests: []string{"photography", "travel"}, Gift: true},
	{Key: "camera_strap", ZH: []string{"相机背带", "相机肩带", "肩带"}, EN: []string{"camera strap", "shoulder strap"}, NounZH: "背带", Measure: []string{"条", "根"}, Family: FamPhoto, Interests: []string{"photography"}, Gift: true},
	{Key: "tripod", ZH: []string{"三脚架"}, EN: []string{"tripod"}, NounZH: "三脚架", Measure: []string{"个", "支"}, Family: FamPhoto, Interests: []string{"photography", "travel"}},
	{Key: "lens_cloth", ZH: []string{"镜头布"}, EN: []string{"lens cloth"}, NounZH: "镜头布", Measure: []string{"片", "块", "包"}, Family: FamPhoto, Interests: []string{"photography"}, Consumable: true},
	{Key: "cleaning_kit", ZH: []string{"清洁套装"}, EN: []string{"cleaning kit"}, NounZH: "清洁套装", Measure: []string{"套"}, Family: FamPhoto, Interests: []string{"photography"}},
	{Key: "memory_card", ZH: []string{"存储卡", "内存卡", "SD卡"}, EN: []string{"sd card", "memory card"}, NounZH: "存储卡", Measure: []string{"张"}, Family: FamTech, Interests: []string{"photography", "tech"}},
	{Key: "lens_filter", ZH: []string{"减光镜", "滤镜"}, EN: []string{"nd filter", "lens filter"}, NounZH: "滤镜", Measure: []string{"片", "块", "个"}, Family: FamPhoto, Interests: []string{"photography"}},
	// travel
	{Key: "organiser", ZH: []string{"收纳袋", "收纳包", "护照包", "洗漱包"}, EN: []string{"packing cube", "organiser pouch", "organiser", "passport wallet", "wash bag", "washbag"}, NounZH: "收纳包", Measure: []string{"个", "只"}, Family: FamTravel, Interests: []string{"travel"}},
	{Key: "luggage", ZH: []string{"登机箱", "行李箱", "旅行袋", "旅行箱"}, EN: []string{"carry-on", "spinner", "suitcase", "weekender", "holdall"}, NounZH: "箱包", Measure: []string{"只", "个"}, Family: FamTravel, Interests: []string{"travel"}},
	{Key: "travel_pillow", ZH: []string{"U型枕", "颈枕"}, EN: []string{"travel pillow", "neck pillow"}, NounZH: "U型枕", Measure: []string{"个", "只"}, Family: FamTravel, Interests: []string{"travel"}},
	{Key: "travel_adapter", ZH: []string{"转换插头"}, EN: []string{"travel adapter", "adapter"}, NounZH: "转换插头", Measure: []string{"个", "只"}, Family: FamTech, Interests: []string{"travel", "tech"}},
	// outdoor
	{Key: "tent", ZH: []string{"帐篷"}, EN: []string{"tent"}, NounZH: "帐篷", Measure: []string{"顶"}, Family: FamOutdoor, Interests: []string{"camping", "travel"}},
	{Key: "camp_chair", ZH: []string{"月亮椅", "折叠椅", "露营椅"}, EN: []string{"camp chair", "folding chair"}, NounZH: "椅子", Measure: []string{"把", "张"}, Family: FamOutdoor, Interests: []string{"camping"}},
	{Key: "hydration_pack", ZH: []string{"水袋背包"}, EN: []string{"hydration pack"}, NounZH: "背包", Measure: []string{"个", "只"}, Family: FamOutdoor, Interests: []string{"hiking", "running", "cycling"}},
	{Key: "camp_lantern", ZH: []string{"露营灯", "营地灯"}, EN: []string{"camp lantern"}, NounZH: "露营灯", Measure: []string{"盏", "个", "只"}, Family: FamOutdoor, Interests: []string{"camping"}},
	{Key: "shell_jacket", ZH: []string{"冲锋衣"}, EN: []string{"shell jacket"}, NounZH: "冲锋衣", Measure: []string{"件"}, Family: FamApparel, Interests: []string{"hiking", "outdoor", "travel"}, Seasons: []string{"autumn", "winter", "spring"}},
	{Key: "trekking_poles", ZH: []string{"登山杖"}, EN: []string{"trekking pole", "walking pole"}, NounZH: "登山杖", Measure: []string{"副", "对", "根"}, Family: FamOutdoor, Interests: []string{"hiking"}},
	{Key: "puncture_kit", ZH: []string{"补胎工具"}, EN: []string{"puncture repair kit", "bike repair kit"}, NounZH: "补胎工具", Measure: []string{"套"}, Family: FamTool, Interests: []string{"cycling"}},
	// fashion
	{Key: "tote", ZH: []string{"托特包"}, EN: []string{"tote", "tote bag", "shopper"}, NounZH: "托特包", Measure: []string{"只", "个"}, Family: FamBag, Interests: []string{"fashion"}, Gift: true},
	{Key: "handbag", ZH: []string{"斜挎包", "斜挎小方包", "手提包", "手袋", "钱包"}, EN: []string{"crossbody bag", "handbag", "purse", "clutch", "wallet"}, NounZH: "包", Measure: []string{"只", "个"}, Family: FamBag, Interests: []string{"fashion"}, Gift: true},
	{Key: "scarf", ZH: []string{"方巾", "围巾", "丝巾", "披肩"}, EN: []string{"scarf", "scarves", "shawl", "wrap scarf"}, NounZH: "丝巾", Measure: []string{"条", "块"}, Family: FamAccessory, Interests: []string{"fashion"}, Gift: true},
	{Key: "shoes", ZH: []string{"小白鞋", "运动鞋", "鞋"}, EN: []string{"sneaker", "trainer", "shoe", "boot", "slipper"}, NounZH: "鞋", Measure: []string{"双"}, Family: FamShoes, Interests: []string{"fashion"}},
	{Key: "sunglasses", ZH: []string{"太阳镜", "墨镜"}, EN: []string{"sunglasses"}, NounZH: "太阳镜", Measure: []string{"副"}, Family: FamAccessory, Interests: []string{"fashion", "travel"}, Seasons: []string{"spring", "summer"}},
	{Key: "top", ZH: []string{"开衫", "衬衫", "毛衣", "T恤", "卫衣", "外套", "针织衫", "连衣裙"}, EN: []string{"cardigan", "shirt", "tee", "t-shirt", "sweater", "jumper", "hoodie", "jacket", "dress", "overshirt"}, NounZH: "衣服", Measure: []string{"件"}, Family: FamApparel, Interests: []string{"fashion"}},
	{Key: "trousers", ZH: []string{"阔腿裤", "裤", "裙"}, EN: []string{"trousers", "jeans", "skirt", "shorts"}, NounZH: "裤子", Measure: []string{"条"}, Family: FamApparel, Interests: []string{"fashion"}},
	{Key: "belt", ZH: []string{"腰带", "皮带"}, EN: []string{"belt"}, NounZH: "腰带", Measure: []string{"条", "根"}, Family: FamAccessory, Interests: []string{"fashion"}, Gift: true},
	{Key: "necklace", ZH: []string{"项链", "手链", "手镯"}, EN: []string{"necklace", "bracelet", "bangle", "chain"}, NounZH: "项链", Measure: []string{"条", "根"}, Family: FamJewellery, Interests: []string{"fashion"}, Gift: true},
	{Key: "earrings", ZH: []string{"耳环", "耳钉"}, EN: []string{"earring"}, NounZH: "耳环", Measure: []string{"副", "对"}, Family: FamJewellery, Interests: []string{"fashion"}, Gift: true},
	{Key: "ring", ZH: []string{"戒指"}, EN: []string{"ring"}, NounZH: "戒指", Measure: []string{"枚", "只"}, Family: FamJewellery, Interests: []string{"fashion"}, Gift: true},
	{Key: "charm", ZH: []string{"挂饰", "吊坠"}, EN: []string{"charm", "pendant", "brooch", "keyring", "key ring"}, NounZH: "挂饰", Measure: []string{"个", "枚"}, Family: FamJewellery, Interests: []string{"fashion"}, Gift: true},
	{Key: "hair_accessory", ZH: []string{"发夹", "发圈", "发箍"}, EN: []string{"hair clip", "hair slide", "hair band", "hairband", "hair tie", "hair comb"}, NounZH: "发饰", Measure: []string{"个", "只", "套"}, Family: FamAccessory, Interests: []string{"fashion", "beauty"}, Gift: true},
	{Key: "umbrella", ZH: []string{"雨伞", "遮阳伞", "伞"}, EN: []string{"umbrella", "parasol"}, NounZH: "伞", Measure: []string{"把"}, Family: FamAccessory, Interests: []string{"fashion", "travel"}},
	// beauty
	{Key: "serum", ZH: []string{"精华"}, EN: []string{"serum"}, NounZH: "精华", Measure: []string{"瓶", "支"}, Family: FamBeauty, Interests: []string{"skincare"}, Consumable: true},
	{Key: "moisturiser", ZH: []string{"面霜", "乳液"}, EN: []string{"moisturiser", "moisturizer", "face cream"}, NounZH: "面霜", Measure: []string{"瓶", "罐", "个"}, Family: FamBeauty, Interests: []string{"skincare"}, Consumable: true},
	{Key: "sunscreen", ZH: []string{"防晒"}, EN: []string{"sunscreen", "sun cream"}, NounZH: "防晒乳", Measure: []string{"瓶", "支"}, Family: FamBeauty, Interests: []string{"skincare", "travel"}, Consumable: true},
	{Key: "lipstick", ZH: []string{"口红", "唇膏"}, EN: []string{"lipstick", "lip balm"}, NounZH: "口红", Measure: []string{"支", "根"}, Family: FamBeauty, Interests: []string{"makeup"}, Consumable: true, Gift: true},
	{Key: "sheet_mask", ZH: []string{"面膜"}, EN: []string{"sheet mask", "face mask"}, NounZH: "面膜", Measure: []string{"片", "盒"}, Family: FamBeauty, Interests: []string{"skincare"}, Consumable: true},
	{Key: "cleanser", ZH: []string{"洁面", "洗面奶"}, EN: []string{"cleanser", "face wash"}, NounZH: "洁面乳", Measure: []string{"支", "瓶"}, Family: FamBeauty, Interests: []string{"skincare"}, Consumable: true},
	{Key: "toiletry", ZH: []string{"香皂", "沐浴露", "护手霜"}, EN: []string{"soap", "hand cream", "bath salts", "bath bomb"}, NounZH: "洗护", Measure: []string{"块", "瓶", "支"}, Family: FamBeauty, Interests: []string{"beauty"}, Consumable: true, Gift: true},
	// home
	{Key: "diffuser", ZH: []string{"香薰藤条", "扩香", "香薰机"}, EN: []string{"reed diffuser", "diffuser"}, NounZH: "香薰", Measure: []string{"瓶", "套"}, Family: FamDecor, Interests: []string{"home"}, Consumable: true, Gift: true},
	{Key: "incense", ZH: []string{"线香", "熏香"}, EN: []string{"incense"}, NounZH: "香", Measure: []string{"盒", "支"}, Family: FamDecor, Interests: []string{"home"}, Consumable: true},
	{Key: "throw", ZH: []string{"盖毯", "毛毯", "毯子", "披毯"}, EN: []string{"throw", "blanket"}, NounZH: "盖毯", Measure: []string{"条", "张"}, Family: FamTextile, Interests: []string{"home"}, Seasons: []string{"autumn", "winter"}, Gift: true},
	{Key: "cushion", ZH: []string{"抱枕", "靠垫", "坐垫"}, EN: []string{"cushion cover", "cushion", "pillow cover"}, NounZH: "抱枕", Measure: []string{"个", "只"}, Family: FamTextile, Interests: []string{"home"}, Gift: true},
	{Key: "kitchen_textile", ZH: []string{"围裙", "茶巾", "隔热手套"}, EN: []string{"apron", "tea towel", "napkin ring", "oven glove", "oven mitt", "placemat", "table cloth", "tablecloth", "napkin", "coaster"}, NounZH: "", Measure: []string{"条", "块", "只", "套"}, Family: FamKitchen, Interests: []string{"cooking", "home"}, Gift: true},
	{Key: "doormat", ZH: []string{"地垫", "门垫"}, EN: []string{"doormat", "door mat"}, NounZH: "地垫", Measure: []string{"块", "张"}, Family: FamDecor, Interests: []string{"home"}},
	{Key: "desk_lamp", ZH: []string{"台灯", "夜灯", "灯"}, EN: []string{"desk lamp", "lamp", "night light", "lampshade"}, NounZH: "灯", Measure: []string{"盏", "台", "个"}, Family: FamLight, Interests: []string{"home"}, Gift: true},
	{Key: "fairy_lights", ZH: []string{"灯串", "串灯"}, EN: []string{"fairy lights", "string lights", "mini lights", "lights", "light chain"}, NounZH: "灯串", Measure: []string{"串", "条"}, Family: FamLight, Interests: []string{"home", "party"}, Gift: true},
	{Key: "candle_holder", ZH: []string{"烛台", "蜡烛杯"}, EN: []string{"t-light holder", "tea light holder", "tealight holder", "candle holder", "candleholder", "candlestick", "lantern", "candle pot"}, NounZH: "烛台", Measure: []string{"个", "只"}, Family: FamLight, Interests: []string{"home"}, Gift: true},
	{Key: "candle", ZH: []string{"蜡烛", "香薰蜡"}, EN: []string{"candle", "t-lights", "tea lights", "tealights"}, NounZH: "蜡烛", Measure: []string{"支", "个", "罐"}, Family: FamLight, Interests: []string{"home"}, Consumable: true, Gift: true},
	{Key: "mug", ZH: []string{"马克杯", "杯子", "咖啡杯"}, EN: []string{"mug", "beaker", "tumbler"}, NounZH: "杯子", Measure: []string{"只", "个"}, Family: FamTableware, Interests: []string{"home", "coffee", "tea"}, Gift: true},
	{Key: "tableware", ZH: []string{"盘子", "碗", "茶杯", "餐具"}, EN: []string{"tea plate", "cake plate", "plate", "bowl", "teacup", "tea cup", "cup and saucer", "saucer", "cup", "cutlery", "tea set", "teapot", "jug", "dish", "egg cup", "serving"}, NounZH: "", Measure: []string{"只", "个", "套", "副"}, Family: FamTableware, Interests: []string{"home", "tea", "cooking"}, Gift: true},
	{Key: "cake_stand", ZH: []string{"蛋糕架", "点心架"}, EN: []string{"cake stand", "cakestand"}, NounZH: "蛋糕架", Measure: []string{"个", "只"}, Family: FamTableware, Interests: []string{"baking", "home", "tea"}, Gift: true},
	{Key: "bakeware", ZH: []string{"蛋糕纸杯", "烘焙纸", "模具"}, EN: []string{"cake case", "cupcake case", "baking case", "muffin case", "cake tin", "baking tin", "cookie cutter", "baking set"}, NounZH: "烘焙用具", Measure: []string{"套", "包", "个"}, Family: FamBaking, Interests: []string{"baking"}, Consumable: true},
	{Key: "storage", ZH: []string{"收纳盒", "储物罐", "收纳筐", "铁盒"}, EN: []string{"storage box", "storage tin", "trinket box", "box", "tin", "jar", "basket", "hamper", "crate", "caddy", "~drawer"}, NounZH: "收纳盒", Measure: []string{"个", "只"}, Family: FamStorage, Interests: []string{"home"}, Gift: true},
	{Key: "clock", ZH: []string{"闹钟", "挂钟", "时钟"}, EN: []string{"alarm clock", "wall clock", "clock"}, NounZH: "钟", Measure: []string{"个", "只", "台"}, Family: FamDecor, Interests: []string{"home"}, Gift: true},
	{Key: "frame", ZH: []string{"相框", "画框"}, EN: []string{"photo frame", "picture frame", "frame"}, NounZH: "相框", Measure: []string{"个", "副"}, Family: FamDecor, Interests: []string{"home", "photography"}, Gift: true},
	{Key: "mirror", ZH: []string{"镜子"}, EN: []string{"mirror"}, NounZH: "镜子", Measure: []string{"面", "个"}, Family: FamDecor, Interests: []string{"home"}, Gift: true},
	{Key: "sign", ZH: []string{"挂牌", "装饰牌"}, EN: []string{"metal sign", "wall sign", "sign", "plaque", "wall art"}, NounZH: "挂牌", Measure: []string{"块", "个"}, Family: FamDecor, Interests: []string{"home"}, Gift: true},
	{Key: "chalkboard", ZH: []string{"黑板", "留言板"}, EN: []string{"black board", "blackboard", "chalkboard", "memo board", "noticeboard"}, NounZH: "黑板", Measure: []string{"块"}, Family: FamDecor, Interests: []string{"home"}},
	{Key: "doorstop", ZH: []string{"门挡", "门阻"}, EN: []string{"doorstop", "door stop"}, NounZH: "门挡", Measure: []string{"个"}, Family: FamDecor, Interests: []string{"home"}, Gift: true},
	{Key: "hook", ZH: []string{"挂钩", "衣架"}, EN: []string{"hook", "coat rack", "hanger", "knob", "peg"}, NounZH: "挂钩", Measure: []string{"个", "只", "套"}, Family: FamDecor, Interests: []string{"home"}},
	{Key: "decoration", ZH: []string{"挂饰", "装饰", "花环", "圣诞树"}, EN: []string{"tree top angel", "hanging star", "hanging heart", "decoration", "ornament", "bauble", "wreath", "~angel", "~star", "~heart", "~bell", "~reindeer", "~snowflake", "~bird", "~butterfly", "~mobile"}, NounZH: "装饰", Measure: []string{"个", "件", "只"}, Family: FamDecor, Interests: []string{"home"}, Gift: true},
	{Key: "bunting", ZH: []string{"彩旗", "拉花"}, EN: []string{"bunting", "garland", "paper chain"}, NounZH: "彩旗", Measure: []string{"串", "条", "套"}, Family: FamParty, Interests: []string{"party", "home"}},
	{Key: "hot_water_bottle", ZH: []string{"热水袋"}, EN: []string{"hot water bottle"}, NounZH: "热水袋", Measure: []string{"个", "只"}, Family: FamWarmer, Interests: []string{"home"}, Seasons: []string{"autumn", "winter"}, Gift: true},
	{Key: "hand_warmer", ZH: []string{"暖手宝", "暖宝宝"}, EN: []string{"hand warmer"}, NounZH: "暖手宝", Measure: []string{"个", "只"}, Family: FamWarmer, Interests: []string{"outdoor", "home"}, Seasons: []string{"autumn", "winter"}, Gift: true},
	{Key: "garden", ZH: []string{"花盆", "喷壶", "园艺"}, EN: []string{"plant pot", "flower pot", "watering can", "planter", "bird feeder", "bird house", "~garden"}, NounZH: "", Measure: []string{"个", "只"}, Family: FamGeneral, Interests: []string{"gardening"}, Seasons: []string{"spring", "summer"}},
	// tech
	{Key: "power_bank", ZH: []string{"移动电源", "充电宝"}, EN: []string{"power bank"}, NounZH: "充电宝", Measure: []string{"个", "块", "台"}, Family: FamTech, Interests: []string{"tech", "travel"}},
	{Key: "earbuds", ZH: []string{"耳机"}, EN: []string{"earbud", "headphone", "earphone"}, NounZH: "耳机", Measure: []string{"副", "对", "个"}, Family: FamTech, Interests: []string{"tech", "music"}, Gift: true},
	{Key: "charger", ZH: []string{"充电器"}, EN: []string{"charger"}, NounZH: "充电器", Measure: []string{"个", "只"}, Family: FamTech, Interests: []string{"tech"}},
	{Key: "cable", ZH: []string{"数据线", "充电线"}, EN: []string{"cable"}, NounZH: "数据线", Measure: []string{"条", "根"}, Family: FamTech, Interests: []string{"tech"}},
	{Key: "laptop_stand", ZH: []string{"笔记本支架", "支架"}, EN: []string{"laptop stand", "phone stand"}, NounZH: "支架", Measure: []string{"个", "台"}, Family: FamTech, Interests: []string{"tech"}},
	{Key: "tracker", ZH: []string{"防丢器"}, EN: []string{"tracker", "item tracker"}, NounZH: "防丢器", Measure: []string{"个", "只"}, Family: FamTech, Interests: []string{"tech", "travel"}},
	// food and drink
	{Key: "coffee_beans", ZH: []string{"咖啡豆"}, EN: []string{"coffee bean", "coffee beans", "ground coffee"}, NounZH: "咖啡豆", Measure: []string{"袋", "包"}, Family: FamDrink, Interests: []string{"coffee"}, Consumable: true},
	{Key: "drip_coffee", ZH: []string{"挂耳咖啡", "速溶咖啡"}, EN: []string{"drip coffee", "coffee bag", "instant coffee"}, NounZH: "挂耳咖啡", Measure: []string{"盒", "袋", "包"}, Family: FamDrink, Interests: []string{"coffee"}, Consumable: true},
	{Key: "tea", ZH: []string{"龙井", "红茶", "绿茶", "普洱", "茶叶", "乌龙"}, EN: []string{"green tea", "black tea", "tea bag", "loose leaf tea", "~tea"}, NounZH: "茶", Measure: []string{"罐", "盒", "包"}, Family: FamDrink, Interests: []string{"tea"}, Consumable: true, Gift: true},
	{Key: "snack", ZH: []string{"坚果", "零食", "饼干", "巧克力", "糖果"}, EN: []string{"mixed nuts", "nut", "snack", "biscuit", "chocolate bar", "sweets", "candy"}, NounZH: "零食", Measure: []string{"袋", "包", "盒"}, Family: FamFood, Interests: []string{"food"}, Consumable: true},
	{Key: "grinder", ZH: []string{"磨豆机"}, EN: []string{"coffee grinder", "grinder"}, NounZH: "磨豆机", Measure: []string{"台", "个", "把"}, Family: FamKitchen, Interests: []string{"coffee"}, Gift: true},
	{Key: "lunch_bag", ZH: []string{"午餐包", "便当包", "饭盒"}, EN: []string{"lunch bag", "lunch box", "bento box"}, NounZH: "午餐包", Measure: []string{"个", "只"}, Family: FamKitchen, Interests: []string{"food", "cooking"}},
	// fitness
	{Key: "yoga_mat", ZH: []string{"瑜伽垫"}, EN: []string{"yoga mat"}, NounZH: "瑜伽垫", Measure: []string{"张", "块", "条"}, Family: FamFitness, Interests: []string{"yoga"}},
	{Key: "resistance_bands", ZH: []string{"阻力带", "弹力带"}, EN: []string{"resistance band"}, NounZH: "阻力带", Measure: []string{"套", "条", "根"}, Family: FamFitness, Interests: []string{"fitness"}},
	{Key: "sports_bottle", ZH: []string{"运动水杯", "保温杯", "水杯", "水壶"}, EN: []string{"sports bottle", "water bottle", "drinks bottle"}, NounZH: "水杯", Measure: []string{"只", "个"}, Family: FamFitness, Interests: []string{"fitness", "outdoor"}},
	{Key: "protein", ZH: []string{"蛋白粉"}, EN: []string{"protein", "~whey"}, NounZH: "蛋白粉", Measure: []string{"罐", "桶", "袋"}, Family: FamFitness, Interests: []string{"fitness"}, Consumable: true},
	// baby and kids
	{Key: "baby_carrier", ZH: []string{"腰凳背带", "婴儿背带", "腰凳"}, EN: []string{"baby carrier"}, NounZH: "背带", Measure: []string{"个", "款"}, Family: FamBaby, Interests: []string{"parenting", "kids"}},
	{Key: "diaper_bag", ZH: []string{"妈咪包"}, EN: []string{"diaper backpack", "diaper bag", "changing bag", "nappy bag"}, NounZH: "妈咪包", Measure: []string{"个", "只"}, Family: FamBaby, Interests: []string{"parenting", "kids"}},
	{Key: "wipes", ZH: []string{"湿巾", "纸巾"}, EN: []string{"wipe", "tissues"}, NounZH: "湿巾", Measure: []string{"包", "袋"}, Family: FamBaby, Interests: []string{"parenting", "kids"}, Consumable: true},
	{Key: "baby_book", ZH: []string{"布书", "绘本"}, EN: []string{"cloth book", "board book"}, NounZH: "布书", Measure: []string{"套", "本"}, Family: FamBaby, Interests: []string{"parenting", "kids"}, Gift: true},
	{Key: "toy", ZH: []string{"玩具", "玩偶", "积木", "拼图"}, EN: []string{"toy", "teddy", "soft toy", "doll", "jigsaw", "puzzle", "game", "pick up sticks", "dominoes", "playing cards", "spinning top", "skipping rope", "kite"}, NounZH: "玩具", Measure: []string{"个", "套", "副"}, Family: FamToy, Interests: []string{"kids", "parenting"}, Gift: true},
	// stationery, crafts, party
	{Key: "notebook", ZH: []string{"笔记本", "手帐本", "记事本"}, EN: []string{"notebook", "journal", "sketchbook", "note book", "notepad", "memo pad", "diary"}, NounZH: "本子", Measure: []string{"本"}, Family: FamStationery, Interests: []string{"stationery"}, Gift: true},
	{Key: "pens", ZH: []string{"彩铅", "铅笔", "钢笔", "笔"}, EN: []string{"colour pencil", "colouring pencil", "pencil", "pen", "crayon", "marker"}, NounZH: "笔", Measure: []string{"支", "套", "盒"}, Family: FamStationery, Interests: []string{"stationery", "crafts"}},
	{Key: "craft_kit", ZH: []string{"手工材料包", "手工套装", "针线包"}, EN: []string{"paper chain kit", "craft kit", "sewing kit", "knitting kit", "felt craft", "feltcraft"}, NounZH: "材料包", Measure: []string{"套", "个"}, Family: FamStationery, Interests: []string{"crafts"}, Gift: true},
	{Key: "stickers", ZH: []string{"贴纸", "冰箱贴"}, EN: []string{"sticker", "magnet", "tattoo"}, NounZH: "贴纸", Measure: []string{"张", "套", "个"}, Family: FamStationery, Interests: []string{"crafts", "kids"}},
	{Key: "gift_wrap", ZH: []string{"包装纸", "贺卡", "礼品袋", "丝带"}, EN: []string{"wrapping paper", "gift wrap", "wrap", "greeting card", "card", "gift tag", "tag", "gift bag", "ribbon", "tissue paper"}, NounZH: "", Measure: []string{"张", "套", "个", "卷"}, Family: FamParty, Interests: []string{"party", "crafts"}, Consumable: true},
	{Key: "party_tableware", ZH: []string{"纸盘", "纸杯"}, EN: []string{"paper plate", "paper cup", "paper napkin", "party bag", "straw", "balloon"}, NounZH: "派对用品", Measure: []string{"套", "包"}, Family: FamParty, Interests: []string{"party"}, Consumable: true},
	// generic bags last, so that "camera bag" and "lunch bag" win
	{Key: "bag", ZH: []string{"背包", "双肩包", "购物袋", "包袋"}, EN: []string{"jumbo bag", "shopping bag", "backpack", "rucksack", "bag"}, NounZH: "包", Measure: []string{"只", "个"}, Family: FamBag, Interests: []string{"fashion"}, Gift: true},
}

// generalKind is what a product matching no kind is.
var generalKind = Kind{Key: "general", Family: FamGeneral, Gift: true}

var kindByKey = func() map[string]*Kind {
	m := make(map[string]*Kind, len(kinds))
	for i := range kinds {
		m[kinds[i].Key] = &kinds[i]
	}
	return m
}()

// KindByKey returns a kind of the table (ok false for an unknown key).
func KindByKey(key string) (Kind, bool) {
	k, ok := kindByKey[key]
	if !ok {
		return generalKind, false
	}
	return *k, true
}

// ProductInfo is what copy needs to know about one product.
type ProductInfo struct {
	Kind Kind
	// Noun is how copy refers to the product once named, in the
	// product's language ("throw", "cake cases", 盖毯).
	Noun string
	// Plural: the English title names several things ("Classic White
	// Sneakers", "60 Cake Cases"), so it takes "they" and "are".
	Plural bool
	// Measures are the zh measure words that fit: the kind's, the pack's
	// (套 for a 六件套, 盒 for a box of 20) and any tag override.
	Measures []string
	// Interests are the interest keys it serves: its kind's (with their
	// broader interests) and its top category's.
	Interests []string
	// Theme is the occasion the product is made for ("christmas" for a
	// CHRISTMAS HANGING STAR), "" when none.
	Theme string
}

// Describe classifies a product from its title, category path and tags.
// A tag "量词:条" (or "measure:条") overrides the measure words.
func Describe(title, category string, tags []string) ProductInfo {
	m, ok := matchKind(title)
	cats := splitCategory(category)
	if !ok {
		// the category's levels, deepest first; the noun is then the
		// kind's, not the category's words
		for i := len(cats) - 1; i >= 0 && !ok; i-- {
			if m, ok = matchKind(cats[i]); ok {
				m.noun, m.plural = "", false
			}
		}
	}
	info := ProductInfo{Kind: generalKind}
	if ok {
		info.Kind = *m.kind
	}
	if isHan(title) {
		info.Noun = info.Kind.NounZH
		if info.Noun == "" {
			info.Noun = m.noun
		}
	} else {
		info.Noun, info.Plural = m.noun, m.plural
		if !ok {
			info.Plural = lastWordPlural(title)
		}
	}
	info.Measures = slices.Clone(info.Kind.Measure)
	for _, pw := range packMeasures(title) {
		if !slices.Contains(info.Measures, pw) {
			info.Measures = append(info.Measures, pw)
		}
	}
	for _, t := range tags {
		for _, pre := range []string{"量词:", "量词：", "measure:"} {
			if mw, ok := strings.CutPrefix(strings.TrimSpace(t), pre); ok && mw != "" {
				info.Measures = []string{strings.TrimSpace(mw)}
			}
		}
	}
	info.Interests = withParents(info.Kind.Interests)
	if len(cats) > 0 {
		if in := InterestOf(cats[0]); in != "" && !slices.Contains(info.Interests, in) {
			info.Interests = withParents(append(info.Interests, in))
		}
	}
	for _, t := range tags {
		if in := InterestOf(t); in != "" && !slices.Contains(info.Interests, in) {
			info.Interests = withParents(append(info.Interests, in))
		}
	}
	info.Theme = ThemeOf(title)
	return info
}

// ServeNamed adds the interests the product's own words name (its
// description, its selling points): a camera bag "for travel and
// outdoor shooting" serves outdoor too.
func (p *ProductInfo) ServeNamed(texts ...string) {
	for _, t := range texts {
		for _, m := range InterestMentions(t) {
			if m.Key != "" && !slices.Contains(p.Interests, m.Key) {
				p.Interests = withParents(append(p.Interests, m.Key))
			}
		}
	}
}

// Serves reports whether the product serves the interest (a key, or any
// word InterestOf knows).
func (p ProductInfo) Serves(interest string) bool {
	key := InterestOf(interest)
	if key == "" {
		key = interest
	}
	return slices.Contains(p.Interests, key)
}

// MeasureFits reports whether measure word mw fits the product. 款 and
// 个 fit everything; a product of the general kind takes any.
func (p ProductInfo) MeasureFits(mw string) bool {
	if mw == "款" || mw == "个" || p.Kind.Key == generalKind.Key || len(p.Measures) == 0 {
		return true
	}
	return slices.Contains(p.Measures, mw)
}

// Measure is the measure word copy uses for the product: its first.
func (p ProductInfo) Measure() string {
	if len(p.Measures) > 0 {
		return p.Measures[0]
	}
	return "款"
}

// packMeasures are the measure words a zh title's packaging adds: 套 for
// 六件套/套装, 盒/包 for (20包), 包 for 5片装.
func packMeasures(title string) []string {
	var out []string
	switch {
	case strings.Contains(title, "套"):
		out = append(out, "套")
	case strings.Contains(title, "片装"), strings.Contains(title, "条装"), strings.Contains(title, "只装"):
		out = append(out, "包", "盒")
	case strings.Contains(title, "包）"), strings.Contains(title, "包)"):
		out = append(out, "盒", "包")
	}
	return out
}

func splitCategory(c string) []string {
	var out []string
	for _, p := range strings.Split(c, ">") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type kindMatch struct {
	kind   *Kind
	noun   string
	plural bool
}

// matchKind finds the kind a text names. The longest keyword wins; a weak
// keyword (a motif such as "heart" or "star", marked ~) loses to any
// other of its length; on a tie the later match wins, since English names
// end with their head noun ("Drip Coffee Bags") — catalog titles that
// lead with it (HAND WARMER OWL DESIGN) rarely tie. noun is the matched
// words as copy writes them, in the title's number.
func matchKind(text string) (kindMatch, bool) {
	if text == "" {
		return kindMatch{}, false
	}
	if isHan(text) {
		var best kindMatch
		bestLen := 0
		for i := range kinds {
			for _, kw := range kinds[i].ZH {
				if n := len([]rune(kw)); n > bestLen && strings.Contains(text, kw) {
					best, bestLen = kindMatch{kind: &kinds[i], noun: kw}, n
				}
			}
		}
		if best.kind != nil {
			return best, true
		}
		// a Chinese title may name an English kind (SD卡): fall through
	}
	toks := tokens(text)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = strings.ToLower(t)
	}
	var best kindMatch
	bestScore, bestAt, bestEnd := 0, -1, 0
	for i := range kinds {
		for _, kw := range kinds[i].EN {
			weak := strings.HasPrefix(kw, "~")
			kws := Words(strings.TrimPrefix(kw, "~"))
			score := 2 * len(kws)
			if weak {
				score--
			}
			for at := len(words) - len(kws); at >= 0; at-- {
				pl, ok := matchAt(words[at:at+len(kws)], kws)
				if !ok {
					continue
				}
				if score > bestScore || (score == bestScore && at > bestAt) {
					best, bestScore, bestAt, bestEnd = kindMatch{kind: &kinds[i], plural: pl}, score, at, at+len(kws)
				}
				break
			}
		}
	}
	if best.kind == nil {
		return kindMatch{}, false
	}
	end := bestEnd
	// "Resistance Band Set", "Cleaning Kit": the head is the set (but
	// not in "Packing Cubes (Set of 6)")
	if end < len(words) {
		switch words[end] {
		case "set", "kit", "pack", "bundle", "game":
			if end+1 >= len(words) || words[end+1] != "of" {
				end++
				best.plural = false
			}
		}
	}
	best.noun = nounCase(toks[bestAt:end], text)
	if strings.HasSuffix(best.noun, "s") && !best.plural && lastWordPlural(best.noun) {
		best.plural = true // "mixed nuts", "sunglasses"
	}
	return best, true
}

// nounCase writes title words as a noun inside a sentence: lower case,
// except acronyms and mixed-case words (USB-C, SD, T-light, iPhone).
func nounCase(toks []string, title string) string {
	caps := isAllCaps(title)
	out := make([]string, len(toks))
	for i, t := range toks {
		low := strings.ToLower(t)
		switch {
		case strings.HasPrefix(low, "t-light"):
			out[i] = "T-light" + low[len("t-light"):]
		case acronyms[strings.ToUpper(strings.Trim(t, "'"))]:
			out[i] = strings.ToUpper(t)
		case !caps && t != low && strings.ToUpper(t) == t && len(t) > 1:
			out[i] = t // an acronym in a mixed-case title
		case !caps && hasInnerUpper(t):
			out[i] = t
		default:
			out[i] = low
		}
	}
	return strings.Join(out, " ")
}

func hasInnerUpper(w string) bool {
	for i, r := range w {
		if i > 0 && unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

// Plural reports whether an English word or name is plural
// ("surfactants", "Classic White Sneakers"; not "glass", "Christmas").
func Plural(name string) bool { return lastWordPlural(name) }

// lastWordPlural guesses the number of an English name from its last
// word (sizes and counts in brackets left out).
func lastWordPlural(title string) bool {
	if i := strings.IndexAny(title, "(（"); i > 0 {
		title = title[:i]
	}
	ws := Words(title)
	for len(ws) > 0 && strings.ContainsAny(ws[len(ws)-1], "0123456789") {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return false
	}
	w := ws[len(ws)-1]
	if pluralOnly[w] {
		return true
	}
	if len(w) < 4 || !strings.HasSuffix(w, "s") || notPlural[w] {
		return false
	}
	for _, suf := range []string{"ss", "us", "is", "'s", "ics"} {
		if strings.HasSuffix(w, suf) {
			return false
		}
	}
	return true
}

var pluralOnly = map[string]bool{"sunglasses": true, "glasses": true, "trousers": true, "jeans": true, "scissors": true, "shorts": true, "pants": true, "tongs": true, "pliers": true, "earbuds": true}

var notPlural = map[string]bool{"christmas": true, "canvas": true, "atlas": true, "always": true, "perhaps": true, "series": true, "species": true, "news": true, "lens": true, "gas": true, "yes": true, "this": true, "its": true, "was": true, "has": true, "does": true, "goes": true, "whereas": true, "across": true, "plus": true, "bus": true, "bias": true, "chaos": true, "iris": true, "kudos": true, "lotus": true, "cactus": true, "octopus": true, "walrus": true, "less": true, "unless": true, "dress": true, "glass": true, "grass": true, "moss": true, "cross": true, "boss": true, "princess": true, "mattress": true, "compass": true, "paris": true, "texas": true, "bliss": true, "jess": true, "swiss": true, "pjs": false}

// acronyms keep their capitals in copy.
var acronyms = map[string]bool{"UK": true, "USA": true, "US": true, "LED": true, "USB": true, "USB-C": true, "DVD": true, "CD": true, "TV": true, "SPF": true, "RFID": true, "PC": true, "TSA": true, "UV": true, "XL": true, "XXL": true, "SD": true, "ND": true, "GB": true, "TB": true, "GAN": false, "ABC": true, "DIY": true, "BBQ": true, "NYC": true, "I": true, "II": true, "III": true, "UV400": true, "SPF50": true, "V30": true, "PVC": true, "MDF": true}

// tokens splits text into words in their own case (hyphens and
// apostrophes stay inside a word).
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	})
}

// Words splits English text into lower-case words (hyphens and
// apostrophes stay inside a word).
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '\''
	})
}

func pluralise(n string) string {
	switch {
	case strings.HasSuffix(n, "s"), strings.HasSuffix(n, "x"), strings.HasSuffix(n, "ch"), strings.HasSuffix(n, "sh"):
		return n + "es"
	case strings.HasSuffix(n, "y") && len(n) > 1 && !strings.ContainsRune("aeiou", rune(n[len(n)-2])):
		return n[:len(n)-1] + "ies"
	}
	return n + "s"
}

// isHan reports whether s is mostly Chinese.
func isHan(s string) bool {
	han, latin := 0, 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.IsLetter(r):
			latin++
		}
	}
	return han > 0 && han*3 >= latin
}

// matchAt compares title words with keyword words, a plural allowed on
// the last; pl is true when the title's last word is the plural.
func matchAt(ws, kws []string) (pl, ok bool) {
	for i, kw := range kws {
		w := ws[i]
		if w == kw {
			continue
		}
		if i == len(kws)-1 && (w == kw+"s" || w == kw+"es" || (strings.HasSuffix(kw, "y") && w == kw[:len(kw)-1]+"ies")) {
			pl = true
			continue
		}
		return false, false
	}
	return pl, true
}

// isAllCaps reports whether an English title is written in capitals
// (catalog exports such as RED HANGING HEART T-LIGHT HOLDER).
func isAllCaps(s string) bool {
	upper, lower := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			upper++
		case unicode.IsLower(r):
			lower++
		}
	}
	return upper >= 3 && lower*10 <= upper
}
