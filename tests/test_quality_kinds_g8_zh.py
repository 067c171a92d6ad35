"""Chinese kinds the quality gate missed or over-flagged on copy written by others (issue 13, G8): the small model's
short salad of common characters in copy that names nothing of its brief, one character said over and over, prose cut
off on 都 or 之后的, an editor's instruction left as copy, the prompt echoed; a dynasty's tribute tea, an institute's
appraisal and a limited count that nothing substantiates. And the look-alikes a writer uses (classical lines in
quotation marks, parallel clauses, adjectives listed, 修改 and 换成 as copy, short calls to action), which must stay
clean. Each test checks what a reviewer sees: the verdict's categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

ROCK = {"text": "秋冬推荐岩上桂，讲讲武夷山的焙火。", "product": "岩上桂", "offer": "满199元送茶则"}
MOON = {"text": "临沧月光白适合围炉煮着喝。", "product": "临沧月光白", "offer": "第二罐半价"}
GIFT = {"text": "中秋送礼推荐四时礼盒，四罐原叶茶，每罐50克。", "product": "四时礼盒", "offer": "满299元包邮"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief=ROCK, channel="wechat"):
    return quality_categories(checker, text, market="CN", brief=brief, channel=channel)


GARBLED = [
    ("岩上桂的香是岩香的香，香岩的香是香的岩，满199元送茶则。", ROCK, "going round one word"),
    ("岩上桂汤色橙黄，醇厚醇香醇和甘醇浓醇鲜醇醇甜，满199元送茶则。", ROCK, "one character piled up in a clause"),
    ("岩上桂秋冬焙火，满199元送茶则，喝过的老茶客都说它的香气让人每次都", ROCK, "cut off on 都"),
    ("临沧月光白适合围炉煮着喝，第二罐半价，煮好之后的", MOON, "cut off on 之后的"),
    ("岩上桂满199元送茶则。修改后：把“盖碗”替换为“玻璃杯”。", ROCK, "an editing note left in"),
    ("将“武夷”更换为“福建”，页码：8", ROCK, "editing instructions instead of copy"),
    ("根据上面的简报，写一段口播文案：岩上桂，满199元送茶则。", ROCK, "the prompt echoed"),
    ("请为岩上桂写三条小红书标题，每条不超过20字。", ROCK, "the prompt echoed, with a count"),
]


@pytest.mark.parametrize("text,brief,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, brief, why):
    assert "garbled" in categories(chayuan, text, brief), why


def test_short_salad_that_names_nothing_of_the_brief_is_garbled(chayuan):
    # scored by the learned model at its lower off-topic threshold (and as a short sentence)
    found = categories(chayuan, "那个云锁", MOON, channel="email")
    assert found == {"garbled", "off_brief"}


def test_a_short_line_that_names_the_product_is_not_judged_at_the_lower_threshold(chayuan):
    assert categories(chayuan, "去尝尝岩上桂") == set()


FINE = [
    ("「晚来天欲雪，能饮一杯无？」今晚煮一壶临沧月光白，第二罐半价。", MOON, "a couplet in corner quotes"),
    ("陆游写“矮纸斜行闲作草，晴窗细乳戏分茶”，冬日午后泡一壶岩上桂，满199元送茶则。", ROCK, "a quoted couplet inside a sentence"),
    ("“寒夜客来茶当酒，竹炉汤沸火初红。”围炉泡一壶岩上桂，满199元送茶则。", ROCK, "a quoted couplet opening the text"),
    ("慢慢煮，慢慢喝，临沧月光白第二罐半价。", MOON, "parallel clauses"),
    ("临沧月光白：蜜香、花香、毫香，汤色杏黄，滋味甜醇。第二罐半价。", MOON, "adjectives listed"),
    ("下单后地址还能在订单页修改，四时礼盒满299元包邮。", GIFT, "修改 as copy"),
    ("外盒换成了竹编的，喝完可以装针线。四时礼盒满299元包邮。", GIFT, "换成 as copy"),
    ("围炉一壶月光白，这个冬天是你的。第二罐半价。", MOON, "a sentence ending on 的"),
    ("【茶园里】岩上桂满199元送茶则。回T退订", ROCK, "a short SMS"),
]


@pytest.mark.parametrize("text,brief,why", FINE)
def test_well_formed_copy_is_not_flagged(chayuan, text, brief, why):
    channel = "sms" if text.startswith("【") else "wechat"
    assert categories(chayuan, text, brief, channel) == set(), why


UNSUPPORTED = [
    ("岩上桂选用宋代贡茶老丛原料，满199元送茶则。", "a dynasty's tribute tea"),
    ("岩上桂经武夷山茶叶研究所鉴定为特级，满199元送茶则。", "an institute's appraisal"),
    ("岩上桂限量600罐，满199元送茶则。", "a limited count"),
]


@pytest.mark.parametrize("text,why", UNSUPPORTED)
def test_unsubstantiated_facts_are_unsupported(chayuan, text, why):
    assert categories(chayuan, text) == {"unsupported_claim"}, why


def test_the_kits_own_testing_phrase_is_not_an_appraisal(chayuan):
    assert categories(chayuan, "每批次茶叶经第三方农残检测，岩上桂满199元送茶则。") == set()
