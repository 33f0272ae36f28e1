package support_test

import "testing"

// What only a person can settle is handed off (handoff.go, intent.go),
// each class beside the near misses that must still be answered.

// A demand for compensation is a person's decision: handed off. So is a
// demand that the shop pay for damage its product caused, without the word
// compensation; who pays the return shipping is still the rule.
func TestCompensationHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "等了十天才收到，这个损失你们怎么赔？", handoff: true},
		{q: "包裹晚到了，应该给点补偿吧", handoff: true},
		{q: "The delivery was late and I expect to be compensated", handoff: true},
		{q: "What will you do to make up for the delay?", handoff: true},
		{q: "I expect you to pay for the jacket your leaking bottle ruined", handoff: true},
		{q: "Who is going to pay for my ruined carpet? Your lamp overheated", handoff: true},
		{q: "你们的充电器把我手机烧坏了，你们得赔我一台", handoff: true},
		{q: "水杯漏水把电脑泡坏了，这损失谁来承担？", handoff: true},
		{q: "Who pays for the return shipping?", cites: []string{"[policy:returns]"}},
	})
}

// Damage a product did to her things, asked as who pays for cleaning or
// repair, and a safety incident without a demand, are a person's; who
// pays the return postage, or a repair under warranty, is a rule's.
func TestPropertyDamageAndSafety(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Your candle set my curtains on fire!!! Who is paying for this?!", handoff: true},
		{q: "你们的香薰蜡烛把我家桌子烧出一个洞！！这个谁负责？", handoff: true},
		{q: "Your diffuser leaked oil all over my wooden dresser and left a huge stain!! Who's paying to fix it?", handoff: true},
		{q: "The candle wax spilled on my rug, who pays for the cleaning?", handoff: true},
		{q: "your diffuser left a stain on my table, who covers the repair?", handoff: true},
		{q: "蜡烛的蜡滴到我家地毯上了，清洗费谁出？", handoff: true},
		{q: "The buckle snapped while my son was in it, he could have been hurt", handoff: true},
		{q: "背带的扣子断了，我女儿差点摔下来", handoff: true},
		{q: "who pays the return postage?", cites: []string{"[policy:returns]"}},
		{q: "the zipper broke, who covers the repair under warranty?", cites: []string{"[policy:warranty]"}},
		{q: "is the candle safe around kids?", handoff: false},
	})
}

// A product that overheated, smoked or nearly caught fire, and a carrier
// or strap that gave way with a child in it, are safety incidents: hand
// off.
func TestSafetyIncidentHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "移动电源充电时发烫还冒烟，差点把沙发点着了", handoff: true},
		{q: "The power bank got so hot it started smoking on my desk", handoff: true},
		{q: "充电宝烫得冒烟了", handoff: true},
		{q: "The charger nearly set my bed on fire", handoff: true},
		{q: "The buckle on the carrier came undone while my son was in it", handoff: true},
		{q: "背着女儿的时候背带扣突然松开了，她差点受伤", handoff: true},
		{q: "The strap snapped while I was carrying my baby in it, he could have been hurt", handoff: true},
	})
}

// A contact detail the shop's data does not hold (a phone number, a street
// address, an e-mail or WeChat), where the warehouse is, collecting in
// person and the company's ethics are a person's to answer.
func TestUnheldDetailHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "What's your customer service phone number?", handoff: true},
		{q: "What is the street address of your store? I want to drop by", handoff: true},
		{q: "客服电话是多少？", handoff: true},
		{q: "你们有没有微信或者邮箱，我想写信反映一下", handoff: true},
		{q: "你们的仓库在哪个城市？", handoff: true},
		{q: "我能自己过去提货吗？", handoff: true},
		{q: "Which city is your warehouse in?", handoff: true},
		{q: "Can I pick up my order at your warehouse instead?", handoff: true},
		{q: "你们公司的产品是不是用童工生产的？", handoff: true},
	})
}

// A bulk or company order (its price, dozens with a company logo) is a
// person's; a time is no bulk count, and an invoice with a company name
// or two of a product are answered.
func TestBulkOrderHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "Do you offer bulk pricing if my company orders 200 camera bags?", handoff: true},
		{q: "I want 200 totes with my company logo on them", handoff: true},
		{q: "We need 50 water bottles with our company logo for an event", handoff: true},
		// near misses
		{q: "I ordered 10 days ago and it hasn't arrived, where is it?", handoff: false},
		{q: "I need a VAT invoice with my company name, how long does it take to get it?", cites: []string{"[policy:invoice]"}},
		{q: "I need 2 cables", cites: []string{"[product:US-TECH-CABLE]"}},
	})
}

// Money taken twice is a person's to check.
func TestDoubleChargeHandsOff(t *testing.T) {
	checkClass(t, []classCase{
		{q: "I was charged twice for my order", handoff: true},
		{q: "我的订单被扣了两次款", handoff: true},
	})
}
