"""Issue 15, kinds seen in a read blind set (holdout20's English, round 13): age as the reader's deficit or deadline
("still single at 35?", "don't let your eggs expire", seniors "who struggle with computers", "even at 70 you can learn",
"Gen Z doesn't know how to work"), a job ad asking for the young ("hungry young guys", "join our young, dynamic team",
"digital natives only") or for a native speaker, a region's people as the ones too slow for tech ("so easy ... even folks
in Alabama"), the nagging wife, "career girls", a masked crude insult (p*ssy, b*stard, tw*t), "members never lose",
returns "with zero downside" or "guaranteed forever", wealth "built, guaranteed", earnings told as a person's story ("my
students hit 6 figures", "Sarah made $18,412 last month", "more than her old salary"), "the only X clinically proven", a
creator's "book thru my link". And over-flags: "Our #1 priority", the lowest price of the previous 30 days (EU
Omnibus), "this price will never come back" read as a guarantee, a fixed rate guaranteed for its term, "you can't lose
with a 30-day return window", a testimonial followed by what members lose on average.

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). A
flagged text must get its category from the packs or the code (not only from the learned second opinion, which is
retrained separately), on the words a reviewer would expect highlighted; a clean look-alike must get none of the
compliance categories from the packs and the code.
"""

from __future__ import annotations

import pytest

from tests.check_kinds import KIND_CATEGORIES, RULE_SOURCES, reviewer_findings, rule_findings


@pytest.mark.parametrize("text, market, category, span", [
    ("Gen Alpha doesn't know how to tie a shoelace. Velcro it is.", "US", "age_bias", "doesn't know how to"),
    ("Still single at 37? Let our matchmakers help.", "EU", "age_bias", "Still single at 37"),
    ("Don't wait until your eggs are running out: book a scan.", "US", "age_bias", "your eggs are running out"),
    ("Our phone is built for retirees who get confused by apps.", "EU", "age_bias", "retirees who get confused by apps"),
    ("Even at 80 you can learn to shop online!", "US", "age_bias", "Even at 80 you can learn"),
    ("Wanted: ambitious young grads for our trading floor.", "EU", "age_bias", "ambitious young"),
    ("Join our young and dynamic team in Porto.", "EU", "age_bias", "Join our young and dynamic team"),
    ("Is the wife nagging about the fence again? FencePro paints it in a day.", "US", "gendered_language", "wife nagging"),
    ("A savings app for career gals on the go.", "US", "gendered_language", "career gals"),
    ("Position: sales lead. Native Dutch speaker required.", "EU", "stereotype", "Native Dutch speaker"),
    ("So easy even folks down in Mississippi can set it up.", "US", "stereotype", "even folks down in Mississippi"),
    ("Lift like you mean it, you p*ssy.", "US", "profanity", "p*ssy"),
    ("Don't be a wh*re for likes. Post less, live more.", "EU", "profanity", "wh*re"),
    ("Our subscribers never lose a trade on the signals.", "US", "financial_promise", "never lose a trade"),
    ("Our investors literally never lose.", "US", "guarantee_claim", "investors literally never lose"),
    ("Bond ladder: 8% a year and zero downside.", "EU", "guarantee_claim", "zero downside"),
    ("Bond ladder: 8% a year and zero downside.", "EU", "financial_promise", "8% a year and zero downside"),
    ("4.8% APY guaranteed for life on your savings.", "US", "financial_promise", "4.8% APY guaranteed for life"),
    ("Buying with us grows your net worth every year, guaranteed.", "US", "financial_promise", "grows your net worth"),
    ("Stays razor-sharp forever: the Oku paring knife.", "EU", "guarantee_claim", "sharp forever"),
    ("Coaching clients crossed 6 figures in month four.", "US", "financial_promise", "crossed 6 figures"),
    ("Leah netted $7,250 in her first month on our platform.", "US", "financial_promise", "netted $7,250 in her first month"),
    ("Now Omar earns more than his old corporate salary, from home.", "EU", "financial_promise", "earns more than his old corporate salary"),
    ("The only toothpaste clinically proven to rebuild enamel.", "US", "absolute_claim", "The only toothpaste clinically proven"),
    ("Clinically proven to relieve knee pain in a week.", "EU", "health_claim", "proven to relieve knee pain"),
    ("two nights at @harborlight_inn 😍 book thru my link for a free breakfast", "US", "missing_disclosure", "thru my link"),
])
def test_kind_is_flagged_with_its_words(text, market, category, span):
    hits = rule_findings(text, market, category)
    assert hits, f"{category} expected from the packs or the code on: {text}"
    assert any(span.lower() in (f.text or text[f.start:f.end]).lower() or
               (f.text or text[f.start:f.end]).lower() in span.lower() for f in hits), \
        [(f.text, f.start, f.end) for f in hits]


