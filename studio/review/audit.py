"""The append-only, hash-chained audit log.

Each event stores the hash of the previous one and its own hash over its content, so editing or
deleting a row breaks the chain. prev_hash is UNIQUE: two writers racing to append after the same
event cannot both succeed, so the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from studio.review.models import AuditEvent

GENESIS = "0" * 64


def _digest(prev_hash: str, at: str, actor: str, action: str, variant_id, version_number, detail: dict) -> str:
    body = json.dumps(
        [prev_hash, at, actor, action, variant_id, version_number, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


def append_event(
    session: Session,
    *,
    actor: str,
    action: str,
    variant_id: str | None = None,
    version_number: int | None = None,
    detail: dict | None = None,
) -> AuditEvent:
    """Append within the caller's transaction; a racing append fails at commit on the unique prev_hash."""
    last = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one_or_none()
    prev_hash = last.hash if last else GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail = json.loads(json.dumps(detail or {}, default=str))
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        variant_id=variant_id,
        version_number=version_number,
        detail=detail,
        prev_hash=prev_hash,
        hash=_digest(prev_hash, at, actor, action, variant_id, version_number, detail),
    )
    session.add(event)
    session.flush()
    return event


class ChainReport(BaseModel):
    ok: bool
    events: int
    first_bad_id: int | None = None
    problem: str | None = None


def verify_chain(session: Session) -> ChainReport:
    prev = GENESIS
    count = 0
    for event in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        count += 1
        if event.prev_hash != prev:
            return ChainReport(ok=False, events=count, first_bad_id=event.id, problem="an earlier event was deleted or reordered")
        expected = _digest(event.prev_hash, event.at, event.actor, event.action, event.variant_id, event.version_number, event.detail)
        if expected != event.hash:
            return ChainReport(ok=False, events=count, first_bad_id=event.id, problem="the event's content was edited")
        prev = event.hash
    return ChainReport(ok=True, events=count)
