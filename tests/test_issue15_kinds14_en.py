"""Issue 15, kinds seen in the h22 blind set (English, round 15): durability without a limit ("indestructible"), the
product ranked first in a named country ("the most eco-friendly milk in Europe"), a masked word before "you'll ever",
an effect on 100% of germs or threats, gambling winnings told as income ("win $1,000s every hour"), a bet sold as
unable to lose, an income told as a before-and-after result ("from broke barista to $40k/month"), a reward for a
five-star review, a treatment given up after the product ("I canceled my therapy"), illness avoided ("skip the sick
days"), drinking without a hangover, age as incompetence or the end of a career, women told to fix their looks
("..., ladies") and the "good mom", courage as male anatomy, groups called cowards, people run down for their
English, a famous investor's pick revealed, "no one wants a lumpy bum", a rate about to drop with no date, SIDS
prevention and "the only X that prevents". And over-flags: an energy Guarantee of Origin, the EU prior-price line
("the lowest price in the 30 days before the sale"), a "Best of the week:" round-up, travel times ("takes 1 h 35 min"),
"you can't lose it", "never stop taking medicine without talking to your doctor", generations named together
("boomers and Gen Z alike").

Checked through the real checker on texts written for this test (not in evals/checks or the packs' examples). A
flagged text must get its category from the packs or the code (not only from the learned second opinion, which is
retrained separately), on the words a reviewer would expect highlighted; a clean look-alike must get none of the
compliance categories from the packs and the code.
"""

from __future__ import annotations

import pytest

from tests.check_kinds import KIND_CATEGORIES, RULE_SOURCES, reviewer_findings, rule_findings


@pytest.mark.parametrize("text, market, category, span", [
    ("This roof box is basically indestructible, hail included.", "US", "absolute_claim", "indestructible"),
    ("Virtually unbreakable reading glasses for toddlers.", "EU", "absolute_claim", "unbreakable"),
    ("We roast the most ethical espresso in Ireland.", "EU", "absolute_claim", "the most ethical espresso in Ireland"),
    ("The cheapest broadband deal in the UK, full stop.", "EU", "absolute_claim", "the cheapest broadband deal in the UK"),
    ("The crunchiest f*cking granola you'll ever eat.", "US", "absolute_claim", "crunchiest"),
    ("Our spray destroys 100% of mould spores.", "US", "guarantee_claim", "destroys 100% of"),
    ("FirewallX detects 100% of intrusions.", "EU", "guarantee_claim", "detects 100% of"),
    ("Our regulars pocket $300 a night at the tables.", "US", "financial_promise", "pocket $300 a night"),
    ("Win real cash every spin at Jackpot Bay.", "EU", "financial_promise", "Win real cash every spin"),
    ("Tonight's lock: Celtics -4, can't lose. Bet it now.", "US", "guarantee_claim", "can't lose"),
    ("Our risk-free blackjack system works at any casino.", "EU", "guarantee_claim", "risk-free blackjack system"),
    ("Went from broke waitress to $15k/month selling printables.", "US", "financial_promise", "$15k/month"),
    ("$6,500 a month within 5 months of starting my tutoring hustle.", "EU", "financial_promise", "$6,500 a month within 5 months"),
    ("Give us a five-star rating and get 20% off your next box.", "US", "fake_social_proof", "five-star rating"),
    ("A free candle for every 5-star review you post.", "EU", "fake_social_proof", "5-star review"),
    ("My daughter ditched her asthma inhaler after a month of Pulmo drops.", "US", "health_claim", "ditched her asthma inhaler"),
    ("We threw away our sleeping pills after one week of DreamBrew.", "EU", "endorsement", "threw away our sleeping pills"),
    ("Spritz Immuna daily and you'll never catch a cold this winter.", "US", "health_claim", "never catch a cold"),
    ("Hangover-proof margaritas, ready to pour.", "US", "health_claim", "Hangover-proof"),
    ("Past 70, you probably can't keep up with these new apps. We'll set it up.", "US", "age_bias", "you probably can't keep up"),
    ("Over 40, no recruiter is hiring crow's feet.", "EU", "age_bias", "no recruiter is hiring"),
    ("Crow's feet make you look past it. Book a consult.", "EU", "age_bias", "make you look past it"),
    ("Boomers ruined the housing market. Rent with us.", "US", "age_bias", "Boomers"),
    ("Swimsuit season, ladies: hide those bingo wings.", "EU", "gendered_language", "ladies"),
    ("A real mom always knows the safest car seat. Shop SecureRide.", "US", "gendered_language", "real mom always knows"),
    ("Got the balls to try our hottest sauce? Only if you've got the balls.", "US", "gendered_language", "got the balls"),
    ("Airlines that bury fees are gutless weasels.", "EU", "profanity", "gutless weasels"),
    ("Fed up with agents who can't speak proper English? Try our helpdesk.", "US", "stereotype", "speak proper English"),
    ("A billionaire investor just revealed his top AI stock for 2026.", "US", "endorsement", "billionaire investor just revealed"),
    ("Nobody wants to see a saggy chin on a video call.", "EU", "stereotype", "saggy chin"),
    ("Open the account before the bonus rate drops.", "EU", "false_urgency", "before the bonus rate drops"),
    ("A sleep positioner that reduces the risk of cot death.", "EU", "health_claim", "reduces the risk of cot death"),
    ("The only car seat that prevents whiplash in kids.", "US", "absolute_claim", "the only car seat that prevents"),
])
def test_kind_is_flagged_with_its_words(text, market, category, span):
    hits = rule_findings(text, market, category)
    assert hits, f"{category} expected from the packs or the code on: {text}"
    assert any(span.lower() in (f.text or text[f.start:f.end]).lower() or
               (f.text or text[f.start:f.end]).lower() in span.lower() for f in hits), \
        [(f.text, f.start, f.end) for f in hits]


