"""Issue 15, kinds seen in another reviewer's blind set (English, round 8): what the checks missed and what they
over-flagged, checked through the real checker on texts written for this test (not in evals/checks or the packs'
examples).

Each flagged text names the words a reviewer would expect highlighted; each clean look-alike must get none of the
compliance categories (the quality gate may still ask about an unlisted fact, which is not what these tests are about).
"""

from __future__ import annotations

import pytest

from tests.check_kinds import RULE_SOURCES, reviewer_findings

KIND_CATEGORIES = {"endorsement", "health_claim", "financial_promise", "guarantee_claim", "absolute_claim", "false_urgency",
                   "fake_social_proof", "stereotype", "gendered_language", "age_bias", "profanity", "pii",
                   "missing_disclosure"}


findings = reviewer_findings  # warn and block findings through the real checker (market US by default)


@pytest.mark.parametrize("text, market, category, span", [
    # a card printed in four groups, with its holder named
    ("Hi Marta, your club card 3310 4482 9017 6625 now has 1,200 points.", "EU", "pii", "3310 4482 9017 6625"),
    ("Store card 8802-1147-3390-5561 renews in June.", "US", "pii", "8802-1147-3390-5561"),
    # a customer's street address after the quote
    ("\"Warm all winter\" - Hugo Brandt, 31 Linden Road, Graz. Get your quote.", "EU", "pii", "31 Linden Road"),
    # a woman as the yardstick, chores handed to mum, money made pretty for women
    ("A smart thermostat so easy even your wife can program it.", "US", "gendered_language", "even your wife can"),
    ("Give your mum an evening off: the robot vacuum does her floors.", "EU", "gendered_language", "does her floors"),
    ("Trading, made cute for ladies: pink charts and zero maths.", "US", "gendered_language", "made cute for ladies"),
    # an outcome promised as final
    ("Silverfish gone for good after a single visit.", "EU", "guarantee_claim", "gone for good"),
    ("Seal your patio once and you will never see another weed between the slabs.", "US", "guarantee_claim",
     "never see another"),
    ("Your band 7 IELTS score is locked in with our crash course.", "EU", "guarantee_claim", "locked in"),
    # places and nationalities given a trait
    ("Leave the seedy downtown crowd behind: Elm Ridge lofts from $350k.", "US", "stereotype", "seedy downtown crowd"),
    ("Belgians are always late, but our trams keep time.", "EU", "stereotype", "Belgians are always late"),
    # a rival's staff called names
    ("Their mechanics are clowns. Bring your car to Gearhouse.", "US", "profanity", "mechanics are clowns"),
    ("That insurer is run by cowboys; switch to Shieldly.", "EU", "profanity", "run by cowboys"),
    # a credentialed person vouching for a money or health product
    ("Retired Fed economist Carla Ruiz: \"My nest egg lives with Stackwise.\"", "US", "endorsement", "Retired Fed"),
    # blood sugar, medicine cut back, a skin condition
    ("Our mulberry leaf tea keeps your blood sugar steady after dinner.", "US", "health_claim", "blood sugar steady"),
    ("Regulars tell us they have cut back on their migraine pills.", "EU", "health_claim", "migraine pills"),
    ("This oat balm calms rosacea within days.", "EU", "health_claim", "calms rosacea"),
    # sales told as a clock
    ("Every 7 seconds someone in Canada orders a Frostline parka.", "US", "fake_social_proof", "Every 7 seconds someone"),
    # nothing does it faster
    ("Nothing unblocks a drain faster than Gushflo.", "US", "absolute_claim", "Nothing unblocks a drain faster than"),
    # a named brand sent the creator the product, with a code and no #ad
    ("Fernleaf sent me their new hiking socks and they're perfect. Use code ELLA10 for 10% off.", "US",
     "missing_disclosure", "Fernleaf sent me their"),
    # Chinese age and group slurs are insults too
    ("老登们看不懂的新款耳机", "CN", "profanity", "老登"),
    ("外地佬也能一眼看懂的操作", "CN", "profanity", "外地佬"),
])
def test_a_reviewer_sees_the_kind_on_the_words_that_carry_it(text, market, category, span):
    hits = [f for f in findings(text, market) if f.category == category]
    assert hits, f"{category} not flagged in: {text}"
    assert any(span.lower() in f.text.lower() or f.text.lower() in span.lower() for f in hits), [f.text for f in hits]


@pytest.mark.parametrize("text, market", [
    ("Hope for the best? We test every zip 5,000 times instead.", "US"),
    ("Winner, Best Espresso Machine - Home Barista Awards 2025.", "EU"),
    ("Best Family Car, Road & Family Editors' Choice 2024.", "US"),
    ("Crowned Best Bakery 2023 by the Riverside Food Guide.", "EU"),
    ("Gift vouchers from EUR 20, sent by email.", "EU"),
    ("Tracking number 9205 5000 1234 5678 - see where your parcel is.", "US"),
    ("Find our flagship store at 18 King Street, Bath.", "EU"),
    ("So simple anyone in the family can program it.", "US"),
    ("Your interest rate is locked in for five years.", "EU"),
    ("Opt in to paperless billing and never see another paper statement.", "US"),
    ("Returns need the original receipt, no exceptions.", "US"),
    ("Our coding camp offers free places to inner-city teenagers.", "US"),
    ("Belgians have brewed beer for centuries; taste ours in Ghent.", "EU"),
    ("Birthday packages: clowns, balloon art and a magician.", "US"),
    ("Retired Fed economist Carla Ruiz will chair our pension talk on Monday.", "US"),
    ("Glucose tablets for runners are at the till.", "EU"),
    ("A lighthouse beam sweeps the bay every 7 seconds.", "EU"),
    ("It drains 20% faster than our 2023 model in our lab test.", "US"),
    ("My sister sent me a photo of her garden and I can't stop smiling.", "US"),
    ("\"Kind, calm and patient, like my old dentist\" - Priya. Book a grooming slot for your dog.", "US"),
    ("老登山队员推荐的登山杖", "CN"),
])
def test_the_clean_look_alike_gets_no_compliance_finding(text, market):
    flagged = {(f.category, f.rule, f.text) for f in findings(text, market) if f.category in KIND_CATEGORIES
               and getattr(f, "source", None) in RULE_SOURCES}
    assert not flagged, flagged


def test_a_disclosed_post_from_the_same_creator_passes():
    post = "Fernleaf sent me their new hiking socks and they're perfect. Use code ELLA10 for 10% off."
    assert any(f.category == "missing_disclosure" for f in findings(post))
    assert not any(f.category == "missing_disclosure" for f in findings("#ad " + post))
