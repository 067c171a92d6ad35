"""The review queue service: requests, variants, versions, decisions, comments, export marks.

The CLI, the Gradio app, batch and the workflow all go through this class. Every state change
writes an audit event in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from studio.config import Settings, get_settings
from studio.limits import check_text
from studio.review.audit import ChainReport, advance_anchor, append_event, content_digest, verify_chain
from studio.review.db import session_scope
from studio.review.models import AuditEvent, Comment, Decision, GenerationRequest, Variant, Version
from studio.review.users import PermissionDenied, User, get_user

T = TypeVar("T")

STATUSES = ("draft", "in_review", "approved", "rejected", "changes_requested", "exported")
DECISIONS = {"approve": "approved", "reject": "rejected", "request_changes": "changes_requested"}
# Which status a variant may move to from which; anything else is refused.
TRANSITIONS = {
    "draft": {"in_review"},
    "in_review": {"approved", "rejected", "changes_requested", "in_review"},  # in_review -> in_review: human edit
    "changes_requested": {"in_review"},
    "approved": {"exported"},
    "rejected": set(),
    "exported": set(),
}


class QueueError(ValueError):
    """A request the queue refuses: unknown variant, invalid transition, missing reason."""


class ConflictError(QueueError):
    """Someone else decided this version first."""


class UnqueuedSlotsError(QueueError):
    """A request cannot be done while a variant slot of it holds no version."""


def _now() -> datetime:
    return datetime.now(UTC)


def request_key(**fields: Any) -> str:
    """Same request (kit, segment, channels, market, brief, counts, batch row) -> same key."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


