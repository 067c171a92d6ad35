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
    if text.isascii():  # NFKC and the substitutions leave ASCII as it is; lower() keeps its length
        return NormText(text, text.lower())
    simple = text.translate(_EXTRA)
    if unicodedata.is_normalized("NFKC", simple):
        lowered = simple.lower()
        if len(lowered) == len(text):  # the common case: one char in, one char out
            return NormText(text, lowered)
    # Character by character (so each normalised character knows its original), through a table that
    # remembers each character's piece: Chinese copy with full-width punctuation takes this path.
    mapped = text.translate(_PIECES)
    if len(mapped) == len(text) and _PIECES.irregular.isdisjoint(text):  # one character in, one out
        return NormText(text, mapped, list(range(len(text))), list(range(1, len(text) + 1)))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        piece = _PIECES[ord(ch)]
        for p in piece:
            out.append(p)
            starts.append(i)
            ends.append(i + 1)
    return NormText(text, "".join(out), starts, ends)


def _piece(ch: str) -> str:
    """What one character becomes: the same-length substitutions, NFKC, lower case (may be 0, 1 or 2+ chars)."""
    return unicodedata.normalize("NFKC", ch.translate(_EXTRA)).lower()


class _PieceTable(dict):
    """code point -> _piece(chr(code point)), filled on first sight, for str.translate. Bounded: past
    MAX_ENTRIES characters are computed each time instead of remembered."""

    MAX_ENTRIES = 65536

    def __init__(self) -> None:
        super().__init__()
        self.irregular: set[str] = set()  # characters whose piece is not exactly one character

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        piece = _piece(ch)
        if len(piece) != 1:
            self.irregular.add(ch)  # always recorded (a small set): the 1:1 test above relies on it
        if len(self) < self.MAX_ENTRIES:
            self[code] = piece
        return piece


_PIECES = _PieceTable()


