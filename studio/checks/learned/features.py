"""Character n-gram features, hashed, computed with numpy over a whole text at once.

The same n-grams as scikit-learn's `char_wb` analyzer (2-4 characters inside each space-padded,
lower-cased word), hashed into 2**BITS ids so no vocabulary has to be looked up string by string:
a 100-word text costs about a tenth of a millisecond. Training (scripts/train_claims_model.py) and
scoring (model.py) both call `ngram_ids`, so the ids cannot drift apart.
"""

from __future__ import annotations

import numpy as np

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
    for n in range(LO, HI + 1):
        count = size - n + 1
        if count <= 0:
            break
        h = np.zeros(count, dtype=np.uint64)
        for k in range(n):
            h = h * _PRIME + c[k : k + count]
        h = (h + np.uint64(n)) * _MIX
        keep = (run[n - 1 : n - 1 + count] - run[:count]) == 0
        pos = np.flatnonzero(keep)
        ids.append((h[keep] >> np.uint64(64 - BITS)).astype(np.int64))
        owners.append(pos)
    pos = np.concatenate(owners)
    part = np.searchsorted(starts, pos, side="right") - 1
    return part, np.concatenate(ids)


def tf_idf_rows(parts: list[str], idf: np.ndarray):
    """(part index, feature id, L2-normalised sublinear tf-idf weight) of each distinct n-gram of each
    part, sorted by part; features with idf 0 (unknown to the model) are left out."""
    part, fid = ngram_ids(parts)
    keys, counts = np.unique(part * (1 << BITS) + fid, return_counts=True)
    part, fid = keys >> BITS, keys & ((1 << BITS) - 1)
    w = (1.0 + np.log(counts)) * idf[fid]
    known = w > 0
    part, fid, w = part[known], fid[known], w[known]
    norms = np.sqrt(np.bincount(part, weights=w * w, minlength=len(parts)))
    return part, fid, w / np.where(norms > 0, norms, 1.0)[part]
