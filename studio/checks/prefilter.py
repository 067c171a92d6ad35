"""Run a hand-written pattern only where it can match: literal prefilters for Python's re.

Python's re cannot skip ahead in a pattern that starts with a word boundary or an optional group,
so it tries the pattern at every position of the text (~20-90 µs on a 100-word text for the long
ones in the packs), nearly always to find nothing. Like RE2's and Hyperscan's prefilters, we read each
pattern's syntax tree once and derive two things:

- *required atoms*: sets of literal strings such that every match contains one string of each set
  ('\\b(?:guaranteed|assured) (?:returns?|profits?)' needs "guaranteed return", "assured profit", ...).
  A pattern none of whose atoms occur in a text cannot match and is not run (may_match).
- *lead strings*: strings one of which every match starts with. re.match is then tried only where a
  lead occurs, with the same matches as a scan of the whole text (find_at_leads).

One Aho-Corasick pass over the text finds every atom and lead of every pattern (LiteralIndex, ~15 µs).
The derivation is conservative: whatever it cannot reason about (classes like \\w, backreferences,
case-insensitive groups) gives no atoms or no leads, so a pattern is never skipped wrongly, only
sometimes run for nothing. tests/test_prefilter.py checks both against plain scans of the labelled texts.
"""

from __future__ import annotations

import re
from re import _constants as sre  # the parser's node types (stable since Python 3.11)
from re import _parser as sre_parse

import ahocorasick_rs

MAX_STRINGS = 32  # a finite set of strings larger than this is cut into a shorter requirement
MAX_CLASS = 8  # a character class of at most this many characters is treated as a set of strings
MIN_ATOM = 2  # single characters occur in nearly every text: useless as a filter
MAX_CLAUSES = 2  # how many requirements of one pattern are checked (the most selective ones)
DIGIT = "\x00\\d"  # the lead "any character \d matches" (NUL never occurs in a pack pattern)
_DIGITS = re.compile(r"\d")

Clause = frozenset  # of str: at least one of them occurs in every match


class _Lang:
    """What is known of the strings a piece of pattern matches: exactly `strings` (a finite set), or
    else only `clauses`, each a set of which every match contains one."""

    __slots__ = ("strings", "clauses")

    def __init__(self, strings: set[str] | None = None, clauses: list[Clause] | None = None) -> None:
        self.strings = strings
        self.clauses = clauses or []

    def best(self) -> Clause | None:
        if self.strings is not None:
            return _tidy(self.strings)
        usable = [c for c in (_tidy(c) for c in self.clauses) if c]
        return max(usable, key=_selectivity) if usable else None


_ANYTHING = _Lang()  # no requirement, not a finite set
_EMPTY = {""}  # zero-width: \b, ^, look-arounds


def _tidy(strings) -> Clause | None:
    """Drop strings that contain another one of the set (finding the shorter suffices); None if the
    set allows the empty string."""
    if not strings or "" in strings:
        return None
    ordered = sorted(set(strings), key=len)
    kept: list[str] = []
    for s in ordered:
        if not any(k in s for k in kept):
            kept.append(s)
    return frozenset(kept)


def _selectivity(clause: Clause) -> tuple[int, int]:
    return min(len(s) for s in clause), -len(clause)


def _sequence(items, ignorecase: bool) -> _Lang:
    current: set[str] = {""}  # the strings the items since the last cut match, concatenated
    clauses: list[Clause] = []
    finite = True

    def cut() -> None:
        nonlocal current, finite
        finite = False
        if "" not in current:
            clauses.append(frozenset(current))
        current = {""}

    for op, av in items:
        part = _node(op, av, ignorecase)
        if part.strings is not None:
            if len(current) * len(part.strings) <= MAX_STRINGS:
                current = {a + b for a in current for b in part.strings}
            else:
                cut()
                current = set(part.strings)
        else:
            cut()
            clauses += part.clauses
    if finite:
        return _Lang(strings=current)
    cut()
    return _Lang(clauses=clauses)


def _node(op, av, ignorecase: bool) -> _Lang:
    if op is sre.LITERAL:
        return _ANYTHING if ignorecase else _Lang(strings={chr(av)})
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):  # zero-width; a look-around's own content is ignored
        return _Lang(strings=set(_EMPTY))
    if op is sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                chars.add(chr(value))
            elif kind is sre.RANGE and value[1] - value[0] < MAX_CLASS:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:  # NEGATE, CATEGORY (\w, \s, \d) or a wide range
                return _ANYTHING
        return _Lang(strings=chars) if len(chars) <= MAX_CLASS and not ignorecase else _ANYTHING
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return _sequence(body, ignorecase or bool(add_flags & sre.SRE_FLAG_IGNORECASE))
    if op is sre.ATOMIC_GROUP:
        return _sequence(av, ignorecase)
    if op is sre.BRANCH:
        branches = [_sequence(b, ignorecase) for b in av[1]]
        if all(b.strings is not None for b in branches):
            union = set().union(*(b.strings for b in branches))
            if len(union) <= MAX_STRINGS:
                return _Lang(strings=union)
        bests = [b.best() for b in branches]
        if any(c is None for c in bests):
            return _ANYTHING
        return _Lang(clauses=[frozenset().union(*bests)])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _sequence(body, ignorecase)
        if low == 0:
            if high == 1 and inner.strings is not None:
                return _Lang(strings=inner.strings | _EMPTY)
            return _ANYTHING
        if low == high == 1:
            return inner
        best = inner.best()  # one or more repetitions contain at least one
        return _Lang(clauses=[best] if best else [])
    return _ANYTHING  # ANY, NOT_LITERAL, GROUPREF, conditionals ...


