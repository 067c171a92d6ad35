"""Numbers in copy, in digits, English number words or Chinese numerals, as comparable values."""

from __future__ import annotations

import re

_ZH_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000}
_ZH_BIG = {"万": 10_000, "亿": 100_000_000}
ZH_NUMERAL = "[零〇一二两三四五六七八九十百千万亿]+"
_EN = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                                   "fifteen sixteen seventeen eighteen nineteen".split())}
_EN.update({"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
            "hundred": 100, "thousand": 1000, "dozen": 12})
EN_NUMBER_WORD = r"\b(?:" + "|".join(sorted(_EN, key=len, reverse=True)) + r")\b"
DIGITS = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def zh_value(s: str) -> float | None:
    """三 -> 3, 五百 -> 500, 十二 -> 12, 一万二千 -> 12000, 二〇二六 -> 2026."""
    if not s:
        return None
    if all(c in _ZH_DIGIT for c in s):
        return float(int("".join(str(_ZH_DIGIT[c]) for c in s))) if len(s) > 1 else float(_ZH_DIGIT[s])
    total = section = 0
    digit = None
    for c in s:
        if c in _ZH_DIGIT:
            digit = _ZH_DIGIT[c]
        elif c in _ZH_UNIT:
            section += (digit if digit is not None else 1) * _ZH_UNIT[c]
            digit = None
        elif c in _ZH_BIG:
            total += (section + (digit or 0)) * _ZH_BIG[c]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


def digits_value(s: str) -> float | None:
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None


def en_word_value(s: str) -> float | None:
    return float(_EN[s.lower()]) if s.lower() in _EN else None


_ANY = re.compile(rf"{DIGITS.pattern}|{ZH_NUMERAL}|{EN_NUMBER_WORD}", re.IGNORECASE)


def values_in(text: str) -> set[float]:
    """Every number a text mentions (digits, Chinese numerals, English number words)."""
    out = set()
    for m in _ANY.finditer(text):
        g = m.group()
        v = digits_value(g) if g[0].isdigit() else (en_word_value(g) if g[0].isascii() else zh_value(g))
        if v is not None:
            out.add(v)
    return out


def value_of(s: str) -> float | None:
    s = s.strip()
    if not s:
        return None
    if s[0].isdigit():
        return digits_value(s)
    if s[0].isascii():
        return en_word_value(s)
    return zh_value(s)
