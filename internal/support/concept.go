package support

import (
	"regexp"
	"slices"
	"strings"
)

// concept is one policy topic as customers put it, in their own words,
// mapped to the words the shop's policies use for it. "Can I swap for a
// bigger size?" asks what "exchange … size" does, 几点下班 what 客服时间
// does, "instalments" what "installments" does; no policy needs to spell
// every way of asking. A question's phrases that say a concept are
// replaced by its words before the question is searched, covered or
// checked for unknown words (see searchText), and a concept votes for the
// policy intent.
//
// Phrases are matched on normalised text (lower case, width-folded,
// Simplified: a Traditional message is folded before the rules read it).
// needs, when set, must also match: 两张 is about coupons only next to
// 券 ("两张镜头布" is an order for two cloths).
type concept struct {
	name  string
	lang  string
	re    *regexp.Regexp
	needs *regexp.Regexp
	words string
	// hours: the concept asks when people are available
	hours bool
	// quiet: the concept widens the search but casts no policy vote (a
	// broken product is a complaint first; see defectVote)
	quiet bool
}

func zhConcept(name, words, pattern, needs string) concept {
	c := concept{name: name, lang: Zh, re: regexp.MustCompile(pattern), words: words}
	if needs != "" {
		c.needs = regexp.MustCompile(needs)
	}
	return c
}

// enConcept matches pattern as whole words.
func enConcept(name, words, pattern, needs string) concept {
	c := concept{name: name, lang: En, re: regexp.MustCompile(`\b(?:` + pattern + `)\b`), words: words}
	if needs != "" {
		c.needs = regexp.MustCompile(`\b(?:` + needs + `)`)
	}
	return c
}

