"""SQLAlchemy tables of the review queue. Schema changes go through Alembic (migrations/)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {dict: JSON, list: JSON}


class GenerationRequest(Base):
    """One `studio generate` call or one batch row: what was asked, so a killed run can resume."""

    __tablename__ = "generation_requests"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), index=True)
    kit: Mapped[str] = mapped_column(String(80))
    segment: Mapped[str] = mapped_column(String(80))
    channels: Mapped[list] = mapped_column(JSON)
    market: Mapped[str] = mapped_column(String(8))
    brief: Mapped[dict] = mapped_column(JSON)
    variants_per_channel: Mapped[int] = mapped_column(Integer, default=1)
    batch_id: Mapped[str | None] = mapped_column(String(40), index=True)
    row_id: Mapped[str | None] = mapped_column(String(120))
    created_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default="running")  # running | done | failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    variants: Mapped[list[Variant]] = relationship(back_populates="request", order_by="Variant.slot")


class Variant(Base):
    __tablename__ = "variants"
    __table_args__ = (UniqueConstraint("request_id", "channel", "slot", name="uq_variant_slot"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    request_id: Mapped[str] = mapped_column(ForeignKey("generation_requests.id"), index=True)
    kit: Mapped[str] = mapped_column(String(80), index=True)
    segment: Mapped[str] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(40), index=True)
    market: Mapped[str] = mapped_column(String(8))
    slot: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[str | None] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True, default="draft")
    current_version: Mapped[int] = mapped_column(Integer, default=0)
    verdict: Mapped[str | None] = mapped_column(String(8), index=True)
    assignee: Mapped[str | None] = mapped_column(String(80))
    # Optimistic concurrency: every status change bumps it; an update that finds another value lost a race.
    row_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __mapper_args__ = {"version_id_col": row_version}

    request: Mapped[GenerationRequest] = relationship(back_populates="variants")
    versions: Mapped[list[Version]] = relationship(back_populates="variant", order_by="Version.number")


class Version(Base):
    __tablename__ = "versions"
    __table_args__ = (UniqueConstraint("variant_id", "number", name="uq_version_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    copy: Mapped[dict] = mapped_column(JSON)
    image_path: Mapped[str | None] = mapped_column(Text)
    provenance: Mapped[dict] = mapped_column(JSON, default=dict)
    check_report: Mapped[dict] = mapped_column(JSON, default=dict)
    verdict: Mapped[str] = mapped_column(String(8))
    labels: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(20))  # generated | revised | human_edit
    note: Mapped[str | None] = mapped_column(Text)  # the reviewer note that asked for this version
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    variant: Mapped[Variant] = relationship(back_populates="versions")


class Decision(Base):
    """A reviewer's decision on one version. Unique per version: the database lets exactly one win."""

    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("variant_id", "version_number", name="uq_one_decision_per_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    decision: Mapped[str] = mapped_column(String(24))  # approve | reject | request_changes
    by_user: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    override_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    by_user: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEvent(Base):
    """Append-only, hash-chained. prev_hash is unique, so two writers cannot fork the chain."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[str] = mapped_column(String(40))  # ISO-8601 UTC, stored as text so the hash is stable
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    variant_id: Mapped[str | None] = mapped_column(String(40), index=True)
    version_number: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)
