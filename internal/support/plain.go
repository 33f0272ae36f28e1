package support

import "strings"

// Plain words are the everyday words of a question that name no topic of
// their own: numbers and money ("fifty dollars", 几块钱), time ("already",
// 晚上, 刚买), common verbs ("see", "finish", 剪掉) and the general nouns of
// shopping ("something", 衣服). A policy need not contain them to answer
// the question, so they neither count against a passage's coverage nor
// make a question "about something the shop never mentions"; a topic word
// the shop's texts lack (学生优惠, "referral") still does.

var plainWords = wordSet(`zero one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty seventy
	eighty ninety hundred thousand few several couple half dozen dollars dollar bucks pounds pound quid euros euro cents pence
	second seconds minute minutes hour hours day days week weeks month months year years tonight morning afternoon evening night
	yesterday tomorrow today weekend ago already yet soon later earlier early late recently anymore ever never always usually often
	sometimes maybe perhaps probably instead else either neither both each every other another same own
	see saw seen get gets getting got gotten come comes coming came go goes going went gone take takes taking took taken make makes made
	put puts give gives gave given keep keeps kept send sends sent buy buys bought purchase purchased order ordered use used using
	finish finishes finished start starts started open opened close closed try tried wear wore worn happen happened work works worked
	stay leave left call called wait waiting waited receive received check checked show shows appear appears spend spent pay paid
	spread change changed put say said think thought feel felt mean means meant seem seems arrive arrives arriving arrived
	i've i'd i'll you're you've we're we've they're they've it'll that's there'll can't won't wouldn't couldn't shouldn't didn't wasn't
	aren't haven't hasn't hadn't
	thing things stuff item items product products piece pieces lot lots bit kind sort way ways time times place people someone somebody
	anyone anybody everyone everybody nobody guy guys folks friend friends family husband wife kids child children mum mom dad
	back off out up down away around through across along together since until till while though although because whether
	sell sells selling sold carry carries offer offers type typed enter set sets where whereabouts
	certain amount particular specific issue issues issued issuing special quick quickly fast soon company companies business
	sure ok okay fine great good nice new old big small little long short right wrong first last next
	timeline timeframe turnaround
	she he her his him herself himself asking wants wanted wondering
	sister sisters brother brothers son sons daughter daughters grandma grandmother grandpa grandfather granny aunt uncle cousin niece nephew
	parents parent partner girlfriend boyfriend fiance fiancee colleague colleagues coworker boss neighbour neighbor roommate flatmate baby
	birthday party wedding anniversary office home house flat apartment school university college job`)

var plainHan = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`衣服 鞋子 裤子 袜子 帽子 东西 宝贝 物品 产品 玩意
		今天 明天 昨天 后天 前天 早上 上午 中午 下午 晚上 夜里 半夜 凌晨 周末 现在 刚买 刚刚 刚才 已经 之后 以后 以前 之前 后来 马上 立刻
		过来 过去 回来 回去 起来 出来 下来 上来 进来 剪掉 扔掉 弄丢 丢了 拿到 收着 买来 买的 买了 用着 看到 看见 发现 觉得 感觉 知道 听说
		块钱 毛钱 公司 单位 家里 朋友 老公 老婆 孩子 宝宝 妈妈 爸爸 父母 家人 同事 自己 大家 别人 一般 通常 平时 一直 总是 还是 然后 所以 因为
		比较 真的 确实 其实 到底 直接 一起 一样 差不多 一点 有点 大概 大约 大致 估计 左右 也许 可能 应该 顺便 另外 还有 请教 咨询 打听
		流程 步骤 手续 办理 操作 宝妈 姐姐 妹妹 哥哥 弟弟 儿子 女儿 奶奶 爷爷 外婆 外公 姥姥 阿姨 叔叔 闺蜜 男友 女友 男朋友 女朋友 对象 室友 领导 生日 婚礼 聚会`) {
		m[w] = true
	}
	return m
}()

// measureHan are measure words and units: a bigram holding one counts
// something (块钱, 两张, 一笔).
const measureHan = "块张件笔次份只双条元毛周"

// numeralHan are the numerals that start a count.
const numeralHan = "一二两三四五六七八九十百千万半几每"

// plainBigram reports whether a Han bigram is grammar or a count rather
// than a name: it holds a function character or a measure word, starts
// with a numeral, or is an everyday word (plainHan).
func plainBigram(rs []rune) bool {
	if plainHan[string(rs)] {
		return true
	}
	for _, r := range rs {
		if functionHan[r] || strings.ContainsRune(measureHan, r) {
			return true
		}
	}
	return strings.ContainsRune(numeralHan, rs[0])
}
