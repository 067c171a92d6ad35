"""Garble signals of the quality gate: clipped words, cut-offs inside a word, real words standing for the
brief's product name, and well-formed look-alikes that must stay clean (EN and ZH). Texts written for
these tests; no kit, so only language-wide knowledge and the brief make words known."""

from __future__ import annotations

import pytest

from studio.checks import get_checker

BRIEF = {"text": "Launch of the Ventora rain jacket", "product": "Ventora Jacket", "offer": "free shipping"}


@pytest.fixture(scope="module")
def checker():
    return get_checker(None)


def garbled(checker, text: str, brief: dict | None = None) -> list[str]:
    report = checker.check_text(text, brief=brief)
    return [f.rule.rsplit(".", 1)[-1] for f in report.findings if f.category == "garbled"]


@pytest.mark.parametrize("text", [
    "Our trai shoe is bac in stoc for memb until Sunday.",
    "The new hik pack is bac, with more pock and a warm blan inside.",
])
def test_texts_of_clipped_words_are_garbled(checker, text):
    assert "clipped_words" in garbled(checker, text)


@pytest.mark.parametrize("text", [
    "Info: approx. 2 tbsp per cup, demo on 3 Nov, sizes XS-XL. Pls RSVP.",
    "Our trail shoe is back in stock for members until Sunday.",
    "Pro tip: the app has a bio, a pic and a min/max temp for your trip.",
])
def test_abbreviations_people_write_are_not_clipped(checker, text):
    assert garbled(checker, text) == []


@pytest.mark.parametrize("text", [
    "Pack light for the long weekend and bring the extra blan",
    "Pack light for the long weekend and bring the extra c",
])
def test_a_text_cut_inside_its_last_word_is_garbled(checker, text):
    assert "cut_off" in garbled(checker, text)


@pytest.mark.parametrize("text", [
    "Pack light for the long weekend and bring the extra blanket",
    "Rated 20,000 mm, 410 g",
    "Why this tiny starter kit could grow 10x",
    "Back-up plan: bring Plan B",
])
def test_texts_that_end_on_whole_words_units_or_letters_are_not_cut(checker, text):
    assert garbled(checker, text) == []


def test_a_modal_with_nothing_after_it_is_cut_off(checker):
    assert "cut_off" in garbled(checker, "Your next rainy commute will be")
    assert garbled(checker, "Whatever the weather will be, you will be dry.") == []


@pytest.mark.parametrize("text", ["Meet the Venture Jacket: dry on every ride.", "Ventura Jacket, out now."])
def test_a_real_word_where_the_product_name_should_be_is_a_mangled_name(checker, text):
    assert "mangled_name" in garbled(checker, text, BRIEF)


@pytest.mark.parametrize("text", [
    "The Ventora Jacket is made for a venture into the hills.",
    "Meet the Ventora Jacket. Ventures start here.",
    "A jacket for every Venture, from the city to the coast.",  # a venture, but no product name in the brief
])
def test_the_name_itself_or_no_brief_name_is_not_mangled(checker, text):
    brief = BRIEF if "Ventora" in text else None
    assert garbled(checker, text, brief) == []


def test_a_chinese_text_cut_inside_its_last_word_is_garbled(checker):
    assert "cut_off" in garbled(checker, "秋天到了，园子里的桂花开满枝头，香气扑鼻，令人心旷神")


@pytest.mark.parametrize("text", [
    "秋天到了，园子里的桂花开满枝头，香气扑鼻，令人心旷神怡",
    "猫咪肠胃不舒服？换了新粮三天就好了",
    "新茶上市，欢迎到店品尝",
])
def test_chinese_texts_that_end_on_words_or_particles_are_not_cut(checker, text):
    assert garbled(checker, text) == []


@pytest.mark.parametrize("text", [
    "When it's gone, it's gone.",
    "Questions about your order? Write to zhangxiaolin88@163.com and we answer within a day.",
    "Call our shop on +44 20 7946 0958 for a fitting.",
    "Dermatologically tested, fragrance-free and gentle on hands.",
])
def test_well_formed_copy_is_not_garbled(checker, text):
    assert garbled(checker, text) == []


