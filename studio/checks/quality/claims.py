"""Unsupported claims: facts in the copy (numbers, percentages, years, durations, ratings, materials,
certifications, awards, comparisons) that neither the kit (substantiated claims and their evidence, its
voice examples and vocabulary), the brief, nor the approved content the copy was built from states.

A number is supported when the same value appears in that support text; a word claim (a material, a
certification, an award) when the same word does. Facts next to health, safety, environmental or money
words are blocked until substantiated; the rest are warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from re import _parser as _sre_parser  # (Python 3.11+) a pattern's parse tree, for the literals it cannot match without

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.needs import compiled, matches_at, may_match, whole_word_starts
from studio.checks.quality.numbers import DIGITS, EN_NUMBER_WORD, ZH_NUMERAL, value_of, values_in

_UNITS_EN = (r"%|percent|per cent|mm|cm|km|m|g|kg|mg|ml|l|oz|lbs?|pounds?|grams?|litres?|liters?|inches|inch|feet|ft|"
             r"years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seasons?|washes|wash cycles|items|pieces|"
             r"people|customers|riders|hikers|users|members|reviews|stars?|times|x|k\b|\+")
_UNITS_ZH = (r"%|％|年|个月|月|周|天|小时|分钟|秒|毫克|千克|克|公斤|斤|毫升|升|厘米|毫米|公里|米|人|位|件|款|次|倍|颗|杯|包|袋|盒|片|度|℃|万|亿|星|分"
             r"|家|瓶|罐|箱|大卡|千卡|卡|糖|脂")  # 家: stores, suppliers; 0糖0卡0脂: nutrition
_CURRENCY = r"[$€£¥￥]"
_DATE_ZH = r"\d{1,2}\s?月\s?\d{1,2}\s?[日号]"
CLAIM_NUMBER = re.compile(
    rf"{_DATE_ZH}|(?:(?:since|in|from|est\.?|established)\s+)?{_CURRENCY}\s?{DIGITS.pattern}"
    rf"|(?:(?:since|in|from|est\.?|established)\s+)?\b(?:19|20)\d{{2}}\b"
    rf"|{DIGITS.pattern}(?:\s|-(?=[a-z]))?(?:{_UNITS_EN})\b|{DIGITS.pattern}\s?(?:{_UNITS_ZH}|元)"
    rf"|{DIGITS.pattern}(?=\+)|(?<![0-9A-Za-z])\d{{1,3}}(?:,\d{{3}})+(?![0-9A-Za-z])|(?<![0-9A-Za-z-])\d{{3,6}}(?![0-9A-Za-z]|-\d)"
    rf"|{EN_NUMBER_WORD}(?:[\s-]+{EN_NUMBER_WORD})*[\s-]+(?:years?|months?|weeks?|days?|hours?|seasons?|percent|per cent|times)\b"
    rf"|百分之{ZH_NUMERAL}|{ZH_NUMERAL}(?:年|个月|周|天|小时|分钟|克|斤|毫升|升|倍|成)"
    rf"|[零〇一二两三四五六七八九十百千万亿]*[百千万亿][零〇一二两三四五六七八九十百千万亿]*(?:位|名|人)"  # "五万位", "三千名"
    rf"|{DIGITS.pattern}\s?(?:/\s?5|out of (?:5|five|10|ten))",
    re.IGNORECASE,
)
# A bare run of 3 to 6 digits is a quantity; 7 or more, or digits joined by hyphens, are identifiers (a phone or
# order number, "400-820-1234"), which are not claims (pii catches the personal ones).
# Every CLAIM_NUMBER match starts at a digit, a currency sign, a Chinese numeral (百分之 too), a number word or a
# "since/in/from/est/established" prefix. Python's re tries an alternation like CLAIM_NUMBER at every position
# of a text (~270 µs a 100-word text); trying it only at those starts finds exactly the same matches.
_NUMBER_STARTS = re.compile(r"[\d$€£¥￥零〇一二两三四五六七八九十百千万亿]")
_WORD = re.compile(r"[a-z]+", re.IGNORECASE)
_NUMBER_WORDS = frozenset(re.findall(r"[a-z]+", EN_NUMBER_WORD))
# The letters re.IGNORECASE equates with i, s and k ("ſix" matches "six"), as those: a word is compared in this form.
_ASCII_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
# The prefixes have no word boundary in CLAIM_NUMBER ("yearsestablished 1975" matches): found anywhere. A prefix
# leads to a match only before whitespace and a currency sign or a year's 19/20 (not every "in" of "rain").
_PREFIXES = re.compile(r"(?=(?:since|in|from|est\.?|established)\s+[$€£¥￥12])", re.IGNORECASE)


_BEFORE_AMOUNT = re.compile(r"(?<!\s)\s+(?=[$€£¥￥12])")
_PREFIX_LENGTHS = (2, 3, 4, 5, 11)  # in, est, from / est., since, established


def _number_word_starts(text: str, letter_runs: set[str] | None = None) -> list[int]:
    """Where a word (a maximal run of _WORD) that is a number word starts. letter_runs: set(_AZ_RUN.findall(text.lower())),
    when the caller has it (without ODD_FOLDS in the text, the lower case of each run of _WORD)."""
    if _ODD_FOLDS.search(text):
        return [m.start() for m in _WORD.finditer(text) if m.group().translate(_ASCII_FOLD).lower() in _NUMBER_WORDS]
    present = frozenset(_NUMBER_WORDS.intersection(
        letter_runs if letter_runs is not None else map(str.lower, _WORD.findall(text))))
    # All number words in one pattern (compiled once): tried only where a present one occurs, it matches only those.
    return whole_word_starts(text, text.lower(), present, _number_word_rx(_NUMBER_WORDS)) if present else []


@lru_cache(maxsize=1024)
def _number_word_rx(words: frozenset[str]) -> re.Pattern:
    """The given number words as whole _WORD runs (the same letters, the same case folds)."""
    return re.compile(rf"(?<![a-z])(?:{'|'.join(sorted(words))})(?![a-z])", re.IGNORECASE)


def claim_numbers(text: str, letter_runs: set[str] | None = None) -> list[re.Match]:
    """CLAIM_NUMBER.finditer(text), tried only where a match can start (same matches, same order). letter_runs: as
    for _number_word_starts."""
    starts = {m.start() for m in _NUMBER_STARTS.finditer(text)}
    starts.update(_number_word_starts(text, letter_runs))
    if not starts:
        return []  # no digit, currency sign, numeral or number word: nothing a prefix could lead to either
    # A prefix ends where a run of whitespace before a currency sign or 1/2 starts: only those places are tried.
    for w in _BEFORE_AMOUNT.finditer(text):
        starts.update(q for q in (w.start() - n for n in _PREFIX_LENGTHS) if q >= 0 and _PREFIXES.match(text, q))
    # Where a digit follows a digit only the date's "\d{1,2}\s?月" can start without an unbounded \d+ or a look-behind.
    return matches_at(CLAIM_NUMBER, text, sorted(starts), digit_runs_fail_together="月" not in text)


_DIGIT_RUN = re.compile(r"\d+")
_SMALL_NUMBER = re.compile(r"\d{1,2}")
_TEXT_WORD = re.compile(r"[a-z][a-z']*")
_AZ_RUN = re.compile(r"[a-z]+")
_VALUE = re.compile(rf"{DIGITS.pattern}|{ZH_NUMERAL}|{EN_NUMBER_WORD}", re.IGNORECASE)
# Numbers that state no fact: small counts of steps or reasons, list markers, times of day.
_SMALL_OK = 12


_PERCENT = re.compile(r"%|％|percent|per cent|百分之|成$", re.IGNORECASE)
_MONEY = re.compile(rf"{_CURRENCY}|元", re.IGNORECASE)
_TIME = re.compile(r"years?|yrs?|months?|weeks?|days?|hours?|hrs?|minutes?|mins?|seasons?|年|个月|周|天|小时|分钟", re.IGNORECASE)
# A calendar year, also in Chinese ("2026年", "1956年起"): not a duration of 2026 years.
_YEAR = re.compile(r"^(?:(?:since|in|from|est\.?|established)\s+)?(?:19|20)\d{2}$|^(?:(?:始于|自|从)\s*)?(?:19|20)\d{2}\s*年(?:起|以来)?$", re.IGNORECASE)


# A quantity's unit, in any spelling, as one kind: "50 g" is supported by "每罐 50 克", not by "50 人".
_UNIT_KINDS = (
    ("date", r"月\s?\d{1,2}\s?[日号]$"),
    ("ratio", r"倍$|(?<=\d)\s?x$|times$"),
    ("mg", r"mg$|毫克$"), ("kg", r"kg$|千克$|公斤$"), ("g", r"g$|grams?$|克$"), ("jin", r"斤$"),
    ("ml", r"ml$|毫升$"), ("l", r"l$|lit(?:re|er)s?$|升$"),
    ("mm", r"mm$|毫米$"), ("cm", r"cm$|厘米$"), ("km", r"km$|公里$"), ("m", r"m$|米$"),
    ("people", r"people$|customers$|riders$|hikers$|users$|members$|人$|位$"),
    ("stores", r"家$"), ("energy", r"大卡$|千卡$|卡$"), ("nutrient", r"糖$|脂$"),
    ("degrees", r"度$|℃$"), ("rating", r"stars?$|星$|/\s?5$|out of \w+$"),
)
_UNIT_RES = tuple((kind, re.compile(p, re.IGNORECASE)) for kind, p in _UNIT_KINDS)
_ZH_DURATION = re.compile(r"(年|月|周|天|小时|分钟)\s*$")


@lru_cache(maxsize=4096)  # the same claims ("80%", "2 hours") come back text after text
def kind_of(match: str) -> str:
    """What a number claims: date, percent, money, year, time (a duration), a unit's kind (mass, volume,
    people, stores, calories, a ratio ...), or other (a bare number or count)."""
    m = match.strip()
    if _YEAR.match(m):
        return "year"
    for kind, unit in _UNIT_RES[:2]:  # "3 月 22 日" is a date, "3 倍" a ratio, before any duration or unit
        if unit.search(m):
            return kind
    if _PERCENT.search(m):
        return "percent"
    if _MONEY.search(m):
        return "money"
    if _TIME.search(m):
        zh = _ZH_DURATION.search(m)  # "二十天" in the kit does not support "20年历史"
        return f"time:{zh.group(1)}" if zh else "time"
    for kind, unit in _UNIT_RES[2:]:
        if unit.search(m):
            return kind
    return "other"


def _values(match: str) -> list[float]:
    return list(_values_of(match))


@lru_cache(maxsize=4096)
def _values_of(match: str) -> tuple[float, ...]:
    if kind_of(match) == "date":  # month and day as one value: 3 月 22 日 -> 322
        month, day = (int(d) for d in _DIGIT_RUN.findall(match)[:2])
        return (float(month * 100 + day),)
    scaled = _TEN_THOUSANDS.fullmatch(match.strip())
    if scaled:  # "20万" is 200,000 (not 20 and the numeral 万): a count the kit must state at that size
        v = value_of(scaled.group(1))
        return (v * (1e4 if scaled.group(2) == "万" else 1e8),) if v is not None else ()
    values = [value_of(v.group()) for v in _VALUE.finditer(match)]
    return tuple(v for v in values if v is not None)


_TEN_THOUSANDS = re.compile(rf"({DIGITS.pattern})\s?([万亿])")


@dataclass
class Support:
    """What the copy may state: the text of the kit, the brief and the content modules, digested.

    A percentage, price, year or duration is supported by the same value of the same kind ("3 years"
    by "within 3 years", not by "3 g"); a quantity or count by the same value anywhere. `lenient`
    support (the brief) supports a value of any kind: a brief's numbers are the marketer's own."""

    text: str
    numbers: set[float] = field(default_factory=set)
    keys: set[tuple[float, str]] = field(default_factory=set)
    lenient: bool = False
    squashed: str = ""  # lower case without spaces, marks and hyphens: "fair trade certified" ~ "FairTrade Certified™"
    _seen: dict = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, texts: list[str], lenient: bool = False) -> "Support":
        joined = "\n".join(t for t in texts if t).lower()
        keys = set()
        for m in claim_numbers(joined):
            kind = kind_of(m.group())
            keys.update((v, kind) for v in _values(m.group()))
        return cls(joined, values_in(joined), keys, lenient, _squash(joined))

    def has_word(self, word: str) -> bool:
        seen = self._seen.get(word)
        if seen is None:  # memoised: the kit's support text is long and the same words come back text after text
            if word.isascii():
                seen = compiled(rf"\b{re.escape(word)}").search(self.text) is not None
            else:
                seen = word in self.text
            if len(self._seen) < 10_000:
                self._seen[word] = seen
        return seen

    def supports(self, value: float, kind: str) -> bool:
        if kind == "date":  # a month and day: only the same date (the brief's too)
            return (value, kind) in self.keys
        if self.lenient or kind == "other":
            rival = _RIVAL_KINDS.get(kind)
            if rival and (value, rival) in self.keys and (value, kind) not in self.keys:
                return False  # "30% off" where the brief offers "$30 off": the same number, another offer
            return value in self.numbers or (value, kind) in self.keys  # keys: "20 万" as 200,000
        return (value, kind) in self.keys


# A discount is a percentage or an amount of money: the brief's one does not support the other.
_RIVAL_KINDS = {"percent": "money", "money": "percent"}


@cache
def _first_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(re.split(r"[\s-]", w.lower())[0] for w in words)


@cache
def _lexicon(words: tuple[str, ...], latin: bool) -> re.Pattern:
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])" if latin else f"(?:{alts})", re.IGNORECASE)


# The characters re.IGNORECASE equates with an ASCII letter (İ ı ſ K; tests/test_quality_speed_equivalence.py
# lists them anew): where one occurs, a lexicon's matches are not where its entries' lower-case text occurs.
_ODD_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


@cache
def _entry_literals(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The entries in lower case, when each character is ASCII or a Han character (so a case-insensitive match
    of an entry is its lower-case text, in lower-case copy); None when one is not (or is empty)."""
    lows = tuple(w.lower() for w in words)
    ok = all(w and all(c.isascii() or "\u3400" <= c <= "\u9fff" for c in w) for w in lows)
    return lows if ok else None


