"""A process-wide cache of loaded kits for the hot paths (every variant, every batch row).

A kit is re-read when its folder changes: the signature is the modification times of kit.yaml and
of the voice/, assets/ and modules/ folders (adding, removing or replacing files, or a re-installed kit)."""

from __future__ import annotations

import threading
from pathlib import Path

from studio.kits.loader import LoadedKit, load_kit

_cache: dict[tuple[str, str], tuple[tuple, LoadedKit]] = {}
_lock = threading.Lock()
# One loader per kit: the first rows of a batch on 16 threads miss together, and each parsed the kit (0.4 CPU-s).
_loading: dict[tuple[str, str], threading.Lock] = {}


def _signature(folder: Path) -> tuple:
    def mtime(path: Path) -> int:
        try:
            return path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    return mtime(folder / "kit.yaml"), mtime(folder / "voice"), mtime(folder / "assets"), mtime(folder / "modules")


def cached_kit(kit_id: str, kits_dir: Path) -> LoadedKit:
    """load_kit, without re-parsing and re-validating an unchanged kit."""
    key = (kit_id, str(Path(kits_dir).resolve()))
    with _lock:
        if (fresh := _fresh(key)) is not None:
            return fresh
        loading = _loading.setdefault(key, threading.Lock())
    with loading:  # the others wait for this load instead of doing their own
        with _lock:
            if (fresh := _fresh(key)) is not None:
                return fresh
        loaded = load_kit(kit_id, kits_dir)
        with _lock:
            _cache[key] = (_signature(loaded.root), loaded)
    return loaded


def _fresh(key: tuple[str, str]) -> LoadedKit | None:
    """The cached kit if its folder has not changed since it was read (call with _lock held)."""
    hit = _cache.get(key)
    return hit[1] if hit and _signature(hit[1].root) == hit[0] else None