@pytest.mark.parametrize("text", ["Gear up for your ride for your ride today.", "Orders ship 1977/2/12, 11:25(+) [+] 10% 450"])
def test_repeated_phrases_and_number_runs_are_still_garbled(checker, text):
    assert garbled(checker, text)


def test_chinese_made_of_made_up_words_is_garbled(checker):
    text = "新品上市：这款冷泡茶的清素开持让心情采选回品，高前显香，水安长质，进味宁用，适合每位大家。"
    assert "pseudo_words" in garbled(checker, text)


@pytest.mark.parametrize("text", [
    "秋茶上新：明前采摘的绿茶，清香回甘，冷水泡四小时就很好喝，适合每天带去办公室。",
    "茶园开放日报名中：每日现包饺子，手工擀皮，可备注少放葱，随存随取。",  # slang and collocations, not salad
])
def test_chinese_copy_with_new_words_and_slang_is_not_garbled(checker, text):
    assert garbled(checker, text) == []


def test_numbers_inside_made_up_chinese_are_not_also_claims(checker):
    text = "新品上市：这款冷泡茶的清素开持让心情采选回品，高前显香，水安长质，进味宁用，第 3 代只要 ¥39。"
    report = checker.check_text(text)
    assert "pseudo_words" in [f.rule.rsplit(".", 1)[-1] for f in report.findings]
    assert not [f for f in report.findings if f.rule == "quality.unsupported_claim.number"]


# Kinds from blind2's misses (texts written here, not taken from the set): forms of one word in a row,
# words run together, punctuation runs, mojibake of quotes and of Chinese, several words doubled in Chinese.
@pytest.mark.parametrize("text, rule", [
    ("Our rain jacket: protects protecting protected protection for every hike.", "stem_salad"),
    ("Meet the Ventora Jacket, the RainJacketForWetCityCommutes of the year.", "run_together"),
    ("Ventora Jacket, now with free shipping. !!!!!!!!!!!! ????? .......", "symbol_run"),
    ("Ventora Jacket â€” the one you wanted. Free shipping, weâ€™re sure.", "debris"),
    ("æ–°å“ ä¸Šå¸‚ 雨衣包邮", "debris"),
    ("雨衣雨衣轻便轻便，防水防水，全国包邮", "repeated"),
])
def test_new_garble_kinds_are_caught(checker, text, rule):
    assert rule in garbled(checker, text)


@pytest.mark.parametrize("text", [
    "Design, designed and made in Portland: the Ventora Jacket, free shipping.",  # two forms, with commas
    "Plan your route, pack light, and go. #GetOutsideThisWeekend",  # a hashtag is run together on purpose
    "Use code NP2026XMAS15 at checkout: free shipping on the Ventora Jacket.",
    "Wait for it... the Ventora Jacket is here!!! Free shipping?!",
    "Café crème and a crêpe after the hike: Ventora Jacket, free shipping.",
    "看看新款雨衣，研究研究面料，轻便防水，全国包邮。",  # one-character doubles and one doubled word are Chinese
])
def test_look_alikes_of_the_new_kinds_are_not_garbled(checker, text):
    assert garbled(checker, text) == []


def test_several_misspelled_words_are_garbled(checker):
    assert "misspelt" in garbled(checker, "Ventora Jaket: fre shiping on the new rain jcket thsi week.")


def test_one_typo_or_a_brand_near_a_word_is_not_garbled(checker):
    assert garbled(checker, "The Ventora Jacket keeps you dry on the commute. Free shiping this week.") == []


def test_a_name_misspelled_inside_is_mangled(checker):
    assert "mangled_name" in garbled(checker, "The Vnetora Jacket keeps you dry. Free shipping.", BRIEF)


def test_another_brand_with_the_names_first_letter_is_not_mangled(checker):
    assert garbled(checker, "The Ventora Jacket, sewn with Vandrel thread. Free shipping.", BRIEF) == []


def test_chinese_clause_strung_on_connectives_is_garbled(checker):
    assert "word_salad" in garbled(checker, "雨衣因为下雨所以轻便但是包邮然后防水可以买的周末")


def test_chinese_sentence_with_connectives_between_commas_is_not_garbled(checker):
    assert garbled(checker, "因为周末有雨，所以带上这件雨衣，但是别忘了帽子，全国包邮。") == []
