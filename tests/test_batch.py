"""`studio batch` end to end, on the real embedded model: bad rows stop the batch with line-precise
errors (or are skipped with --skip-invalid), a 30+-row batch over both sample kits lands every variant
in the review queue exactly once, and a batch SIGKILLed half way resumes without duplicates or losses.

Generation is kept cheap (one candidate per field, short text channels, no revise rounds); the model,
the workflow, the checks, the queue and the CLI are the real ones.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from studio.batch.input import batch_id_for
from studio.config import get_settings

CHEAP = {"STUDIO_CANDIDATES": "1", "STUDIO_REVISE_ROUNDS": "0", "STUDIO_LLM_MAX_TOKENS": "24"}
COLUMNS = ["row_id", "kit", "segment", "channels", "market", "brief", "variants"]

NORTHPEAK_SEGMENTS = ["city-commuters", "trail-regulars", "repair-lapsed", "former-customers", "outdoor-pros"]
CHAYUAN_SEGMENTS = ["office-cold-brew", "tea-connoisseurs", "gift-buyers", "lapsed-drinkers"]
EN_BRIEFS = ["Rain shell for wet commutes, 20% off this week", "Free boot resoling with any repair visit",
             "New insulated mid-layer for early starts", "Trail pack restock: lighter frame, same price"]
ZH_BRIEFS = ["冷泡乌龙新品上市，适合办公室下午茶", "中秋礼盒限量预订", "老客回归，第二件半价", "明前龙井新茶到店"]


def studio(*args: str, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studio.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **CHEAP, **(env or {})})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def mixed_rows(count: int, tag: str, channels_every: dict[int, str] | None = None) -> list[dict]:
    """`count` rows alternating the two sample kits, cycling their segments and briefs."""
    rows = []
    for i in range(count):
        if i % 2 == 0:
            rows.append({"row_id": f"{tag}-{i:03d}", "kit": "northpeak", "segment": NORTHPEAK_SEGMENTS[i // 2 % 5],
                         "channels": "sms", "market": "US" if i % 4 == 0 else "EU", "brief": EN_BRIEFS[i // 2 % 4],
                         "variants": 1})
        else:
            rows.append({"row_id": f"{tag}-{i:03d}", "kit": "chayuan", "segment": CHAYUAN_SEGMENTS[i // 2 % 4],
                         "channels": "sms", "market": "CN", "brief": ZH_BRIEFS[i // 2 % 4], "variants": 1})
    for index, channels in (channels_every or {}).items():
        rows[index]["channels"] = channels
    return rows


def expected_slots(rows: list[dict]) -> Counter:
    """(row_id, segment, channel) -> number of variants the rows ask for (no '*' in these files)."""
    want: Counter = Counter()
    for row in rows:
        for channel in row["channels"].split(";"):
            want[(row["row_id"], row["segment"], channel)] += int(row["variants"])
    return want


def batch_variants(batch_id: str) -> list[dict]:
    from studio.review import ReviewQueue

    return ReviewQueue().list(batch_id=batch_id)


def requests_of(batch_id: str) -> list:
    from studio.review.db import session_scope
    from studio.review.models import GenerationRequest

    with session_scope(get_settings().db_url) as session:
        return list(session.execute(select(GenerationRequest.row_id, GenerationRequest.segment, GenerationRequest.status)
                                    .where(GenerationRequest.batch_id == batch_id)).all())


def row_of(variant: dict) -> str:
    from studio.review.db import session_scope
    from studio.review.models import GenerationRequest

    with session_scope(get_settings().db_url) as session:
        return session.get(GenerationRequest, variant["request_id"]).row_id


def assert_exactly_once(batch_id: str, rows: list[dict]) -> list[dict]:
    """Every variant the rows ask for is in the queue once, in review, tagged with the batch."""
    variants = batch_variants(batch_id)
    got = Counter((row_of(v), v["segment"], v["channel"]) for v in variants)
    assert got == expected_slots(rows), "each row's variants are in the queue exactly once"
    assert len({v["id"] for v in variants}) == len(variants)
    for v in variants:
        assert (v["status"], v["version"], v["batch_id"]) == ("in_review", 1, batch_id), v
        assert v["copy"] and all(isinstance(t, str) and t for t in v["copy"].values())
    requests = requests_of(batch_id)
    per_task = Counter((r.row_id, r.segment) for r in requests)
    assert set(per_task.values()) == {1}, f"one generation request per row and segment, got {per_task}"
    assert {r.status for r in requests} == {"done"}
    return variants


# --------------------------------------------------------------------------- bad rows (no model)


BAD_CSV = """row_id,kit,segment,channels,market,brief,variants
ok-1,northpeak,city-commuters,sms,US,Rain shell for wet commutes,1
bad-kit,nokit,city-commuters,sms,US,Rain shell,1
bad-channel,northpeak,city-commuters,fax,US,Rain shell,1
bad-market,northpeak,city-commuters,sms,CN,Rain shell,1
bad-brief,northpeak,city-commuters,sms,US,,1
bad-variants,northpeak,city-commuters,sms,US,Rain shell,zero
ok-1,northpeak,trail-regulars,sms,US,Duplicate row id,1
ok-2,chayuan,gift-buyers,sms,CN,中秋礼盒限量预订,1
bad-language,northpeak,city-commuters,wechat,US,Rain shell,1
bad-segment,chayuan,no-such-segment,sms,CN,中秋礼盒,1
"""
EXPECTED_ERRORS = [(3, "kit", "unknown kit 'nokit'"), (4, "channels", "unknown channel 'fax'"),
                   (5, "market", "does not sell in market CN"), (6, "brief", "the brief is empty"),
                   (7, "variants", "got 'zero'"), (8, "row_id", "duplicate row_id 'ok-1' (first on line 2)"),
                   (10, "channels", "do not take en copy"), (11, "segment", "no-such-segment")]


def test_bad_rows_stop_the_batch_with_line_and_field_and_nothing_is_generated(tmp_path):
    source = tmp_path / "campaign.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    before = sha256(source)
    batch_id = batch_id_for(before)

    result = studio("batch", str(source), "--json")

    assert result.returncode == 2, result.stderr
    assert result.stdout == "", "a refused batch prints no summary"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: campaign.csv line")]
    assert len(errors) == len(EXPECTED_ERRORS), result.stderr
    for line_no, field, text in EXPECTED_ERRORS:
        assert any(f"campaign.csv line {line_no}, field '{field}'" in e and text in e for e in errors), (line_no, result.stderr)
    assert "8 of 10 rows are invalid; nothing generated" in result.stderr
    assert sha256(source) == before, "the input file is never modified"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.csv"], "nothing written next to the input"
    assert batch_variants(batch_id) == [] and requests_of(batch_id) == []

    from studio.batch.state import BatchStore

    assert BatchStore(get_settings().db_url).get(batch_id) is None, "no batch registered"


def test_file_level_errors_are_one_line(tmp_path):
    no_header = tmp_path / "no-brief.csv"
    no_header.write_text("row_id,kit,segment,channels\nr1,northpeak,city-commuters,sms\n", encoding="utf-8")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"kit": "northpeak", "segment": "city-commuters", "channels": "sms", "brief": "two\u2028lines"}\n'
                      '{"kit": "northpeak", "segment": \n'
                      '["not", "an", "object"]\n', encoding="utf-8")
    cases = [
        (no_header, ["error: no-brief.csv line 1: the header lacks column(s) 'brief'"]),
        (broken, ["error: broken.jsonl line 2: invalid JSON", "error: broken.jsonl line 3: not a JSON object"]),
        (tmp_path / "missing.csv", ["error: cannot read", "missing.csv: no such file"]),
    ]
    for path, expected in cases:
        before = sha256(path) if path.exists() else None
        result = studio("batch", str(path))
        assert result.returncode == 2, result.stderr
        for text in expected:
            assert text in result.stderr, result.stderr
        assert all(line.startswith(("error:",)) for line in result.stderr.strip().splitlines()), result.stderr
        if before:
            assert sha256(path) == before


def test_skip_invalid_runs_the_valid_rows_and_reports_the_rest(tmp_path):
    source = tmp_path / "campaign.csv"
    source.write_text(BAD_CSV, encoding="utf-8")
    before = sha256(source)
    out = tmp_path / "reports"

    result = studio("batch", str(source), "--skip-invalid", "--concurrency", "2", "--out", str(out), "--json")

    assert result.returncode in (0, 1), result.stderr  # 1 = a block verdict; still queued
    summary = json.loads(result.stdout)
    batch_id = batch_id_for(before)
    assert summary["batch_id"] == batch_id and summary["status"] == "done"
    assert summary["rows"] == {"total": 10, "done": 2, "failed": 0, "pending": 0, "invalid": 8}
    assert sorted(i["line"] for i in summary["invalid"]) == [3, 4, 5, 6, 7, 8, 10, 11]
    assert "skipping 8 invalid row(s)" in result.stderr
    assert sha256(source) == before, "the input file is never modified"

    valid = [{"row_id": "ok-1", "segment": "city-commuters", "channels": "sms", "variants": 1},
             {"row_id": "ok-2", "segment": "gift-buyers", "channels": "sms", "variants": 1}]
    variants = assert_exactly_once(batch_id, valid)
    assert summary["variants"]["total"] == 2 and sum(summary["variants"]["by_verdict"].values()) == 2

    report = out / f"campaign.{batch_id}.report.csv"
    assert summary["report"] == str(report)
    lines = list(csv.DictReader(report.open(encoding="utf-8")))
    assert {line["variant_id"] for line in lines if line["status"] == "in_review"} == {v["id"] for v in variants}
    invalid = {int(line["line"]): line["error"] for line in lines if line["status"] == "invalid"}
    assert sorted(invalid) == [3, 4, 5, 6, 7, 8, 10, 11]
    assert "field 'kit'" in invalid[3] and "unknown kit 'nokit'" in invalid[3]

    # Reviewers filter the queue by batch.
    listed = studio("review", "list", "--batch", batch_id, "--json")
    assert listed.returncode == 0, listed.stderr
    assert sorted(v["id"] for v in json.loads(listed.stdout)["variants"]) == sorted(v["id"] for v in variants)


# --------------------------------------------------------------------------- 30+ rows, both kits


def test_thirty_rows_over_both_kits_land_in_the_queue_exactly_once(tmp_path):
    rows = mixed_rows(30, "big", channels_every={4: "sms;x"})
    source = write_csv(tmp_path / "campaign.csv", rows)
    before = sha256(source)

    result = studio("batch", str(source), "--concurrency", "2", "--json")

    assert result.returncode in (0, 1), result.stderr
    summary = json.loads(result.stdout)
    batch_id = summary["batch_id"]
    assert summary["status"] == "done", summary["failures"]
    assert summary["rows"] == {"total": 30, "done": 30, "failed": 0, "pending": 0, "invalid": 0}
    total = sum(expected_slots(rows).values())
    assert total == 31
    assert summary["variants"]["total"] == summary["variants"]["this_run"] == total
    assert sum(summary["variants"]["by_verdict"].values()) == total
    # the offline default composes both kits from their content modules: the model is neither loaded nor called
    assert summary["run"]["workers"] == 2 and summary["run"]["model_requests"] == 0
    assert summary["variants_per_min"] > 0
    variants = assert_exactly_once(batch_id, rows)
    assert {v["kit"] for v in variants} == {"northpeak", "chayuan"}
    assert {v["market"] for v in variants} == {"US", "EU", "CN"}
    x_post = next(v for v in variants if v["channel"] == "x")
    assert x_post["image"] and Path(x_post["image"]).exists(), "image channels get their labelled creative"
    assert sha256(source) == before

    report = Path(summary["report"])
    assert report.parent == tmp_path and report.name == f"campaign.{batch_id}.report.csv"
    lines = list(csv.DictReader(report.open(encoding="utf-8")))
    assert len(lines) == total and {line["status"] for line in lines} == {"in_review"}

    # The same command again finds nothing left to do and generates nothing.
    again = studio("batch", str(source), "--concurrency", "2", "--json")
    assert again.returncode in (0, 1), again.stderr
    assert json.loads(again.stdout)["variants"]["this_run"] == 0
    assert len(batch_variants(batch_id)) == total


# --------------------------------------------------------------------------- SIGKILL half way


def test_batch_killed_half_way_resumes_every_variant_exactly_once(tmp_path):
    from studio.batch.state import BatchStore

    # Enough rows, polled often enough, that the batch cannot finish between two polls: with the cheap settings
    # a row takes well under 100 ms, and ten rows once all finished inside one half-second poll.
    rows = mixed_rows(40, "kill", channels_every={3: "sms;push"})
    source = write_csv(tmp_path / "campaign.csv", rows)
    batch_id = batch_id_for(sha256(source))
    total = sum(expected_slots(rows).values())
    store_url = get_settings().db_url
    BatchStore(store_url)  # the schema exists before the subprocess and this poller both touch it
    args = [sys.executable, "-m", "studio.cli", "batch", str(source), "--concurrency", "2", "--json"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **CHEAP})
    done: list[dict] = []
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            try:
                store = BatchStore(store_url)
                done = [t for t in store.tasks(batch_id) if t["status"] == "done"]
            except Exception:  # noqa: BLE001 - the tables may not exist yet
                continue
            if len(done) >= 3:
                break
        assert proc.poll() is None, f"the batch ended before it could be killed: {proc.communicate()[1][-2000:]}"
        assert len(done) >= 3, "no progress within the deadline"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = BatchStore(store_url)
    tasks = store.tasks(batch_id)
    finished = {t["task_id"]: t["variant_ids"] for t in tasks if t["status"] == "done"}
    assert 3 <= len(finished) < len(rows), "killed half way"
    queued_before = {v["id"]: v["copy"] for v in batch_variants(batch_id)}
    assert len(queued_before) < total

    result = studio("batch", str(source), "--concurrency", "2", "--json")

    assert result.returncode in (0, 1), result.stderr
    summary = json.loads(result.stdout)
    assert summary["status"] == "done" and summary["rows"]["done"] == len(rows), summary["failures"]
    assert len(queued_before) + summary["variants"]["this_run"] == total, "nothing generated twice, nothing lost"
    variants = assert_exactly_once(batch_id, rows)
    by_id = {v["id"]: v for v in variants}
    for variant_id, copy in queued_before.items():
        assert by_id[variant_id]["copy"] == copy, "a variant queued before the kill is kept, not regenerated"
    after = {t["task_id"]: t["variant_ids"] for t in store.tasks(batch_id)}
    for task_id, variant_ids in finished.items():
        assert after[task_id] == variant_ids


# --------------------------------------------------------------------------- failures, retries, rate limit


def test_unreachable_endpoint_rows_are_retried_recorded_as_failed_and_rerun_later(tmp_path):
    """A row that keeps failing is recorded with its reason and the batch goes on to the next rows;
    the same command later (endpoint fixed) generates exactly those rows."""
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    rows = mixed_rows(3, "down")
    source = write_csv(tmp_path / "campaign.csv", rows)
    down = {"STUDIO_LLM_BACKEND": "openai", "STUDIO_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1",
            "STUDIO_LLM_API_KEY": "none", "STUDIO_LLM_MAX_RETRIES": "0", "STUDIO_LLM_TIMEOUT": "5"}

    failed = studio("batch", str(source), "--concurrency", "2", "--json", env=down)

    assert failed.returncode == 1, failed.stderr
    summary = json.loads(failed.stdout)
    assert summary["status"] == "failed"
    assert summary["rows"] == {"total": 3, "done": 0, "failed": 3, "pending": 0, "invalid": 0}
    assert summary["retries"] == 6, "each row retried twice (transient error) before it is recorded as failed"
    assert sorted(f["line"] for f in summary["failures"]) == [2, 3, 4]
    assert all("cannot reach" in f["error"] and str(port) in f["error"] for f in summary["failures"])
    report = list(csv.DictReader(Path(summary["report"]).open(encoding="utf-8")))
    assert [(r["row_id"], r["status"]) for r in report] == [(r["row_id"], "failed") for r in rows]
    assert batch_variants(summary["batch_id"]) == []

    again = studio("batch", str(source), "--concurrency", "2", "--json")  # the embedded model

    assert again.returncode in (0, 1), again.stderr
    resumed = json.loads(again.stdout)
    assert resumed["batch_id"] == summary["batch_id"] and resumed["status"] == "done"
    assert resumed["variants"]["this_run"] == 3
    assert_exactly_once(summary["batch_id"], rows)


def test_rate_limiter_holds_the_requests_per_minute_across_workers():
    import threading

    from studio.batch.runner import RateLimiter

    limiter = RateLimiter(1200)  # 20 a second, bursts of 20
    started = time.monotonic()
    workers = [threading.Thread(target=lambda: [limiter.acquire() for _ in range(15)]) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - started
    assert 1.9 <= elapsed <= 4.0, f"60 requests at 1200/min with a burst of 20 take ~2 s, took {elapsed:.2f} s"


def test_a_second_run_of_the_same_batch_is_refused_while_the_first_holds_it(tmp_path):
    from studio.batch.command import batch_lock

    source = write_csv(tmp_path / "campaign.csv", mixed_rows(1, "lock"))
    batch_id = batch_id_for(sha256(source))
    with batch_lock(get_settings().data_dir, batch_id):
        result = studio("batch", str(source), "--json")
    assert result.returncode == 2 and result.stdout == ""
    assert f"batch {batch_id} is already running (pid {os.getpid()})" in result.stderr
    assert requests_of(batch_id) == []
