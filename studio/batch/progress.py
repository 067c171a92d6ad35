"""The progress bar on stderr (rich): rows done, variants queued, failures, throughput, ETA."""

from __future__ import annotations

import sys
import threading
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from studio.batch.input import Task
from studio.batch.runner import Events


class BatchProgress:
    def __init__(self, batch_id: str, all_tasks: list[dict], *, pending: list[Task]):
        self.console = Console(file=sys.stderr)
        pending_ids = {t.task_id for t in pending}
        self.remaining: dict[str, int] = {}  # row_id -> tasks not finished in this run
        rows = set()
        for task in all_tasks:
            rows.add(task["row_id"])
            if task["task_id"] in pending_ids:
                self.remaining[task["row_id"]] = self.remaining.get(task["row_id"], 0) + 1
        self.total_rows = len(rows)
        self.variants = self.failures = self.retries = 0
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn(f"[bold]batch {batch_id}"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
            TextColumn("{task.fields[variants]} variants queued, {task.fields[failures]} failed, "
                       "{task.fields[rate]:.1f}/min"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=self.console, transient=False, refresh_per_second=4,
        )
        self.bar = self.progress.add_task("rows", total=self.total_rows, completed=self.total_rows - len(self.remaining),
                                          variants=0, failures=0, rate=0.0)

    def __enter__(self):
        self.progress.start()
        return self

    def __exit__(self, *exc):
        self.progress.stop()
        return False

    def _update(self, row_finished: bool = False) -> None:
        minutes = max(time.perf_counter() - self.started, 1e-6) / 60
        self.progress.update(self.bar, advance=1 if row_finished else 0, variants=self.variants,
                             failures=self.failures, rate=self.variants / minutes)

    def _task_finished(self, task: Task) -> bool:
        left = self.remaining.get(task.row_id, 0) - 1
        self.remaining[task.row_id] = left
        return left == 0

    def events(self) -> Events:
        def variant_queued(task: Task, variant_id: str) -> None:
            with self.lock:
                self.variants += 1
                self._update()

        def done(task: Task, variants: list[dict]) -> None:
            with self.lock:
                self._update(self._task_finished(task))

        def failed(task: Task, error: str) -> None:
            with self.lock:
                self.failures += 1
                self._update(self._task_finished(task))
            self.progress.console.print(f"row {task.row_id} (line {task.line}, segment {task.segment}) failed: {error}")

        def retry(task: Task, attempt: int, error: str, pause: float) -> None:
            self.progress.console.print(f"row {task.row_id} attempt {attempt} failed ({error}); retrying in {pause:.1f} s")

        return Events(variant_queued=variant_queued, done=done, failed=failed, retry=retry)
