"""Issue 15, R14: Chinese kinds that a reviewer's bilingual set (h20) showed the checks missing or over-flagging, checked
through the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's rows
nor the packs' examples), with the category and the words the finding points at; each clean look-alike must get none
of the categories its kind would wrongly raise."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_categories, reviewer_flagged_at, rule_findings

flagged_at = partial(reviewer_flagged_at, market="CN")
categories = partial(reviewer_categories, market="CN")


@pytest.mark.parametrize("text, category, span", [
    # a product named the remedy of a condition; one application said to work
    ("这瓶喷剂专治慢性咽炎", "health_claim", "专治慢性咽炎"),
    ("落枕了？这款膏药一贴见效", "guarantee_claim", "一贴见效"),
    # a part of the body said to shrink after a period of use
    ("每晚涂一次燃脂霜，三周大腿细了两厘米", "health_claim", "三周大腿细了两厘米"),
    # a child's food said to keep illness away
    ("小宝每天一包这款益生元，喝了就不发烧", "health_claim", "喝了就不发烧"),
    ("儿童奶粉冲着喝，孩子的抵抗力嗖嗖涨", "health_claim", "抵抗力嗖嗖涨"),
    # counts in words or with a plus: sold, reviewed, helped
    ("这款电饭煲去年卖出去三十多万台", "fake_social_proof", "卖出去三十多万台"),
    ("详情页好几万条真实评价", "fake_social_proof", "好几万条真实评价"),
    ("这套拉伸操已帮助6000+颈椎病患者摆脱疼痛", "fake_social_proof", "已帮助6000+颈椎病患者摆脱"),
    ("这套拉伸操已帮助6000+颈椎病患者摆脱疼痛", "health_claim", "患者摆脱疼痛"),
    # a region's people shut out of a job or a flat
    ("招仓管两名，甘肃的一律不要", "stereotype", "甘肃的一律不要"),
    # success or worth tied to one gender
    ("有出息的男人都戴这款腰带", "gendered_language", "有出息的男人都"),
    ("女生不化妆就掉价", "gendered_language", "女生不化妆就掉价"),
    # an age named as the line after which it is too late
    ("28岁以上的宝子们，再不抗初老就来不及了", "age_bias", "28岁以上的宝子们，再不抗初老就来不及"),
    # a loan on easy terms; a yield said to beat a deposit
    ("手机号就能借，免征信，当天秒下款", "financial_promise", "免征信"),
    ("存这里的利息比银行定期高一倍", "financial_promise", "利息比银行定期"),
    # a person's card number beside the card
    ("押金请转入建行卡 6217 0000 1111 2222 333", "pii", "建行卡 6217 0000 1111 2222 333"),
    # a student's score gain sold with the course; a parent's story of a child's condition gone
    ("儿子上了半年作文班，语文从85分提到了118分", "endorsement", "从85分提到了118分"),
    ("女儿的奶癣抹了两次就消了，比医院开的药膏好用", "endorsement", "女儿的奶癣抹了两次就消了"),
    ("女儿的奶癣抹了两次就消了，比医院开的药膏好用", "health_claim", "奶癣抹了两次就消了"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert any(span in words for words in flagged_at(text, category)), flagged_at(text, category)


def test_an_age_named_before_a_too_late_appeal_is_age_bias_from_the_rules():
    assert rule_findings("45岁以上的阿姨们，再不补胶原就垮了", "CN", "age_bias")


@pytest.mark.parametrize("text, wrong", [
    # slang and repair shops that 专治; an effect said not to come at once
    ("这杯冰美式专治周一综合征之外的各种不服", "health_claim"),
    ("别指望一次见效，护发要坚持", "guarantee_claim"),
    # clothes and objects that change size; a child's plain meal
    ("羊毛衫烘干后小了一圈，别进烘干机", "health_claim"),
    ("宝宝喝了奶就困，放床上就睡", "health_claim"),
    # a count that is no crowd; volunteers' help counted
    ("今天卖出去两份，明天再来", "fake_social_proof"),
    ("街道志愿者已帮助86户老人装好扶手", "fake_social_proof"),
    # a region in a shipping term or the weather
    ("西藏的订单暂不发货，敬请谅解", "stereotype"),
    # a product for one gender; the worth of a thing
    ("男士羽绒服，肩宽做了加大", "gendered_language"),
    ("旧手机过两年就不值钱了", "gendered_language"),
    # an age stated as a rule
    ("65岁以上老人游园免票", "age_bias"),
    # instalments at zero interest in a shop; a payment app's withdrawal
    ("冰箱支持24期0利息分期", "financial_promise"),
    ("零钱提现秒到账", "financial_promise"),
    # a number that is not a card
    ("物流单号 4321 8765 1234 5678，可在官网查询", "pii"),
    # a pass mark changed; a bag going out of season
    ("今年及格线从60分提到了65分", "endorsement"),
    ("这只包过季打五折", "guarantee_claim"),
    # housing terms; a pairing that goes with everything; a card's repayment term
    ("满五唯一，业主诚心卖", "absolute_claim"),
    ("这件白T万能百搭", "absolute_claim"),
    ("信用卡可申请最低还款", "absolute_claim"),
    # a trial's terms; a sale's dated last days; a diner telling a shop's hours
    ("会员首月免费，不满意随时取消", "false_urgency"),
    ("最后两天：车展4月8日-4月16日", "false_urgency"),
    ("楼下包子铺每天只卖到上午九点，去晚了就没了", "false_urgency"),
    # others' picks waved away
    ("别信那些网红乱推荐的面膜，先看成分", "endorsement"),
])
def test_the_look_alike_is_not_flagged(text, wrong):
    assert wrong not in categories(text)
