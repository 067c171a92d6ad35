"""The review queue's index of watermark mark ids (table variant_marks, migration 0006).

A variant's mark id is HMAC(watermark key, variant id)[:8] (studio.labels.watermark.mark_id_for), so the
index can always be rebuilt from the variants: a lookup that misses indexes the variants not indexed yet
and tries once more, so files labelled before the table existed are found too.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from studio.labels.watermark import mark_id_for

_meta = sa.MetaData()
variant_marks = sa.Table(
    "variant_marks", _meta,
    sa.Column("mark_id", sa.String(16), primary_key=True),
    sa.Column("variant_id", sa.String(40), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
_variants = sa.Table("variants", _meta, sa.Column("id", sa.String(40), primary_key=True),
                     sa.Column("status", sa.String(24)), sa.Column("current_version", sa.Integer),
                     sa.Column("kit", sa.String(80)), sa.Column("channel", sa.String(40)))


def _db_url(db: str) -> str:
    return db if "://" in db else f"sqlite:///{db}"


def index_variants(engine, key: bytes) -> int:
    """Add the mark id of every variant not in the index yet; returns how many were added."""
    with engine.begin() as conn:
        missing = conn.execute(sa.select(_variants.c.id).where(
            _variants.c.id.not_in(sa.select(variant_marks.c.variant_id)))).scalars().all()
        now = datetime.now(UTC)
        if missing:
            conn.execute(variant_marks.insert(), [{"mark_id": mark_id_for(v, key), "variant_id": v, "created_at": now}
                                                  for v in missing])
    return len(missing)


def find_variant(db: str, mark_id: str, key: bytes) -> dict | None:
    """The queue's variant for a decoded mark id: {found, variant_id, status, version, kit, channel}, or None."""
    from studio.review.db import get_engine

    engine = get_engine(_db_url(db))
    query = (sa.select(_variants).join(variant_marks, variant_marks.c.variant_id == _variants.c.id)
             .where(variant_marks.c.mark_id == mark_id))
    for attempt in (0, 1):
        with engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        if row:
            return {"found": True, "mark_id": mark_id, "variant_id": row["id"], "status": row["status"],
                    "version": row["current_version"], "kit": row["kit"], "channel": row["channel"]}
        if attempt == 0 and not index_variants(engine, key):
            break
    return None
