"""Batch and task state in the studio database (same engine as the review queue).

A task is pending until a worker takes it (running), then done (its variants are queued) or failed
(with the error). A rerun takes every task that is not done: a running task was interrupted and is
resumed through the workflow's own resume (same request key -> same request and variant slots).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from studio.batch.input import ParsedBatch, Task
from studio.batch.models import Batch, BatchBase, BatchTask

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


class BatchStore:
    def __init__(self, url: str):
        from studio.review.db import get_engine

        self.url = url
        engine = get_engine(url)  # runs the Alembic migrations (0002_batch creates our tables)
        BatchBase.metadata.create_all(engine, checkfirst=True)  # no-op once migrated; a safety net

    def _tx(self, work: Callable) -> T:
        from studio.review.db import session_scope

        for attempt in range(20):
            try:
                with session_scope(self.url) as session:
                    return work(session)
            except OperationalError as exc:  # SQLite busy beyond busy_timeout under heavy contention
                if "locked" not in str(exc.orig) or attempt == 19:
                    raise
            time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    # ------------------------------------------------------------------ batches

    def get(self, batch_id: str) -> dict | None:
        def work(session):
            batch = session.get(Batch, batch_id)
            return None if batch is None else {
                "id": batch.id, "source": batch.source, "sha256": batch.source_sha256, "status": batch.status,
                "runs": batch.runs, "created_by": batch.created_by, "created_at": batch.created_at.isoformat()}

        return self._tx(work)

    def register(self, parsed: ParsedBatch, *, by: str) -> bool:
        """Create the batch and its tasks, or keep the stored ones. Returns True when it existed."""
        batch_id = parsed.batch_id

        def work(session) -> bool:
            existing = session.get(Batch, batch_id)
            if existing is None:
                session.add(Batch(id=batch_id, source=str(parsed.source), source_sha256=parsed.sha256,
                                  created_by=by, status="running", runs=0))
            known = set(session.execute(select(BatchTask.task_id).where(BatchTask.batch_id == batch_id)).scalars())
            for task in parsed.tasks:
                if task.task_id not in known:
                    session.add(BatchTask(batch_id=batch_id, task_id=task.task_id, row_id=task.row_id, line=task.line,
                                          position=task.position, segment=task.segment, spec=task.spec,
                                          status="pending", attempts=0, variant_ids=[]))
            for error in parsed.errors:
                task_id = f"line-{error.line}/invalid"
                if task_id in known:
                    continue
                known.add(task_id)
                messages = "; ".join(e.format(parsed.source.name) for e in parsed.errors if e.line == error.line)
                session.add(BatchTask(batch_id=batch_id, task_id=task_id, row_id=error.row_id or f"line-{error.line}",
                                      line=error.line, position=-1, segment="", spec={}, status="invalid",
                                      attempts=0, error=messages, variant_ids=[]))
            return existing is not None

        return self._tx(work)

    def start_run(self, batch_id: str) -> None:
        def work(session) -> None:
            batch = session.get(Batch, batch_id)
            batch.runs += 1
            batch.status = "running"
            batch.updated_at = _now()

        self._tx(work)

    def finish(self, batch_id: str, status: str) -> None:
        def work(session) -> None:
            batch = session.get(Batch, batch_id)
            batch.status = status
            batch.updated_at = _now()

        self._tx(work)

    # ------------------------------------------------------------------ tasks

    def tasks(self, batch_id: str) -> list[dict]:
        def work(session) -> list[dict]:
            rows = session.execute(select(BatchTask).where(BatchTask.batch_id == batch_id)
                                   .order_by(BatchTask.position, BatchTask.line, BatchTask.task_id)).scalars()
            return [{"task_id": t.task_id, "row_id": t.row_id, "line": t.line, "position": t.position,
                     "segment": t.segment, "spec": t.spec, "status": t.status, "attempts": t.attempts,
                     "error": t.error, "variant_ids": list(t.variant_ids or [])} for t in rows]

        return self._tx(work)

    def unfinished(self, batch_id: str) -> list[Task]:
        """Every task not done yet (pending, interrupted while running, or failed in an earlier run)."""
        return [Task(task_id=t["task_id"], row_id=t["row_id"], line=t["line"], position=t["position"],
                     segment=t["segment"], spec=t["spec"])
                for t in self.tasks(batch_id) if t["status"] in ("pending", "running", "failed")]

    @staticmethod
    def _set_in(session, batch_id: str, task_id: str, **values) -> None:
        session.execute(update(BatchTask).where(BatchTask.batch_id == batch_id, BatchTask.task_id == task_id)
                        .values(updated_at=_now(), **values))

    def _set(self, batch_id: str, task_id: str, **values) -> None:
        self._tx(lambda session: self._set_in(session, batch_id, task_id, **values))

    def mark_done(self, batch_id: str, task_id: str, variant_ids: list[str]) -> None:
        self._set(batch_id, task_id, status="done", variant_ids=variant_ids, error=None)

    @classmethod
    def mark_done_in(cls, session, batch_id: str, task_id: str, variant_ids: list[str]) -> None:
        """mark_done in the caller's transaction (generate() finishing the row's request: both or neither)."""
        cls._set_in(session, batch_id, task_id, status="done", variant_ids=variant_ids, error=None)

    def mark_failed(self, batch_id: str, task_id: str, error: str) -> None:
        self._set(batch_id, task_id, status="failed", error=error)

    # ------------------------------------------------------------------ the queue's request, for a retry

    @staticmethod
    def request_key(spec: dict) -> str:
        """The review queue's idempotency key for the request generate() opens for this task."""
        from studio.review.queue import request_key

        return request_key(kit=spec["kit"], segment=spec["segment"], channels=spec["channels"], market=spec["market"],
                           brief=spec["brief"], n=spec["variants"], batch_id=spec["batch_id"], row_id=spec["row_id"])

    def start_attempt(self, batch_id: str, task_id: str, attempt: int, spec: dict) -> str | None:
        """Mark the task running (this attempt) and, in the same transaction (one round trip set per row, not
        two), return the id of its request when an earlier run already finished it.

        - a 'done' request: the task finished but the process died before it was marked done; the
          caller takes its variants instead of generating again (a new request would duplicate them);
        - only 'failed' requests: reopen the newest so generate() resumes it. generate() marks its
          request 'failed' when it raises, and ReviewQueue.open_request only resumes 'running' ones:
          without this a retry would open fresh variant slots and regenerate the ones already queued.
        """
        from studio.review.models import GenerationRequest

        key = self.request_key(spec)

        def work(session) -> str | None:
            session.execute(update(BatchTask).where(BatchTask.batch_id == batch_id, BatchTask.task_id == task_id)
                            .values(updated_at=_now(), status="running", attempts=attempt, error=None))
            requests = session.execute(select(GenerationRequest).where(GenerationRequest.idempotency_key == key)
                                       .order_by(GenerationRequest.created_at.desc())).scalars().all()
            for request in requests:
                if request.status == "done":
                    return request.id
            if requests and not any(r.status == "running" for r in requests):
                requests[0].status = "running"
                requests[0].error = None
            return None

        return self._tx(work)
