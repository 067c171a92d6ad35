"""Issue 15, precision: kinds of copy the rule packs flagged wrongly on ten blind sets written by other reviewers.

The kinds (our own texts in evals/checks/issue15_precision.jsonl, not the reviewers' lines): a superlative about
something other than the product (a tip, a story, the view along a trail, a route's high point, produce in season);
a superlative or a guarantee asked and then denied; an award's own name after its year; a ranking quoted from a
counted survey; a region's favourite person; a booking's guaranteed place; pests or a stain "gone in N hours" (a
result, not a deadline); an expert test with its sample; a vet practice as the sender of a reminder; who formulated a
pet food; 万能 as "all-purpose" for a tool; 首选 as one's own habit; 第一桶金; a game's healer class (治疗职业); the last
days of a plan that counts its first days; a free event's seat count; 秒杀一切 ("beats everything"); a shop's whole
review count with its as-of date; a money fund's 7-day annualised yield; 闭眼买 for a sweater.

Each clean text must get none of those categories from the packs and the code (the learned second opinion is
retrained separately); the same categories on real claims must stay flagged, on the words a reviewer would highlight.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.check_kinds import RULE_SOURCES, reviewer_findings

DATA = Path(__file__).resolve().parents[1] / "evals" / "checks" / "issue15_precision.jsonl"
ROWS = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
CLEAN = [r for r in ROWS if not r["expected"]]
KIND_CATEGORIES = {"absolute_claim", "guarantee_claim", "health_claim", "financial_promise", "false_urgency",
                   "fake_social_proof", "endorsement"}


def rule_categories(text: str, market: str) -> dict[str, list[str]]:
    """Category -> flagged words, from the packs and the code only."""
    found: dict[str, list[str]] = {}
    for f in reviewer_findings(text, market):
        if f.source in RULE_SOURCES:
            found.setdefault(f.category, []).append(f.text or text[f.start:f.end])
    return found


def test_the_set_is_mostly_clean_look_alikes_in_both_languages():
    assert len(ROWS) >= 100
    assert 0.5 <= len(CLEAN) / len(ROWS) <= 0.7
    assert {r["language"] for r in CLEAN} == {"en", "zh"}


@pytest.mark.parametrize("row", CLEAN, ids=[r["id"] for r in CLEAN])
def test_clean_look_alike_gets_none_of_the_kind_categories(row):
    flagged = {c: w for c, w in rule_categories(row["text"], row["market"]).items() if c in KIND_CATEGORIES}
    assert not flagged, (row["note"], row["text"], flagged)


@pytest.mark.parametrize("text, market, category, span", [
    ("The best rain jacket you can buy this year, period.", "US", "absolute_claim", "best"),
    ("Our best tips are free; our best blender is unbeatable.", "US", "absolute_claim", "unbeatable"),
    ("Best coffee in the world? No doubt about it.", "US", "absolute_claim", "best"),
    ("America's favorite pillow, now with cooling foam.", "US", "absolute_claim", "America's favorite"),
    ("This serum is guaranteed to erase wrinkles.", "US", "guarantee_claim", "guaranteed"),
    ("This offer is gone in 24 hours, don't miss out.", "EU", "false_urgency", "gone in 24 hours"),
    ("Vet-recommended joint chews: your dog will run like a puppy again.", "US", "endorsement", "Vet-recommended"),
    ("Dermatologist-approved serum for flawless skin.", "EU", "endorsement", "Dermatologist-approved"),
    ("Vet-formulated joint chews that stop the limp.", "US", "endorsement", "Vet-formulated"),
    ("风景最好的民宿，全城最低价。", "CN", "absolute_claim", "最好"),
    ("这款护肤品是敏感肌首选。", "CN", "absolute_claim", "首选"),
    ("万能神器，一台搞定所有家务。", "CN", "absolute_claim", "万能"),
    ("万能的一杯茶，配什么都好喝。", "CN", "absolute_claim", "万能"),
    ("这款降压茶能治疗高血压，喝一个月停药。", "CN", "health_claim", "治疗"),
    ("最后两天！今晚12点恢复原价。", "CN", "false_urgency", "最后两天"),
    ("这款清洁剂秒杀一切污渍，限时秒杀今晚结束。", "CN", "false_urgency", "限时秒杀"),
    ("好评率99%，已有10万人购买。", "CN", "fake_social_proof", "好评率99"),
    ("年化收益率8%，保本保息，稳赚不赔。", "CN", "financial_promise", "稳赚不赔"),
    ("跟着老师买，这只牛股闭眼买，下月翻倍。", "CN", "financial_promise", "闭眼买"),
])
def test_real_claim_of_the_same_kind_stays_flagged_on_its_words(text, market, category, span):
    words = rule_categories(text, market).get(category, [])
    assert words, f"{category} expected from the packs or the code on: {text}"
    assert any(span.lower() in w.lower() or w.lower() in span.lower() for w in words), words
