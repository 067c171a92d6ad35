"""What a pattern cannot match without, so a text without it is not scanned (issue 13 speed work).

Python's re tries an alternation of many patterns at every position of a text. Most texts can match only a few
of the alternatives, or none: `Alternation` finds, text by text, the alternatives whose needs (literals, or
one-character classes) are all there; none: no scan; one: that pattern alone (same matches, same order: an
alternative that can match nowhere in the text never wins at any position); more: the whole alternation.
Caches are keyed on patterns and words, never on text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from re import _parser as _sre  # (Python 3.11+) a pattern's parse tree

# The characters re.IGNORECASE equates with an ASCII letter (İ ı ſ K): where one occurs, a case-insensitive
# match of an ASCII literal need not be found in the text's lower case.
ODD_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")
# Non-ASCII characters without case (Han, CJK punctuation, symbols): a case-insensitive pattern matches them as written.
_CASELESS = {"Lo", "Po", "Ps", "Pe", "Pi", "Pf", "Pd", "Pc", "Sm", "Sc", "Sk", "So", "Zs"}
_REPEATS = (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None))


def _safe(ch: str, ignorecase: bool) -> bool:
    """Can the literal character be looked for as it is written (in the text's lower case when ignorecase)?"""
    if not ignorecase or ch.isascii():
        return True
    return unicodedata.category(ch) in _CASELESS and ch.lower() == ch == ch.upper()


_CATEGORIES = {_sre.CATEGORY_DIGIT: r"\d", _sre.CATEGORY_NOT_DIGIT: r"\D", _sre.CATEGORY_SPACE: r"\s",
               _sre.CATEGORY_NOT_SPACE: r"\S", _sre.CATEGORY_WORD: r"\w", _sre.CATEGORY_NOT_WORD: r"\W"}
KEEP = 3  # needs kept per pattern (each is one more look at the text)


def _probe(items, flags: int) -> re.Pattern | None:
    """A class of literals, ranges and categories (not negated) as a pattern of its own: the text has a match of it
    or not."""
    parts = []
    for o, v in items:
        if o == _sre.LITERAL:
            parts.append(re.escape(chr(v)))
        elif o == _sre.RANGE:
            parts.append(f"{re.escape(chr(v[0]))}-{re.escape(chr(v[1]))}")
        elif o == _sre.CATEGORY and v in _CATEGORIES:
            parts.append(_CATEGORIES[v])
        else:
            return None
    return re.compile(f"[{''.join(parts)}]", flags) if parts else None


def _score(option: tuple) -> tuple:
    """Literals before probes, long before short, few before many."""
    shortest = min(len(s) if isinstance(s, str) else 0.5 for s in option)
    return shortest, -len(option)


def _sequence_needs(items, ignorecase: bool) -> list[tuple]:
    """Needs of every match of the sequence: each need is a tuple of strings or probes, one of which the match has."""
    flags = re.IGNORECASE if ignorecase else 0
    options, run = [], ""
    for op, arg in items:
        if op == _sre.LITERAL and _safe(chr(arg), ignorecase):
            run += chr(arg)
            continue
        if run:
            options.append((run,))
            run = ""
        if op == _sre.LITERAL:
            options.append((_probe([(op, arg)], flags),))  # a character with case: its case variants are left to re
        elif op == _sre.SUBPATTERN:
            options += _sequence_needs(arg[-1], ignorecase)
        elif op in _REPEATS and op is not None and arg[0] >= 1:
            options += _sequence_needs(arg[2], ignorecase)
        elif op == _sre.BRANCH:
            # One alternative matches: the branch needs one of each alternative's best need.
            best = [max(_sequence_needs(alt, ignorecase), key=_score, default=None) for alt in arg[1]]
            if all(best):
                options.append(tuple(dict.fromkeys(s for need in best for s in need)))
        elif op == _sre.IN and all(o == _sre.LITERAL and _safe(chr(v), ignorecase) for o, v in arg):
            options.append(tuple(dict.fromkeys(chr(v) for _, v in arg)))
        elif op == _sre.IN:
            probe = _probe(arg, flags)
            if probe is not None:
                options.append((probe,))
        # anchors, look-arounds, negated classes, optional parts, back-references: nothing certain
    if run:
        options.append((run,))
    return options


@lru_cache(maxsize=1024)
def needs(pattern: str, flags: int = 0) -> tuple[tuple[tuple, ...] | None, bool]:
    """(needs every match has, each a tuple of strings or probes of which the match contains one (None: unknown),
    whether to look for the strings in the text's lower case). Strings of a case-insensitive pattern are given in
    lower case; the KEEP most telling needs are kept."""
    parsed = _sre.parse(pattern, flags)
    ignorecase = bool(parsed.state.flags & re.IGNORECASE)
    walked = list(_walk(parsed))
    if any(op == _sre.GROUPREF for op, _ in walked):
        return None, ignorecase  # a back-reference may refer across alternatives: kept whole
    if not ignorecase and any(op == _sre.SUBPATTERN and arg[1] & re.IGNORECASE for op, arg in walked):
        return None, ignorecase  # a (?i:...) part in a case-sensitive pattern: its literals would need both cases
    found = sorted(_sequence_needs(list(parsed), ignorecase), key=_score, reverse=True)[:KEEP]
    if ignorecase:
        found = [tuple(dict.fromkeys(s.lower() if isinstance(s, str) else s for s in need)) for need in found]
    return (tuple(found) or None), ignorecase


def _walk(items):
    for op, arg in items:
        yield op, arg
        if op == _sre.SUBPATTERN:
            yield from _walk(arg[-1])
        elif op in _REPEATS and op is not None:
            yield from _walk(arg[2])
        elif op == _sre.BRANCH:
            for alt in arg[1]:
                yield from _walk(alt)


def may_match(pattern: str, flags: int, text: str, lower: str | None = None) -> bool:
    """False only when the pattern cannot match anywhere in the text (none of its needs is there)."""
    found, ignorecase = needs(pattern, flags)
    return _present(found, ignorecase, text, lower if lower is not None else text.lower(), _odd_folds(text))


def _odd_folds(text: str) -> bool:
    return not text.isascii() and ODD_FOLDS.search(text) is not None


def _present(found: tuple | None, ignorecase: bool, text: str, lower: str, odd: bool) -> bool:
    """Has the text every need? odd: the text has one of ODD_FOLDS (then a case-insensitive pattern's strings prove
    nothing)."""
    if found is None or (ignorecase and odd):
        return True
    hay = lower if ignorecase else text
    for need in found:
        for s in need:
            if (s in hay) if isinstance(s, str) else (s.search(text) is not None):
                break
        else:
            return False  # none of this need's strings: no match anywhere
    return True


class Alternation:
    """re.compile("|".join(f"(?:{p})" for p in patterns), flags), skipped where no pattern may match the text and
    reduced to the one pattern where only one may: finditer gives the same matches in the same order."""

    def __init__(self, patterns: tuple[str, ...], flags: int = 0) -> None:
        self.patterns = tuple(patterns)
        self.flags = flags
        self._needs = [(p, *needs(p, flags)) for p in self.patterns]

    def finditer(self, text: str, lower: str | None = None):
        """lower: text.lower(), when the caller has it."""
        if lower is None:
            lower = text.lower()
        odd = _odd_folds(text)
        kept = [p for p, found, ignorecase in self._needs if _present(found, ignorecase, text, lower, odd)]
        if not kept:
            return iter(())
        # One pattern: scanned alone. More: the whole alternation (compiled once), not one compiled per subset
        # of patterns (dozens of subsets in real copy, a few ms each to compile).
        return _compiled(tuple(kept) if len(kept) == 1 else self.patterns, self.flags).finditer(text)


@lru_cache(maxsize=256)
def _compiled(patterns: tuple[str, ...], flags: int) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@lru_cache(maxsize=4096)
def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile, cached here: re's own cache holds 512 patterns and drops the oldest first, and the checks
    around the gate make enough patterns of their own (a word, a product name) that the gate's were compiled
    again and again (~40 µs each)."""
    return re.compile(pattern, flags)


def whole_word_starts(text: str, lower: str, words, rx: re.Pattern) -> list[int]:
    """[m.start() for m in rx.finditer(text)], for an rx (case-insensitive, no ODD_FOLDS in the text) that matches
    words of ASCII letters as whole words, so no two of its matches overlap; words: at least those of its words that
    are whole words of the text. Each is looked for in the lower case and rx is tried only there (its alternation
    is otherwise tried at every position)."""
    if len(lower) != len(text):
        return [m.start() for m in rx.finditer(text)]  # İ: the lower case is longer, its offsets are not the text's
    out = []
    for w in words:
        i = lower.find(w)
        while i != -1:
            if rx.match(text, i) is not None:
                out.append(i)
            i = lower.find(w, i + 1)
    return sorted(set(out))


def matches_at(rx: re.Pattern, text: str, starts, digit_runs_fail_together: bool) -> list[re.Match]:
    """rx.finditer(text) less empty matches, for an rx that matches nowhere but at the given starts (ascending).
    digit_runs_fail_together: the caller's rx can start at a digit only with an unbounded run of digits (\\d+) or
    where an ASCII digit does not precede (a look-behind for [0-9], a \\b); then where a try at an ASCII digit fails, one
    at the next digit fails too (from there the run of digits can end at fewer places, and what may follow is the
    same), and is skipped. (A full-width digit after "1" is not 0-9 to a look-behind: "１２19" matches at "２".)"""
    found, end, failed = [], 0, -2
    for pos in starts:
        if pos < end:
            continue
        if digit_runs_fail_together and pos == failed + 1 and text[pos].isdecimal() and "0" <= text[failed] <= "9":
            failed = pos
            continue
        m = rx.match(text, pos)
        if m is not None and m.end() > m.start():
            found.append(m)
            end = m.end()
        else:
            failed = pos
    return found