def required_atoms(pattern: str | re.Pattern) -> tuple[Clause, ...]:
    """The requirements of a pattern: every match contains one string of each clause.

    () means no requirement (the pattern must always run).
    """
    regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    parsed = sre_parse.parse(regex.pattern, regex.flags)
    if (regex.flags | parsed.state.flags) & re.IGNORECASE:
        return ()
    lang = _sequence(parsed, False)
    clauses = [lang.best()] if lang.strings is not None else [_tidy(c) for c in lang.clauses]
    usable = {c for c in clauses if c and min(len(s) for s in c) >= MIN_ATOM}
    return tuple(sorted(usable, key=_selectivity, reverse=True)[:MAX_CLAUSES])


# ---------------------------------------------------------------- where a match can start

MAX_LEADS = 64  # more possible openings than this: the pattern is scanned as usual
LEAD_CHARS = 12  # openings are followed this far into the pattern (longer = fewer false candidates)
MAX_LEAD_CLASS = 16  # a class of at most this many listed characters opens a match with one of them


def _openings(items, ignorecase: bool) -> set[tuple[str, bool]] | None:
    """{(s, whole)}: every match of `items` starts with one of the strings s; whole=True when s is
    the entire match (so what follows the items continues it). None when there are too many."""
    current: set[tuple[str, bool]] = {("", True)}
    for op, av in items:
        if all(not whole or len(s) >= LEAD_CHARS for s, whole in current):
            break
        part = _opening_of(op, av, ignorecase)
        if part is None:
            return {(s, False) for s, _ in current}
        grown = set()
        for s, whole in current:
            if not whole or len(s) >= LEAD_CHARS:
                grown.add((s, False))
            else:  # DIGIT stands for a class, not text: it can only open a match, not continue a string
                grown.update((s, False) if t == DIGIT and s else (s + t, w) for t, w in part)
        if len(grown) > MAX_LEADS:
            return {(s, False) for s, _ in current}
        current = grown
    return current


def _shrink(openings: set[tuple[str, bool]]) -> set[tuple[str, bool]] | None:
    """At most MAX_LEADS openings: cut them to shorter prefixes (still openings of every match) if needed."""
    for width in (None, 8, 6, 4, 3, 2):
        if width is not None:
            openings = {(s, w) if s == DIGIT or len(s) <= width else (s[:width], False) for s, w in openings}
        if len(openings) <= MAX_LEADS:
            return openings
    return None


def _opening_of(op, av, ignorecase: bool) -> set[tuple[str, bool]] | None:
    if op in (sre.SUBPATTERN, sre.ATOMIC_GROUP, sre.BRANCH):
        if op is sre.SUBPATTERN:
            ignorecase = ignorecase or bool(av[1] & sre.SRE_FLAG_IGNORECASE)
        bodies = [av[3]] if op is sre.SUBPATTERN else [av] if op is sre.ATOMIC_GROUP else av[1]
        out: set[tuple[str, bool]] = set()
        for body in bodies:
            part = _openings(body, ignorecase)
            if part is None:
                return None
            out |= part
        return _shrink(out)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, body = av
        inner = _openings(body, ignorecase)
        if inner is None:
            return None
        once = inner if high == 1 else {(s, False) for s, _ in inner}  # more may follow
        return once | {("", True)} if low == 0 else once
    if op is sre.IN and not ignorecase and any(kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT for kind, value in av):
        # \d is any Unicode digit, not only 0-9: its positions are found with \d itself (DIGIT).
        if all(kind is sre.LITERAL or (kind is sre.CATEGORY and value is sre.CATEGORY_DIGIT) for kind, value in av):
            return {(DIGIT, False)} | {(chr(value), False) for kind, value in av if kind is sre.LITERAL}
        return None
    if op is sre.IN and not ignorecase and MAX_CLASS < len(av) <= MAX_LEAD_CLASS and all(kind is sre.LITERAL for kind, _ in av):
        # A longer list of characters ([一二三四五六七八九十两]) still opens a match with one of them.
        return {(chr(value), True) for _kind, value in av}
    lang = _node(op, av, ignorecase)  # a literal, a small class or a zero-width assertion
    if lang.strings is None:
        return {("", False)}  # unknown from here on
    return {(s, True) for s in lang.strings}


