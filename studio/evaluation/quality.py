"""The `quality` eval suite: the quality gate (garbled, off_brief, unsupported_claim) on labelled texts.

Datasets: evals/quality/*.jsonl and evals/quality/blind/*.jsonl, one text a line:
{"id", "kit" (optional), "channel" (optional), "market" (optional), "brief", "product", "offer"
(optional: without a brief off_brief is not checked), "text", "labels": [categories of the quality gate],
"language" (optional, detected when absent), "source" (optional: model, human, negative)}.

A text's predicted labels are the quality-gate categories of its warn or block findings. Reported per
category and language: precision, recall, support; and the false-positive rate on well-formed copy
(texts labelled with nothing). Targets (issue 13): recall >= 0.95 for garbled, >= 0.90 for off_brief and
unsupported_claim; false positives on well-formed copy <= 2 %.
"""

from __future__ import annotations

from pathlib import Path

from studio.evaluation.datasets import RowChecks, ratio, text_rows
from studio.evaluation.runner import EvalInputError
from studio.language import dominant_lang

DATASET_DIR = Path("evals") / "quality"
CATEGORIES = ("garbled", "off_brief", "unsupported_claim")
TARGETS = {"garbled": 0.95, "off_brief": 0.90, "unsupported_claim": 0.90}
FP_TARGET = 0.02
LANGUAGES = ("en", "zh")


def load_rows(files: list[Path]) -> list[dict]:
    rows, seen = [], set()
    for path, where, row in text_rows(files):
        labels = row.get("labels")
        if not isinstance(labels, list) or any(c not in CATEGORIES for c in labels):
            raise EvalInputError(f"{where}: 'labels' must be a list of {', '.join(CATEGORIES)}")
        rid = f"{path.parent.name}/{path.stem}:{row.get('id', where.rsplit(' ', 1)[-1])}"
        if rid in seen:
            raise EvalInputError(f"{where}: duplicate id '{rid}'")
        seen.add(rid)
        lang = row.get("language") or dominant_lang(row["text"])
        rows.append({**row, "id": rid, "language": lang, "labels": sorted(set(labels))})
    return rows


def dataset_files(root: Path, blind: bool | None = None) -> list[Path]:
    """The labelled files; blind=True only the blind set, False all but it, None all."""
    folder = root / DATASET_DIR
    files = []
    if blind is not True:
        files += sorted(p for p in folder.glob("*.jsonl") if not p.name.endswith("_raw.jsonl"))
    if blind is not False:
        files += sorted((folder / "blind").glob("*.jsonl"))
    if not files:
        raise EvalInputError(f"{folder}: no labelled *.jsonl files")
    return files


def predict(rows: list[dict], repo_root: Path) -> list[set[str]]:
    checks = RowChecks(repo_root)
    out = []
    for row in rows:
        brief = None
        if (row.get("brief") or "").strip() or (row.get("product") or "").strip():
            brief = {"text": row.get("brief") or "", "product": row.get("product") or "", "offer": row.get("offer") or ""}
        # A row that is one field of a variant ("field": "subject") is checked as that field.
        report = checks.checker(row).check_text(row["text"], channel=checks.channel(row), market=row.get("market") or None,
                                                field=row.get("field") or None, brief=brief)
        out.append({f.category for f in report.findings if f.category in CATEGORIES and f.severity.value != "info"})
    return out


def score(rows: list[dict], predicted: list[set[str]]) -> dict:
    table = []
    for lang in LANGUAGES + ("all",):
        sub = [(r, p) for r, p in zip(rows, predicted) if lang == "all" or r["language"] == lang]
        for cat in CATEGORIES:
            tp = sum(1 for r, p in sub if cat in r["labels"] and cat in p)
            fp = sum(1 for r, p in sub if cat not in r["labels"] and cat in p)
            fn = sum(1 for r, p in sub if cat in r["labels"] and cat not in p)
            recall = ratio(tp, tp + fn)
            table.append({"language": lang, "category": cat, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                          "precision": ratio(tp, tp + fp), "recall": recall,
                          "target": TARGETS[cat], "target_met": None if recall is None else recall >= TARGETS[cat]})
    clean = [(r, p) for r, p in zip(rows, predicted) if not r["labels"]]
    fp_rate = ratio(sum(1 for _, p in clean if p), len(clean))
    by_lang = {}
    for lang in LANGUAGES:
        c = [p for r, p in clean if r["language"] == lang]
        by_lang[lang] = {"texts": sum(1 for r in rows if r["language"] == lang), "well_formed": len(c),
                         "fp_rate": ratio(sum(1 for p in c if p), len(c))}
    metrics = {"texts": len(rows), "well_formed": len(clean), "well_formed_fp_rate": fp_rate, "by_language": by_lang,
               "targets": "recall >= 0.95 garbled, >= 0.90 off_brief and unsupported_claim; FP on well-formed copy <= 0.02"}
    met = all(t["target_met"] is not False for t in table if t["language"] == "all") and (fp_rate is None or fp_rate <= FP_TARGET)
    return {"metrics": metrics, "rows": table, "targets_met": met}


def evaluate(files: list[Path], repo_root: Path) -> dict:
    rows = load_rows(files)
    predicted = predict(rows, repo_root)
    result = score(rows, predicted)
    errors = [{"id": r["id"], "text": r["text"], "labels": r["labels"], "predicted": sorted(p),
               "missed": sorted(set(r["labels"]) - p), "extra": sorted(p - set(r["labels"]))}
              for r, p in zip(rows, predicted) if set(r["labels"]) != p]
    return {**result, "errors": errors}


def run_suite(repo_root: Path, quick: bool = False) -> dict:
    """All labelled files, blind set included (its first-pass figures are recorded in evals/quality/README.md)."""
    result = evaluate(dataset_files(repo_root), repo_root)
    notes = [f"{e['id']}: missed {e['missed'] or '-'} extra {e['extra'] or '-'}: {e['text'][:80]!r}" for e in result["errors"][:20]]
    if len(result["errors"]) > 20:
        notes.append(f"... and {len(result['errors']) - 20} more (see --json 'errors')")
    return {"suite": "quality", **result, "notes": notes,
            "columns": ["language", "category", "support", "tp", "fp", "fn", "precision", "recall", "target", "target_met"]}
