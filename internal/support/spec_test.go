package support_test

import "testing"

// A kind of value the card does not state (a wireless version, a codec,
// a waterproof rating in mm, a thickness, a read speed, allergens, the
// shades' names, the thing's own weight) hands off with the product
// cited; a kind the card states, in whatever words, is answered.
func TestUnstatedKindHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Is the Bluetooth version on the noise-cancelling earbuds 5.3?", handoff: true, cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "Which codecs do the noise-cancelling earbuds handle?", handoff: true, cites: []string{"[product:US-TECH-EARBUDS]"}},
		{q: "降噪真无线耳机用的是什么版本的蓝牙？", handoff: true, cites: []string{"[product:CN-TECH-EARBUDS]"}},
		{q: "三合一冲锋衣防水等级多少毫米？", handoff: true, cites: []string{"[product:CN-OUT-JACKET]"}},
		{q: "Shell jacket waterproof rating in mm please", handoff: true, cites: []string{"[product:US-OUT-JACKET]"}},
		{q: "瑜伽垫厚度是多少？", handoff: true, cites: []string{"[product:CN-FIT-MAT]"}},
		{q: "瑜伽墊有多厚？", handoff: true, cites: []string{"[product:CN-FIT-MAT]"}},
		{q: "What's the write speed of the High-speed SD Card in MB/s?", handoff: true, cites: []string{"[product:US-PHOTO-SDCARD]"}},
		{q: "Does the whey protein contain soy? I'm allergic", handoff: true, cites: []string{"[product:US-FIT-PROTEIN]"}},
		{q: "每日坚果有没有花生？孩子过敏", handoff: true, cites: []string{"[product:CN-FOOD-NUTS]"}},
		{q: "What are the lipstick shades called?", handoff: true, cites: []string{"[product:US-BEAUTY-LIPSTICK]"}},
		{q: "口红有哪些色号？", handoff: true, cites: []string{"[product:CN-BEAUTY-LIPSTICK]"}},
		{q: "How heavy is the carry-on spinner when empty?", handoff: true, cites: []string{"[product:US-TRAVEL-CARRYON]"}},
	})
}

// The near-misses: the card states the kind asked (ml, W, GB, mAh, kg).
func TestStatedKindAnswered(t *testing.T) {
	checkClass(t, []classCase{
		{q: "What volume is the insulated sports bottle?", cites: []string{"[product:US-FIT-BOTTLE]"}, facts: []string{"750"}},
		{q: "保溫運動水杯容量多大？", cites: []string{"[product:CN-FIT-BOTTLE]"}, facts: []string{"750"}},
		{q: "What's the power output of the GaN charger?", cites: []string{"[product:US-TECH-CHARGER]"}, facts: []string{"65"}},
		{q: "How much storage does the SD card have?", cites: []string{"[product:US-PHOTO-SDCARD]"}, facts: []string{"128"}},
		{q: "快充移动电源容量是多少毫安？", cites: []string{"[product:CN-TECH-POWERBANK]"}, facts: []string{"20000"}},
		{q: "碳纤维旅行三脚架多重？", cites: []string{"[product:CN-PHOTO-TRIPOD1]"}, facts: []string{"1.2kg"}},
		{q: "What is the Merino Cardigan made of?", cites: []string{"[product:US-FASH-CARDIGAN]"}, facts: []string{"Merino"}},
	})
}

// What only a person of the shop decides: business terms, a creator's
// offer, a parcel marked delivered that never came. A question of the
// published rules in the same words is answered.
func TestBusinessAsksHandOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Could our company pay on net 60?", handoff: true},
		{q: "We'd like credit terms for our business account", handoff: true},
		{q: "I run a YouTube channel and want to collaborate on a review video", handoff: true},
		{q: "我是抖音达人，想和你们谈带货合作", handoff: true},
		{q: "品牌合作聯繫誰？", handoff: true},
		{q: "快递显示已签收，可我根本没收到包裹", handoff: true},
		{q: "It shows as delivered but I never received anything", handoff: true},
		// near-misses: the rules answer these
		{q: "Which payment methods do you accept?", cites: []string{"[policy:payment]"}},
		{q: "签收后多久可以申请七天无理由退货？", cites: []string{"[policy:returns-7day]"}},
	})
}

// A bare follow-up asks of the product before; a harmless lawyer or court
// and a return asked in Chinese with English words are answered.
func TestBareFollowUpsAndMixedWords(t *testing.T) {
	checkClass(t, []classCase{
		{turns: []string{"Tell me about the Reed Diffuser"}, q: "Price?", cites: []string{"[product:US-HOME-DIFFUSER]"}, facts: []string{"$38"}},
		{turns: []string{"手摇磨豆机怎么样"}, q: "多少钱", cites: []string{"[product:CN-FOOD-GRINDER]"}, facts: []string{"239"}},
		{turns: []string{"手搖磨豆機怎麼樣"}, q: "有货吗？", cites: []string{"[product:CN-FOOD-GRINDER]"}},
		{q: "My dad is a retired lawyer and wants to know how long the warranty on the desk lamp is", cites: []string{"[policy:warranty]"}, facts: []string{"1-year"}},
		{q: "我上的是律师培训课，想问下退款多久到账", cites: []string{"[policy:refund]"}},
		{q: "没用过的东西几天内可以return？", cites: []string{"[policy:returns-7day]"}, facts: []string{"7天"}},
	})
}

// A follow-up that changes one slot of the rule question before is asked
// as that question; where a tracking number comes from is the shipping
// rule's.
func TestSlotChangeFollowUps(t *testing.T) {
	checkClass(t, []classCase{
		{turns: []string{"How long does shipping take to Australia?"}, q: "and what about the US?", cites: []string{"[policy:shipping]"}, facts: []string{"3-7 business days"}},
		{turns: []string{"When do I get my refund?"}, q: "what if I paid with a coupon?", cites: []string{"[policy:refund]"}, facts: []string{"Coupon discounts are not refunded"}},
		{turns: []string{"退款多久能到账"}, q: "那如果用了优惠券呢？", cites: []string{"[policy:refund]"}},
		{q: "How will I get the tracking number?", cites: []string{"[policy:shipping]"}, facts: []string{"tracking number"}},
		{q: "发货后快递单号在哪里查？", cites: []string{"[policy:shipping]"}, facts: []string{"物流单号"}},
	})
}