var concepts = func() []concept {
	cs := []concept{
		// whether a coupon comes back with a return: the refund rule's
		// coupon clause; read before the coupon and return concepts
		// replace the words it needs (voucher, send it back)
		zhConcept("refund_coupon", "退款 优惠券 实际支付金额", `(优惠券|优惠码|折扣码|代金券|抵用券|满减券|折价券|券|满减优惠|满减|优惠|折扣)(的)?(钱|金额|面额|额度|部分|抵扣的?部分)?.{0,6}(退回|返还|退还|还回|还给|返回|退给|恢复|回来|退吗|退不退|作废|还退|会退|能退|退不|没了|浪费|补回|返|怎么算|怎么退|如何退|退多少|怎么处理|还能用|还可以用|能再用|还有效)|(用|使用)(了)?(的)?(优惠)?券(抵扣)?的?.{0,2}(部分|钱|金额)|券(怎么办|咋办|怎么算|如何处理)|(扣|扣掉|扣除|减掉|减去|算上|包括|包含)(掉|了)?(的)?(优惠券|满减券|折价券|券|优惠|折扣)`, `退`),
		enConcept("refund_coupon", "refund coupon discounts refunded", `(coupon|voucher|promo|discount)s?(\s+code)?(\s+(value|amount|money|savings?))?\b.{0,40}\b(back|returned|refunded|restored|reinstated|credited|reissued|lost|lose|forfeited)|(value|amount|money)\s+(of|from)\s+(the\s+|my\s+|a\s+|that\s+)?(coupon|voucher|promo|discount)|(get|have|receive)\s+back\s+(the\s+|my\s+|a\s+)?(coupon|voucher|promo|discount)|what happens (to|with) (the |my |a )?(coupon|voucher|promo|discount)|\b(lose|losing|lost|forfeit\w*|keep|keeping|still get)\s+(the\s+|my\s+|a\s+|that\s+|our\s+)?(coupon|voucher|promo|discount)`, `return|refund|cancel|send (it |them |this |the order )?back`),
		// what delivery costs, and from when it is free
		zhConcept("shipping_cost", "运费 包邮", `免运费|免邮费?|快递费|配送费|运输费|满多少(钱)?(才)?(包邮|免邮|免运费)?|(包邮|免邮|免运费)(的)?(门槛|条件|标准|起点)|要不要钱.{0,4}(寄|送)|(寄|送|配送)(要|收)钱`, ""),
		enConcept("shipping_cost", "free shipping shipping", `free (standard |express )?(delivery|shipping|postage|p&p)|delivery (charges?|costs?|fees?)|shipping (costs?|fees?|charges?|rates?)|postage costs?|minimum (spend|order|purchase)|spend over|(cost|charge) (to|for) (ship|deliver)\w*|charge for (delivery|shipping)|pay for (delivery|shipping)`, ""),
		// what delivery costs on an order of a given value (买了60块的东西要
		// 付运费吗, "shipping on a $40 order"): the amount is read as the
		// order's value, which the threshold of the shipping rule answers
		zhConcept("shipping_cost", "单笔订单实付 运费 包邮", `[0-9]+(\.[0-9]+)?\s*(块钱|块|元|rmb|¥)|[一二两三四五六七八九十百千]+(块钱|块|元)|[¥￥]\s*[0-9]+(\.[0-9]+)?|(要|需要|得|用)(付|出|交|给)(运费|邮费)`, `运费|邮费|包邮|免邮|快递费|配送费`),
		{name: "shipping_cost", lang: En, re: regexp.MustCompile(`\$\s?[0-9]+(\.[0-9]+)?|\b[0-9]+(\.[0-9]+)?\s?(dollars|bucks|usd|pounds|quid)\b`),
			needs: regexp.MustCompile(`\b(shipping|delivery|postage|deliver|ship)`), words: " orders of "},
		// when the refund arrives, said with the words of arriving (多久能
		// 收到退款): read before how soon a parcel arrives
		zhConcept("refund_time", "退款 到账 原路退回", `(多久|几天|什么时候|啥时候)(能|才|可以)?(收到|拿到|到)(退款|钱|退的钱)`, ""),
		// where the tracking number comes from (物流单号在哪看, "where do I
		// get my tracking number?"): the shipping rule says when it is
		// sent, no order is looked up for it
		zhConcept("tracking_how", "发货后 我的订单 查看物流单号", `(物流|快递|运)单号.{0,4}(在哪|哪里|哪儿|怎么|如何|去哪|从哪)(里)?(看|查|找|获取|拿|收到)?|(在哪|哪里|哪儿|怎么|如何|去哪|从哪)(里)?(看|查|找|获取|拿到|收到)(到)?(物流|快递|运)?单号|(会|能)(不会|不能)?(发|给)(我)?(物流|快递)?单号`, ""),
		enConcept("tracking_how", "tracking number email ships", `(where|how|when) (do|can|will|would|should) i (get|find|see|receive|look up|check|be sent) (my |the |a |an )?(tracking|shipment tracking)( number| code| info\w*| link| details)?|(do|will|would) (you|they) (send|email|give) (me )?(a |the |my )?tracking( number| code| link)?|where('s| is| does) (the|my|a) tracking (number|code|link)( come from| get sent| sent| emailed)?`, ""),
		// how soon it ships and arrives
		// 来得及吗 beside a delivery (现在下单来得及吗, 今天拍赶得上吗) asks
		// whether it arrives in time: how many days delivery takes
		zhConcept("in_time", "送达 几天到", `来得及|来不来得及|来不及|赶得上|赶得及|赶不赶得上|能不能赶上|赶上`, `送|寄|下单|拍|发货|收到|到货|到`),
		// from which day a rule's days count (七天无理由从哪天开始算, 下单那天
		// 还是签收那天): the rules count from the day she signs for it
		zhConcept("window_start", "自签收之日起", `(从|自)?(哪天|哪一天|什么时候|啥时候|几号)(开始|起)?(算|起算|计算|计)|(下单|付款|付钱|签收|收到货?|到货)(的)?(那天|那一天|当天|之日)(开始|起)?(算|起算)?`, `无理由|退|换|价保|保修|质保|签收`),
		zhConcept("delivery_time", "发货 送达 多久到", `多久(能|可以|才)?(发货|发出|寄出|送到|送达|收到)|几天(能|可以|才)?(发货|发出|送到|送达|收到)|(发货|送达|配送)(要)?多久|当天发|次日达|加急|顺丰|(今天|现在|马上|如果|要是|明天|周末)下单(以?后)?.{0,6}(什么时候|多久|几天|啥时候|多快)`, ""),
		enConcept("delivery_time", "delivery shipping business days express", `how (long|quickly|fast|soon) (does|will|would|is) (delivery|shipping|the delivery|an order|my order|the parcel|a parcel)( take| get| arrive| ship| be)?|delivery times?|dispatch(ed)?|next[- ]day|same[- ]day|overnight|express (delivery|shipping|post)|expedited|(faster|quicker|speedier) (option|delivery|shipping|way|service)|(deliver|ship|send|get) it (faster|quicker)|(need|want) (it|them|this|my order) (by|before) (the )?(weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|christmas)|rush (delivery|shipping|order)|(leave|leaves) (the|your) warehouse|how soon .{0,30}(ship|ships|shipped|dispatch\w*|leave|leaves|go out|goes out|sent out)`, ""),
		// paid or ordered a while ago and not shipped yet (付款一天了还没
		// 发货, "I paid yesterday and it still hasn't shipped"): how soon
		// the shop ships after payment, which the shipping rule states;
		// an order she names is still looked up (see orderAnswer)
		zhConcept("dispatch_wait", "付款后 小时内发货 发货", `(付款|付了款|付的款|付完款|支付|下单|下了单|下的单|拍下|拍了|买)(了|的|后|完|以后|之后)?.{0,8}(还|都|仍|仍然|怎么|咋|为什么|为啥)?(还)?(没|没有|未|不)(发货|发出|寄出|出货|出库|发|寄|动静|物流|消息)|(还|都|怎么|咋)(没|没有|不)(发货|发出|寄出|出货|出库)`, `付|下单|下了单|下的单|拍|买|天|小时`),
		enConcept("dispatch_wait", "ship within business days of payment shipped", `(paid|ordered|placed (my|the|an) order|bought|purchased)( it| for it| for them)?.{0,40}(still )?(hasn'?t|has not|haven'?t|have not|not|isn'?t|is not|wasn'?t|was not|didn'?t|did not) (yet )?(been )?(ship|shipped|dispatched|sent|sent out|left|gone out)|(hasn'?t|has not|not|still hasn'?t|still not|isn'?t) (been )?(shipped|dispatched|sent out|sent)( out)? yet|(still )?(waiting|wait) for (it|my order|the order) to (ship|be shipped|be dispatched|go out)|still (says|shows|showing|at|in|stuck (at|in|on)) (processing|pending|preparing|not shipped|unshipped)|(paid|ordered)( for it)? .{0,20}(still )?no (tracking|shipping|dispatch) (number|info|information|update|email|details)|(paid|ordered).{0,30}nothing (has )?(been )?(shipped|dispatched|sent)( out)?`, ""),
		// who pays to send a return back
		zhConcept("return_postage", "退回运费 承担 退货", `(退货|退回|寄回|退换货?)(的话)?(的)?[^，。？！,.?!]{0,3}(运费|邮费|快递费)|(运费|邮费)(谁|由谁|是谁|谁来)(出|付|承担|负责)`, ""),
		enConcept("return_postage", "return shipping paid", `who (pays|covers|pays for) (the )?(return|returns) (shipping|postage|delivery)|return (shipping|postage) (costs?|fees?|charges?)|free returns?|pay (for )?(the )?return (shipping|postage)`, ""),
		// postage said 邮费, once the postage of a return has been read
		zhConcept("shipping_cost", "运费 包邮", `邮费`, ""),
		// how long she has to send it back
		// how long ago she bought it, asked with a return: the window
		enConcept("return_window", "return returns within days", `(bought|ordered|purchased|received|got|delivered|arrived|came)( it| this| that| them| something| one| the \w+)?( about| around| roughly| nearly| almost| over| just over| more than| less than| like)? ([0-9]+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|a few|a couple of|several) (days?|weeks?|months?)( ago| back)?|(days?|weeks?|months?) (ago|back|later|after (delivery|buying|purchase|it (came|arrived)))|(still|too late to) (return|send)|past the (return )?(window|deadline)`, `return|refund|send (it |them )?back|exchange`),
		zhConcept("return_window", "七天无理由退货 退货 自签收", `(买|下单|收到|到货|到手|签收|拿到|寄到|送到)(了|的)?(也)?(已经|大概|差不多|快|有|都)?(有)?([0-9]+|一|两|二|三|四|五|六|七|八|九|十|半)(多)?(天|周|个星期|星期|个月|月)(了|多)?|(超过|过了)([0-9]+|七|十五)天|(还|现在)(能|可以)退`, `退([^差]|$)|换`), // 退差价 is the price drop's
		zhConcept("item_condition", "未使用 包装", `没(有)?(用|使用|拆|穿)过|没拆(封)?|全新|未拆封|未使用`, `退|换`),
		enConcept("item_condition", "unused original packaging", `never (used|worn|opened)|not (been )?(used|worn|opened)|haven't (used|worn|opened)|unused|unopened|still (sealed|in the box|boxed)|brand new`, `return|refund|send|back|exchange`),
		enConcept("return_window", "return returns within", `(returns?|refund|exchange) (window|period|time ?limit|deadline)|how long (do i have|have i got|can i wait) to`, ""),
		// a change of mind: sending back what she does not want
		// how a return is made: the rule's own path (申请售后, "Start a
		// return"), not another entry that mentions the procedure in passing
		zhConcept("exchange", "换货 换尺码 换颜色", `换货(的)?(流程|步骤|手续|程序)|(怎么|如何|怎样)(申请|办理)?换货`, ""),
		zhConcept("return_how", "退货 申请售后", `(退货|退换货)(的)?(流程|步骤|手续|程序)|(怎么|如何|怎样)(申请|办理)(退货|退换货)`, ""),
		enConcept("return_how", "start a return request", `return (process|procedure)|how (do|can|would) i (start|make|request|begin|open) a return`, ""),
		zhConcept("return", "退货 无理由退货", `(能|可以|想|要|怎么|如何|能不能|可不可以|还能)退(吗|掉|了|货|回去|不了|得了|不|换|$|[?？。，,!！])|退掉|寄回(去|给你们)?|不想要了?|不要了|不喜欢了?|买错了?`, ""),
		enConcept("return", "return returns", `send (it |them |this |something |an item |items )?back|take (it |them )?back|give (it |them )?back|change of mind|changed my mind|don'?t want (it|them)( anymore| any more)?|no longer want|don'?t like (it|them)|ordered the wrong`, ""),
		// the state of what is sent back: tags, packaging, use
		zhConcept("item_condition", "吊牌 包装 未使用 拆封", `吊牌|标签|拆(了|掉|开|封)|开封|开箱|用过|试穿|穿过|戴过|洗过|(穿|用|戴|洗|背)(了|过)(一|两|几|1|2)(次|回|下)|上身|上脚|上过身|(包装|盒子)(扔|丢|坏|没)`, ""),
		enConcept("item_condition", "unused original packaging tags", `tags?|labels?|(been |was |were )?(opened|worn|washed)|wore (it|them|this|that|the \w+)?|tried (it |them )?on|used (it|them) (once|a few times|twice)|without (the )?(box|packaging)|(threw|thrown) (away )?(the )?(box|packaging)|original (box|packaging)`, `return|exchange|refund|send|back|swap`),
		// when a refund arrives, and where it goes
		zhConcept("refund_time", "退款 到账 原路退回", `退(款|钱)?(会)?(退)?到哪(里|儿)?|退(回|到)(哪|什么)(里|地方)?|到账|到帐|入账|入帐|(原本|原来|原先|当初)的?(付款|支付|付钱)的?(方式|渠道|账户|帐户|途径)|(钱|款)(什么时候|多久|几天|啥时候)?(能|才)?(退|回|到)(回来|到|账)?|退(款|钱)(要|需要)?(多久|几天|什么时候)|原路|(回|退)(到|回)(我的|原来的|原)?(信用卡|银行卡|储蓄卡|卡|账户|支付宝|微信)`, ""),
		enConcept("refund_time", "refund money back", `(my |the )?money (to )?(come|get|be) back|money back|get (my )?money|(be |get )refunded|reimburs\w*|credited|back (on|onto|to|into) (my|the same|the original) (card|account|payment method)|(same|original) (card|account|payment method) (i|we) (used|paid with)|refund (take|to arrive|to show|to appear|shows?|appears?|arrives?|comes? through|goes? through)|bank statement|how long (for|until|till|before) (a |my |the )?refund`, ""),
		// another size or colour instead
		// 还能换不, 不行的话可以换吗: whether she may exchange it
		zhConcept("exchange", "换货 换尺码 换颜色", `(可以|能|还能|能不能|可不可以|能否)换(吗|嘛|么|不|呢|一下吗|$|[?？。，,!！])`, ""),
		zhConcept("exchange", "换货 换尺码 换颜色", `换(个|一个|一下|成|掉)?(大|小)?(一|半)?(个)?(码|号|尺码|尺寸|颜色|色|款式?)|调换|更换(尺码|颜色)|(尺码|码数|大小)不(对|合适)|不合(身|脚|适)|穿不(下|上)|太(大|小|紧|松)了`, ""),
		enConcept("exchange", "exchange different size colour", `swap\w*|(different|another|other|bigger|smaller|larger|next) (size|colou?r)|wrong (size|colou?r)|(doesn'?t|does not|didn'?t|don'?t) fit|too (small|big|large|tight|loose|short|long)|size (up|down)|change (the|it for a|to a) (size|colou?r)`, ""),
		// how long an order may wait for payment
		zhConcept("payment_deadline", "付款 超时 自动取消", `(付款|支付|付钱)(有)?(的)?(时间|时限|期限)(限制)?|多久(内)?(要|得|必须)?(付款|支付)|超时|没(有)?(付款|支付|付钱)|未付款|忘了付款`, ""),
		enConcept("payment_deadline", "not paid within cancelled automatically", `pay (straight away|immediately|right away|in time|later|at once)|(don'?t|do not|didn'?t|did not|forget to|forgot to) pay|payment (deadline|time limit)|unpaid|time limit (to|for) pay\w*|(haven'?t|have not|hasn'?t|has not|not yet|never) (yet )?(paid|paying|pay)|(before|until|till) (it'?s|it is|it gets|they'?re|the order is|my order is) (auto[- ]?)?cancel\w*`, ""),
		// what size to take
		zhConcept("sizing", "尺码 偏大 偏小", `穿(多大|什么|几|哪个|哪)(的)?(码|号)|选(码|哪个码|什么码|哪个尺码|多大)|多大(的)?(码|号)|标准码|平时穿|尺码(怎么|如何)?选|(两|2)个(尺码|码数?|号|尺寸)(之间|中间)|介于.{0,6}(码|号)|(码|号)(之间|中间)|(选|买|拿|要)大(一)?(码|号)还是(选|买|拿|要)?小|大(一)?(码|号)还是小(一)?(码|号)|(码|号)(偏大|偏小|正不正)|(s|m|l|xl|xxl|xs)(码|号)?还是(s|m|l|xl|xxl|xs)`, ""),
		enConcept("sizing", "size sizing runs small", `what size|which size|size (should|do) i|usually (wear|take) (a |an )?(size )?\w+|true to size|runs? (small|large|big)|(small|medium|large|xl|xs|s|m|l) or (small|medium|large|xl|xs|s|m|l)|between (two |2 )?sizes|between (a |an )?(size )?(small|medium|large|xl|xs|s|m|l|\d+) and (a |an )?(small|medium|large|xl|xs|s|m|l|\d+)|size up or (size )?down|(go|size) (up|down) a size|(the )?(bigger|larger|smaller) (one|size) or (the )?(bigger|larger|smaller)`, ""),
		// a fee for a service
		zhConcept("fee", "免费", `收费|要钱吗|要不要钱|额外(的)?费用|付费吗|收不收费`, ""),
		// paying when the parcel comes (收到货再付钱, 先收货后付款, "pay the
		// courier when it arrives"): cash on delivery, which the payment
		// rule says the shop does not offer
		zhConcept("cash_on_delivery", "货到付款", `(收到|拿到|到了|签收|到货|送到|见到)(货|东西|包裹|快递)?(以后|之后|后|了|再|才)+(再|才)?(付|给)(钱|款)|先(收|拿|看)(到)?货(再|后)(付|给)(钱|款)?|到付|当面(付|给)(钱|现金)|给快递(员)?(付|给)?(钱|现金)`, ""),
		// cash handed over when it comes (快递员送到门口的时候给现金): the
		// cash, said beside the delivery
		zhConcept("cash_on_delivery", "货到付款", `(付|给|交|用)现金|现金(付|支付|给|结)`, `快递|送到|送来|送货|上门|门口|签收|收货|到了|配送`),
		enConcept("cash_on_delivery", "cash on delivery", `pay (the courier |the driver |the (postman|postwoman|mailman|postie) |the delivery (guy|man|person|driver) |cash |in cash )?(when|once|as soon as) (it|the parcel|the package|the order|my order|the delivery|they|my stuff|the box) (arrives|arrive|comes|come|shows up|show up|turns up|turn up|gets here|get here|lands|is delivered|are delivered|is dropped off)|pay (the courier|the driver|the (postman|postwoman|mailman|postie)|the delivery (guy|man|person|driver)|on delivery|when (it|the parcel|the package|the order|my order) (arrives|comes|is delivered)|at the door|in cash|cash)|pay (for it )?(after|once|when) (i )?(receive|get)( it| the (parcel|package|order|item))?|cod\b`+
			// "do u take cash when the parcel arrives": cash taken at delivery
			`|(take|accept|accepts|taking|accepting) cash (when|once|on|at|as soon as) (it|the parcel|the package|the order|my order|the delivery|delivery|the door|they)( arrives| comes| shows up| turns up| gets here| is delivered)?`, ""),
		// paying over time
		zhConcept("instalment", "花呗分期 分期", `分(期|几期|[0-9]+期)|先用后付|月付|按月(付|还)|免息`, ""),
		enConcept("instalment", "installments split interest-free payments", `instal?lments?|pay (it )?in (parts|installments|instalments)|split (the |my |a )?(payment|cost|bill)|pay later|pay over time|buy now,? pay later|bnpl|monthly (payments?|plan)|pay monthly|interest[- ]free|payment plan|spread (the |my )?(cost|payments?|price)|pay (it |for it |this |the order )?(in|over) (a few|several|some|two|three|four|2|3|4|multiple|smaller|little) (chunks|parts|bits|goes|payments|instalments|installments|months)|split (it|this|that|the order|my order|the total|the price|the bill)? ?(in|into|up into) (\w+ )?(payments|instalments|installments|chunks|parts)`, ""),
		// a code or coupon at checkout
		zhConcept("coupon", "优惠券", `优惠码|折扣码|兑换码|券码|促销码|代金券|抵用券|折价券`, ""),
		enConcept("coupon", "coupon code", `promo(tion(al)?)? codes?|discount codes?|voucher( codes?)?|coupon codes?|gift codes?|promo`, ""),
		// the words of Taiwan and Hong Kong that OpenCC's character
		// folding leaves as they are
		zhConcept("regional_warranty", "保修", `保固|保養期`, ""),
		// who to contact for a warranty claim and what to send: the
		// warranty rule's claim sentence (订单号, 照片)
		zhConcept("warranty_claim", "保修 订单号 照片", `保修(要|该|应该|得)?(找谁|联系谁|找哪里|怎么申请|怎么办理|流程|需要什么|要准备|准备什么|要什么|需要哪些)|(申请|办理)保修(要|需要|得)?(准备)?(什么|哪些)?(材料|资料|东西)?`, ""),
		// a story that ends by asking whether it is covered: the warranty
		enConcept("warranty_claim", "warranty", `(is|are|would|will) (that|this|it|they|these|those|she|he) (still |be )?(be )?(covered )?(under|by) (the |your |a )?(warranty|guarantee)|covered by (the |your )?(warranty|guarantee)`, ""),
		zhConcept("regional_card", "信用卡 支付", `刷卡|碌卡`, ""),
		zhConcept("regional_delivery", "快递 配送", `宅配|宅急便|超商取货|便利店取货`, ""),
		zhConcept("regional_dispatch", "发货", `出货`, ""),
		zhConcept("regional_invoice", "发票 税号", `统编|统一编号|统一发票|收据`, ""),
		// more than one coupon on an order
		zhConcept("coupon_stack", "优惠券 每笔订单限用一张", `(两|2|几|多|三|3)张|叠加|叠用|同时(用|使用)|一起(用|使用)|合并(用|使用)|一起抵`, `券|优惠码|折扣码`),
		enConcept("coupon_stack", "coupon one code per order", `(two|2|several|multiple|more than one|three|3) (coupons?|codes?|vouchers?|promo codes?|discount codes?)|stack\w*|combin\w*|together|at the same time|at once`, `coupon|code|voucher|promo`),
		// how long points last, asked in the words of losing them (过期清零,
		// 失效, "do my points expire?"): the validity the rule states (有效期)
		zhConcept("validity", "有效期", `(会|会不会|会否|要|是否)?(过期|清零|失效|作废|到期)(清零|作废|失效|了)?|(能|可以)?(用|留|保留|存)(多久|多长时间|几年|到什么时候)`, `积分|点数`),
		enConcept("validity", "valid validity", `expir\w*|run out|lapse\w*|(valid|good) (for|until)|how long (do|will|does|can) (my |the )?(points|rewards?) (last|stay|be kept)`, `points|rewards?`),
		// what points or a coupon are worth at checkout
		zhConcept("offset", "抵扣", `(能|可以|可)?抵(扣|现|钱|用)?(多少)?(钱)?|当(钱|现金)用|值多少钱|折算|换算`, `积分|券|点数`),
		enConcept("offset", "points redeem", `redeem\w*|redemption|worth|convert\w*|cash (them |it )?in|spend (my |the )?points|use (my |the )?points|points value`, `points|rewards?|loyalty`),
		// when people are there
		zhConcept("hours", "客服时间 工作时间 上班时间", `下班|上班|营业|开门|关门|(客服|服务|工作|在线|人工)(的)?时间|几点(有人|在线|开始|结束|到几点)|到几点|(周末|节假日|晚上|夜里|半夜)(有人|有客服|上班|在线|回复)`, ""),
		enConcept("hours", "support hours business hours opening hours", `opening (hours|times)|business hours|office hours|working hours|hours of (operation|business)|what time (do|are|does) (you|your|the team|support|customer service)|when (do|are|does) (you|your team|support|customer service) (open|close|start|finish|available)|are you open|closing time|(open|available) (on |at )?(weekends?|sundays?|saturdays?|holidays)|when can i (reach|call|talk to|speak to|contact)`, ""),
		hoursFlag(),
		// whether the shop has people at all (有人工客服吗, "do you have
		// human customer service?") is a question about the service, which
		// the service-hours rule answers, not a request for a person
		zhConcept("hours", "人工客服时间 客服时间", `客服(是|有|都)?(24|二十四)(个)?小时|(24|二十四)(个)?小时(的)?(客服|在线|有人)|客服全天|全天(都)?(在线|有人)|有(没有)?(人工客服|人工服务|真人客服)(吗|么|嘛|[?？]|$)|有没有(人工客服|人工服务|真人客服)|(人工客服|人工服务|真人客服)(有吗|有没有|在不在|周末|节假日|晚上)`, ""),
		enConcept("hours", "support hours business hours", `(is|are) (your )?(customer service|customer support|support|the team|your team|you) (open |available |there )?(24/7|24 hours|around the clock)|(do|does) (you|the shop|your shop|your store) (have|offer) (a |any )?(human|live|real)? ?(customer service|customer support|support team|agents|staff|people answering)|is there (a |any )?(human|live) (customer service|customer support|support)|what are (the|your) (hours|support hours|customer service hours|opening times)`, ""),
		// when the people of the service are there: the hours, not a request for one ("when are your human agents available? not now")
		enConcept("hours", "support hours business hours", `when (are|is|will|do) (your|the) (human |live |real )?(agents?|staff|team|people|humans?|representatives?|reps?|operators?|customer service( team| staff| agents?)?|support( team| staff| agents?)?) (available|online|around|working|in|on|back|start)|what (hours|times?) (are|is|do) (your|the) (human |live )?(agents?|staff|team|people|customer service|support)|(are|is) (your|the) (human |live |real )?(agents?|staff|team|people|customer service|support)( team| staff| agents?)? (around|available|online|working|in|there|open) (on |at |during |in the )?(weekends?|sundays?|saturdays?|holidays|nights?|evenings?|mornings?)|(do|does) (you|your shop|the shop|your store) (have|offer|do) (a |any )?(live chat|human chat|chat support|phone support)`, ""),
		// a person or a live chat asked of with the hours it runs ("live
		// chat with real people, and what times?"): the service's hours
		enConcept("hours", "support hours business hours", `\b((is there|are there|do you have|do you offer|have you got) (a |any )?)?(live chat|chat support|real people|real person|humans?|agents?|staff|customer service|support|a person|someone)\b.{0,40}\b(at )?(what|which) (hours|times|days)\b|\b((is there|are there|do you have|do you offer|have you got) (a |any )?)?(live chat|real people|real person|humans?|agents?)\b.{0,40}\band when\b|\bis there (a |any )?(live chat|human chat|chat support|phone support)\b`, ""),
		zhConcept("hours", "人工客服时间 客服时间", `(人工|真人|客服|在线客服|在线聊天).{0,10}(几点到几点|什么时间段|哪些时间|什么时候有人)`, ""),
		zhConcept("hours", "人工客服时间 客服时间", `(人工客服|人工|真人客服|客服人员|客服)(一般)?(什么时候|啥时候|哪些时间|哪个时间段)(在|上班|有人|在线|能|可以|开始)`, ""),
		// whether a person is there at a time she names (see personAtTimeEn)
		zhConcept("hours", "人工客服时间 客服时间", personAtTimeZh, ""),
		enConcept("hours", "support hours business hours", personAtTimeEn, ""),
		// the wrong item sent (发错了, 寄来个小号, "you sent the wrong
		// size"): the returns rule for quality problems and wrong items
		zhConcept("wrong_item", "发错货 质量问题 退换货", `(发|寄|送|给|拿|配)错(了)?(货|东西|尺码|码|颜色|款|型号)?|(寄|发|送)(来|过来|给我)(了)?(的是|个|一个|成)?(小号|大号|中号|别的|其他|另一|不对|错)|(尺码|颜色|款式|型号|码数)(发|寄|送)?(错|不对)了?|不是我(买|下单|要|订)的`, ""),
		enConcept("wrong_item", "return wrong items", `(sent|shipped|delivered|gave) (me )?(the |a |an )?wrong (item|size|colou?r|one|product|thing|model|version)|wrong (item|size|colou?r|product|model) (was )?(sent|delivered|arrived|came)|(not|isn'?t|wasn'?t) what i (ordered|bought)|(sent|got|received) (me )?(a|an|the) (small|medium|large|xs|xl|different \w+) instead|(sent|got|received) .{0,20} instead of`, ""),
		// damage found on arrival: the returns rules for faulty and
		// damaged goods; a fault that came with use: the warranty
		quietly(zhConcept("damaged_on_arrival", "质量问题 运输破损 退换货", `(收到|到货|到手|刚到|签收|拆开|打开|开箱|送来|寄来|一到).{0,12}(坏|裂|碎|破|漏|断|瑕疵|不亮|不能用|用不了|没反应)`, "")),
		quietly(enConcept("damaged_on_arrival", "return wrong items", `(arrived|came|was delivered|received (it|them)?)\s*(broken|damaged|cracked|smashed|leaking|faulty|dead|torn|in pieces)|(broken|damaged|cracked|smashed|leaking|faulty|dead) (on|when it|when they) (arrival|arrived|came)`, "")),
		// the parcel itself damaged in transit (a crushed box, a broken
		// seal on arrival, 箱子压扁了, 封口破了): what is inside came damaged
		quietly(enConcept("damaged_on_arrival", "return wrong items", `(arrived|came|was delivered|turned up|showed up)\s*(all |completely |totally |badly )?(crushed|squashed|smashed|dented|torn|ripped|opened|open|soaked|wet|crushed)|(crushed|squashed|smashed|dented|torn|ripped|broken|damaged|soaked|opened) (box|boxes|parcel|package|packaging|seal|carton)|(box|boxes|parcel|package|packaging|seal|carton) (was |were |is |arrived |came |had been |has been )?(all |completely |badly )?(crushed|squashed|smashed|dented|torn|ripped|broken|damaged|soaked|open|opened)|(damaged|broken|crushed|smashed) (in transit|during (shipping|delivery|transit)|on (the )?way|on arrival)`, "")),
		quietly(zhConcept("damaged_on_arrival", "质量问题 运输破损 退换货", `(箱子|盒子|包装|外包装|纸箱|快递盒|包裹|封口|封条|封膜|外箱)(是|被|都|全|也|有点|有些|已经)?(压扁|压坏|压烂|压变形|压瘪|破|破损|破了|烂了|坏了|裂|裂开|拆开过|开了|湿了|泡水)|(运输|路上|快递)(途中|中|过程中)?(被)?(压|摔|磕|碰)?(坏|破|损|碎|裂)`, "")),
		// a small flaw found on opening the parcel (有划痕, "a dent"): the
		// rules for quality problems, said in their words
		quietly(zhConcept("damaged_on_arrival", "质量问题 运输破损 退换货", `(收到|到货|刚到|签收|拆开|打开|开箱|送来|寄来|一到|发现|上面|上|有)(了)?(个|一个|一道|几道|点|一点|些)?(小|细|明显的|很多)?(划痕|刮痕|刮花|划花|凹痕|凹坑|磕碰|缺口|掉瓷|裂纹|污渍)`, "")),
		quietly(enConcept("damaged_on_arrival", "return wrong items", `(arrived|came|was delivered|received (it|them)?)\s*(with )?(a |an )?(small |tiny |little |big )?(scratch|scratches|scratched|dent|dents|dented|chip|chipped|scuff|scuffs|scuffed|stain|stains|stained|crack|cracks)`, "")),
		quietly(zhConcept("fault", "保修 维修", `坏了|坏掉|故障|失灵|充不(进|上|了)电|开不了机|不开机|没反应|连不上|不亮了|没声音|有杂音|断了|开线|开胶|脱胶`, "")),
		quietly(enConcept("fault", "warranty repair faulty", `stopped (working|charging)|not working|(doesn'?t|does not|won'?t|no longer) (work|charge|connect|turn on|switch on|hold a charge)|broke|broken|snapped|came apart|fell apart|faulty|defective|malfunction\w*|is dead|one side is dead`, "")),
		// paperwork for a company
		zhConcept("invoice", "发票", `报销|收据|凭证|开票`, ""),
		enConcept("invoice", "invoice receipt", `tax receipt|company receipt|expense claim|expenses|bill for (my|the|our) company|proof of purchase`, ""),
		// changing or cancelling before it ships
		zhConcept("order_change", "修改地址 取消订单", `(改|换|修改|更改|更换)(个|一下)?(收货)?地址|(下|写|填|选|留|输)(错|漏)了?(收件|收货)?(人)?(的)?地址|(收货)?地址(能不能|可以|能|可不可以|要|想|怎么|如何)?(改|修改|更改|换)|地址(写|填)(错|漏)了?|(写|填)(错|漏)了?(收件|收货)?(人)?(的)?地址|(取消|撤销|撤回)(这个|这笔|我的)?(订单|这单|下单)?|不要这单`, ""),
		enConcept("order_change", "change address cancel order", `(change|update|correct|fix|edit) (the|my) (delivery |shipping )?address|(old|wrong|previous|incorrect|outdated) (delivery |shipping |home )?address|address (is |was )?(wrong|incorrect|old|outdated|out of date)|(put|entered|typed|used|gave) (in )?(the |my |an )?(old|wrong|incorrect|previous) (delivery |shipping |home )?address|wrong (delivery |shipping )?address|cancel( (my|the|an|this|that) order| it)?|modify (my|the) order`, ""),
		// a lower price after she bought
		zhConcept("price_drop", "价保 降价 差价", `降价了?|便宜了|买贵了?|(补|退|返)差价|差价|价格(变|降)(低|了)|(价格|价钱|售价)?(降|少|低)了[0-9一二两三四五六七八九十百几]+(块|元)|(现在|突然|就)(打折|特价|促销)了|(价格|价钱)(变)?(低|便宜)了`, ""),
		enConcept("price_drop", "price drop price adjustment difference", `price (went|has gone|has dropped|dropped|fell|was reduced|was cut|is lower)|(went|gone|is|it's|now) on sale|on sale (for less|cheaper)|(for|costs?|selling for|sells for) less( now)?|(got|went|gone|been) (down|reduced|marked down) in price|marked down|dropped in price|(went|gone|come) down( in price)?|(got|is) cheaper( now)?|cheaper (now|after)|refund the difference|the difference back|price cut|lower price now|flash[- ]sales?`, ""),
		// a lower price after she bought, said with the price as subject
		// (价格就降了, 價格又跌了: folded to Simplified before this reads it)
		zhConcept("price_drop", "价保 降价 差价", `(价格|价钱|售价|价)(就|又|都|竟然|居然|马上|突然|立马|一下)?(降|跌|下调|便宜|变便宜|调低)(了|啦)|(就|又|竟然|居然|马上|突然|立马)(降价|降了|便宜了)|(降价|降了|便宜了)([0-9]+|[一二两三四五六七八九十百几]+)(块|元|块钱)`, ""),
		// a refund still not there after the return arrived: the refund
		// rule's processing time, not a rule it cannot find
		zhConcept("refund_time", "退款 到账 原路退回", `(还|仍然|一直|都)(没|没有|未)(收到|看到|拿到|见到)?(退款|退钱|钱)|(退款|退的钱|钱)(还|仍然|一直|都)?(没|没有|未)(到|退|到账|下来|回来)|还没(给我)?退(款|钱)?`, `退`),
		enConcept("refund_time", "refund money back", `(still )?no (sign of (my |the |a )?)?refund|(haven'?t|have not|didn'?t|did not|not) (yet )?(got|gotten|received|had|seen) (my |the |a |any )?(refund|money)|(refund|money) (still )?(hasn'?t|has not|isn'?t|is not|not) (arrived|come|come through|shown up|here|back)|still (waiting|no sign) (for|of) (my |the |a )?(refund|money)|where(?: i|')?s my refund`, ""),
	}
	return cs
}()

