"""English kinds the quality gate used to miss or over-flag on copy written by others (issue 13, task G7):
rankings by a publication, tests by people the kit does not name, dates and deadlines the brief does not give
(unsupported); sentences that end on a bare "is" after a noun, coinages in numbers, a phrase looping on itself,
"your" for "you're", the chat model's own asides (garbled); an offer carried only by the product's own words is
not carried (off brief); and the look-alikes that must stay clean: texts' short forms ("thru Sun."), an offer's
amount without its deadline, sentences that end on "is" where English lets them, weekdays and
months that are scenes, not deadlines."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Talus Down Jacket for winter stargazing", "product": "Talus Down Jacket",
         "offer": "$30 off until Friday"}
GIFT = {"text": "Gift cards for birthdays of people who hike", "product": "Northpeak Gift Card",
        "offer": "$15 bonus on $75 gift cards"}
OFFER = "$30 off until Friday."


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "instagram", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


@pytest.mark.parametrize("claim", [
    "Ranked #1 by Alpine Weekly.",
    "Editors' Choice at Summit Review.",
    "Named top pick by Cold Camp Journal.",
    "Field tested by 120 mountain guides.",
    "Tested on Aconcagua by 12 pro climbers.",
    "Offer ends May 14th.",
    "Valid till 2 October.",
    "Deal ends this Tuesday!",
])
def test_rankings_tests_and_dates_the_brief_lacks_are_unsupported(northpeak, claim):
    assert "unsupported_claim" in categories(northpeak, f"Talus Down Jacket for clear cold nights. {claim} {OFFER}")


@pytest.mark.parametrize("text", [
    "Talus Down Jacket: Responsible Down Standard (RDS) certified down. $30 off until Friday.",
    "Meteor shower on Saturday? Talus Down Jacket, $30 off until Friday.",
    "The Geminids peak in December. Talus Down Jacket, $30 off until Friday.",
    "Talus Down Jacket, warm through sun and snow. $30 off until Friday.",
])
def test_kit_facts_and_dates_that_are_scenes_stay_clean(northpeak, text):
    assert categories(northpeak, text) == set()


@pytest.mark.parametrize("text", [
    # a sentence that ends on a bare "is" after a noun
    "Talus Down Jacket for the stars of night warm keeps quietly of camper is. $30 off until Friday.",
    # coinages, three in one short text
    "Talus Down Jacket: puffable starwarmth for every campfolk. $30 off until Friday.",
    # a phrase said again and again
    "Talus Down Jacket. It is warm under the stars and it is warm under the stars and it is warm. $30 off until Friday.",
    # the chat model's own asides
    "That is my answer. Here's another version: Talus Down Jacket for cold nights. $30 off until Friday.",
    "Talus Down Jacket for cold nights *winks* $30 off until Friday.",
])
def test_salad_coinages_loops_and_asides_are_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


def test_your_for_youre_is_garbled(northpeak):
    assert "garbled" in categories(northpeak, "Talus Down Jacket - Your Prepared", channel="search_ad")


@pytest.mark.parametrize("text", [
    "Cold night, clear sky: that's where the Talus Down Jacket is. $30 off until Friday.",
    "Rain or snow, the Talus Down Jacket is ready when you are. $30 off until Friday.",
    "Talus Down Jacket: breathable, packable and wonderfully warm. $30 off until Friday.",
    "Talus Down Jacket. Your preferred colour, $30 off until Friday.",
])
def test_english_that_looks_like_those_stays_clean(northpeak, text):
    assert categories(northpeak, text) == set()


def test_offer_carried_only_by_the_products_words_is_off_brief(northpeak):
    text = ("Thanks for choosing the Northpeak Gift Card! If a gift card ever goes missing, reply to this email "
            "and we will sort it out.")
    assert "off_brief" in categories(northpeak, text, channel="email", brief=GIFT)
    with_offer = "Birthday coming up? Northpeak Gift Card: $15 bonus on $75 gift cards. They pick the kit."
    assert "off_brief" not in categories(northpeak, with_offer, channel="email", brief=GIFT)


@pytest.mark.parametrize("text", [
    "Northpeak: Talus Down Jacket $30 off til Fri. Warm for stargazing. Reply STOP to opt out.",
    "Northpeak: Talus Down Jacket $30 off thru Friday, warm for stargazing. Reply STOP to opt out.",
])
def test_short_forms_carry_the_offer(northpeak, text):
    assert "off_brief" not in categories(northpeak, text, channel="sms")


def test_the_offers_amount_carries_it_without_the_deadline(northpeak):
    text = "Talus Down Jacket for cold clear nights under the stars. $30 off."
    assert "off_brief" not in categories(northpeak, text, channel="landing")
    other = "Talus Down Jacket for cold clear nights under the stars. $20 off."
    assert "off_brief" in categories(northpeak, other, channel="landing")
