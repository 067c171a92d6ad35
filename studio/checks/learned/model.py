"""Loading and applying the shipped claims model (the newest claims_model_v*.json, written by
scripts/train_claims_model.py). Loaded once per process; scoring a text is a few numpy calls.

A text is split into sentences (and the " | " parts of an ad headline), each sentence is scored, and
a category's finding points at the sentence with the highest score, so a reviewer sees what drove it.
Findings are `warn` with "source": "model"; a category a rule already flagged in the text gets none
(the rule's finding says more).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import numpy as np

from studio.checks.learned.embed_features import WordPieces
from studio.checks.learned.features import BITS, KnownGrams, part_words
from studio.domain import Finding, Severity

FEATURES_VERSION = f"char_wb-2-4-hash{BITS}"
FORMAT_VERSION = "v2"
# v3: the same n-grams plus the mean word-piece embedding (embed_features.py), folded into a table per piece
EMBED_FEATURES_VERSION = FEATURES_VERSION + "+minilm-wordpiece-mean"
EMBED_FORMAT_VERSION = "v3"
_FEATURES = {FORMAT_VERSION: FEATURES_VERSION, EMBED_FORMAT_VERSION: EMBED_FEATURES_VERSION}

# the newest shipped file is the model (v3 where present, else v2)
MODEL_FILE = next((f for v in (EMBED_FORMAT_VERSION, FORMAT_VERSION)
                   if (f := Path(__file__).with_name(f"claims_model_{v}.json")).is_file()),
                  Path(__file__).with_name(f"claims_model_{FORMAT_VERSION}.json"))
# Sentence ends, ad-headline separators and line breaks; the delimiter stays with the sentence before.
_SENTENCE = re.compile(r"[^.!?。！？|\n]+[.!?。！？]*")
MESSAGES = {
    "endorsement": "reads like an expert, celebrity or testimonial endorsement",
    "health_claim": "reads like a claimed effect on health or the body",
    "financial_promise": "reads like a sensational money or investment promise",
    "fake_social_proof": "reads like a vague popularity or crowd claim",
    "false_urgency": "reads like pressure from a deadline or scarcity",
    "guarantee_claim": "reads like a promise of guaranteed results",
    "green_claim": "reads like a general environmental claim without evidence",
    "age_bias": "reads like a stereotype about older or younger people",
    "gendered_language": "reads like gender-coded wording or a gender stereotype",
    "stereotype": "reads like a stereotype about a group, or a body-image appeal",
    "absolute_claim": "reads like an unproven superlative or absolute claim",
}
SUGGESTION = "a second opinion, not a rule: check the sentence and remove or substantiate the claim."


class ClaimsModel:
    """Hashed character n-gram TF-IDF (features.py) and one logistic regression per category. The file
    holds only the features seen in training (id, idf, one weight per category); in memory they stay
    compact (a row per known feature), so more categories cost no more per text than a few columns."""

    def __init__(self, data: dict) -> None:
        if data.get("version") not in _FEATURES:
            raise ValueError(f"claims model: version {data.get('version')!r}, this code reads {sorted(_FEATURES)}")
        if data.get("features_version") != _FEATURES[data["version"]]:
            raise ValueError(f"claims model: features {data.get('features_version')!r}, this code computes "
                             f"{_FEATURES[data['version']]!r}")
        self.version = data["version"]
        self.categories: list[str] = data["categories"]
        unknown = [c for c in self.categories if c not in MESSAGES]
        if unknown:
            raise ValueError(f"claims model: unknown categories {unknown}")
        self.thresholds: dict[str, float] = data["thresholds"]
        self._thresholds = np.asarray([self.thresholds[c] for c in self.categories])
        ids = np.asarray(data["features"], dtype=np.int64)
        idf = np.asarray(data["idf"], dtype=np.float64)
        coef = np.asarray(data["coef"], dtype=np.float64).T  # (features, categories)
        order = np.argsort(ids, kind="stable")
        order = order[idf[order] > 0]  # (a feature of idf 0 weighs nothing: as if unknown)
        if np.any(np.diff(ids[order]) == 0):
            raise ValueError("claims model: a feature id is listed twice")
        # The known features numbered in ascending id order: their idf and their row of weights by number, and
        # each feature id's number (-1: unknown), in the smallest integer type that holds them (tf_idf_known).
        self.feature_ids = ids[order]
        self.feature_idf = idf[order]
        self.index = np.full(1 << BITS, -1, dtype=np.int16 if len(order) < 2**15 else np.int32)
        self.index[self.feature_ids] = np.arange(len(order))
        self.coef = np.ascontiguousarray(coef[order])
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self._grams = KnownGrams(self.index)  # tf_idf_known with each word's n-grams looked up once
        self._pieces, self._piece_table = None, None
        if "embed" in data:  # v3: each word piece's weights on the mean embedding, (pieces, categories)
            self._pieces = WordPieces(data["embed"]["vocab"])
            self._piece_table = np.asarray(data["embed"]["table"], dtype=np.float64)
            self._piece_prior = float(data["embed"].get("prior", 0.0))
            if self._piece_table.shape != (len(data["embed"]["vocab"]), len(self.categories)):
                raise ValueError("claims model: the word-piece table does not match its vocabulary and categories")

    @property
    def idf(self) -> np.ndarray:
        """The idf of every one of the 2**BITS feature ids (0 = unknown), as features.tf_idf_rows takes it."""
        table = np.zeros(1 << BITS)
        table[self.feature_ids] = self.feature_idf
        return table

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> ClaimsModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, texts: list[str]) -> np.ndarray:
        """Probabilities, one row per text, one column per category."""
        words = part_words(texts)  # (once for the n-grams and the word pieces)
        part, row, w = self._grams.tf_idf(texts, self.feature_idf, words)
        z = np.tile(self.intercept, (len(texts), 1))
        if len(row):
            contrib = self.coef.take(row, axis=0)  # (take and an in-place product: the same numbers, fewer copies)
            contrib *= w[:, None]
            # rows are sorted by part: sum each part's run at once
            first = np.flatnonzero(np.concatenate(([True], part[1:] != part[:-1])))
            z[part[first]] += np.add.reduceat(contrib, first, axis=0)
        if self._pieces is not None:
            z += self._pieces.mean_rows(texts, self._piece_table, self._piece_prior, words)
        return 1.0 / (1.0 + np.exp(-z))

    def findings(self, text: str, field: str | None, skip: set[str]) -> list[Finding]:
        """One warn finding per category over its threshold and not in `skip`, at its top sentence."""
        if len(skip) >= len(self.categories) and all(c in skip for c in self.categories):
            return []
        spans, probs = self.sentence_scores(text)
        return self.findings_from(text, field, spans, probs, skip)

    def sentence_scores(self, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Each sentence's span and its probabilities (one row per sentence, one column per category)."""
        spans = sentence_spans(text)
        return spans, (self.scores([text[s:e] for s, e in spans]) if spans else np.zeros((0, len(self.categories))))

    def findings_from(self, text: str, field: str | None, spans: list[tuple[int, int]], probs: np.ndarray,
                      skip: set[str]) -> list[Finding]:
        """findings() from sentence_scores(text), for a caller that also needs the scores."""
        if not spans:
            return []
        return top_sentence_findings(text, field, spans, probs, self.categories, self._thresholds, skip,
                                     f"model.claims.{self.version}", "learned model")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Where each sentence (or " | " part of an ad headline) of the text is: the unit a model scores."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]


def top_sentence_findings(text: str, field: str | None, spans: list[tuple[int, int]], probs: np.ndarray,
                          categories: list[str], thresholds: np.ndarray, skip: set[str], rule: str,
                          reader: str) -> list[Finding]:
    """One warn finding per category whose best sentence scores at or over its threshold (and not in `skip`),
    pointing at that sentence. probs: one row per span, one column per category."""
    best = probs.argmax(axis=0)
    top = probs[best, np.arange(len(categories))]
    out = []
    for i in np.flatnonzero(top >= thresholds):  # usually none: one comparison for all categories
        cat = categories[i]
        if cat in skip:
            continue
        score = float(top[i])
        s, e = spans[best[i]]
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        out.append(Finding(rule=f"{rule}.{cat}", category=cat, severity=Severity.warn, start=s, end=e, text=text[s:e],
                           field=field, source="model", score=round(score, 4),
                           message=f"{MESSAGES[cat]} ({reader}, score {score:.2f}).", suggestion=SUGGESTION))
    return out


@cache
def get_claims_model() -> ClaimsModel | None:
    """The shipped model, or None when the file is absent (a checkout that has not trained it)."""
    return ClaimsModel.load() if MODEL_FILE.is_file() else None
