"""Load the YAML rule packs (common + one per market) into compiled rules.

A rule is data: id, category, severity, lang, terms and/or patterns (or a named Python `matcher`),
exceptions, optional context rules, message, suggestion, source and examples. A broken pack fails
loudly with the file and the rule id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from studio.checks.matchers import compile_alternation
from re import _constants as sre  # the parser's node types (as prefilter.py reads them)
from re import _parser as sre_parse

from studio.checks.pattern_memo import PatternMemo, memo_path
from studio.checks.prefilter import find_at_leads, may_match
from studio.domain import CATEGORIES, Severity

# libyaml's loader when PyYAML was built with it (the wheels are): the packs parse in a fifth of the time.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PACKS_DIR = Path(__file__).with_name("packs")
PACK_NAMES = ("common", "us", "eu", "cn")
MATCHERS = {"pii", "profanity_model"}
CONTEXT_WINDOW = 40


class PackError(ValueError):
    pass


@dataclass
class Rule:
    id: str
    category: str
    severity: Severity
    message: str
    suggestion: str
    source: str
    pack: str
    lang: str | None = None  # "en", "zh" or None (any)
    regex: re.Pattern | None = None  # everything as one pattern, for a rule without parts (kit rules)
    # (regex, trigger keys or None, required atoms, lead strings or None): a part runs only if one of its
    # keys occurs in the text and, where the caller knows which atoms the text holds, each clause of atoms
    # has one present; with lead strings, it is tried only where one of them occurs (prefilter.py).
    parts: list = field(default_factory=list)
    exceptions: re.Pattern | None = None
    exception_leads: frozenset | None = None
    context_not: re.Pattern | None = None
    context_required: re.Pattern | None = None
    matcher: str | None = None
    examples: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    case_sensitive: bool = False  # kit trademark forms: matched on the original text
    # part regex -> its patterns one by one, where the part is several hand-written patterns (Alternatives)
    alternatives: dict = field(default_factory=dict)

    def find(self, text: str, feats: frozenset | set | None = None,
             found: dict[str, list[int]] | None = None) -> list[tuple[int, int]]:
        """Spans of the normalised text this rule flags, after exceptions and context rules.

        feats: features(text), if already computed; found: where the patterns' literals occur in the text
        (prefilter.LiteralIndex.find_all over this rule's atoms and leads, its alternatives' included: see
        literals()), None to run every part its trigger keys allow and look the leads up one by one.
        """
        if self.regex is None and not self.parts:
            return []
        if feats is None:
            feats = features(text)
        return self.find_in(text, [p for p in self.all_parts() if p[1] is None or not p[1].isdisjoint(feats)], found)

    def literals(self):
        """Every required atom and lead string of the rule's patterns, alternatives and exceptions: what a
        LiteralIndex must hold for find(..., found) and find_in(..., found)."""
        for _regex, _keys, clauses, leads in self.parts:
            for clause in clauses:
                yield from clause
            yield from leads or ()
        for alternatives in self.alternatives.values():
            yield from alternatives.literals()
        yield from self.exception_leads or ()

    def all_parts(self) -> list:
        """The parts find() chooses from: the rule's own, or its whole regex as one ungated part."""
        if self.parts or self.regex is None:
            return self.parts
        return [(self.regex, None, (), None)]

    def find_in(self, text: str, parts: list, found: dict[str, list[int]] | None = None) -> list[tuple[int, int]]:
        """find() over `parts`, the parts whose trigger keys the text holds (in the rule's order)."""
        matches = []
        for regex, _keys, clauses, leads in parts:
            if not clauses or may_match(clauses, found):
                if found is not None and self.alternatives:
                    alternatives = self.alternatives.get(regex)
                    if alternatives is not None:  # only the patterns that can match this text
                        narrowed = alternatives.narrowed(found)
                        if narrowed is None:
                            continue
                        regex, leads = narrowed
                matches += find_at_leads(regex, text, leads, found) if leads else regex.finditer(text)
        hits = []
        excepted = None
        for m in matches:
            s, e = m.span()
            if s == e:
                continue
            if self.exceptions is not None:
                if excepted is None:
                    spans = (find_at_leads(self.exceptions, text, self.exception_leads, found) if self.exception_leads
                             else self.exceptions.finditer(text))
                    excepted = [x.span() for x in spans]
                if any(xs <= s and e <= xe for xs, xe in excepted):
                    continue
            if self.context_not is not None or self.context_required is not None:
                window = text[max(0, s - CONTEXT_WINDOW) : e + CONTEXT_WINDOW]
                if self.context_not is not None and self.context_not.search(window):
                    continue
                if self.context_required is not None and not self.context_required.search(window):
                    continue
            hits.append((s, e))
        return hits


