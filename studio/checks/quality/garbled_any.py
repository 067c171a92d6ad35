"""Garble in any language: runs of numbers, dates and symbols, template debris, scripts that do not belong."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.needs import ODD_FOLDS, Alternation, compiled, matches_at, whole_word_starts
from studio.checks.quality.numbers import value_of
from studio.language import HAN, HAN_RUN

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
                "thousand million billion half halves third thirds quarter quarters percent").split()
_NUM = r"\d+(?:[.,:/]\d+)*"
_NUMWORD = r"(?:" + "|".join(NUMBER_WORDS) + r")(?:(?:-|\s+)(?:" + "|".join(NUMBER_WORDS) + r"))*"
_OP = r"(?:[+=*×÷]|\bplus\b|\bminus\b|\btimes\b|\(\s*[+\-=*]\s*\)|\[\s*[+\-=*]\s*\])"
_UNIT = r"\b(?:grams?|g|kg|mm|cm|ml|l|oz|hours?|days?|weeks?|months?|years?|percent)\b"
_SEP = rf"(?:[\s,;/:%％\-–—~]|\bper\b|\band\b|\bor\b|{_UNIT})*"
_ITEM = rf"(?:{_NUM}|\b{_NUMWORD}\b|{_OP})"
_RUN = re.compile(rf"{_ITEM}(?:{_SEP}{_ITEM})+", re.IGNORECASE)
_GROUP = re.compile(rf"{_NUM}|\b{_NUMWORD}\b", re.IGNORECASE)
_ARITH = re.compile(_OP, re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d+")
_SAME_CHAR_RUN = re.compile(r"(\S)\1{2,}")
_HAN_FOUR = re.compile(r"([\u3400-\u9fff])\1{3,}")
_SENTENCE_MARK = re.compile(r"[.!?。！？\n]")
_PHONE = re.compile(r"\+\d{1,3}(?:[ \-]\d{1,5}){2,5}")
# Where a _RUN match can start: a digit or an operator's first character (_DIGIT_STARTS), or a word (a whole \w
# run, as _RUN's \b demands) that is a number word or plus/minus/times.
_DIGIT_STARTS = re.compile(r"[\d+=*×÷(\[]")
_WORD_ITEMS = frozenset(NUMBER_WORDS) | {"plus", "minus", "times"}
_TOKEN = re.compile(r"\w+")
# The superset of starts tried where the text has a character re.IGNORECASE equates with an ASCII letter (ſix).
_RUN_STARTS = re.compile(r"[\d+=*×÷(\[]|\b[" + "".join(sorted({w[0] for w in NUMBER_WORDS} | set("pmt"))) + "]",
                         re.IGNORECASE)


@lru_cache(maxsize=1024)
def _word_item_rx(words: frozenset[str]) -> re.Pattern:
    """The given words as whole runs of word characters, in any case."""
    return re.compile(rf"(?<!\w)(?:{'|'.join(sorted(words))})(?!\w)", re.IGNORECASE)


def _run_starts(text: str, letter_runs: set[str] | None = None) -> list[int]:
    """Where a _RUN match can start, in order (a superset: each is tried). letter_runs: the runs of a-z of the text's
    lower case, when the caller has them (a word that is a whole run of word characters is a whole run of letters)."""
    if not text.isascii() and ODD_FOLDS.search(text):
        return [m.start() for m in _RUN_STARTS.finditer(text)]
    starts = [m.start() for m in _DIGIT_STARTS.finditer(text)]
    present = frozenset(_WORD_ITEMS.intersection(
        letter_runs if letter_runs is not None else map(str.lower, _TOKEN.findall(text))))
    if present:
        # (one pattern of all the words, compiled once: tried only where a present word occurs, it matches only those)
        starts = sorted(starts + whole_word_starts(text, text.lower(), present, _word_item_rx(_WORD_ITEMS)))
    return starts


def run_matches(text: str, letter_runs: set[str] | None = None) -> list[re.Match]:
    """_RUN.finditer(text), tried only where a match can start (same matches, same order): the alternation of
    number words is otherwise tried at every position."""
    # An item that starts at a digit is _NUM's unbounded \d+; an item is never empty, and neither is a match.
    return matches_at(_RUN, text, _run_starts(text, letter_runs), digit_runs_fail_together=True)


@cache
def _debris(patterns: tuple[str, ...]) -> list[Alternation]:
    """One pattern for the whole list (one scan of the text instead of one per entry), scanned with only the
    entries whose needed literals the text has (needs.py)."""
    return [Alternation(patterns, re.IGNORECASE | re.MULTILINE)] if patterns else []


def number_runs(text: str, min_groups: int, brief_numbers: set[float], letter_runs: set[str] | None = None) -> list[Hit]:
    """A run of min_groups+ numbers with arithmetic or bracket debris between them, or of twice as many
    plain ones ("1977/2/12, 11:25(+) [+] 10%", "six hundred + ten thousand plus two thirds"). Numbers the
    brief gives (prices, sizes) do not count."""
    hits = []
    for m in run_matches(text, letter_runs):
        if _PHONE.fullmatch(m.group().strip()):
            continue  # an international phone number ("+1 206 555 0147"): PII, not garble
        groups = [g.group() for g in _GROUP.finditer(m.group())]
        values = []
        for g in groups:
            if g[0].isdigit():
                values += [float(d) for d in _DIGIT_RUN.findall(g)]
            else:
                values.append(value_of(g.split()[0].split("-")[0]))
        fresh = [v for v in values if v not in brief_numbers]
        arith = _ARITH.search(m.group()) is not None
        if len(fresh) >= min_groups and (arith or len(fresh) >= 2 * min_groups - 1):
            hits.append(Hit(m.start(), m.end(), "number_run", f"a run of {len(values)} numbers and symbols with no words between them."))
    return hits


def _is_symbol(ch: str) -> bool:
    return unicodedata.category(ch) in ("So", "Sm", "Sk", "Co") or "\u2500" <= ch <= "\u25ff" or ch in "※¤¶§》《〉〈"


def _is_emoji(ch: str) -> bool:
    return "\U0001f000" <= ch <= "\U0001faff" or "\u2600" <= ch <= "\u27bf"


@lru_cache(maxsize=4096)
def _plain_symbol(ch: str) -> bool:
    """A symbol that is not an emoji (per character, cached)."""
    return _is_symbol(ch) and not _is_emoji(ch)


_NOT_WORD = re.compile(r"[^\w\s]")
_PLAIN = re.compile(r"[\w\s.,;:!?'\"()\[\]\-–—/%$€£¥&+@#*~、，。！？：；（）“”‘’…·｜|]*")


def symbol_runs(text: str, cfg: dict) -> list[Hit]:
    hits: list[Hit] = []
    if _PLAIN.fullmatch(text):
        return hits  # letters, digits and ordinary punctuation only
    n, end = len(text), 0
    for s in _NOT_WORD.finditer(text):  # a symbol is neither a word character nor whitespace: only these are tried
        i = s.start()
        if i < end or not _plain_symbol(text[i]):
            continue
        j, count = i, 0
        while j < n and (text[j] == " " or _plain_symbol(text[j])):
            count += text[j] != " "
            j += 1
        if count >= cfg["symbol_run_min"]:
            hits.append(Hit(i, j, "symbol_run", f"a run of {count} symbols."))
        end = j
    for m in _SAME_CHAR_RUN.finditer(text):
        ch = m.group(1)
        times = len(m.group())
        if ch.isalnum() or ch in ".!?~～-—_=*#。！？…·":
            continue
        limit = cfg["same_emoji_run"] if _is_emoji(ch) else cfg["same_symbol_run"]
        if times >= limit and not any(h.start <= m.start() < h.end for h in hits):
            hits.append(Hit(m.start(), m.end(), "symbol_run", f"\"{ch}\" {times} times in a row."))
    return hits


_PUNCT_RUN = re.compile(r"[!?.！？。…]+(?:\s+[!?.！？。…]+)*")


def punctuation_runs(text: str, min_marks: int) -> list[Hit]:
    """"!!!!!!!!!!!! ?????? ........": a run of min_marks+ sentence marks (spaces between allowed). "!!!" or an
    ellipsis is emphasis; a run this long is the model stuck on a key."""
    hits = []
    for m in _PUNCT_RUN.finditer(text):
        marks = len(m.group()) - m.group().count(" ") - m.group().count("\n")
        if marks >= min_marks:
            hits.append(Hit(m.start(), m.end(), "symbol_run", f"a run of {marks} punctuation marks."))
    return hits


_UNIT_MIN, _UNIT_MAX = 2, 12  # the letters of a repeated unit, as in repeated_units' pattern


def may_repeat(text: str, times: int) -> bool:
    """False when repeated_units' pattern cannot match: a match is, without its whitespace, one unit of 2 to 12
    characters said `times` times in a row, so for some unit length L the text without whitespace has s[i] == s[i + L]
    at (times - 1) * L places in a row. Compared all at once: the text's code points as one big integer, XORed with
    itself shifted by L characters, has a run of that many zero bytes."""
    s = "".join(text.split())  # str.split's whitespace is re's \s
    b, width = (s.encode(), 1) if s.isascii() else (s.encode("utf-32-le"), 4)
    n = len(b)
    for length in range(_UNIT_MIN, _UNIT_MAX + 1):
        k = length * width
        if n < k * times:
            break
        same = int.from_bytes(b[k:], "little") ^ int.from_bytes(b[:-k], "little")
        if same.to_bytes(n - k, "little").find(bytes((times - 1) * k)) != -1:
            return True  # (UTF-32: an unaligned run of zero bytes may pass too; the scan below decides)
    return False


def repeated_units(text: str, times: int) -> list[Hit]:
    rx = compiled(r"(\S{%d,%d}?)(?:\s*\1){%d,}" % (_UNIT_MIN, _UNIT_MAX, times - 1))
    hits = []
    for m in rx.finditer(text) if may_repeat(text, times) else ():
        unit = m.group(1)
        if len(set(unit)) == 1:
            continue  # 哈哈哈, !!!: one character repeated is emphasis, not a broken fragment
        hits.append(Hit(m.start(), m.end(), "repeated", f"\"{unit}\" repeated {m.group().count(unit)} times."))
    # One Han character four times in a row ("日日日日"), except laughter and other interjections.
    for m in _HAN_FOUR.finditer(text):
        if m.group(1) not in "哈呵嘿嘻啦哇呜嗯啊哦噢嘤":
            hits.append(Hit(m.start(), m.end(), "repeated", f"\"{m.group(1)}\" {len(m.group())} times in a row."))
    return hits


def find(text: str, cfg: dict, brief_numbers: set[float], field: str | None = None,
         letter_runs: set[str] | None = None) -> list[Hit]:
    """letter_runs: the runs of a-z of the text's lower case, when the caller has them."""
    hits = number_runs(text, cfg["number_run_min"], brief_numbers, letter_runs)
    hits += symbol_runs(text, cfg)
    hits += punctuation_runs(text, cfg["punctuation_run_min"])
    hits += repeated_units(text, cfg["repeat_unit_times"])
    lower = text.lower()  # once, for every list's needed literals
    if field is not None:
        for m in _debris((cfg["field_labels"],))[0].finditer(text, lower):
            hits.append(Hit(m.start(), m.end(), "debris", f"a field label inside the {field}: \"{m.group().strip()}\"."))
        for rx in _debris(tuple(cfg["field_echoes"])):
            for m in rx.finditer(text, lower):
                hits.append(Hit(m.start(), m.end(), "debris", f"the writing instructions echoed: \"{m.group().strip()}\"."))
    han = HAN.search(text) is not None
    if han:
        hits += han_in_latin(text, cfg["han_in_latin"])
    echoes = cfg["prompt_echoes"] + (cfg["prompt_echoes_zh"] if han else [])
    for rx in _debris(tuple(echoes)):
        for m in rx.finditer(text, lower):
            hits.append(Hit(m.start(), m.end(), "prompt_echo", f"the writing instructions echoed as copy: \"{m.group().strip()}\"."))
    edge = cfg["edge_chars"]
    for key, part, offset in (("start_echoes", text[:edge], 0), ("end_echoes", text[-edge:], max(0, len(text) - edge))):
        for rx in _debris(tuple(cfg[key])):
            for m in rx.finditer(part, part.lower()):
                hits.append(Hit(offset + m.start(), offset + m.end(), "prompt_echo",
                                f"the writing instructions echoed as copy: \"{m.group().strip()}\"."))
    for rx in _debris(tuple(cfg["debris"])):
        for m in rx.finditer(text, lower):
            if m.end() > m.start():
                hits.append(Hit(m.start(), m.end(), "debris", f"template or markup debris: \"{m.group().strip()}\"."))
    stripped = text.rstrip()
    if (stripped.endswith((":", "：")) and len(stripped) >= cfg["colon_end_min_chars"]
            and not _SENTENCE_MARK.search(stripped[:-1])):
        hits.append(Hit(len(stripped) - 1, len(stripped), "cut_off", "the text ends on a colon: it stops before what it announces."))
    for m in compiled(cfg["foreign_scripts"] + "+").finditer(text):
        hits.append(Hit(m.start(), m.end(), "script", f"\"{m.group()}\" is in a script that does not belong in this copy."))
    return hits


_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def han_in_latin(text: str, cfg: dict) -> list[Hit]:
    """Chinese grammar characters strewn through English ("Hoodie 的 grid back breathes 在 pack 下面"): min_runs or more
    Han runs that are grammar words, no Han run longer than max_run characters, in text of at least
    latin_words_per_han English words per Han character. Chinese names in English copy ("北峰", "上海") are not
    grammar words."""
    runs = list(HAN_RUN.finditer(text))
    if len(runs) < cfg["min_runs"] or any(len(r.group()) > cfg["max_run"] for r in runs):
        return []
    if sum(1 for r in runs if r.group() in cfg["grammar"]) < cfg["min_runs"]:
        return []
    if len(_LATIN_WORD.findall(text)) < cfg["latin_words_per_han"] * sum(len(r.group()) for r in runs):
        return []
    return [Hit(runs[0].start(), runs[-1].end(), "script",
                f"Chinese characters strewn through English copy ({' '.join(r.group() for r in runs[:4])}).")]