def lexicon_found(words: tuple[str, ...], latin: bool, lower: str) -> bool:
    """_lexicon(words, latin).search(lower) is not None (lower: lower-case text), tried only where an entry occurs."""
    rx = _lexicon(words, latin)
    literals = _entry_literals(words)
    if literals is None or _ODD_FOLDS.search(lower):
        return rx.search(lower) is not None
    for w in literals:
        i = lower.find(w)
        while i != -1:
            if rx.match(lower, i) is not None:
                return True
            i = lower.find(w, i + 1)
    return False


@cache
def _entry_heads(literals: tuple[str, ...]) -> tuple[tuple[str, str | None], ...]:
    """Each entry with its longest start of letters a-z (None when it starts otherwise)."""
    return tuple((w, m.group() if (m := _AZ_RUN.match(w)) else None) for w in literals)


def lexicon_matches(words: tuple[str, ...], latin: bool, lower: str, letter_runs: set[str] | None = None) -> list[re.Match]:
    """_lexicon(words, latin).finditer(lower) (lower: lower-case text), tried only where an entry occurs: the
    alternation is tried at every position otherwise. letter_runs: set(_AZ_RUN.findall(lower)), when the caller has
    it: a Latin entry matches only as a whole word, so the run of letters where it starts is the entry's own
    first letters, and an entry whose first letters are not a run of the text is not looked for."""
    rx = _lexicon(words, latin)
    literals = _entry_literals(words)
    if literals is None or _ODD_FOLDS.search(lower):
        return list(rx.finditer(lower))
    if latin and letter_runs is not None:
        literals = [w for w, head in _entry_heads(literals) if head is None or head in letter_runs]
    starts = set()
    for w in literals:
        i = lower.find(w)
        while i != -1:
            starts.add(i)
            i = lower.find(w, i + 1)
    found, end = [], 0
    for pos in sorted(starts):
        if pos < end:
            continue
        m = rx.match(lower, pos)
        if m is not None:  # entries are not empty: neither is a match
            found.append(m)
            end = m.end()
    return found


