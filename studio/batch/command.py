"""`studio batch FILE [--concurrency N] [--resume ID] [--skip-invalid] [--out DIR] [--rpm N] [--json]`.

Exit codes (DESIGN.md): 0 every row done and no block verdict; 1 a row failed or a variant has a block
verdict; 2 bad input (nothing generated, nothing written) or the batch is already running in another
process; 130 interrupted by Ctrl-C or SIGTERM (rerun to continue).

The batch id is derived from the file's content, so the same command again after a crash, Ctrl-C or
SIGKILL continues the same batch (so does `--resume ID`, without the file); rows already done are skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from studio.batch.input import BatchInputError, ParsedBatch, parse_file


BATCH_ID = re.compile(r"b_[0-9a-f]{16}")  # batch_id_for(): never a path, never '..'


def _err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


class BatchBusy(RuntimeError):
    """Another process is running the same batch right now."""


@contextlib.contextmanager
def batch_lock(data_dir: Path, batch_id: str) -> Iterator[None]:
    """One process per batch at a time: two runs of the same batch would take the same unfinished
    rows and generate them twice. An OS file lock, so a killed run (even SIGKILL) never leaves it held."""
    import fcntl

    folder = data_dir / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{batch_id}.lock"
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BatchBusy(f"batch {batch_id} is already running ({holder}); wait for it to finish or stop it, "
                            "then run the same command again") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def _term_as_interrupt() -> Iterator[None]:
    """SIGTERM (a scheduler stopping the job) ends the run like Ctrl-C: summary, report, exit 130."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch_command(*, file: str | None, concurrency: int = 2, resume: str | None = None, skip_invalid: bool = False,
                      out: str | None = None, rpm: int | None = None, by: str = "batch", as_json: bool = False,
                      ray_address: str | None = None) -> int:
    """ray_address: run the rows on a Ray cluster ('local' starts one, 'auto' joins the running one)."""
    if not file and not resume:
        _err("give a batch file (CSV or JSONL) or --resume BATCH_ID")
        return 2
    if rpm is not None and rpm <= 0:
        _err("--rpm must be a positive number of requests per minute")
        return 2
    from studio.review import ReviewQueue

    try:
        ReviewQueue().user(by).require("generate")
    except Exception as exc:  # noqa: BLE001 - unknown user or missing permission: bad input
        _err(str(exc).splitlines()[0] if str(exc) else "user may not generate")
        return 2

    parsed: ParsedBatch | None = None
    if file:
        try:
            parsed = parse_file(file)
        except BatchInputError as exc:
            _err(str(exc))
            return 2
        if resume and resume != parsed.batch_id:
            _err(f"{parsed.source.name} is batch {parsed.batch_id}, not {resume} (the file changed since that batch?)")
            return 2
        if parsed.errors:
            for error in parsed.errors:
                _err(error.format(parsed.source.name))
            bad_rows = len(parsed.invalid_lines)
            if not skip_invalid:
                _err(f"{bad_rows} of {parsed.rows} rows are invalid; nothing generated (fix them, or --skip-invalid "
                     "to run the valid rows)")
                return 2
            if not parsed.tasks:
                _err(f"no valid rows in {parsed.source.name}; nothing generated")
                return 2
            sys.stderr.write(f"skipping {bad_rows} invalid row(s); running the {parsed.rows - bad_rows} valid row(s)\n")

    from studio.config import get_settings

    settings = get_settings()
    batch_id = parsed.batch_id if parsed is not None else resume
    if not batch_id or not BATCH_ID.fullmatch(batch_id):
        _err(f"'{batch_id}' is not a batch id (batch ids look like b_0123456789abcdef)")
        return 2
    if parsed is None:
        # --resume alone: the batch must exist before anything (its lock file) is written.
        from studio.batch.state import BatchStore

        if BatchStore(settings.db_url).get(batch_id) is None:
            _err(f"no batch '{batch_id}' in the studio database (run `studio batch FILE` first)")
            return 2
    settings.ensure_dirs()
    try:
        with batch_lock(settings.data_dir, batch_id):
            if ray_address is None:
                return _run_locked(settings, parsed, batch_id, concurrency=concurrency, out=out, rpm=rpm, by=by,
                                   as_json=as_json)
            return _run_on_ray(settings, parsed, batch_id, ray_address, concurrency=concurrency, out=out, rpm=rpm,
                               by=by, as_json=as_json)
    except BatchBusy as exc:
        _err(str(exc))
        return 2


