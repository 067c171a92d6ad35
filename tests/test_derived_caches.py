"""What the checker derives from shipped data is cached for the next process (studio/cache.py): the profanity
model's numbers as plain arrays (no scikit-learn import, no pickle) and the prefilter's reading of every pack
pattern (JSON). The cached forms give exactly what a fresh derivation gives, and a broken cache is rebuilt."""

from __future__ import annotations

import numpy as np

from studio.checks import packs, prefilter, profanity
from studio.checks.pattern_memo import PatternMemo, memo_path

TEXTS = ["What a load of shit, honestly.", "This jacket is fucking great", "A calm walk by the river.",
         "冷泡茶很好喝", "Go to hell, you idiot!", "", "the the the"]


def test_the_cached_arrays_score_as_the_package_does(tmp_path):
    fresh = profanity.ProfanityModel.from_package()
    fresh.save(tmp_path / "p.npz")
    cached = profanity.ProfanityModel.from_file(tmp_path / "p.npz")
    assert cached.terms == fresh.terms and cached.stop == fresh.stop and len(cached.terms) > 10_000
    assert np.array_equal(cached._weights, fresh._weights) and cached.calib == fresh.calib
    assert [cached.score(t) for t in TEXTS] == [fresh.score(t) for t in TEXTS]
    assert cached.score("What a load of shit, honestly.")[0] > 0.9


def test_get_model_writes_the_cache_once_and_rebuilds_a_broken_one(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_MODEL_CACHE", str(tmp_path))
    path = profanity.cache_path()
    assert path.parent == tmp_path and not path.exists()
    profanity.get_model.cache_clear()
    try:
        first = profanity.get_model()
        assert path.exists() and not list(tmp_path.glob(".*tmp*"))  # written whole, no temp file left
        path.write_bytes(path.read_bytes()[:5000])  # cut short, as a full disk leaves it
        profanity.get_model.cache_clear()
        rebuilt = profanity.get_model()
        assert [rebuilt.score(t) for t in TEXTS] == [first.score(t) for t in TEXTS]
        assert profanity.ProfanityModel.from_file(path).terms == first.terms  # the broken file was replaced
    finally:
        profanity.get_model.cache_clear()


def _analysis(rules) -> list:
    """Each hand-written part's and alternative's requirements (as sets: ties between clauses of equal
    selectivity come in set order) and lead strings."""
    out = []
    for rule in rules:
        out += [(rule.id, frozenset(clauses), leads) for _regex, _keys, clauses, leads in rule.parts]
        out += [(rule.id, rule.exception_leads)]
        out += [(rule.id, frozenset(c), l) for a in rule.alternatives.values() for c, l in zip(a.clauses, a.leads)]
    return out


def test_remembered_pattern_analysis_is_the_fresh_one_and_a_broken_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDIO_MODEL_CACHE", str(tmp_path))
    path = memo_path()
    assert path.parent == tmp_path
    pack = packs.PACKS_DIR / "common.yaml"
    fresh = _analysis(packs.load_pack_file(pack))  # in memory only
    memo = PatternMemo(path)
    first = _analysis(packs.load_pack_file(pack, memo))
    memo.save()
    assert path.exists() and len(PatternMemo(path).leads) > 500
    remembered = PatternMemo(path)
    again = _analysis(packs.load_pack_file(pack, remembered))
    assert not remembered.added  # every pattern was found in the file
    assert fresh == first == again and len(fresh) > 500
    path.write_text('{"atoms": {"s:(?:x)": 3}', encoding="utf-8")  # cut short
    broken = PatternMemo(path)
    assert _analysis(packs.load_pack_file(pack, broken)) == fresh and broken.added
    assert PatternMemo(path).required_atoms("(?:guaranteed returns)") == prefilter.required_atoms("(?:guaranteed returns)")
