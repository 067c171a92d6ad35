"""Where files derived from shipped data are cached between processes (the embedded model's converted copy, the
profanity model's arrays, the rule packs' pattern analysis): STUDIO_MODEL_CACHE (the tests share one across
runs), else <data dir>/models. Everything there can be deleted; it is rebuilt on next use."""

from __future__ import annotations

import os
from pathlib import Path


def cache_root(data_dir: Path | None = None) -> Path:
    env = os.environ.get("STUDIO_MODEL_CACHE")
    if env:
        return Path(env)
    if data_dir is None:
        from studio.config import get_settings

        data_dir = get_settings().data_dir
    return Path(data_dir) / "models"
