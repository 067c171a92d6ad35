"""Chinese garble, learned: a second signal that tells the embedded SmolLM2-135M's Chinese from well-formed
Chinese copy, one sentence at a time, so a finding points at the sentence.

The 135M model writes "character salad" of plausible pairs (拥取更多第一手。, 惠用更精健的言输): each pair is
common enough that the stray-character rule (garbled_zh.py) lets it pass. The model here looks at a sentence
(up to 。！？!?；; or a line break) as a whole: one with at least MIN_HAN Han characters and at least MIN_STRAY
stray characters (the rest are never scored). Features:

- hashed character 2-4-grams of its Han runs, TF-IDF (studio/checks/learned/features.py, shared with the
  claims model: the same hashing, imported, not copied);
- a few numbers (DENSE): the mean and minimum log2 P of its character transitions under the character
  bigram model (zh_lm.py), the share of transitions below -8 and -11, how likely its first and last
  characters are at a clause edge, the share of its characters no dictionary word (nor the kit's or brief's
  pairs) covers, its stray characters (garbled_zh.stray), the share of one-character words in a greedy
  longest-word segmentation, the mean log2 P where two of those words meet, the share of function characters
  (的, 是, 在 ...) and its length.

One logistic regression over both, trained by scripts/train_garble_model.py on NEW 135M outputs
(evals/quality/model_train/) against well-formed Chinese copy that is no quality eval set (evals/checks, the
chayuan voice examples); see evals/quality/README.md. A sentence is salad when its probability reaches the
file's `threshold` (garble_model_zh_v1.json: 0.926): the lowest out-of-fold score at which at most 0.5 % of the
well-formed training texts are flagged (`max_fp_texts`), plus 0.02, and above every voice sentence's score
under the final model (0.43). Loaded once per process; about 0.2 ms CPU per ~100-word text that has stray
characters, nothing for one without.
"""

from __future__ import annotations

import json
import math
import re
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from studio.checks.learned.features import BITS, tf_idf_known
from studio.checks.quality.vocab import MAX_ZH_WORD, KnownText, zh_words
from studio.checks.quality.zh_lm import BOUNDARY, get_model

VERSION = "zh-v1"
FEATURES_VERSION = f"char_wb-2-4-hash{BITS}+dense-v2"
MODEL_FILE = Path(__file__).with_name("garble_model_zh_v1.json")
MIN_HAN = 6
# Only a sentence with at least this many stray characters (garbled_zh.stray) is scored: well-formed copy rarely
# has one (median 0 in evals/checks, the 135M model's sentences 18 % of their characters), and scoring costs
# ~1 ms per 100 words, skipping ~0.001 ms.
MIN_STRAY = 1
SCORE_CACHE = 16384  # sentences whose scores are kept (cleared when full)
DENSE = ("lp_mean", "lp_min", "below_8", "below_11", "lp_start", "lp_end", "uncovered", "stray", "singles", "log_len",
         "junction", "function")
# Characters that glue real Chinese together (particles, copulas, prepositions, adverbs): the 135M model's salad
# strings content words with few of them.
FUNCTION_CHARS = frozenset("的了是在和与也都就很更把被让给向从对为着过吗呢吧啊这那有不没会能要可以还又")


@cache
def word_starts() -> frozenset[str]:
    """Every dictionary word of 2+ characters and every start of 2+ characters of one: a walk from a character
    stops as soon as what it has read starts no word (most walks stop at the first pair)."""
    starts = {w[:k] for w in zh_words() for k in range(2, len(w))}
    return frozenset(starts | zh_words())


@lru_cache(maxsize=256)
def known_pairs(known: tuple[KnownText, ...]) -> frozenset[str]:
    """The character pairs the kit's and the brief's texts use (their KnownText objects are built once, never
    changed: cached by identity)."""
    return frozenset().union(*(k.zh_pairs for k in known))


