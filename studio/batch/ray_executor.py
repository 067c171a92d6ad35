"""Run a batch's tasks on a Ray cluster (`studio batch FILE --ray [ADDRESS]`).

The same work as runner.BatchRunner, spread over machines: one RowWorker actor per Ray node that has
a CPU, each a threaded actor whose method calls (Ray tasks) run one row each through the ordinary
BatchRunner.run_task, so the task state, the claiming of finished requests, the retries and the
exactly-once guarantee are the ones of a local batch (state.py and the review queue's request keys),
not a copy. The driver keeps at most `concurrency` rows in flight across the cluster, feeding each
worker up to its share, and replays each finished row's events into the progress bar.

Shared state lives on servers: the review queue (and the batch tables) in STUDIO_DATABASE_URL, the
voice store on STUDIO_CHROMA_URL, the model at STUDIO_LLM_BASE_URL. The driver's settings travel to
every worker as environment variables of the Ray job.

--rpm is one limit for the whole cluster: a RateBucket actor holds the batch runner's RateLimiter and
serves acquire() calls one at a time, so every worker's model request waits for the same bucket.

A worker (or its node) lost mid-batch: its rows in flight stay unfinished ('running') and the other
workers go on with the rest. They are not resubmitted in the same run: the lost process may still be
finishing them (a node declared dead is not always stopped yet), and two runs of one request at once
could queue a variant twice. Running the same command again resumes them, as after a crash.
"""

from __future__ import annotations

import gc
import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from studio.batch.input import Task
from studio.batch.runner import Events, RunStats

NAMESPACE = "studio"
# Environment the workers need besides the STUDIO_* settings: offline model hubs, no telemetry, CPU set-up.
PASSED_PREFIXES = ("STUDIO_", "HF_", "TRANSFORMERS_", "OMP_", "MKL_")
PASSED_NAMES = ("ANONYMIZED_TELEMETRY", "TOKENIZERS_PARALLELISM", "GRADIO_ANALYTICS_ENABLED")
LOCAL_OBJECT_STORE_BYTES = 80 * 1024 * 1024  # rows and results are tiny; keep a local cluster small


class RayClusterError(RuntimeError):
    """The cluster cannot be reached or cannot run this batch (one line, for exit code 2)."""


def worker_env(settings) -> dict[str, str]:
    """The driver's settings as environment variables for the workers, paths made absolute (a worker's
    working directory is not the driver's)."""
    env = {k: v for k, v in os.environ.items() if k.startswith(PASSED_PREFIXES) or k in PASSED_NAMES}
    env["STUDIO_DATA_DIR"] = str(Path(settings.data_dir).resolve())
    env["STUDIO_KITS_DIR"] = str(Path(settings.kits_dir).resolve())
    env["STUDIO_PROMPTS_DIR"] = str(Path(settings.prompts_dir).resolve())
    env["STUDIO_DATABASE_URL"] = settings.db_url
    env.setdefault("ANONYMIZED_TELEMETRY", "False")
    return env


def connect(address: str, settings) -> dict:
    """Start a local Ray instance (address 'local') or join a cluster ('auto', host:port, ray://...).

    Refuses a cluster of several machines when the database is a local SQLite file: each machine would
    write its own copy and rows would be done twice. Returns a description of the cluster."""
    import ray

    env = worker_env(settings)
    options = {"namespace": NAMESPACE, "runtime_env": {"env_vars": env}, "log_to_driver": False,
               "logging_level": "WARNING"}
    try:
        if address == "local":
            ray.init(address="local", num_cpus=max(1, os.cpu_count() or 1), include_dashboard=False,
                     object_store_memory=LOCAL_OBJECT_STORE_BYTES, **options)
        else:
            ray.init(address=address, **options)
    except (ConnectionError, ValueError, RuntimeError) as exc:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RayClusterError(f"cannot join the Ray cluster at '{address}': {text}") from None
    nodes = worker_nodes()
    if not nodes:
        ray.shutdown()
        raise RayClusterError(f"the Ray cluster at '{address}' has no live node with a CPU to run rows on")
    hosts = {n["NodeManagerAddress"] for n in nodes}
    if settings.db_url.startswith("sqlite") and len(hosts) > 1:
        ray.shutdown()
        raise RayClusterError(f"the Ray cluster spans {len(hosts)} machines but the database is a local SQLite file; "
                              "set STUDIO_DATABASE_URL to a shared PostgreSQL database")
    return {"address": address, "nodes": len(nodes), "hosts": sorted(hosts)}


def worker_nodes() -> list[dict]:
    import ray

    return [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) >= 1]


def shutdown() -> None:
    import ray

    if ray.is_initialized():
        ray.shutdown()


# --------------------------------------------------------------------------- the actors