def _supported_number(match: str, supports: tuple[Support, ...]) -> bool:
    kind = kind_of(match)
    return all(any(s.supports(v, kind) for s in supports) for v in _values(match))


# "One day I ...", "One day, you'll ...": a story's opening (some day), not a duration, at the start of a clause.
_NOT_SOMEDAY = re.compile(r"\s*(?:only|left|sale|shipping|delivery|turnaround|repairs?|service|early|late|ahead|before|after|from|to)\b", re.IGNORECASE)


def _someday(text: str, m: re.Match) -> bool:
    if m.group().lower() != "one day":
        return False
    before = text[max(0, m.start() - 8):m.start()].rstrip(" \t")
    return (m.start() < 8 and not before or before[-1:] in (".", "!", "?", ":", ";", "\n")) and not _NOT_SOMEDAY.match(text, m.end())


# A Chinese count keeps its measure word: "500 项检测" is not supported by "500 毫升水" (a bare number for the rule above).
_ZH_COUNTER = re.compile(r"\s?([项个款种件次条])(?!字)")  # "不超过 2379个字" is the prompt's length
# A per-container spec ("每瓶 450 毫升", "每罐 50 克"): the kit's own one for that container is the only one that holds.
_PER_CONTAINER = re.compile(r"每\s?([瓶罐盒包袋杯])\s?$")


