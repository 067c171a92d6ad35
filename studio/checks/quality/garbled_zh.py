"""Chinese garble: character salad and repeated fragments.

Salad is judged per run of Han characters (punctuation, digits and Latin letters end a run). Each
transition between two neighbouring characters is *explained* when a dictionary word spans it (jieba,
wordfreq, or the kit's and the brief's own text) or when the character bigram model trained on real
Chinese text (zh_lm.py) finds it likely enough. Real copy, even short and full of new words, explains
almost every transition; the small model's salad ("惠用更精健的言输") leaves a third or more unexplained.
"""

from __future__ import annotations

import re

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.vocab import MAX_ZH_WORD, KnownText, known_zh_pair, zh_words
from studio.checks.quality.zh_lm import get_model
from studio.language import HAN_RUN

# A unit of 2+ characters said three times in a row, or 4+ characters twice ("冷泡茶包冷泡茶包").
_REPEAT = re.compile(r"([\u3400-\u9fff]{2,8}?)\1{2,}|([\u3400-\u9fff]{4,8})\2")


def _spanned(run: str, i: int, words: frozenset, known: tuple[KnownText, ...]) -> bool:
    """Is the transition run[i] -> run[i+1] inside a known word?"""
    if known_zh_pair(run[i : i + 2], known):
        return True
    for start in range(max(0, i - MAX_ZH_WORD + 2), i + 1):
        for end in range(i + 2, min(len(run), start + MAX_ZH_WORD) + 1):
            if run[start:end] in words:
                return True
    return False


def unexplained(run: str, known: tuple[KnownText, ...], threshold: float) -> list[int]:
    """Indexes i of the transitions run[i] -> run[i+1] that neither a word nor the model explains."""
    model = get_model()
    words = zh_words()
    out = []
    for i in range(len(run) - 1):
        if model.logprob(run[i], run[i + 1]) >= threshold:
            continue
        if not _spanned(run, i, words, known):
            out.append(i)
    return out


def salad_stats(text: str, known: tuple[KnownText, ...], cfg: dict) -> tuple[int, int, list[tuple[int, int]]]:
    """(unexplained transitions, inner transitions, spans of the runs that carry them) over the text."""
    bad = total = 0
    spans = []
    for m in HAN_RUN.finditer(text):
        run = m.group()
        if len(run) < 2:
            continue
        idx = unexplained(run, known, cfg["unexplained_logprob"])
        bad += len(idx)
        total += len(run) - 1
        if idx:
            spans.append((m.start() + idx[0], m.start() + idx[-1] + 2))
    return bad, total, spans


def find(text: str, known: tuple[KnownText, ...], cfg: dict) -> list[Hit]:
    hits = []
    bad, total, spans = salad_stats(text, known, cfg)
    if total and bad >= cfg["salad_min"] and bad / total >= cfg["salad_share"]:
        share = bad / total
        hits.append(Hit(spans[0][0], spans[-1][1], "character_salad",
                        f"reads as character salad: {bad} of {total} character transitions form no word and are "
                        f"unlikely in real Chinese (share {share:.2f}, threshold {cfg['salad_share']:.2f}).",
                        round(min(1.0, share), 2)))
    for m in _REPEAT.finditer(text):
        hits.append(Hit(m.start(), m.end(), "repeated", f"\"{m.group(1) or m.group(2)}\" repeated."))
    return hits