class RateBucket:
    """The cluster's one requests-per-minute bucket: the batch runner's RateLimiter behind a Ray actor.
    The actor serves one call at a time, so callers wait their turn in order and the rate holds for all."""

    def __init__(self, per_minute: float):
        from studio.batch.runner import RateLimiter

        self.limiter = RateLimiter(per_minute)

    def acquire(self, cost: float = 1.0) -> float:
        return self.limiter.acquire(cost)


class ClusterRateLimiter:
    """What ModelHooks calls in a worker: waits for the cluster's RateBucket; returns the seconds waited."""

    def __init__(self, bucket):
        self.bucket = bucket

    def acquire(self, cost: float = 1.0) -> float:
        import ray

        began = time.perf_counter()
        ray.get(self.bucket.acquire.remote(cost))
        return time.perf_counter() - began


class RowWorker:
    """One per node: a BatchRunner whose run_task is called by the driver, one row per call, on up to
    `max_concurrency` threads (the actor's own thread pool)."""

    def __init__(self, batch_id: str, by: str, kit_ids: list[str], bucket=None):
        from studio.batch.runner import BatchRunner, ModelHooks, _register_hook, warm_up
        from studio.batch.state import BatchStore
        from studio.config import get_settings

        get_settings.cache_clear()
        settings = get_settings()
        self.lock = threading.Lock()
        self.log: dict[str, list[tuple]] = {}
        self.runner = BatchRunner(BatchStore(settings.db_url), batch_id, by=by, concurrency=1,
                                  events=self._recorder())
        if bucket is not None:
            self.runner.limiter = ClusterRateLimiter(bucket)
            self.runner.hooks = ModelHooks(self.runner.limiter)
        _register_hook()
        began = time.perf_counter()
        import studio.workflow.runner  # noqa: F401 - the workflow's imports (seconds) belong to start-up, not to a row

        warm_up(kit_ids)  # + embedding model, kits, voice index
        # The start-up heap (~670,000 objects: torch, transformers, Chroma, LangChain, the checks) lives as long as
        # the worker. Frozen, the garbage collector no longer walks it: a full collection during a row cost ~0.5-1 s
        # (one struck the second row of a fresh worker). Its start-up garbage is collected once, here, first.
        gc.collect()
        gc.freeze()
        self.warmup_s = time.perf_counter() - began
        self.cpu_began = time.process_time()  # the rows' CPU, start-up excluded (stats)

    def _recorder(self) -> Events:
        def record(task: Task, *event) -> None:
            with self.lock:
                self.log.setdefault(task.task_id, []).append(event)

        return Events(
            variant_queued=lambda task, variant_id: record(task, "variant", variant_id),
            done=lambda task, variants: record(task, "done", [v["id"] for v in variants]),
            retry=lambda task, attempt, error, pause: record(task, "retry", attempt, error, pause),
            failed=lambda task, error: record(task, "failed", error),
        )

    def node(self) -> dict:
        import ray

        return {"node_id": ray.get_runtime_context().get_node_id(), "pid": os.getpid(), "warmup_s": self.warmup_s}

    def run(self, task: Task, upcoming: Task | None = None) -> list[tuple]:
        """Run one row (every attempt); returns its events for the driver's progress and stats. upcoming: the row
        the driver will most likely send this worker next, prepared while this one waits on the model."""
        from studio.batch.runner import _hooks_var

        _hooks_var.set(self.runner.hooks)  # this thread's model calls go through the limiter and the timer
        self.runner.run_task(task, upcoming)
        with self.lock:
            return self.log.pop(task.task_id, [])

    def stats(self) -> dict:
        hooks = self.runner.hooks
        with hooks.lock:
            return {"model_wait_s": hooks.model_wait_s, "rate_wait_s": hooks.rate_wait_s, "requests": hooks.requests,
                    "cpu_s": time.process_time() - self.cpu_began}


# --------------------------------------------------------------------------- the driver


@dataclass
class _Slot:
    actor: object
    node_id: str
    capacity: int
    busy: int = 0
    alive: bool = True
    stats: dict = field(default_factory=dict)


