"""The append-only, keyed hash chain of audit events, anchored outside the database.

What it detects, for someone who can write the database but not the secrets folder:
- an edited event (each hash is an HMAC over the event and the previous hash, keyed with a secret that is not
  in the database, so a rewritten row cannot be given a matching hash);
- deleted or reordered events (each event names the previous hash; prev_hash is UNIQUE, so two writers
  racing to append after the same event cannot both succeed and the chain never forks);
- deleted events at the end (an anchor file outside the database holds the newest event id and hash, MAC'd);
- state that disagrees with the events: decisions, variant statuses and version contents are cross-checked
  against the events that recorded them (see `verify`).
It cannot stop someone who holds the key and the anchor as well: docs/security.md says what that means.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from contextvars import ContextVar
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from studio.review.models import AuditEvent, Decision, Variant, Version
from studio.security.secrets import file_lock, secret_bytes, secret_dir

GENESIS = "0" * 64
KEY_FILE = "audit.key"

# The door a request came in through ("mcp"), set by that front end for the work it runs: every event the work
# appends carries it as detail["via"]. It is part of the detail, so the event's HMAC covers it.
audit_via: ContextVar[str | None] = ContextVar("audit_via", default=None)


def audit_key() -> bytes:
    return secret_bytes(KEY_FILE)


def event_body(prev_hash: str, at: str, actor: str, action: str, variant_id, version_number, detail: dict) -> bytes:
    """The canonical bytes an event's hash covers."""
    return json.dumps(
        [prev_hash, at, actor, action, variant_id, version_number, detail],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def _digest(key: bytes, *fields) -> str:
    return hmac.new(key, event_body(*fields), hashlib.sha256).hexdigest()


def content_digest(copy: dict, image_path: str | None, verdict: str) -> str:
    """What a reviewer reads of a version: recorded in its audit event, re-computed by `verify`."""
    body = json.dumps([copy, image_path, verdict], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
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
    """Append within the caller's transaction; a racing append fails at commit on the unique prev_hash.

    The newest event is remembered on the session; ReviewQueue moves the anchor to it after the commit.
    """
    _wait_for_the_chain(session)
    last = session.execute(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).scalar_one_or_none()
    prev_hash = last or GENESIS
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    detail = dict(detail or {})
    if audit_via.get() and "via" not in detail:
        detail["via"] = audit_via.get()
    detail = json.loads(json.dumps(detail, default=str))
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        variant_id=variant_id,
        version_number=version_number,
        detail=detail,
        prev_hash=prev_hash,
        hash=_digest(audit_key(), prev_hash, at, actor, action, variant_id, version_number, detail),
    )
    session.add(event)
    session.flush()
    session.info["audit_head"] = (event.id, event.hash)
    return event


# Key of the PostgreSQL advisory lock that queues appends to the chain (any constant bigint; "audit" in ASCII).
CHAIN_LOCK_KEY = 0x6175646974


def _wait_for_the_chain(session: Session) -> None:
    """PostgreSQL: wait in line for the chain's head until this transaction ends. Without it, writers racing
    for the same head all but one failed at commit and redid their whole transaction: a 16-row batch redid
    more transactions than it committed. The unique prev_hash still guards the chain; this only queues.
    The caller's own writes are flushed first, so their row locks are taken before this lock and the
    transaction takes none after it (appending is the last thing every caller does): no lock cycle.
    SQLite needs nothing: BEGIN IMMEDIATE already lets one writer in at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.flush()
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


# ---------------------------------------------------------------------------------------------- the anchor


def anchor_path(db_url: str) -> Path:
    """One anchor per database (named by a hash of its URL), in the secrets folder."""
    return secret_dir() / f"audit-{hashlib.sha256(db_url.encode()).hexdigest()[:16]}.anchor"


def _anchor_mac(event_id: int, event_hash: str) -> str:
    return hmac.new(audit_key(), f"anchor:{event_id}:{event_hash}".encode(), hashlib.sha256).hexdigest()


def read_anchor(db_url: str) -> dict | None:
    path = anchor_path(db_url)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"id": None, "hash": None, "mac": None}


def advance_anchor(db_url: str, event_id: int, event_hash: str) -> None:
    """Record (id, hash) as the newest committed event, unless a newer one is recorded already."""
    path = anchor_path(db_url)
    with file_lock(path.with_suffix(".lock")):
        current = read_anchor(db_url)
        if current and isinstance(current.get("id"), int) and current["id"] >= event_id:
            return
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"id": event_id, "hash": event_hash, "mac": _anchor_mac(event_id, event_hash)}),
                       encoding="utf-8")
        os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------- verification


class ChainReport(BaseModel):
    ok: bool
    events: int
    first_bad_id: int | None = None
    problem: str | None = None
    problems: list[str] = []
    anchored: bool = False


def verify_chain(session: Session, db_url: str | None = None) -> ChainReport:
    """Check the chain, the anchor and the cross-references; `problem` is the first thing found wrong."""
    key = audit_key()
    problems: list[str] = []
    first_bad: int | None = None
    prev = GENESIS
    events: list[AuditEvent] = list(session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars())
    for event in events:
        if event.prev_hash != prev:
            problems.append(f"event {event.id}: an earlier event was deleted or reordered")
        else:
            expected = _digest(key, event.prev_hash, event.at, event.actor, event.action, event.variant_id,
                               event.version_number, event.detail)
            if not hmac.compare_digest(expected, event.hash):
                problems.append(f"event {event.id}: the event's content was edited")
        if problems and first_bad is None:
            first_bad = event.id
            break
        prev = event.hash

    anchored = False
    if db_url is not None:
        anchor = read_anchor(db_url)
        if anchor is not None:
            anchored = True
            a_id, a_hash = anchor.get("id"), anchor.get("hash")
            if not (isinstance(a_id, int) and isinstance(a_hash, str)
                    and hmac.compare_digest(str(anchor.get("mac")), _anchor_mac(a_id, a_hash))):
                problems.append("the audit anchor outside the database was altered")
            else:
                match = next((e for e in events if e.id == a_id), None)
                if match is None:
                    newest = events[-1].id if events else 0
                    problems.append(f"events up to {a_id} were recorded, the database ends at {newest}: "
                                    "the newest events were deleted")
                elif match.hash != a_hash:
                    problems.append(f"event {a_id} differs from the one the anchor recorded: the chain was rewritten")

    problems += _cross_check(session, events)
    return ChainReport(ok=not problems, events=len(events), first_bad_id=first_bad,
                       problem=problems[0] if problems else None, problems=problems, anchored=anchored)


def _cross_check(session: Session, events: list[AuditEvent]) -> list[str]:
    """Decisions, statuses and version contents must agree with the events that recorded them."""
    problems: list[str] = []
    by_variant: dict[str, list[AuditEvent]] = {}
    for event in events:
        if event.variant_id:
            by_variant.setdefault(event.variant_id, []).append(event)

    for d in session.execute(select(Decision).order_by(Decision.id)).scalars():
        recorded = [e for e in by_variant.get(d.variant_id, []) if e.action == d.decision
                    and e.version_number == d.version_number]
        if not any(e.actor == d.by_user and e.detail.get("override_reason") == d.override_reason for e in recorded):
            problems.append(f"decision {d.id} ({d.decision} of {d.variant_id} v{d.version_number} by {d.by_user}) "
                            "does not match the audit trail")

    for v in session.execute(select(Version).order_by(Version.id)).scalars():
        recorded = [e for e in by_variant.get(v.variant_id, []) if e.action in ("queued", "version_added")
                    and e.version_number == v.number]
        digest = content_digest(v.copy, v.image_path, v.verdict)
        if not recorded:
            problems.append(f"version {v.number} of {v.variant_id} has no audit event")
        elif "content" in recorded[-1].detail and recorded[-1].detail["content"] != digest:
            problems.append(f"version {v.number} of {v.variant_id} was changed after it was recorded")

    for variant in session.execute(select(Variant).order_by(Variant.id)).scalars():
        moves = [e for e in by_variant.get(variant.id, []) if "from" in e.detail and "to" in e.detail]
        expected = moves[-1].detail["to"] if moves else "draft"
        if variant.status != expected:
            problems.append(f"variant {variant.id} is {variant.status} but the audit trail says {expected}")
    return problems
