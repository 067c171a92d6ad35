"""Garble in any language: runs of numbers, dates and symbols, template debris, scripts that do not belong."""

from __future__ import annotations

import re
from functools import cache

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.numbers import value_of

NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred "
                "thousand million billion half halves third thirds quarter quarters percent").split()
_NUM = r"\d+(?:[.,:/]\d+)*"
_NUMWORD = r"(?:" + "|".join(NUMBER_WORDS) + r")(?:(?:-|\s+)(?:" + "|".join(NUMBER_WORDS) + r"))*"
_OP = r"(?:[+=*×÷]|\bplus\b|\bminus\b|\btimes\b|\(\s*[+\-=*]\s*\)|\[\s*[+\-=*]\s*\])"
_SEP = r"(?:[\s,;/:%％\-–—~]|\bper\b|\band\b|\bor\b)*"
_ITEM = rf"(?:{_NUM}|\b{_NUMWORD}\b|{_OP})"
_RUN = re.compile(rf"{_ITEM}(?:{_SEP}{_ITEM})+", re.IGNORECASE)
_GROUP = re.compile(rf"{_NUM}|\b{_NUMWORD}\b", re.IGNORECASE)
_ARITH = re.compile(_OP, re.IGNORECASE)


@cache
def _debris(patterns: tuple[str, ...]) -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns]


def number_runs(text: str, min_groups: int, brief_numbers: set[float]) -> list[Hit]:
    """A run of min_groups+ numbers with arithmetic or bracket debris between them, or of twice as many
    plain ones ("1977/2/12, 11:25(+) [+] 10%", "six hundred + ten thousand plus two thirds"). Numbers the
    brief gives (prices, sizes) do not count."""
    hits = []
    for m in _RUN.finditer(text):
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


def find(text: str, cfg: dict, brief_numbers: set[float]) -> list[Hit]:
    hits = number_runs(text, cfg["number_run_min"], brief_numbers)
    for rx in _debris(tuple(cfg["debris"])):
        for m in rx.finditer(text):
            if m.end() > m.start():
                hits.append(Hit(m.start(), m.end(), "debris", f"template or markup debris: \"{m.group().strip()}\"."))
    for m in re.finditer(cfg["foreign_scripts"] + "+", text):
        hits.append(Hit(m.start(), m.end(), "script", f"\"{m.group()}\" is in a script that does not belong in this copy."))
    return hits
