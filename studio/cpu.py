"""CPU threading for the embedded model (and every torch model in the process).

Why: torch's OpenMP threads spin-wait between the ~1,000 small matrix products of each decoding
step. On a small shared machine (2 cores, other processes busy) a spinning thread steals the core
its partner needs, and decoding slows down 10-20x: 120 tokens took 160 s instead of 2-3 s, which
is what made the write stage look hung under load. With OMP_WAIT_POLICY=PASSIVE the threads sleep
instead of spinning and the slowdown disappears. The policy is read once, when torch loads its
OpenMP runtime, so it must be in the environment before the first `import torch`; if torch was
imported earlier without it, the embedded model falls back to one thread (immune to the problem).
"""

from __future__ import annotations

import os
import sys

_passive_effective: bool | None = None


def prepare() -> None:
    """Call before torch is imported (studio.generate and studio.voice do, at import)."""
    global _passive_effective
    if _passive_effective is not None:
        return
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    _passive_effective = os.environ.get("OMP_WAIT_POLICY", "").upper() == "PASSIVE"


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def wanted_threads() -> int:
    """STUDIO_TORCH_THREADS wins; else up to 4 (a 135M model gains little past that), or 1 when spinning is on."""
    configured = int(os.environ.get("STUDIO_TORCH_THREADS", "0") or 0)
    if configured > 0:
        return configured
    prepare()
    if not _passive_effective:
        return 1
    return max(1, min(4, cores()))


def configure_torch_threads(torch) -> int:
    wanted = wanted_threads()
    if torch.get_num_threads() != wanted:
        torch.set_num_threads(wanted)
    return wanted
