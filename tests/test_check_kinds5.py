"""Issue 15, sixth round: kinds the blind holdout8 still missed, checked through the real checker.

Endorsements without trigger words (a famous or named person using a beauty, health or money product; a professional
vouching in the first person), stereotypes by nationality, religion, disability or condition, insults that are not
swear words and mild profanity in its usual phrases, each next to a clean look-alike that a naive rule would flag.
The texts here are not in evals/checks, evals/model_train or the packs' own examples."""

from __future__ import annotations

import pytest

from studio.checks.engine import get_checker


# The compliance categories these kinds belong to; a clean look-alike must get none of them (the quality gate may still
# ask about an unlisted fact such as "oak", which is not what these tests are about).
KIND_CATEGORIES = {"endorsement", "health_claim", "financial_promise", "guarantee_claim", "absolute_claim", "false_urgency",
                   "fake_social_proof", "stereotype", "gendered_language", "age_bias", "profanity"}


def flagged(text: str, market: str = "US") -> set[str]:
    """The categories a reviewer sees as a problem (warn or block findings)."""
    report = get_checker().check_text(text, market=market)
    return {f.category for f in report.findings if f.severity.value != "info"}


def flagged_kinds(text: str, market: str = "US") -> set[str]:
    return flagged(text, market) & KIND_CATEGORIES


@pytest.mark.parametrize("text, market", [
    ("Figure skater Noor Adler rubs this arnica balm into her calves after every show.", "US"),
    ("The same body lotion Lucas Brand used on set all summer.", "US"),
    ("As a board-certified allergist, these are the only antihistamine gummies I give my own kids.", "US"),
    ("I'm a portfolio manager, and my own IRA sits in this index fund.", "US"),
    ("游泳冠军每天都喝的这款蛋白粉，官方店有货。", "CN"),
    ("作为一名药剂师，我家里常备的就是这款维生素D。", "CN"),
])
def test_an_endorsement_without_trigger_words_is_flagged(text, market):
    assert "endorsement" in flagged(text, market)


@pytest.mark.parametrize("text, market", [
    ("As a music teacher, I love this metronome: it clips onto any stand.", "US"),
    ("Figure skater Noor Adler opens the ice rink's winter season on Friday.", "US"),
    ("Lucas Brand bought the oak table for his cabin and sent us a photo.", "US"),
    ("作为一名摄影师，我很喜欢这款三脚架。", "CN"),
])
def test_a_named_or_professional_customer_of_an_ordinary_product_is_clean(text, market):
    assert flagged_kinds(text, market) == set()


@pytest.mark.parametrize("text, market", [
    ("A recipe app simple enough for even a Danish bachelor.", "EU"),
    ("Earplugs for long trips next to a noisy Greek family.", "EU"),
    ("Feeling kinda bipolar about paint colours? Try our swatches.", "US"),
    ("Stop dressing like a peasant. Linen shirts from $39.", "US"),
    ("连盲人都会用的电饭煲，一键煮饭。", "CN"),
    ("聪明得像个犹太人？先来上我们的财商课。", "CN"),
])
def test_a_stereotype_by_origin_religion_or_condition_is_flagged(text, market):
    assert "stereotype" in flagged(text, market)


@pytest.mark.parametrize("text, market", [
    ("Portuguese cork yoga blocks, sustainably harvested.", "EU"),
    ("Even a Dalmatian fits in our large dog crate.", "US"),
    ("Large-print menus for blind and low-vision guests on request.", "US"),
    ("东北黑木耳，肉厚无沙。", "CN"),
])
def test_a_nationality_or_condition_in_a_neutral_sense_is_clean(text, market):
    assert flagged_kinds(text, market) == set()


@pytest.mark.parametrize("text, market", [
    ("Paying full fare? Only suckers do.", "US"),
    ("Leave the bank fees to the chumps.", "US"),
    ("Damn comfy slippers, half price.", "US"),
    ("Hell yeah, the pool is open.", "US"),
    ("别再当韭菜，自己学会看财报。", "CN"),
    ("还在交智商税买大牌面霜？", "CN"),
])
def test_an_insult_or_mild_profanity_without_swear_words_is_profanity(text, market):
    assert "profanity" in flagged(text, market)


@pytest.mark.parametrize("text, market", [
    ("Spare suction-cup suckers for the shower caddy.", "US"),
    ("Hells Gate hot springs, day passes at the door.", "US"),
    ("韭菜炒鸡蛋，家常小炒十八元。", "CN"),
    ("二百五十毫升装鲜牛奶。", "CN"),
])
def test_the_same_words_in_their_plain_sense_are_clean(text, market):
    assert flagged_kinds(text, market) == set()


@pytest.mark.parametrize("text, market, category", [
    ("Quit your job for good with our options signals.", "US", "financial_promise"),
    ("Australia's most-loved sunscreen brand.", "EU", "absolute_claim"),
    ("Your discount vanishes in 03:00.", "US", "false_urgency"),
    ("It worked for every single client, or the session is free.", "US", "guarantee_claim"),
    ("No boring boomers allowed at our co-working loft.", "US", "age_bias"),
])
def test_smaller_kinds_holdout8_missed_are_flagged(text, market, category):
    assert category in flagged(text, market)


def test_a_clock_time_that_is_not_a_countdown_is_clean():
    assert flagged_kinds("Doors open 18:30, show at 19:00.") == set()
