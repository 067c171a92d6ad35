"""Rate-1/2 convolutional code (K=7, generators 133/171 octal, the NASA/802.11 code) with soft Viterbi decoding.

Soft decisions matter for the watermark: each coded bit arrives as a correlation value whose size says how
sure it is, and the Viterbi decoder weighs it accordingly (several dB better than hard-decision block codes
on the same bits).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

K = 7
GENERATORS = (0o133, 0o171)
STATES = 1 << (K - 1)


def _parity(x: int) -> int:
    return bin(x).count("1") & 1


@lru_cache(maxsize=1)
def _trellis() -> tuple[np.ndarray, np.ndarray]:
    """outputs[state, bit] -> (2,) coded bits as +-1; next_state[state, bit]."""
    outputs = np.zeros((STATES, 2, 2))
    next_state = np.zeros((STATES, 2), dtype=np.int64)
    for state in range(STATES):
        for bit in (0, 1):
            register = (bit << (K - 1)) | state
            outputs[state, bit] = [2 * _parity(register & g) - 1 for g in GENERATORS]
            next_state[state, bit] = register >> 1
    return outputs, next_state


def encode(bits: np.ndarray) -> np.ndarray:
    """Info bits (0/1) -> 2 * (len + K - 1) coded bits (0/1); the encoder ends in state 0 (zero tail)."""
    outputs, next_state = _trellis()
    state, out = 0, []
    for bit in list(bits.astype(int)) + [0] * (K - 1):
        out.extend(outputs[state, bit])
        state = next_state[state, bit]
    return ((np.array(out) + 1) // 2).astype(np.uint8)


def decode(soft: np.ndarray) -> np.ndarray:
    """Soft values (positive = 1, larger = surer) of 2 * (n + K - 1) coded bits -> the n most likely info bits."""
    outputs, next_state = _trellis()
    steps = len(soft) // 2
    pairs = soft[: steps * 2].reshape(steps, 2)
    metric = np.full(STATES, -np.inf)
    metric[0] = 0.0
    back = np.zeros((steps, STATES), dtype=np.int64)  # previous state * 2 + bit, per new state
    src_states = np.repeat(np.arange(STATES), 2)
    src_bits = np.tile([0, 1], STATES)
    dest = next_state[src_states, src_bits]
    for t in range(steps):
        branch = outputs[src_states, src_bits] @ pairs[t]
        candidate = metric[src_states] + branch
        order = np.lexsort((-candidate, dest))  # best candidate first within each destination
        first = order[np.r_[True, dest[order][1:] != dest[order][:-1]]]
        new_metric = np.full(STATES, -np.inf)
        new_metric[dest[first]] = candidate[first]
        back[t, dest[first]] = src_states[first] * 2 + src_bits[first]
        metric = new_metric
    state, bits = 0, []
    for t in range(steps - 1, -1, -1):
        entry = back[t, state]
        bits.append(entry & 1)
        state = entry >> 1
    return np.array(bits[::-1][: steps - (K - 1)], dtype=np.uint8)
