"""Issue 15, kinds seen in another reviewer's blind set (English, round 10): wealth told as what early buyers of a coin
now have, a nationality's people or goods given a trait, a generation given a deficit or an age called a disaster,
crude words for the reader (butt, arse, slob), a superlative for a place or "yet", a gift sent to "us" (a family or pet
account) with a code, buyers' results passed on by the brand or signed in a quote, symptoms said to stop, a product
that "goes back to nature", reviews written by the advertiser's own team, a professional who "recommends" in the first
person; and one over-flag (a warranty named and then its conditions).

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). Each
flagged text names the words a reviewer would expect highlighted; each clean look-alike must get none of the
compliance categories from the packs and the code (the learned second opinion is retrained separately).
"""

from __future__ import annotations

import pytest

from tests.check_kinds import KIND_CATEGORIES, RULE_SOURCES, reviewer_findings



findings = reviewer_findings  # warn and block findings through the real checker (market US by default)


@pytest.mark.parametrize("text, market, category, span", [
    ("Folks who bought Quarra in the presale are retiring early.", "US", "financial_promise", "bought Quarra in the presale"),
    ("Early holders of the Pinecrest pool quit their jobs in May.", "EU", "financial_promise", "Early holders"),
    ("Cheap Indian knock-offs won't last a season; ours will.", "EU", "stereotype", "Indian knock-offs"),
    ("Californians can't resist a smoothie bowl, so here are six.", "US", "stereotype", "Californians can't resist"),
    ("Off to Spain? The locals rip you off, so book with us.", "EU", "stereotype", "locals rip you off"),
    ("Gen X can't use a group chat. Ours has big buttons.", "US", "age_bias", "can't use a"),
    ("Hitting 60 is a nightmare for your knees. Try FlexJoint.", "EU", "age_bias", "nightmare"),
    ("Kick your lazy butt into gear at Ironroom.", "US", "profanity", "butt"),
    ("Don't be a slob, book the cleaner.", "EU", "profanity", "slob"),
    ("The quietest dishwasher in Germany, at 38 dB.", "EU", "absolute_claim", "quietest dishwasher in germany"),
    ("Our toughest work boot yet.", "US", "absolute_claim", "toughest work boot yet"),
    ("Dads tell us the Snorezzz strip stopped their snoring for good.", "US", "endorsement", "Dads tell us"),
    ("'My beard filled in within a month' - Omar, verified buyer", "US", "endorsement", "My beard filled in"),
    ("Kept my kids sniffle-free the whole term.", "EU", "health_claim", "sniffle-free"),
    ("Jen stopped getting heartburn after a week.", "US", "health_claim", "stopped getting heartburn"),
    ("A wrap that ends newborn colic in three nights.", "EU", "health_claim", "ends newborn colic"),
    ("When you're done, the soil takes them back.", "EU", "green_claim", "soil takes them back"),
    ("Testimonials shown were composed by our agency team.", "US", "fake_social_proof", "composed by our agency team"),
    ("I'm a dermatologist and I swear by Clarin gel.", "US", "endorsement", "I swear by"),
])
def test_kind_is_flagged_with_its_words(text, market, category, span):
    hits = [f for f in findings(text, market) if f.category == category]
    assert hits, f"{category} expected on: {text}"
    assert any(span.lower() in (f.text or text[f.start:f.end]).lower() or
               (f.text or text[f.start:f.end]).lower() in span.lower() for f in hits), \
        [(f.text, f.start, f.end) for f in hits]


def test_gift_sent_to_a_family_account_with_a_code_needs_the_disclosure():
    post = "They sent us their new lunchboxes to try and the twins love them. Code TWINS10 for 10% off."
    assert "missing_disclosure" in {f.category for f in findings(post)}
    disclosed = "They sent us their new lunchboxes to try. #ad Code TWINS10 for 10% off."
    assert "missing_disclosure" not in {f.category for f in findings(disclosed)}


@pytest.mark.parametrize("text, market", [
    ("Early backers of our desk fan get it in April.", "US"),
    ("Texans, our brisket truck is in Austin this week.", "US"),
    ("Italian leather, tanned in Tuscany.", "EU"),
    ("Skin after 50 needs richer cream: ours has shea.", "EU"),
    ("Gen Z and Gen X share one thing: love for our pretzels.", "US"),
    ("Butternut squash, roasted with sage.", "EU"),
    ("The nearest depot in Leeds opens at 7.", "EU"),
    ("Our biggest drop yet lands Friday.", "US"),
    ("Customers tell us they want bigger pockets.", "US"),
    ("Tom stopped by for a coffee.", "US"),
    ("Head back to nature on a cabin weekend.", "US"),
    ("Reviews are written by verified buyers.", "EU"),
    ("Our guarantee, in plain words: if the seam splits within a year, we mend it. Wear and tear is not covered.", "US"),
    ("My aunt sent us a cake for the move.", "US"),
    ("Dentists advise a check-up twice a year; book online.", "EU"),
])
def test_look_alike_stays_clean(text, market):
    got = {f.category for f in findings(text, market) if f.category in KIND_CATEGORIES and f.source in RULE_SOURCES}
    assert not got, (text, got)
