"""Cheap language check for candidates: Chinese vs Latin-script text (the kits' two languages)."""

from __future__ import annotations

import re

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN = re.compile(r"[A-Za-z]")
# Brand names, trademarks, units and hashtags in Latin letters are normal in Chinese copy.


def cjk_share(text: str) -> float:
    cjk = len(_CJK.findall(text))
    latin_words = len(re.findall(r"[A-Za-z]+", text))
    total = cjk + latin_words * 2  # a Latin word weighs about two characters
    return cjk / total if total else 0.0


def detect_language(text: str) -> str | None:
    if not _CJK.search(text) and not _LATIN.search(text):
        return None
    return "zh" if cjk_share(text) >= 0.5 else "en"


def is_language(text: str, language: str) -> bool:
    """True when the text reads as the wanted language (zh: mostly CJK; others: almost no CJK)."""
    lang = (language or "en").split("-")[0].lower()
    share = cjk_share(text)
    if lang == "zh":
        return share >= 0.6
    return share <= 0.05 and bool(_LATIN.search(text))
