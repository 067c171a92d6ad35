"""Security and integrity (issue: no secrets through the file route, decisions bound to what the reviewer saw,
an audit that cannot be rewritten, roles enforced by the services). Each test reproduces the attack first.

The HTTP attacks on the running app (downloading the key and the databases) are in tests/test_app_api.py,
which shares that module's server.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import text

from studio.config import Settings
from studio.review import ConflictError, PermissionDenied, QueueError, ReviewQueue
from studio.review.db import get_engine
from tests.conftest import REPO
from tests.test_review_queue import PASS, make_queue, queued_variant


def studio(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "studio.cli", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})


# ------------------------------------------------------------------------------------------ served paths


def test_the_app_serves_only_rendered_images(tmp_path):
    from studio.app.server import blocked_paths, served_paths

    settings = Settings(data_dir=tmp_path)
    served = [Path(p) for p in served_paths(settings)]
    assert served == [(tmp_path / "images").resolve()]
    secrets = [tmp_path / "secrets" / "audit.key", tmp_path / "c2pa" / "signer.key", tmp_path / "studio.db",
               tmp_path / "studio.db-wal", tmp_path / "checkpoints.db", tmp_path / "chroma" / "chroma.sqlite3",
               tmp_path / "exports" / "x.zip", REPO / "brand_kits" / "northpeak" / "kit.yaml"]
    for secret in secrets:
        assert not any(secret.resolve().is_relative_to(p) for p in served), secret
    blocked = [Path(p) for p in blocked_paths(settings)]
    for secret in secrets[:6]:
        assert any(secret.resolve().is_relative_to(p) or secret.resolve() == p for p in blocked), secret


# ------------------------------------------------------------------------------------------ decisions and versions


def test_a_decision_lands_on_the_version_the_reviewer_saw(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    seen = queue.show(variant_id)["version"]  # rita opens v1
    queue.edit_copy(variant_id, copy={"post": "Edited after rita looked."}, check_report=PASS, by="alice")
    with pytest.raises(ConflictError, match="now at version 2; version 1 is no longer current"):
        queue.decide(variant_id, "approve", by="rita", version=seen)
    shown = queue.show(variant_id, history=True)
    assert shown["status"] == "in_review" and shown["history"]["decisions"] == []
    assert queue.decide(variant_id, "approve", by="rita", version=2)["status"] == "approved"


def test_a_reviewer_does_not_approve_their_own_edit(queue_url):
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    queue.edit_copy(variant_id, copy={"post": "Rita's own wording."}, check_report=PASS, by="rita")
    with pytest.raises(PermissionDenied, match="rita's own edit; another reviewer must approve it"):
        queue.decide(variant_id, "approve", by="rita", version=2)
    assert queue.decide(variant_id, "approve", by="ravi", version=2)["status"] == "approved"

    relaxed = ReviewQueue(Settings(database_url=queue_url, separation_of_duties=False))
    queue.finish_request(queue.show(variant_id)["request_id"])
    other = queued_variant(relaxed)
    relaxed.edit_copy(other, copy={"post": "Own edit, allowed by setting."}, check_report=PASS, by="rita")
    assert relaxed.decide(other, "approve", by="rita", version=2)["status"] == "approved"


def test_services_check_roles_whoever_calls_them(queue_url, tmp_path):
    from studio.review.export import export_variants

    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    queue.decide(variant_id, "approve", by="rita")
    with pytest.raises(PermissionDenied, match="'export' needs the role"):
        export_variants(queue, tmp_path / "out", by="alice")
    with pytest.raises(QueueError, match="unknown user 'mallory'"):
        export_variants(queue, tmp_path / "out", by="mallory")
    with pytest.raises(PermissionDenied, match="'export' needs the role"):
        queue.mark_exported(variant_id, by="alice", destination="x")
    with pytest.raises(QueueError, match="unknown user 'mallory'"):
        queue.comment(variant_id, by="mallory", text="hi")
    with pytest.raises(PermissionDenied, match="'assign' needs the role"):
        queue.assign(variant_id, to="rita", by="alice")
    assert not (tmp_path / "out").exists(), "nothing is written for a refused export"
    assert queue.show(variant_id)["status"] == "approved"


def test_cli_export_checks_the_named_user(tmp_path):
    for user, message in (("mallory", "unknown user 'mallory'"), ("alice", "'export' needs the role")):
        result = studio("export", "--out", str(tmp_path / user), "--by", user)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert not (tmp_path / user).exists()


def test_without_demo_setting_there_are_no_demo_accounts(tmp_path):
    from studio.review import get_user

    result = studio("export", "--out", str(tmp_path / "o"), env={"STUDIO_DEMO_USERS": "0"})
    assert result.returncode == 2 and "--by USER" in result.stderr
    result = studio("export", "--out", str(tmp_path / "o"), "--by", "rita", env={"STUDIO_DEMO_USERS": "0"})
    assert result.returncode == 2 and "no users are configured" in result.stderr
    serve = studio("serve", "--port", "1", env={"STUDIO_DEMO_USERS": "0"})
    assert serve.returncode != 0 and "no users are configured" in serve.stderr
    assert get_user("rita").role == "reviewer"  # the test session turns the demo accounts on


# ------------------------------------------------------------------------------------------ the audit


def _sql(url: str, *statements: str) -> None:
    with get_engine(url).begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def _approved(queue_url: str) -> tuple[ReviewQueue, str]:
    queue = make_queue(queue_url)
    variant_id = queued_variant(queue)
    queue.decide(variant_id, "approve", by="rita", version=1)
    assert queue.verify_audit().ok and queue.verify_audit().anchored
    return queue, variant_id


def test_deleting_the_newest_audit_events_is_detected(queue_url):
    queue, variant_id = _approved(queue_url)
    _sql(queue_url, "DELETE FROM audit_events WHERE action = 'approve'")
    report = queue.verify_audit()
    assert not report.ok and "the newest events were deleted" in report.problem


def test_rewriting_the_chain_without_the_key_is_detected(queue_url):
    queue, variant_id = _approved(queue_url)
    # The attacker edits the approve event and recomputes every hash as the old, unkeyed chain did.
    _sql(queue_url, "UPDATE audit_events SET actor = 'mallory' WHERE action = 'approve'")
    with get_engine(queue_url).connect() as conn:
        rows = conn.execute(text(
            "SELECT id, at, actor, action, variant_id, version_number, detail FROM audit_events ORDER BY id")).all()
    from studio.review.audit import event_body

    prev = "0" * 64
    updates = []
    for row in rows:
        detail = row.detail if isinstance(row.detail, dict) else json.loads(row.detail)
        digest = hashlib.sha256(event_body(prev, row.at, row.actor, row.action, row.variant_id, row.version_number,
                                           detail)).hexdigest()
        updates.append(f"UPDATE audit_events SET prev_hash = '{prev}', hash = '{digest}' WHERE id = {row.id}")
        prev = digest
    _sql(queue_url, "UPDATE audit_events SET prev_hash = 'x' || id, hash = 'y' || id", *updates)
    report = queue.verify_audit()
    assert not report.ok and "edited" in report.problem


def test_state_that_disagrees_with_the_audit_is_detected_and_not_exported(queue_url, tmp_path):
    from studio.review.export import export_variants

    queue, approved = _approved(queue_url)
    _sql(queue_url, f"UPDATE decisions SET by_user = 'adam' WHERE variant_id = '{approved}'")
    assert "does not match the audit trail" in queue.verify_audit().problem
    _sql(queue_url, f"UPDATE decisions SET by_user = 'rita' WHERE variant_id = '{approved}'")
    assert queue.verify_audit().ok

    _sql(queue_url, f"UPDATE versions SET copy = '{{\"post\": \"Cures colds.\"}}' WHERE variant_id = '{approved}'")
    assert "was changed after it was recorded" in queue.verify_audit().problem
    _sql(queue_url, f"UPDATE versions SET copy = '{{\"post\": \"Stay dry on the commute.\"}}' WHERE variant_id = '{approved}'")
    assert queue.verify_audit().ok

    queue.finish_request(queue.show(approved)["request_id"])
    forged = queued_variant(queue)
    _sql(queue_url, f"UPDATE variants SET status = 'approved' WHERE id = '{forged}'")
    report = queue.verify_audit()
    assert not report.ok and f"variant {forged} is approved but the audit trail says in_review" in report.problems
    with pytest.raises(QueueError, match=f"'{forged}' v1 has no approval on record"):
        export_variants(queue, tmp_path / "out", by="rita")
    assert not (tmp_path / "out").exists(), "a forged approval stops the export before any file is written"


def test_cli_audit_verify_reports_every_problem(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    queue, variant_id = _approved(url)
    _sql(url, f"UPDATE decisions SET by_user = 'adam' WHERE variant_id = '{variant_id}'")
    result = studio("review", "audit", "--verify", env={"STUDIO_DATABASE_URL": url})
    assert result.returncode == 1
    assert "audit BROKEN" in result.stdout and "does not match the audit trail" in result.stdout


# ------------------------------------------------------------------------------------------ logins


def test_login_is_throttled_after_repeated_failures():
    from studio.review.login_throttle import LoginThrottle
    from studio.review.users import authenticate

    assert authenticate("ravi", "studio-demo") is not None
    for _ in range(20):
        assert authenticate("ravi", "guess") is None
    assert authenticate("ravi", "studio-demo") is None, "the right password is refused while paused"
    assert authenticate("rita", "studio-demo") is not None, "other users are not affected"

    now = [0.0]
    throttle = LoginThrottle(max_failures=5, first_pause=60, clock=lambda: now[0])
    for _ in range(5):
        throttle.record("u", ok=False)
    assert not throttle.allowed("u") and throttle.seconds_left("u") == 60
    now[0] = 61
    assert throttle.allowed("u")
    for _ in range(5):
        throttle.record("u", ok=False)
    assert throttle.seconds_left("u") == 120, "each further lock-out doubles the pause"


# ------------------------------------------------------------------------------------------ kits


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height (the size is refused before any pixel is decoded)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("name, content, message", [
    ("assets/x.html", b"<script>fetch('/gradio_api/')</script>", "assets/x.html: not allowed in a kit"),
    ("assets/logo.svg", b"<svg onload='alert(1)'/>", "assets/logo.svg: not allowed in a kit"),
    ("run.sh", b"#!/bin/sh", "run.sh: not allowed in a kit"),
    ("assets/huge.png", None, "assets/huge.png: refused as a decompression bomb"),
])
def test_kits_hold_only_what_studio_reads(name, content, message, kit_copy, tmp_path):
    from studio.kits import KitError
    from studio.kits.install import install_kit

    kit_dir = kit_copy("northpeak")
    (kit_dir / name).write_bytes(content if content is not None else _png_header(30000, 30000))
    result = studio("kit", "validate", str(kit_dir))
    assert result.returncode == 2 and message in result.stderr, result.stderr

    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in kit_dir.rglob("*"):
            zf.write(path, path.relative_to(kit_dir.parent))
    kits_dir = tmp_path / "kits"
    kits_dir.mkdir()
    with pytest.raises(KitError, match=f"upload.zip: .*{message}"):
        install_kit(archive, kits_dir, by="adam")
    assert list(kits_dir.iterdir()) == [], "nothing is installed"


def test_kit_install_needs_a_kit_manager_and_drops_os_litter(kit_copy, tmp_path):
    from studio.kits.install import install_kit
    from studio.review import PermissionDenied

    kit_dir = kit_copy("northpeak")
    (kit_dir / ".DS_Store").write_bytes(b"\0")
    kits_dir = tmp_path / "kits"
    kits_dir.mkdir()
    with pytest.raises(PermissionDenied, match="'manage_kits' needs the role admin"):
        install_kit(kit_dir, kits_dir, by="alice")
    loaded = install_kit(kit_dir, kits_dir, by="adam")
    assert (loaded.root / "kit.yaml").is_file() and not (loaded.root / ".DS_Store").exists()


def test_an_uploaded_kit_takes_effect_in_the_checks_at_once(kit_copy):
    from studio.checks import get_checker
    from studio.kits import cached_kit

    kit_dir = kit_copy("northpeak")
    text_ = "Our Stormproof shell keeps you dry."
    before = get_checker(cached_kit("northpeak", kit_dir.parent)).check_text(text_)
    assert not [f for f in before.findings if f.category == "banned_term"]
    kit_yaml = kit_dir / "kit.yaml"
    kit_yaml.write_text(kit_yaml.read_text(encoding="utf-8").replace("banned_terms:", "banned_terms:\n    - Stormproof", 1),
                        encoding="utf-8")
    after = get_checker(cached_kit("northpeak", kit_dir.parent)).check_text(text_)
    assert [f.text for f in after.findings if f.category == "banned_term"] == ["Stormproof"]


# ------------------------------------------------------------------------------------------ C2PA credentials


def _credentials_in_process(data_dir: str, barrier, results) -> None:
    from studio.labels.c2pa_manifest import load_credentials

    barrier.wait()
    creds = load_credentials(Settings(data_dir=Path(data_dir)))
    results.put((creds.cert_chain_pem, creds.key_pem))


def test_parallel_workers_create_one_matching_c2pa_chain(tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    workers = [ctx.Process(target=_credentials_in_process, args=(str(tmp_path), barrier, results)) for _ in range(4)]
    for worker in workers:
        worker.start()
    pairs = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert len(set(pairs)) == 1, "every worker signs with the same chain and key"
    chain, key = pairs[0]
    leaf = x509.load_pem_x509_certificates(chain)[0]
    private = serialization.load_pem_private_key(key, password=None)
    assert leaf.public_key().public_numbers() == private.public_key().public_numbers()
    assert (tmp_path / "c2pa" / "signer.key").stat().st_mode & 0o077 == 0


def test_an_existing_database_keeps_a_verifiable_audit_after_the_upgrade(tmp_path):
    """Events written before the chain was keyed are re-sealed by migration 0003 (only if they were intact)."""
    from studio.review.audit import event_body
    from studio.review.db import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    migrate(engine, "0002_batch")  # a database as the release before the keyed chain left it
    prev = "0" * 64
    with engine.begin() as conn:
        for n in range(3):  # the old, unkeyed SHA-256 chain
            at, detail = f"2026-01-0{n + 1}T00:00:00.000000+00:00", {"request_id": f"req_{n}"}
            digest = hashlib.sha256(event_body(prev, at, "alice", "request_created", None, None, detail)).hexdigest()
            conn.execute(text("INSERT INTO audit_events (at, actor, action, detail, prev_hash, hash) "
                              "VALUES (:at, 'alice', 'request_created', :d, :p, :h)"),
                         {"at": at, "d": json.dumps(detail), "p": prev, "h": digest})
            prev = digest
    engine.dispose()
    queue = make_queue(url)  # first use migrates to the newest revision
    report = queue.verify_audit()
    assert report.ok and report.events == 3, report.problems
    _sql(url, "UPDATE audit_events SET actor = 'mallory' WHERE id = 2")
    assert "event 2: the event's content was edited" in queue.verify_audit().problem
