"""Chinese kinds the quality gate missed or over-flagged on blind13 (issue 13, G12), written anew for other products
and wording (evals/quality/kinds_g12_zh.jsonl): a title, subject, hook or tag line that names the product is not asked
for the offer; another tea by the product's name with its colour changed; the brief's offer or name written with one
wrong character; layout placeholders left in; the brief's characters shuffled; signs typed over and over with numbers
said twice; an empty list's skeleton; how many customers chose it and a venue's endorsement, stated as facts. And
the look-alikes a writer uses (bodies without the offer stay off brief, colour words beside the right name, the
offer as written, bracketed labels, the name taken apart on purpose, a separator line, a per-user limit, a hotel or a
gym as a place, a real list, a word that ends on 和), which must stay as they are. Each test checks what a reviewer
sees: the verdict's categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

GREEN = {"text": "清明前后推荐春山绿，适合办公室玻璃杯泡。", "product": "春山绿", "offer": "新客首罐立减15元"}
ROCK = {"text": "岩上桂中火焙，适合周末在家用盖碗泡。", "product": "岩上桂", "offer": "满199元送茶则一只"}
SUN = {"text": "冬天推荐临沧晒红，围炉煮着喝。", "product": "临沧晒红", "offer": "满2罐包邮"}
WHITE = {"text": "秋天推荐临沧月光白，讲口感和泡法。", "product": "临沧月光白", "offer": "新客首单立减20元"}
BAGS = {"text": "夏天推荐园里冷萃™茶包，办公室冷水泡两小时就能喝。", "product": "园里冷萃™茶包", "offer": "买三送一"}
BOTTLE = {"text": "园里冷萃™瓶装茶饮上新，面向健身人群。", "product": "园里冷萃™瓶装茶饮", "offer": "整箱24瓶9折"}
GIFT = {"text": "中秋四时礼盒开始预订，可代写贺卡。", "product": "四时礼盒", "offer": "9月10日前下单包邮"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief, channel="wechat"):
    return quality_categories(checker, text, market="CN", brief=brief, channel=channel)


TITLES = [
    ("春山绿到了：玻璃杯里看叶子立起来", GREEN, "wechat"),
    ("周末在家，用盖碗泡一壶岩上桂", ROCK, "douyin"),
    ("围炉煮茶｜临沧晒红的三种煮法", SUN, "xiaohongshu"),
    ("临沧月光白怎么泡？水温和时间都在这里", WHITE, "wechat"),
    ("四时礼盒开始预订了，还能代写贺卡", GIFT, "email"),
    ("岩上桂新焙好了！", ROCK, "xiaohongshu"),
    ("#冷泡茶 #园里冷萃 #上班带什么 #茶园里", BAGS, "xiaohongshu"),
]


@pytest.mark.parametrize("text,brief,channel", TITLES)
def test_a_title_hook_or_tag_line_that_names_the_product_is_not_asked_for_the_offer(chayuan, text, brief, channel):
    assert categories(chayuan, text, brief, channel) == set()


BODIES = [
    ("春山绿是明前采的，玻璃杯泡，叶子一片片立起来。", GREEN, "wechat"),
    ("【茶园里】岩上桂新焙好了，周末在家泡一壶。回T退订", ROCK, "sms"),
    ("四时礼盒里装了四款原叶茶，可以代写贺卡。广告", GIFT, "douyin"),
]


@pytest.mark.parametrize("text,brief,channel", BODIES)
def test_a_body_a_text_message_or_an_ad_without_the_offer_stays_off_brief(chayuan, text, brief, channel):
    assert categories(chayuan, text, brief, channel) == {"off_brief"}


def test_a_cut_off_line_is_still_asked_for_the_offer(chayuan):
    assert "off_brief" in categories(chayuan, "岩上桂来自福建武夷山的合作茶园，焙火之后的", ROCK)


@pytest.mark.parametrize("text,brief", [("冬天围炉，煮一壶临沧晒白", SUN), ("清明前后，玻璃杯泡一杯春山红", GREEN)])
def test_another_tea_by_the_name_with_its_colour_changed_is_off_brief(chayuan, text, brief):
    assert "off_brief" in categories(chayuan, text, brief)


GARBLED = [
    ("【茶园里】春山绿新客首罐立剪15元，明前采的，玻璃杯泡。回T退订", GREEN, "the offer with a wrong character"),
    ("冬天围炉煮临沧晒红，满2灌包邮。", SUN, "the offer's measure word misspelt"),
    ("园里冷翠™茶包买三送一，冷水泡两小时。", BAGS, "the product's name misspelt"),
    ("点击【按钮】领取新客首单立减20元", WHITE, "a button placeholder"),
    ("四时礼盒开始预订（此处插入二维码），9月10日前下单包邮。", GIFT, "an insert-here note"),
    ("临晒沧红红晒临沧，围炉煮，满2罐包邮。", SUN, "the name's characters shuffled"),
    ("礼时四盒四时礼盒时四，中秋开始预订，9月10日前下单包邮。", GIFT, "the name's characters shuffled"),
    ("园里冷萃™瓶装茶饮 24 24瓶 9折 9折 ¥¥¥ %%%", BOTTLE, "numbers said twice, signs typed over and over"),
    ("临沧晒红围炉煮\n\n和\n\n都\n\n.\n\n满2罐包邮", SUN, "an empty list's skeleton"),
]


@pytest.mark.parametrize("text,brief,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, brief, why):
    assert "garbled" in categories(chayuan, text, brief), why


def test_a_misspelt_offer_next_to_the_product_is_garbled_not_also_off_brief(chayuan):
    assert categories(chayuan, "【茶园里】临沧晒红秋冬上新，日光晒，带蜜香。两灌包邮。回T退订",
                      {**SUN, "offer": "两罐包邮"}, "sms") == {"garbled"}


UNSUPPORTED = [
    ("十万茶友都在喝：春山绿", GREEN, "a customer count in a title"),
    ("20万+上班族的选择｜园里冷萃™瓶装茶饮", BOTTLE, "a customer count"),
    ("上千位老茶客推荐的岩上桂，满199元送茶则一只。", ROCK, "how many recommend it"),
    ("【茶园里】岩上桂，五星级酒店指定用茶，满199元送茶则一只。回T退订", ROCK, "a hotel's endorsement"),
    ("米其林餐厅都在用的春山绿，新客首罐立减15元。", GREEN, "restaurants' endorsement"),
    ("四时礼盒，国宴用茶同款，9月10日前下单包邮。", GIFT, "a state banquet"),
]


@pytest.mark.parametrize("text,brief,why", UNSUPPORTED)
def test_unsubstantiated_claims_are_flagged(chayuan, text, brief, why):
    assert "unsupported_claim" in categories(chayuan, text, brief), why


FINE = [
    ("临沧晒红不是白茶，是日光晒干的红茶，围炉煮正好，满2罐包邮。", SUN, "colour words beside the right name"),
    ("四时礼盒里装了四款原叶茶，可以代写贺卡，9月10日前下单包邮。", GIFT, "可以代写 is not a typo of 可代写"),
    ("临沧晒红满2罐包邮，围炉煮一壶，蜜香慢慢出来。", SUN, "the offer as written"),
    ("【限时】园里冷萃™茶包买三送一，办公室冷泡两小时就能喝。", BAGS, "a bracketed label"),
    ("图片里是春山绿在玻璃杯里的样子，新客首罐立减15元。", GREEN, "图片 in prose"),
    ("茶园里的园里冷萃™茶包，办公室冷水泡两小时，买三送一。", BAGS, "brand and product side by side"),
    ("临沧晒红，晒的是临沧的太阳，满2罐包邮。", SUN, "the name taken apart on purpose"),
    ("岩上桂中火焙\n***\n满199元送茶则一只，周末在家用盖碗泡。", ROCK, "a separator line"),
    ("新客首罐立减15元，每位用户限领一次，春山绿明前采。", GREEN, "a per-user limit"),
    ("健身房练完，来一瓶园里冷萃™瓶装茶饮，整箱24瓶9折。", BOTTLE, "a gym as a place"),
    ("岩上桂怎么泡：\n1. 温杯\n2. 投茶\n3. 出汤\n满199元送茶则一只。", ROCK, "a real list"),
    ("临沧月光白新客首单立减20元，秋天泡一壶，入口柔和", WHITE, "ends on a word that ends on 和"),
]


@pytest.mark.parametrize("text,brief,why", FINE)
def test_well_formed_copy_stays_clean(chayuan, text, brief, why):
    assert categories(chayuan, text, brief) == set(), why
