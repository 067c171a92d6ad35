"""Shared by the kinds tests (test_issue15_kinds*): what a reviewer sees on a text through the real checker."""

from __future__ import annotations

from studio.checks.engine import get_checker


# The compliance categories the kinds tests assert on (a clean look-alike gets none of them from the packs and code)
KIND_CATEGORIES = frozenset({"endorsement", "health_claim", "financial_promise", "guarantee_claim", "absolute_claim",
                             "false_urgency", "fake_social_proof", "stereotype", "gendered_language", "age_bias",
                             "profanity", "pii", "missing_disclosure", "green_claim"})
RULE_SOURCES = frozenset({None, "rule"})  # the packs and the code, not the learned second opinion (retrained separately)


def reviewer_findings(text: str, market: str = "US", channel=None) -> list:
    """The findings a reviewer sees as a problem (warn or block)."""
    return [f for f in get_checker().check_text(text, market=market, channel=channel).findings if f.severity.value != "info"]


def reviewer_flagged_at(text: str, category: str, market: str = "US") -> list[str]:
    """The words each finding of `category` points at."""
    return [f.text for f in reviewer_findings(text, market) if f.category == category]


def reviewer_categories(text: str, market: str = "US") -> set[str]:
    return {f.category for f in reviewer_findings(text, market)}


def rule_findings(text: str, market: str, category: str) -> list:
    """Findings of `category` from the packs and the code (not the learned model)."""
    return [f for f in reviewer_findings(text, market) if f.category == category and f.source in RULE_SOURCES]
