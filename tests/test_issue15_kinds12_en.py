"""Issue 15, kinds seen in another reviewer's blind set (English, round 12): hair regrowth promised without a time
("regrow your hairline", "skip the transplant"), a child's colic or croup gone in a parent's words, a money or body
result followed by "that could be you", a counted crowd of professionals ("backed by 1,200 orthodontists"),
professionals using it on their own, a result or the fee back, approval promised to everyone, "nothing cleans deeper",
"leave nothing behind but ...", a hold released to the next customer on a clock, a small batch counted down, a
people's parents given a trait, "getting screwed", a card number with a payment taken from it. And over-flags: a card's
last four digits alone, "parcel 3 of 3 is on its way", "best brewed cold", "keeps best", somebody else's best, a guide
titled "Best Hikes Near ...", a concealment hook read as a crowd or an endorsement, one expert's
"dermatologist recommended" read as a crowd.

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). A
flagged text must get its category from the packs or the code (not only from the learned second opinion, which is
retrained separately), on the words a reviewer would expect highlighted; a clean look-alike must get none of the
compliance categories from the packs and the code.
"""

from __future__ import annotations

import pytest

from tests.check_kinds import KIND_CATEGORIES, RULE_SOURCES, reviewer_findings, rule_findings



@pytest.mark.parametrize("text, market, category, span", [
    ("Regrow the hair on your crown with Thatcha foam.", "US", "health_claim", "Regrow the hair"),
    ("Sparse temples filled in by month two, at home.", "EU", "health_claim", "Sparse temples filled in"),
    ("Forget the transplant: two drops a night.", "US", "health_claim", "Forget the transplant"),
    ("Before: balding crown at 31. After: four months of Capilla foam. #ad", "US", "health_claim", "Before: balding crown"),
    ("Three nights of Snugglo drops and my niece's colic was gone.", "EU", "health_claim", "colic was gone"),
    ("Took two days for my boy's croup to clear up with Vapa rub.", "US", "endorsement", "croup to clear up"),
    ("\"My score went up 80 points after one year.\" That could be you.", "US", "endorsement", "could be you"),
    ("Mia lost the bloating in three weeks with Gutsy. You could be next.", "EU", "endorsement", "You could be next"),
    ("\"My credit score jumped 110 points.\" - a real Scorely member", "US", "fake_social_proof", "a real Scorely member"),
    ("Trusted by 4,500 hygienists for gum care at home.", "US", "endorsement", "Trusted by 4,500 hygienists"),
    ("Approved by over 700 physios for stiff necks.", "EU", "fake_social_proof", "Approved by over 7"),
    ("Nurses are buying their own families Immuno gummies.", "US", "endorsement", "their own"),
    ("Why this dietitian drinks this shake every morning.", "EU", "endorsement", "dietitian drinks this"),
    ("Reach grade 8 in piano or your lessons back.", "EU", "guarantee_claim", "or your lessons back"),
    ("Paws clear up within ten days or your money back.", "US", "guarantee_claim", "or your money back"),
    ("Anyone who applies gets approved by tomorrow.", "US", "guarantee_claim", "who applies gets approved"),
    ("Nobody is turned down at LoanLeaf.", "EU", "guarantee_claim", "Nobody is turned down"),
    ("Nothing polishes brighter on old brass.", "US", "absolute_claim", "Nothing polishes brighter"),
    ("Pedal the Arlo cargo bike and leave nothing behind but a bell ring.", "EU", "green_claim", "leave nothing behind but"),
    ("Your concert tickets are released to the queue in 5 minutes.", "US", "false_urgency", "released to the queue in 5 minutes"),
    ("Our farm presses one run of apple juice a year, 30 bottles left now.", "EU", "false_urgency", "bottles left"),
    ("Once this batch sells, that's it until next harvest.", "US", "false_urgency", "that's it until next harvest"),
    ("Korean moms always know the cheapest stall. Shop Marketly.", "US", "stereotype", "Korean moms always"),
    ("Irish uncles can't resist a free pint glass.", "EU", "stereotype", "Irish uncles can't resist"),
    ("Overdraft fees? You're getting screwed.", "US", "profanity", "getting screwed"),
    ("Card 4916 2038 7751 0462 charged $12.00 for your order.", "US", "pii", "4916 2038 7751 0462"),
])
def test_kind_is_flagged_with_its_words(text, market, category, span):
    hits = rule_findings(text, market, category)
    assert hits, f"{category} expected from the packs or the code on: {text}"
    assert any(span.lower() in (f.text or text[f.start:f.end]).lower() or
               (f.text or text[f.start:f.end]).lower() in span.lower() for f in hits), \
        [(f.text, f.start, f.end) for f in hits]


