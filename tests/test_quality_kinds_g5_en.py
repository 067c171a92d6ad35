"""English kinds the quality gate used to miss or over-flag on copy written by others (issue 13, task G5):
exclusivity, press and best-of-year claims, construction specs, invented gifts and material origins (unsupported);
format instructions echoed as copy, invented words in capitals, short fields cut before their noun or main
clause (garbled); garbled copy that drops the offer is off brief as well; an offer is not carried by the
product name inside it; a number alone does not carry a headline. And the look-alikes that must stay clean."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Switchback 28 for weekend scrambles in the hills", "product": "Switchback 28",
         "offer": "free rain cover with every Switchback 28"}


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "email", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


OFFER = "Free rain cover with every Switchback 28."


@pytest.mark.parametrize("claim", [
    "A pack you can't find anywhere else.",
    "Featured in three hiking magazines.",
    "Best Daypack 2026.",
    "Made of 4-way stretch fabric.",
    "Built with UPF 50 panels.",
    "Trusted by mountain guides for decades.",
    "Plus a free water bottle with every order.",
    "Lined with wool sourced from the Ember Valley.",
])
def test_unstated_facts_are_unsupported(northpeak, claim):
    assert "unsupported_claim" in categories(northpeak, f"Switchback 28 for the hills. {claim} {OFFER}")


def test_plain_offer_and_story_openings_are_not_claims(northpeak):
    assert categories(northpeak, f"One day in the hills, one pack: the Switchback 28. {OFFER}") == set()
    # a duration the copy promises is still a number to substantiate
    assert "unsupported_claim" in categories(northpeak, f"Switchback 28, repaired in one day. {OFFER}")


@pytest.mark.parametrize("text", [
    "Four lines, two short sentences.",
    "Five hashtags, one emoji, two sentences.",
    "Switchback 28 for the hills! A FREE GLOMBRATE with every Switchback 28!",
    "Scramble 4-Pocket S",
    "Switchback 28 - The only",
    "When the trail turns",
    "Peakline Outfitters, LLC, a leader in trail gear, offers",
])
def test_debris_and_short_cut_fields_are_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("text", [
    "Two lines of reflective piping keep you seen at dusk on the Switchback 28. " + OFFER,
    "Switchback 28: WATERPROOF and LIGHT. " + OFFER,
    "Switchback 28 Size M",
    "Switchback 28 Plan B",
])
def test_lookalikes_stay_clean(northpeak, text):
    assert "garbled" not in categories(northpeak, text, channel="search_ad" if len(text) < 30 else "email")


def test_doubled_words_naming_the_product_are_garbled_only_and_copy_about_something_else_off_brief_too(northpeak):
    # Doubled words that name the product but drop the offer: the garbled finding blocks it, and editors label such
    # copy garbled only (in the read sets and the suite, 17 offer findings on it were false alarms and none right).
    doubled = "Subject: Switchback 28\nThe Switchback 28 pack pack of scramble scramble hills. Hills Hills Hills."
    assert categories(northpeak, doubled) == {"garbled"}
    # copy about something else is off brief too
    other = "Roof roof tiles tiles for the the garage. Gutters Gutters Gutters."
    assert categories(northpeak, other) == {"garbled", "off_brief"}


def test_offer_is_not_carried_by_the_product_name_inside_it(northpeak):
    body = ("Weekend scrambles call for a good pack.\nThe Switchback 28 carries snacks, a map and a spare layer, "
            "and sits close on rough ground.")
    assert categories(northpeak, body) == {"off_brief"}
    assert categories(northpeak, body + " " + OFFER) == set()


def test_a_shared_number_alone_does_not_carry_a_headline(northpeak):
    assert "off_brief" in categories(northpeak, "Summit 28 Roofing Tiles", channel="search_ad")
    assert categories(northpeak, "Switchback 28 | Free Rain Cover", channel="search_ad") == set()


def test_a_number_run_is_garbled_debris_not_a_claim(northpeak):
    run = "Switchback 28 rain cover | 7 3 5 14 0.25 % 2020 8 8 17:05 | every"
    assert categories(northpeak, run, channel="sms") >= {"garbled"}
    assert "unsupported_claim" not in categories(northpeak, run, channel="sms")