class ReviewQueue:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.url = self.settings.db_url

    # ------------------------------------------------------------------ plumbing

    def _tx(self, work: Callable[[Session], T]) -> T:
        """Run work in one transaction; retry when a concurrent audit append took our chain slot."""
        for attempt in range(30):
            try:
                with session_scope(self.url) as session:
                    result = work(session)
                    head = session.info.get("audit_head")
                if head:  # committed: the anchor outside the database moves to the newest event
                    advance_anchor(self.url, *head)
                return result
            except IntegrityError as exc:
                if "prev_hash" not in str(exc.orig) or attempt == 29:
                    raise
            except OperationalError as exc:  # SQLite busy under heavy contention
                if "locked" not in str(exc.orig) or attempt == 29:
                    raise
            time.sleep(0.01 * (attempt + 1))
        raise AssertionError("unreachable")

    def user(self, name: str) -> User:
        try:
            return get_user(name, self.settings.users_file)
        except KeyError as exc:
            raise QueueError(str(exc.args[0])) from None

    @staticmethod
    def _variant(session: Session, variant_id: str, *, lock: bool = False) -> Variant:
        query = select(Variant).where(Variant.id == variant_id)
        if lock:
            query = query.with_for_update()
        variant = session.execute(query).scalar_one_or_none()
        if variant is None:
            raise QueueError(f"no variant '{variant_id}' in the queue")
        return variant

    @staticmethod
    def _move(session: Session, variant: Variant, status: str, actor: str, action: str, detail: dict) -> None:
        if status not in TRANSITIONS[variant.status]:
            raise QueueError(f"variant '{variant.id}' is {variant.status}; it cannot become {status}")
        before = variant.status
        variant.status = status
        variant.updated_at = _now()
        append_event(
            session,
            actor=actor,
            action=action,
            variant_id=variant.id,
            version_number=variant.current_version,
            detail={"from": before, "to": status, **detail},
        )

    # ------------------------------------------------------------------ generation side

    def open_request(
        self,
        *,
        kit: str,
        segment: str,
        channels: list[str],
        market: str,
        brief: dict,
        variants_per_channel: int,
        created_by: str,
        batch_id: str | None = None,
        row_id: str | None = None,
    ) -> tuple[str, bool]:
        """Create a request with its variant slots, or find the unfinished one with the same key.

        Returns (request id, resumed). Resuming is what makes a killed run produce no duplicates.
        """
        request_id, resumed, _ = self._open_request(
            kit=kit, segment=segment, channels=channels, market=market, brief=brief,
            variants_per_channel=variants_per_channel, created_by=created_by, batch_id=batch_id, row_id=row_id)
        return request_id, resumed

    def open_request_slots(self, **fields: Any) -> tuple[str, list[dict]]:
        """open_request (same arguments) and the request's variant slots as request_variants lists them, read in
        the same transaction: one transaction per generate() instead of two."""
        request_id, _, slots = self._open_request(**fields, read_slots=True)
        return request_id, slots

    def _open_request(self, *, kit: str, segment: str, channels: list[str], market: str, brief: dict,
                      variants_per_channel: int, created_by: str, batch_id: str | None = None,
                      row_id: str | None = None, read_slots: bool = False) -> tuple[str, bool, list[dict]]:
        key = request_key(kit=kit, segment=segment, channels=channels, market=market, brief=brief,
                          n=variants_per_channel, batch_id=batch_id, row_id=row_id)

        def work(session: Session) -> tuple[str, bool, list[dict]]:
            existing = session.execute(
                select(GenerationRequest).where(GenerationRequest.idempotency_key == key, GenerationRequest.status == "running")
            ).scalar_one_or_none()
            if existing:
                return existing.id, True, self._slots(session, existing.id) if read_slots else []
            request = GenerationRequest(
                id=f"req_{uuid.uuid4().hex[:12]}", idempotency_key=key, kit=kit, segment=segment, channels=channels,
                market=market, brief=brief, variants_per_channel=variants_per_channel, batch_id=batch_id,
                row_id=row_id, created_by=created_by,
            )
            session.add(request)
            variants = []
            for channel in channels:
                for slot in range(variants_per_channel):
                    variants.append(Variant(
                        id=f"var_{uuid.uuid4().hex[:12]}", request_id=request.id, kit=kit, segment=segment,
                        channel=channel, market=market, slot=slot, batch_id=batch_id, status="draft", current_version=0,
                    ))
            session.add_all(variants)
            append_event(session, actor=created_by, action="request_created",
                         detail={"request_id": request.id, "kit": kit, "segment": segment, "channels": channels,
                                 "market": market, "batch_id": batch_id})
            # the new slots as the query in _slots would list them (their columns were just written)
            return request.id, False, [self._slot(v) for v in sorted(variants, key=lambda v: (v.channel, v.slot))]

        return self._tx(work)

    def request_variants(self, request_id: str) -> list[dict]:
        """The request's variant slots: id, channel, slot, status, current_version."""
        with session_scope(self.url) as session:
            return self._slots(session, request_id)

    @classmethod
    def _slots(cls, session: Session, request_id: str) -> list[dict]:
        rows = session.execute(select(Variant).where(Variant.request_id == request_id).order_by(Variant.channel, Variant.slot)).scalars()
        return [cls._slot(v) for v in rows]

    @staticmethod
    def _slot(variant: Variant) -> dict:
        return {"id": variant.id, "channel": variant.channel, "slot": variant.slot, "status": variant.status,
                "version": variant.current_version}

    def request_brief(self, request_id: str) -> dict:
        with session_scope(self.url) as session:
            request = session.get(GenerationRequest, request_id)
            if request is None:
                raise QueueError(f"no generation request '{request_id}'")
            return dict(request.brief)

    def finish_request(self, request_id: str, *, error: str | None = None,
                       also: Callable[[Session], None] | None = None) -> None:
        """Mark the request done (or failed); `also` writes in the same transaction (a batch marks its row done).
        Done means every variant slot holds a version: a slot still at version 0 raises UnqueuedSlotsError and
        nothing is written, so the request stays open for a rerun instead of a row done with a variant missing."""
        def work(session: Session) -> None:
            if error is None:
                unqueued = session.execute(select(Variant.id).where(
                    Variant.request_id == request_id, Variant.current_version == 0).order_by(Variant.id)).scalars().all()
                if unqueued:
                    raise UnqueuedSlotsError(f"request '{request_id}' cannot be done: variant(s) "
                                             f"{', '.join(unqueued)} were never queued")
            request = session.get(GenerationRequest, request_id)
            request.status = "failed" if error else "done"
            request.error = error
            if also is not None:
                also(session)

        self._tx(work)

    def add_version(
        self,
        variant_id: str,
        *,
        number: int,
        copy: dict[str, str],
        image_path: str | None,
        provenance: dict,
        check_report: dict,
        labels: dict,
        source: str,
        by: str,
        note: str | None = None,
    ) -> int:
        """Store version `number` and put the variant in review. Idempotent: a stored number is kept."""

        def work(session: Session) -> int:
            variant = self._variant(session, variant_id, lock=True)
            if session.execute(select(Version.id).where(Version.variant_id == variant_id, Version.number == number)).first():
                return number
            if number != variant.current_version + 1:
                raise QueueError(f"variant '{variant_id}' is at version {variant.current_version}; cannot add version {number}")
            verdict = check_report.get("verdict", "pass")
            session.add(Version(
                variant_id=variant_id, number=number, copy=copy, image_path=image_path, provenance=provenance,
                check_report=check_report, verdict=verdict, labels=labels, source=source, note=note, created_by=by,
            ))
            variant.current_version = number
            variant.verdict = verdict
            self._move(session, variant, "in_review", by, "version_added" if number > 1 else "queued",
                       {"source": source, "verdict": verdict, "note": note,
                        "content": content_digest(copy, image_path, verdict)})
            return number

        return self._tx(work)

    def edit_copy(self, variant_id: str, *, copy: dict[str, str], check_report: dict, by: str, image_path: str | None = None, labels: dict | None = None) -> int:
        """A person's edit: stored as a new version (source human_edit), back in review."""
        self.user(by).require("edit")
        current = self.show(variant_id)
        if current["status"] not in ("in_review", "changes_requested"):
            raise QueueError(f"variant '{variant_id}' is {current['status']}; only a variant in review can be edited")
        provenance = dict(current.get("provenance") or {})
        provenance["human_edit"] = {"by": by, "at": _now().isoformat(), "from_version": current["version"]}
        return self.add_version(variant_id, number=current["version"] + 1, copy=copy,
                                image_path=image_path or current["image"], provenance=provenance,
                                check_report=check_report, labels=labels or current.get("labels") or {},
                                source="human_edit", by=by)

    # ------------------------------------------------------------------ reviewer side

    def decide(
        self,
        variant_id: str,
        decision: str,
        *,
        by: str,
        note: str | None = None,
        version: int | None = None,
        override_reason: str | None = None,
    ) -> dict:
        """approve | reject | request_changes the current version. Exactly one decision per version wins."""
        if decision not in DECISIONS:
            raise QueueError(f"unknown decision '{decision}' (use approve, reject or request_changes)")
        user = self.user(by)
        user.require("decide")
        if decision == "reject" and not (note or "").strip():
            raise QueueError("a rejection needs a reason (--reason)")
        if decision == "request_changes" and not (note or "").strip():
            raise QueueError("requesting changes needs a note for the writer (--note)")
        if override_reason is not None and not override_reason.strip():
            raise QueueError("an override needs a reason")

        def work(session: Session) -> None:
            variant = self._variant(session, variant_id, lock=True)
            number = version or variant.current_version
            earlier = session.execute(
                select(Decision).where(Decision.variant_id == variant_id, Decision.version_number == number)
            ).scalar_one_or_none()
            if earlier:
                raise self._conflict(earlier)
            if number != variant.current_version:
                raise ConflictError(f"variant '{variant_id}' is now at version {variant.current_version}; version {number} is no longer current")
            if variant.status != "in_review":
                raise QueueError(f"variant '{variant_id}' is {variant.status}; only a variant in review can be decided")
            if decision == "approve" and self.settings.separation_of_duties:
                edited_by = session.execute(select(Version.created_by).where(
                    Version.variant_id == variant_id, Version.number == number, Version.source == "human_edit")).scalar()
                if edited_by == by:
                    raise PermissionDenied(f"version {number} of '{variant_id}' is {by}'s own edit; another reviewer "
                                           "must approve it")
            if decision == "approve" and variant.verdict == "block":
                if not override_reason:
                    raise QueueError(f"variant '{variant_id}' has a block verdict: approving it needs --override-reason from an admin")
                user.require("override")
            session.add(Decision(variant_id=variant_id, version_number=number, decision=decision, by_user=by,
                                 note=note, override_reason=override_reason))
            session.flush()
            detail = {"decision": decision, "note": note}
            if override_reason:
                detail["override_reason"] = override_reason
            self._move(session, variant, DECISIONS[decision], by, decision, detail)

        try:
            self._tx(work)
        except (IntegrityError, StaleDataError):
            # Lost the race at commit (PostgreSQL): name the winner.
            with session_scope(self.url) as session:
                number = version or self._variant(session, variant_id).current_version
                earlier = session.execute(
                    select(Decision).where(Decision.variant_id == variant_id, Decision.version_number == number)
                ).scalar_one_or_none()
            if earlier:
                raise self._conflict(earlier) from None
            raise
        return self.show(variant_id)

    @staticmethod
    def _conflict(earlier: Decision) -> ConflictError:
        return ConflictError(
            f"version {earlier.version_number} of '{earlier.variant_id}' was already decided by {earlier.by_user} "
            f"({earlier.decision}) at {earlier.created_at:%Y-%m-%d %H:%M:%S}"
        )

    def comment(self, variant_id: str, *, by: str, text: str) -> None:
        self.user(by).require("comment")
        check_text(text, "comment", "note_chars")
        if not text.strip():
            raise QueueError("a comment needs text")

        def work(session: Session) -> None:
            variant = self._variant(session, variant_id)
            session.add(Comment(variant_id=variant_id, version_number=variant.current_version, by_user=by, text=text))
            append_event(session, actor=by, action="comment", variant_id=variant_id,
                         version_number=variant.current_version, detail={"text": text})

        self._tx(work)

    def assign(self, variant_id: str, *, to: str | None, by: str) -> None:
        """Put a variant on a reviewer's list (or take it off with to=None)."""
        self.user(by).require("assign")
        if to:
            self.user(to).require("decide")

        def work(session: Session) -> None:
            variant = self._variant(session, variant_id, lock=True)
            variant.assignee = to
            append_event(session, actor=by, action="assigned", variant_id=variant_id,
                         version_number=variant.current_version, detail={"to": to})

        self._tx(work)

    def approval(self, variant_id: str) -> dict:
        """The approve decision on the variant's current version; a QueueError when there is none.

        Export calls this, so a status set to approved by hand, without a recorded decision, exports nothing.
        """
        with session_scope(self.url) as session:
            variant = self._variant(session, variant_id)
            decision = session.execute(select(Decision).where(
                Decision.variant_id == variant_id, Decision.version_number == variant.current_version,
                Decision.decision == "approve")).scalar_one_or_none()
            if decision is None or variant.status not in ("approved", "exported"):
                raise QueueError(f"variant '{variant_id}' v{variant.current_version} has no approval on record; "
                                 "it cannot be exported (run `studio review audit --verify`)")
            return {"approved_by": decision.by_user, "approved_at": decision.created_at.isoformat(),
                    "version": decision.version_number, "note": decision.note,
                    "override_reason": decision.override_reason}

    def mark_exported(self, variant_id: str, *, by: str, destination: str) -> None:
        self.user(by).require("export")

        def work(session: Session) -> None:
            variant = self._variant(session, variant_id, lock=True)
            self._move(session, variant, "exported", by, "exported", {"destination": destination})

        self._tx(work)

    def record(self, *, actor: str, action: str, detail: dict, variant_id: str | None = None) -> None:
        """An audit event that changes no state (an API token issued, a tool call through MCP)."""

        def work(session: Session) -> None:
            append_event(session, actor=actor, action=action, variant_id=variant_id, detail=detail)

        self._tx(work)

    # ------------------------------------------------------------------ reading

    def list(
        self,
        *,
        status: str | None = None,
        kit: str | None = None,
        channel: str | None = None,
        verdict: str | None = None,
        batch_id: str | None = None,
        assignee: str | None = None,
        limit: int | None = None,
    ) -> list[dict]:
        if status and status not in STATUSES:
            raise QueueError(f"unknown status '{status}' (use {', '.join(STATUSES)})")
        with session_scope(self.url) as session:
            query = select(Variant).where(Variant.current_version > 0)
            for column, value in ((Variant.status, status), (Variant.kit, kit), (Variant.channel, channel),
                                  (Variant.verdict, verdict), (Variant.batch_id, batch_id), (Variant.assignee, assignee)):
                if value:
                    query = query.where(column == value)
            query = query.order_by(Variant.created_at, Variant.id)
            if limit:
                query = query.limit(limit)
            return [self._view(session, v) for v in session.execute(query).scalars()]

    def show(self, variant_id: str, *, history: bool = False) -> dict:
        with session_scope(self.url) as session:
            variant = self._variant(session, variant_id)
            view = self._view(session, variant)
            if history:
                view["history"] = self._history(session, variant)
            return view

    def _view(self, session: Session, variant: Variant) -> dict:
        version = session.execute(
            select(Version).where(Version.variant_id == variant.id, Version.number == variant.current_version)
        ).scalar_one_or_none()
        override = session.execute(
            select(Decision).where(Decision.variant_id == variant.id, Decision.override_reason.is_not(None))
            .order_by(Decision.id.desc()).limit(1)
        ).scalar_one_or_none()
        report = version.check_report if version else {}
        return {
            "id": variant.id,
            "version": variant.current_version,
            "status": variant.status,
            "verdict": variant.verdict,
            "kit": variant.kit,
            "segment": variant.segment,
            "channel": variant.channel,
            "market": variant.market,
            "copy": version.copy if version else {},
            "image": version.image_path if version else None,
            "findings": report.get("findings", []),
            "batch_id": variant.batch_id,
            "request_id": variant.request_id,
            "provenance": version.provenance if version else {},
            "labels": version.labels if version else {},
            "assignee": variant.assignee,
            "override": {"by": override.by_user, "reason": override.override_reason, "version": override.version_number} if override else None,
            "updated_at": variant.updated_at.isoformat() if variant.updated_at else None,
        }

    @staticmethod
    def _history(session: Session, variant: Variant) -> dict:
        versions = session.execute(select(Version).where(Version.variant_id == variant.id).order_by(Version.number)).scalars()
        decisions = session.execute(select(Decision).where(Decision.variant_id == variant.id).order_by(Decision.id)).scalars()
        comments = session.execute(select(Comment).where(Comment.variant_id == variant.id).order_by(Comment.id)).scalars()
        events = session.execute(select(AuditEvent).where(AuditEvent.variant_id == variant.id).order_by(AuditEvent.id)).scalars()
        return {
            "versions": [{"number": v.number, "source": v.source, "verdict": v.verdict, "copy": v.copy, "image": v.image_path,
                          "note": v.note, "by": v.created_by, "at": v.created_at.isoformat(),
                          "findings": v.check_report.get("findings", [])} for v in versions],
            "decisions": [{"version": d.version_number, "decision": d.decision, "by": d.by_user, "note": d.note,
                           "override_reason": d.override_reason, "at": d.created_at.isoformat()} for d in decisions],
            "comments": [{"version": c.version_number, "by": c.by_user, "text": c.text, "at": c.created_at.isoformat()} for c in comments],
            "audit": [{"id": e.id, "at": e.at, "actor": e.actor, "action": e.action, "version": e.version_number,
                       "detail": e.detail, "hash": e.hash} for e in events],
        }

    def verify_audit(self) -> ChainReport:
        with session_scope(self.url) as session:
            return verify_chain(session, self.url)

    def decision_times(self) -> list[dict]:
        """(variant, decision, seconds from queueing to decision): for the insights page."""
        with session_scope(self.url) as session:
            rows = session.execute(select(Decision, Version).join(
                Version, (Version.variant_id == Decision.variant_id) & (Version.number == Decision.version_number))).all()
            return [{"variant_id": d.variant_id, "decision": d.decision, "by": d.by_user,
                     "seconds": (d.created_at - v.created_at).total_seconds()} for d, v in rows]
