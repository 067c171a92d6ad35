"""Script and language helpers, one place for the writer, the checks, the voice store and the image fonts.

Two questions are asked of a text, and they have different answers on purpose:

- *Which script does a character need?* `is_cjk_char` / `has_cjk`: Han ideographs (all blocks),
  CJK punctuation, kana and full-width forms. The image code asks this to pick a font that has the glyphs
  ("。" needs a CJK font too).
- *Is this text Chinese?* `has_han` (any Han ideograph) and `detect_language` / `dominant_lang` /
  `is_language`, which weigh Han characters against Latin words: brand names, units and hashtags in Latin
  letters are normal in Chinese copy, and a Latin word counts about as much as two Han characters.
"""

from __future__ import annotations

import re

# Han ideographs: CJK Unified (basic + extension A), compatibility ideographs, supplementary planes.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_CJK = re.compile(f"[{HAN_CLASS}\u3000-\u30ff\uff00-\uffef]")
_LATIN = re.compile(r"[A-Za-z]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

# Share of Han in a text (see cjk_share) from which it counts as Chinese; `is_language` is stricter.
ZH_SHARE = 0.5
ZH_SHARE_STRICT = 0.6
EN_MAX_SHARE = 0.05


def is_han(ch: str) -> bool:
    return HAN.match(ch) is not None


def is_cjk_char(ch: str) -> bool:
    """A character that needs a CJK font: Han, CJK punctuation, kana, full-width forms."""
    return _CJK.match(ch) is not None


def has_han(text: str) -> bool:
    return HAN.search(text) is not None


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


def cjk_share(text: str) -> float:
    """Han characters / (Han characters + 2 x Latin words): 0 for English, 1 for pure Chinese."""
    han = len(HAN.findall(text))
    latin_words = len(_LATIN_WORD.findall(text))
    total = han + latin_words * 2
    return han / total if total else 0.0


def detect_language(text: str) -> str | None:
    """"zh", "en", or None for a text with neither Han nor Latin letters (digits, emoji)."""
    if text.isascii():  # no Han: a share of 0 (the checker asks this of every English text)
        return "en" if has_latin(text) else None
    if not has_han(text) and not has_latin(text):
        return None
    return "zh" if cjk_share(text) >= ZH_SHARE else "en"


def dominant_lang(text: str) -> str:
    """detect_language, with "en" for a text that has no letters of either script."""
    return detect_language(text) or "en"


def is_language(text: str, language: str) -> bool:
    """True when the text reads as the wanted language (zh: mostly Han; others: almost no Han)."""
    lang = (language or "en").split("-")[0].lower()
    share = cjk_share(text)
    if lang == "zh":
        return share >= ZH_SHARE_STRICT
    return share <= EN_MAX_SHARE and has_latin(text)