def _run_on_ray(settings, parsed: ParsedBatch | None, batch_id: str, address: str, **options) -> int:
    from studio.batch import ray_executor

    summary_out = sys.stdout
    # Ray prints from its own threads while it runs (start-up, lost nodes): all of it to stderr, so that
    # stdout carries only the summary (or the JSON), written to the real stream.
    with contextlib.redirect_stdout(sys.stderr):
        try:
            cluster = ray_executor.connect(address, settings)
        except ray_executor.RayClusterError as exc:
            _err(str(exc))
            return 2
        try:
            return _run_locked(settings, parsed, batch_id, ray_cluster=cluster, summary_out=summary_out, **options)
        except ray_executor.RayClusterError as exc:
            _err(str(exc))
            return 2
        finally:
            ray_executor.shutdown()


def _run_locked(settings, parsed: ParsedBatch | None, batch_id: str, *, concurrency: int, out: str | None,
                rpm: int | None, by: str, as_json: bool, ray_cluster: dict | None = None, summary_out=None) -> int:
    from studio.batch.state import BatchStore

    store = BatchStore(settings.db_url)
    if parsed is not None:
        store.register(parsed, by=by)
    batch = store.get(batch_id)
    if batch is None:
        _err(f"no batch '{batch_id}' in the studio database (run `studio batch FILE` first)")
        return 2
    store.start_run(batch_id)
    tasks = store.unfinished(batch_id)
    all_tasks = [t for t in store.tasks(batch_id) if t["status"] != "invalid"]

    started = time.perf_counter()
    interrupted = False
    warmup_s = 0.0
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries only our summary / JSON
        from studio.batch.progress import BatchProgress
        from studio.batch.runner import BatchRunner, warm_up

        mode = "off" if as_json else ("bar" if sys.stderr.isatty() else "lines")
        progress = BatchProgress(batch_id, all_tasks, pending=tasks, mode=mode)
        if ray_cluster is None:
            runner = BatchRunner(store, batch_id, by=by, concurrency=concurrency, rpm=rpm, events=progress.events())
        else:
            from studio.batch.ray_executor import RayBatchRunner

            runner = RayBatchRunner(store, batch_id, by=by, concurrency=concurrency, rpm=rpm, events=progress.events())
        from studio.batch.report import queue_variants

        # "This run" is what the queue gained, read from the queue: after a killed run the workers' own count of
        # queued variants was once one short of what the rerun added (cause not found; the queue is the record).
        queued_at_start = set(queue_variants(batch_id))
        try:
            with _term_as_interrupt():
                if tasks:
                    warmup_s = warm_up([t.spec["kit"] for t in tasks])
                with progress:
                    runner.run(tasks)
        except KeyboardInterrupt:
            interrupted = True
            runner.stop.set()
            sys.stderr.write(f"interrupted: rows in flight resume on the next run (studio batch --resume {batch_id})\n")
        wall = time.perf_counter() - started

        from studio.batch.report import report_lines, report_path, summarize, write_report

        final_tasks = store.tasks(batch_id)
        variants = queue_variants(batch_id)
        path = report_path(batch["source"], batch_id, out)
        try:
            written = str(write_report(path, report_lines(final_tasks, variants)))
        except OSError as exc:
            fallback = report_path(str(settings.data_dir / "batches" / Path(batch["source"]).name), batch_id, None)
            written = str(write_report(fallback, report_lines(final_tasks, variants)))
            sys.stderr.write(f"warning: cannot write {path} ({exc.strerror}); report written to {written}\n")
        stats = runner.stats
        summary = summarize(batch, final_tasks, variants, wall_s=wall, run_variants=len(set(variants) - queued_at_start),
                            retries=runner.stats.retries, interrupted=interrupted, report=written)
        overhead = stats.overhead_share()
        summary["run"] = {
            "concurrency": concurrency, "workers": stats.workers, "rpm": rpm, "warmup_s": round(warmup_s, 2),
            "pool_wall_s": round(stats.wall_s, 2), "model_requests": stats.model_requests,
            "model_wait_s": round(stats.model_wait_s, 2), "rate_limit_wait_s": round(stats.rate_wait_s, 2),
            "overhead_share": None if overhead is None else round(overhead, 4),
        }
        if ray_cluster is not None:
            summary["run"]["ray"] = {**ray_cluster, "workers_started_s": round(runner.startup_s, 2),
                                     "lost_workers": runner.lost}
            for line in runner.lost:
                sys.stderr.write(f"warning: {line}; its rows in flight resume on the next run\n")
        if not interrupted:
            store.finish(batch_id, "done" if summary["status"] == "done" else "failed")
    stdout = summary_out or sys.stdout
    if as_json:
        stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        from studio.batch.report import format_summary

        stdout.write(format_summary(summary) + "\n")
    stdout.flush()
    if interrupted:
        return 130
    blocked = summary["variants"]["by_verdict"].get("block", 0)
    return 1 if summary["rows"]["failed"] or summary["rows"]["pending"] or blocked else 0

