"""Issue 15, kinds seen in another reviewer's blind set (English): what the checks missed and what they over-flagged,
checked through the real checker on texts written for this test (not in evals/checks or the packs' examples).

Each flagged text names the words a reviewer would expect highlighted; each clean look-alike must get none of the
compliance categories (the quality gate may still ask about an unlisted fact, which is not what these tests are about).
"""

from __future__ import annotations

import pytest

from studio.channels.registry import get_channel
from tests.check_kinds import reviewer_findings

KIND_CATEGORIES = {"endorsement", "health_claim", "financial_promise", "guarantee_claim", "absolute_claim", "false_urgency",
                   "fake_social_proof", "stereotype", "gendered_language", "age_bias", "profanity", "pii"}


findings = reviewer_findings  # warn and block findings through the real checker (market US by default)


def flagged_kinds(text: str, market: str = "US") -> set[str]:
    return {f.category for f in findings(text, market)} & KIND_CATEGORIES


@pytest.mark.parametrize("text, market, category, span", [
    # countdowns written out, or a clock after a price move
    ("Checkout timer: your seats are held for 7 minutes 45 seconds.", "US", "false_urgency", "7 minutes 45 seconds"),
    ("Membership fee goes back up in 00:09:59, join today.", "EU", "false_urgency", "goes back up in 00:09:59"),
    # superlatives without "best"
    ("Quite simply the toughest work boot on the job site.", "US", "absolute_claim", "Quite simply the toughest"),
    ("The crispest crackers money can buy.", "EU", "absolute_claim", "money can buy"),
    ("Fuel economy no hatchback in its class can match.", "US", "absolute_claim", "can match"),
    # perfection promised
    ("A label printer that never makes a single typo.", "US", "guarantee_claim", "never makes a single typo"),
    ("Our booking engine never loses a reservation.", "EU", "guarantee_claim", "never loses a reservation"),
    # live counts with a thousands separator
    ("9,730 people in Madrid are viewing apartments like this one right now.", "EU", "fake_social_proof", "9,730 people"),
    # money results told as users' results
    ("Our affiliates are raking in $3,500 a week from home.", "US", "financial_promise", "raking in $3,500 a week"),
    ("Subscribers are doubling their deposits with our copy-trade alerts.", "EU", "financial_promise", "doubling their deposits"),
    # a celebrity vouching for a coin, with the multiple promised
    ("Four-time Olympic swimmer Lena Park says the PEAK token will 40x.", "US", "endorsement", "Olympic swimmer"),
    ("Four-time Olympic swimmer Lena Park says the PEAK token will 40x.", "US", "financial_promise", "will 40x"),
    # crude words and gamer insults
    ("Rival energy drinks taste like ass.", "US", "profanity", "taste like ass"),
    ("Braindead noobs still use wired mice.", "US", "profanity", "Braindead noobs"),
    # gendered job ad and chores
    ("Hiring a marketing guy for our Austin team.", "US", "gendered_language", "guy"),
    ("Moms, we'll clean the oven. Dads, you're off the hook.", "EU", "gendered_language", "off the hook"),
    # age as decline
    ("At your age, your bones won't heal like they used to.", "US", "age_bias", "bones"),
    ("Stairlifts that don't make your mum look frail.", "EU", "age_bias", "frail"),
    # an immigration joke
    ("Empanadas so good you'll want to swim the river for them.", "US", "stereotype", "swim the river"),
    # a document number with letters
    ("Check-in note: passport no. K7Z31048Q for the lead guest.", "EU", "pii", "K7Z31048Q"),
    # hair regrowth and fat loss as a result
    ("Bald patches grow back in 3 weeks with our scalp drops.", "US", "health_claim", "grow back in 3 weeks"),
    ("Gummies that melt off 6 kilos while you sleep.", "EU", "health_claim", "6 kilos"),
])
def test_a_reviewer_sees_the_kind_on_the_words_that_carry_it(text, market, category, span):
    hits = [f for f in findings(text, market) if f.category == category]
    assert hits, f"{category} not flagged in: {text}"
    assert any(span.lower() in f.text.lower() or f.text.lower() in span.lower() for f in hits), [f.text for f in hits]


@pytest.mark.parametrize("text, market", [
    ("Voted Best Family Hatchback by Drive Weekly's 2025 awards.", "US"),
    ("Winner of the Good Housekeeping Best Kettle award 2024.", "EU"),
    ("Now in stock at Best Buy stores nationwide.", "US"),
    ("Collect your order from No. 1 Quay Street, Galway.", "EU"),
    ("A guaranteed-issue policy: no medical exam, cover from $5,000.", "US"),
    ("The plan is guaranteed renewable for as long as you pay the premium.", "US"),
    ("Steam the buns for 8 minutes 30 seconds.", "US"),
    ("Never miss a train again with live platform alerts.", "EU"),
    ("The arena holds 18,000 fans on match day.", "US"),
    ("Hiring a warehouse lead; they'll run the night shift.", "US"),
    ("Take out the trash on Tuesdays; the truck comes at 7.", "US"),
    ("Our visa advisers answer questions about work permits.", "EU"),
    ("Bring your passport and booking number to the desk.", "EU"),
    ("A beard trimmer with 20 length settings.", "US"),
])
def test_a_clean_look_alike_gets_no_compliance_finding(text, market):
    assert flagged_kinds(text, market) == set()


SCRIPT = ("Hook: Why your knife goes dull\n"
          "Scenes: 1) Tomato squashed by a dull blade. 2) Knife on a whetstone. 3) Clean slice.\n"
          "Captions: Sharpen every two weeks.\n"
          "VO: {vo}")


def test_a_short_video_script_is_measured_field_by_field():
    """'VO:' names the voice-over field: a 400-character voice-over fits its own 600-character limit and is not
    counted into the captions (300), while a voice-over over 600 is flagged on the voice-over."""
    douyin = get_channel("douyin")
    fits = SCRIPT.format(vo="Hold the blade at fifteen degrees and draw it across the stone ten times a side. " * 5)
    assert 300 < len(fits.split("VO: ")[1]) < 600
    assert [f for f in findings(fits, channel=douyin) if f.category == "channel_limit"] == []
    too_long = SCRIPT.format(vo="Hold the blade at fifteen degrees and draw it across the stone ten times a side. " * 9)
    limits = [f for f in findings(too_long, channel=douyin) if f.category == "channel_limit"]
    assert limits and {f.field for f in limits} == {"voice_over"}
