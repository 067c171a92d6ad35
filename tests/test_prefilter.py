"""The prefilter may skip a pattern only when it cannot match: a skipped rule is a missed finding."""

from __future__ import annotations

import re

import pytest

from studio.checks import get_checker
from studio.checks.normalize import normalize
from studio.checks.packs import load_packs
from studio.checks.prefilter import LiteralIndex, find_at_leads, lead_strings, may_match, required_atoms
from tests.text_corpus import corpus



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


def test_literal_index_reports_every_place_of_overlapping_literals():
    index = LiteralIndex(["ever", "every", "very", "one", "冷泡"])
    assert index.find_all("everyone, every one") == {"ever": [0, 10], "every": [0, 10], "very": [1, 11], "one": [5, 16]}
    assert index.find_all("茶园冷泡，冷泡") == {"冷泡": [2, 5]}  # positions count characters
    assert index.find_all("nothing here") == {}
    assert may_match((frozenset({"every"}), frozenset({"one", "two"})), index.find_all("everyone"))
    assert not may_match((frozenset({"every"}), frozenset({"two"})), index.find_all("everyone"))
    assert may_match((frozenset({"x"}),), None)  # atoms unknown: run the pattern


def _texts() -> list[str]:
    return corpus(seed=7)


def test_prefilter_never_skips_a_pattern_that_matches():
    """Every hand-written pattern of every pack, over the labelled texts and every rule example:
    whenever the pattern matches, its required atoms are present."""
    checker = get_checker(None)
    texts = [normalize(t).text for t in _texts()]
    parts = [(r.id, regex, clauses) for rules in load_packs().values() for r in rules
             for regex, _keys, clauses, _leads in r.parts if clauses]
    assert len(parts) >= 40  # most hand-written patterns have a requirement
    checked = 0
    for text in texts:
        present = checker.literal_index.find_all(text)
        for rid, regex, clauses in parts:
            if regex.search(text):
                checked += 1
                assert may_match(clauses, present), (rid, text, [sorted(c) for c in clauses])
    assert checked > 500


def test_findings_are_the_same_with_and_without_the_prefilter(monkeypatch):
    """The whole check on the labelled texts, with the atoms found and with the prefilter switched off."""
    checker = get_checker(None)
    # Each text in one market (every third text in each): every market's rules are reached, at a third of the cost.
    texts = [(t, ("US", "EU", "CN")[i % 3]) for i, t in enumerate(_texts())]
    with_prefilter = [checker.check_text(t, market=m).model_dump() for t, m in texts]
    monkeypatch.setattr(checker, "literal_index", type("AllUnknown", (), {"present": staticmethod(lambda text: None)})())
    without = [checker.check_text(t, market=m).model_dump() for t, m in texts]
    assert with_prefilter == without
    assert sum(len(r["findings"]) for r in without) > 1000


@pytest.mark.parametrize(("pattern", "leads"), [
    (r"\b(?:guaranteed|risk[\s-]free) (?:returns?|profits?)",
     {"guaranteed return", "guaranteed profit", "risk"}),
    (r"\b(?:the )?(?:best|most \w+) ever", {"the best eve", "the most ", "best ever", "most "}),
    (r"(?<![\w])#\s?1", {"#"}),  # look-arounds take no room
    (r"最(?:好|佳)", {"最好", "最佳"}),
])
def test_lead_strings(pattern, leads):
    assert lead_strings(pattern) == leads


@pytest.mark.parametrize("pattern", [r"\b\w+est\b", r"(?:best)?", r"(?i)best", r"[\w.]+@"])
def test_no_leads_where_a_match_may_start_anywhere(pattern):
    assert lead_strings(pattern) is None


def test_digits_are_found_in_every_script():
    r"""\d is any Unicode digit; a lead on 0-9 only would miss '٣ in 4'."""
    regex = re.compile(r"\b\d+ (?:out of|in) \d+")
    text = "9 out of 10, and ٣ in 4"
    assert [m.group() for m in find_at_leads(regex, text, lead_strings(regex))] == ["9 out of 10", "٣ in 4"]


def test_matching_at_leads_equals_scanning_the_whole_text():
    """For every hand-written pattern and exception list of every pack, over the labelled texts, the rule
    examples, joined pairs and long texts: the same matches, in the same order."""
    # Every other text (a loop over every pattern for each is the cost), and long texts of 12 (many candidates each)
    texts = [normalize(t).text for t in _texts()]
    texts = texts[::2] + [" ".join(texts[i : i + 12]) for i in range(0, len(texts), 36)]
    regexes = [(r.id, regex, leads) for rules in load_packs().values() for r in rules
               for regex, _keys, _clauses, leads in r.parts if leads]
    regexes += [(r.id, r.exceptions, r.exception_leads) for rules in load_packs().values() for r in rules
                if r.exception_leads]
    assert len(regexes) >= 40
    index = LiteralIndex(lead for _rid, _regex, leads in regexes for lead in leads)
    matched = 0
    for text in texts:
        found = index.find_all(text)
        for rid, regex, leads in regexes:
            expected = [m.span() for m in regex.finditer(text)]
            assert [m.span() for m in find_at_leads(regex, text, leads)] == expected, (rid, text)
            assert [m.span() for m in find_at_leads(regex, text, leads, found)] == expected, (rid, text)
            matched += bool(expected)
    assert matched > 300


def test_trigger_words_never_hide_a_match():
    """A rule's hand-written trigger words gate its patterns; a forgotten word means a missed finding.
    Over the labelled texts and every rule example: whenever a pattern matches, a trigger word is there."""
    from studio.checks.packs import features

    texts = [normalize(t).text for t in _texts()]
    parts = [(r.id, regex, keys) for rules in load_packs().values() for r in rules
             for regex, keys, _clauses, _leads in r.parts if keys is not None]
    hidden = set()
    for text in texts:
        feats = features(text)
        for rid, regex, keys in parts:
            if keys.isdisjoint(feats) and regex.search(text):
                hidden.add((rid, regex.search(text).group()))
    assert not hidden, sorted(hidden)[:10]