class Alternatives:
    """A part written as several patterns (one regex, their alternation), with each pattern's own required
    atoms and lead strings.

    A pattern none of whose required atoms occur in a text matches nowhere in it; left out of the
    alternation, the matches of the others are unchanged (at each position re tries the patterns in
    order, and one that fails everywhere never wins). The patterns left usually all have lead strings
    where the whole alternation has none (one pattern like '[a-z]+ologists' spoils it), so re runs only
    where a match can start instead of at every position of the text."""

    MAX_VARIANTS = 64  # narrowed regexes of several patterns kept per part (the sets that occur together)

    def __init__(self, patterns: list[str], memo: PatternMemo) -> None:
        self.patterns = patterns
        self.whole = compile_alternation([], patterns)  # the part's own regex
        singles = [f"(?:{p})" for p in patterns]  # what compile_alternation([], [p]) compiles
        self.clauses = [memo.required_atoms(r) for r in singles]
        self.leads = [memo.lead_strings(r) for r in singles]
        # Each pattern alone is a variant too, compiled the first time a text needs it (see narrowed()): real
        # copy mostly holds the atoms of one pattern of a part, and a compile costs ~1 ms.
        self._variants: dict[tuple[int, ...], tuple] = {}

    @classmethod
    def of(cls, patterns: list[str], memo: PatternMemo) -> "Alternatives | None":
        """None for a single pattern, or where a pattern refers to a group by number (\\1, (?(1)...)):
        leaving a pattern out would renumber the groups after it."""
        if len(patterns) < 2 or any(_refers_to_groups(p) for p in patterns):
            return None
        return cls(patterns, memo)

    def literals(self):
        for clauses, leads in zip(self.clauses, self.leads):
            for clause in clauses:
                yield from clause
            yield from leads or ()

    def narrowed(self, found: dict) -> tuple[re.Pattern, frozenset | None] | None:
        """(the alternation of the patterns that can match, their lead strings or None), None if none can."""
        active = tuple(i for i, clauses in enumerate(self.clauses) if may_match(clauses, found))
        if not active:
            return None
        variant = self._variants.get(active)
        if variant is None and len(active) == 1:  # one pattern alone: its own regex, always kept
            variant = self._variants[active] = (compile_alternation([], [self.patterns[active[0]]]), self.leads[active[0]])
        elif variant is None:
            leads = [self.leads[i] for i in active]
            if all(x is not None for x in leads):
                # Tried only where an active pattern's lead occurs, the whole alternation finds what the active
                # patterns' would (the others match nowhere in this text, so never win): nothing to compile.
                variant = (self.whole, frozenset().union(*leads))
            else:
                # compile_alternation orders patterns longest first with a stable sort: a subset keeps its order
                variant = (compile_alternation([], [self.patterns[i] for i in active]), None)
            if sum(len(k) > 1 for k in self._variants) < self.MAX_VARIANTS:
                self._variants[active] = variant
        return variant


def _refers_to_groups(pattern: str) -> bool:
    def walk(items) -> bool:
        for op, av in items:
            if op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
                return True
            for sub in (av if isinstance(av, (list, tuple)) else ()):
                if isinstance(sub, sre_parse.SubPattern) and walk(sub):
                    return True
                if isinstance(sub, (list, tuple)) and any(isinstance(x, sre_parse.SubPattern) and walk(x) for x in sub):
                    return True
        return False

    return walk(sre_parse.parse(pattern))


