"""Voice fit (category voice_mismatch): the kit's avoided tones and lexical similarity to its voice.

Similarity is TF-IDF over character n-grams (works for Chinese without a tokenizer), fitted once per
kit on its voice documents and description; a text is scored by its best cosine similarity to any
voice passage. Deliberately lexical and fast: no neural model in the check path.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from studio.language import dominant_lang
from studio.checks.learned.tone_model import get_tone_model, tone_findings
from studio.checks.packs import Rule, load_tones, term_part
from studio.domain import BrandKit, Finding, Severity

NGRAMS = (2, 3, 4)
# Short lines say too little about voice to judge; a Han character carries about two letters' worth.
MIN_CHARS_FOR_SIMILARITY = {"en": 120, "zh": 60}


MAX_CHARS = 800  # voice is judged on the opening; keeps the check fast on long bodies
PROBE_DOCS = 8  # passages scored first when only "below the threshold or not" is asked (similarity_below)
# A cosine of unit vectors summed in another order moves by ~1e-15; the quick probe score must clear the
# threshold by this much to decide alone.
PROBE_MARGIN = 1e-9


def _padded(text: str) -> str:
    """The opening of the text, lower-cased, whitespace runs as one space, with a space at each end."""
    return " " + " ".join(text[:MAX_CHARS].lower().split()) + " "


def _grams(text: str) -> Counter:
    t = _padded(text)
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
        # The vocabulary in a fixed order, by length and then by character: the order in which every sum
        # below is taken, and the order of the integer codes of the fast path (see _prepare_fast).
        grams = sorted(df, key=lambda g: (len(g), g))
        self.vocab = {g: i for i, g in enumerate(grams)}
        self.idf = {g: math.log((1 + n) / (1 + df[g])) + 1.0 for g in grams}
        # Documents as a sparse (docs x grams) matrix: scoring a text is one sparse product.
        from scipy.sparse import csr_matrix

        rows, cols, vals = [], [], []
        for j, c in enumerate(counts):
            for g, x in self._vec(c).items():
                rows.append(j)
                cols.append(self.vocab[g])
                vals.append(x)
        self.matrix = csr_matrix((vals, (rows, cols)), shape=(len(docs), len(self.vocab)))
        self.matrix.sort_indices()
        self._prepare_fast()
        self.tones = self._tone_lexicons(kit.voice.avoid_tones)
        self.tone_model = get_tone_model()  # the learned signal for the same avoided tones; None if not shipped
        self.language = dominant_lang(kit.voice.description)
        threshold = load_tones().get("similarity_threshold", 0.08)
        self.threshold = float(threshold.get(self.language, 0.08) if isinstance(threshold, dict) else threshold)
        self.min_chars = MIN_CHARS_FOR_SIMILARITY[self.language]

    def _vec(self, grams: Counter) -> dict[str, float]:
        """TF-IDF weights of the known grams, L2-normalised, in vocabulary order."""
        known = sorted((self.vocab[g], g, k) for g, k in grams.items() if g in self.vocab)
        v = {g: (1 + math.log(k)) * self.idf[g] for _i, g, k in known}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {g: x / norm for g, x in v.items()}

    def _similarity_reference(self, text: str) -> float:
        """similarity() written plainly (Counter, dicts, a sparse product): the definition it must equal."""
        v = self._vec(_grams(text))
        if not v:
            return 0.0
        dense = np.zeros(len(self.vocab))
        dense[[self.vocab[g] for g in v]] = list(v.values())
        return float((self.matrix @ dense).max())

    def _prepare_fast(self) -> None:
        """Integer codes for the vocabulary's n-grams, so a text's grams are found with a few array operations.

        Each character of the vocabulary gets a number 1..A in code-point order (any other character 0);
        an n-gram is n * B**4 plus the base-B number of its characters (B = A + 1). So grams of different
        lengths never share a code, a gram with an unknown character never equals a vocabulary code, and
        sorting codes sorts grams by length and then by character: the vocabulary's order. Codes fit in
        int64 while 5 * B**4 < 2**62 (up to ~33,000 distinct characters; beyond, the reference path runs).
        """
        alphabet = sorted({ch for g in self.vocab for ch in g})
        base = len(alphabet) + 1
        self._fast = 5 * base**4 < 2**62
        if not self._fast:
            return
        top = max(ord(ch) for ch in alphabet) if alphabet else 0
        table = np.zeros(top + 2, dtype=np.int64)  # the last slot: any code point above `top`
        for i, ch in enumerate(alphabet, start=1):
            table[ord(ch)] = i
        digit = {ch: i for i, ch in enumerate(alphabet, start=1)}
        self._table, self._base, self._top = table, base, top + 1
        self._vcodes = np.array([len(g) * base**4 + sum(digit[ch] * base ** (len(g) - 1 - k) for k, ch in enumerate(g))
                                 for g in self.vocab], dtype=np.int64)  # ascending: code i is vocabulary index i
        assert bool(np.all(self._vcodes[1:] > self._vcodes[:-1])), "gram codes out of vocabulary order"
        self._idf_arr = np.array(list(self.idf.values()), dtype=np.float64)  # by vocabulary index
        self._logs = np.array([0.0] + [math.log(k) for k in range(1, 4 * MAX_CHARS)])  # math.log, as _vec uses
        # The passages most like the others, scored first by similarity_below().
        typical = np.asarray((self.matrix @ self.matrix.T).mean(axis=1)).ravel()
        self._probe = self.matrix[np.sort(np.argsort(-typical, kind="stable")[:PROBE_DOCS])]
        # The probe passages by gram (vocabulary x PROBE_DOCS): a text's rows are gathered for a quick score.
        self._probe_by_gram = np.ascontiguousarray(self._probe.T.toarray())

    def similarity(self, text: str) -> float:
        """Best cosine similarity between the text and any voice passage (0..1).

        Bit-for-bit the same number as _similarity_reference(): the same grams and counts, the same
        weights, and every sum taken in vocabulary order (sequentially, as Python's sum() and scipy's
        sparse product add; the product's extra zero terms leave a float sum unchanged).
        """
        return self.similarity_below(text, math.inf)

    def similarity_below(self, text: str, threshold: float) -> float | None:
        """similarity(text) if it is below threshold, else None.

        Most copy reaches the threshold with one of the few most typical voice passages (scored first,
        PROBE_DOCS of them); that settles it without scoring every passage. The same sums as similarity().
        """
        if not self._fast:
            score = self._similarity_reference(text)
            return score if score < threshold else None
        weights = self._text_weights(text)
        if weights is None:
            return 0.0 if 0.0 < threshold else None
        gid, x = weights
        # Quick: the probe scores from the text's own grams only. A dot product in another order than the
        # sparse product's differs from it by far less than PROBE_MARGIN, so clearly reaching the threshold
        # settles it; anything closer takes the exact sums below.
        if float((x @ self._probe_by_gram[gid]).max()) >= threshold + PROBE_MARGIN:
            return None
        dense = np.zeros(len(self._vcodes))
        dense[gid] = x
        if float((self._probe @ dense).max()) >= threshold:
            return None
        score = float((self.matrix @ dense).max())
        return score if score < threshold else None

    def _text_weights(self, text: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(vocabulary indices, ascending; their L2-normalised weights) of the text's known grams, or None."""
        t = _padded(text)
        cp = np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        a = self._table[np.minimum(cp, self._top)]
        base = self._base
        chunks = []
        code = a  # the n-gram codes grow one character at a time: code_n = code_(n-1) * base + next
        for n in range(1, max(NGRAMS) + 1):
            if n > 1:
                code = code[:-1] * base + a[n - 1 :]
            if n in NGRAMS and len(code):
                chunks.append(code + n * base**4)
        if not chunks:
            return None
        codes = np.sort(np.concatenate(chunks))
        # Distinct codes (ascending, i.e. in vocabulary order) and how often each occurs.
        new = np.empty(len(codes), dtype=bool)
        new[0] = True
        np.not_equal(codes[1:], codes[:-1], out=new[1:])
        at = np.flatnonzero(new)
        ucodes, counts = codes[at], np.diff(np.append(at, len(codes)))
        vcodes = self._vcodes
        pos = np.searchsorted(vcodes, ucodes)
        np.minimum(pos, len(vcodes) - 1, out=pos)
        hit = vcodes[pos] == ucodes
        if not hit.any():
            return None
        gid, cnt = pos[hit], counts[hit]  # vocabulary indices, ascending
        if int(cnt.max()) < len(self._logs):
            lg = self._logs[cnt]
        else:
            lg = np.array([math.log(c) for c in cnt.tolist()])
        w = (1.0 + lg) * self._idf_arr[gid]
        norm = math.sqrt(float(np.add.accumulate(w * w)[-1])) or 1.0
        return gid, w / norm

    def model_findings(self, text: str, field: str | None, found: list[Finding]) -> list[Finding]:
        """The learned tone model's findings for the avoided tones whose lexicon found nothing in `found`
        (a lexicon's finding names the words; the model's only a score)."""
        if self.tone_model is None or not self.tones:
            return []
        heard = {f.rule.rsplit(".", 1)[-1] for f in found if ".avoid_tone." in f.rule}
        avoided = list({lex.name: (lex.name, lex.tone) for lex in self.tones if lex.name not in heard}.values())
        if not avoided:
            return []
        return tone_findings(self.tone_model, text, field, avoided, self.kit.id, self.kit.name,
                             f"say it in the kit's voice: {', '.join(self.kit.voice.tone_words[:4])}")

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
