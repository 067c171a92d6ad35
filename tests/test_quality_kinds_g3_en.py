"""English kinds the quality gate used to miss or over-flag on copy written by others (issue 13, task G3):
short fields cut off or left as debris, invented derivations, word salad of real words, loops that permute the
same words, discount codes nobody offered; and the short complete lines that must stay clean."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Talus Down Jacket for winter dog walks", "product": "Talus Down Jacket", "offer": "15% off until Jan 10"}


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "email", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


@pytest.mark.parametrize("text", [
    "Talus Down Jacket is",                      # cut after its verb
    "Talus Down Jacket Hood-Z",                  # cut mid-word after a hyphen
    "No caption available yet.",                 # placeholder
    "One-liner: Talus Down Jacket",              # the prompt's label
    "One offer: One product: Talus Down Jacket",  # stacked prompt labels
    "Bolded: Talus Down Jacket",                 # formatting instruction
    "Here's my reply: the Talus Down Jacket keeps dog walks warm. 15% off until Jan 10.",
    "Write a warm Instagram caption for dog owners about the Talus Down Jacket.",
])
def test_short_field_debris_is_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


def test_invented_derivations_are_garbled_but_real_coinages_are_not(northpeak):
    invented = "The Talus Down Jacket brings collarity and a pocketful zipation to winter dog walks. 15% off until Jan 10."
    assert "garbled" in categories(northpeak, invented)
    coined = ("The Talus Down Jacket: packability for the car, breathability on the hill and warmth for "
              "winter dog walks. 15% off until Jan 10.")
    assert categories(northpeak, coined) == set()


def test_function_words_in_impossible_order_are_salad(northpeak):
    salad = "The Talus Down Jacket for an the dog walk, of because frost when winter of the. 15% off until Jan 10."
    assert "garbled" in categories(northpeak, salad)


def test_a_loop_of_permuted_sentences_is_garbled_but_a_chiasmus_is_not(northpeak):
    loop = ("Walk the hill, zip the hood. Zip the hill, walk the hood. Hood the walk, zip the hill. "
            "Talus Down Jacket, 15% off until Jan 10.")
    assert "garbled" in categories(northpeak, loop)
    chiasmus = "Walk the hill and zip the hood. Then zip the hood and walk the hill. Talus Down Jacket, 15% off until Jan 10."
    assert "garbled" not in categories(northpeak, chiasmus)


@pytest.mark.parametrize("line", [
    "Talus Down Jacket",
    "Winter dog walks, sorted",
    "Meet the Talus Down Jacket",
    "The jacket your dog walks need is here",
    "Warm is what it is made for",   # a wh-clause may end on its preposition
    "Charges over USB-C",            # a letter after a type word is a name
])
def test_short_complete_lines_are_not_garbled(northpeak, line):
    assert "garbled" not in categories(northpeak, line, channel="search_ad")


@pytest.mark.parametrize("line", ["Talus Down Jacket", "Winter dog walks, sorted", "Meet the Talus Down Jacket",
                                  "The jacket your dog walks need is here"])
def test_a_short_line_that_carries_the_brief_need_not_carry_the_offer(northpeak, line):
    # One line checked alone is a subject or headline: the variant's other fields may carry the offer.
    assert categories(northpeak, line, channel="email") == set()


def test_a_short_line_with_nothing_of_the_brief_is_off_brief(northpeak):
    assert "off_brief" in categories(northpeak, "Happy Friday, everyone!")
    assert "off_brief" not in categories(northpeak, "Winter dog walks, sorted")
    assert "off_brief" not in categories(northpeak, "Shop the Talus Down Jacket")


def test_a_discount_code_nobody_offered_is_unsupported(northpeak):
    made_up = "The Talus Down Jacket for winter dog walks. Use code WOOF50 for 15% off until Jan 10."
    assert "unsupported_claim" in categories(northpeak, made_up)
    brief = {**BRIEF, "offer": "15% off with code WOOF15"}
    given = "The Talus Down Jacket for winter dog walks. Use code WOOF15 for 15% off."
    assert "unsupported_claim" not in categories(northpeak, given, brief=brief)


def test_a_certification_by_a_named_body_must_be_substantiated(northpeak):
    text = "The Talus Down Jacket is certified by the Winter Warmth Council. 15% off until Jan 10."
    assert "unsupported_claim" in categories(northpeak, text)
