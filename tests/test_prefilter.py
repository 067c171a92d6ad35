"""The prefilter may skip a pattern only when it cannot match: a skipped rule is a missed finding."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from studio.checks import get_checker
from studio.checks.normalize import normalize
from studio.checks.packs import load_packs
from studio.checks.prefilter import AtomIndex, may_match, required_atoms

EVALS = Path(__file__).resolve().parents[1] / "evals" / "checks"


@pytest.mark.parametrize(("pattern", "clauses"), [
    (r"\b(?:guaranteed|assured) (?:returns?|profits?)",
     [{"guaranteed return", "guaranteed profit", "assured return", "assured profit"}]),
    (r"\btoo old (?:to|for)\b", [{"too old to", "too old for"}]),
    (r"最(?:好|佳)", [{"最好", "最佳"}]),
    (r"\b\w+est\b", [{"est"}]),  # only the literal part of a word is known
    (r"(?:ab){2,3}cd", [{"cd"}, {"ab"}]),  # every clause must be met
])
def test_required_atoms(pattern, clauses):
    assert sorted(map(sorted, required_atoms(pattern))) == sorted(map(sorted, clauses))


@pytest.mark.parametrize("pattern", [
    r"(?i)best",  # case-insensitive: the text's case is unknown
    r"x(?=abc)",  # the look-ahead's content is not part of the match
    r"\d+|bestsellers?",  # a branch with no literal of two characters
    r"(?:best)?",  # may match the empty string
])
def test_no_requirement_where_none_is_certain(pattern):
    assert required_atoms(pattern) == ()


def test_atom_index_reports_overlapping_atoms():
    index = AtomIndex(["ever", "every", "very", "one"])
    assert index.present("everyone") == {"ever", "every", "very", "one"}
    assert index.present("nothing here") == set()
    assert may_match((frozenset({"every"}), frozenset({"one", "two"})), index.present("everyone"))
    assert not may_match((frozenset({"every"}), frozenset({"two"})), index.present("everyone"))
    assert may_match((frozenset({"x"}),), None)  # atoms unknown: run the pattern


def _texts() -> list[str]:
    texts = [json.loads(line)["text"] for f in sorted(EVALS.glob("*.jsonl")) for line in f.open(encoding="utf-8")]
    for rules in load_packs().values():
        for r in rules:
            for examples in r.examples.values():
                texts += examples
    rng = random.Random(7)
    texts += [rng.choice(texts) + " " + rng.choice(texts) for _ in range(300)]
    return texts


def test_prefilter_never_skips_a_pattern_that_matches():
    """Every hand-written pattern of every pack, over the labelled texts and every rule example:
    whenever the pattern matches, its required atoms are present."""
    checker = get_checker(None)
    texts = [normalize(t).text for t in _texts()]
    parts = [(r.id, regex, clauses) for rules in load_packs().values() for r in rules
             for regex, _keys, clauses in r.parts if clauses]
    assert len(parts) >= 40  # most hand-written patterns have a requirement
    checked = 0
    for text in texts:
        present = checker.atom_index.present(text)
        for rid, regex, clauses in parts:
            if regex.search(text):
                checked += 1
                assert may_match(clauses, present), (rid, text, [sorted(c) for c in clauses])
    assert checked > 500


def test_findings_are_the_same_with_and_without_the_prefilter(monkeypatch):
    """The whole check on the labelled texts, with the atoms found and with the prefilter switched off."""
    checker = get_checker(None)
    texts = _texts()
    with_prefilter = [checker.check_text(t, market=m).model_dump() for t in texts for m in ("US", "EU", "CN")]
    monkeypatch.setattr(checker, "atom_index", type("AllUnknown", (), {"present": staticmethod(lambda text: None)})())
    without = [checker.check_text(t, market=m).model_dump() for t in texts for m in ("US", "EU", "CN")]
    assert with_prefilter == without
    assert sum(len(r["findings"]) for r in without) > 1000
