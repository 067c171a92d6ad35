"""Chinese kinds the quality gate missed or over-flagged on copy written by others (issue 13, G4): written
failures in fluent Chinese (stutters, loops, cut-off sentences, prompt echoes, clauses from a service notice,
the writer's working words, symbols strewn between words), classical verse that is not salad, and a calendar
year that is not a duration. Each test checks what a reviewer sees: the verdict's categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "立冬后早餐配一杯临沧晒红。", "product": "临沧晒红", "offer": "第二罐半价"}
GREEN = {"text": "春分前后推荐春山绿，适合上班族用玻璃杯泡。", "product": "春山绿", "offer": "新客首罐立减15元"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief=BRIEF):
    return quality_categories(checker, text, market="CN", brief=brief)


GARBLED = [
    ("临沧晒红第二罐半价，早餐喝喝喝，蜜香香香。", "a character tripled after a word"),
    ("临沧晒红早餐来一杯，第二罐半价，临沧晒红早餐来一杯，第二罐半价。", "two clauses said twice in a row"),
    ("立冬以后早上泡一杯临沧晒红，第二罐半价，喝完记得把", "stops on a word that needs what follows"),
    ("请为公众号写一段文案，产品：临沧晒红，优惠：第二罐半价。文案：", "the prompt echoed"),
    ("临沧晒红第二罐半价，您的取件码已发送，早餐配一杯刚好。", "a clause from a service notice"),
    ("第2节 列表 表单 临沧晒红 第二罐半价", "the writer's working words"),
    ("临沧晒红 ## 7 7 ** 第二罐半价 @@", "symbols strewn between words"),
    ("临沧晒红早餐來一杯，第二罐半價，蜜香很濃。", "Traditional characters mixed into Simplified copy"),
    ("这行表示第一个类型的数据，获取后再修改。", "the small model's habitual words strung together"),
]


@pytest.mark.parametrize("text,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, why):
    assert "garbled" in categories(chayuan, text), why


FINE = [
    ("晚来天欲雪，能饮一杯无？立冬以后，早餐配一杯临沧晒红，蜜香暖暖的。第二罐半价。", "a classical couplet"),
    ("哈哈哈，早餐终于不用喝白水了：临沧晒红第二罐半价。", "laughter"),
    ("一杯茶，一片吐司，一个早上。临沧晒红第二罐半价。", "parallel clauses that vary"),
    ("【茶园里】临沧晒红第二罐半价，立冬后早餐来一杯。回T退订", "a short SMS"),
    ("临沧晒红日光晒干，带一点蜜香。#红茶 #临沧晒红 第二罐半价", "hashtags and no closing punctuation"),
    ("去看看临沧晒红", "a call to action without punctuation"),
    ("临沧晒红 + 鲜橙，冷泡一夜，早餐喝正好，第二罐半价，评论区聊聊 ~", "'+' as 'and', a casual tilde"),
    ("一盏一乾坤。临沧晒红日光晒干，早餐来一杯，第二罐半价。", "a character Simplified keeps (乾坤)"),
]


@pytest.mark.parametrize("text,why", FINE)
def test_well_formed_copy_is_not_flagged(chayuan, text, why):
    assert categories(chayuan, text) == set(), why


def test_a_kit_year_is_supported_and_an_invented_one_is_not(chayuan):
    assert categories(chayuan, "2026年的春山绿，3月22日开采，4月3日收尾。新客首罐立减15元。", GREEN) == set()
    assert "unsupported_claim" in categories(chayuan, "春山绿从1956年起就在安吉采摘，新客首罐立减15元。", GREEN)


def test_an_invented_count_of_people_in_chinese_numerals_needs_substantiation(chayuan):
    assert "unsupported_claim" in categories(chayuan, "已有三万位茶友早餐喝临沧晒红，第二罐半价。")
    assert categories(chayuan, "一位懂茶的朋友说，临沧晒红配早餐刚好，第二罐半价。") == set()


def test_a_key_message_stated_inline_in_a_chinese_brief_must_be_carried(chayuan):
    brief = {"text": "临沧月光白的产地故事。关键信息：产地直采。", "product": "临沧月光白", "offer": ""}
    assert "off_brief" in categories(chayuan, "临沧月光白的名字很好听，像一首诗，也像一段回忆，愿你今晚做个好梦。", brief)
    assert categories(chayuan, "临沧月光白来自云南临沧的合作茶园，产地直采，茶汤浅杏黄，入口柔和。", brief) == set()
