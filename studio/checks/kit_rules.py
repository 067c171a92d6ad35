"""Rules that come from a brand kit: banned terms, competitors, trademark forms, forbidden and
substantiated claims, required disclosures.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from studio.channels.paid import PAID_EQUIVALENTS
from studio.checks.matchers import fast_lead, term_regex
from studio.checks.normalize import normalize
from studio.checks.packs import Rule, keys_of
from studio.domain import BrandKit, Channel, Market, Severity

_PAREN = re.compile(r"\s*[\(（][^)）]*[\)）]")
_MARKS = str.maketrans("", "", "™®©")


def _clean(term: str) -> str:
    return _PAREN.sub("", term).translate(_MARKS).strip()


def _literal(term: str) -> str:
    """A trademark form exactly as written (only whitespace may vary), on word boundaries."""
    body = r"\s+".join(re.escape(w) for w in term.split())
    # Word boundaries only for Latin letters and digits: Chinese is written without spaces.
    left = r"\b" if term[0].isascii() and term[0].isalnum() else ""
    right = r"\b" if term[-1].isascii() and term[-1].isalnum() else ""
    return f"{left}{body}{right}"


def _rule(rid: str, category: str, severity: Severity, terms: list[str], message: str, suggestion: str, source: str,
          case_sensitive: bool = False, literal: bool = False) -> Rule:
    """One rule for a group of terms; "{text}" in the message is filled with the matched words."""
    cleaned = [_clean(t) if case_sensitive else _clean(t).lower() for t in terms if _clean(t)]
    make = _literal if literal else (lambda t: term_regex(t, inflect=False))
    # Longest first (as built); compiled in the equivalent form re searches faster (matchers.fast_lead).
    parts = sorted((make(t) for t in cleaned), key=len, reverse=True)
    regex = re.compile("|".join(f"(?:{fast_lead(p)})" for p in parts)) if parts else None
    gated = []
    if regex is not None and not case_sensitive:  # one small regex per trigger key
        for t in cleaned:
            gated.append((re.compile(fast_lead(make(t))), keys_of(t), (), None))
    return Rule(id=rid, category=category, severity=severity, message=message, suggestion=suggestion,
                source=source, pack="kit", regex=regex, parts=gated, case_sensitive=case_sensitive)


@dataclass
class Claim:
    regex: re.Pattern
    evidence: str
    claim: str
    markets: list[Market]


@dataclass
class KitRules:
    rules: list[Rule] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


def _category_of(phrase: str, pack_rules: list[Rule]) -> str:
    """The pack category a forbidden phrase falls under (e.g. "carbon neutral" -> green_claim)."""
    text = normalize(phrase).text
    for r in pack_rules:
        if r.regex is not None and r.find(text):
            return r.category
    return "banned_term"


def build_kit_rules(kit: BrandKit, pack_rules: list[Rule]) -> KitRules:
    src = f"brand kit '{kit.id}'"
    out = KitRules()
    voc = kit.vocabulary
    if voc.banned_terms:
        out.rules.append(_rule(f"kit.{kit.id}.banned", "banned_term", Severity.block, voc.banned_terms,
                               f"'{{text}}' is on {kit.name}'s banned list.",
                               "rephrase without this word; see the kit's preferred terms", f"{src}: vocabulary.banned_terms"))
    if voc.competitor_names:
        out.rules.append(_rule(f"kit.{kit.id}.competitor", "banned_term", Severity.warn, voc.competitor_names,
                               "names a competitor ({text}); comparative claims need legal review and substantiation.",
                               "remove the competitor's name", f"{src}: vocabulary.competitor_names"))
    for tm in voc.trademarks:
        correct_plain = _clean(tm.correct).lower()
        # A wrong form that differs from the right one only by case must be matched case-sensitively.
        exact = [w for w in tm.wrong_forms if _clean(w).lower() in correct_plain]
        loose = [w for w in tm.wrong_forms if w not in exact]
        for forms, case in ((exact, True), (loose, False)):
            if forms:
                out.rules.append(_rule(f"kit.{kit.id}.trademark", "banned_term", Severity.warn, forms,
                                       f"'{{text}}' is not how the trademark {tm.correct} is written.",
                                       f"write it as {tm.correct}", f"{src}: vocabulary.trademarks",
                                       case_sensitive=case, literal=True))
    by_category: dict[str, list[str]] = {}
    for phrase in kit.claims.forbidden:
        by_category.setdefault(_category_of(_clean(phrase), pack_rules), []).append(phrase)
    for category, phrases in by_category.items():
        out.rules.append(_rule(f"kit.{kit.id}.forbidden_claim", category, Severity.block, phrases,
                               f"'{{text}}' is a claim {kit.name} forbids.",
                               "remove the claim or replace it with a substantiated one from the kit", f"{src}: claims.forbidden"))
    for c in kit.claims.substantiated:
        regex = re.compile(fast_lead(term_regex(_clean(c.claim).lower(), inflect=False)))
        out.claims.append(Claim(regex, c.evidence, c.claim, list(c.markets)))
    return out


@dataclass(frozen=True)
class RequiredDisclosure:
    """A disclosure the copy must carry: its label, the forms accepted for it, and where the duty comes from."""

    label: str
    forms: tuple[str, ...]
    source: str

    def present(self, haystack: str) -> bool:
        """Whether a squash()ed text carries one of the forms (short Latin forms as whole words)."""
        return any(test(haystack) for test in _form_tests(self.forms))


@lru_cache(maxsize=1024)
def _form_tests(forms: tuple[str, ...]) -> tuple:
    tests = []
    for form in forms:
        f = squash(form)
        if not f:
            continue
        if f[0].isalnum() and f.isascii() and len(f) <= 20:  # "ad" must not match inside "add"
            tests.append(re.compile(rf"(?<![\w]){re.escape(f)}(?![\w])").search)
        else:
            tests.append(lambda haystack, f=f: f in haystack)
    return tuple(tests)


def required_disclosures(kit: BrandKit | None, channel: Channel | None, market: str) -> list[RequiredDisclosure]:
    """Each disclosure the copy must carry in this market and channel."""
    out: list[RequiredDisclosure] = []
    if kit is not None:
        for d in kit.disclosures_for(market, channel.id if channel else None):
            if d.position == "start":  # a sender signature: a gateway's convention Studio places, not a legal notice
                continue
            out.append(RequiredDisclosure(d.text, (d.text,), f"brand kit '{kit.id}': disclosures"))
    if channel is not None and channel.paid:
        label = channel.paid_disclosure.get(Market(market))
        if label:
            forms = (label, *PAID_EQUIVALENTS.get(market, []))
            src = "FTC Endorsement Guides, 16 CFR 255.5" if market == "US" else (
                "UCPD 2005/29/EC Annex I no. 11" if market == "EU" else "广告法 第十四条 (广告应当具有可识别性)")
            if not any(label.lower() == r.label.lower() for r in out):
                out.append(RequiredDisclosure(label, forms, src))
    return out


def squash(text: str) -> str:
    """Comparable form for disclosure lines: NFKC, lower case, no marks, single spaces."""
    t = unicodedata.normalize("NFKC", text).translate(_MARKS).lower()
    return " ".join(t.split())
