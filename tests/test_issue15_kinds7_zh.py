"""Issue 15, R2: Chinese kinds that copy written by others showed the checks missing or over-flagging, checked through
the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's rows nor the
packs' examples), with the category and the words the finding points at; each clean look-alike must get none of the
kind's categories."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_findings, reviewer_flagged_at

findings = partial(reviewer_findings, market="CN")
flagged_at = partial(reviewer_flagged_at, market="CN")

@pytest.mark.parametrize("text, category, span", [
    # 保证 + a result the buyer will see
    ("连续泡脚二十天，保证手脚冰凉的感觉明显减少", "guarantee_claim", "保证手脚冰凉的感觉明显减少"),
    ("用我们的选品表开店，保证月销量翻倍", "guarantee_claim", "保证月销量翻倍"),
    # principal and returns promised
    ("存进来的本金一分都不会少，利息按天算", "financial_promise", "本金一分都不会少"),
    ("这份养老险的回报是银行定期的两倍", "financial_promise", "回报是银行定期的两倍"),
    # social proof in Chinese numerals
    ("已有四十万个家庭选择我们的空气净化器", "fake_social_proof", "已有四十万个家庭选择"),
    ("详情页一万多条五星好评", "fake_social_proof", "一万多条五星好评"),
    # sales or reputation titles
    ("家用咖啡机品类销量口碑双冠军", "absolute_claim", "销量口碑双冠军"),
    ("连续五年的门店销冠推荐", "absolute_claim", "销冠"),
    # income testimonials
    ("我下班做这个副业，上个月到手一万二", "financial_promise", "上个月到手一万二"),
    ("我下班做这个副业，上个月到手一万二", "endorsement", "上个月到手一万二"),
    # a named doctor's or a customer's health result
    ("孙主任自己每天都喝这个茶", "endorsement", "孙主任自己每天都喝"),
    ("我贴了一个星期，腰疼的毛病没再犯", "health_claim", "腰疼的毛病没再犯"),
    # children's food health claims
    ("这款儿童奶酪，孩子吃了不爱生病", "health_claim", "不爱生病"),
    # regional and class discrimination
    ("招聘店员：农村出来的一律不要", "stereotype", "农村出来的一律不要"),
    ("这套公寓不租给外省打工仔", "stereotype", "不租给外省打工仔"),
    # gender roles in money and chores
    ("买房这种事听男人的，太太们只管挑窗帘", "gendered_language", "买房这种事听男人"),
    # insults in game and gadget ads
    ("别再忍受垃圾路由器了", "profanity", "垃圾"),
    ("新手菜鸡也能上手", "profanity", "菜鸡"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert span in flagged_at(text, category)


@pytest.mark.parametrize("text, categories", [
    # 第一 inside a name, 保证 as a purpose or a deposit, a sport's or a contest's champion
    ("快递点在区第一人民医院南门", {"absolute_claim"}),
    ("第一中学对面新开了文具店", {"absolute_claim"}),
    ("为保证面包松软，请密封保存", {"guarantee_claim"}),
    ("乒乓球世界冠军来店里打比赛", {"absolute_claim"}),
    # a price label and a sale with its dates
    ("电饭煲秒杀价199元", {"false_urgency"}),
    ("促销时间为5月1日0点至5月5日24点，活动结束后恢复日常价格", {"false_urgency"}),
    # a licensed provider's own service list
    ("本院提供洁牙和根管治疗，由执业医师操作", {"health_claim"}),
    # the risk notice, a wage, a customer's result that is no health result
    ("本产品不保证本金不受损失", {"financial_promise"}),
    ("兼职时薪二十元，一个月结一次工资", {"financial_promise", "endorsement"}),
    ("我用了一周就离不开这个键盘了", {"endorsement", "health_claim"}),
    # origin as a fact, chores shared, a vegetable dumpling, a phone's junk-file cleaner
    ("乡下来的土鸡蛋，每天现捡", {"stereotype"}),
    ("谁说理财只能交给男人？", {"gendered_language"}),
    ("韭菜鸡蛋饺子三十个一袋", {"profanity"}),
    ("一键清理垃圾手机不卡", {"profanity"}),
    # children's food facts, not health claims
    ("儿童奶酪每片含钙一百毫克", {"health_claim"}),
    ("孩子少生病的关键是勤洗手", {"health_claim"}),
])
def test_the_clean_look_alike_is_not_flagged(text, categories):
    assert {f.category for f in findings(text)} & categories == set()
