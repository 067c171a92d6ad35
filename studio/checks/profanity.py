"""Profanity: the alt-profanity-check model (loaded once) plus word lists that locate the words.

predict_prob() costs ~9 ms a call through scikit-learn's validation layers; the model is a TF-IDF
vectoriser and five calibrated linear SVMs, so we evaluate the same maths directly from their weights
(~50 µs for a 100-word text). The score is computed once per text; the lexicons in the rule packs say
where the offending words are; when the model is confident and no lexicon word is found, the word
contributing most to the score is reported.
"""

from __future__ import annotations

import math
import os
import re
import zipfile
from collections import Counter
from functools import cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class ProfanityModel:
    def __init__(self, terms: list[str], idf: list[float], weights: list[list[float]], stop: list[str],
                 intercepts: list[float], calib: list[tuple[float, float]]) -> None:
        self.stop = frozenset(stop)
        self.intercepts = intercepts
        self.calib = calib
        # term -> (idf, weights of the five classifiers)
        self.terms = {t: (i, w) for t, i, w in zip(terms, idf, weights)}
        # The same numbers as arrays, a row per term (the stop words left out, as score() leaves them out):
        # a text's terms are gathered and summed at once (see score()).
        known = [t for t in self.terms if t not in self.stop]
        self._row = {t: r for r, t in enumerate(known)}
        self._idf = np.array([self.terms[t][0] for t in known])
        self._weights = np.array([self.terms[t][1] for t in known]).reshape(len(known), len(self.intercepts))
        self._weight_sums = np.array([sum(self.terms[t][1]) for t in known])  # (Python's sum, as score_plain's)
        self._intercepts = np.array(self.intercepts)

    @classmethod
    def from_package(cls) -> "ProfanityModel":
        """The numbers of the shipped joblib files (unpickling them imports scikit-learn: ~3 s)."""
        from profanity_check import profanity_check as pc

        vec, model = pc.vectorizer, pc.model
        terms = list(vec.vocabulary_)
        coefs = [c.estimator.coef_[0] for c in model.calibrated_classifiers_]
        return cls(terms=terms, idf=[float(vec.idf_[vec.vocabulary_[t]]) for t in terms],
                   weights=[[float(w[vec.vocabulary_[t]]) for w in coefs] for t in terms],
                   stop=sorted(vec.get_stop_words() or ()),
                   intercepts=[float(c.estimator.intercept_[0]) for c in model.calibrated_classifiers_],
                   calib=[(float(c.calibrators[0].a_), float(c.calibrators[0].b_))
                          for c in model.calibrated_classifiers_])

    def save(self, path: Path) -> None:
        """The numbers as plain arrays (no pickle), written whole or not at all."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}.npz")
        terms = list(self.terms)
        np.savez(tmp, terms=np.array(terms), idf=np.array([self.terms[t][0] for t in terms]),
                 weights=np.array([self.terms[t][1] for t in terms]), stop=np.array(sorted(self.stop)),
                 intercepts=np.array(self.intercepts), calib=np.array(self.calib))
        os.replace(tmp, path)

    @classmethod
    def from_file(cls, path: Path) -> "ProfanityModel":
        with np.load(path, allow_pickle=False) as data:
            return cls(terms=data["terms"].tolist(), idf=data["idf"].tolist(), weights=data["weights"].tolist(),
                       stop=data["stop"].tolist(), intercepts=data["intercepts"].tolist(),
                       calib=[tuple(row) for row in data["calib"].tolist()])

    def score(self, text: str) -> tuple[float, str | None]:
        """(probability the text is profane, the word that pushes hardest towards profane): score_plain's
        numbers, each sum taken in the same order (np.add.accumulate adds one term after another, as the loop
        does), so the same floats."""
        counts = Counter(_TOKEN.findall(text.lower()))  # (in order of first occurrence, as score_plain counts)
        row = self._row
        terms = [t for t in counts if t in row]
        if not terms:
            return self._prob([0.0] * len(self.intercepts)), None
        rows = np.fromiter(map(row.__getitem__, terms), dtype=np.int64, count=len(terms))
        vals = np.fromiter(map(counts.__getitem__, terms), dtype=np.float64, count=len(terms)) * self._idf[rows]
        norm = math.sqrt(float(np.add.accumulate(vals * vals)[-1])) or 1.0
        x = vals / norm
        steps = np.empty((len(terms) + 1, len(self.intercepts)))
        steps[0] = self._intercepts
        np.multiply(x[:, None], self._weights[rows], out=steps[1:])
        decisions = np.add.accumulate(steps, axis=0)[-1].tolist()
        contrib = x * self._weight_sums[rows] / len(self.intercepts)
        best = int(contrib.argmax())  # the first of the largest, as the loop's strict > keeps
        worst = terms[best] if contrib[best] > 0.0 else None
        return self._prob(decisions), worst

    def score_plain(self, text: str) -> tuple[float, str | None]:
        """score() written out term by term (its definition, kept for the equivalence test)."""
        counts: dict[str, int] = {}
        for tok in _TOKEN.findall(text.lower()):
            if tok in self.terms and tok not in self.stop:
                counts[tok] = counts.get(tok, 0) + 1
        if not counts:
            return self._prob([0.0] * len(self.intercepts)), None
        vals = {t: c * self.terms[t][0] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vals.values())) or 1.0
        decisions = list(self.intercepts)
        worst, worst_w = None, 0.0
        for t, v in vals.items():
            ws = self.terms[t][1]
            x = v / norm
            for k, w in enumerate(ws):
                decisions[k] += x * w
            contrib = x * sum(ws) / len(ws)
            if contrib > worst_w:
                worst, worst_w = t, contrib
        return self._prob(decisions), worst

    def _prob(self, decisions: list[float]) -> float:
        ps = []
        for d, (a, b) in zip(decisions, self.calib):
            z = a * d + b
            ps.append(1.0 / (1.0 + math.exp(z)) if z > -700 else 1.0)
        return sum(ps) / len(ps)


def cache_path() -> Path:
    """Under the cache root (studio/cache.py), named by the package's version so an upgrade is read afresh."""
    from studio.cache import cache_root

    return cache_root() / f"alt-profanity-check-{version('alt-profanity-check')}.npz"


@cache
def get_model() -> ProfanityModel:
    """From the cached arrays (~0.1 s) when they are there; else from the package, then cached for the next
    process (every CLI call and worker builds a checker, and scikit-learn's import was a third of that)."""
    path = cache_path()
    try:
        return ProfanityModel.from_file(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        pass  # not cached yet, or unreadable: rebuilt below
    model = ProfanityModel.from_package()
    try:
        model.save(path)
    except OSError:
        pass  # a read-only cache: every process reads the package
    return model
