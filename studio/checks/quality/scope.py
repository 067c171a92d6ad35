"""Kit facts used outside their scope: a product-scoped content module's fact in copy for another product.

The kit substantiates some facts for one product only (a module tagged `products: [shell]`: "Three pattern
changes made before launch" was the shells' winter test). In copy whose brief is about another product the
same words state something nobody substantiated for it. Fact-bearing roles only (value propositions, proof
points, modules that cite a claim): a headline or a call to action tagged with a product is off topic at
worst, which off_brief judges; so is a scoped module that neither cites a claim nor counts anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.needs import compiled
from studio.modules.scope import brief_is_about, brief_product, library_products

FACT_ROLES = {"value_prop", "proof_point"}
# A fragment must be this long to be the module's own words and not a common phrase.
MIN_LATIN_CHARS = 24
MIN_HAN_CHARS = 8
_NAME_PART = re.compile(r"[a-z0-9]+")
_SLOT = re.compile(r"\{[a-z_]+\}")
_HAN = re.compile(r"[\u3400-\u9fff]")
# A module states a checkable fact when it cites a kit claim or counts something (a number, a number word).
_COUNTS = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand)\b", re.IGNORECASE)


@dataclass(frozen=True)
class ScopedFact:
    module_id: str
    products: tuple[str, ...]
    fragments: tuple[str, ...]  # lower case, ™/® removed: the module's slot-free stretches of text


def _bare(text: str) -> str:
    return text.lower().replace("™", "").replace("®", "")


def _long_enough(fragment: str) -> bool:
    han = len(_HAN.findall(fragment))
    return han >= MIN_HAN_CHARS if han else len(fragment) >= MIN_LATIN_CHARS


def _names_any(fragment: str, products: list[str]) -> bool:
    bare = _bare(fragment)
    words = set(re.findall(r"[a-z0-9]+", bare))
    for p in products:
        name = _bare(p)
        if name in bare or (name.isascii() and any(w in words for w in re.findall(r"[a-z0-9]{4,}", name))):
            return True
    return False


def scoped_facts(modules) -> list[ScopedFact]:
    facts = []
    for m in modules:
        if not m.products or not (m.role in FACT_ROLES or m.claim):
            continue
        if not m.claim and not _COUNTS.search(m.text):
            continue  # advice or a picture ("put it on your desk") is off topic at worst, not an unsupported fact
        parts = [p.strip(" ,.;:!?，。；：！？") for p in _SLOT.split(m.text.replace("{{", "{").replace("}}", "}"))]
        # A fragment that names its own product or product word ("shell fabric made with ...", "冷泡出来的茶汤")
        # says whose fact it is: repeating it is not attributing it to another product.
        fragments = tuple(_bare(p) for p in parts if _long_enough(p) and not _names_any(p, m.products))
        if fragments:
            facts.append(ScopedFact(m.id, tuple(m.products), fragments))
    return facts


def _narrower(brief_product: str, products: tuple[str, ...]) -> bool:
    """A brief for a product word ("shell") may use a fact of a product it covers ("Ridgeback Shell")."""
    word = _bare(brief_product).strip()
    return bool(word) and any(word in _bare(p) for p in products)


_SENTENCE_END = re.compile(r"[.!?。！？\n]")


def _sentence_names(text: str, start: int, end: int, products: tuple[str, ...], whole: bool = False) -> bool:
    """Does the sentence around text[start:end] name one of the fact's products, or the last word of one
    ("shell" of Ridgeback Shell)? Then it states the fact of that product, not of the brief's."""
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]
    lo = max([e + 1 for e in ends if e < start], default=0)
    hi = min([e for e in ends if e >= end], default=len(text))
    sentence = _bare(text[lo:hi])
    for p in products:
        name = _bare(p).strip()
        words = _NAME_PART.findall(name)
        if name in sentence or (not whole and words and name.isascii() and compiled(rf"\b{words[-1]}s?\b").search(sentence)):
            return True
    return False


_MARK = re.compile(r"[™®]")