def _in_digit_chain(text: str, m: re.Match) -> bool:
    """A number glued to others by / , : ("9/2013,12/05", "2025/10/08"): a date or an identifier, not a year stated."""
    before, after = text[max(0, m.start() - 2):m.start()], text[m.end():m.end() + 2]
    return bool(re.fullmatch(r"\d[/,:.]", before) or re.fullmatch(r"[/,:]\d", after))


def _zh_unit_unsupported(text: str, m: re.Match, supports: tuple[Support, ...]) -> bool:
    """A supported number that a Chinese reader takes as another fact: a count of test items where the kit has that
    number only as millilitres; a per-bottle volume that contradicts the kit's own per-bottle volume."""
    digits = m.group().strip()
    counter = _ZH_COUNTER.match(text, m.end())
    if counter and kind_of(digits) == "other":
        return not any(s.lenient and s.has_word(digits) or s.has_word(f"{digits}{counter.group(1)}")
                       or s.has_word(f"{digits} {counter.group(1)}") for s in supports)
    per = _PER_CONTAINER.search(text, max(0, m.start() - 4), m.start())
    kind = kind_of(digits)
    if per is None or kind in ("other", "date", "year", "percent", "money"):
        return False
    stated = {v for s in supports for v, k in _per_container_specs(s, per.group(1)) if k == kind}
    return bool(stated) and not set(_values(digits)) & stated


def _per_container_specs(s: Support, container: str) -> tuple[tuple[float, str], ...]:
    """(value, kind) of each "每<container> <number><unit>" the support states (memoised on it)."""
    key = ("per", container)
    found = s._seen.get(key)
    if found is None:
        found = tuple((v, kind_of(x.group(1))) for x in _per_container_rx(container).finditer(s.text)
                      for v in _values(x.group(1)))
        s._seen[key] = found
    return found


@cache
def _per_container_rx(container: str) -> re.Pattern:
    return re.compile(rf"每\s?{container}\s?(\d[\d,.]*\s?[^\d\s，。,.；;！!]{{1,2}})")


def _is_fact_number(match: str) -> bool:
    """Small bare counts ("3 steps" is not caught at all; "2 hours" is a duration and is) are facts only with a unit."""
    m = match.strip().lower()
    if _SMALL_NUMBER.fullmatch(m):
        return int(m) > _SMALL_OK
    return True


_LEXICON_KINDS = (("material", "materials"), ("certification", "certifications"), ("award", "awards"), ("rating", "ratings"),
                  ("environmental", "environmental"), ("offer", "offers"), ("provenance", "provenance"), ("health", "health"))
