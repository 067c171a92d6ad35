"""Issue 15, R16: Chinese kinds that a reviewer's bilingual copy (h22) showed the checks missing or over-flagging,
checked through the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's
rows nor the packs' examples), with the category and the words the finding points at; each clean look-alike must get
none of the categories its kind would wrongly raise."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_categories, reviewer_flagged_at

flagged_at = partial(reviewer_flagged_at, market="CN")
categories = partial(reviewer_categories, market="CN")


@pytest.mark.parametrize("text, category, span", [
    # money or a win promised as certain: 保证/包你 + earning, a sure lottery pick, a payout of 100%
    ("报名训练营，包您稳赚", "guarantee_claim", "包您稳赚"),
    ("跟着群里的信号买币，保证大家赚钱", "financial_promise", "保证大家赚钱"),
    ("福彩3D明晚必中一注，速来", "guarantee_claim", "必中一注"),
    ("这个盘口百分之百回本", "guarantee_claim", "百分之百回本"),
    # the fee back if the promised result does not come
    ("相亲会员包年，不脱单全额退", "guarantee_claim", "不脱单全额退"),
    ("留学文书代写，拿不到offer全退", "guarantee_claim", "拿不到offer全退"),
    # every client said to succeed
    ("试管婴儿中心，受孕率100%", "guarantee_claim", "受孕率100%"),
    ("教资面试班，过关率达到百分百", "guarantee_claim", "过关率达到百分百"),
    # a cure promised; a result said to last for ever; admission promised
    ("老中医秘方，包治颈椎病", "guarantee_claim", "包治"),
    ("纹眉一次，终身不掉色", "guarantee_claim", "终身不掉色"),
    ("研究生申请保录港校", "guarantee_claim", "保录港校"),
    # a doctor's standing used to sell a medical or cosmetic service
    ("医美机构开业，韩国名医亲自执刀，打造精致鼻型", "endorsement", "名医亲自执刀"),
    # the teller's earnings credited to the product
    ("我靠这个返利App，每月多赚一千多", "endorsement", "我靠这个返利App，每月多赚"),
    # a crowd or a sales count in tens of thousands
    ("公测三天，已有50万玩家预约", "fake_social_proof", "已有50万玩家预约"),
    ("这款电动牙刷累计卖出300万支", "fake_social_proof", "卖出300万支"),
    # a heart or vessel disease said to be prevented or undone
    ("这款三七粉能软化血管、预防心梗", "health_claim", "预防心梗"),
    # crude words and the non-buyer called a fool
    ("靠，这双鞋才五十块", "profanity", "靠"),
    ("不抢的都是傻瓜", "profanity", "不抢的都是傻瓜"),
    # a good wife measured by chores; a man's worth by a house
    ("会煲汤的才是好媳妇，这口炖锅送给她", "gendered_language", "煲汤的才是好媳妇"),
    ("没房的男人，哪个女孩愿意嫁", "gendered_language", "没房的男人，哪个女孩"),
    # an age limit on learning; mocking age for how one dresses
    ("45岁以后再考证就来不及了", "age_bias", "45岁以后再考证就来不及了"),
    ("五十岁了还穿超短裙？真不怕丢人", "age_bias", "真不怕丢人"),
    # a regional put-down; fat as laziness
    ("有些地方来的商贩就爱宰客，来我们店放心", "stereotype", "有些地方来的商贩就爱宰客"),
    ("大肚子全是懒出来的", "stereotype", "大肚子全是懒出来的"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert any(span in words for words in flagged_at(text, category)), flagged_at(text, category)


@pytest.mark.parametrize("text, wrong", [
    # a scam or a cure-all warned against; a refund of a failed payment; a delivery rate; a battery
    ("声称保证赚钱的理财都是骗局", "guarantee_claim"),
    ("号称包治百病的都是骗人的", "guarantee_claim"),
    ("付款不成功的订单会自动退款", "guarantee_claim"),
    ("本月好货准时到达率100%", "guarantee_claim"),
    ("充电到100%后自动断电", "guarantee_claim"),
    ("确保录像清晰再上传", "guarantee_claim"),
    # a clinic's timetable; a cook at work
    ("专家出诊时间：周二、周四下午，请提前挂号", "endorsement"),
    ("这桌寿宴由老板亲自掌勺操刀", "endorsement"),
    # a habit helped; a small count of one day; a stock line
    ("我靠这个App背单词，三个月背了两千个", "endorsement"),
    ("今天门店卖出五台洗衣机", "fake_social_proof"),
    # vessel words outside a health claim: a drain unblocked, advice to see a doctor
    ("下水管堵了，通了以后水流很顺", "health_claim"),
    ("胸口疼可能是心梗信号，请立即就医", "health_claim"),
    # 靠 as by and as relying on; 当妈的 and 做妈的 are being a mother; a dish called 王八
    ("靠窗那桌可以看江景", "profanity"),
    ("我靠摆摊供孩子读书", "profanity"),
    ("做妈的都盼孩子平安", "profanity"),
    ("清炖王八汤，本店招牌", "profanity"),
    # a gift for a wife; a loan rule; never too late; praise of an older swimmer
    ("结婚纪念日给老婆订了花", "gendered_language"),
    ("首套房贷款的利率又降了", "gendered_language"),
    ("50岁以后开始学钢琴也不晚", "age_bias"),
    ("七十多岁还每天晨跑，身体真好", "age_bias"),
    # weather in some places; a bakery's baking
    ("有些地方的春天来得晚，出游前看看天气", "stereotype"),
    ("蛋糕都是当天烤出来的", "stereotype"),
    # a first dose; a venue's seats with its rule
    ("小狗第一针疫苗在满两个月时打", "absolute_claim"),
    ("分享会在二楼，座位有限，请按报名顺序入场", "false_urgency"),
])
def test_the_look_alike_is_not_flagged(text, wrong):
    assert wrong not in categories(text)
