"""A learned signal for the kit's avoided tones (category voice_mismatch), beside the tone lexicons.

One logistic regression per tone group of packs/tones.yaml (hype, fear, ..., zh_anxiety, ...) over the
hashed character n-grams of features.py, trained offline (scripts/train_tone_model.py) on texts written
for it and shipped as tone_model_v1.json. The lexicons catch the words; this catches the same tones said
in other words ("Picture your kid shivering on the ridge", "别人家的孩子早就...你呢？").

A text is scored sentence by sentence (a fragment joined to the next) and, when it is short, whole too (a tone can build over two
sentences: "Love hiking in wet socks? Then by all means, ignore our new boots."); a group's finding points
at its best part. Only the groups the kit avoids are scored; findings are `warn` with "source": "model".
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from studio.checks.learned.features import BITS, KnownGrams
from studio.domain import Finding, Severity

FORMAT_VERSION = "tone-v1"
FEATURES_VERSION = f"char_wb-2-4-hash{BITS}"
MODEL_FILE = Path(__file__).with_name("tone_model_v1.json")
# Sentence ends, ad-headline separators and line breaks; the delimiter stays with the sentence before.
SENTENCE = re.compile(r"[^.!?。！？|\n]+[.!?。！？]*")
MAX_CHARS = 1200  # tone is judged on the opening, as voice similarity is (voice_fit.MAX_CHARS)
MIN_PART_CHARS = 10  # a shorter sentence is scored with the one after it
WHOLE_MAX_SENTENCES = 3  # up to this many sentences (ad copy, a post), the whole text is scored too


class ToneModel:
    """Per tone group: a threshold, an intercept and a weight per known n-gram feature."""

    def __init__(self, data: dict) -> None:
        if data.get("version") != FORMAT_VERSION or data.get("features_version") != FEATURES_VERSION:
            raise ValueError(f"tone model: {data.get('version')!r}/{data.get('features_version')!r}, this code reads "
                             f"{FORMAT_VERSION!r}/{FEATURES_VERSION!r}")
        self.groups: list[str] = data["groups"]
        self.thresholds = np.asarray([data["thresholds"][g] for g in self.groups], dtype=np.float64)
        self._logit_thresholds = np.log(self.thresholds / (1.0 - self.thresholds))
        ids = np.asarray(data["features"], dtype=np.int64)
        if np.any(np.diff(ids) <= 0):
            raise ValueError("tone model: feature ids must be ascending and distinct")
        # known features numbered 0.. in ascending id order, as features.KnownGrams expects
        self.idf = np.asarray(data["idf"], dtype=np.float64)
        index = np.full(1 << BITS, -1, dtype=np.int16 if len(ids) < 2**15 else np.int32)
        index[ids] = np.arange(len(ids))
        self.coef = np.ascontiguousarray(np.asarray(data["coef"], dtype=np.float64).T)  # (features, groups)
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self._grams = KnownGrams(index)
        self._by_columns: dict[tuple[int, ...], tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ToneModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def columns(self, groups: list[str]) -> tuple[int, ...]:
        """The model's column of each of these groups that it has (in the order given)."""
        return tuple(self.groups.index(g) for g in groups if g in self.groups)

    def scores(self, parts: list[str], cols: tuple[int, ...] | None = None) -> np.ndarray:
        """Probabilities, one row per part, one column per group (or per column in `cols`)."""
        cols = tuple(range(len(self.groups))) if cols is None else cols
        return 1.0 / (1.0 + np.exp(-self._logits(parts, cols)))

    def _logits(self, parts: list[str], cols: tuple[int, ...]) -> np.ndarray:
        coef, intercept, _ = self._columns(cols)
        part, row, w = self._grams.tf_idf(parts, self.idf)
        z = np.empty((len(parts), len(cols)))
        z[:] = intercept
        if len(row):
            contrib = coef.take(row, axis=0)
            contrib *= w[:, None]
            first = np.flatnonzero(np.concatenate(([True], part[1:] != part[:-1])))  # rows come sorted by part
            z[part[first]] += np.add.reduceat(contrib, first, axis=0)
        return z

    def _columns(self, cols: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(weights, intercepts, logit thresholds) of these groups only: a kit avoids a few tones, and gathering
        its columns once keeps every text's product small."""
        got = self._by_columns.get(cols)
        if got is None:
            c = list(cols)
            got = self._by_columns[cols] = (np.ascontiguousarray(self.coef[:, c]), self.intercept[c],
                                            self._logit_thresholds[c])
        return got

    def best_parts(self, text: str, cols: tuple[int, ...]) -> list[tuple[int, float, int, int]]:
        """(column index into cols, score, start, end) for each group over its threshold: at its best sentence
        over the threshold, else at the whole (short) text."""
        text = text[:MAX_CHARS]
        spans = _chunks([m.span() for m in SENTENCE.finditer(text) if m.group().strip()])
        if not spans or not cols:
            return []
        n = len(spans)  # the sentences; then, for a short text, the whole
        if 1 < n <= WHOLE_MAX_SENTENCES:
            spans.append((spans[0][0], spans[-1][1]))  # its tone may build over sentences
        z = self._logits([text[s:e] for s, e in spans], cols)
        over = z >= self._columns(cols)[2]  # (p >= t exactly where the logit is >= logit(t))
        out = []
        for j in np.flatnonzero(over.any(axis=0)):  # usually none
            col = 1.0 / (1.0 + np.exp(-z[:, j]))
            # the sentence a reviewer should read; the whole text only when no sentence alone carries the tone
            i = int(np.where(over[:n, j], col[:n], -1).argmax()) if over[:n, j].any() else int(col.argmax())
            s, e = spans[i]
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append((int(j), float(col[i]), s, e))
        return out


def _chunks(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences, each too short to carry a tone alone ("Cart." "Go go go!") joined to the next."""
    out: list[tuple[int, int]] = []
    start = None
    for s, e in spans:
        start = s if start is None else start
        if e - start >= MIN_PART_CHARS:
            out.append((start, e))
            start = None
    if start is not None:
        out.append((start, spans[-1][1]))
    return out


def tone_findings(model: ToneModel, text: str, field: str | None, avoided: list[tuple[str, str]],
                  kit_id: str, kit_name: str, suggestion: str) -> list[Finding]:
    """`warn` findings for the avoided tones the model hears: `avoided` is (tone group, the kit's wording)."""
    groups = [g for g, _ in avoided if g in model.groups]
    wording = dict(avoided)
    out = []
    for j, score, s, e in model.best_parts(text, model.columns(groups)):
        group = groups[j]
        out.append(Finding(rule=f"kit.{kit_id}.avoid_tone_model.{group}", category="voice_mismatch",
                           severity=Severity.warn, start=s, end=e, text=text[s:e], field=field, source="model",
                           score=round(score, 4),
                           message=f"sounds {wording[group]}, a tone {kit_name} avoids (learned model, score {score:.2f}).",
                           suggestion=suggestion))
    return out


@cache
def get_tone_model() -> ToneModel | None:
    """The shipped model, or None when the file is absent (a checkout that has not trained it)."""
    return ToneModel.load() if MODEL_FILE.is_file() else None