_lists_of: dict[int, tuple[dict, list]] = {}


def _lexicon_lists(cfg: dict) -> list[tuple[str, tuple[str, ...], bool, frozenset[str]]]:
    """(kind, entries, latin, entries' first words) for each non-empty word list of the config, in find's order; made
    once per config (the same dict on every call) instead of once per text."""
    memo = _lists_of.get(id(cfg))
    if memo is not None and memo[0] is cfg:
        return memo[1]
    lists = [(kind, tuple(words), latin, _first_words(tuple(words)))
             for kind, key in _LEXICON_KINDS for suffix, latin in (("en", True), ("zh", False))
             if (words := cfg.get(f"{key}_{suffix}") or [])]
    if len(_lists_of) > 16:
        _lists_of.clear()
    _lists_of[id(cfg)] = (cfg, lists)
    return lists


# The claim pattern lists of packs/quality.yaml, in find's order, with the kind each finds.
_PATTERN_LISTS = (("heritage_zh", "heritage"), ("keeping_zh", "keeping"), ("provenance_patterns_zh", "provenance"), ("ranks_zh", "rating"),
                  ("certification_patterns_zh", "certification"), ("offer_patterns_zh", "offer"),
                  ("heritage_en", "heritage"), ("heritage_patterns_en", "heritage"), ("specs_en", "material"),
                  ("offer_patterns_en", "offer"), ("ranks_en", "rating"), ("tests_en", "certification"),
                  ("provenance_patterns_en", "provenance"))
_plans_of: dict[int, tuple[dict, list]] = {}


def _pattern_plan(cfg: dict) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """(kind, pattern, English?, the literals a text needs for it: all of them for English, one of them for Chinese)
    for each pattern of the lists, made once per config (the same dict on every call) instead of once per text."""
    memo = _plans_of.get(id(cfg))
    if memo is not None and memo[0] is cfg:
        return memo[1]
    plan = [(kind, p, key.endswith("_en"), required_literals(p) if key.endswith("_en") else _literals(p))
            for key, kind in _PATTERN_LISTS for p in cfg.get(key) or []]
    if len(_plans_of) > 16:
        _plans_of.clear()
    _plans_of[id(cfg)] = (cfg, plan)
    return plan


def find(text: str, supports: tuple[Support, ...], cfg: dict, lang: str, letter_runs: set[str] | None = None) -> list[Hit]:
    """letter_runs: set(_AZ_RUN.findall(text.lower())), when the caller has it."""
    hits: list[Hit] = []
    lower = text.lower()
    if letter_runs is None:
        letter_runs = set(_AZ_RUN.findall(lower))
    han = lang == "zh"  # the caller's has_han(text)
    for m in claim_numbers(text, letter_runs):
        if not _is_fact_number(m.group()) or _someday(text, m) or (han and _in_digit_chain(text, m)):
            continue
        if text.startswith("%", m.end()) and m.group().endswith("%"):
            continue  # "46 %%": a run of percent signs is symbol debris, not a percentage
        if _supported_number(m.group(), supports) and not (han and _zh_unit_unsupported(text, m, supports)):
            continue
        counter = _ZH_COUNTER.match(text, m.end()) if han else None  # "57489个": the count with its measure word
        end = counter.end() if counter else m.end()
        hits.append(Hit(m.start(), end, "number", f"\"{text[m.start():end].strip()}\""))
    text_words = set(_TEXT_WORD.findall(lower))  # hyphens split: "highest-rated" has "highest"
    for kind, words, latin, first_words in _lexicon_lists(cfg):
        if not latin and not han:
            continue
        if latin and not (first_words & text_words):
            continue  # no entry's first word is in the text: nothing to find
        for m in lexicon_matches(words, latin, lower, letter_runs):
            word = m.group()
            if any(s.has_word(word) for s in supports):
                continue
            hits.append(Hit(m.start(), m.end(), kind, f"\"{text[m.start():m.end()]}\""))
    for suffix in ("en", "zh"):
        for pattern in cfg.get(f"comparisons_{suffix}") or []:
            if not all(map(lower.__contains__, required_literals(pattern))) or not may_match(pattern, 0, lower, lower):
                continue  # a text without " than " has no "lighter than any" (most texts)
            for m in compiled(pattern).finditer(lower):
                if any(m.group() in s.text for s in supports):
                    continue
                hits.append(Hit(m.start(), m.end(), "comparison", f"\"{text[m.start():m.end()]}\""))
    hits += _phrases(text, supports, cfg)
    # (a date has a day number, a deadline its word: "ends", "until"; "may" and "sun" alone are words)
    if not _DATE_WORDS.isdisjoint(letter_runs) and (not _DEADLINE_WORDS.isdisjoint(letter_runs) or _DIGIT.search(lower)):
        hits += _dates(lower, supports)
    if "code" in lower or "coupon" in lower or "voucher" in lower:
        for m in _PROMO_CODE.finditer(text):
            if not any(m.group(1).lower() in s.text for s in supports):
                hits.append(Hit(m.start(1), m.end(1), "offer", f"\"{m.group(1)}\" (a discount code)"))
    for kind, pattern, en, literals in _pattern_plan(cfg):
        if en:
            if not all(map(lower.__contains__, literals)):  # (in C)
                continue
        elif not han or not any(lit in text for lit in literals):
            continue  # the pattern's own characters are not in the text (most texts): nothing to find
        hay = lower if en else text
        if not may_match(pattern, 0, hay, lower):
            continue  # none of what every match contains (needs.py)
        for m in compiled(pattern).finditer(hay):
            forms = _spec_forms(m.group()) if kind == "material" else (m.group(),)
            if any(f in s.text for s in supports for f in forms):
                continue
            hits.append(Hit(m.start(), m.end(), kind, f"\"{m.group()}\""))
    return _dedupe(hits)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