def test_age_pressure_is_age_bias_not_a_deadline_on_the_offer():
    text = "Still single at 34? Time is running out. Download Matchly."
    assert rule_findings(text, "US", "age_bias")
    assert not rule_findings(text, "US", "false_urgency")


def test_a_price_that_never_comes_back_is_urgency_not_a_guarantee():
    text = "Only 2 seats left at $99 and this price will never come back!"
    assert rule_findings(text, "US", "false_urgency")
    assert not rule_findings(text, "US", "guarantee_claim")


@pytest.mark.parametrize("text, market", [
    # the seller's own priorities, the Omnibus price indication, a best mate
    ("Our #1 priority in December: your parcel before the 22nd.", "US"),
    ("Comfort is our No. 1 priority on long flights.", "EU"),
    ("Now 25% off. Lowest price of the previous 30 days: €80.", "EU"),
    ("A birthday card for your best mate, printed on recycled card stock.", "EU"),
    # a fixed rate for its term; a return window; a testimonial with what members typically lose
    ("Fixed rate guaranteed for 2 years on our bond account.", "EU"),
    ("You can't lose with free returns for 60 days.", "US"),
    ("\"I lost 9 lbs in 2 months by cooking at home.\" - Rosa, member. Results not typical: members lose 2-4 lbs in 8 weeks on average.", "US"),
    # look-alikes of the new kinds
    ("Single at 45 and travelling solo? Our group trips are for you.", "EU"),
    ("Free-range eggs expire 28 days after laying: check the box.", "EU"),
    ("Seniors with questions about their phones can drop in on Tuesdays.", "US"),
    ("Even at 90 km/h the cabin stays quiet.", "EU"),
    ("Our young team of volunteers repaired 300 bikes.", "US"),
    ("Blood oranges and young carrots are in this week's box.", "EU"),
    ("That nagging cough? See a pharmacist.", "US"),
    ("Practise Italian with native speakers every Wednesday.", "EU"),
    ("Hiring: support agent, fluent Portuguese (C1).", "EU"),
    ("Free delivery now reaches folks in Alabama.", "US"),
    ("Bastard file, 8-inch, for shaping steel.", "US"),
    ("Never lose your luggage again: a tracker for every bag.", "US"),
    ("Members never lose their points when they change plan.", "EU"),
    ("Friends forever: matching bracelets.", "US"),
    ("Our shop made $3,200 for the animal rescue last month.", "US"),
    ("Tiny Sprouts crossed 6 figures in donations for the school garden.", "EU"),
    ("Switch your salary to us and get a free debit card.", "EU"),
    ("The only thing we changed: a softer lining.", "US"),
    ("Book through our website for a free late checkout.", "US"),
])
def test_clean_look_alike_is_not_flagged(text, market):
    from_rules = {f.category for f in reviewer_findings(text, market) if f.source in RULE_SOURCES} & KIND_CATEGORIES
    assert not from_rules, (text, from_rules)
