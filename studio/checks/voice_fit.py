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

from studio.checks.normalize import dominant_lang
from studio.checks.packs import Rule, load_tones, term_part
from studio.domain import BrandKit, Severity

NGRAMS = (2, 3, 4)
# Short lines say too little about voice to judge; a Han character carries about two letters' worth.
MIN_CHARS_FOR_SIMILARITY = {"en": 120, "zh": 60}
_SPACE = re.compile(r"\s+")


MAX_CHARS = 800  # voice is judged on the opening; keeps the check fast on long bodies


def _grams(text: str) -> Counter:
    t = " " + _SPACE.sub(" ", text[:MAX_CHARS].lower()).strip() + " "
    c: Counter = Counter()
    for n in NGRAMS:
        c.update(t[i : i + n] for i in range(len(t) - n + 1))
    return c


@dataclass
class ToneLexicon:
    name: str
    tone: str  # the kit's wording of the avoided tone
    rule: object  # a packs.Rule holding the lexicon (terms gated by trigger keys)
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
        # Documents as a sparse (grams x docs) matrix: scoring a text is one sparse product.
        from scipy.sparse import csr_matrix

        self.vocab = {g: i for i, g in enumerate(self.idf)}
        rows, cols, vals = [], [], []
        for j, c in enumerate(counts):
            for g, x in self._vec(c).items():
                rows.append(self.vocab[g])
                cols.append(j)
                vals.append(x)
        self.matrix = csr_matrix((vals, (rows, cols)), shape=(len(self.vocab), len(docs)))
        self.tones = self._tone_lexicons(kit.voice.avoid_tones)
        self.language = dominant_lang(kit.voice.description)
        threshold = load_tones().get("similarity_threshold", 0.08)
        self.threshold = float(threshold.get(self.language, 0.08) if isinstance(threshold, dict) else threshold)
        self.min_chars = MIN_CHARS_FOR_SIMILARITY[self.language]

    def _vec(self, grams: Counter) -> dict[str, float]:
        v = {g: (1 + math.log(k)) * self.idf[g] for g, k in grams.items() if g in self.idf}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    def similarity(self, text: str) -> float:
        """Best cosine similarity between the text and any voice passage (0..1)."""
        v = self._vec(_grams(text))
        if not v:
            return 0.0
        idx = [self.vocab[g] for g in v]
        scores = self.matrix[idx].T @ list(v.values())
        return float(scores.max())

    @staticmethod
    def _tone_lexicons(avoid: list[str]) -> list[ToneLexicon]:
        groups = load_tones()["tones"]
        out = []
        for tone in avoid:
            low = tone.lower()
            for name, g in groups.items():
                if any(k.lower() in low for k in g.get("keys", [])):
                    terms = g.get("terms") or []
                    parts = term_part(terms) if terms else []
                    rule = Rule(id=f"tone.{name}", category="voice_mismatch", severity=Severity.warn, message="",
                                suggestion="", source="tones.yaml", pack="tones",
                                regex=parts[0][0] if parts else None, parts=parts)
                    out.append(ToneLexicon(name, tone, rule, bool(g.get("all_caps")), bool(g.get("exclamations"))))
        return out