_FULL_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_ORDINAL = r"(?:first|second|third|fourth|last|1st|2nd|3rd|4th)"
# A calendar date ("March 3rd", "30 September", "Dec 1") or a deadline on a weekday ("ends this Wednesday", "valid
# till Fri"): when an offer ends or starts is the brief's to say. Months and weekdays alone ("peak in August",
# "Summit on Saturday?") are scenes, not dates.
_DATE_EN = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:(?:st|nd|rd|th)\b|\b(?!\s*(?:%|\$|[a-z])))"
                      rf"|\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b"
                      rf"|\b(?:until|till|til|through|thru|ends?|ending|expires?|before|valid (?:until|till|through|to))\s+"
                      rf"(?:this\s+|next\s+)?({_WEEKDAY})\b"
                      # a recurring schedule (issue 13, G11; UCPD annex I and FTC: an event the brief does not announce):
                      # "every Tuesday evening", "every second Saturday of the month", "first Monday of every month"
                      rf"|\bevery\s+(?:other\s+|{_ORDINAL}\s+)?({_FULL_WEEKDAY})\b(?:\s+of\s+(?:the|every|each)\s+month)?"
                      rf"|\b({_ORDINAL})\s+({_FULL_WEEKDAY})\s+of\s+(?:every|each|the)\s+month\b")
_RECURRING_ORDINAL = re.compile(rf"\b(?:other|{_ORDINAL})\s+{_FULL_WEEKDAY}|\bmonth\b")
_DEADLINE_WORDS = frozenset(("until", "till", "til", "through", "thru", "end", "ends", "ending", "expire", "expires",
                             "before", "valid", "every"))
_DIGIT = re.compile(r"\d")
_DATE_WORDS = frozenset(_MONTHS + ("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                                   "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                   "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"))


def _date_key(m: re.Match) -> tuple[str, str]:
    """(month's first three letters, day) of a date, or ("", weekday's first three letters) of a deadline."""
    if m.group(3):
        return "", m.group(3)[:3]
    if m.group(4):  # "every Tuesday" is a Tuesday; "every other Tuesday", "every second Saturday of the month" a schedule
        rec = _RECURRING_ORDINAL.search(m.group())
        return ("every " + rec.group() if rec else ""), m.group(4)[:3]
    if m.group(5):
        return "every " + m.group(5), m.group(6)[:3]
    month = _AZ_RUN.search(m.group())
    return (month.group()[:3] if month else ""), str(int(m.group(1) or m.group(2)))


def _dates(lower: str, supports: tuple["Support", ...]) -> list[Hit]:
    out = []
    for m in _DATE_EN.finditer(lower):
        key = _date_key(m)
        if m.group(3) and len(m.group(3)) <= 4 and lower[m.end():m.end() + 1] not in ("", ".", "!", ")", "\n"):
            continue  # "through sun and rain": a short form is a weekday only where it ends the phrase
        if any(key in _support_dates(s) for s in supports):
            continue
        if (m.group(4) or m.group(5)) and not any(s.lenient for s in supports):
            continue  # a recurring schedule is judged against a brief: without one it may be the business's standing hours
        out.append(Hit(m.start(), m.end(), "date", f"\"{m.group()}\""))
    return out


def _support_dates(s: "Support") -> set[tuple[str, str]]:
    """The dates a kit's or brief's text gives, and the weekdays a brief names (its "through Sunday" supports a
    deadline on Sunday; a weekday in the kit's voice notes is a scene, not an offer's end)."""
    dates = s._seen.get(" dates")
    if dates is None:
        dates = {_date_key(m) for m in _DATE_EN.finditer(s.text) if not m.group(3)}
        if s.lenient:
            dates |= {("", w[:3]) for w in re.findall(rf"\b{_WEEKDAY}\b", s.text)}
        s._seen[" dates"] = dates
    return dates


# A discount code ("code FROST30", "coupon: WOOF50"): a promise the brief or kit must make. Upper-case letters
# and digits, at least four characters, starting with a letter.
_PROMO_CODE = re.compile(r"\b(?i:code|coupon|voucher)\s*[:\"'“]?\s*([A-Z][A-Z0-9]{3,})\b")
_SQUASH = re.compile(r"[\s™®·・\-]+")
# Chinese before a certificate's name: the verb or conjunction that introduces it ("同时通过了", "和").
_ZH_LEAD = re.compile(r"^.*(?:通过了?|经过了?|获得了?|取得了?|拿到了?|持有|荣获|获颁|符合|按照|和|与|及|、|以及)")


