"""Which product a brief is about, and so which product-scoped modules may speak in its copy.

A module tagged `products: [shell]` states a fact the kit substantiated for shells ("Three pattern changes
made before launch" was the shells' winter test). The composer uses only modules whose products the brief
is about; the quality gate reports such a fact in copy for another product (unsupported_claim.scope); the
agent_facts sheet lists the facts of the product the brief names. All three read the brief the same way here.
"""

from __future__ import annotations

import re


def _bare(text: str) -> str:
    return text.lower().replace("™", "").replace("®", "")


def is_name(product: str) -> bool:
    """A product's name ("Transit 22", "春山绿"), not a product word ("shell") that a module is tagged with."""
    return " " in product.strip() or any("\u3400" <= ch <= "\u9fff" for ch in product)


def library_products(modules) -> list[str]:
    """The products the kit's modules name, longest first (a longer name wins over a name it contains)."""
    return sorted({p for m in modules for p in m.products if is_name(p)}, key=len, reverse=True)


def product_named_in(text: str, products: list[str]) -> str:
    """The library product a brief's text names: the whole name, or its first word when that word is distinctive
    (a capitalised word of 4+ letters: "Ridgeback" in "the Ridgeback rain shell"); "" when none or several."""
    bare = text.replace("™", "")
    whole = [p for p in products if p.replace("™", "") in bare]
    if whole:
        return whole[0]  # the longest (products are sorted longest first)
    words = set(re.findall(r"\b[A-Z][A-Za-z]{3,}\b", bare))
    by_first = [p for p in products if p.split()[0].replace("™", "") in words]
    return by_first[0] if len(by_first) == 1 else ""


def brief_product(product: str, text: str, products: list[str]) -> str:
    """The brief's product, or the library product its text names ("Launch of the Ridgeback rain shell")."""
    return product.strip() or product_named_in(text, products)


def brief_is_about(products: list[str], brief_product: str, brief_text: str) -> bool:
    """Is the brief about one of these products or product words? A product's name counts in the brief's
    product and its text. A product word ("shell") counts in the brief's product when the brief names one: "the
    Cirque base layer under a shell" is about the base layer, and the shells' facts are not its facts. A key
    message may mention other things ("fits a laptop and a rain shell") without being about them: not read."""
    subject = _bare(f"{brief_product} {brief_text}")
    product = _bare(brief_product) if brief_product.strip() else subject
    return any(_bare(p) in (subject if is_name(p) else product) for p in products)
