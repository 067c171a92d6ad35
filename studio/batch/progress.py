"""Progress on stderr: rows done, variants queued, failures, throughput and ETA.

mode "bar": a rich progress bar (an interactive terminal); "lines": one plain status line every
few seconds (logs, CI, pipes); "off": nothing (--json prints the summary instead).
"""

from __future__ import annotations

import sys
import threading
import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from studio.batch.input import Task
from studio.batch.runner import Events

LINE_EVERY_S = 10.0


class BatchProgress:
    def __init__(self, batch_id: str, all_tasks: list[dict], *, pending: list[Task], mode: str = "bar"):
        self.batch_id, self.mode = batch_id, mode
        self.console = Console(file=sys.stderr)
        pending_ids = {t.task_id for t in pending}
        self.remaining: dict[int, int] = {}  # row (its line in the file) -> tasks not finished in this run
        rows = set()
        for task in all_tasks:
            rows.add(task["line"])
            if task["task_id"] in pending_ids:
                self.remaining[task["line"]] = self.remaining.get(task["line"], 0) + 1
        self.total_rows = len(rows)
        self.rows_done = self.total_rows - len(self.remaining)
        self.rows_at_start = self.rows_done
        self.variants = self.failures = self.retries = 0
        self.lock = threading.Lock()
        self.started = time.perf_counter()
        self.last_line = self.started
        self.progress: Progress | None = None
        if mode == "bar":
            self.progress = Progress(
                TextColumn(f"[bold]batch {batch_id}"), BarColumn(), MofNCompleteColumn(), TextColumn("rows"),
                TextColumn("{task.fields[variants]} variants queued, {task.fields[failures]} failed, "
                           "{task.fields[rate]:.1f} variants/min"),
                TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=self.console, transient=False, refresh_per_second=4,
            )
            self.bar = self.progress.add_task("rows", total=self.total_rows, completed=self.rows_done,
                                              variants=0, failures=0, rate=0.0)

    def __enter__(self):
        self.started = self.last_line = time.perf_counter()
        if self.progress:
            self.progress.start()
        elif self.mode == "lines":
            self._line(force=True)
        return self

    def __exit__(self, *exc):
        if self.progress:
            self.progress.stop()
        elif self.mode == "lines":
            self._line(force=True)
        return False

    # ------------------------------------------------------------------ figures

    def rate_per_min(self) -> float:
        minutes = max(time.perf_counter() - self.started, 1e-6) / 60
        return self.variants / minutes

    def eta_s(self) -> float | None:
        """Rows left divided by the rows-per-second of this run so far."""
        finished = self.rows_done - self.rows_at_start
        left = self.total_rows - self.rows_done
        if left <= 0:
            return 0.0
        if finished <= 0:
            return None
        return left * (time.perf_counter() - self.started) / finished

    def status_line(self) -> str:
        eta = self.eta_s()
        eta_text = "?" if eta is None else time.strftime("%H:%M:%S", time.gmtime(eta))
        return (f"batch {self.batch_id}: {self.rows_done}/{self.total_rows} rows, {self.variants} variants queued, "
                f"{self.failures} failed, {self.rate_per_min():.1f} variants/min, ETA {eta_text}")

    def _line(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self.last_line >= LINE_EVERY_S:
            self.last_line = now
            sys.stderr.write(self.status_line() + "\n")
            sys.stderr.flush()

    def _update(self, row_finished: bool = False) -> None:
        if row_finished:
            self.rows_done += 1
        if self.progress:
            self.progress.update(self.bar, advance=1 if row_finished else 0, variants=self.variants,
                                 failures=self.failures, rate=self.rate_per_min())
        elif self.mode == "lines":
            self._line()

    def _task_finished(self, task: Task) -> bool:
        left = self.remaining.get(task.line, 0) - 1
        self.remaining[task.line] = left
        return left == 0

    def _say(self, text: str) -> None:
        if self.progress:
            self.progress.console.print(text, markup=False, highlight=False)
        elif self.mode == "lines":
            sys.stderr.write(text + "\n")

    # ------------------------------------------------------------------ callbacks from the workers

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
                self._say(f"row {task.row_id} (line {task.line}, segment {task.segment}) failed: {error}")

        def retry(task: Task, attempt: int, error: str, pause: float) -> None:
            with self.lock:
                self.retries += 1
                self._say(f"row {task.row_id} attempt {attempt} failed ({error}); retrying in {pause:.1f} s")

        return Events(variant_queued=variant_queued, done=done, failed=failed, retry=retry)
