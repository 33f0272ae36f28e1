package support_test

import (
	"testing"

	"github.com/chorusmkt/chorus/internal/support"
)

// A feature asked in her own words (switch between my phone and laptop,
// 深烘还是浅烘, slips when I'm sweaty, SPF几) is answered by the one card she
// names that states it, however she misspells the product; a feature no
// card states (a codec, vegetable-tanned, reef-safe) hands off citing the
// card; a feature told of, not asked, changes nothing.
func TestFeatureInHerWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "what Bluetooth version do the earbuds use, and do they support aptX?", handoff: true, cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "which bluetooth is in the noise cancelling earbuds?? do they do LDAC", handoff: true, cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "降噪耳机是蓝牙几点几的？支持aptx吗", handoff: true, cites: []string{"[product:CN-TECH-EARBUDS]"}},
		{q: "the blue earbuds - do they switch between my phone and laptop?", cites: []string{"[product:US-TECH-EARBUDS]"}, facts: []string{"Multipoint"}},
		{q: "can the earbuds conect to two devices at once, like my phone and ipad", cites: []string{"[product:US-TECH-EARBUDS]"}, facts: []string{"Multipoint"}},
		{q: "降噪耳機可以同時連手機跟電腦嗎", cites: []string{"[product:CN-TECH-EARBUDS]"}},
		{q: "sunscreen SPF几？可以当妆前乳用吗", cites: []string{"[product:CN-BEAUTY-SUNSCREEN]"}, facts: []string{"SPF50"}},
		{q: "防曬乳係數多少？能不能打底用", cites: []string{"[product:CN-BEAUTY-SUNSCREEN]"}},
		{q: "what spf is the sunscreen and can i wear it under foundation", cites: []string{"[product:US-BEAUTY-SUNSCREEN]"}, facts: []string{"SPF50"}},
		{q: "云南咖啡豆是深烘还是浅烘？我不太喜欢太苦的", cites: []string{"[product:CN-FOOD-COFFEE]"}, facts: []string{"中度烘焙"}, never: []string{"[policy:returns-7day]"}},
		{q: "咖啡豆烘焙程度怎么样，怕酸也怕苦", cites: []string{"[product:CN-FOOD-COFFEE]"}, facts: []string{"中度烘焙"}},
		{q: "are the coffee beans a dark roast? i dont like bitter coffee", cites: []string{"[product:US-FOOD-COFFEE]"}, facts: []string{"Medium roast"}},
		{q: "yo does the yoga matt slip when ur sweaty af", cites: []string{"[product:US-FIT-MAT]"}, facts: []string{"Non-slip"}, never: []string{"[product:US-BEAUTY-LIPSTICK]"}},
		{q: "is the yoga mat slipery in hot yoga?", cites: []string{"[product:US-FIT-MAT]"}, facts: []string{"Non-slip"}},
		{q: "瑜伽垫出汗了会不会打滑", cites: []string{"[product:CN-FIT-MAT]"}, facts: []string{"防滑"}},
		{q: "is the leather on the work tote vegetable-tanned? and where is it made?", handoff: true, cites: []string{"[product:US-FASH-TOTE]"}},
		{q: "does the sunscreen leave a white cast? is it reef-safe?", handoff: true, cites: []string{"[product:US-BEAUTY-SUNSCREEN]"}},
		{q: "防晒乳会不会泛白？对珊瑚礁友好吗", handoff: true, cites: []string{"[product:CN-BEAUTY-SUNSCREEN]"}},
		{q: "通勤托特包是哪里产的？皮是植鞣的吗", handoff: true, cites: []string{"[product:CN-FASH-TOTE]"}},
		// near misses: what the card says in its own words, a slip that is
		// no mat's
		{q: "what is the work tote made of?", cites: []string{"[product:US-FASH-TOTE]"}, facts: []string{"Full-grain leather"}},
		{q: "is the sunscreen greasy?", cites: []string{"[product:US-BEAUTY-SUNSCREEN]"}},
		{q: "how long do the earbuds last on one charge?", cites: []string{"[product:US-TECH-EARBUDS]"}, facts: []string{"30 h"}},
		{q: "there was no packing slip in my parcel, can you email me one?", never: []string{"[product:US-FIT-MAT]"}},
	})
}

// A thing made to her order in a quantity (a logo printed on fifty, a
// custom colour of a hundred) is a person's to quote; a custom product's
// return rule, or two of a product, are answered.
func TestCustomOrderHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "我想在帆布包上印我们公司的logo，能定制50个吗", handoff: true},
		{q: "can you make a custom-colour yoga mat with our studio logo, 100 units?", handoff: true},
		{q: "可以幫我們公司訂製30個印logo的保溫杯嗎", handoff: true},
		{q: "could you print our band's name on 40 tote bags for the tour", handoff: true},
		{q: "团建要买80个瑜伽垫，能不能印上我们的标志", handoff: true},
		// near misses
		{q: "定制商品可以七天无理由退货吗", cites: []string{"[policy:returns-7day]"}},
		{q: "I need 2 cables", cites: []string{"[product:US-TECH-CABLE]"}},
	})
}

