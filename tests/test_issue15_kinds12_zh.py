"""Issue 15, R12: Chinese kinds that a sixth reviewer's copy (h16) showed the checks missing or over-flagging, checked
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
    # the teller's (or a headline's) result after a stated time of use: sleep, waist, hair
    ("我连着吃了十天，晚上倒头就睡，安眠药也扔了", "endorsement", "我连着吃了十天，晚上倒头就睡"),
    ("涂了四周，腰上的肉少了一圈", "endorsement", "涂了四周，腰上的肉少了"),
    ("擦了九十天，头发比三十岁时还密", "endorsement", "擦了九十天，头发比三十岁时还密"),
    # a success story with a money product: what joining it brings, even across a sentence
    ("快递员老何加入了盈通量化。如今每月进账两万", "endorsement", "加入了盈通量化。如今每月"),
    ("靠跟单炒币两年挣到了彩礼", "endorsement", "靠跟单炒币两年挣到了彩礼"),
    # doctors giving it to their own family, or using it themselves
    ("呼吸科医生都在给家里老人喝这款梨膏", "endorsement", "医生都在给家里老人喝"),
    ("药师们自己熬夜后都喝这款电解质水", "endorsement", "药师们自己熬夜后都喝这"),
    # a quote signed before it, for a health result
    ("@沈阳蔡大姐：“喝了半年，血压计上的数好看了”", "endorsement", "@沈阳蔡大姐：“喝了半年，血压计上的数好看了”"),
    # a skin condition gone within a stated time; follicles woken; hair no longer falling; a cure-all
    ("烂脸期的皮肤，敷上四次就不刺痛了", "health_claim", "烂脸期的皮肤，敷上四次就不刺痛"),
    ("皲裂的脚后跟抹了两周就愈合", "health_claim", "皲裂的脚后跟抹了两周就愈合"),
    ("按摩十分钟，让毛囊苏醒", "health_claim", "毛囊苏醒"),
    ("这款药酒啥病都能治", "health_claim", "啥病都能治"),
    # a wall of quotes each signed before it
    ("@南宁覃女士：“包装很好”\n@柳州韦先生：“会再买”", "fake_social_proof", "@南宁覃女士：“包装很好”\n@柳州韦先生：“"),
    # a yield said to come in steadily; a month's income in 两
    ("这份年金，回报稳稳落袋", "financial_promise", "回报稳稳落袋"),
    ("宝妈副业月入两千起", "financial_promise", "月入两千"),
    # a trait said before a region's people
    ("不想碰上没素质的外地游客？选错峰小团", "stereotype", "没素质的外地游客"),
    ("势利的上海大妈也夸这条围巾", "stereotype", "势利的上海大妈"),
])
def test_the_kind_is_flagged_where_it_is_said(text, category, span):
    assert any(span in words for words in flagged_at(text, category)), flagged_at(text, category)


def test_a_partnership_with_a_perk_through_the_creator_needs_the_ad_label():
    post = "这周跟山野户外合作，带大家徒步，报我的名字租装备打九折 #徒步"
    assert "missing_disclosure" in categories(post)
    assert "missing_disclosure" not in categories("广告｜" + post)


@pytest.mark.parametrize("text, wrong", [
    # a season's produce, a bound denied, the easiest way of a how-to, the one caution, a sauce that goes with all
    ("清明前后，野菜最嫩", "absolute_claim"),
    ("本理财不保证最高收益", "absolute_claim"),
    ("第三种最容易，五分钟学会", "absolute_claim"),
    ("最省力的做法是先浸泡一夜", "absolute_claim"),
    ("唯一要记住的是，别空腹喝", "absolute_claim"),
    ("这罐肉酱是万能的，夹馒头也好吃", "absolute_claim"),
    # comfort or taste told after a time of use; a story with no money product
    ("我连着睡了十天这个枕头，一躺下就很放松", "endorsement"),
    ("喝了一个月这款咖啡，还是觉得第一包最好喝", "endorsement"),
    ("退休的何阿姨加入了合唱团，现在每周排练两次", "endorsement"),
    # a quote answered by the shop; one signed quote thanked
    ("@佛山梁女士：“几号发货？”", "fake_social_proof"),
    # a steady hand, a named person's loud voice, a friend's collaboration with no perk
    ("稳稳拿住相机，再按快门", "financial_promise"),
    ("嗓门大的领队老周，一路都在讲笑话", "stereotype"),
    ("和邻居合作种了一片菜地，私信我看照片", "missing_disclosure"),
])
def test_the_look_alike_is_not_flagged(text, wrong):
    assert wrong not in categories(text)
