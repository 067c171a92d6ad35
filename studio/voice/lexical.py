"""Lexical side of hybrid retrieval: tokenisers (English words, Chinese jieba words + bigrams), BM25, RRF."""

from __future__ import annotations

import logging
import re
from functools import cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")
_STOP_EN = frozenset(
    "a an the and or of to in on for with at by from is are was were be it its this that as our we you your".split()
)
_PUNCT_ZH = re.compile(r"^[\s\W_]+$")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """English: lower-cased words minus stop words. Chinese: jieba words plus character bigrams.

    Bigrams catch compounds jieba splits differently in query and document (冷泡 / 冷泡茶)."""
    text = text.lower()
    tokens = [w for w in _WORD.findall(text) if w not in _STOP_EN]
    if has_cjk(text):
        jieba = _jieba()
        for word in jieba.lcut(text):
            if _CJK.search(word) and not _PUNCT_ZH.match(word):
                tokens.append(word)
        for run in re.findall(r"[\u3400-\u9fff\uf900-\ufaff]+", text):
            tokens.extend(run[i : i + 2] for i in range(len(run) - 1))
    return tokens


class BM25Index:
    def __init__(self, ids: list[str], texts: list[str]):
        from rank_bm25 import BM25Okapi

        self.ids = ids
        corpus = [tokenize(t) or ["∅"] for t in texts]
        self.bm25 = BM25Okapi(corpus)

    def rank(self, query: str, n: int) -> list[str]:
        tokens = tokenize(query)
        if not tokens or not self.ids:
            return []
        scores = self.bm25.get_scores(tokens)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        return [self.ids[i] for i in order[:n] if scores[i] > 0]


def rrf(rankings: list[list[str]], k: int = 60, weights: list[float] | None = None) -> dict[str, float]:
    """Weighted reciprocal rank fusion: robust to the two rankers' incomparable score scales."""
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return fused