class RuleIndex:
    """Rules indexed by trigger key: the parts a text can run are looked up from its features, instead of
    testing every part's keys (hundreds of parts, a few dozen of which a text holds a key of).

    candidates() gives what Rule.find would run for each rule, rules and parts in their order; a rule with
    a named matcher (pii, profanity_model) is always a candidate, with no parts."""

    def __init__(self, rules: list[Rule]) -> None:
        self.rules = rules
        # Every (rule position, part or None for a matcher) numbered in rule and part order, so the chosen
        # ones come back in order by sorting their numbers.
        self._slots: list[tuple[int, tuple | None]] = []
        self._always: list[int] = []  # slots of matchers and of parts without keys
        self._by_key: dict[str, list[int]] = {}
        # Parts with required atoms (prefilter.py), by each atom of their first (most selective) clause: most
        # parts a text's keys pick need an atom it does not hold, and are dropped here, not tried one by one.
        self._gated: dict[int, tuple] = {}  # slot -> its part's clauses
        self._by_atom: dict[str, list[int]] = {}
        for i, r in enumerate(rules):
            if r.matcher:
                self._always.append(len(self._slots))
                self._slots.append((i, None))
                continue
            for part in r.all_parts():
                slot = len(self._slots)
                if part[1] is None:
                    self._always.append(slot)
                else:
                    for key in part[1]:
                        self._by_key.setdefault(key, []).append(slot)
                if part[2]:
                    self._gated[slot] = part[2]
                    for atom in part[2][0]:
                        self._by_atom.setdefault(atom, []).append(slot)
                self._slots.append((i, part))
        self._gated_slots = frozenset(self._gated)

    def candidates(self, feats, found=None) -> list[tuple[Rule, list]]:
        """[(rule, its parts whose keys occur in feats)] for each rule with at least one such part.

        found: the literals the text holds (LiteralIndex.present or find_all); then a part must also pass
        may_match, as Rule.find_in would test it (so a rule none of whose parts can match is left out)."""
        chosen = set(self._always)
        by_key = self._by_key
        for key in by_key.keys() & feats:
            chosen.update(by_key[key])
        if found is not None:
            gated = chosen & self._gated_slots
            if gated:
                passed: set[int] = set()
                by_atom = self._by_atom
                for atom in by_atom.keys() & found.keys():
                    passed.update(by_atom[atom])
                chosen -= gated - passed
                for n in gated & passed:
                    clauses = self._gated[n]
                    if len(clauses) > 1 and not may_match(clauses[1:], found):
                        chosen.discard(n)
        return self._in_order(chosen)

    def _in_order(self, chosen: set[int]) -> list[tuple[Rule, list]]:
        out: list[tuple[Rule, list]] = []
        last = -1
        slots = self._slots
        for n in sorted(chosen):
            i, part = slots[n]
            if i != last:
                out.append((self.rules[i], []))
                last = i
            if part is not None:
                out[-1][1].append(part)
        return out


_TOKEN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def features(text: str) -> set:
    """Trigger keys present in a normalised text: 3-letter word prefixes and Chinese characters.

    Python's re tries every alternative at every position, so a pack of long alternations costs
    milliseconds per text; checking a rule's keys first skips the rules that cannot match.
    """
    feats = {w[:3] for w in _TOKEN.findall(text)}
    if not text.isascii():
        feats.update(_CJK.findall(text))
    return feats


def keys_of(term: str) -> frozenset | None:
    """The trigger keys of a term (see features()): a Chinese character of it, else the first 3 letters
    of its first word, and of its words run together, the form a hashtag takes (#gogreen: "gog").

    Three letters, because inflection may change the fourth ("guy" -> "guys", "cure" -> "curing"); only
    a term's last word is inflected, so its first word is always there as written."""
    term = str(term).lower()
    cjk = _CJK.search(term)
    if cjk:
        return frozenset([cjk.group()])
    words = _TOKEN.findall(term)
    return frozenset([words[0][:3], "".join(words)[:3]]) if words else None


def term_part(terms: list[str], inflect: bool = True) -> list[tuple]:
    """[(regex, keys)] for literal terms, one small regex per trigger key (an inverted index)."""
    groups: dict[frozenset | None, list[str]] = {}
    for t in terms:
        groups.setdefault(keys_of(t), []).append(t)
    parts = []
    for keys, group in groups.items():
        regex = compile_alternation(group, [], inflect)
        if regex is not None:
            parts.append((regex, keys, (), None))
    return parts


def trigger_keys(triggers, where: str = "") -> frozenset | None:
    """The feature keys of a trigger list (see features()); None = always run."""
    if not triggers:
        return None
    for t in triggers:
        if isinstance(t, bool) or not isinstance(t, (str, int)):
            # YAML reads a bare no/yes/on/off as true/false: the rule would then never run.
            raise PackError(f"{where}: trigger {t!r} is not a word or number; quote it in the YAML ('no')")
    return frozenset(str(t).lower()[:3] if not _CJK.match(str(t)) else str(t)[0] for t in triggers)


def _compile(patterns: list[str] | None, where: str) -> re.Pattern | None:
    if not patterns:
        return None
    try:
        return re.compile("|".join(f"(?:{p})" for p in patterns))
    except re.error as exc:
        raise PackError(f"{where}: bad pattern: {exc}") from None