def test_a_bet_that_cannot_lose_is_a_guarantee_and_a_lost_key_is_not():
    assert rule_findings("Lock of the week: Yankees ML, can't lose.", "US", "guarantee_claim")
    assert not rule_findings("Clip the keyring to your bag and you can't lose it.", "US", "guarantee_claim")
    assert not rule_findings("Clip the keyring to your bag and you can't lose it.", "US", "financial_promise")


def test_a_stopped_treatment_testimonial_is_both_a_health_claim_and_an_endorsement():
    text = "I stopped my antidepressants two weeks into MoodLift."
    assert rule_findings(text, "US", "health_claim")
    assert rule_findings(text, "US", "endorsement")


@pytest.mark.parametrize("text, market", [
    # the over-flags of the blind set, in other words
    ("Your tariff is matched with Guarantees of Origin from Scottish wind farms.", "EU"),
    ("Now EUR 49. Previous price: the lowest price in the 30 days before this promotion.", "EU"),
    ("Best of the month: seven playlists our listeners saved most.", "US"),
    ("The coach takes 3 h 15 min; the train takes 2 h 40 min. Fares from EUR 19.", "EU"),
    ("Never stop taking prescribed medicine without asking your pharmacist.", "US"),
    ("Tie the scarf to the strap so you can't lose it on the slopes.", "EU"),
    # look-alikes of the new kinds
    ("No phone is indestructible, so ours comes with two years of free screen repairs.", "US"),
    ("Porto is one of the most visited cities in Portugal; book a tasting.", "EU"),
    ("100% of the wool in this jumper comes from one farm in Wales.", "EU"),
    ("Win a weekend in Rome: one winner drawn on 1 June. Terms apply.", "EU"),
    ("Bills went from $90 to $60 a month after our insulation fitting.", "US"),
    ("Leave an honest review, good or bad, to help other buyers.", "US"),
    ("I cancelled my magazine subscription and bought the book instead.", "US"),
    ("Sick days are paid in full from day one at our company.", "EU"),
    ("The Hangover Part II is on at 9 pm tonight.", "US"),
    ("Over 70? Ask about our free home visits for banking help.", "US"),
    ("Gray hairs make a great subject for our portrait class.", "US"),
    # generations named together as one audience
    ("Gen Z and boomers alike turn up for our Sunday quiz.", "EU"),
    ("From boomers to Gen Z, everyone needs a will.", "US"),
    ("Ladies' football trials are on Saturday at 10.", "EU"),
    ("Grow a pair of peppers on a sunny windowsill.", "US"),
    ("Fleas and ticks are parasites: treat your cat monthly.", "EU"),
    ("Our advisers speak English, Welsh and Urdu.", "EU"),
    ("Warren Buffett's shareholder letter is out; our club reads it on Friday.", "US"),
    ("No one wants cold feet on a winter walk: merino socks, 3 pairs.", "EU"),
    ("The rate on this account drops to 2.8% on 1 July; we'll write to you first.", "EU"),
    ("Back to sleep, on a firm flat mattress: the safe-sleep advice for babies.", "US"),
    ("The only bike in our range that folds in ten seconds.", "EU"),
])
def test_clean_look_alike_is_not_flagged(text, market):
    from_rules = {f.category for f in reviewer_findings(text, market) if f.source in RULE_SOURCES} & KIND_CATEGORIES
    assert not from_rules, (text, from_rules)
