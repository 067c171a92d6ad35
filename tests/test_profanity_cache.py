"""The profanity model's numbers are cached as plain arrays after the first load (no scikit-learn import, no
pickle): the cached model scores every text exactly as the package's does, and a broken cache is rebuilt."""

from __future__ import annotations

import numpy as np

from studio.checks import profanity

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
