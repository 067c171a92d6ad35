"""Batch tables, on the review queue's engine (created by Alembic revision 0002_batch).

A batch is one input file (id derived from its content hash). A task is one generation request:
one input row for one segment (a row with segment '*' has one task per segment of the kit).
Invalid rows skipped with --skip-invalid are stored as tasks with status 'invalid'.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TASK_STATUSES = ("pending", "running", "done", "failed", "invalid")


def utcnow() -> datetime:
    return datetime.now(UTC)


class BatchBase(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}


class Batch(BatchBase):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    source: Mapped[str] = mapped_column(Text)  # absolute path of the input file
    source_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done | failed
    runs: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BatchTask(BatchBase):
    __tablename__ = "batch_tasks"

    batch_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(200), primary_key=True)  # row_id + "/" + segment
    row_id: Mapped[str] = mapped_column(String(120), index=True)
    line: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # order in the file, for the report
    segment: Mapped[str] = mapped_column(String(80))
    spec: Mapped[dict] = mapped_column(JSON)  # the GenerateRequest as JSON ({} for an invalid row)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    variant_ids: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
