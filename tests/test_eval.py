"""`studio eval`: the checks meet their targets on the labelled dataset, the runner's CLI contract,
and the counterfactual fairness audit on the real embedded model (tiny configuration)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from studio.config import REPO_ROOT
from studio.evaluation import run_eval_command
from studio.evaluation import checks as checks_suite
from studio.evaluation.runner import EvalInputError, run_suites


@pytest.fixture(scope="module")
def checks_result():
    return checks_suite.run_suite(REPO_ROOT)


def test_dataset_shape():
    rows = checks_suite.load_dataset(REPO_ROOT / checks_suite.DATASET_DIR)
    assert len(rows) >= 330
    clean = [r for r in rows if not r["expected"]]
    assert len(clean) / len(rows) >= 0.35
    for lang in ("en", "zh"):
        assert sum(r["language"] == lang for r in rows) >= 150
    for cat in checks_suite.SCORED:  # the quality gate's categories have their own suite (evals/quality)
        assert sum(cat in r["expected"] for r in rows) >= 12, cat


def test_checks_meet_targets_on_the_dataset(checks_result):
    rows = {r["category"]: r for r in checks_result["rows"]}
    assert set(rows) == set(checks_suite.SCORED)
    low = {c: r["recall"] for c, r in rows.items() if r["recall"] < checks_suite.RECALL_TARGET}
    assert not low, f"recall below target: {low}"
    assert checks_result["metrics"]["clean_fp_rate"] <= checks_suite.FP_RATE_TARGET
    assert checks_result["targets_met"] is True


def test_checks_scoring_counts_misses_and_false_alarms():
    rows = [{"id": "a", "language": "en", "expected": ["pii"]}, {"id": "b", "language": "en", "expected": []},
            {"id": "c", "language": "zh", "expected": ["pii", "profanity"]}]
    predicted = [{"pii"}, {"profanity"}, {"pii"}]
    result = checks_suite.score(rows, predicted)
    by = {r["category"]: r for r in result["rows"]}
    assert (by["pii"]["tp"], by["pii"]["fn"], by["pii"]["recall"]) == (2, 0, 1.0)
    assert (by["profanity"]["fp"], by["profanity"]["fn"], by["profanity"]["precision"]) == (1, 1, 0.0)
    assert result["metrics"]["clean_fp_rate"] == 1.0 and result["targets_met"] is False


def test_broken_dataset_is_a_clear_error(tmp_path):
    folder = tmp_path / "evals" / "checks"
    folder.mkdir(parents=True)
    (folder / "x.jsonl").write_text('{"text": "hi", "language": "en", "market": "US", "expected": ["nonsense"]}\n')
    with pytest.raises(EvalInputError, match="x.jsonl: line 1: unknown category nonsense"):
        checks_suite.load_dataset(folder)


def test_cli_eval_checks_json():
    proc = subprocess.run([sys.executable, "-m", "studio.cli", "eval", "--suite", "checks", "--json"],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["targets_met"] is True
    (suite,) = data["suites"]
    assert suite["suite"] == "checks" and suite["available"] is True and suite["targets_met"] is True
    assert {"clean_fp_rate", "micro_precision", "micro_recall", "texts"} <= set(suite["metrics"])
    row = suite["rows"][0]
    assert {"category", "support", "precision", "recall", "f1"} <= set(row)


def test_unknown_suite_exit_2(capsys):
    assert run_eval_command(["nonsense"], True) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: unknown suite 'nonsense'")


def test_missing_suite_module_is_reported_unavailable(monkeypatch, capsys):
    # a suite the runner knows (like "generation" before its module exists) but that is not installed
    import studio.evaluation.runner as runner

    monkeypatch.setattr(runner, "SUITES", runner.SUITES + ("notyetwritten",))
    (res,) = run_suites(["notyetwritten"])
    assert res["available"] is False and "studio/evaluation/notyetwritten.py" in res["note"]
    # asked for by name: reported in the JSON, exit 1; in the default list it would not fail the run
    assert run_eval_command(["notyetwritten"], True) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["suites"][0]["available"] is False


def test_table_output_names_every_category(capsys):
    assert run_eval_command(["checks"], False) == 0
    out = capsys.readouterr().out
    assert "targets met" in out and "clean_fp_rate" in out


def test_fairness_audit_tiny_real_model():
    from studio.evaluation import fairness

    result = fairness.run_suite(REPO_ROOT, quick=True)
    groups = [r["group"] for r in result["rows"]]
    assert groups == ["aged 20-29", "aged 60-69"]
    for row in result["rows"]:
        assert row["variants"] == 1 and row["errors"] == 0
        assert row["mean_chars"] and row["mean_chars"] > 0
        assert isinstance(row["findings"], dict) and isinstance(row["coded_words"], dict)
    pair = result["metrics"]["pair northpeak/age"]
    assert pair["groups"] == groups and "mean_chars_diff" in pair and "bias_finding_diff" in pair
    assert 0.0 <= pair["identical_copy_share"] <= 1.0
    # both members of the pair really were generated from the counterfactual segments
    assert {s["group"] for s in result["samples"]} == set(groups)
    assert all(s["copy"] for s in result["samples"])


def test_counterfactual_segment_changes_only_the_description():
    from studio.evaluation.fairness import counterfactual_segment
    from studio.kits import load_kit

    seg = next(s for s in load_kit("northpeak", REPO_ROOT / "brand_kits").kit.segments if s.id == "city-commuters")
    twin = counterfactual_segment(seg, "aged 60-69", "Most of them are in their sixties.")
    assert twin.description.endswith("Most of them are in their sixties.")
    same = {k: v for k, v in seg.model_dump().items() if k not in ("id", "description")}
    assert {k: v for k, v in twin.model_dump().items() if k not in ("id", "description")} == same
