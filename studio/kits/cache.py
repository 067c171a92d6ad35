"""A process-wide cache of loaded kits for the hot paths (every variant, every batch row).

A kit is re-read when its folder changes: the signature is the modification times of kit.yaml and
of the voice/ and assets/ folders (adding, removing or replacing files, or a re-installed kit)."""

from __future__ import annotations

import threading
from pathlib import Path

from studio.kits.loader import LoadedKit, load_kit

_cache: dict[tuple[str, str], tuple[tuple, LoadedKit]] = {}
_lock = threading.Lock()


def _signature(folder: Path) -> tuple:
    def mtime(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    return mtime(folder / "kit.yaml"), mtime(folder / "voice"), mtime(folder / "assets")


def cached_kit(kit_id: str, kits_dir: Path) -> LoadedKit:
    """load_kit, without re-parsing and re-validating an unchanged kit."""
    key = (kit_id, str(Path(kits_dir).resolve()))
    with _lock:
        hit = _cache.get(key)
        if hit and _signature(hit[1].root) == hit[0]:
            return hit[1]
    loaded = load_kit(kit_id, kits_dir)
    with _lock:
        _cache[key] = (_signature(loaded.root), loaded)
    return loaded
