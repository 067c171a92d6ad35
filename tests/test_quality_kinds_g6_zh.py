"""Chinese kinds the quality gate missed or over-flagged on copy written by others (issue 13, G6): nouns strung on
的, English grammar words woven into Chinese, long unlabelled digit runs, stray arrow glyphs, an echoed length
instruction; ranks and counts a kit never states (a number the kit has only as millilitres is no count of test
items, a per-bottle volume must be the kit's per-bottle volume), a one-product certificate said of two products;
copy that is only the product's name. And the look-alikes a writer uses (的的确确, "很 nice", a hotline, the kit's
own specs), which must stay clean. Each test checks what a reviewer sees: the verdict's categories."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

MOON = {"text": "小雪节气，围炉煮一壶临沧月光白。", "product": "临沧月光白", "offer": "满158元送陶壶"}
GREEN = {"text": "春分前后推荐春山绿，适合上班族用玻璃杯泡。", "product": "春山绿", "offer": "新客首罐立减15元"}
BOTTLE = {"text": "夏天通勤带一瓶园里冷萃™瓶装茶饮。", "product": "园里冷萃™瓶装茶饮", "offer": "两瓶起包邮"}
PAIR = {"text": "中秋礼盒：春山绿和岩上桂双罐装。", "product": "中秋双罐礼盒", "offer": "满199元包邮"}


@pytest.fixture(scope="module")
def chayuan():
    return kit_checker("chayuan")


def categories(checker, text, brief=MOON):
    return quality_categories(checker, text, market="CN", brief=brief)


GARBLED = [
    ("临沧月光白的陶壶的炉子的炭火的窗外的雪的夜的香。满158元送陶壶。", "nouns strung on 的"),
    ("临沧月光白满158元送陶壶，围炉的晚上的的。", "a clause ending on 的的"),
    ("临沧月光白 is a 很 soft 的 tea，for 围炉 the 好选择，满158元送陶壶。", "English grammar words woven in"),
    ("临沧月光白 83920571846 满158元送陶壶", "a long digit run with no label"),
    ("⬂ 临沧月光白 满158元送陶壶 ⬂", "stray arrow glyphs"),
]


@pytest.mark.parametrize("text,why", GARBLED)
def test_written_failures_are_garbled(chayuan, text, why):
    assert "garbled" in categories(chayuan, text), why


FINE = [
    ("围炉的人的的确确更懂茶：临沧月光白满158元送陶壶。", "的的确确"),
    ("小雪围炉真的很 nice！临沧月光白满158元送陶壶。", "one borrowed English word"),
    ("小雪 vlog：围炉煮临沧月光白，满158元送陶壶，citywalk 回来暖暖手。", "borrowed words"),
    ("临沧月光白满158元送陶壶。客服热线 4008206688，煮茶有问题可以问。", "a hotline"),
    ("临沧月光白满158元送陶壶 → 主页链接", "an arrow as a pointer"),
    ("⬆️ 点上方关注。小雪围炉，临沧月光白满158元送陶壶。", "an arrow emoji"),
    ("每罐 50 克，罐底印着检测报告编号。小雪围炉煮临沧月光白，满158元送陶壶。", "the kit's own per-tin weight"),
]


@pytest.mark.parametrize("text,why", FINE)
def test_well_formed_copy_is_not_flagged(chayuan, text, why):
    assert categories(chayuan, text) == set(), why


def test_a_rank_needs_a_source(chayuan):
    assert "unsupported_claim" in categories(chayuan, "临沧月光白拿过茶叶评比第一名，满158元送陶壶。")
    assert "unsupported_claim" in categories(chayuan, "临沧月光白在斗茶赛拿了第3名，满158元送陶壶。")


def test_a_kit_number_in_another_unit_is_no_count_of_tests(chayuan):
    # 200 is in the kit only as millilitres of water
    assert "unsupported_claim" in categories(chayuan, "春山绿每批检测 200 项指标，新客首罐立减15元。", GREEN)
    assert categories(chayuan, "玻璃杯泡：3 克茶，200 毫升 80°C 左右的水。春山绿新客首罐立减15元。", GREEN) == set()


def test_a_per_bottle_volume_must_be_the_kits(chayuan):
    assert "unsupported_claim" in categories(chayuan, "每瓶 200 毫升，小巧好带。园里冷萃™瓶装茶饮两瓶起包邮。", BOTTLE)
    assert categories(chayuan, "每瓶 450 毫升，通勤路上刚好喝完。园里冷萃™瓶装茶饮两瓶起包邮。", BOTTLE) == set()


def test_a_one_product_certificate_said_of_two_products(chayuan):
    both = "中秋双罐礼盒里的春山绿和岩上桂都有中国有机产品认证，满199元包邮。"
    one = "中秋双罐礼盒：春山绿通过中国有机产品认证，岩上桂来自福建武夷山。满199元包邮。"
    assert "unsupported_claim" in categories(chayuan, both, PAIR)
    assert categories(chayuan, one, PAIR) == set()


def test_a_count_stated_in_salad_stays_a_claim(chayuan):
    found = categories(chayuan, "门前列表获取前的总体剩余71824个条目所以被修改数据了回去.")
    assert "unsupported_claim" in found and "off_brief" in found


def test_copy_that_is_only_the_product_name_is_off_brief(chayuan):
    assert "off_brief" in categories(chayuan, "临沧月光白。")
    assert categories(chayuan, "【茶园里】临沧月光白满158元送陶壶，小雪围炉。回T退订") == set()


def test_an_echoed_length_instruction_is_garbled_and_off_brief(chayuan):
    assert categories(chayuan, "一句话，30字以内。") == {"garbled", "off_brief"}


def test_pinyin_is_not_a_certification_mark(chayuan):
    found = categories(chayuan, "lin cang yue guang bai jian ce 临沧月光白 man yi bai wu shi ba")
    assert "garbled" in found and "unsupported_claim" not in found  # "ce" in "jian ce" is no CE mark
