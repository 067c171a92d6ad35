"""Character n-gram features, hashed, computed with numpy over a whole text at once.

The same n-grams as scikit-learn's `char_wb` analyzer (2-4 characters inside each space-padded,
lower-cased word), hashed into 2**BITS ids so no vocabulary has to be looked up string by string:
a 100-word text costs about a tenth of a millisecond. Training (scripts/train_claims_model.py) and
scoring (model.py) both call `ngram_ids`, so the ids cannot drift apart.
"""

from __future__ import annotations

from itertools import chain

import numpy as np

from studio.language import HAN

BITS = 20
LO, HI = 2, 4
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: multiplying spreads the bits (Fibonacci hashing)
_PRIME = np.uint64(1099511628211)


def padded(parts: list[str]) -> tuple[str, np.ndarray]:
    """The parts' words, each padded with a space, joined by nothing (so the joint is a double space),
    and where each part starts in that string."""
    out, starts, pos = [], [], 0
    for part in parts:
        starts.append(pos)
        words = part.lower().split()
        chunk = "".join(f" {w} " for w in words)
        out.append(chunk)
        pos += len(chunk)
    return "".join(out), np.asarray(starts, dtype=np.int64)


def ngram_ids(parts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(part index, feature id) of every n-gram of every part, with repeats (counts are repeats)."""
    text, starts = padded(parts)
    if not text:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    c = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    size = len(c)
    space = c == 32
    # an n-gram that holds two spaces in a row crosses from one padded word into the next
    run = np.concatenate(([0], np.cumsum(space[:-1] & space[1:])))
    owners, ids = [], []
    # The hash of the n-gram at i: c[i]*P**(n-1) + ... + c[i+n-1] (mod 2**64), grown by one character per
    # length: h_n = h_(n-1) * P + the next character.
    h = c
    for n in range(1, HI + 1):
        count = size - n + 1
        if count <= 0:
            break
        if n > 1:
            h = h[:-1] * _PRIME + c[n - 1 :]
        if n < LO:
            continue
        keep = (run[n - 1 : n - 1 + count] - run[:count]) == 0
        pos = np.flatnonzero(keep)
        ids.append((((h[pos] + np.uint64(n)) * _MIX) >> np.uint64(64 - BITS)).astype(np.int64))
        owners.append(pos)
    pos = np.concatenate(owners)
    part = np.searchsorted(starts, pos, side="right") - 1
    return part, np.concatenate(ids)


def tf_idf_rows(parts: list[str], idf: np.ndarray):
    """(part index, feature id, L2-normalised sublinear tf-idf weight) of each distinct n-gram of each
    part, sorted by part; features with idf 0 (unknown to the model) are left out."""
    part, fid = ngram_ids(parts)
    known = idf[fid] > 0  # (the weight below is > 0 exactly where idf is: 1 + log(count) >= 1)
    return _weights(part[known], fid[known], idf, len(parts), 1 << BITS)


def tf_idf_known(parts: list[str], index: np.ndarray, idf: np.ndarray):
    """tf_idf_rows(parts, the full idf table) for a model that numbers its known features 0, 1, ... in
    ascending id order (index[feature id] = that number, or -1; idf[number] > 0), with each feature given
    as its number: the same rows in the same order. The index is an int16 table where the model has few
    features (2 MB, against 8 MB for the full idf table, which the other checks push out of the CPU's
    caches between two texts)."""
    part, number = _known_rows(parts, index)
    return _weights(part, number, idf, len(parts), len(idf))


def _known_rows(parts: list[str], index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(part index, feature number) of every n-gram of the parts that the model knows (index >= 0), with repeats."""
    part, fid = ngram_ids(parts)
    number = index[fid]
    known = number >= 0
    return part[known], number[known].astype(np.int64)


def part_words(parts: list[str]) -> list[list[str]]:
    """Each part's words as padded() pads them (lower-cased, split on whitespace): what KnownGrams and
    embed_features.WordPieces look up word by word, computed once where a caller uses both."""
    return [p.lower().split() for p in parts]


class KnownGrams:
    """tf_idf_known(parts, index, idf) with each word's known feature numbers remembered. A char_wb n-gram never
    spans two words (one that does holds the double space between them), so a part's n-grams are those of its
    words: copy repeats words, not sentences, and a word seen before costs a dict lookup instead of its hashes.
    Only words are remembered: Chinese has no spaces between its words, so a text with a chunk of Han characters
    (a clause, not a word) is hashed whole, as tf_idf_known does. Thread-safe: the cache only ever gains complete
    entries, or is emptied."""

    MAX_WORDS = 50_000  # then the cache starts again (a few MB)
    MAX_WORD_CHARS = 24  # a longer run without spaces (a link, a code) is not remembered either

    def __init__(self, index: np.ndarray) -> None:
        self.index = index
        self._numbers: dict[str, np.ndarray] = {}

    def tf_idf(self, parts: list[str], idf: np.ndarray, words: list[list[str]] | None = None):
        """The same (part, feature number, weight) rows as tf_idf_known(parts, self.index, idf). words: part_words(parts),
        when the caller has it."""
        part, number = self.rows(parts, words)
        return _weights(part, number, idf, len(parts), len(idf))

    def rows(self, parts: list[str], words: list[list[str]] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(part index, feature number) of every known n-gram of every part, with repeats (in some order:
        _weights sorts them). words: part_words(parts), when the caller has it."""
        if not all(map(str.isascii, parts)) and any(map(HAN.search, parts)):
            return _known_rows(parts, self.index)  # Chinese: no words to look up (either way, the same rows)
        if words is None:
            words = part_words(parts)
        flat = list(chain.from_iterable(words))
        if not flat:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        numbers = self._numbers
        try:
            chunks = list(map(numbers.__getitem__, flat))
        except KeyError:  # a word not seen yet (or the cache just started again)
            got = {w: numbers.get(w) for w in flat}
            missing = [w for w, a in got.items() if a is None]
            if not all(len(w) <= self.MAX_WORD_CHARS and HAN.search(w) is None for w in missing):
                return _known_rows(parts, self.index)
            fresh = self._look_up(missing)
            got.update(fresh)
            if len(numbers) + len(fresh) > self.MAX_WORDS:
                numbers.clear()
            numbers.update(fresh)
            chunks = list(map(got.__getitem__, flat))
        sizes = np.fromiter(map(len, chunks), dtype=np.int64, count=len(chunks))
        part = np.repeat(np.repeat(np.arange(len(parts)), list(map(len, words))), sizes)
        return part, np.concatenate(chunks)

    def _look_up(self, words: list[str]) -> dict[str, np.ndarray]:
        """Each word's known feature numbers (int64), hashed together as one part per word."""
        part, number = _known_rows(words, self.index)
        order = np.argsort(part, kind="stable")
        bounds = np.searchsorted(part[order], np.arange(1, len(words)))
        return dict(zip(words, np.split(number[order], bounds)))


def _weights(part: np.ndarray, col: np.ndarray, idf: np.ndarray, n_parts: int, width: int):
    """The distinct (part, col) pairs sorted by part then col, each with (1 + log(count)) * idf[col],
    L2-normalised per part."""
    keys = part * width + col
    keys.sort()
    # distinct keys (ascending) and how often each occurs: np.unique(keys, return_counts=True), unrolled
    new = np.empty(len(keys), dtype=bool)
    new[:1] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    at = np.flatnonzero(new)
    keys, counts = keys[at], np.diff(np.append(at, len(new)))
    part, col = keys // width, keys % width
    w = (1.0 + np.log(counts)) * idf[col]
    norms = np.sqrt(np.bincount(part, weights=w * w, minlength=n_parts))
    return part, col, w / np.where(norms > 0, norms, 1.0)[part]
