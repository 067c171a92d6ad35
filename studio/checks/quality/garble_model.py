"""Chinese garble, learned (English below): a second signal that tells the embedded SmolLM2-135M's Chinese from
well-formed Chinese copy, one sentence at a time, so a finding points at the sentence.

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

English (garble_model_en_v1.json, the same GarbleModel and training script, `--lang en`): the 135M model's English
salad is made of listed words, so the features are its word ORDER, never its topic words. Each sentence (up to . ! ?
… before a space, or a line break) of at least EN_MIN_WORDS words becomes a word pattern, one private-use symbol per
word (each of wordfreq's EN_TOP most frequent words its own; any other word its class: a number, a kit or brief word,
or its Zipf band, capitalised or not), whose hashed 2-4-grams go through the same tf-idf; plus EN_DENSE numbers
(length, mean Zipf, shares of rare, top, capitalised, number and kit words, distinct words, the longest run of content
words, a closing mark, mean word length). garbled_en scores a text only when no English rule found anything. A
sentence is salad at the file's `threshold` (0.922): as for Chinese, the lowest grouped out-of-fold score flagging at
most 0.5 % of the well-formed training texts, plus 0.02; the highest northpeak voice sentence scores 0.70. It catches
mostly the model's chains of title-case phrases around "One ..." ("One Line: One Minute's Worth ..."), about 12 % of
its salad texts out of fold; plain sentences of real words in a wrong order mostly pass. About 0.2 ms CPU per ~100-word
text (en_units ~0.11, the numpy scoring ~0.09), paid by every English text no rule flags.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
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
DENSE = ("lp_mean", "lp_min", "below_8", "below_11", "lp_start", "lp_end", "uncovered", "stray", "singles", "log_len",
         "junction", "function")
# Characters that glue real Chinese together (particles, copulas, prepositions, adverbs): the 135M model's salad
# strings content words with few of them.
FUNCTION_CHARS = frozenset("的了是在和与也都就很更把被让给向从对为着过吗呢吧啊这那有不没会能要可以还又")


def _segment(run: str, words: frozenset[str]) -> list[int]:
    """Where each word ends in a greedy longest-first segmentation (a character no word starts with is a word)."""
    ends, i, n = [], 0, len(run)
    while i < n:
        for j in range(min(n, i + MAX_ZH_WORD), i, -1):
            if j == i + 1 or run[i:j] in words:
                ends.append(j)
                i = j
                break
    return ends


def _covered(run: str, words: frozenset[str], known: tuple[KnownText, ...]) -> int:
    """Characters inside some dictionary word or a pair the kit or brief uses."""
    n = len(run)
    cov = [False] * n
    for i in range(n - 1):
        for j in range(min(n, i + MAX_ZH_WORD), i + 1, -1):
            w = run[i:j]
            if w in words or (j == i + 2 and any(w in k.zh_pairs for k in known)):
                cov[i:j] = [True] * (j - i)
                break
    return sum(cov)


@lru_cache(maxsize=16384)
def _run_numbers(run: str, known: tuple[KnownText, ...]) -> tuple[tuple[float, ...], tuple[float, ...], int, int, int]:
    """(log2 P of each transition inside the run, of each transition between two words of its greedy segmentation,
    covered characters, one-character words, function characters) of one Han run."""
    lm = get_model()
    words = zh_words()
    inner = tuple(lm.logprob(run[i], run[i + 1]) for i in range(len(run) - 1))
    ends = _segment(run, words)
    junctions = tuple(inner[e - 1] for e in ends[:-1])
    singles = sum(1 for k, e in enumerate(ends) if e - (ends[k - 1] if k else 0) == 1)
    return inner, junctions, _covered(run, words, known), singles, sum(c in FUNCTION_CHARS for c in run)


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


def sentences(text: str, runs: list[tuple[int, str, int]], min_stray: int = 0) -> list[tuple[int, int, tuple[str, ...], int]]:
    """(start, end, its Han runs, their stray characters) of each sentence of the text (up to 。！？!?；; or a line
    break, which stays with it) with at least MIN_HAN Han characters and min_stray stray characters; runs: (start,
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
        if sum(map(len, inside)) >= MIN_HAN and stray >= min_stray:
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            out.append((start, end, tuple(inside), stray))
    return out


@dataclass(frozen=True)
class Spec:
    """What one language's model file must have been trained with: this code's features."""

    version: str
    features_version: str
    dense: tuple[str, ...]
    file: Path


class GarbleModel:
    def __init__(self, data: dict, spec: Spec | None = None) -> None:
        spec = spec or SPECS["zh"]
        if data.get("version") != spec.version or data.get("features_version") != spec.features_version:
            raise ValueError(f"garble model: {data.get('version')}/{data.get('features_version')}, this code reads "
                             f"{spec.version}/{spec.features_version}")
        if list(data["dense"]) != list(spec.dense):
            raise ValueError(f"garble model: dense features {data['dense']}, this code computes {list(spec.dense)}")
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

    @classmethod
    def load(cls, spec: Spec | None = None) -> GarbleModel:
        spec = spec or SPECS["zh"]
        return cls(json.loads(spec.file.read_text(encoding="utf-8")), spec)

    def scores(self, runs: list[str], dense: np.ndarray) -> np.ndarray:
        """Probability of salad for each run; dense: one row of DENSE numbers per run."""
        z = self.intercept + ((dense - self.mean) / self.scale) @ self.dense_coef
        part, row, w = tf_idf_known(runs, self.index, self.feature_idf)
        if len(row):
            z = z + np.bincount(part, weights=self.coef[row] * w, minlength=len(runs))
        return 1.0 / (1.0 + np.exp(-z))

    def salad_sentences(self, text: str, runs: list[tuple[int, str, int]],
                        known: tuple[KnownText, ...]) -> list[tuple[int, int, float]]:
        """(start, end, score) of each sentence of the text whose score reaches the threshold; runs: (start, run,
        stray count) of every Han run of the text."""
        units = sentences(text, runs, MIN_STRAY)
        if not units:
            return []
        dense = np.asarray([dense_features(inside, known, stray) for _, _, inside, stray in units])
        probs = self.scores([" ".join(inside) for _, _, inside, _ in units], dense)
        return [(s, e, float(p)) for (s, e, _, _), p in zip(units, probs) if p >= self.threshold]

    def en_salad_sentences(self, text: str, known: tuple[KnownText, ...]) -> list[tuple[int, int, float]]:
        """(start, end, score) of each English sentence of the text (en_units) whose score reaches the threshold."""
        units = en_units(text, known)
        if not units:
            return []
        probs = self.scores([u[2] for u in units], np.asarray([u[3] for u in units]))
        return [(s, e, float(p)) for (s, e, _, _), p in zip(units, probs) if p >= self.threshold]


# ---------------------------------------------------------------------------------------------------- English
# The 135M model's English is "word salad" of real words ("Applications of March open in the test group"): every
# word is listed, so garbled_en's word-frequency rules see nothing. What gives it away is the ORDER of words: a
# sentence is rewritten as its word pattern, one symbol per word: each of the EN_TOP most frequent English words
# (wordfreq; nearly all function words) its own symbol, every other word its class (a number, a kit or brief word,
# or its Zipf band, capitalised or not inside the sentence). The pattern's 2-4-grams (hashed as above) and a few
# numbers (EN_DENSE) feed the same logistic regression as the Chinese model. Topic words never reach the model, so
# it cannot learn "outdoor gear" from the 135M model's northpeak briefs.
EN_VERSION = "en-v1"
EN_FEATURES_VERSION = f"word-pattern-2-4-hash{BITS}+dense-en-v1"
EN_MODEL_FILE = Path(__file__).with_name("garble_model_en_v1.json")
EN_TOP = 100
EN_MIN_WORDS = 5  # a shorter sentence (a headline, a call to action) is not scored
EN_DENSE = ("log_words", "zipf_mean", "rare", "top", "caps_inside", "numbers", "kit_words", "distinct", "content_run",
            "closed", "word_len")
_EN_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,:]\d+)*")
# a sentence: up to . ! ? … followed by a space or the end (not "75.00"), or a line break; runs of other characters
# are taken whole (a lazy "anything up to an end" pattern costs 4x as much)
_EN_SENTENCE = re.compile(r"[^\s](?:[^.!?…\n]+|[.!?…]+(?=\S))*[.!?…]*")
_PUA = 0xE000  # pattern symbols: private-use characters, so their n-gram hashes meet no real text's


