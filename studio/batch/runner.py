"""Run a batch's tasks: a pool of worker threads, a requests-per-minute limiter, retries with backoff.

Every task is one call of the shared generate service (studio.workflow.runner.generate), so batch
does exactly what `studio generate` does, with the batch id and row id on the request. A task is
marked done only after generate() returned, i.e. after its variants are queued; an interrupted task
is resumed by generate() itself (same request key -> same request, same variant slots, checkpoints).

The workers are threads of one process: they share the one loaded embedded model (its lock
serialises generation while the other stages of other rows overlap) and one HTTP client set-up for
an OpenAI-compatible server. Every model request a worker makes passes through ModelHooks (a
LangChain callback registered through a context variable): the requests-per-minute limiter is
applied per real model request, and the time spent waiting on the model is measured, so the
summary can say how much of the wall time is Studio's own overhead.
"""

from __future__ import annotations

import queue
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from sqlalchemy.exc import OperationalError

from studio.batch.input import Task
from studio.batch.state import BatchStore

# Words in an error that mean "try again later": rate limits, 5xx, timeouts, lost connections, a busy DB.
TRANSIENT_MARKERS = ("429", "rate limit", "http 5", "timed out", "timeout", "cannot reach", "connection",
                     "temporarily", "overloaded", "unavailable", "database is locked")


# A sampled model's unusable output: another draw may well succeed, so it is retried (without backoff).
RESAMPLE_MARKERS = ("gave no usable", "candidate passed validation")


def is_resample(exc: BaseException) -> bool:
    from studio.generate.errors import GenerationError

    return isinstance(exc, GenerationError) and any(m in str(exc) for m in RESAMPLE_MARKERS)


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


class ModelHooks(BaseCallbackHandler):
    """Called by LangChain around every chat-model request a batch worker makes.

    on_chat_model_start waits for the rate limiter (so the limit counts real requests, whatever the
    channel's number of fields or the field retries); start -> end/error is the time waiting on the
    model (for the embedded model that includes queueing for the one shared model).
    """

    raise_error = True  # an exception here must reach the worker, not be logged and dropped
    run_inline = True

    def __init__(self, limiter: RateLimiter | None = None):
        self.limiter = limiter
        self.lock = threading.Lock()
        self.started: dict[UUID, float] = {}
        self.requests = 0
        self.model_wait_s = 0.0
        self.rate_wait_s = 0.0

    def on_chat_model_start(self, serialized: dict, messages: list, *, run_id: UUID, **kwargs: Any) -> None:
        waited = self.limiter.acquire(1) if self.limiter else 0.0
        with self.lock:
            self.requests += 1
            self.rate_wait_s += waited
            self.started[run_id] = time.perf_counter()
        ahead = _ahead_var.get()
        if ahead:  # the row's first model request: the next row's preparation runs while this one waits
            _prepare_in_background(ahead.pop())

    on_llm_start = on_chat_model_start  # completion-style models

    def _finished(self, run_id: UUID) -> None:
        with self.lock:
            began = self.started.pop(run_id, None)
            if began is not None:
                self.model_wait_s += time.perf_counter() - began

    def on_llm_end(self, response: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._finished(run_id)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._finished(run_id)


_hooks_var: ContextVar[ModelHooks | None] = ContextVar("studio_batch_model_hooks", default=None)
# The row this worker thread is likely to run next (a one-item list, emptied when its preparation starts).
_ahead_var: ContextVar[list | None] = ContextVar("studio_batch_next_row", default=None)
_preparer = None
_preparer_lock = threading.Lock()


def prepare_row(task: Task) -> None:
    """What a row can do before it runs without changing anything: embed its retrieval query into the process's
    embedding cache (a row's largest piece of CPU of its own; retrieve() then finds the vector there)."""
    from studio.workflow.nodes import embed_retrieval_query

    spec = task.spec
    embed_retrieval_query(spec["kit"], spec["segment"], spec["channels"], spec["brief"])


def _prepare_in_background(task: Task) -> None:
    """Prepare a row on the process's one preparing thread. While a row waits on the model its worker is idle:
    at concurrency 1 the next row's query embedding then costs no wall time. Only a cache is filled, so a row
    prepared in vain (it runs elsewhere, or not at all) changes nothing but the CPU it took."""
    global _preparer
    with _preparer_lock:
        if _preparer is None:
            from concurrent.futures import ThreadPoolExecutor

            _preparer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="batch-prepare")
    future = _preparer.submit(prepare_row, task)
    future.add_done_callback(lambda done: done.exception())  # a failure is the row's to meet and report, later