_SPEC_NUMBERS = {"two": "2", "three": "3", "four": "4"}


def _spec_forms(spec: str) -> tuple[str, ...]:
    """A construction spec as the kit may write it: "three-layer" is "3-layer", "3 layer", "three layer"."""
    first, sep, rest = spec.partition("-") if "-" in spec else spec.partition(" ")
    if not sep:
        return (spec,)
    heads = {first, _SPEC_NUMBERS.get(first, first)} | {w for w, d in _SPEC_NUMBERS.items() if d == first}
    return tuple(f"{h}{s}{rest}" for h in heads for s in ("-", " "))


def _squash(text: str) -> str:
    return _SQUASH.sub("", text.lower())


def _named_supported(core: str, supports: tuple[Support, ...]) -> bool:
    key = _squash(_ZH_LEAD.sub("", core))
    if not key or any(key in s.squashed for s in supports):
        return True
    # A name the kit knows in two parts: the product and its certificate ("春山绿" + "有机产品认证").
    return any(any(key[:i] in s.squashed for s in supports) and any(key[i:] in s.squashed for s in supports)
               for i in range(2, len(key) - 1))


def _phrases(text: str, supports: tuple[Support, ...], cfg: dict) -> list[Hit]:
    """Named certifications ("FSC森林认证", "EU organic certified") and standard codes ("IPX7", "ISO 22000"): the
    kit's own certificate does not support another one, so the name itself must be in the kit or brief."""
    hits, lower = [], text.lower()
    for key, kind in (("certification_phrases", "certification"), ("novelty_phrases", "novelty")):
        screen = _needs_screen(cfg, key)
        if screen is not None and screen.search(lower) is None:
            continue  # not one word any entry needs (most texts): one scan instead of one per entry
        for entry in cfg.get(key) or []:
            if kind == "novelty" and not any(s.lenient for s in supports):
                continue  # "new" is relative to a brief: without one there is nothing to hold it against
            if not any(w in lower for w in entry["needs"]) or not may_match(entry["pattern"], 0, text, lower):
                continue  # none of the words the pattern needs: nothing to find (most texts)
            for m in compiled(entry["pattern"]).finditer(text):
                core = m.groupdict().get("core") or m.group()
                if kind == "novelty":
                    if any(s.lenient and _NOVELTY_SUPPORT.search(s.text) for s in supports) or \
                            any(m.group().lower() in s.text for s in supports):
                        continue  # the brief announces something new, or the kit's approved copy says the same
                elif _named_supported(core, supports):
                    continue
                start = m.start()
                if kind == "certification" and m.groupdict().get("core") is not None:
                    start = m.start("core") + len(core) - len(_ZH_LEAD.sub("", core))  # "外盒通过FSC森林认证" -> "FSC森林认证"
                start += len(text[start:m.end()]) - len(text[start:m.end()].lstrip())
                hits.append(Hit(start, m.end(), kind, f"\"{text[start:m.end()]}\""))
    return hits


_screens_of: dict[tuple[int, str], tuple[dict, re.Pattern | None]] = {}


def _needs_screen(cfg: dict, key: str) -> re.Pattern | None:
    """One alternation of every word the entries of cfg[key] need (made once per config); None when an entry needs
    nothing, so no text can be ruled out at once."""
    memo = _screens_of.get((id(cfg), key))
    if memo is not None and memo[0] is cfg:
        return memo[1]
    entries = cfg.get(key) or []
    words = {w for e in entries for w in e["needs"]}
    screen = None
    if entries and all(e["needs"] for e in entries) and all(words):
        screen = re.compile("|".join(map(re.escape, sorted(words))))
    if len(_screens_of) > 64:
        _screens_of.clear()
    _screens_of[(id(cfg), key)] = (cfg, screen)
    return screen


# Words of a brief that make "new" true: a launch, an arrival, a new batch.
_NOVELTY_SUPPORT = re.compile(r"\blaunch|\bnew\b|\bintroduc|\bjust in\b|\barriv|上新|上市|新品|新上|首发|新一批|到货|新茶|推出|新增", re.IGNORECASE)


def announces_new(brief_text: str) -> bool:
    """Does a brief announce something new (a launch, an arrival, a new batch), so that "New this season" is true?
    The composer asks it too, before using a module kept for launches."""
    return _NOVELTY_SUPPORT.search(brief_text) is not None


@cache
def required_literals(pattern: str) -> tuple[str, ...]:
    """The runs of literal characters at a pattern's top level (outside any group, alternative or repeat): every
    match contains each, so a text without one has no match. None for a case-insensitive pattern."""
    parsed = _sre_parser.parse(pattern)
    if parsed.state.flags & re.IGNORECASE:
        return ()
    runs, run = [], ""
    for op, arg in parsed:
        if op == _sre_parser.LITERAL:
            run += chr(arg)
        elif run:
            runs.append(run)
            run = ""
    return tuple(runs + [run] if run else runs)


