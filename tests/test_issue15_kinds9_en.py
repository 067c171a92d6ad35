"""Issue 15, kinds seen in another reviewer's blind set (English, round 9): endorsements of health and money products
that never say "recommend", results told as what others noticed, crowds and scarcity told as stories, age and gender
put-downs, names for people from the country, creators' ties shown by a hosted stay or a giveaway, and two over-flags
(a per-cent gain read as a phone number, a #1 quoted from a named test with its year).

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). Each
flagged text names the words a reviewer would expect highlighted; each clean look-alike must get none of the
compliance categories from the packs and the code (the learned second opinion is retrained separately).
"""

from __future__ import annotations

import pytest

from tests.check_kinds import RULE_SOURCES, reviewer_findings

KIND_CATEGORIES = {"endorsement", "health_claim", "financial_promise", "guarantee_claim", "absolute_claim", "false_urgency",
                   "fake_social_proof", "stereotype", "gendered_language", "age_bias", "profanity", "pii",
                   "missing_disclosure"}


findings = reviewer_findings  # warn and block findings through the real checker (market US by default)


@pytest.mark.parametrize("text, market, category, span", [
    # a profession shown reacting to the product
    ("Urologists are baffled by this pumpkin-seed capsule.", "US", "endorsement", "Urologists are baffled"),
    ("Accountants hate this app that files your taxes in a minute.", "EU", "endorsement", "Accountants hate"),
    # buyers' results told as what somebody else noticed
    ("Women who tried our hair gummies tell us their stylist noticed the new growth.", "US", "endorsement",
     "their stylist noticed"),
    # a user's own health story, a quoted debt result, a trader's streak
    ("My sciatica used to end every road trip. Not since the LumbaBelt.", "EU", "endorsement", "My sciatica used to"),
    ("\"Debt-free in 8 months\" - Tom, Leeds. Consolidate with Lendo.", "EU", "endorsement", "Debt-free in 8 months"),
    ("My signals bot again: +260% since June and not one losing month.", "US", "financial_promise",
     "not one losing month"),
    ("Leave the office forever: ditch your 9-to-5 with our forex course.", "US", "financial_promise", "ditch your 9-to-5"),
    ("See your pension pot grow 14% a year with Silverline.", "EU", "financial_promise", "grow 14% a year"),
    ("A 10% holiday-let yield, guaranteed, in Madeira.", "EU", "financial_promise", "yield, guaranteed"),
    # skin, hearing and weight named as fixed
    ("This toner wipes out hormonal acne.", "US", "health_claim", "wipes out hormonal acne"),
    ("The whistling in your ears fades within a week.", "EU", "health_claim", "whistling in your ears fades"),
    ("Melt off 20 pounds before the reunion.", "US", "health_claim", "Melt off 20 pounds before"),
    # crowds and scarcity told as stories
    ("450 runners grabbed the Vento vest since lunch.", "US", "fake_social_proof", "450 runners grabbed"),
    ("97% of users sleep better from the first night.", "EU", "fake_social_proof", "97% of users sleep"),
    ("Our potter won't glaze this colour again. One left.", "EU", "false_urgency", "won't glaze this colour again"),
    ("Restocked, and it will sell out in minutes.", "US", "false_urgency", "will sell out in minutes"),
    # an absolute claim without the word best
    ("Our wipers clear rain faster than any other blade.", "US", "absolute_claim", "than any other"),
    # a trade's celebrity circle said to use it
    ("The lip oil every red-carpet makeup artist carries.", "US", "endorsement", "every red-carpet makeup artist"),
    # age, gender and place as the put-down; names for rural people
    ("Parking like a grandma? The Sensa parks for you.", "US", "age_bias", "Parking like a grandma"),
    ("Past 60 most people become technophobes. Not our users.", "EU", "age_bias", "become technophobes"),
    ("Ever watched a woman try to reverse into a garage?", "US", "gendered_language", "woman try to reverse"),
    ("Jersey drivers are lunatics; dash cams from $49.", "US", "stereotype", "Jersey drivers are lunatics"),
    ("Only a bumpkin buys a phone without checking the battery.", "EU", "profanity", "bumpkin"),
    # a creator's tie shown by a hosted stay, a thanks for the product, a giveaway with a brand
    ("What a view from @cliffhouse_inn! They hosted me for two nights. Use MAYA10 for 10% off.", "EU",
     "missing_disclosure", "hosted me"),
    ("Big thanks to @ridgeline.gear for the new boots, EVA15 takes 15% off.", "US", "missing_disclosure",
     "@ridgeline.gear for the new boots"),
    ("Thanks so much @petalpress for the new planner, JO12 gets you 12% off.", "US", "missing_disclosure",
     "@petalpress for the new planner"),
    ("GIVEAWAY with the team at @saltbakery: win a month of bread! Follow them to enter.", "US", "missing_disclosure",
     "GIVEAWAY with the team at @saltbakery"),
])
def test_a_reviewer_sees_the_kind_on_the_words_that_carry_it(text, market, category, span):
    hits = [f for f in findings(text, market) if f.category == category]
    assert hits, f"{category} not flagged in: {text}"
    assert any(span.lower() in f.text.lower() or f.text.lower() in span.lower() for f in hits), [f.text for f in hits]


