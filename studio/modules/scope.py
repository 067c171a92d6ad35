"""Which products a brief is about, and so which product-scoped modules may speak in its copy.

A module tagged `products: [shell]` states a fact the kit substantiated for shells ("Three pattern changes
made before launch" was the shells' winter test). The composer uses only modules whose products the brief
is about; the quality gate reports such a fact in copy for another product (unsupported_claim.scope).
"""

from __future__ import annotations


def _bare(text: str) -> str:
    return text.lower().replace("™", "").replace("®", "")


def brief_is_about(products: list[str], brief_product: str, brief_text: str) -> bool:
    """Is the brief (its product and its text) about one of these products or product words? A key message
    may mention other things ("fits a laptop and a rain shell") without being about them, so it is not read."""
    subject = _bare(f"{brief_product} {brief_text}")
    return any(_bare(p) in subject for p in products)
