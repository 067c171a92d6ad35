"""`studio check --jsonl FILE --workers N`: forked workers print the single-process output byte for byte.

The real checker and the real CLI app (typer's runner), in a fresh process: forking from the test process (which
may run threads) would fall back to one process and prove nothing, and one process for all the runs loads the rule
packs once (~13 s of CPU) instead of once per run.
"""

from __future__ import annotations

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parents[1]

# Runs the CLI on each file with the given --workers, in one process; writes NAME.out (stdout bytes), NAME.err, NAME.rc.
# "crash" and "raise" runs break the worker that checks the text "CRASH" (the process dies) or "RAISE" (an exception):
# a fault injected into the real checker, for the failure path only.
DRIVER = r"""
import json, os, sys, threading
from pathlib import Path
import jieba  # noqa: F401 - its log handler binds to the real stderr at import, not to the runner's capture
from typer.testing import CliRunner
from studio.checks.parallel import fork_available
from studio.checks.engine import Checker
from studio.cli import app

out = Path(sys.argv[1])
assert fork_available() and threading.active_count() == 1  # the parallel path really forks
original = Checker.check_text
def faulty(self, text, **kw):
    if text == "CRASH":
        os._exit(9)
    if text == "RAISE":
        raise RuntimeError("injected\nfault")
    return original(self, text, **kw)
for name, path, workers in json.loads(sys.argv[2]):
    if name in ("crash", "raise"):
        Checker.check_text = faulty
    r = CliRunner().invoke(app, ["check", "--jsonl", path, "--workers", workers])
    (out / f"{name}.out").write_bytes(r.stdout_bytes)
    (out / f"{name}.err").write_bytes(r.stderr_bytes)
    (out / f"{name}.rc").write_text(repr(r.exception) if r.exit_code not in (0, 1, 2) else str(r.exit_code))
"""

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="parallel checking forks (without fork, --workers N checks in one process)")


def mixed_texts(n_per_lang: int = 150) -> list[dict]:
    """Every k-th line of evals/checks/*.jsonl (not unread/) per language, with a mix of the optional fields: the
    line's market and channel, a kit on some (northpeak for English, chayuan for Chinese), a brief on some, integer
    ids on some; the languages interleaved so every chunk holds both."""
    by_lang: dict[str, list[dict]] = {"en": [], "zh": []}
    for path in sorted((REPO / "evals" / "checks").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if record.get("language") in by_lang and isinstance(record.get("text"), str) and record["text"].strip():
                    by_lang[record["language"]].append(record)
    per_lang = []
    for lang, records in by_lang.items():
        lines = []
        for j, r in enumerate(records[:: max(1, len(records) // n_per_lang)][:n_per_lang]):
            line = {"id": f"{lang}-{j}" if j % 5 else j + (0 if lang == "en" else 10_000), "text": r["text"]}
            line.update({k: r[k] for k in ("market", "channel") if r.get(k)})
            if j % 3 == 0:
                line["kit"] = "northpeak" if lang == "en" else "chayuan"
            if j % 4 == 0:
                line.update({"brief": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell"}
                            if lang == "en" else {"brief": "介绍新上市的冷泡茶包", "product": "春山绿冷泡茶包", "offer": "首单包邮"})
            lines.append(line)
        per_lang.append(lines)
    en, zh = per_lang
    return [x for pair in zip(en, zh) for x in pair] + en[len(zh):] + zh[len(en):]


def write_jsonl(path: Path, lines: list[dict]) -> str:
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return str(path)


def test_two_workers_print_the_single_process_output_byte_for_byte_and_a_dead_worker_is_one_error(tmp_path):
    lines = mixed_texts()
    assert len(lines) >= 280
    texts = write_jsonl(tmp_path / "texts.jsonl", lines)
    fine = [{"id": i, "text": "Our Ridgeback shell keeps the rain out."} for i in range(300)]
    crash = write_jsonl(tmp_path / "crash.jsonl", fine[:150] + [{"id": "c", "text": "CRASH"}] + fine[150:])
    raises = write_jsonl(tmp_path / "raise.jsonl", fine[:150] + [{"id": "r", "text": "RAISE"}] + fine[150:])
    # The workers first: they start from the parent's caches after its warm-up alone, not after a whole run.
    runs = [("two", texts, "2"), ("one", texts, "1"), ("crash", crash, "2"), ("raise", raises, "2")]
    proc = subprocess.run([sys.executable, "-c", DRIVER, str(tmp_path), json.dumps(runs)], capture_output=True,
                          timeout=300, cwd=REPO)
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    got = {name: ((tmp_path / f"{name}.out").read_bytes(), (tmp_path / f"{name}.err").read_text(),
                  (tmp_path / f"{name}.rc").read_text()) for name, _, _ in runs}

    one_out, one_err, one_rc = got["one"]
    assert one_rc in ("0", "1"), (one_rc, one_err[-3000:])
    out = [json.loads(x) for x in one_out.decode("utf-8").splitlines()]
    assert [x["id"] for x in out] == [x["id"] for x in lines]  # input order
    assert {x["verdict"] for x in out} >= {"pass", "block"}  # a real mix
    two_out, two_err, two_rc = got["two"]
    assert two_out == one_out
    assert two_rc == one_rc
    assert "checked" not in two_err  # not a terminal: no progress line

    for name, what in (("crash", "a worker process died"), ("raise", "RuntimeError: injected fault")):
        stdout, stderr, rc = got[name]
        assert rc == "2", (name, rc, stderr)
        errors = [x for x in stderr.splitlines() if x.strip()]
        assert len(errors) == 1 and errors[0].startswith("error: ") and what in errors[0], errors
        assert "output is incomplete" in errors[0]
        # Complete lines only, in order, stopping before the failed text.
        assert stdout == b"" or stdout.endswith(b"\n")
        ids = [json.loads(x)["id"] for x in stdout.decode().splitlines()]
        assert ids == list(range(len(ids))) and len(ids) <= 150


def test_bad_input_with_workers_is_the_one_line_error_before_any_work(tmp_path):
    from studio.cli import app

    good = [{"id": i, "text": "Our Ridgeback shell keeps the rain out."} for i in range(300)]
    path = write_jsonl(tmp_path / "texts.jsonl", good[:250] + [{"id": "x", "text": 5}] + good[250:])
    result = CliRunner().invoke(app, ["check", "--jsonl", path, "--workers", "2"])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"error: {path}: line 251: field 'text' missing or not a string"]

    zero = CliRunner().invoke(app, ["check", "--jsonl", path, "--workers", "0"])
    assert zero.exit_code == 2 and zero.stdout == ""
    assert zero.stderr.strip().splitlines() == ["error: --workers: 0, give 1 or more"]