@cache
def _en_symbols() -> dict[str, str]:
    from wordfreq import top_n_list

    top = [w for w in top_n_list("en", 2 * EN_TOP) if w.isalpha()][:EN_TOP]
    return {w: chr(_PUA + 32 + i) for i, w in enumerate(top)}


_NUMBER, _KIT = chr(_PUA), chr(_PUA + 1)
_BANDS = (5.0, 4.0, 3.0)  # Zipf bands: >= 5, 4-5, 3-4, below 3 (or unlisted); + 4 when capitalised inside a sentence


def _en_token(tok: str, known: tuple[KnownText, ...]) -> tuple[str, str, float, str]:
    """(symbol as a sentence's first word, symbol inside a sentence, Zipf (0 for a number), kind) of one token; kind:
    n a number, t one of the EN_TOP words, k the kit's or brief's, w a listed word, r a rare or unlisted one (W, R:
    capitalised)."""
    from studio.checks.quality.vocab import en_key, en_zipf, known_en

    if tok[0].isdigit():
        return _NUMBER, _NUMBER, 0.0, "n"
    low = tok.lower()
    sym = _en_symbols().get(low)
    z = en_zipf()
    if sym is not None:
        return sym, sym, z.get(low, 0.0), "t"
    key = en_key(low)
    zipf = z.get(key, 0.0)
    if known and zipf < _BANDS[1] and known_en(key, known):
        return _KIT, _KIT, zipf, "k"
    band = next((k for k, b in enumerate(_BANDS) if zipf >= b), len(_BANDS))
    cap = tok[0].isupper()
    kind = "r" if band == len(_BANDS) else "w"
    return chr(_PUA + 2 + band), chr(_PUA + 2 + band + 4 * cap), zipf, kind.upper() if cap else kind


