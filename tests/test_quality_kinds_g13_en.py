"""English kinds the quality gate used to miss on copy written by others (issue 13, task G13, from blind15's errors):
text cut off on a preposition that never ends a line ("during", "between"), on a copula and an adverb ("... is just")
or on an article and an adjective that needs its noun ("a one-time", "Bring an old"); the chat assistant talking to
its user ("Glad I could help", "Here's a shorter version", "Let me know if you'd like me to"); the template's field
labels pasted inline after a separator ("Subject line: ... | Preheader: ..."); a symbol inside a word
("Waterpr∞f"); one function or number word as the whole text ("One: One"); capitalised words strewn with numbers and
codes ("Premium Paid 23 Carbomer Product 1B 6G Design 2"); wordplay that swaps its own nouns back ("moments into
seasons and seasons into moments"). And what must stay clean: "in between", "The time is now", "out with the old",
"We're glad we could help", "Here's a note from our founder", an event's own "Time: ... | Place: ...", ™, &, an
arrow between words, "Rain, rain", size lists, "From bus to desk and desk to bus", a plural possessive ("kids'")."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Halden Rain Pants for wet commutes to work", "product": "Halden Rain Pants",
         "offer": "free hemming in store"}
OFFER = "Free hemming in store."
SWAP = {"text": "Gear swap at the Boulder store on Saturday: bring outgrown kids' gear", "product": "Northpeak Gear Swap",
        "offer": "$10 credit per item"}


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "email", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


@pytest.mark.parametrize("text", [
    "Halden Rain Pants: dry knees on the bus and dry cuffs during",
    "The Halden Rain Pants keep the commute dry between",
    "The Halden Rain Pants sale this weekend is just",
    "Free hemming in store, because the Halden Rain Pants are really",
    "I'm thrilled to announce that our team will be offering a one-time",
    "Halden Rain Pants now come with a limited-time",
    "Get an old",
    "Northern California's next Christmas delivery is just",
])
def test_text_cut_off_before_its_noun_or_after_a_copula_is_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("text", [
    f"Glad I could help! The Halden Rain Pants keep you dry on wet commutes. {OFFER}",
    f"I am thrilled that I could help. Halden Rain Pants: {OFFER}",
    f"Here's a shorter version: Halden Rain Pants. {OFFER}",
    f"Here is the revised draft for your email. Halden Rain Pants. {OFFER}",
    f"Halden Rain Pants for wet commutes. {OFFER} I hope this helps!",
    f"Halden Rain Pants. {OFFER} Let me know if you'd like me to make it punchier.",
])
def test_the_assistant_talking_to_its_user_is_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("text, brief", [
    ("Subject: Northpeak Gear Swap Saturday | Preheader: $10 credit per item | CTA: See details", SWAP),
    (f"Halden Rain Pants for wet commutes | Body: {OFFER}", BRIEF),
    (f"Title: Halden Rain Pants / Body copy: dry commutes. {OFFER}", BRIEF),
    (f"Halden Rain Pants: w∂terproof cuffs for the commute. {OFFER}", BRIEF),
    (f"Halden Rain Pants for w¥t commutes. {OFFER}", BRIEF),
    ("Northpeak Gear Swap: trade outgr◊wn kids' gear for $10 credit per item.", SWAP),
])
def test_inline_field_labels_and_symbols_inside_words_are_garbled(northpeak, text, brief):
    assert "garbled" in categories(northpeak, text, brief=brief)


@pytest.mark.parametrize("text, channel", [
    ("Two: Two", "push"),
    ("And: And", "push"),
    ("One line each. One Line Each.", "push"),
    ("Ultra Grade 47 Trail Series 3X 9K Model 5", "search_ad"),
    ("Halden Rain Pants Deluxe 52 Carbon Build 7T 4M Spec 9", "search_ad"),
    (f"Every commute becomes the rain of your story, and your story becomes the rain of every commute. {OFFER}", "email"),
    (f"The Halden Rain Pants turn mornings into puddles and puddles into mornings. {OFFER}", "email"),
])
def test_skeletons_code_chains_and_swapped_wordplay_are_garbled(northpeak, text, channel):
    assert "garbled" in categories(northpeak, text, channel=channel)


@pytest.mark.parametrize("text, channel, brief", [
    (f"Halden Rain Pants: dry from the bus stop to your desk and everywhere in between. {OFFER}", "email", BRIEF),
    ("Halden Rain Pants with free hemming in store. Dry on the bus and the trails in between", "email", BRIEF),
    ("Halden Rain Pants with free hemming in store. The time to stay dry is now", "email", BRIEF),
    (f"Halden Rain Pants, now with free hemming in store. Dry is just the start.", "email", BRIEF),
    ("Free hemming in store. Halden Rain Pants: out with the old, in with the new", "email", BRIEF),
    (f"We're glad we could help you stay dry. Halden Rain Pants. {OFFER}", "email", BRIEF),
    (f"Here's a note from our founder on the Halden Rain Pants. {OFFER}", "email", BRIEF),
    (f"Here's a shorter route to dry commutes: Halden Rain Pants. {OFFER}", "email", BRIEF),
    (f"Let us know if you'd like a fitting. Halden Rain Pants. {OFFER}", "email", BRIEF),
    ("Time: 10am-2pm | Place: Boulder store | Northpeak Gear Swap, $10 credit per item", "email", SWAP),
    ("Halden Rain Pants | Free Hemming In Store", "search_ad", BRIEF),
    (f"Halden Rain Pants™ — dry commutes & dry knees. {OFFER}", "email", BRIEF),
    ("Halden Rain Pants → dry commutes, and free hemming in store.", "email", BRIEF),
    (f"Rain, rain, go away: Halden Rain Pants. {OFFER}", "email", BRIEF),
    ("Halden Rain Pants Sizes XS S M L XL 2XL 3XL", "search_ad", BRIEF),
    (f"From bus to desk and desk to bus: Halden Rain Pants. {OFFER}", "email", BRIEF),
    (f"Work hard, commute dry. Halden Rain Pants turn wet mornings into dry ones. {OFFER}", "email", BRIEF),
    ("Bring outgrown kids' gear to the Northpeak Gear Swap for $10 credit per item", "email", SWAP),
])
def test_well_formed_copy_stays_clean(northpeak, text, channel, brief):
    assert categories(northpeak, text, channel=channel, brief=brief) == set()
