"""Issue 15, kinds seen in another reviewer's blind set (English, round 11): holdings said never to fall, savings
"locked in and growing", debt cleared in so many months, a guaranteed second income; an outcome promised to the reader
("you will lose at least ...", "... Promise."); a cap on members or a day to get in before; a city's crowd all wearing
it; the reader's body shamed ("nobody takes a flabby ... seriously", "the one with the beer gut"); a condition named,
then a clause, then gone; the product behind a named person's glow or worn to an event; a clinician handing the
product to patients; an age group that "actually gets tech"; "from the forest, back to the forest"; a brand that paid
the creator's trip, with a code. And over-flags: statutory deposit protection, a guarantee with an adjective and then
its conditions, a ranking named with its study, a buyer's "best ... of my life" in a quote, a disclaimer that nothing
works for everyone.

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). A
flagged text must get its category from the packs or the code (not only from the learned second opinion, which is
retrained separately), on the words a reviewer would expect highlighted; a clean look-alike must get none of the
compliance categories from the packs and the code.
"""

from __future__ import annotations

import pytest

from tests.check_kinds import KIND_CATEGORIES, RULE_SOURCES, reviewer_findings, rule_findings



@pytest.mark.parametrize("text, market, category, span", [
    ("An ethical bond fund whose returns never go down.", "EU", "financial_promise", "returns never go down"),
    ("Our silver tokens have never had a down quarter.", "US", "financial_promise", "never had a down quarter"),
    ("Farmland shares that only go up.", "EU", "financial_promise", "shares that only go up"),
    ("Your retirement pot, locked in and growing.", "US", "financial_promise", "locked in and growing"),
    ("Tom wiped out $9,500 of car loan debt in five months with Pennywise.", "US", "financial_promise", "wiped out $9,500"),
    ("Debt-free within 10 months, with one app.", "EU", "financial_promise", "Debt-free within 10 months"),
    ("Rent out your loft for a guaranteed second income.", "EU", "financial_promise", "guaranteed second income"),
    ("Join our bootcamp and you will drop at least two dress sizes.", "US", "guarantee_claim", "you will drop"),
    ("Your electricity use will fall by at least 25%.", "EU", "guarantee_claim", "will fall by at least 2"),
    ("Your grade goes up in eight weeks. Promise.", "US", "guarantee_claim", "weeks. Promise."),
    ("Book the course and you'll pass your theory test first time.", "EU", "guarantee_claim", "pass your theory test first time"),
    ("Doors close at 250 founders.", "US", "false_urgency", "Doors close at 250 founders"),
    ("The cohort closes once we reach 40 students.", "EU", "false_urgency", "closes once we reach 40 students"),
    ("Buy in before Thursday, then the round is over.", "US", "false_urgency", "Buy in before Thursday"),
    ("Everybody in Porto is carrying this sling bag.", "EU", "fake_social_proof", "Everybody in Porto is carrying"),
    ("Half of Chicago is drinking our kombucha this summer.", "US", "fake_social_proof", "Half of Chicago is drinking"),
    ("Join the 9,000 families who ditched their old car seats for ours.", "US", "fake_social_proof", "families who ditched"),
    ("Nobody respects a chubby manager. Join Ironclad today.", "US", "stereotype", "Nobody respects a chubby"),
    ("Don't be the husband with the pot belly on the beach.", "EU", "stereotype", "husband with the pot belly"),
    ("Five minutes a day and the sciatica that wrecked your mornings has vanished.", "US", "health_claim", "sciatica"),
    ("Two capsules, and the hay fever that ruined every May is a thing of the past.", "EU", "health_claim", "hay fever"),
    ("The night cream behind Talia Rowe's award-night skin.", "US", "endorsement", "behind Talia Rowe's"),
    ("The exact foundation she wore at the BAFTAs is back.", "EU", "endorsement", "wore"),
    ("When clients ask how to ease their joints, I give them a tin of MoveEase.", "US", "endorsement", "I give them a tin of"),
    ("As a GP for 12 years, I recommend IronBoost to my anaemic patients.", "EU", "endorsement", "I recommend"),
    ("A bank built for people under 30 who actually understand money.", "US", "age_bias", "under 30 who actually understand"),
    ("From the forest, back to the forest: that's our new toothbrush.", "EU", "green_claim", "back to the forest"),
    ("Our coffee cups leave no trace on the planet.", "US", "green_claim", "leave no trace on the planet"),
])
def test_kind_is_flagged_with_its_words(text, market, category, span):
    hits = rule_findings(text, market, category)
    assert hits, f"{category} expected from the packs or the code on: {text}"
    assert any(span.lower() in (f.text or text[f.start:f.end]).lower() or
               (f.text or text[f.start:f.end]).lower() in span.lower() for f in hits), \
        [(f.text, f.start, f.end) for f in hits]


