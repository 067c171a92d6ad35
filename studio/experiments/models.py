"""Tables of experiments (migration 0004_experiments): an experiment, its arms (approved variants), the result
files imported for it, and the per-module outcomes that closed experiments teach the composer."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from studio.review.models import Base, utcnow


class Experiment(Base):
    __tablename__ = "experiments"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kit: Mapped[str] = mapped_column(String(80), index=True)
    channel: Mapped[str] = mapped_column(String(40))
    metric: Mapped[str] = mapped_column(String(8))  # ctr | cvr
    hypothesis: Mapped[str | None] = mapped_column(Text)
    mde: Mapped[float] = mapped_column(Float)  # minimum detectable effect, relative lift (0.2 = +20%)
    status: Mapped[str] = mapped_column(String(12), index=True, default="running")  # running | closed
    winner: Mapped[str | None] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(80))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ExperimentArm(Base):
    """One variant in an experiment, with the figures of the newest imported report that covers it."""

    __tablename__ = "experiment_arms"
    __table_args__ = (UniqueConstraint("experiment_id", "variant_id", name="uq_experiment_arm"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id"), index=True)
    variant_id: Mapped[str] = mapped_column(ForeignKey("variants.id"))
    position: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)  # the approved version that is tested
    segment: Mapped[str] = mapped_column(String(80))
    modules: Mapped[list] = mapped_column(JSON, default=list)  # content modules the tested copy was built from
    impressions: Mapped[int] = mapped_column(Integer, default=0)
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    conversions: Mapped[int] = mapped_column(Integer, default=0)
    spend: Mapped[float] = mapped_column(Float, default=0.0)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("experiment_imports.id"))


class ExperimentImport(Base):
    """A result file as it was imported: its hash, its format and the rows taken from it."""

    __tablename__ = "experiment_imports"
    __table_args__ = (UniqueConstraint("experiment_id", "sha256", name="uq_experiment_import_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    experiment_id: Mapped[str] = mapped_column(ForeignKey("experiments.id"), index=True)
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(20))
    rows: Mapped[list] = mapped_column(JSON)
    imported_by: Mapped[str] = mapped_column(String(80))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ModuleOutcome(Base):
    """How often a content module was in the winning (success) or a losing (failure) variant of a closed
    experiment, per kit, segment and channel: the composer's Thompson sampling reads these counts."""

    __tablename__ = "module_outcomes"

    kit: Mapped[str] = mapped_column(String(80), primary_key=True)
    segment: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(40), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    successes: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
