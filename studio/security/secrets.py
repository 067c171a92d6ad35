"""Secret files kept in Settings.secret_dir (default <data_dir>/secrets, mode 0700, never served).

A secret is created once, atomically: two processes starting at the same time get the same key, because the
file is created with O_EXCL and the loser reads the winner's file.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from studio.config import Settings, get_settings


def secret_dir(settings: Settings | None = None) -> Path:
    folder = (settings or get_settings()).secret_dir
    folder.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(folder, 0o700)
    except OSError:  # a folder we do not own (read-only mount): keep what is there
        pass
    return folder


def secret_bytes(name: str, settings: Settings | None = None, *, size: int = 32) -> bytes:
    """The secret `name`, created with `size` random bytes on first use."""
    path = secret_dir(settings) / name
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the creator may still be writing: wait for the full key
            data = path.read_bytes()
            if len(data) >= size:
                return data
            time.sleep(0.02)
        raise RuntimeError(f"secret file {path.name} is incomplete; remove it only if you know no record depends on it")
    with os.fdopen(fd, "wb") as handle:
        key = secrets.token_bytes(size)
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    return key


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive lock between processes (and threads, each opening its own descriptor) on `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