def test_a_brand_that_paid_the_creators_trip_needs_the_disclosure():
    post = "Kestrel Outdoors flew me out to Tromso to test their new parka. Use code KEST15 for 15% off."
    assert rule_findings(post, "US", "missing_disclosure")
    disclosed = "Kestrel Outdoors flew me out to Tromso to test their new parka. #ad Use code KEST15 for 15% off."
    assert not rule_findings(disclosed, "US", "missing_disclosure")
    family = "My brother flew me out to Tromso for his wedding."
    assert not rule_findings(family, "US", "missing_disclosure")
    short_code = "Fjordline hosted me in Bergen to try their new kayak. 10% off with code ELI."
    assert rule_findings(short_code, "EU", "missing_disclosure")


def test_a_three_letter_code_is_a_pointer_only_after_use_or_with_code():
    assert rule_findings("Loving this retinol. Use code MIA for 15% off, link in bio!", "US", "missing_disclosure")
    assert not rule_findings("The dress code RED applies to the gala night.", "US", "missing_disclosure")


def test_a_guaranteed_income_is_a_money_promise_not_a_guarantee_claim():
    text = "Stackly turns your spare change into a guaranteed passive income."
    assert rule_findings(text, "US", "financial_promise")
    assert not rule_findings(text, "US", "guarantee_claim")


@pytest.mark.parametrize("text, market", [
    # statutory deposit protection, with its limit
    ("Deposits with us are protected by the FSCS up to £85,000.", "EU"),
    ("Your savings are covered by the Belgian deposit guarantee scheme up to €100,000.", "EU"),
    ("Member FDIC. Savings insured up to $250,000.", "US"),
    # a guarantee with an adjective, then its conditions
    ("Our new guarantee, in brief: if your blender breaks within three years, we replace it.", "US"),
    ("Our extended guarantee, plainly: should the frame crack, the repair is free.", "EU"),
    # a ranking named with its study and year
    ("Ranked #1 in the 2025 J.D. Power U.S. Banking App Study (credit unions).", "US"),
    ("Rated No. 1 for reliability among city cars, 2024 Auto Express survey.", "EU"),
    # a buyer's own best-of-my-life, in a quote
    ("\"Best swim of my life,\" says Marta after our Lake Bled tour.", "EU"),
    ("\"Honestly the best bread I've ever made.\" - Priti, on our sourdough class", "US"),
    # disclaimers that nothing works for everyone
    ("No skincare routine works for everyone, so our advisers start with your skin type.", "US"),
    ("Not every hearing aid works the same for everyone; try ours for 30 days.", "EU"),
    # look-alikes of the new kinds
    ("Prices never go down at the farmers' market, but the peaches are worth it.", "US"),
    ("Share prices can go down as well as up. Capital at risk.", "EU"),
    ("Your fixed rate is locked in for three years.", "US"),
    ("Finish the course and you will receive a certificate.", "EU"),
    ("You will learn at least 200 new words if you practise daily.", "US"),
    ("Doors close at 11 pm on Saturdays.", "US"),
    ("Get in touch before your visit so we can reserve parking.", "EU"),
    ("Everyone in the team gets a birthday day off.", "US"),
    ("Be the one with the playlist everyone remembers: our speaker is back.", "US"),
    ("Our estate car comes with a spare tyre.", "EU"),
    ("The squeak in your hinges that kept you up is gone after one drop of oil.", "US"),
    ("The team behind Rosa's Cantina opens a taqueria.", "US"),
    ("When patients ask about parking, I point them to the side entrance.", "US"),
    ("I send my patients home with a printed care plan.", "EU"),
    ("A rail card for people under 26.", "EU"),
    ("Back to the forest this weekend: camping stoves 20% off.", "US"),
    ("Leave no trace on the trail: pack out your rubbish.", "EU"),
    ("My aunt flew me to Seattle for graduation.", "US"),
])
def test_clean_look_alike_is_not_flagged(text, market):
    from_rules = {f.category for f in reviewer_findings(text, market) if f.source in RULE_SOURCES} & KIND_CATEGORIES
    assert not from_rules, (text, from_rules)