def _words_from(run: str, i: int, starts: frozenset[str], words: frozenset[str]) -> int:
    """The end of the longest dictionary word starting at i (at most MAX_ZH_WORD characters), or 0."""
    n, best, j = len(run), 0, i + 2
    top = min(n, i + MAX_ZH_WORD)
    while j <= top:
        piece = run[i:j]
        if piece not in starts:
            break
        if piece in words:
            best = j
        j += 1
    return best


def covered_mask(run: str, known: tuple[KnownText, ...]) -> list[bool]:
    """Is each character of the run inside a dictionary word or a pair the kit or brief uses (garbled_zh._covered
    is the plain definition): from each start only the longest word matters, and only where it ends past the
    furthest end covered so far."""
    starts, words, pairs = word_starts(), zh_words(), known_pairs(known)
    n = len(run)
    cov = [False] * n
    end = 0
    for i in range(n - 1):
        best = max(_words_from(run, i, starts, words), i + 2 if run[i:i + 2] in pairs else 0)
        if best > end:
            for k in range(max(i, end), best):
                cov[k] = True
            end = best
    return cov


def _segment(run: str) -> list[int]:
    """Where each word ends in a greedy longest-first segmentation (a character no word starts with is a word)."""
    starts, words = word_starts(), zh_words()
    ends, i, n = [], 0, len(run)
    while i < n:
        i = _words_from(run, i, starts, words) or i + 1
        ends.append(i)
    return ends


@lru_cache(maxsize=16384)
def _run_numbers(run: str, known: tuple[KnownText, ...]) -> tuple[tuple[float, ...], tuple[float, ...], int, int, int]:
    """(log2 P of each transition inside the run, of each transition between two words of its greedy segmentation,
    covered characters, one-character words, function characters) of one Han run."""
    lm = get_model()
    inner = tuple(lm.logprob(run[i], run[i + 1]) for i in range(len(run) - 1))
    ends = _segment(run)
    junctions = tuple(inner[e - 1] for e in ends[:-1])
    singles = sum(1 for k, e in enumerate(ends) if e - (ends[k - 1] if k else 0) == 1)
    return inner, junctions, sum(covered_mask(run, known)), singles, sum(c in FUNCTION_CHARS for c in run)


def dense_features(runs: tuple[str, ...], known: tuple[KnownText, ...], stray_count: int) -> tuple[float, ...]:
    """The DENSE numbers of one sentence given as its Han runs (stray_count: their stray characters,
    garbled_zh.stray)."""
    lm = get_model()
    inner: list[float] = []
    junctions: list[float] = []
    covered = singles = function = 0
    for run in runs:
        lps, joins, cov, one, func = _run_numbers(run, known)
        inner += lps
        junctions += joins
        covered += cov
        singles += one
        function += func
    n = sum(map(len, runs))
    inner = inner or [0.0]
    return (
        sum(inner) / len(inner),
        min(inner),
        sum(lp < -8 for lp in inner) / len(inner),
        sum(lp < -11 for lp in inner) / len(inner),
        lm.logprob(BOUNDARY, runs[0][0]),
        lm.logprob(runs[-1][-1], BOUNDARY),
        1 - covered / n,
        stray_count / n,
        singles / n,
        math.log(n),
        sum(junctions) / len(junctions) if junctions else 0.0,
        function / n,
    )


_ENDS = "。！？!?；;\n"
_NEXT_END = re.compile(f"[{_ENDS}]")


def sentences(text: str, runs: list[tuple[int, str, int]], min_stray: int = 0,
              min_han: int = MIN_HAN) -> list[tuple[int, int, tuple[str, ...], int]]:
    """(start, end, its Han runs, their stray characters) of each sentence of the text (up to 。！？!?；; or a line
    break, which stays with it) with at least min_han Han characters and min_stray stray characters; runs: (start,
    run, stray count) of every Han run of the text, in order. With min_stray > 0 only the sentences around runs with
    stray characters are looked at (most texts have none)."""
    out = []
    k, n = 0, len(runs)
    while k < n:
        if min_stray and not runs[k][2]:
            k += 1
            continue
        start = max(text.rfind(c, 0, runs[k][0]) for c in _ENDS) + 1
        while k > 0 and runs[k - 1][0] >= start:
            k -= 1
        m = _NEXT_END.search(text, runs[k][0])
        end = m.start() if m else len(text)
        while end < len(text) and text[end] in _ENDS and text[end] != "\n":
            end += 1
        inside, stray = [], 0
        while k < n and runs[k][0] < end:
            inside.append(runs[k][1])
            stray += runs[k][2]
            k += 1
        if sum(map(len, inside)) >= min_han and stray >= min_stray:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            out.append((start, end, tuple(inside), stray))
    return out


