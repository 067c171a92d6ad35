"""English kinds the quality gate used to miss or over-flag on copy written by others (issue 13, task G9):
contractions English never makes, the prompt's fields leaked as lines, capitals inside words, a phrase looping in one
clause, a made-up name stuttered, content words strung together, phrases chained by "of", a count of lines as a
sentence (garbled); countdowns, stock counts and limited editions, ordinal dates (unsupported); an offer carried only
by its object, not its value (off brief). And what must stay clean: headlines and subject lines that name the product without the offer, broken
copy that names the product (garbled, not also off brief), the product named inside words run together, a landing
section in the kit's own words for the product, a spec the brief itself states, another product's own fact in copy
about that product, anaphora between commas, names with inner capitals."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Cirque Base Layer for frosty dog walks before breakfast", "product": "Cirque Base Layer",
         "offer": "free neck gaiter with every base layer"}
OFFER = "Free neck gaiter with every base layer."


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "email", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


@pytest.mark.parametrize("text", [
    f"Cirque Base Layer for the frosty walk. We'm sure the dog agrees. {OFFER}",
    f"Cirque Base Layer for the frosty walk. They're off and he'm right behind. {OFFER}",
    f"Cirque Base Layer for the frosty walk.\nAudience: dog owners\n{OFFER}",
    f"Cirque Base Layer for the frosty walk.\nProduct: This is the layer the walker wears.\n{OFFER}",
    f"Cirque Base Layer for the frosty walK before breakfast. {OFFER}",
    f"Cirque Base Layer for fRoStY walks before breakfast. {OFFER}",
    f"The Cirque Base Layer is a layer that is warm for the walk that is cold for the dog that is out. {OFFER}",
    f"Cirque Base Layer: the frost of the walk of the dog of the morning of the frost. {OFFER}",
    "Frost Week: Pinecrest Red, Pinecrest Red Deals on All Pinecrests, Pine Crest Red",
    f"Cirque Base Layer frost walk dog breakfast gaiter neck merino layer warm the of. {OFFER}",
    "This is the copy for you. Three short lines only.",
    f"Cirque Base Layer. The frost of the lane is the lead of the dog, the warmth of breakfast is walking. {OFFER}",
])
def test_broken_english_is_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("claim", [
    "Only 7 left in stock.",
    "Just 20 minutes left to order.",
    "3 hours remaining on this price.",
    "A limited-edition colour for winter.",
    "Get it before it sells out.",
    "In stores from November 2nd so you can try it on.",
])
def test_scarcity_countdowns_and_dates_the_brief_lacks_are_unsupported(northpeak, claim):
    assert "unsupported_claim" in categories(northpeak, f"Cirque Base Layer for frosty dog walks. {claim} {OFFER}")


@pytest.mark.parametrize("text", [
    # the offer's object without what makes it a deal
    "The Cirque Base Layer has thumb loops and a longer back. Pair it with any neck gaiter you already own.",
    "Gaiters for necks using Frostfield's Warmer!",
])
def test_offer_object_without_its_value_is_off_brief(northpeak, text):
    assert "off_brief" in categories(northpeak, text)


@pytest.mark.parametrize("text", [
    "Thumb loops for cold starts – the Cirque Base Layer for frosty dog walks",
    "Cirque Base Layer! Frost on the lead...",
])
def test_a_headline_naming_the_product_need_not_carry_the_offer(northpeak, text):
    assert categories(northpeak, text) == set()


@pytest.mark.parametrize("text", [
    "Cirque Base Layer для the frosty walk before завтрак with the dog.",
    "Cirque Base Layer for the frsoty wlak, with thmub loops and a lnoger bakc for the dog's longest morning.",
])
def test_broken_copy_that_names_the_product_is_garbled_not_off_brief(northpeak, text):
    assert categories(northpeak, text) == {"garbled"}


def test_a_cut_off_text_still_owes_the_offer(northpeak):
    assert {"garbled", "off_brief"} <= categories(
        northpeak, "The Cirque Base Layer keeps you warm on the frosty walk while the dog pulls you toward the")


def test_the_product_named_inside_words_run_together_is_named(northpeak):
    assert categories(northpeak, "NorthpeakCirqueBaseLayerFrostyWalkOneLine") == {"garbled"}


def test_a_hashtag_does_not_name_the_product(northpeak):
    assert "off_brief" in categories(northpeak, "#CirqueConvalescent Sunday thoughts")


def test_copy_in_the_kits_own_words_for_the_product_describes_it(northpeak):
    assert categories(northpeak, f"Flat seams under a pack, thumb loops for cold starts and a longer back that stays "
                                 f"tucked. {OFFER}", channel="landing") == set()


def test_a_spec_the_brief_states_is_supported_though_the_kit_scopes_it_elsewhere(northpeak):
    brief = {"text": "Harbour Pro Shell spec sheet for sailing coaches: 20,000 mm hydrostatic head, 3-layer",
             "product": "Harbour Pro Shell", "offer": "coaches get 20% off until May 31"}
    text = ("For coaches: the Harbour Pro Shell. Three layers, StormLayer™ membrane rated 20,000 mm hydrostatic head. "
            "Coaches get 20% off until May 31.")
    assert "unsupported_claim" not in categories(northpeak, text, channel="linkedin", brief=brief)


def test_another_products_own_fact_is_off_brief_not_unsupported(northpeak):
    brief = {"text": "Northpeak ReCraft mends a zip before the ski season", "product": "Northpeak ReCraft", "offer": ""}
    found = categories(northpeak, "Meet the Talus Down Jacket. Filled with Responsible Down Standard (RDS) certified down.",
                       channel="x", brief=brief)
    assert found == {"off_brief"}


@pytest.mark.parametrize("text", [
    f"Warm at the gate, warm on the lane, warm back home: the Cirque Base Layer. {OFFER}",
    f"Cirque Base Layer, iPhone in the chest pocket, the dog on the lead. {OFFER}",
    f"The Cirque Base Layer: a 150 g/m² merino blend that moves moisture off your skin. {OFFER}",
    f"Readiness, quietness, warmth: the Cirque Base Layer for frosty dog walks. {OFFER}",
    f"Sure, it is cold. The Cirque Base Layer has thumb loops for cold starts. {OFFER}",
    f"A pair of gloves, a bag of treats, a cup of tea and the Cirque Base Layer. {OFFER}",
])
def test_well_formed_copy_stays_clean(northpeak, text):
    assert categories(northpeak, text) == set()