# Each token's _en_token answer, per known texts (the kit's, the brief's: built once, never changed); copy repeats
# its words, so most tokens cost a dict lookup. Started again when it grows past _TOKENS_MAX.
_TOKENS: dict[tuple[KnownText, ...], dict[str, tuple[str, str, float, str]]] = {}
_TOKENS_MAX = 100_000
_NOT_CONTENT = str.maketrans("ntk", "   ")


def _tokens_info(tokens: list[str], known: tuple[KnownText, ...]) -> list[tuple[str, str, float, str]]:
    cached = _TOKENS.get(known)
    if cached is None or len(cached) > _TOKENS_MAX:
        cached = _TOKENS[known] = {}
        if len(_TOKENS) > 64:
            _TOKENS.clear()
            _TOKENS[known] = cached
    try:
        return list(map(cached.__getitem__, tokens))
    except KeyError:
        for t in tokens:
            if t not in cached:
                cached[t] = _en_token(t, known)
        return list(map(cached.__getitem__, tokens))


def en_unit(sentence: str, tokens: list[str], known: tuple[KnownText, ...]) -> tuple[str, tuple[float, ...]]:
    """(word pattern, EN_DENSE numbers) of one English sentence and its tokens (_EN_TOKEN)."""
    firsts, insides, zipfs, kinds = zip(*_tokens_info(tokens, known))
    kinds = "".join(kinds)
    n = len(tokens)
    numbers = kinds.count("n")
    words = max(1, n - numbers)
    return firsts[0] + "".join(insides[1:]), (
        math.log(n),
        sum(zipfs) / words,
        (kinds.count("r") + kinds.count("R")) / words,
        kinds.count("t") / words,
        (kinds.count("W", 1) + kinds.count("R", 1)) / words,
        numbers / n,
        kinds.count("k") / words,
        len(set(tokens)) / n,
        max(map(len, kinds.translate(_NOT_CONTENT).split()), default=0) / n,
        float(sentence.rstrip()[-1:] in ".!?…"),
        sum(map(len, tokens)) / n,
    )


def en_units(text: str, known: tuple[KnownText, ...]) -> list[tuple[int, int, str, tuple[float, ...]]]:
    """(start, end, word pattern, EN_DENSE numbers) of each sentence of an English text with at least EN_MIN_WORDS
    words."""
    out = []
    for m in _EN_SENTENCE.finditer(text):
        sentence = m.group()
        tokens = _EN_TOKEN.findall(sentence)
        if len(tokens) >= EN_MIN_WORDS:
            out.append((m.start(), m.end(), *en_unit(sentence, tokens, known)))
    return out


SPECS = {"zh": Spec(VERSION, FEATURES_VERSION, DENSE, MODEL_FILE),
         "en": Spec(EN_VERSION, EN_FEATURES_VERSION, EN_DENSE, EN_MODEL_FILE)}


@cache
def get_garble_model(lang: str = "zh") -> GarbleModel | None:
    """The shipped model of a language ("zh", "en"), or None when its file is absent (a checkout that has not
    trained it)."""
    spec = SPECS[lang]
    return GarbleModel.load(spec) if spec.file.is_file() else None
