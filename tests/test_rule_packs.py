"""Every rule pack loads, and every rule's own examples behave: the YAML data is the test."""

from __future__ import annotations

import pytest

from studio.checks.normalize import normalize
from studio.checks.packs import PACK_NAMES, PACKS_DIR, PackError, load_pack_file, load_packs, load_tones
from studio.checks.pii import find_pii
from studio.checks.profanity import get_model
from studio.domain import CATEGORIES

RULES = [r for rules in load_packs().values() for r in rules]


def _hits(rule, text: str) -> bool:
    t = normalize(text).text
    if rule.matcher == "pii":
        return any(sev != "info" for *_, sev, _msg in find_pii(t))
    if rule.matcher == "profanity_model":
        return get_model().score(t)[0] >= rule.params.get("threshold", 0.9)
    return bool(rule.find(t))


@pytest.mark.parametrize("name", PACK_NAMES)
def test_pack_loads(name):
    rules = load_pack_file(PACKS_DIR / f"{name}.yaml")
    assert rules
    for r in rules:
        assert r.category in CATEGORIES
        assert r.source and r.message


def test_tones_load():
    tones = load_tones()
    assert "hype" in tones["tones"] and all(0 < v < 1 for v in tones["similarity_threshold"].values())


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples(rule):
    pos, neg = rule.examples.get("positive") or [], rule.examples.get("negative") or []
    assert pos and neg, f"{rule.id} needs positive and negative examples"
    for text in pos:
        assert _hits(rule, text), f"{rule.id} should flag: {text}"
    for text in neg:
        assert not _hits(rule, text), f"{rule.id} should not flag: {text}"


def test_broken_pack_names_the_rule(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - id: x.y\n    category: nonsense\n    severity: warn\n    message: m\n    source: s\n    terms: [a]\n")
    with pytest.raises(PackError, match="x.y.*unknown category"):
        load_pack_file(bad)


def test_a_bare_no_as_trigger_is_refused(tmp_path):
    """YAML reads [nobody, no] as ["nobody", False]: the pattern would silently never run on "no"."""
    pack = tmp_path / "p.yaml"
    pack.write_text("rules:\n  - id: t.no\n    category: absolute_claim\n    severity: warn\n    message: m\n    source: s\n"
                    "    patterns: ['\\bno \\w+ compares']\n    triggers: [nobody, no]\n")
    with pytest.raises(PackError, match="t.no.*trigger False.*quote it"):
        load_pack_file(pack)
    pack.write_text(pack.read_text().replace("[nobody, no]", "[nobody, 'no']"))
    (rule,) = load_pack_file(pack)
    assert rule.find("no jacket compares") == [(0, 18)]


def test_pattern_with_its_own_triggers(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "rules:\n  - id: t.own\n    category: absolute_claim\n    severity: warn\n    message: m\n    source: s\n"
        "    patterns:\n      - '\\bfoo\\w*'\n      - {pattern: '\\bsuperb \\w+', triggers: [superb]}\n    triggers: [foo]\n"
    )
    (rule,) = load_pack_file(pack)
    assert rule.find("superb tea") == [(0, 10)] and rule.find("foobar") == [(0, 6)]
    # the gate is the feature set: a part whose trigger words are absent never runs
    assert rule.find("superb tea", feats={"tea"}) == []
    pack.write_text(pack.read_text().replace("{pattern: ", "{regex: "))
    with pytest.raises(PackError, match="t.own.*needs 'pattern'"):
        load_pack_file(pack)


def test_every_pattern_part_can_be_skipped():
    """Each pattern part carries trigger words, required literals or lead strings (prefilter.py), so a text
    holding none of them skips it: a pattern with none would run on every text (bench/checks.py measures that)."""
    unguarded = [(r.id, regex.pattern[:60]) for r in RULES for regex, keys, clauses, leads in r.parts
                 if keys is None and not clauses and not leads]
    assert unguarded == []