_hook_registered = False
_hook_lock = threading.Lock()


def _register_hook() -> None:
    """Let LangChain add the current worker's ModelHooks to every chat model call (once per process)."""
    global _hook_registered
    with _hook_lock:
        if not _hook_registered:
            from langchain_core.tracers.context import register_configure_hook

            register_configure_hook(_hooks_var, inheritable=True)
            _hook_registered = True


def warm_up(kit_ids: list[str]) -> float:
    """Load what every worker shares, once, before the workers start: each kit (into the process's kit
    cache the rows read), the model client (the embedded model: one copy for all workers, only when a
    writer will call it, not when every kit is composed; an OpenAI-compatible client: its imports and
    HTTP set-up), each kit's voice index and each kit's checker. Returns the seconds it took.

    Whatever a row would otherwise build on first use is built here: the caches it lands in do not
    stop concurrent misses, so a fresh worker's first rows on 16 threads each built their own copy
    (the kit: 0.4 CPU-s, the OpenAI client: 0.3 CPU-s, 16 times over)."""
    from studio.config import get_settings
    from studio.kits import cached_kit
    from studio.voice import get_voice_store

    from studio.generate.writers import uses_model

    started = time.perf_counter()
    settings = get_settings()
    kits = [cached_kit(kit_id, settings.kits_dir) for kit_id in sorted(set(kit_ids))]
    if any(uses_model(k, settings) for k in kits):
        if settings.llm_backend == "embedded":
            from studio.generate.model_cache import load_embedded_model

            load_embedded_model(settings.data_dir)
        else:
            from studio.generate.backends import get_chat_model
            from studio.generate.errors import GenerationError

            try:
                get_chat_model(settings)  # cached per endpoint: the rows reuse this client and its connections
            except GenerationError:
                pass  # not configured: each row reports it, as without the warm-up
    from studio.workflow.graph import get_graph
    from studio.workflow.nodes import ensure_ingested

    get_graph(settings.data_dir)  # the compiled workflow and its checkpoint database
    # Modules a row imports on first use (the labels, the test outcomes the composer reads, alt text): 0.1-0.2 s
    # that the first row of every fresh worker paid.
    import studio.accessibility.alt_text  # noqa: F401
    import studio.experiments.learning  # noqa: F401
    import studio.labels  # noqa: F401
    store = get_voice_store(settings)
    for loaded in kits:
        ensure_ingested(loaded, again=True)  # the rows' retrieve() then skips it; also seeds the embedding cache
        # The store's copy of the kit's chunks and their BM25 index, built by the first retrieval (~0.1 s)
        store.retrieve(loaded.kit.id, loaded.kit.name, k=1)
    from studio.checks import get_checker

    for loaded in kits:
        # Each kit's checker (rule packs, quality gate, voice fit: seconds of CPU) is built here, once. Left to
        # the rows, every worker thread's first row built its own at the same time: at concurrency 16 that was
        # 16 builds, most of a short batch's CPU.
        get_checker(loaded)
    return time.perf_counter() - started


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
    model_wait_s: float = 0.0
    model_requests: int = 0
    workers: int = 0
    wall_s: float = 0.0
    cpu_s: float = 0.0  # CPU seconds of the process(es) that ran the rows (all their threads), start-up excluded
    lock: threading.Lock = field(default_factory=threading.Lock)

    def overhead_share(self) -> float | None:
        """Share of the workers' time not spent waiting on the model (or the rate limit)."""
        busy = self.workers * self.wall_s
        if busy <= 0:
            return None
        return max(0.0, 1.0 - (self.model_wait_s + self.rate_wait_s) / busy)


