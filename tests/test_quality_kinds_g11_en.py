"""English kinds the quality gate used to miss on copy written by others (issue 13, task G11, from blind13's errors):
the prompt's length and format rules and editing instructions echoed as copy, template slots left in brackets, the
e-mail's header fields leaked as lines, a last word cut by the length limit, misspellings (two different slips, or a
word of the brief's name misspelt after its other word), numbers strewn with no words between them (garbled);
multipliers before any comparative, layer counts, recurring schedules the brief does not give (unsupported); another
model number of the product (off brief). And what must stay clean: a weight or count said with "less than" or "no
more than", "add" in copy, tags and sizes in brackets, "From $189" and "From hut to hut", short words and
abbreviations at the end of a headline, informal words, size lists, the brief's own schedule, hashtags that spell the
product's whole name."""

from __future__ import annotations

import pytest

from tests.quality_kinds import kit_checker, quality_categories

BRIEF = {"text": "Fernway 40 trekking pack for multi-day hut trips", "product": "Fernway 40",
         "offer": "free rain cover with every pack"}
OFFER = "Free rain cover with every pack."
CLINIC = {"text": "Zip clinic at the Denver store on Saturday 10am-2pm: bring any zip that sticks for a free fix",
          "product": "Northpeak ReCraft™", "offer": "free zip fix"}


@pytest.fixture(scope="module")
def northpeak():
    return kit_checker("northpeak")


def categories(checker, text: str, channel: str = "email", brief: dict | None = BRIEF) -> set[str]:
    return quality_categories(checker, text, market="US", brief=brief, channel=channel)


@pytest.mark.parametrize("text", [
    "No more than 30 letters, no emojis, no bold",
    "Fewer than 40 characters and no exclamation marks.",
    "Two to four lines, under 90 characters each.",
    "Please add a couple more lines so the reader knows what to do next.",
    "Make it shorter and add a call to action at the end.",
    f"Fernway 40 for hut trips. {OFFER} Keep it under 280 characters, no hashtags.",
    f"Fernway 40 for hut trips. {OFFER} Max 2 emojis.",
])
def test_format_rules_and_editing_instructions_are_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("text", [
    "Tap to see the price [CTA]",
    f"Fernway 40 for hut trips. {OFFER} [BUTTON]",
    f"Fernway 40 for hut trips [image] {OFFER}",
    f"Hi [Customer Name], the Fernway 40 is here. {OFFER}",
    f"Fernway 40 for hut trips. {OFFER} <CTA>",
    "Sender: Northpeak Realty",
    f"From: Northpeak Team\nFernway 40 for hut trips. {OFFER}",
    f"Reply-to: hello@northpeak.com\nFernway 40 for hut trips. {OFFER}",
])
def test_template_slots_and_header_fields_are_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text)


@pytest.mark.parametrize("text", [
    "Fernway 40 with a Free Rain Cov",
    "Fernway 40 - Hut Trip Backp",
    "Fernway 40 for Multi-Day Overnigh",
])
def test_a_last_word_cut_by_the_limit_is_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text, channel="search_ad")


@pytest.mark.parametrize("text, brief", [
    ("Fernway 40 for hut tirps. Free rain covre with every pack.", BRIEF),
    ("Bring your jacket to Northpeak ReKraft zip clinic on Saturday for a free zip fix.", CLINIC),
    ("Harbour Pro Shel for sailing coaches. Coaches get 20% off until May 31.",
     {"text": "Harbour Pro Shell for sailing coaches", "product": "Harbour Pro Shell", "offer": "coaches get 20% off until May 31"}),
])
def test_misspellings_and_a_misspelt_name_are_garbled(northpeak, text, brief):
    assert "garbled" in categories(northpeak, text, brief=brief)


@pytest.mark.parametrize("text", ["Fernway 40 2024 40L 40 40 $$", "Fernway 40 9 9 9.5 10 10 %%"])
def test_numbers_strewn_without_words_are_garbled(northpeak, text):
    assert "garbled" in categories(northpeak, text, channel="search_ad")


@pytest.mark.parametrize("text, brief", [
    (f"Fernway 40: four times roomier than a daypack. {OFFER}", BRIEF),
    (f"Fernway 40 with 3 layers of padding on the hipbelt. {OFFER}", BRIEF),
    ("Zip clinic every second Saturday of the month: bring any zip that sticks. Northpeak ReCraft™ fixes it free.", CLINIC),
    ("Northpeak ReCraft™ zip clinic, every Tuesday evening in Denver: a free zip fix.", CLINIC),
])
def test_multipliers_layer_counts_and_schedules_are_unsupported(northpeak, text, brief):
    assert "unsupported_claim" in categories(northpeak, text, brief=brief)


@pytest.mark.parametrize("text", [
    f"Fernway 45 for hut trips. {OFFER}",
    "Fernway 30 and Ember Stove: the Hut Bundle",
])
def test_another_model_number_is_off_brief(northpeak, text):
    assert "off_brief" in categories(northpeak, text)


@pytest.mark.parametrize("text, channel, brief", [
    (f"Fernway 40: no more than two steps and the hipbelt is snug. {OFFER}", "email", BRIEF),
    (f"Fernway 40. Add a liner for wet days, add the cover for free: {OFFER.lower()}", "email", BRIEF),
    (f"[NEW] Fernway 40 for hut trips. {OFFER}", "email", BRIEF),
    (f"Fernway 40 [Regular, Long]. {OFFER}", "email", BRIEF),
    (f"From hut to hut with the Fernway 40. {OFFER}", "email", BRIEF),
    (f"To the two of you on the hut trail: the Fernway 40. {OFFER}", "email", BRIEF),
    ("Fernway 40 for Hut Trips", "search_ad", BRIEF),
    ("Fernway 40 - Pro", "search_ad", BRIEF),
    ("Fernway 40 | Men", "search_ad", BRIEF),
    (f"Fernway 40 in torso sizes 1, 2 and 3. {OFFER}", "email", BRIEF),
    ("Fernway 40 | 40 L | Free Rain Cover", "search_ad", BRIEF),
    ("Zip stuck? Bring it to the Denver store Saturday 10am-2pm, thru the side door. Northpeak ReCraft™ fixes it free.",
     "instagram", CLINIC),
    ("#Fernway40 #HutToHut #FreeRainCover", "instagram", BRIEF),
    ("#HutTrips #TrekkingPack #Northpeak", "instagram", BRIEF),
    (f"Fernway 40 for every hut trip this summer. {OFFER}", "email", BRIEF),
])
def test_well_formed_copy_stays_clean(northpeak, text, channel, brief):
    assert categories(northpeak, text, channel=channel, brief=brief) == set()


def test_a_hashtag_set_about_something_else_is_off_brief(northpeak):
    assert "off_brief" in categories(northpeak, "#WeekendVibes #CoffeeLovers #CityLife", channel="instagram")


def test_a_recurring_schedule_without_a_brief_is_not_judged(northpeak):
    assert "unsupported_claim" not in categories(northpeak, "Repair drop-in every Tuesday at the Portland store.",
                                                 brief=None)