@pytest.mark.parametrize("text, market", [
    ("Our urologists see walk-in patients on Mondays.", "US"),
    ("Accountants were stunned by the snow and worked from home.", "EU"),
    ("Women who tried the new checkout tell us it is faster.", "US"),
    ("My bike used to squeak on every hill; a drop of chain oil fixed it.", "EU"),
    ("\"Setup took five minutes\" - Tom, Leeds. Try Lendo's budgeting app.", "EU"),
    ("Ticket sales were up 30% this year, thank you.", "US"),
    ("Members earn +20% points in May.", "US"),
    ("Our fund returned +14% in 2025; past performance is no guide to the future.", "EU"),
    ("A gentle toner for oily skin, alcohol free.", "US"),
    ("Noise-cancelling earbuds with six hours of battery.", "EU"),
    ("Save 20 pounds on the reunion dinner menu.", "US"),
    ("The venue holds 450 runners at the start line.", "US"),
    ("In our survey of 600 users (method on our site), 71% rated setup as easy.", "EU"),
    ("Order by midnight for next-day delivery.", "US"),
    ("Our new blades are lighter than anything we made before.", "US"),
    ("Every makeup artist in our course gets a brush set.", "US"),
    ("Bake like grandma with our enamel pie dish.", "US"),
    ("Over 60? Your bus pass covers the ferry too.", "EU"),
    ("The parking camera shows guide lines as you reverse.", "US"),
    ("New drivers are covered from their first lesson.", "US"),
    ("Smoked over hickory for twelve hours.", "US"),
    ("Thanks @maria_p for the lovely card, see you Sunday!", "US"),
    ("Our summer giveaway is on: follow @saltbakery and tag a friend.", "US"),
    ("Named the #1 espresso grinder in Brew Lab's 2025 tests.", "US"),
    ("Every kettle carries a three-year guarantee on parts.", "EU"),
])
def test_the_clean_look_alike_gets_no_compliance_finding(text, market):
    flagged = {(f.category, f.rule, f.text) for f in findings(text, market) if f.category in KIND_CATEGORIES
               and getattr(f, "source", None) in RULE_SOURCES}
    assert not flagged, flagged


def test_a_phone_number_is_still_personal_data_when_a_gain_in_per_cent_is_not():
    assert any(f.category == "pii" for f in findings("Text me on +44 7700 900123 for the spare key."))
    assert not any(f.category == "pii" for f in findings("My fund did +180% this year."))


def test_a_disclosed_hosted_post_passes():
    post = "@cliffhouse_inn hosted us for the weekend. Use MAYA10 for 10% off."
    assert any(f.category == "missing_disclosure" for f in findings(post))
    assert not any(f.category == "missing_disclosure" for f in findings("#ad " + post))
