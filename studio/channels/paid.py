"""The words that mark a paid placement as an ad, per market: the channel's default label or any of these."""

from __future__ import annotations

# Paid placements may be labelled with any of the usual words, not only the channel's default.
PAID_EQUIVALENTS = {
    "US": ["#ad", "#sponsored", "sponsored", "paid partnership", "advertisement", "ad"],
    "EU": ["#ad", "#sponsored", "sponsored", "paid partnership", "advertisement", "ad", "anzeige", "werbung", "publicité"],
    "CN": ["广告", "推广", "#广告", "赞助"],
}


def is_paid_label(text: str, market: str) -> bool:
    """Whether a whole disclosure line is itself an ad label for this market ("#ad", "Sponsored", "广告")."""
    return " ".join(text.lower().split()) in PAID_EQUIVALENTS.get(str(market), [])
