"""Issue 15, R10: Chinese kinds that a fifth reviewer's copy (h15) showed the checks missing or over-flagging, checked
through the real checker in market CN. Each kind is asserted on texts written for this test (not the dataset's rows
nor the packs' examples), with the category and the words the finding points at; each clean look-alike must get none
of the categories its kind would wrongly raise."""

from __future__ import annotations

from functools import partial

import pytest

from tests.check_kinds import reviewer_categories, reviewer_flagged_at

flagged_at = partial(reviewer_flagged_at, market="CN")
categories = partial(reviewer_categories, market="CN")


@pytest.mark.parametrize("text, category, span", [
    # a crowd: the count after the word, a crowd noun the older rules did not list, a ratio of the people around,
    # a wall of quotes each signed with a place and a surname
    ("全网好评30万+的颈枕", "fake_social_proof", "好评30万+"),
    ("两万个骑友都说好的头盔", "fake_social_proof", "两万个骑友都说"),
    ("宿舍六个人里五个都在用这款台灯", "fake_social_proof", "六个人里五个都在用"),
    ("“好穿”——武汉吴女士；“不闷脚”——长沙郑先生", "fake_social_proof", "“好穿”——武汉吴女士；“不闷脚”——长沙郑先生"),
    # a professional friend prescribing the product; a finance expert's buy call or a veteran's picks; a veteran
    # doctor's recipe sold as the product
    ("牙医朋友也说牙龈肿就用这款", "endorsement", "牙医朋友也说牙龈肿就用这款"),
    ("理财师：这只货基放心入", "endorsement", "理财师：这只货基放心入"),
    ("炒股十年的孙老师精心挑出的两只股票", "endorsement", "炒股十年的孙老师精心挑出的两只股票"),
    ("坐诊二十年的周大夫，把验方做成了这款足贴", "endorsement", "坐诊二十年的周大夫，把验方做成"),
    # a condition told to take the product; a medicine made needless; a child growing faster; a chronic trouble set right
    ("脱发就用这瓶生发液", "health_claim", "脱发就用这瓶"),
    ("告别降糖药，就靠这款苦瓜片", "health_claim", "告别降糖药"),
    ("宝宝喝了这款奶粉，长个子蹭蹭快", "health_claim", "长个子蹭蹭快"),
    ("便秘的老问题吃了三个月调过来了", "health_claim", "便秘的老问题吃了三个月调过来"),
    # a deadline that shuts; the price never to come back; sold out till next year
    ("优惠券今晚零点失效", "false_urgency", "今晚零点失效"),
    ("福利价过了今天再也拿不到", "false_urgency", "过了今天再也拿不到"),
    ("这批桂花蜜卖完今年就没了", "false_urgency", "卖完今年就没了"),
    # people of a place as suspects; a disabled person as a burden; fat blamed for a failure
    ("碰到外地来的装修队要多留个心眼", "stereotype", "碰到外地来的装修队要多留个心眼"),
    ("坐轮椅的老人就是家里的拖累？", "stereotype", "坐轮椅的老人就是家里的拖累"),
    ("面试总被刷，都是因为你太胖", "stereotype", "都是因为你太胖"),
    # a generation as the bar, or given a deficit
    ("主播训练营只收05后", "age_bias", "只收05后"),
    ("90后的审美已经过时了", "age_bias", "90后的审美已经过时了"),
    # a product called a lump of shit
    ("那款平板就是一坨屎", "profanity", "就是一坨屎"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert span in flagged_at(text, category)


def test_a_brand_giving_the_creator_an_allocation_needs_the_ad_label():
    post = "品牌方给了姐妹们专属折扣价，私我"
    assert "missing_disclosure" in categories(post)
    assert "missing_disclosure" not in categories("广告｜" + post)


@pytest.mark.parametrize("text, wrong", [
    # 最 ranking the steps of a how-to, not the product
    ("最关键的一点是先预热烤箱", "absolute_claim"),
    ("这几步最简单，照着做就行", "absolute_claim"),
    # a return promise denied is the risk notice
    ("本基金不保证收益，亦不保本", "financial_promise"),
    # advice with no product; a family recipe
    ("医生朋友说头疼就多休息", "endorsement"),
    ("外婆的酱肉方子做成了年货礼盒", "endorsement"),
    # thirst and a sleep schedule are no conditions
    ("口渴就喝它，冰镇更爽", "health_claim"),
    ("作息慢慢调过来了", "health_claim"),
    # shop hours; a result that never came back
    ("店铺今晚十点就关门", "false_urgency"),
    ("穿了之后再也没有磨脚", "false_urgency"),
    # a warning to visitors; the care a family carries
    ("外地游客请提防扒手", "stereotype"),
    ("减轻残障家庭的负担，社区送餐上门", "stereotype"),
    # a generation named without a put-down
    ("90后的第一套房怎么选", "age_bias"),
    # the brand's own voice; a count of buns; a crowd with no count
    ("我们品牌给老顾客准备了礼盒", "missing_disclosure"),
    ("十个包子八个是肉馅", "fake_social_proof"),
    ("铲屎官们都说想要的猫爬架上新了", "fake_social_proof"),
])
def test_the_look_alike_is_not_flagged(text, wrong):
    assert wrong not in categories(text)