// A need said in her words is met: a kind she likes (丝巾那种, makeup)
// beside a budget spelt in words (两百以内, "under two hundred"), strength
// training without weights, a snack with no added sugar, a tripod that
// wraps around things, a scent with no open flame. A product the shop
// does not sell (dumbbells) is still not found.
func TestNeedInHerWords(t *testing.T) {
	checkClass(t, []classCase{
		{q: "想给女朋友买个礼物，300以内，她喜欢丝巾那种", cites: []string{"[product:CN-FASH-SCARF]"}},
		{q: "gift for my girlfriend, she's into scarves, under $300", cites: []string{"[product:US-FASH-SCARF]"}},
		{q: "送女朋友的礼物，两百以内，她喜欢化妆", cites: []string{"[product:CN-BEAUTY-LIPSTICK]"}},
		{q: "gift for my girlfriend under two hundred, she loves makeup", cites: []string{"[product:US-BEAUTY-LIPSTICK]"}},
		{q: "I want to do strength training at home but I don't have dumbbells, something cheap", cites: []string{"[product:US-FIT-BANDS]"}},
		{q: "home workout without weights? need something cheap", cites: []string{"[product:US-FIT-BANDS]"}},
		{q: "想找个健康零食放办公室，不要加糖的", cites: []string{"[product:CN-FOOD-NUTS]"}},
		{q: "a healthy snack for the office with no added sugar", cites: []string{"[product:US-FOOD-NUTS]"}},
		{q: "辦公室嘴饞想吃點零食，最好無糖的", cites: []string{"[product:CN-FOOD-NUTS]"}},
		{q: "a small tripod that wraps around things for vlogging with my phone", cites: []string{"[product:US-PHOTO-TRIPOD2]"}},
		{q: "想要个八爪鱼那种小三脚架，拍vlog用", cites: []string{"[product:CN-PHOTO-TRIPOD2]"}},
		{q: "想买个香薰但家里有小孩，不想用明火", cites: []string{"[product:CN-HOME-DIFFUSER]"}},
		{q: "something that smells nice with no open flame, I have a toddler", cites: []string{"[product:US-HOME-DIFFUSER]"}},
		{q: "天天抱娃腰酸背痛，有什么能减轻的吗", cites: []string{"[product:CN-BABY-CARRIER]"}},
		{q: "my back is killing me from carrying my baby all day, anything that helps?", cites: []string{"[product:US-BABY-CARRIER]"}},
		{q: "抱孩子抱得手都酸了，有没有省力的", cites: []string{"[product:CN-BABY-CARRIER]"}},
		{q: "need a bag that hangs on the stroller for bottles and nappies", cites: []string{"[product:US-BABY-DIAPERBAG]"}},
		{q: "想要个能挂推车的包装奶瓶尿不湿", cites: []string{"[product:CN-BABY-DIAPERBAG]"}},
		{q: "I already have a backpack, how can I carry my camera in it?", cites: []string{"[product:US-PHOTO-BAG04]"}},
		{q: "已经有个背包了，想把相机放进去，有什么办法", cites: []string{"[product:CN-PHOTO-BAG04]"}},
		{q: "想要一个能单手打开的小包，微单扫街用", cites: []string{"[product:CN-PHOTO-BAG03]"}},
		{q: "a small bag i can open with one hand for street photography", cites: []string{"[product:US-PHOTO-BAG03]"}},
		// near misses: a product the shop does not sell, a product's own fact
		{q: "do you sell dumbbells?", never: []string{"[product:US-FIT-BANDS]"}},
		{q: "你们有哑铃卖吗", never: []string{"[product:CN-FIT-BANDS]"}},
		{q: "do the mixed nuts have added sugar?", cites: []string{"[product:US-FOOD-NUTS]"}},
	})
}

// An amount spelt in words is read as a budget; a count is not one.
func TestSpelledBudget(t *testing.T) {
	for _, c := range []struct {
		q    string
		want float64
	}{{"两百以内", 200}, {"三百五以内", 350}, {"under two hundred", 200}, {"under a hundred and fifty", 150}, {"under fifty", 50}, {"一千二以内", 1200}, {"两百个以内", 0}} {
		if got := support.BudgetOf(c.q); got != c.want {
			t.Errorf("%q: budget %v, want %v", c.q, got, c.want)
		}
	}
}