def _peek(todo: queue.Queue) -> Task | None:
    """The task the queue hands out next (a hint only: another thread may take it first)."""
    with todo.mutex:
        return todo.queue[0] if todo.queue else None


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
        self.hooks = ModelHooks(self.limiter)

    def generate_fn(self) -> Callable:
        if self._generate is None:
            from studio.workflow.runner import generate

            self._generate = generate
        return self._generate

    # ------------------------------------------------------------------ one task

    def _stage(self, task: Task, variant_id: str, stage: str) -> None:
        """generate()'s progress callback: a variant that reached the queue node is in review."""
        if stage == "queue":
            with self.stats.lock:
                self.stats.variants += 1
            self.events.variant_queued(task, variant_id)

    def run_task(self, task: Task, upcoming: Task | None = None) -> None:
        """Run one row, every attempt. upcoming: the row this thread is likely to run next, prepared while this
        row waits on the model (prepare_row)."""
        token = _ahead_var.set([upcoming] if upcoming is not None else None)
        try:
            self._run_task(task)
        finally:
            _ahead_var.reset(token)

    def _run_task(self, task: Task) -> None:
        from studio.review import ReviewQueue
        from studio.workflow.runner import GenerateRequest

        request = GenerateRequest.model_validate(task.spec)
        self.events.started(task)
        for attempt in range(1, self.max_attempts + 1):
            if self.stop.is_set():
                return
            try:
                finished = self.store.start_attempt(self.batch_id, task.task_id, attempt, task.spec)
                # A row needs only its variants' ids (the task's record, the events), not the queue's views.
                if finished:  # done by an earlier run that died before marking the task
                    variants = [{"id": slot["id"]} for slot in ReviewQueue().request_variants(finished)]
                    self.store.mark_done(self.batch_id, task.task_id, [v["id"] for v in variants])
                else:  # the task is marked done in the transaction that marks its request done
                    variants = self.generate_fn()(
                        request, by=self.by, views=False,
                        progress=lambda variant_id, stage: self._stage(task, variant_id, stage),
                        finished=lambda session, ids: self.store.mark_done_in(session, self.batch_id, task.task_id, ids))
            except Exception as exc:  # noqa: BLE001 - a failing row is recorded and the batch goes on
                error = one_line(exc)
                transient, resample = is_transient(exc), is_resample(exc)
                if (transient or resample) and attempt < self.max_attempts and not self.stop.is_set():
                    pause = self.backoff_s * 2 ** (attempt - 1) * (1 + random.random() / 2) if transient else 0.0
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
            self.events.done(task, variants)
            return

    # ------------------------------------------------------------------ the pool

    def run(self, tasks: list[Task]) -> RunStats:
        """Run the tasks on `concurrency` worker threads. Ctrl-C stops taking new tasks and re-raises;
        the workers are daemon threads, so the process can exit at once (the rerun resumes)."""
        todo: queue.Queue[Task] = queue.Queue()
        for task in tasks:
            todo.put(task)
        _register_hook()

        def worker() -> None:
            _hooks_var.set(self.hooks)  # this thread's model calls go through the limiter and the timer
            while not self.stop.is_set():
                try:
                    task = todo.get_nowait()
                except queue.Empty:
                    return
                self.run_task(task, _peek(todo))

        threads = [threading.Thread(target=worker, name=f"batch-worker-{i}", daemon=True)
                   for i in range(min(self.concurrency, len(tasks)))]
        started, cpu_started = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                while thread.is_alive():
                    thread.join(timeout=0.2)
        except BaseException:
            self.stop.set()
            raise
        finally:
            with self.hooks.lock, self.stats.lock:
                self.stats.workers = len(threads)
                self.stats.wall_s = time.perf_counter() - started
                self.stats.cpu_s = time.process_time() - cpu_started
                self.stats.model_wait_s = self.hooks.model_wait_s
                self.stats.rate_wait_s = self.hooks.rate_wait_s
                self.stats.model_requests = self.hooks.requests
        return self.stats
