"""The review queue on SQLite and on a real PostgreSQL server: transitions, roles, races, audit chain."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from sqlalchemy import text

from studio.config import Settings
from studio.review import ConflictError, PermissionDenied, QueueError, ReviewQueue
from studio.review.queue import UnqueuedSlotsError
from studio.review.db import get_engine

PASS = {"verdict": "pass", "findings": []}
BLOCK = {"verdict": "block", "findings": [{"rule": "us.ftc.guarantee", "category": "guarantee_claim", "severity": "block",
                                           "start": 0, "end": 10, "text": "Guaranteed", "message": "m", "suggestion": "s"}]}


def make_queue(url: str) -> ReviewQueue:
    return ReviewQueue(Settings(database_url=url))


def queued_variant(queue: ReviewQueue, report: dict = PASS) -> str:
    request_id, _ = queue.open_request(kit="northpeak", segment="urban-commuters", channels=["x"], market="US",
                                       brief={"text": "rain shell"}, variants_per_channel=1, created_by="alice")
    variant_id = queue.request_variants(request_id)[0]["id"]
    queue.add_version(variant_id, number=1, copy={"post": "Stay dry on the commute."}, image_path=None,
                      provenance={"backend": "test"}, check_report=report, labels={}, source="generated", by="alice")
    return variant_id


def test_variant_goes_through_review_and_keeps_history(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    assert queue.show(variant_id)["status"] == "in_review"
    queue.decide(variant_id, "request_changes", by="rita", note="Mention the repair programme")
    assert queue.show(variant_id)["status"] == "changes_requested"
    queue.add_version(variant_id, number=2, copy={"post": "Stay dry; we repair it for life."}, image_path=None,
                      provenance={}, check_report=PASS, labels={}, source="revised", by="alice", note="Mention the repair programme")
    shown = queue.decide(variant_id, "approve", by="rita")
    assert shown["status"] == "approved" and shown["version"] == 2
    history = queue.show(variant_id, history=True)["history"]
    assert [v["number"] for v in history["versions"]] == [1, 2]
    assert history["versions"][0]["copy"]["post"] == "Stay dry on the commute."
    assert [d["decision"] for d in history["decisions"]] == ["request_changes", "approve"]
    assert [e["action"] for e in history["audit"]] == ["queued", "request_changes", "version_added", "approve"]
    assert queue.verify_audit().ok


def test_invalid_transitions_are_refused(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    queue.decide(variant_id, "reject", by="rita", note="Off-brief")
    with pytest.raises(QueueError, match=r"already decided by rita \(reject\)"):
        queue.decide(variant_id, "approve", by="rita", version=None)
    with pytest.raises(QueueError, match="cannot become exported"):
        queue.mark_exported(variant_id, by="rita", destination="/tmp/x")
    with pytest.raises(QueueError, match="needs a reason"):
        queue.decide(queued_variant(queue), "reject", by="rita", note="  ")
    with pytest.raises(QueueError, match="no variant"):
        queue.decide("var_missing", "approve", by="rita")


def test_roles_creator_cannot_decide_reviewer_cannot_override(queue_url):
    queue = make_queue(queue_url)
    blocked = queued_variant(queue, BLOCK)
    with pytest.raises(PermissionDenied, match="creator"):
        queue.decide(blocked, "approve", by="alice")
    with pytest.raises(QueueError, match="block verdict"):
        queue.decide(blocked, "approve", by="rita")
    with pytest.raises(PermissionDenied, match="override"):
        queue.decide(blocked, "approve", by="rita", override_reason="claim substantiated by lab report")
    shown = queue.decide(blocked, "approve", by="adam", override_reason="claim substantiated by lab report")
    assert shown["override"] == {"by": "adam", "reason": "claim substantiated by lab report", "version": 1}
    assert queue.list(status="approved")[0]["override"]["by"] == "adam"


def test_twenty_threads_one_decision(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    outcomes: list[str] = []
    barrier = threading.Barrier(20)

    def decide(n: int) -> None:
        barrier.wait()
        try:
            queue.decide(variant_id, "approve" if n % 2 else "reject", by="rita" if n % 2 else "ravi", note="no")
            outcomes.append("won")
        except ConflictError as exc:
            outcomes.append(str(exc))

    threads = [threading.Thread(target=decide, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("won") == 1
    conflicts = [o for o in outcomes if o != "won"]
    assert len(conflicts) == 19 and all("already decided by" in c for c in conflicts)
    history = queue.show(variant_id, history=True)["history"]
    assert len(history["decisions"]) == 1
    winner = history["decisions"][0]["by"]
    assert all(winner in c for c in conflicts)
    assert queue.verify_audit().ok


def _decide_in_process(url: str, variant_id: str, n: int, barrier, results) -> None:
    queue = make_queue(url)
    barrier.wait()
    try:
        queue.decide(variant_id, "approve", by="rita" if n % 2 else "ravi")
        results.put("won")
    except ConflictError as exc:
        results.put(str(exc))


def test_twenty_processes_one_decision_on_postgres(postgres_url):
    import uuid

    import sqlalchemy

    engine = sqlalchemy.create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    name = f"p_{uuid.uuid4().hex[:10]}"
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    url = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    queue = make_queue(url)
    variant_id = queued_variant(queue)
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(20), ctx.Queue()
    processes = [ctx.Process(target=_decide_in_process, args=(url, variant_id, n, barrier, results)) for n in range(20)]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for p in processes:
        p.join(timeout=60)
    assert outcomes.count("won") == 1
    assert sum("already decided by" in o for o in outcomes) == 19
    assert len(queue.show(variant_id, history=True)["history"]["decisions"]) == 1
    assert queue.verify_audit().ok


def test_tampering_with_the_audit_log_is_detected(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    queue.decide(variant_id, "approve", by="rita")
    assert queue.verify_audit().ok
    engine = get_engine(queue_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE action = 'approve'"))
    report = queue.verify_audit()
    assert not report.ok and "edited" in report.problem
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'rita' WHERE action = 'approve'"))
        conn.execute(text("DELETE FROM audit_events WHERE action = 'queued'"))
    report = queue.verify_audit()
    assert not report.ok and "deleted" in report.problem


def test_reopening_an_unfinished_request_resumes_it(queue_url):
    queue = make_queue(queue_url)
    args = dict(kit="chayuan", segment="s", channels=["wechat", "sms"], market="CN", brief={"text": "新品"},
                variants_per_channel=2, created_by="alice")
    first, resumed = queue.open_request(**args)
    again, resumed_again = queue.open_request(**args)
    assert (again, resumed, resumed_again) == (first, False, True)
    assert len(queue.request_variants(first)) == 4
    _write_every_slot(queue, first)
    queue.finish_request(first)
    fresh, resumed = queue.open_request(**args)
    assert fresh != first and not resumed


def test_human_edit_is_a_new_version(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    number = queue.edit_copy(variant_id, copy={"post": "Edited by hand."}, check_report=PASS, by="alice")
    shown = queue.show(variant_id, history=True)
    assert number == 2 and shown["status"] == "in_review"
    assert shown["history"]["versions"][1]["source"] == "human_edit"
    assert shown["provenance"]["human_edit"]["by"] == "alice"


def test_open_request_slots_gives_the_slots_request_variants_lists(queue_url):
    """generate() opens its request and reads its slots in one transaction: the same slots, new or resumed."""
    queue = make_queue(queue_url)
    args = dict(kit="chayuan", segment="s", channels=["wechat", "sms"], market="CN", brief={"text": "新品"},
                variants_per_channel=2, created_by="alice")
    first, slots = queue.open_request_slots(**args)
    assert slots == queue.request_variants(first) and len(slots) == 4
    assert [(s["channel"], s["slot"], s["status"], s["version"]) for s in slots] == [
        ("sms", 0, "draft", 0), ("sms", 1, "draft", 0), ("wechat", 0, "draft", 0), ("wechat", 1, "draft", 0)]
    again, resumed_slots = queue.open_request_slots(**args)
    assert again == first and resumed_slots == slots


def test_what_finish_request_writes_beside_it_commits_with_it_or_not_at_all(queue_url):
    """A batch marks its row done in the transaction that marks the row's request done: a failure in either
    leaves the request running, so the rerun resumes it instead of taking it for finished."""
    queue = make_queue(queue_url)
    args = dict(kit="northpeak", segment="urban-commuters", channels=["x"], market="US", brief={"text": "rain shell"},
                variants_per_channel=1, created_by="alice")
    request_id, _ = queue.open_request(**args)
    _write_every_slot(queue, request_id)

    def failing(session):
        raise RuntimeError("the row's record could not be written")

    with pytest.raises(RuntimeError):
        queue.finish_request(request_id, also=failing)
    assert queue.open_request(**args) == (request_id, True)  # still running: resumed, not done

    written = []
    queue.finish_request(request_id, also=lambda session: written.append(session))
    assert len(written) == 1
    fresh, resumed = queue.open_request(**args)
    assert fresh != request_id and not resumed  # done now: a new request


def _write_every_slot(queue: ReviewQueue, request_id: str) -> None:
    for slot in queue.request_variants(request_id):
        queue.add_version(slot["id"], number=1, copy={"post": "Stay dry on the commute."}, image_path=None,
                          provenance={"backend": "test"}, check_report=PASS, labels={}, source="generated", by="alice")


def test_a_request_with_a_variant_never_queued_is_not_done(queue_url):
    """Done means every variant slot holds a version: a batch row is never marked done with a variant missing."""
    queue = make_queue(queue_url)
    args = dict(kit="northpeak", segment="urban-commuters", channels=["x", "sms"], market="US",
                brief={"text": "rain shell"}, variants_per_channel=1, created_by="alice")
    request_id, _ = queue.open_request(**args)
    first, second = queue.request_variants(request_id)
    queue.add_version(first["id"], number=1, copy={"post": "Stay dry."}, image_path=None, provenance={},
                      check_report=PASS, labels={}, source="generated", by="alice")
    row_marked = []
    with pytest.raises(UnqueuedSlotsError, match=second["id"]):
        queue.finish_request(request_id, also=lambda session: row_marked.append(session))
    assert row_marked == [], "nothing written beside it"
    assert queue.open_request(**args) == (request_id, True), "still running: a rerun resumes it"
    _write_every_slot(queue, request_id)
    queue.finish_request(request_id, also=lambda session: row_marked.append(session))
    assert len(row_marked) == 1 and queue.open_request(**args)[0] != request_id, "done once every slot is queued"