def line_siblings(product: str, known: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """A product the library does not list, of a line it does ("园里冷萃™柠檬绿茶", a new flavour of the 园里冷萃™
    line; "Loopfleece™ Crew"): the listed products of that line, whose facts are the line's. A listed product has
    facts of its own: none."""
    bare = _bare(product).strip()
    if not bare or any(_bare(k).strip() == bare for k in known):
        return ()
    lines = ((k, _bare(k[:m.start()]).strip()) for k in known if (m := _MARK.search(k)))
    return tuple(k for k, line in lines if line and bare.startswith(line))


def _covers(products: tuple[str, ...], product: str, brief_text: str, siblings: tuple[str, ...]) -> bool:
    """Are facts substantiated for these products facts of what the brief is about?"""
    return (brief_is_about(list(products), product, brief_text) or _narrower(product, products)
            or any(p in siblings for p in products))


@lru_cache(maxsize=256)
def _foreign(facts: tuple[ScopedFact, ...], product: str, brief_text: str, siblings: tuple[str, ...] = ()) -> tuple[ScopedFact, ...]:
    """The facts scoped to products this brief is not about: decided once per brief, not per text."""
    return tuple(f for f in facts if not _covers(f.products, product, brief_text, siblings))


def out_of_scope(text: str, facts: list[ScopedFact], product: str, brief_text: str,
                 known: list[str] | tuple[str, ...] = ()) -> list[tuple[Hit, ScopedFact]]:
    """Spans of the text that repeat a fact scoped to products the brief is not about. `product` is the brief's
    product as the composer reads it (given, or the library product its text names); `known`, the library's
    products (a new product of a known line shares the line's facts)."""
    if not facts or not (product or brief_text):
        return []
    lower, bare = text.lower(), None
    out = []
    for fact in _foreign(tuple(facts), product, brief_text, line_siblings(product, known)):
        for fragment in fact.fragments:
            at = lower.find(fragment)
            if at < 0 and ("™" in text or "®" in text):
                bare = bare if bare is not None else _bare(text)
                at = bare.find(fragment)  # offsets shift by the marks removed: the span is approximate
            if at >= 0 and _sentence_names(text, at, at + len(fragment), fact.products):
                break  # "Every 2026 shell has a PFAS-free DWR finish": the sentence says whose fact it is
            if at >= 0:
                out.append((Hit(at, min(len(text), at + len(fragment)), "scope",
                                f"\"{text[at:at + len(fragment)]}\""), fact))
                break
    return out


# ---------------------------------------------------------------- substantiated claims scoped to products

@dataclass(frozen=True)
class ScopedClaim:
    """A substantiated claim whose claim or evidence names the products it covers ("RDS certified down",
    evidence "... (Talus Down Jacket)"): its distinctive terms state a fact substantiated for those only."""

    claim_id: str
    products: tuple[str, ...]
    terms: tuple[str, ...]  # lower case: the claim's material, certification and environmental words, its names


# A run of two or more capitalised words ("Responsible Down Standard", "Fair Trade Certified"): a named standard.
_NAME_RUN = re.compile(r"\b[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)+")


def _named_products(text: str, products: list[str]) -> tuple[str, ...]:
    """The library products a claim names, without a name inside a longer one named too (products: longest first)."""
    bare, named = _bare(text), []
    for p in products:
        if _bare(p) in bare and not any(_bare(p) in _bare(q) for q in named):
            named.append(p)
    return tuple(named)


def claim_scopes(substantiated, products: list[str], lexicons: list[tuple[tuple[str, ...], bool]]) -> list[ScopedClaim]:
    """Every substantiated claim with the products it names (none: it covers the whole brand) and its terms.
    `lexicons`: (words, latin) lists whose entries in a claim's text are its terms."""
    from studio.checks.quality.claims import lexicon_matches  # claims imports nothing from here; avoids a cycle

    out = []
    for c in substantiated:
        lower = _bare(c.claim)
        terms = {m.group() for words, latin in lexicons for m in lexicon_matches(words, latin, lower)}
        terms |= {_bare(n) for n in _NAME_RUN.findall(c.claim.replace("™", "").replace("®", ""))
                  if not any(_bare(p) in _bare(n) for p in products)}  # "Northpeak ReCraft" is a product
        out.append(ScopedClaim(c.id, _named_products(f"{c.claim} {c.evidence}", products), tuple(sorted(terms))))
    # A term two claims share ("certified": RDS down, Fair Trade sewing) is not distinctive of either.
    counts = {}
    for s in out:
        for t in s.terms:
            counts[t] = counts.get(t, 0) + 1
    return [ScopedClaim(s.claim_id, s.products, tuple(t for t in s.terms if counts[t] == 1)) for s in out]


@lru_cache(maxsize=256)
def _foreign_terms(scopes: tuple[ScopedClaim, ...], product: str, brief_text: str,
                   siblings: tuple[str, ...] = ()) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(term, products) for the terms only claims scoped to products this brief is not about use: once per brief."""
    if not product:
        return ()
    inside = set()
    for s in scopes:
        if not s.products or _covers(s.products, product, brief_text, siblings):
            inside.update(s.terms)
    foreign: dict[str, list[str]] = {}
    for s in scopes:
        for t in s.terms:
            if t not in inside and s.products:
                foreign.setdefault(t, []).extend(p for p in s.products if p not in foreign.get(t, []))
    return tuple((t, tuple(ps)) for t, ps in foreign.items())


def claim_out_of_scope(text: str, scopes: list[ScopedClaim], product: str, brief_text: str,
                       known: list[str] | tuple[str, ...] = ()) -> list[tuple[Hit, tuple[str, ...]]]:
    """Terms of the text that only claims scoped to other products substantiate ("Fair Trade Certified" in copy for
    Transit 22 when the certificate covers Ridgeback Shell and Cirque Base Layer), unless the brief itself says
    them or the sentence names the claim's product."""
    if not scopes:
        return []
    lower, brief = _bare(text), _bare(brief_text)
    out = []
    for term, products in _foreign_terms(tuple(scopes), product, brief_text, line_siblings(product, known)):
        if term in brief:
            continue
        at = lower.find(term) if not term.isascii() else _word_at(lower, term)
        # whole names only: a claim's own words may hold a product word ("shell fabric made with ...")
        if at < 0 or _sentence_names(text, at, at + len(term), products, whole=True):
            continue
        out.append((Hit(at, min(len(text), at + len(term)), "scope", f"\"{text[at:at + len(term)]}\""), products))
    return out


def _word_at(lower: str, term: str) -> int:
    if term not in lower:
        return -1  # (every match is the term itself: a text without it is not scanned)
    m = compiled(rf"(?<![\w-]){re.escape(term)}(?![\w-])").search(lower)
    return m.start() if m else -1
