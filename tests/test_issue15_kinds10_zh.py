"""Issue 15, R8: Chinese kinds that a fourth reviewer's copy (h14) showed the checks missing or over-flagging, checked
through the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's rows
nor the packs' examples), with the category and the words the finding points at; each clean look-alike must get none
of the categories its kind would wrongly raise."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_categories, reviewer_findings, reviewer_flagged_at

findings = partial(reviewer_findings, market="CN")
flagged_at = partial(reviewer_flagged_at, market="CN")
categories = partial(reviewer_categories, market="CN")


@pytest.mark.parametrize("text, category, span", [
    # a skin tone said to look dirty or rustic; body weight as the reader's own fault
    ("黑皮姐妹穿柠檬黄显土，试试这条卡其裙", "stereotype", "黑皮姐妹穿柠檬黄显土"),
    ("肤色暗沉的人别碰银灰色，选香槟金", "stereotype", "肤色暗沉的人别碰"),
    ("发胖全怪你自己，减脂餐今晚配送", "stereotype", "发胖全怪你自己"),
    ("胖子就是懒，跟练课程开团", "stereotype", "胖子就是懒"),
    # a region's people given a bare trait; the women or men of a place given one
    ("山西人抠门？这份年货礼盒很大方", "stereotype", "山西人抠门"),
    ("重庆妹子天生能喝，啤酒整箱发", "stereotype", "重庆妹子天生能喝"),
    ("重庆妹子个个强势，这款香水温柔一点", "gendered_language", "重庆妹子个个强势"),
    ("杭州女人会过日子，都来这家菜场", "gendered_language", "杭州女人会过日子"),
    # household chores as the wife's or the mother's
    ("装了这台烘干机，老婆不用再晾衣服", "gendered_language", "老婆不用再晾衣服"),
    ("帮宝妈洗碗更省心的水槽洗碗机", "gendered_language", "帮宝妈洗碗更省心"),
    # old people as slow-witted, the bar others are measured by
    ("再糊涂的爸妈也会按的呼叫键", "age_bias", "再糊涂的爸妈"),
    ("连外婆都会用了，快来下单", "age_bias", "连外婆都会用"),
    # the teller's own condition, skin or weight result; a medical friend vouching for a product
    ("我的口腔溃疡老是犯，喷了这个两天就好了", "endorsement", "我的口腔溃疡老是犯，喷了这个两天就好了"),
    ("敷了五天眼袋淡了好多，要链接的私我", "endorsement", "敷了五天眼袋淡"),
    ("我两个月瘦了十二斤，每天照样吃米饭", "endorsement", "我两个月瘦了十二斤"),
    ("当护士的闺蜜推荐的这款叶黄素", "endorsement", "当护士的闺蜜推荐"),
    # blood values held steady; a gum disease reversed or the dentist made needless
    ("这款玉米须茶，稳住血压", "health_claim", "稳住血压"),
    ("早餐一碗，把血糖和血脂都压住", "health_claim", "把血糖和血脂都压住"),
    ("这支牙膏能逆转牙周病", "health_claim", "逆转牙周病"),
    ("用了它，告别牙医", "health_claim", "告别牙医"),
    # a home or a shop sold on a promised rise; a loan promised whatever the credit
    ("高铁站旁公寓，三年至少涨两成", "financial_promise", "至少涨两成"),
    ("社区底商，租金年年涨", "financial_promise", "年年涨"),
    ("不查征信，百分百放款", "guarantee_claim", "百分百放款"),
    ("黑户也能贷，额度五万", "guarantee_claim", "黑户也能贷"),
    # a crowd count with an eating verb
    ("已有30万人在吃的鱼油", "fake_social_proof", "已有30万人在吃"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert span in flagged_at(text, category)


def test_a_gift_from_a_named_shop_with_a_giveaway_needs_the_ad_label():
    post = "这双登山鞋是岭行家寄来的，走了二十公里不磨脚。评论区抽1位送同款"
    assert "missing_disclosure" in categories(post)
    assert "missing_disclosure" not in categories("广告｜" + post)


@pytest.mark.parametrize("text, wrong", [
    # tone advice and fabric, not a put-down of a skin tone
    ("黄黑皮也好驾驭的豆沙色，试色见图", "stereotype"),
    ("浅色沙发套容易显脏，选深灰色", "stereotype"),
    # weight named kindly, or a medical referral
    ("长胖不是你的错，睡眠和压力都有影响", "stereotype"),
    ("体重变化大请先咨询医生", "stereotype"),
    # a region's dish, a named person from a place
    ("山西人爱吃的刀削面，现做现卖", "stereotype"),
    ("重庆妹子小唐的火锅店开业了", "gendered_language"),
    # chores named for everyone, or for parents
    ("全家人都不用再手洗碗了", "gendered_language"),
    ("爸妈不用再弯腰擦地", "gendered_language"),
    # elders learning, named without a put-down
    ("外婆学会了网上买菜", "age_bias"),
    ("长辈上手快的大字版", "age_bias"),
    # own habits and non-results; advice with no product from a nurse friend
    ("我的黑眼圈是追剧追出来的", "endorsement"),
    ("护士闺蜜说晚上别熬夜", "endorsement"),
    # a device's reading, a state of mind, a clinic's practice, a tooth to fill
    ("血压计读数稳定，误差小", "health_claim"),
    ("稳住节奏，考前冲刺", "health_claim"),
    ("牙科门诊周末开放，是否需要进一步治疗由医生检查后决定", "health_claim"),
    ("宠物医院可预约疫苗，治疗方案由执业兽医面诊后确定", "health_claim"),
    ("每半年看一次牙医，洗牙更安心", "health_claim"),
    # a market warning, a past figure with its source
    ("房价有涨有跌，购房请谨慎", "financial_promise"),
    ("审核通过后当天放款，额度以审批为准", "guarantee_claim"),
    # a device's brightest or strongest setting
    ("台灯最亮档适合看书", "absolute_claim"),
    ("电风扇最强档风很大", "absolute_claim"),
    # family gifts, no link or giveaway
    ("婆家送的腊肉，切片蒸着吃", "missing_disclosure"),
    ("邻居家送的橘子，甜得很", "missing_disclosure"),
])
def test_the_look_alike_is_not_flagged(text, wrong):
    assert wrong not in categories(text)


def test_a_brightness_rank_is_still_a_superlative():
    assert "absolute_claim" in categories("全网最亮的骑行灯")
