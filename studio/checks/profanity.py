"""Profanity: the alt-profanity-check model (loaded once) plus word lists that locate the words.

predict_prob() costs ~9 ms a call through scikit-learn's validation layers; the model is a TF-IDF
vectoriser and five calibrated linear SVMs, so we evaluate the same maths directly from their weights
(~50 µs for a 100-word text). The score is computed once per text; the lexicons in the rule packs say
where the offending words are; when the model is confident and no lexicon word is found, the word
contributing most to the score is reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

import numpy as np

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


class ProfanityModel:
    def __init__(self) -> None:
        from profanity_check import profanity_check as pc  # loads the shipped joblib files

        vec, model = pc.vectorizer, pc.model
        self.stop = frozenset(vec.get_stop_words() or ())
        idf = vec.idf_
        coefs = [c.estimator.coef_[0] for c in model.calibrated_classifiers_]
        self.intercepts = [float(c.estimator.intercept_[0]) for c in model.calibrated_classifiers_]
        self.calib = [(float(c.calibrators[0].a_), float(c.calibrators[0].b_)) for c in model.calibrated_classifiers_]
        # term -> (idf, weights of the five classifiers)
        self.terms = {t: (float(idf[i]), [float(w[i]) for w in coefs]) for t, i in vec.vocabulary_.items()}
        # The same numbers as arrays, a row per term (the stop words left out, as score() leaves them out):
        # a text's terms are gathered and summed at once (see score()).
        known = [t for t in self.terms if t not in self.stop]
        self._row = {t: r for r, t in enumerate(known)}
        self._idf = np.array([self.terms[t][0] for t in known])
        self._weights = np.array([self.terms[t][1] for t in known]).reshape(len(known), len(self.intercepts))
        self._weight_sums = np.array([sum(self.terms[t][1]) for t in known])  # (Python's sum, as score_plain's)
        self._intercepts = np.array(self.intercepts)

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


@cache
def get_model() -> ProfanityModel:
    return ProfanityModel()
