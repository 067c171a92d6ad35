"""Garble in any language: runs of numbers, dates and symbols, template debris, scripts that do not belong."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.numbers import value_of
from studio.language import HAN

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
_PHONE = re.compile(r"\+\d{1,3}(?:[ \-]\d{1,5}){2,5}")
# Where a _RUN match can start: a digit, an operator's first character, or a word that starts like a number
# word or plus/minus/times (the same IGNORECASE folds as _RUN).
_RUN_STARTS = re.compile(r"[\d+=*×÷(\[]|\b[" + "".join(sorted({w[0] for w in NUMBER_WORDS} | set("pmt"))) + "]",
                         re.IGNORECASE)


def run_matches(text: str) -> list[re.Match]:
    """_RUN.finditer(text), tried only where a match can start (same matches, same order): the alternation of
    number words is otherwise tried at every position."""
    found, end = [], 0
    for s in _RUN_STARTS.finditer(text):
        pos = s.start()
        if pos < end:
            continue
        m = _RUN.match(text, pos)
        if m is not None:  # an item is never empty: neither is a match
            found.append(m)
            end = m.end()
    return found


@cache
def _debris(patterns: tuple[str, ...]) -> list[re.Pattern]:
    """One pattern for the whole list (one scan of the text instead of one per entry)."""
    return [re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE | re.MULTILINE)] if patterns else []


def number_runs(text: str, min_groups: int, brief_numbers: set[float]) -> list[Hit]:
    """A run of min_groups+ numbers with arithmetic or bracket debris between them, or of twice as many
    plain ones ("1977/2/12, 11:25(+) [+] 10%", "six hundred + ten thousand plus two thirds"). Numbers the
    brief gives (prices, sizes) do not count."""
    hits = []
    for m in run_matches(text):
        if _PHONE.fullmatch(m.group().strip()):
            continue  # an international phone number ("+1 206 555 0147"): PII, not garble
        groups = [g.group() for g in _GROUP.finditer(m.group())]
        values = []
        for g in groups:
            if g[0].isdigit():
                values += [float(d) for d in re.findall(r"\d+", g)]
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


_PLAIN = re.compile(r"[\w\s.,;:!?'\"()\[\]\-–—/%$€£¥&+@#*~、，。！？：；（）“”‘’…·｜|]*")


def symbol_runs(text: str, cfg: dict) -> list[Hit]:
    hits: list[Hit] = []
    if _PLAIN.fullmatch(text):
        return hits  # letters, digits and ordinary punctuation only
    i, n = 0, len(text)
    while i < n:
        if _is_symbol(text[i]) and not _is_emoji(text[i]):
            j, count = i, 0
            while j < n and (text[j] == " " or (_is_symbol(text[j]) and not _is_emoji(text[j]))):
                count += text[j] != " "
                j += 1
            if count >= cfg["symbol_run_min"]:
                hits.append(Hit(i, j, "symbol_run", f"a run of {count} symbols."))
            i = j
        else:
            i += 1
    for m in re.finditer(r"(\S)\1{2,}", text):
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


def repeated_units(text: str, times: int) -> list[Hit]:
    rx = re.compile(r"(\S{2,12}?)(?:\s*\1){%d,}" % (times - 1))
    hits = []
    for m in rx.finditer(text):
        unit = m.group(1)
        if len(set(unit)) == 1:
            continue  # 哈哈哈, !!!: one character repeated is emphasis, not a broken fragment
        hits.append(Hit(m.start(), m.end(), "repeated", f"\"{unit}\" repeated {m.group().count(unit)} times."))
    # One Han character four times in a row ("日日日日"), except laughter and other interjections.
    for m in re.finditer(r"([\u3400-\u9fff])\1{3,}", text):
        if m.group(1) not in "哈呵嘿嘻啦哇呜嗯啊哦噢嘤":
            hits.append(Hit(m.start(), m.end(), "repeated", f"\"{m.group(1)}\" {len(m.group())} times in a row."))
    return hits


def find(text: str, cfg: dict, brief_numbers: set[float], field: str | None = None) -> list[Hit]:
    hits = number_runs(text, cfg["number_run_min"], brief_numbers)
    hits += symbol_runs(text, cfg)
    hits += punctuation_runs(text, cfg["punctuation_run_min"])
    hits += repeated_units(text, cfg["repeat_unit_times"])
    if field is not None:
        for m in _debris((cfg["field_labels"],))[0].finditer(text):
            hits.append(Hit(m.start(), m.end(), "debris", f"a field label inside the {field}: \"{m.group().strip()}\"."))
        for rx in _debris(tuple(cfg["field_echoes"])):
            for m in rx.finditer(text):
                hits.append(Hit(m.start(), m.end(), "debris", f"the writing instructions echoed: \"{m.group().strip()}\"."))
    echoes = cfg["prompt_echoes"] + (cfg["prompt_echoes_zh"] if HAN.search(text) else [])
    for rx in _debris(tuple(echoes)):
        for m in rx.finditer(text):
            hits.append(Hit(m.start(), m.end(), "prompt_echo", f"the writing instructions echoed as copy: \"{m.group().strip()}\"."))
    for rx in _debris(tuple(cfg["debris"])):
        for m in rx.finditer(text):
            if m.end() > m.start():
                hits.append(Hit(m.start(), m.end(), "debris", f"template or markup debris: \"{m.group().strip()}\"."))
    stripped = text.rstrip()
    if (stripped.endswith((":", "：")) and len(stripped) >= cfg["colon_end_min_chars"]
            and not re.search(r"[.!?。！？\n]", stripped[:-1])):
        hits.append(Hit(len(stripped) - 1, len(stripped), "cut_off", "the text ends on a colon: it stops before what it announces."))
    for m in re.finditer(cfg["foreign_scripts"] + "+", text):
        hits.append(Hit(m.start(), m.end(), "script", f"\"{m.group()}\" is in a script that does not belong in this copy."))
    return hits