class GarbleModel:
    def __init__(self, data: dict) -> None:
        if data.get("version") != VERSION or data.get("features_version") != FEATURES_VERSION:
            raise ValueError(f"garble model: {data.get('version')}/{data.get('features_version')}, this code reads "
                             f"{VERSION}/{FEATURES_VERSION}")
        if list(data["dense"]) != list(DENSE):
            raise ValueError(f"garble model: dense features {data['dense']}, this code computes {list(DENSE)}")
        self.version = data["version"]
        self.threshold = float(data["threshold"])
        ids = np.asarray(data["features"], dtype=np.int64)
        order = np.argsort(ids, kind="stable")
        self.feature_idf = np.asarray(data["idf"], dtype=np.float64)[order]
        self.coef = np.asarray(data["coef"], dtype=np.float64)[order]
        self.index = np.full(1 << BITS, -1, dtype=np.int32)
        self.index[ids[order]] = np.arange(len(order))
        self.mean = np.asarray(data["dense_mean"], dtype=np.float64)
        self.scale = np.asarray(data["dense_scale"], dtype=np.float64)
        self.dense_coef = np.asarray(data["dense_coef"], dtype=np.float64)
        self.intercept = float(data["intercept"])
        # Scores by (the sentence's Han runs, its stray characters, the known texts): a pure result, and sentences
        # come back (a product line, a stock phrase, the same sentence in a variant's fields).
        self._scored: dict[tuple, float] = {}

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> GarbleModel:
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def scores(self, runs: list[str], dense: np.ndarray) -> np.ndarray:
        """Probability of salad for each run; dense: one row of DENSE numbers per run."""
        z = self.intercept + ((dense - self.mean) / self.scale) @ self.dense_coef
        part, row, w = tf_idf_known(runs, self.index, self.feature_idf)
        if len(row):
            z = z + np.bincount(part, weights=self.coef[row] * w, minlength=len(runs))
        return 1.0 / (1.0 + np.exp(-z))

    def scored_sentences(self, text: str, runs: list[tuple[int, str, int]], known: tuple[KnownText, ...],
                         min_stray: int = MIN_STRAY, min_han: int = MIN_HAN) -> list[tuple[int, int, float]]:
        """(start, end, score) of each sentence of the text with at least min_han Han and min_stray stray characters;
        runs: (start, run, stray count) of every Han run of the text."""
        units = sentences(text, runs, min_stray, min_han)
        if not units:
            return []
        keys = [(inside, stray, known) for _, _, inside, stray in units]
        new = list(dict.fromkeys(k for k in keys if k not in self._scored))
        if new:
            dense = np.asarray([dense_features(inside, kn, stray) for inside, stray, kn in new])
            if len(self._scored) + len(new) > SCORE_CACHE:
                self._scored.clear()
            self._scored.update(zip(new, map(float, self.scores([" ".join(inside) for inside, _, _ in new], dense))))
        return [(s, e, self._scored[k]) for (s, e, _, _), k in zip(units, keys)]

    def salad_sentences(self, text: str, runs: list[tuple[int, str, int]],
                        known: tuple[KnownText, ...]) -> list[tuple[int, int, float]]:
        """The scored sentences (above) at or above the threshold."""
        return [u for u in self.scored_sentences(text, runs, known) if u[2] >= self.threshold]


@cache
def get_garble_model() -> GarbleModel | None:
    """The shipped model, or None when the file is absent (a checkout that has not trained it)."""
    return GarbleModel.load() if MODEL_FILE.is_file() else None


