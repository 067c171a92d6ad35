"""keyed audit chain: re-seal events written before the chain was keyed

Revision ID: 0003_keyed_audit_chain
Revises: 0002_batch

Until this revision each event's hash was a plain SHA-256, which anyone who can write the database can
recompute after editing a row. From now on it is an HMAC keyed with a secret outside the database
(studio.review.audit). This migration checks the old chain first and re-seals it only if it is intact; a
broken old chain is left as it is, so `studio review audit --verify` goes on reporting where it broke.
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0003_keyed_audit_chain'
down_revision = '0002_batch'
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    import hmac

    from studio.review.audit import audit_key, event_body

    def _body(prev, row, detail) -> bytes:
        return event_body(prev, row.at, row.actor, row.action, row.variant_id, row.version_number, detail)

    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, at, actor, action, variant_id, version_number, detail, prev_hash, hash FROM audit_events ORDER BY id"
    )).all()
    if not rows:
        return
    prev = GENESIS
    for row in rows:  # the legacy chain must be intact before it is re-sealed
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail or "{}")
        if row.prev_hash != prev or hashlib.sha256(_body(prev, row, detail)).hexdigest() != row.hash:
            return
        prev = row.hash
    key = audit_key()
    conn.execute(sa.text("UPDATE audit_events SET prev_hash = 'resealing-' || id, hash = 'resealing-h' || id"))
    prev = GENESIS
    for row in rows:
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail or "{}")
        sealed = hmac.new(key, _body(prev, row, detail), hashlib.sha256).hexdigest()
        conn.execute(sa.text("UPDATE audit_events SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": sealed, "i": row.id})
        prev = sealed


def downgrade() -> None:
    raise NotImplementedError("the keyed chain is not turned back into a plain one")