func quietly(c concept) concept {
	c.quiet = true
	return c
}

// hoursFlag is a marker concept: its phrases already say 客服时间 and the
// like, so it replaces nothing and only marks the question as asking when
// people are there.
func hoursFlag() concept {
	return concept{name: "hours", lang: Zh, re: regexp.MustCompile(`客服(时间|几点)|几点(上|下)班`), hours: true}
}

// conceptMatch is what conceptualize found.
type conceptMatch struct {
	names []string
	hours bool
}

// conceptualize replaces in the normalised text n every phrase of a
// concept by the concept's words, and says which concepts it found.
func conceptualize(n string) (string, conceptMatch) {
	var m conceptMatch
	han, latin := hasHan(n), hasLatin(n)
	arrived := false
	// a change she asks for before it ships ("change my address, it
	// hasn't shipped yet", 还没发货，能取消吗) is the order-change rule's:
	// that it has not shipped is why she can, not a wait to explain
	changing := false
	for _, c := range concepts {
		if c.name == "order_change" && (c.lang == Zh && han || c.lang == En && latin) && c.re.MatchString(n) {
			changing = true
		}
	}
	// 签收十天了还能换不: the days since she signed for it, asked of an
	// exchange, count toward the exchange rule's window, not the 7-day
	// return's; 维修好了是寄回给我吗: what is sent back after a repair is
	// the warranty's, when she asks no return (退)
	exchanging := false
	for _, c := range concepts {
		if c.name == "exchange" && c.lang == Zh && han && c.re.MatchString(n) {
			exchanging = true
		}
	}
	repairing := han && repairRe.MatchString(n) && !strings.Contains(n, "退")
	for _, c := range concepts {
		if c.lang == Zh && !han || c.lang == En && !latin {
			continue
		}
		if c.needs != nil && !c.needs.MatchString(n) {
			continue
		}
		if c.name == "return_window" && c.lang == Zh && exchanging {
			c.words = "换货 自签收"
		}
		if c.name == "return" && c.lang == Zh && repairing {
			c.name, c.words = "warranty_return", "保修 维修 本店寄回"
		}
		if c.name == "dispatch_wait" && changing {
			continue
		}
		// damage there on arrival is the returns rule's, not a fault of
		// use the warranty covers: "the box arrived crushed and the item
		// inside is broken" says the words of both
		if c.name == "fault" && arrived {
			continue
		}
		if !c.re.MatchString(n) {
			continue
		}
		if c.name == "damaged_on_arrival" {
			arrived = true
		}
		if !c.quiet {
			m.names = append(m.names, c.name)
		}
		if c.name == "hours" {
			m.hours = true
		}
		if c.words != "" {
			n = c.re.ReplaceAllLiteralString(n, " "+c.concreteWords(han)+" ")
		}
	}
	return n, m
}

