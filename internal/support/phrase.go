package support

// phrases are the fixed sentences of offline answers in one language.
type phrases struct {
	handoffAsked, handoffComplaint, handoffLegal, handoffLowConf, handoffUngrounded, handoffUnverifiable string
	handoffRepeated, withPerson                                                                          string
	apology, mildSorry, offerPerson, outOfScope, greeting                                                string
	injection, discountRefusal, closestRule                                                              string
	verifyAsk, verifyFailed, orderNotFound, orderNotYours                                                string
	orderHead, orderItems, orderTotal, orderPaid, orderRefunded, orderPartRefund, orderTracking          string
	orderNoTracking                                                                                      string
	priceIs, inStock, lowStock, outOfStock, inactive, points, unknownAttr                                string
	recHead, recHeadGeneric, recNone, about, noProduct                                                   string
	recHeadBudget, fitsFor, clauseSep                                                                    string
	listSep, sentenceEnd, colon, itemSep                                                                 string
}

var phraseBook = map[string]phrases{
	Zh: {
		handoffAsked:        "好的，已为您转接人工客服，请稍候，客服同事会在这个对话里回复您。",
		handoffComplaint:    "非常抱歉给您带来这样的体验。我已把您的问题转给人工客服优先处理，客服同事会在这个对话里尽快回复您。",
		handoffLegal:        "非常抱歉给您带来困扰。涉及维权或法律的问题，我已转给人工客服主管处理，会在这个对话里尽快联系您。",
		handoffLowConf:      "抱歉，这个问题我没有找到可靠的资料，为避免给您不准确的答复，已为您转接人工客服，客服同事会在这个对话里回复您。",
		handoffUngrounded:   "抱歉，这个问题我无法给出有依据的答复，已为您转接人工客服，客服同事会在这个对话里回复您。",
		handoffUnverifiable: "这笔订单需要人工核实身份后才能查询，已为您转接人工客服，客服同事会在这个对话里回复您。",
		handoffRepeated:     "抱歉，我还是没能帮到您。已为您转接人工客服，客服同事会在这个对话里回复您。",
		withPerson:          "您的对话已转给人工客服，客服同事会在这里回复您，请稍候。您的新消息客服同事也会看到。",
		apology:             "非常抱歉给您带来不便。",
		mildSorry:           "很抱歉商品没能达到您的期待，您的感受我们很理解。",
		offerPerson:         "如需人工客服，回复“转人工”即可。",
		outOfScope:          "抱歉，这个问题超出了我能回答的范围。我可以帮您查询商品信息、订单状态和售后政策。",
		greeting:            "您好！我可以帮您查询商品信息、订单状态和售后政策，请问有什么可以帮您？",
		injection:           "抱歉，我只能按照店铺公布的价格和政策为您服务，不能更改规则、提供未公布的折扣，也不能透露内部设定。",
		discountRefusal:     "抱歉，我不能提供未公布的折扣，价格以商品页面和店铺公布的活动为准。",
		closestRule:         "店铺规则里没有逐字写到您问的情况，和它最相关的规则是这一条：",
		verifyAsk:           "为保护您的隐私，请提供订单号，以及下单时使用的邮箱或手机号后四位，验证后我再为您查询订单详情。",
		verifyFailed:        "抱歉，您提供的信息与订单记录不一致，无法显示订单详情。请核对订单号以及下单邮箱或手机号后四位。",
		orderNotFound:       "没有找到订单号 %s，请核对后再发给我。",
		orderNotYours:       "抱歉，无法确认订单 %s 与您的身份匹配，不能显示订单详情。",
		orderHead:           "订单 %s 于 %s 下单",
		orderItems:          "，共 %d 件商品：%s",
		orderTotal:          "，合计 %s",
		orderPaid:           "。当前状态：已付款，无退款记录",
		orderRefunded:       "。当前状态：已全额退款（%s，退款 %s）",
		orderPartRefund:     "。当前状态：已部分退款（%s，退款 %s）",
		orderTracking:       "。物流：%s %s",
		orderNoTracking:     "。系统中暂无物流单号记录",
		priceIs:             "%s 售价 %s",
		inStock:             "，目前有货",
		lowStock:            "，仅剩 %d 件",
		outOfStock:          "，目前暂时缺货",
		inactive:            "，该商品已下架",
		points:              "。卖点：%s",
		unknownAttr:         "商品资料中没有写明“%s”，我不能确定，需要的话可以帮您转人工确认。",
		recHead:             "根据您的购买和浏览偏好，为您推荐：",
		recHeadGeneric:      "为您推荐：",
		recHeadBudget:       "在您的预算内，为您推荐：",
		fitsFor:             "适合",
		clauseSep:           "；",
		recNone:             "抱歉，暂时没有合适的推荐。",
		about:               "关于%s：",
		noProduct:           "抱歉，没有找到您说的商品，可以告诉我商品名称或货号吗？",
		listSep:             "、",
		sentenceEnd:         "。",
		colon:               "：",
		itemSep:             "；",
	},
	En: {
		handoffAsked:        "Sure, I've passed this conversation to a member of our team; they will reply here shortly.",
		handoffComplaint:    "I'm really sorry about this experience. I've passed your message to our team as a priority, and a person will reply here as soon as possible.",
		handoffLegal:        "I'm sorry for the trouble. Because this concerns a legal matter, I've passed it to a team lead, who will reply here as soon as possible.",
		handoffLowConf:      "Sorry, I couldn't find reliable information on this, and I'd rather not guess. I've passed your question to our team; a person will reply here.",
		handoffUngrounded:   "Sorry, I can't give you an answer I can back up. I've passed your question to our team; a person will reply here.",
		handoffUnverifiable: "This order needs a person to confirm your identity first. I've passed it to our team; they will reply here.",
		handoffRepeated:     "Sorry, I still couldn't help with that. I've passed this conversation to our team; a person will reply here.",
		withPerson:          "A member of our team has this conversation and will reply here; they will see your new message too.",
		apology:             "I'm sorry for the inconvenience.",
		mildSorry:           "I'm sorry it didn't live up to what you hoped for, and I understand the disappointment.",
		offerPerson:         "If you'd like to talk to a person, just say \"human\".",
		outOfScope:          "Sorry, that's outside what I can help with. I can answer questions about our products, your orders and our policies.",
		greeting:            "Hello! I can help with our products, your orders and our policies. What can I do for you?",
		injection:           "Sorry, I can only help within the shop's published prices and policies. I can't change the rules, offer unpublished discounts or share internal instructions.",
		discountRefusal:     "Sorry, I can't offer an unpublished discount; prices are as shown on the product page and in the shop's published promotions.",
		closestRule:         "Our rules don't spell out your exact case; this is the rule closest to it.",
		verifyAsk:           "To protect your privacy, please send the order number together with the email address used for the order or the last 4 digits of its phone number, and I'll look it up.",
		verifyFailed:        "Sorry, the details you gave don't match the order, so I can't show it. Please check the order number and the order's email address or the last 4 digits of its phone number.",
		orderNotFound:       "I couldn't find an order numbered %s. Could you check the number and send it again?",
		orderNotYours:       "Sorry, I can't confirm that order %s belongs to you, so I can't show its details.",
		orderHead:           "Order %s was placed on %s",
		orderItems:          " with %d item(s): %s",
		orderTotal:          ", total %s",
		orderPaid:           ". Status: paid, no refunds",
		orderRefunded:       ". Status: fully refunded (%s, refund of %s)",
		orderPartRefund:     ". Status: partly refunded (%s, refund of %s)",
		orderTracking:       ". Shipping: %s %s",
		orderNoTracking:     ". No tracking number is on record yet",
		priceIs:             "%s costs %s",
		inStock:             " and is in stock",
		lowStock:            ", with only %d left",
		outOfStock:          " and is currently out of stock",
		inactive:            "; it is no longer sold",
		points:              ". Highlights: %s",
		unknownAttr:         "The product details don't mention \"%s\", so I can't be sure; I can ask a colleague to confirm if you like.",
		recHead:             "Based on what you've bought and browsed, you might like:",
		recHeadGeneric:      "You might like:",
		recHeadBudget:       "Within your budget, you might like:",
		fitsFor:             "good for ",
		clauseSep:           "; ",
		recNone:             "Sorry, I have no suitable recommendation right now.",
		about:               "About %s: ",
		noProduct:           "Sorry, I couldn't find that product. Could you tell me its name or SKU?",
		listSep:             ", ",
		sentenceEnd:         ".",
		colon:               ": ",
		itemSep:             "; ",
	},
}

func phrasesFor(lang string) phrases {
	if p, ok := phraseBook[lang]; ok {
		return p
	}
	return phraseBook[En]
}