def _rule(raw: dict, pack: str, path: Path, memo: PatternMemo) -> Rule:
    rid = raw.get("id", "?")
    where = f"{path.name}: rule '{rid}'"
    for key in ("id", "category", "severity", "message", "source"):
        if not raw.get(key):
            raise PackError(f"{where}: missing '{key}'")
    if raw["category"] not in CATEGORIES:
        raise PackError(f"{where}: unknown category '{raw['category']}'")
    matcher = raw.get("matcher")
    if matcher and matcher not in MATCHERS:
        raise PackError(f"{where}: unknown matcher '{matcher}'")
    terms = raw.get("terms") or []
    # A pattern is a regex string (gated by the rule's `triggers`) or {pattern, triggers}: its own gate.
    gated = [x for x in raw.get("patterns") or [] if isinstance(x, dict)]
    patterns = [x for x in raw.get("patterns") or [] if not isinstance(x, dict)]
    for g in gated:
        if not isinstance(g.get("pattern"), str):
            raise PackError(f"{where}: a pattern mapping needs 'pattern' (and optionally 'triggers')")
    if not (terms or patterns or gated or matcher):
        raise PackError(f"{where}: needs terms, patterns or a matcher")
    try:
        parts = []
        if terms:
            parts += term_part(terms, raw.get("inflect", True))
        # Hand-written patterns also carry their required atoms (see prefilter.py); term parts are
        # cheap already.
        alternatives = {}
        if patterns:
            regex_ = compile_alternation([], patterns)
            parts.append((regex_, trigger_keys(raw.get("triggers"), where), memo.required_atoms(regex_),
                          memo.lead_strings(regex_)))
            if (alts := Alternatives.of(patterns, memo)) is not None:
                alternatives[regex_] = alts
        for g in gated:
            regex_ = compile_alternation([], [g["pattern"]])
            parts.append((regex_, trigger_keys(g.get("triggers"), where), memo.required_atoms(regex_),
                          memo.lead_strings(regex_)))
        # The whole rule as one regex only where it has no parts (a matcher's rule has neither): the parts are
        # what runs, and compiling every pattern twice was a third of loading the packs.
        regex = None if parts else compile_alternation(terms, patterns, inflect=raw.get("inflect", True))
    except re.error as exc:
        raise PackError(f"{where}: bad pattern: {exc}") from None
    exc_terms = [compile_alternation([t], []).pattern for t in raw.get("exception_terms") or []]
    exceptions = _compile((raw.get("exceptions") or []) + exc_terms, where)
    return Rule(
        id=raw["id"],
        category=raw["category"],
        severity=Severity(raw["severity"]),
        message=raw["message"].strip(),
        suggestion=(raw.get("suggestion") or "").strip(),
        source=raw["source"].strip(),
        pack=pack,
        lang=raw.get("lang"),
        regex=regex,
        parts=parts,
        exceptions=exceptions,
        exception_leads=memo.lead_strings(exceptions) if exceptions is not None else None,
        context_not=_compile(raw.get("context_not"), where),
        context_required=_compile(raw.get("context_required"), where),
        matcher=matcher,
        examples=raw.get("examples") or {},
        params=raw.get("params") or {},
        alternatives=alternatives,
    )


def load_pack_file(path: Path, memo: PatternMemo | None = None) -> list[Rule]:
    """The rules of one pack file; memo: the patterns' analysis remembered across processes (none: in memory)."""
    memo = memo if memo is not None else PatternMemo()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackError(f"{path.name}:{mark.line + 1 if mark else '?'}: invalid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise PackError(f"{path.name}: a pack is a mapping with a 'rules' list")
    pack = data.get("pack") or path.stem
    rules = [_rule(r, pack, path, memo) for r in data["rules"]]
    seen: set[str] = set()
    for r in rules:
        if r.id in seen:
            raise PackError(f"{path.name}: duplicate rule id '{r.id}'")
        seen.add(r.id)
    return rules


@cache
def load_packs() -> dict[str, list[Rule]]:
    """{"common": [...], "US": [...], "EU": [...], "CN": [...]}"""
    out = {}
    memo = PatternMemo(memo_path())
    for name in PACK_NAMES:
        key = "common" if name == "common" else name.upper()
        out[key] = load_pack_file(PACKS_DIR / f"{name}.yaml", memo)
    memo.save()
    return out


@cache
def load_tones() -> dict:
    return yaml.safe_load((PACKS_DIR / "tones.yaml").read_text(encoding="utf-8"))
