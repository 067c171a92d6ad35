"""`studio batch FILE [--concurrency N] [--resume ID] [--skip-invalid] [--out DIR] [--rpm N] [--json]`.

Exit codes (DESIGN.md): 0 every row done and no block verdict; 1 a row failed or a variant has a block
verdict; 2 bad input (nothing generated, nothing written); 130 interrupted (rerun to continue).
"""

from __future__ import annotations

import contextlib
import json
import sys
import time
from pathlib import Path

from studio.batch.input import BatchInputError, ParsedBatch, parse_file


def _err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


def run_batch_command(*, file: str | None, concurrency: int = 2, resume: str | None = None, skip_invalid: bool = False,
                      out: str | None = None, rpm: int | None = None, by: str = "batch", as_json: bool = False) -> int:
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

    from studio.batch.state import BatchStore
    from studio.config import get_settings

    settings = get_settings()
    settings.ensure_dirs()
    store = BatchStore(settings.db_url)
    if parsed is not None:
        store.register(parsed, by=by)
        batch_id = parsed.batch_id
    else:
        batch_id = resume
    batch = store.get(batch_id)
    if batch is None:
        _err(f"no batch '{batch_id}' in {settings.db_url} (run `studio batch FILE` first)")
        return 2
    store.start_run(batch_id)
    tasks = store.unfinished(batch_id)
    all_tasks = [t for t in store.tasks(batch_id) if t["status"] != "invalid"]

    sink = sys.stderr if as_json else sys.stdout
    started = time.perf_counter()
    interrupted = False
    with contextlib.redirect_stdout(sys.stderr):  # stdout carries only our summary / JSON
        from studio.batch.progress import BatchProgress
        from studio.batch.runner import BatchRunner

        progress = BatchProgress(batch_id, all_tasks, pending=tasks)
        runner = BatchRunner(store, batch_id, by=by, concurrency=concurrency, rpm=rpm, events=progress.events())
        try:
            with progress:
                runner.run(tasks)
        except KeyboardInterrupt:
            interrupted = True
            runner.stop.set()
            sys.stderr.write(f"interrupted: rows in flight resume on the next run (studio batch --resume {batch_id})\n")
        wall = time.perf_counter() - started

        from studio.batch.report import queue_variants, report_lines, report_path, summarize, write_report

        final_tasks = store.tasks(batch_id)
        variants = queue_variants(batch_id)
        path = report_path(batch["source"], batch_id, out)
        try:
            written = str(write_report(path, report_lines(final_tasks, variants)))
        except OSError as exc:
            fallback = report_path(str(settings.data_dir / "batches" / Path(batch["source"]).name), batch_id, None)
            written = str(write_report(fallback, report_lines(final_tasks, variants)))
            sys.stderr.write(f"warning: cannot write {path} ({exc.strerror}); report written to {written}\n")
        summary = summarize(batch, final_tasks, variants, wall_s=wall, run_variants=runner.stats.variants,
                            retries=runner.stats.retries, interrupted=interrupted, report=written)
        if not interrupted:
            store.finish(batch_id, "done" if summary["status"] == "done" else "failed")
    if as_json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    else:
        from studio.batch.report import format_summary

        sink.write(format_summary(summary) + "\n")
    sys.stdout.flush()
    if interrupted:
        return 130
    blocked = summary["variants"]["by_verdict"].get("block", 0)
    return 1 if summary["rows"]["failed"] or summary["rows"]["pending"] or blocked else 0