// repairRe finds a repair asked of (保修, 维修好了, 返修).
var repairRe = regexp.MustCompile(`保修|维修|修好|修理|返修|质保|保固|送修|修完`)

// concreteWords are the words c stands for in the text: an English
// phrase inside Chinese (我的order还没发货，还能cancel吗) stands for the
// Chinese words of the same concept, which the Chinese rules use.
func (c concept) concreteWords(han bool) string {
	if c.lang != En || !han {
		return c.words
	}
	for _, z := range concepts {
		if z.lang == Zh && z.name == c.name && z.words != "" {
			return z.words
		}
	}
	return c.words
}

func hasLatin(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i] | 0x20; b >= 'a' && b <= 'z' {
			return true
		}
	}
	return false
}

// conceptNames lists the concepts text names (for tests and flags).
func conceptNames(text string) []string {
	_, m := conceptualize(normalize(text))
	seen := map[string]bool{}
	var out []string
	for _, n := range m.names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// askingConcepts are the concepts that ask a question of one topic (when
// a refund arrives, what delivery costs), rather than name a topic in
// passing (寄回去 in "after I send it back, when is my money back?").
var askingConcepts = map[string]string{"refund_time": "refund", "delivery_time": "shipping", "shipping_cost": "shipping", "dispatch_wait": "shipping",
	"return_postage": "returns", "return_window": "returns", "refund_coupon": "refund"}

// withoutAsking is the normalised text n without the phrases of its
// asking concepts (see askingConcepts).
func withoutAsking(n string) string {
	for _, c := range concepts {
		if _, ok := askingConcepts[c.name]; !ok || c.needs != nil && !c.needs.MatchString(n) {
			continue
		}
		n = c.re.ReplaceAllLiteralString(n, " ")
	}
	return n
}

// askedTopics lists the topics the asking concepts of text ask of.
func askedTopics(text string) map[string]bool {
	out := map[string]bool{}
	for _, c := range conceptNames(text) {
		if tp, ok := askingConcepts[c]; ok {
			out[tp] = true
		}
	}
	return out
}

// enServiceWords are the English words of the shop's services that a
// Chinese message may borrow (下单以后多久ship), with the Chinese words its
// rules use. Longer phrases come first.
var enServiceWords = []struct{ en, zh string }{
	{"free shipping", "包邮"}, {"free delivery", "包邮"}, {"tracking number", "物流单号"}, {"size chart", "尺码表"},
	// "return policy是怎样的", "7 days" beside Chinese: the rule and its days
	{"return policy", "退货规则"}, {"refund policy", "退款规则"}, {"policy", "规则"}, {"days", "天"}, {"day", "天"},
	{"unopened", "未拆封"}, {"unused", "未使用"},
	{"shipping", "发货"}, {"shipped", "发货"}, {"ships", "发货"}, {"ship", "发货"}, {"dispatch", "发货"},
	{"delivery", "送达"}, {"delivered", "送达"}, {"deliver", "送达"},
	{"refunds", "退款"}, {"refunded", "退款"}, {"refund", "退款"}, {"returns", "退货"}, {"return", "退货"},
	{"exchange", "换货"}, {"invoice", "发票"}, {"receipt", "发票"}, {"warranty", "保修"}, {"guarantee", "保修"},
	{"sizing", "尺码"}, {"size", "尺码"}, {"address", "地址"}, {"coupon", "优惠券"}, {"voucher", "优惠券"}, {"tracking", "物流"}, {"payment", "支付"},
}

// enAttributeWords are the English words of a product's specification
// that a Chinese message may borrow (这个月亮椅max load是多少kg, 折叠椅的
// weight capacity), with the Chinese words of the catalog's selling
// points. Longer phrases come first: "weight capacity" is 承重, "weight"
// alone 重量.
var enAttributeWords = []struct{ en, zh string }{
	{"maximum load", "承重"}, {"max", " "}, {"max load", "承重"}, {"load capacity", "承重"}, {"weight capacity", "承重"}, {"weight limit", "承重"},
	{"max weight", "承重"}, {"maximum weight", "承重"}, {"load-bearing", "承重"}, {"load bearing", "承重"}, {"how much weight", "承重多少"},
	{"battery life", "续航"}, {"waterproof", "防水"}, {"water-resistant", "防水"}, {"water resistant", "防水"},
	{"weight", "重量"}, {"material", "材质"}, {"capacity", "容量"}, {"colours", "颜色"}, {"colors", "颜色"}, {"colour", "颜色"}, {"color", "颜色"},
	{"price", "价格"}, {"in stock", "有货"},
}

// zhServiceWords replaces the English service and specification words of
// a Chinese message (one with Han characters) with the Chinese words of
// the shop's rules and catalog;
// other words, product names among them ("power bank"), stay.
func zhServiceWords(text string) string {
	if !hasHan(text) || !hasLatin(text) {
		return text
	}
	n := foldWidth(text)
	low := asciiLower(n) // byte for byte, so offsets in low are offsets in n
	for _, w := range slices.Concat(enAttributeWords, enServiceWords) {
		for i := wordIndex(low, w.en); i >= 0; i = wordIndex(low, w.en) {
			n = n[:i] + w.zh + n[i+len(w.en):]
			low = low[:i] + w.zh + low[i+len(w.en):]
		}
	}
	return n
}

// wordIndex is the byte offset of w as a whole word in n, or -1.
func wordIndex(n, w string) int {
	for i := 0; ; {
		j := strings.Index(n[i:], w)
		if j < 0 {
			return -1
		}
		j += i
		if (j == 0 || !isWordByte(n[j-1])) && (j+len(w) == len(n) || !isWordByte(n[j+len(w)])) {
			return j
		}
		i = j + 1
	}
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