class RayBatchRunner:
    """Drop-in for BatchRunner in the batch command: run(tasks) -> RunStats, .stop, .stats."""

    def __init__(self, store, batch_id: str, *, by: str, concurrency: int = 2, rpm: float | None = None,
                 events: Events | None = None):
        self.store, self.batch_id, self.by = store, batch_id, by
        self.concurrency = max(1, concurrency)
        self.rpm = rpm
        self.events = events or Events()
        self.stop = threading.Event()
        self.stats = RunStats()
        self.slots: list[_Slot] = []
        self.lost: list[str] = []  # one line per lost worker, for the summary
        self.bucket = None
        self.startup_s = 0.0

    def _start_workers(self, kit_ids: list[str]) -> None:
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        nodes = worker_nodes()
        share = math.ceil(self.concurrency / len(nodes))
        if self.rpm:
            self.bucket = ray.remote(RateBucket).options(num_cpus=0, name=f"rpm-{self.batch_id}",
                                                         get_if_exists=True).remote(self.rpm)
        worker_cls = ray.remote(RowWorker)
        for node in nodes:
            # One CPU reserved per node (a worker per machine); its threads wait on the model, not the CPU.
            actor = worker_cls.options(
                num_cpus=1, max_concurrency=share, max_restarts=0,
                scheduling_strategy=NodeAffinitySchedulingStrategy(node["NodeID"], soft=False),
            ).remote(self.batch_id, self.by, kit_ids, self.bucket)
            self.slots.append(_Slot(actor, node["NodeID"], share))
        # Wait for every worker to be ready (imports, embedding model); one that cannot start is dropped.
        for slot in self.slots:
            try:
                ray.get(slot.actor.node.remote())
            except Exception as exc:  # noqa: BLE001 - reported and the others go on
                self._lose(slot, exc)
        if not any(s.alive for s in self.slots):
            raise RayClusterError("no Ray worker could start: " + "; ".join(self.lost))

    def _lose(self, slot: _Slot, exc: BaseException) -> None:
        import ray

        if slot.alive:
            slot.alive = False
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            self.lost.append(f"worker on node {slot.node_id[:12]} lost ({type(exc).__name__}{': ' + text if text else ''})")
            try:
                ray.kill(slot.actor, no_restart=True)
            except Exception:  # noqa: BLE001 - already gone
                pass

    def _replay(self, task: Task, events: list[tuple]) -> None:
        for event in events:
            kind = event[0]
            if kind == "variant":
                with self.stats.lock:
                    self.stats.variants += 1
                self.events.variant_queued(task, event[1])
            elif kind == "retry":
                with self.stats.lock:
                    self.stats.retries += 1
                self.events.retry(task, *event[1:])
            elif kind == "done":
                with self.stats.lock:
                    self.stats.done += 1
                self.events.done(task, [{"id": vid} for vid in event[1]])
            elif kind == "failed":
                with self.stats.lock:
                    self.stats.failed += 1
                self.events.failed(task, event[1])

    def run(self, tasks: list[Task]) -> RunStats:
        import ray

        if not tasks:
            return self.stats
        began = time.perf_counter()
        self._start_workers(sorted({t.spec["kit"] for t in tasks}))
        self.startup_s = time.perf_counter() - began  # worker processes, imports, warm-up: not per-row work
        started = time.perf_counter()
        todo = deque(tasks)
        in_flight: dict = {}
        try:
            while (todo or in_flight) and not self.stop.is_set():
                live = [s for s in self.slots if s.alive]
                while todo and live and len(in_flight) < self.concurrency:
                    slot = min(live, key=lambda s: s.busy / s.capacity)
                    if slot.busy >= slot.capacity:
                        break
                    task = todo.popleft()
                    slot.busy += 1
                    self.events.started(task)
                    # With one live worker the next row is surely its own: it prepares it while this row waits on
                    # the model. With several, a hint could land on the wrong node and its CPU be spent in vain.
                    upcoming = todo[0] if todo and len(live) == 1 else None
                    in_flight[slot.actor.run.remote(task, upcoming)] = (task, slot)
                if not in_flight:
                    break  # every worker lost: the rest stays pending for the next run
                ready, _ = ray.wait(list(in_flight), num_returns=1, timeout=0.5)
                for ref in ready:
                    task, slot = in_flight.pop(ref)
                    slot.busy -= 1
                    try:
                        self._replay(task, ray.get(ref))
                    except Exception as exc:  # noqa: BLE001 - the worker or its node is gone
                        self._lose(slot, exc)
                        self.events.failed(task, f"Ray worker lost; the row resumes on the next run ({type(exc).__name__})")
        except BaseException:
            self.stop.set()
            raise
        finally:
            self._finish(started)
        return self.stats

    def _finish(self, started: float) -> None:
        import ray

        for slot in self.slots:
            if slot.alive:
                try:
                    slot.stats = ray.get(slot.actor.stats.remote(), timeout=10)
                except Exception:  # noqa: BLE001 - lost at the very end
                    pass
            try:
                ray.kill(slot.actor, no_restart=True)
            except Exception:  # noqa: BLE001
                pass
        if self.bucket is not None:
            try:
                ray.kill(self.bucket, no_restart=True)
            except Exception:  # noqa: BLE001
                pass
        with self.stats.lock:
            self.stats.workers = sum(s.capacity for s in self.slots) if self.slots else 0
            self.stats.workers = min(self.stats.workers, self.concurrency)
            self.stats.wall_s = time.perf_counter() - started
            self.stats.model_wait_s = sum(s.stats.get("model_wait_s", 0.0) for s in self.slots)
            self.stats.rate_wait_s = sum(s.stats.get("rate_wait_s", 0.0) for s in self.slots)
            self.stats.model_requests = sum(s.stats.get("requests", 0) for s in self.slots)
            self.stats.cpu_s = sum(s.stats.get("cpu_s", 0.0) for s in self.slots)
