"""Voice fit (category voice_mismatch): the kit's avoided tones and lexical similarity to its voice.

Similarity is TF-IDF over character n-grams (works for Chinese without a tokenizer), fitted once per
kit on its voice documents and description; a text is scored by its best cosine similarity to any
voice passage. Deliberately lexical and fast: no neural model in the check path.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from studio.checks.matchers import compile_alternation
from studio.checks.packs import load_tones
from studio.domain import BrandKit

NGRAMS = (2, 3, 4)
MIN_CHARS_FOR_SIMILARITY = 120  # short lines say too little about voice to judge
_SPACE = re.compile(r"\s+")


def _grams(text: str) -> Counter:
    t = " " + _SPACE.sub(" ", text.lower()).strip() + " "
    c: Counter = Counter()
    for n in NGRAMS:
        for i in range(len(t) - n + 1):
            c[t[i : i + n]] += 1
    return c


@dataclass
class ToneLexicon:
    name: str
    tone: str  # the kit's wording of the avoided tone
    regex: re.Pattern | None
    caps: bool = False
    exclaim: bool = False


class VoiceFit:
    def __init__(self, kit: BrandKit, documents: list[str]) -> None:
        self.kit = kit
        docs = [d for d in documents if len(d.strip()) >= 40]
        base = " ".join([kit.voice.description, kit.voice.personality, " ".join(kit.voice.tone_words)])
        docs.append(base)
        counts = [_grams(d) for d in docs]
        df: Counter = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(docs)
        self.idf = {g: math.log((1 + n) / (1 + k)) + 1.0 for g, k in df.items()}
        self.doc_vecs = [self._vec(c) for c in counts]
        self.tones = self._tone_lexicons(kit.voice.avoid_tones)
        self.threshold = float(load_tones().get("similarity_threshold", 0.08))

    def _vec(self, grams: Counter) -> dict[str, float]:
        v = {g: (1 + math.log(k)) * self.idf[g] for g, k in grams.items() if g in self.idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    def similarity(self, text: str) -> float:
        v = self._vec(_grams(text))
        return max((sum(x * d.get(g, 0.0) for g, x in v.items()) for d in self.doc_vecs), default=0.0)

    @staticmethod
    def _tone_lexicons(avoid: list[str]) -> list[ToneLexicon]:
        groups = load_tones()["tones"]
        out = []
        for tone in avoid:
            low = tone.lower()
            for name, g in groups.items():
                if any(k.lower() in low for k in g.get("keys", [])):
                    regex = compile_alternation(g.get("terms") or [], g.get("patterns") or [])
                    out.append(ToneLexicon(name, tone, regex, bool(g.get("all_caps")), bool(g.get("exclamations"))))
        return out
