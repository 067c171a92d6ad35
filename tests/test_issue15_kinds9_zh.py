"""Issue 15, R6: Chinese kinds that a third reviewer's copy (h13) showed the checks missing or over-flagging, checked
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
    # a user's or the creator's own money result from a financial product
    ("做保洁的刘阿姨把存款转进这个账户，每月多拿八百", "endorsement", "刘阿姨把存款转进这个账户，每月多拿"),
    ("做保洁的刘阿姨把存款转进这个账户，每月多拿八百", "financial_promise", "每月多拿八百"),
    ("“审批很快，利息不高”——来自南京的孙先生", "endorsement", "“审批很快，利息不高”——来自南京的孙先生"),
    # a slimming result told by the teller, and offered as what everyone gets
    ("我每天午饭前吃一粒，掉了6斤", "endorsement", "我每天午饭前吃一粒，掉了6斤"),
    ("宝子们照着吃就会瘦", "endorsement", "宝子们照着吃就会瘦"),
    # a gum condition gone, told by the one who used the product, and a dentist friend vouching
    ("换了这款牙膏，我的牙龈肿痛两天就不疼了", "health_claim", "牙龈肿痛两天就不疼了"),
    ("换了这款牙膏，我的牙龈肿痛两天就不疼了", "endorsement", "换了这款牙膏，我的牙龈肿痛两天就不疼了"),
    ("牙医闺蜜都说这个管用", "endorsement", "牙医闺蜜都说这个管用"),
    # age as the end of a career, middle age as unwanted
    ("三十岁还在做运营？等着被裁掉吧", "age_bias", "三十岁还在做运营？等着被"),
    ("很多公司不招大龄，赶紧考个证", "age_bias", "不招大龄"),
    # a region's people all said to drink hard; rural people as the look to avoid; body size as worth
    ("陕西汉子个个都是海量", "stereotype", "陕西汉子个个都是海量"),
    ("搭配不对就像个农民工", "stereotype", "像个农民工"),
    ("矮冬瓜没出路，增高课程报名中", "stereotype", "矮冬瓜没出路"),
    # money promises: a small stake into tens of thousands, lying down and earning, a steady yearly take
    ("跟单三个月，八百块变了三万", "financial_promise", "块变了三万"),
    ("躺着也能赚的项目，名额有限", "financial_promise", "躺着也能赚"),
    ("这款年金每年稳拿4.5%", "financial_promise", "每年稳拿"),
    # admission and jobs promised, with the fee back without them
    ("音乐艺考包录取，未录取全额退费", "guarantee_claim", "包录取"),
    ("电工培训包就业，不就业退学费", "guarantee_claim", "不就业退"),
    # a crowd said to have emptied the stock
    ("预售当晚，五千多位车主抢空了首批", "fake_social_proof", "五千多位车主抢空"),
    # slang superlatives
    ("平价粉底液天花板", "absolute_claim", "天花板"),
    ("这碗牛肉面直接封神", "absolute_claim", "封神"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert span in flagged_at(text, category)


@pytest.mark.parametrize("text", [
    "女演员同款粉底液，她说拍夜戏也不脱妆",
    "眼科医生推荐的护眼台灯",
    "营养专家推荐的一周食谱",
])
def test_one_celebrity_or_expert_is_an_endorsement_not_social_proof(text):
    cats = categories(text)
    assert "endorsement" in cats and "fake_social_proof" not in cats


def test_a_crowd_of_experts_is_still_social_proof():
    assert {"endorsement", "fake_social_proof"} <= categories("不少皮肤科医生都在用的修护霜")


@pytest.mark.parametrize("text, wrong", [
    # a staff member's title, a control turned to its end
    ("祝贺小马拿下年度销售冠军", {"absolute_claim"}),
    ("把台灯亮度调到最大，看书不费眼", {"absolute_claim"}),
    # a clinic's plan after an examination
    ("齿科门诊：检查后制定治疗方案，价格透明", {"health_claim"}),
    # look-alikes of the kinds above
    ("“桌子结实，安装也快”——来自无锡的钱女士", {"endorsement"}),
    ("我每天吃一个苹果当早餐", {"endorsement", "health_claim"}),
    ("牙龈出血建议先去口腔科检查", {"health_claim", "endorsement"}),
    ("四十岁也不会被淘汰的手艺，木工课招生", {"age_bias"}),
    ("东北朋友都说这家饺子好吃", {"stereotype"}),
    ("穿得像初夏一样清爽", {"stereotype"}),
    ("胖子烧烤，营业到凌晨两点", {"stereotype"}),
    ("五块钱变一朵纸玫瑰的手工课", {"financial_promise"}),
    ("躺着就能看电视的懒人沙发", {"financial_promise"}),
    ("本机构不承诺录取，未录取的报名费不予退还", {"guarantee_claim"}),
    ("两千人的体育馆已经坐满了观众", {"fake_social_proof"}),
    ("卧室天花板发霉，防霉涂料上门施工", {"absolute_claim"}),
    ("《封神》特展周末开放", {"absolute_claim"}),
])
def test_the_look_alike_is_not_flagged_as_the_kind(text, wrong):
    assert not (categories(text) & wrong)
