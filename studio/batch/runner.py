"""Run a batch's tasks: a pool of worker threads, a requests-per-minute limiter, retries with backoff.

Every task is one call of the shared generate service (studio.workflow.runner.generate), so batch
does exactly what `studio generate` does, with the batch id and row id on the request. A task is
marked done only after generate() returned, i.e. after its variants are queued; an interrupted task
is resumed by generate() itself (same request key -> same request, same variant slots, checkpoints).
"""

from __future__ import annotations

import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError

from studio.batch.input import Task
from studio.batch.state import BatchStore

# Words in an error that mean "try again later": rate limits, 5xx, timeouts, lost connections, a busy DB.
TRANSIENT_MARKERS = ("429", "rate limit", "http 5", "timed out", "timeout", "cannot reach", "connection",
                     "temporarily", "overloaded", "unavailable", "database is locked")


def is_transient(exc: BaseException) -> bool:
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    from studio.generate.errors import GenerationError

    if isinstance(exc, (GenerationError, OperationalError, sqlite3.OperationalError)):
        text = str(exc).lower()
        return any(marker in text for marker in TRANSIENT_MARKERS)
    return False


def one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text.splitlines()[0]}" if text else type(exc).__name__


class RateLimiter:
    """Token bucket: `per_minute` tokens a minute, bursts of at most one second's worth (>= 1 token).

    acquire(cost) may take the bucket below zero (a task costing more than the burst still runs),
    and the debt is paid by the callers after it, so the long-run rate holds.
    """

    def __init__(self, per_minute: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if per_minute <= 0:
            raise ValueError("per_minute must be positive")
        self.rate = per_minute / 60.0
        self.capacity = max(1.0, self.rate)
        self.tokens = self.capacity
        self.clock, self.sleep = clock, sleep
        self.updated = clock()
        self.lock = threading.Lock()

    def acquire(self, cost: float = 1.0) -> float:
        """Wait for `cost` tokens; returns the seconds waited."""
        waited = 0.0
        while True:
            with self.lock:
                now = self.clock()
                self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                need = min(cost, self.capacity)
                if self.tokens >= need:
                    self.tokens -= cost
                    return waited
                pause = (need - self.tokens) / self.rate
            self.sleep(pause)
            waited += pause


@dataclass
class Events:
    """Callbacks from the workers (called from worker threads; keep them quick and thread-safe)."""

    started: Callable[[Task], None] = lambda task: None
    variant_queued: Callable[[Task, str], None] = lambda task, variant_id: None
    done: Callable[[Task, list[dict]], None] = lambda task, variants: None
    retry: Callable[[Task, int, str, float], None] = lambda task, attempt, error, pause: None
    failed: Callable[[Task, str], None] = lambda task, error: None


@dataclass
class RunStats:
    done: int = 0
    failed: int = 0
    variants: int = 0
    retries: int = 0
    rate_wait_s: float = 0.0
    generate_s: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class BatchRunner:
    def __init__(self, store: BatchStore, batch_id: str, *, by: str, concurrency: int = 2, rpm: float | None = None,
                 max_attempts: int = 3, backoff_s: float = 1.0, events: Events | None = None,
                 generate: Callable | None = None):
        self.store, self.batch_id, self.by = store, batch_id, by
        self.concurrency = max(1, concurrency)
        self.limiter = RateLimiter(rpm) if rpm else None
        self.max_attempts, self.backoff_s = max(1, max_attempts), backoff_s
        self.events = events or Events()
        self._generate = generate
        self.stop = threading.Event()
        self.stats = RunStats()

    def generate_fn(self) -> Callable:
        if self._generate is None:
            from studio.workflow.runner import generate

            self._generate = generate
        return self._generate

    # ------------------------------------------------------------------ one task

    def run_task(self, task: Task) -> None:
        from studio.review import ReviewQueue
        from studio.workflow.runner import GenerateRequest

        request = GenerateRequest.model_validate(task.spec)
        cost = len(request.channels) * request.variants  # one token per variant (each is >= 1 model request)
        self.events.started(task)
        for attempt in range(1, self.max_attempts + 1):
            if self.stop.is_set():
                return
            try:
                self.store.mark_running(self.batch_id, task.task_id, attempt)
                finished = self.store.prepare_request(task.spec)
                if finished:  # done by an earlier run that died before marking the task
                    queue = ReviewQueue()
                    variants = [queue.show(slot["id"]) for slot in queue.request_variants(finished)]
                else:
                    if self.limiter:
                        waited = self.limiter.acquire(cost)
                        with self.stats.lock:
                            self.stats.rate_wait_s += waited
                    started = time.perf_counter()
                    variants = self.generate_fn()(
                        request, by=self.by,
                        progress=lambda variant_id, stage: stage == "queue" and self.events.variant_queued(task, variant_id))
                    with self.stats.lock:
                        self.stats.generate_s += time.perf_counter() - started
                self.store.mark_done(self.batch_id, task.task_id, [v["id"] for v in variants])
            except Exception as exc:  # noqa: BLE001 - a failing row is recorded and the batch goes on
                error = one_line(exc)
                if is_transient(exc) and attempt < self.max_attempts and not self.stop.is_set():
                    pause = self.backoff_s * 2 ** (attempt - 1) * (1 + random.random() / 2)
                    with self.stats.lock:
                        self.stats.retries += 1
                    self.events.retry(task, attempt, error, pause)
                    self.stop.wait(pause)
                    continue
                try:
                    self.store.mark_failed(self.batch_id, task.task_id, error)
                except Exception:  # noqa: BLE001 - the DB itself is down; the rerun retries the task
                    pass
                with self.stats.lock:
                    self.stats.failed += 1
                self.events.failed(task, error)
                return
            with self.stats.lock:
                self.stats.done += 1
                self.stats.variants += len(variants)
            self.events.done(task, variants)
            return

    # ------------------------------------------------------------------ the pool

    def run(self, tasks: list[Task]) -> RunStats:
        """Run the tasks on `concurrency` worker threads. Ctrl-C stops taking new tasks and re-raises;
        the workers are daemon threads, so the process can exit at once (the rerun resumes)."""
        todo: queue.Queue[Task] = queue.Queue()
        for task in tasks:
            todo.put(task)

        def worker() -> None:
            while not self.stop.is_set():
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                self.run_task(task)

        threads = [threading.Thread(target=worker, name=f"batch-worker-{i}", daemon=True)
                   for i in range(min(self.concurrency, len(tasks)))]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.2)
        except BaseException:
            self.stop.set()
            raise
        return self.stats