def lead_strings(pattern: str | re.Pattern) -> frozenset[str] | None:
    """Strings one of which every match starts with, or None if that cannot be said (a match may
    start with anything, or could be empty). Where a pattern can start is then found with str.find
    (see find_at_leads), instead of re trying it at every position of the text."""
    regex = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern)
    parsed = sre_parse.parse(regex.pattern, regex.flags)
    if (regex.flags | parsed.state.flags) & re.IGNORECASE:
        return None
    openings = _openings(parsed, False)
    if openings is None or any(not s for s, _ in openings):
        return None
    leads = sorted({s for s, _ in openings}, key=len)
    kept: list[str] = []
    for s in leads:  # a string that starts with a shorter lead adds no position
        if not any(s.startswith(k) for k in kept):
            kept.append(s)
    return frozenset(kept)


# ---------------------------------------------------------------- per text

class LiteralIndex:
    """The literals the patterns need (required atoms, lead strings) in one Aho-Corasick automaton: one
    pass over a text finds every place each of them occurs."""

    def __init__(self, literals) -> None:
        self.literals = sorted({lit for lit in literals if lit != DIGIT})
        self._automaton = (ahocorasick_rs.AhoCorasick(self.literals, matchkind=ahocorasick_rs.MatchKind.Standard)
                           if self.literals else None)

    def present(self, text: str) -> Present:
        """The literals that occur in the text; where each occurs is looked up only when asked (see Present).
        Stands in for find_all(text) wherever a `found` is taken."""
        if self._automaton is None:
            return Present(text)
        return Present(text, self._automaton.find_matches_as_strings(text, overlapping=True))

    def find_all(self, text: str) -> dict[str, list[int]]:
        """{literal: its start positions, ascending} for each literal that occurs (overlaps included)."""
        found: dict[str, list[int]] = {}
        if self._automaton is None:
            return found
        literals = self.literals
        for i, start, _end in self._automaton.find_matches_as_indexes(text, overlapping=True):
            positions = found.get(literals[i])
            if positions is None:
                found[literals[i]] = [start]
            else:
                positions.append(start)
        return found


class Present(set):
    """The literals of a LiteralIndex found in one text, usable as find_all(text)'s dict: keys() and
    found[literal] (its start positions, ascending, overlaps included). A text holds ~200 literal
    occurrences, nearly all of short atoms only tested for presence; the positions of the few leads
    find_at_leads asks for are found with str.find instead of being collected for every occurrence."""

    __slots__ = ("text", "_positions")

    def __init__(self, text: str, literals=()) -> None:
        super().__init__(literals)
        self.text = text
        self._positions: dict[str, list[int]] = {}

    def keys(self) -> Present:
        return self

    def __getitem__(self, literal: str) -> list[int]:
        positions = self._positions.get(literal)
        if positions is None:
            if literal not in self:
                raise KeyError(literal)
            positions = []
            i = self.text.find(literal)
            while i >= 0:
                positions.append(i)
                i = self.text.find(literal, i + 1)
            self._positions[literal] = positions
        return positions


# A re.match call costs about as much as re scanning 5 characters: with more candidates than one per
# 5 characters left, one scan from the first candidate is cheaper.
CHARS_PER_CANDIDATE = 5


def find_at_leads(regex: re.Pattern, text: str, leads: frozenset[str],
                  found: dict[str, list[int]] | None = None) -> list[re.Match]:
    """The same matches as list(regex.finditer(text)), for a pattern whose matches all start with one of
    `leads`: re.match is tried only where a lead occurs (search would fail everywhere else), in order,
    skipping positions inside the previous match, as finditer does. Matches are never empty (they start
    with a lead), and match(text, pos) sees the text before pos, as search does.

    found: LiteralIndex.find_all(text) or .present(text), if it was built with these leads; else each lead is
    looked up."""
    starts: set[int] = set()
    if found is not None:  # only the leads that occur (a set intersection, not a lookup per lead)
        for lead in found.keys() & leads:
            starts.update(found[lead])
        if DIGIT in leads:
            starts.update(m.start() for m in _DIGITS.finditer(text))
    else:
        for lead in leads:
            if lead == DIGIT:
                starts.update(m.start() for m in _DIGITS.finditer(text))
                continue
            i = text.find(lead)
            while i >= 0:
                starts.add(i)
                i = text.find(lead, i + 1)
    if not starts:
        return []
    first = min(starts)
    if len(starts) * CHARS_PER_CANDIDATE > len(text) - first:
        return list(regex.finditer(text, first))
    out = []
    end = 0
    for pos in sorted(starts):
        if pos < end:
            continue
        m = regex.match(text, pos)
        if m is not None:
            out.append(m)
            end = m.end()
    return out


def may_match(clauses: tuple[Clause, ...], present: dict | set | None) -> bool:
    """False only when a required clause has no atom in the text (present=None: unknown, run it)."""
    if present is None:
        return True
    # A dict's keys view tests disjointness over the smaller side (frozenset.isdisjoint(dict) walks the dict).
    keys = present.keys() if isinstance(present, dict) else present
    for clause in clauses:
        if keys.isdisjoint(clause):
            return False
    return True
