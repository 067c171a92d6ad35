"""NFKC + lower-case normalisation that remembers where each character came from.

Rules match on the normalised text (full-width ＢＥＳＴ, ｂｅｓｔ and curly quotes all become plain
ASCII), but findings must point into the ORIGINAL text, so every normalised character keeps the index
of the original character it came from.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Same-length substitutions NFKC leaves alone: curly quotes, dashes, the ideographic space.
_EXTRA = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u3000": " "})


@dataclass(frozen=True)
class NormText:
    original: str
    text: str
    # starts[i] / ends[i]: the original span of normalised character i; None = identity mapping.
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised span [start, end)."""
        if self.starts is None:
            return start, end
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> NormText:
    simple = text.translate(_EXTRA)
    if unicodedata.is_normalized("NFKC", simple):
        lowered = simple.lower()
        if len(lowered) == len(text):  # the common case: one char in, one char out
            return NormText(text, lowered)
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = unicodedata.normalize("NFKC", ch.translate(_EXTRA)).lower()
        for p in piece:
            out.append(p)
            starts.append(i)
            ends.append(i + 1)
    return NormText(text, "".join(out), starts, ends)