def test_one_experts_label_is_an_endorsement_not_a_crowd():
    text = "Dermatologist recommended: the gentle cleanser for oily skin."
    assert rule_findings(text, "US", "endorsement")
    assert not rule_findings(text, "US", "fake_social_proof")
    assert rule_findings("Dermatologists recommend our cleanser.", "US", "fake_social_proof")


def test_a_card_number_needs_a_holder_or_a_payment_not_just_four_groups():
    assert not rule_findings("Card 4111 1111 1111 1112 is not valid.", "US", "pii")
    assert rule_findings("Payment of $9.99 taken from 5412 7534 9821 0067 today.", "EU", "pii")


@pytest.mark.parametrize("text, market", [
    # a card's last four digits alone; a count of parcels
    ("Your June statement for the card ending in 5512 is in the app.", "US"),
    ("Paid with Mastercard ending 2208. Thanks!", "EU"),
    ("Parcel 2 of 3 is on its way to you.", "US"),
    # superlatives that are instructions, somebody else's best, a guide's title
    ("This genmaicha is best brewed at 80 degrees.", "US"),
    ("Cheddar keeps best wrapped in wax paper.", "EU"),
    ("Our baker and her brother still argue about which shop bakes the best croissant.", "EU"),
    ("Best Walks Near Bristol: a free map with parking and cafe stops.", "EU"),
    # hooks about what experts hide are neither a crowd nor an endorsement
    ("The savings rule banks don't want you to know: our free budgeting guide.", "EU"),
    ("The stretch physios won't tell you about? There isn't one: book a free assessment.", "US"),
    # look-alikes of the new kinds
    ("Regrow spring onions in a glass of water.", "US"),
    ("Before: a cluttered shed. After: one afternoon with our wall hooks.", "EU"),
    ("The colic clinic moves to the second floor in May.", "EU"),
    ("Someone wins a year of coffee every month. That could be you!", "US"),
    ("Backed by a five-year warranty on the motor.", "EU"),
    ("Our vets move to the new clinic on Elm Road in June.", "US"),
    ("A dermatologist takes your skin questions live on Thursdays.", "EU"),
    ("Change your mind? Send it back within 30 days for your money back.", "US"),
    ("Not everyone who applies is approved; we check what you can afford.", "EU"),
    ("Nothing grows faster in April than the grass on our verge.", "EU"),
    ("Leave nothing behind on the train: check the luggage rack.", "US"),
    ("Your table is held for 10 minutes after the booking time.", "US"),
    ("We had tins left over from the fair, so they went to the food bank.", "EU"),
    ("That's it until next time: see you at the market.", "US"),
    ("Parents will love this: more reading, fewer screens.", "US"),
    ("Mexican families can call our Spanish-language line any time.", "US"),
    ("The lid is screwed on tight for the journey.", "EU"),
    ("Screw the shelf to the wall with the brackets supplied.", "US"),
])
def test_clean_look_alike_is_not_flagged(text, market):
    from_rules = {f.category for f in reviewer_findings(text, market) if f.source in RULE_SOURCES} & KIND_CATEGORIES
    assert not from_rules, (text, from_rules)
