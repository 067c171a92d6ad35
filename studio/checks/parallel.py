"""Run one function over many inputs in forked worker processes, results in input order: `studio check --jsonl
--workers N` (and bench/checks.py) check texts this way. The workers inherit what the parent loaded (checkers,
models) copy-on-write, so the parent loads and warms them before forking; a worker that dies or raises is one
WorkerError, never a silently short output.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")


class WorkerError(Exception):
    """A worker process died or its check raised: the output is incomplete."""


CHUNK = 64  # texts per task sent to a worker
AUTO_MAX_WORKERS = 8
AUTO_TEXTS_PER_WORKER = 200  # below this a worker's start and warm caches do not pay off
# Warms each checker before forking: both scripts (the rule index for mixed texts, the English word lists and the
# Chinese dictionaries, segmenter and character model all load on first use) and a brief (the quality gate's
# off_brief and unsupported_claim parts), so the workers inherit them loaded instead of each loading them again.
WARM_TEXT = "Our Ridgeback shell keeps the rain out, 30% lighter. 春山绿冷泡茶，明前采摘，冷泡四小时就很好喝。"
WARM_BRIEF = {"text": "Launch of the Ridgeback rain shell 介绍新上市的冷泡茶包", "product": "Ridgeback Shell", "offer": "首单包邮"}


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask, as a container or taskset limits it)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def auto_workers(n_texts: int) -> int:
    """The default --workers: one per CPU, one per AUTO_TEXTS_PER_WORKER texts, at most AUTO_MAX_WORKERS, at least 1."""
    return max(1, min(cpu_count(), n_texts // AUTO_TEXTS_PER_WORKER, AUTO_MAX_WORKERS))


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def warm_checkers(checkers) -> None:
    """One check of a short text per checker: loads what the first check_text loads lazily, before forking."""
    for checker in checkers:
        checker.check_text(WARM_TEXT, channel=None, market=None, brief=WARM_BRIEF)


_work: Callable[[int], object] | None = None  # the forked workers' task, inherited (never pickled)


def _init_worker() -> None:
    # Ctrl-C goes to the whole process group: the parent alone handles it (and stops the pool).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # One thread per worker: the workers are the parallelism. Thread pools (OpenBLAS, OpenMP) must not spread
    # across the CPUs the other workers use, and GNU OpenMP's pool does not survive fork (it would hang if the parent
    # had started it); with one thread it is not used. Libraries loaded later read the environment.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
    except ImportError:  # pragma: no cover - comes with scikit-learn
        pass
    if "torch" in sys.modules:  # not used by the checks today; safe if a future check brings it
        sys.modules["torch"].set_num_threads(1)


def _run_chunk(start: int, end: int) -> list:
    return [_work(i) for i in range(start, end)]


def map_ordered(work: Callable[[int], T], n: int, workers: int, chunk: int = CHUNK,
                progress: Callable[[int], None] | None = None) -> Iterator[T]:
    """work(i) for i in range(n), yielded in order, computed by `workers` forked processes in chunks of up to
    `chunk` indices (each result as soon as all before it are in). The workers inherit `work` and everything it
    holds (load the checkers and warm them before calling: they are shared copy-on-write). Without fork
    (or with workers 1) it runs here. progress(done) after each chunk. A worker that dies or raises raises
    WorkerError; the workers are stopped before it propagates."""
    global _work
    # Fork copies one thread: with other threads running (a server calling this) a lock one of them holds would
    # stay held in the children for ever. Then, and without fork, it runs here.
    if workers <= 1 or n <= 1 or not fork_available() or threading.active_count() > 1:
        for i in range(n):
            yield work(i)
            if progress is not None and (i + 1) % chunk == 0:
                progress(i + 1)
        return
    # A few chunks per worker at least, so the last chunks do not leave workers idle.
    chunk = max(1, min(chunk, -(-n // (workers * 4))))
    bounds = [(s, min(s + chunk, n)) for s in range(0, n, chunk)]
    workers = min(workers, len(bounds))

    _work = work
    gc.freeze()  # the parent's objects stay out of the children's collections: fewer copied pages
    executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"), initializer=_init_worker)
    done = 0
    try:
        futures = [executor.submit(_run_chunk, s, e) for s, e in bounds]  # all workers fork at the first submit
        for future in futures:
            try:
                results = future.result()
            except BrokenProcessPool:
                raise WorkerError(f"a worker process died (killed or crashed) after {done} of {n} texts") from None
            except Exception as exc:  # noqa: BLE001 - the check raised in the worker: reported as one line
                detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                raise WorkerError(f"checking failed in a worker after {done} of {n} texts ({detail})") from exc
            yield from results
            done += len(results)
            if progress is not None:
                progress(done)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _work = None
        gc.unfreeze()


class Progress:
    """A single updating line on stderr ("checked 1200/5000 texts (310/s)") when stderr is a terminal and stdout is
    not (with both on one terminal the result lines are the progress); shown from the first second on, and a final
    line when it was shown. Nothing at all otherwise."""

    def __init__(self, total: int, stream=None, every_s: float = 0.2, after_s: float = 1.0) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total, self.every_s, self.after_s = total, every_s, after_s
        self.enabled = _isatty(self.stream) and not _isatty(sys.stdout)
        self.start = self.last = time.monotonic()
        self.shown = False

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.start < self.after_s or (now - self.last < self.every_s and done < self.total):
            return
        self.last = now
        self.shown = True
        rate = done / (now - self.start)
        self.stream.write(f"\rchecked {done:,}/{self.total:,} texts ({rate:.0f}/s)\x1b[K")
        self.stream.flush()

    def finish(self, done: int, ok: bool = True) -> None:
        """Ends the line (a complete run says so); an error printed next starts on its own line."""
        if not self.shown:
            return
        if ok:
            elapsed = time.monotonic() - self.start
            self.stream.write(f"\rchecked {done:,} texts in {elapsed:.1f} s ({done / max(elapsed, 1e-9):.0f}/s)\x1b[K")
        self.stream.write("\n")
        self.stream.flush()


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
