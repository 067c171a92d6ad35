"""The kit's approved content modules, recognised in copy: a learned second opinion on a line the brand team
wrote and approved (modules/*.yaml) is shown as info, not as a warning.

The claims model reads sentences out of context, and a short approved headline can score over its threshold
("Out in it, back again" read 0.91 as a health claim). The module was reviewed by people when it was approved;
the rules still check it like any other text, so a module with a real problem is still flagged by them.
"""

from __future__ import annotations

import re
import unicodedata

_PLACEHOLDER = re.compile(r"\\\{\w+\\\}")  # "{product}" after re.escape
_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*")
_WORDS = re.compile(r"[^\W\d_]{2,}|[\u3400-\u9fff]{2}")  # a word, or two Han characters
_EDGES = " \t\n.,;:!?。，；：！？…\"'“”‘’()（）"


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split()).strip(_EDGES)


class ApprovedLines:
    """Whole sentences of copy that are an approved module's text (placeholders stand for any words)."""

    def __init__(self, modules) -> None:
        self._exact: dict[str, str] = {}
        patterns: list[tuple[re.Pattern, str]] = []
        for m in modules:
            # the module as a whole and each of its sentences (the model reports one sentence)
            for part in [m.text, *_SENTENCE.findall(m.text)]:
                norm = _norm(part)
                if not norm:
                    continue
                escaped = re.escape(norm)
                if len(_WORDS.findall(_PLACEHOLDER.sub(" ", escaped))) < 2:
                    continue  # "{product}." alone (or one word around it) would stand for any sentence
                if _PLACEHOLDER.search(escaped):
                    # a slot holds a product name or an offer: a short phrase, not more sentences
                    rx = re.compile(_PLACEHOLDER.sub(r"[^.!?。！？]{1,40}?", escaped))
                    if all(rx.pattern != p.pattern for p, _ in patterns):
                        patterns.append((rx, m.id))
                else:
                    self._exact.setdefault(norm, m.id)
        self._patterns = patterns

    def module_of(self, sentence: str) -> str | None:
        """The id of the approved module this sentence is, or None."""
        norm = _norm(sentence)
        if norm in self._exact:
            return self._exact[norm]
        return next((mid for rx, mid in self._patterns if rx.fullmatch(norm)), None)