@cache
def _literals(pattern: str) -> tuple[str, ...]:
    """The Han characters a Chinese pattern cannot match without (one of each alternative's runs)."""
    runs = re.findall(r"[\u4e00-\u9fff]+", re.sub(r"\[[^\]]*\]", " ", pattern))
    return tuple(runs) or ("",)


def _dedupe(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Hit] = []
    for h in hits:
        if out and h.start < out[-1].end:
            continue
        out.append(h)
    return out


def sensitive(text: str, hit: Hit, cfg: dict, window: int = 40) -> bool:
    """Is the claim about health, safety, the environment or money (a word of that kind near it)?"""
    lo, hi = max(0, hit.start - window), min(len(text), hit.end + window)
    near = text[lo:hi].lower()
    return lexicon_found(tuple(cfg["sensitive_en"]), True, near) or lexicon_found(tuple(cfg["sensitive_zh"]), False, near)


def same_case_length(text: str, lower: str) -> bool:
    """Is lower (text.lower()) sliced the same as text is, each slice its own lower case? Python's lower case is one
    character for one, except İ (two) and Σ (ς at a word's end, so it depends on what the slice cuts off)."""
    return len(lower) == len(text) and "\u03a3" not in text


class Sensitivity:
    """sensitive(text, hit, cfg) for the hits of one text: each lexicon's entries are found once in the whole
    text, and a window is tried only where an entry lies inside it (the same places lexicon_found tries)."""

    def __init__(self, text: str, cfg: dict) -> None:
        self.text, self.cfg = text, cfg
        self._found: list | None = None  # per lexicon: (rx, entry spans), or None where the plain scan is kept

    def _index(self) -> list:
        lower = self.text.lower()
        fast = same_case_length(self.text, lower) and not _ODD_FOLDS.search(lower)
        self.lower = lower
        found = []
        for key, latin in (("sensitive_en", True), ("sensitive_zh", False)):
            words = tuple(self.cfg[key])
            literals = _entry_literals(words) if fast else None
            if literals is None:
                found.append((words, latin, None))
                continue
            spans = []
            for w in literals:
                i = lower.find(w)
                while i != -1:
                    spans.append((i, i + len(w)))
                    i = lower.find(w, i + 1)
            found.append((words, latin, spans))
        return found

    def __call__(self, hit: Hit, window: int = 40) -> bool:
        if self._found is None:
            self._found = self._index()
        lo, hi = max(0, hit.start - window), min(len(self.text), hit.end + window)
        for words, latin, spans in self._found:
            if spans is None:
                if lexicon_found(words, latin, self.text[lo:hi].lower()):
                    return True
                continue
            inside = [i for i, e in spans if lo <= i and e <= hi]
            if inside:
                near, rx = self.lower[lo:hi], _lexicon(words, latin)
                if any(rx.match(near, i - lo) is not None for i in inside):
                    return True
        return False


def forbidden_phrases(forbidden: list[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kit's forbidden claims as (Latin, Han) phrases: "100% recycled (no product is; ...)" -> "100% recycled". A
    phrase forbidden only under a condition ("sustainable (without saying what ...)") is left to the kit's rule."""
    latin, han = [], []
    for phrase in forbidden:
        head, *qualifier = re.split(r"[(（]", phrase, maxsplit=1)
        if qualifier and re.match(r"\s*(?:without|unless|except|if\b|除非|未|没有)", qualifier[0], re.IGNORECASE):
            continue
        head = head.strip()
        if head:
            (han if re.search(r"[\u3400-\u9fff]", head) else latin).append(head)
    return tuple(latin), tuple(han)


@lru_cache(maxsize=16)
def _competitor_rx(names: tuple[str, ...]) -> tuple[re.Pattern, re.Pattern]:
    alts = "|".join(re.escape(n.lower()) for n in sorted(names, key=len, reverse=True))
    en = re.compile(rf"\b(?:\w+er|more \w+|less \w+|better|worse|cheaper) than (?:the |any |other |most )?(?:{alts})")
    zh = re.compile(rf"比(?:{alts})[^，。！？,.!?]{{0,10}}(?:更|还|多|少|高|低|强|好|轻|暖)")
    return en, zh


def kit_phrase_hits(text: str, forbidden: tuple[tuple[str, ...], tuple[str, ...]], competitors: tuple[str, ...]) -> list[Hit]:
    """Claims the kit itself rules out: a phrase it forbids ("零农残", "keeps you dry in any conditions") and a
    comparison with a competitor it names ("lighter than Talusforge packs"), which nothing in the kit substantiates."""
    lower, hits = text.lower(), []
    for words, latin in ((forbidden[0], True), (forbidden[1], False)):
        if words:
            hits += [Hit(m.start(), m.end(), "forbidden", f"\"{text[m.start():m.end()]}\"")
                     for m in lexicon_matches(words, latin, lower)]
    if competitors and any(n.lower() in lower for n in competitors):
        for rx in _competitor_rx(tuple(competitors)):
            hits += [Hit(m.start(), m.end(), "comparison", f"\"{text[m.start():m.end()]}\"") for m in rx.finditer(lower)]
    return hits
