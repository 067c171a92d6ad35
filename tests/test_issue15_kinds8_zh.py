"""Issue 15, R4: Chinese kinds that another reviewer's copy showed the checks missing or over-flagging, checked through
the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's rows nor the
packs' examples), with the category and the words the finding points at; each clean look-alike must get none of the
categories its kind would wrongly raise."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_findings, reviewer_flagged_at

findings = partial(reviewer_findings, market="CN")
flagged_at = partial(reviewer_flagged_at, market="CN")

@pytest.mark.parametrize("text, category, span", [
    # a family member's health story: the reading and the medication as the product's result, told as a testimonial
    ("我岳母喝了这款桑葚汁，血糖稳定了", "health_claim", "血糖稳定了"),
    ("我岳母喝了这款桑葚汁，血糖稳定了", "endorsement", "我岳母喝了这款桑葚汁，血糖稳"),
    ("丈母娘用了半年足浴盆，降压药都不用吃了", "health_claim", "降压药都不用吃了"),
    # foods sold for a disease's patients, and metabolic effects
    ("高尿酸人群的福音，每天两杯", "health_claim", "高尿酸人群的福音"),
    ("辅助降低血脂的高粱茶", "health_claim", "辅助降低血脂"),
    ("告别脂肪肝，从这碗燕麦开始", "health_claim", "告别脂肪肝"),
    # an animal's condition gone after the product
    ("狗狗用了这款洗耳液，耳螨三天全没了", "health_claim", "耳螨三天全没了"),
    # finance experts lending their name
    ("某券商首席分析师强烈建议配置这款产品", "endorsement", "券商首席分析师强烈建议"),
    # appearance, aging and disability as anxiety or pity; a region's people labelled
    ("双下巴显胖，拍照都不好意思", "stereotype", "双下巴显胖"),
    ("再不抗皱就来不及了", "stereotype", "再不抗皱就来不及"),
    ("那些不幸的截肢患者终于有了好用的假肢", "stereotype", "不幸的截肢"),
    ("杭州人最势利，送礼要送贵的", "stereotype", "杭州人最势利"),
    ("过了三十五岁，皮肤就开始走下坡路", "age_bias", "过了三十五岁，皮肤就开始走下坡路"),
    # a slur for old people
    ("老梆子们看不懂这种穿搭", "age_bias", "老梆子"),
    # sex and marriage as the condition of a job
    ("急聘收银员，女性优先，包吃住", "gendered_language", "女性优先"),
    ("招聘销售，不招孕妇，底薪3000", "gendered_language", "不招孕妇"),
    # a crowd said to report a result
    ("近万名宝妈都反馈宝宝睡得香了", "fake_social_proof", "近万名宝妈都反馈"),
    # the creator's own invite code and no 广告
    ("填我的邀请码领新人礼包，这个平台我用了两年", "missing_disclosure", "填我的邀请码"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert span in flagged_at(text, category)


def test_a_regional_label_with_zui_is_a_stereotype_not_a_superlative():
    text = "广州人最精明，这种套餐他们一看就懂"
    cats = {f.category for f in findings(text)}
    assert "stereotype" in cats and "absolute_claim" not in cats


@pytest.mark.parametrize("text, categories", [
    # caps in a promotion's terms, ordinals, a contest's first place with its year and organiser
    ("满199减20，单笔最高减60元", {"absolute_claim"}),
    ("最高可领200元新人券", {"absolute_claim"}),
    ("第一讲的课件已上传群文件", {"absolute_claim"}),
    ("少儿组第一名：李明（2024年市青少年书法大赛，市文联主办）", {"absolute_claim"}),
    # the last day of a sale with its end date, a sale's start time
    ("活动最后一天，5月20日22点截止", {"false_urgency"}),
    ("限时秒杀每天10点开始", {"false_urgency"}),
    # a licensed practice that treats, a price paid
    ("由执业医师诊断和治疗，请携带病历", {"health_claim"}),
    ("花一千买的相机，拍了三年", {"fake_social_proof"}),
    # look-alikes of the kinds above
    ("我爸每天喝一杯，说比咖啡好喝", {"health_claim", "endorsement"}),
    ("妈妈的血压计坏了，换了这款", {"health_claim", "endorsement"}),
    ("狗狗耳螨请及时就医", {"health_claim"}),
    ("分析师预计今年销量回暖", {"endorsement"}),
    ("可怜的小狗被好心人收养了", {"stereotype"}),
    ("广州人的早茶文化源远流长", {"stereotype", "absolute_claim"}),
    ("过了三十岁也可以学钢琴", {"age_bias", "stereotype"}),
    ("老登山爱好者的装备分享", {"age_bias", "profanity"}),
    ("招聘客服，男女不限，月薪五千", {"gendered_language"}),
    ("女性专场招聘会本周六举行", {"gendered_language"}),
    ("几十位顾客参加了品鉴会", {"fake_social_proof"}),
    ("邀请好友下载APP，你和好友各得五元", {"missing_disclosure"}),
])
def test_the_clean_look_alike_is_not_flagged(text, categories):
    got = {f.category for f in findings(text)}
    assert not got & categories, f"{text}: {sorted(got & categories)}"
