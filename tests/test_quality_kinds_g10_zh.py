"""Chinese kinds the quality gate missed or over-flagged on copy written by others (issue 13, G10): prose cut off on a
possessive 的, a service notice spliced into the copy, the brief's words shuffled into one clause, a clause said back
with its words swapped, zhuyin letters, the small model's short lines closed with Western stops that name nothing of
the brief; how long the tea keeps, a method handed down from a dynasty, the maker's years and a comparison with peers
at the same price, none of them substantiated; numbers inside salad that are a date or part of a longer digit string;
a chat reply's frame around copy that carries the brief; a product called by its short name. And the look-alikes a
writer uses (是…的 endings, doubled adjectives, classical lines, the kit's own years and storage advice, casual
comparisons, Chinese ellipses), which must stay clean. Each test checks what a reviewer sees: the verdict's
categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

GREEN = {"text": "立夏前后推荐春山绿，适合书房里用玻璃杯泡。", "product": "春山绿", "offer": "第二罐半价"}
ROCK = {"text": "岩上桂焙火讲究，适合雨天在家用盖碗泡。", "product": "岩上桂", "offer": "满199元送茶则一只"}
SUN = {"text": "临沧晒红适合下午煮一壶。重点：日光晒干，带蜜香。", "product": "临沧晒红", "offer": ""}
GIFT = {"text": "端午送老师四时礼盒，四款原叶茶一盒装齐。", "product": "四时礼盒", "offer": "满2盒包邮"}
PRESALE = {"text": "春山绿明前预售，说明价格和发货日期。", "product": "春山绿", "offer": "预售价98元/罐（50克），3月28日起发货"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief=GREEN, channel="wechat"):
    return quality_categories(checker, text, market="CN", brief=brief, channel=channel)


GARBLED = [
    ("书房里泡一杯春山绿，第二罐半价，叶子在玻璃杯里立起来，雨天午后最安静的", GREEN, "cut off on a possessive 的"),
    ("春山绿第二罐半价，玻璃杯泡很好看，因为明前采的", GREEN, "cut off after 因为…的"),
    ("春山绿玻璃杯泡，请凭小票到二楼服务台领取赠品，第二罐半价。", GREEN, "a counter notice spliced in"),
    ("雨天用盖碗泡岩上桂，您的包裹已签收，焙火香很稳，满199元送茶则一只。", ROCK, "a parcel notice spliced in"),
    ("端午老师四款原叶茶四时礼盒装齐一盒送满2盒包邮原叶的茶。", GIFT, "the brief's words shuffled into one clause"),
    ("春山绿的清香是书房的安静，书房的安静是春山绿的清香。第二罐半价。", GREEN, "a clause said back with its words swapped"),
    ("春山绿ㄌㄩˋ茶，玻璃杯泡，第二罐半价。", GREEN, "zhuyin letters"),
]


@pytest.mark.parametrize("text,brief,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, brief, why):
    assert "garbled" in categories(chayuan, text, brief), why


@pytest.mark.parametrize("text", ["已经拿到了更多门值.", "转到这些频道... 回来最近..."])
def test_short_line_with_western_stops_that_names_nothing_of_the_brief_is_garbled(chayuan, text):
    assert categories(chayuan, text, ROCK, channel="email") == {"garbled", "off_brief"}


def test_a_short_line_with_a_western_stop_that_names_the_product_is_not_garbled(chayuan):
    assert "garbled" not in categories(chayuan, "岩上桂到了.", ROCK, channel="email")


UNSUPPORTED = [
    ("春山绿泡好后放冰箱 4 天也不变味，第二罐半价。", GREEN, "how long it keeps"),
    ("春山绿保鲜10天，第二罐半价。", GREEN, "how long it keeps, 保鲜"),
    ("岩上桂沿用元代传下来的焙火方法，满199元送茶则一只。", ROCK, "a method handed down from a dynasty"),
    ("林阿伯做了七十多年茶，满199元送茶则一只。", ROCK, "the maker's years, not the kit's"),
    ("四时礼盒比同档次礼盒多两罐，满2盒包邮。", GIFT, "compared with peers at the same price"),
]


@pytest.mark.parametrize("text,brief,why", UNSUPPORTED)
def test_unsubstantiated_claims_are_flagged(chayuan, text, brief, why):
    assert "unsupported_claim" in categories(chayuan, text, brief), why


def test_a_count_inside_salad_stays_a_claim_but_a_date_or_a_long_digit_string_does_not(chayuan):
    assert "unsupported_claim" in categories(chayuan, "您好，\n\n这些值类型排进更多表里以后，拿到了52.7 万次点赞!", GIFT, "email")
    assert "unsupported_claim" not in categories(chayuan, "电子表值 2021.6043 修改成单，获取这些类型.", GIFT, "email")
    assert "unsupported_claim" not in categories(chayuan, "分类_编码 2018-07-19 值表 _获取_", GIFT, "sms")


def test_a_chat_frame_around_copy_that_carries_the_brief_is_garbled_not_off_brief(chayuan):
    text = "以下是我写的文案：\n\n春山绿明前预售，预售价98元/罐（50克），3月28日起发货。\n\n（可以按需删改）"
    assert categories(chayuan, text, PRESALE) == {"garbled"}


def test_a_chat_reply_with_nothing_of_the_brief_is_still_off_brief(chayuan):
    assert "off_brief" in categories(chayuan, "以下是我写的文案：今天天气不错，适合出门散步。", PRESALE)


FINE = [
    ("名字里的“晒”，就是太阳晒干。下午煮一壶晒红，蜜香足。", SUN, "the product's short name and the key point"),
    ("下午煮一壶临沧晒红，日光晒干的茶，蜜香是甜甜的", SUN, "ends on a doubled adjective + 的"),
    ("书房里泡一杯春山绿，第二罐半价，这杯茶是香的", GREEN, "ends on 是…的"),
    ("林阿伯在武夷山做了四十多年茶，岩上桂就是他焙的。满199元送茶则一只。", ROCK, "the kit's own years"),
    ("冷泡茶放冰箱保存，当天喝完。春山绿第二罐半价。", GREEN, "the kit's storage advice"),
    ("宋代人点茶要打出一层沫，今天用玻璃杯泡春山绿就简单多了。第二罐半价。", GREEN, "history, no claim about the product"),
    ("春山绿比咖啡温和，书房里喝不心慌。第二罐半价。", GREEN, "a casual comparison, not with peers"),
    ("春山绿在玻璃杯里是这样的……叶子一片片立起来。第二罐半价。", GREEN, "a Chinese ellipsis"),
    ("晚来天欲雪，能饮一杯无？雨天用盖碗泡岩上桂，满199元送茶则一只。", ROCK, "a classical line"),
    ("【茶园里】春山绿明前预售，预售价98元/罐（50克），3月28日起发货。回T退订", PRESALE, "prices from the brief"),
    ("端午给老师带一盒四时礼盒，四款原叶茶一盒装齐，满2盒包邮。", GIFT, "the brief's words with the writer's own"),
]


@pytest.mark.parametrize("text,brief,why", FINE)
def test_well_formed_copy_stays_clean(chayuan, text, brief, why):
    assert categories(chayuan, text, brief) == set(), why
