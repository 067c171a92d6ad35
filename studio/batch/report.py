"""The end of a batch: the summary (counts, verdicts, top findings, failures, throughput) and the
report CSV, one line per variant (or per failed / invalid / unfinished row)."""

from __future__ import annotations

import csv
import os
from collections import Counter
from pathlib import Path

from studio.spreadsheet import safe_cell

REPORT_COLUMNS = ("row_id", "line", "segment", "channel", "market", "variant_id", "version", "status", "verdict",
                  "findings", "error")


def queue_variants(batch_id: str) -> dict[str, dict]:
    from studio.review import ReviewQueue

    return {v["id"]: v for v in ReviewQueue().list(batch_id=batch_id)}


def report_lines(tasks: list[dict], variants: dict[str, dict]) -> list[dict]:
    lines = []
    for task in sorted(tasks, key=lambda t: (t["line"], t["task_id"])):
        base = {"row_id": task["row_id"], "line": task["line"], "segment": task["segment"],
                "market": (task["spec"] or {}).get("market", "")}
        if task["status"] == "done":
            for variant_id in task["variant_ids"]:
                v = variants.get(variant_id)
                if v is None:
                    lines.append({**base, "variant_id": variant_id, "status": "missing",
                                  "error": "variant not found in the review queue"})
                    continue
                lines.append({**base, "channel": v["channel"], "market": v["market"], "variant_id": variant_id,
                              "version": v["version"], "status": v["status"], "verdict": v["verdict"] or "",
                              "findings": len(v["findings"])})
        else:
            lines.append({**base, "channel": ";".join((task["spec"] or {}).get("channels", [])),
                          "status": task["status"], "error": task["error"] or ""})
    return lines


def write_report(path: Path, lines: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for line in lines:
            writer.writerow({k: safe_cell(line.get(k, "")) for k in REPORT_COLUMNS})
    tmp.replace(path)
    return path


def report_path(source: str, batch_id: str, out: str | None) -> Path:
    src = Path(source)
    folder = Path(out) if out else src.parent
    return folder / f"{src.stem}.{batch_id}.report.csv"


def summarize(batch: dict, tasks: list[dict], variants: dict[str, dict], *, wall_s: float, run_variants: int,
              retries: int = 0, interrupted: bool = False, report: str | None = None, top: int = 10) -> dict:
    rows: dict[str, set[int]] = {"done": set(), "failed": set(), "pending": set(), "invalid": set()}
    # A row is a line of the file (row ids may repeat on invalid lines: a duplicate row_id is one).
    by_row: dict[int, list[str]] = {}
    for task in tasks:
        by_row.setdefault(task["line"], []).append(task["status"])
    for row_id, statuses in by_row.items():
        if "invalid" in statuses:
            rows["invalid"].add(row_id)
        elif "failed" in statuses:
            rows["failed"].add(row_id)
        elif all(s == "done" for s in statuses):
            rows["done"].add(row_id)
        else:
            rows["pending"].add(row_id)
    # Every variant of the batch in the queue, a reviewer's view: a row cut off mid-way (a lost Ray node) may have
    # queued some of its variants before its task was marked done; the rerun keeps them and fills only the rest.
    batch_variants = list(variants.values())
    verdicts = Counter(v["verdict"] or "none" for v in batch_variants)
    statuses = Counter(v["status"] for v in batch_variants)
    categories: Counter = Counter()
    rules: Counter = Counter()
    for v in batch_variants:
        for finding in v["findings"]:
            categories[finding.get("category", "?")] += 1
            rules[finding.get("rule", "?")] += 1
    if interrupted:
        status = "interrupted"
    elif rows["failed"]:
        status = "failed"
    elif rows["pending"]:
        status = "incomplete"
    else:
        status = "done"
    return {
        "batch_id": batch["id"],
        "source": batch["source"],
        "status": status,
        "rows": {"total": len(by_row), **{k: len(v) for k, v in rows.items()}},
        "tasks": {"total": len(tasks), **Counter(t["status"] for t in tasks)},
        "variants": {"total": len(batch_variants), "this_run": run_variants,
                     "by_verdict": dict(sorted(verdicts.items())), "by_status": dict(sorted(statuses.items()))},
        "findings": {"total": sum(categories.values()),
                     "by_category": [{"category": c, "count": n} for c, n in categories.most_common(top)],
                     "by_rule": [{"rule": r, "count": n} for r, n in rules.most_common(top)]},
        "failures": [{"row_id": t["row_id"], "line": t["line"], "segment": t["segment"], "error": t["error"]}
                     for t in tasks if t["status"] == "failed"],
        "invalid": [{"row_id": t["row_id"], "line": t["line"], "error": t["error"]} for t in tasks if t["status"] == "invalid"],
        "retries": retries,
        "wall_s": round(wall_s, 2),
        "variants_per_min": round(run_variants / wall_s * 60, 2) if wall_s > 0 else 0.0,
        "report": report,
    }


def format_summary(summary: dict) -> str:
    rows, variants, findings = summary["rows"], summary["variants"], summary["findings"]
    out = [
        f"batch {summary['batch_id']} ({summary['status']}): {summary['source']}",
        f"  rows: {rows['total']} total, {rows['done']} done, {rows['failed']} failed, {rows['invalid']} invalid (skipped), "
        f"{rows['pending']} unfinished",
        f"  variants: {variants['total']} in the queue ({variants['this_run']} this run); verdicts: "
        + (", ".join(f"{k} {n}" for k, n in variants["by_verdict"].items()) or "-"),
        f"  findings: {findings['total']}"
        + ("; top: " + ", ".join(f"{c['category']} {c['count']}" for c in findings["by_category"][:5]) if findings["total"] else ""),
    ]
    if findings["by_rule"]:
        out.append("  top rules: " + ", ".join(f"{r['rule']} {r['count']}" for r in findings["by_rule"][:5]))
    for failure in summary["failures"][:20]:
        out.append(f"  failed: row {failure['row_id']} (line {failure['line']}, segment {failure['segment']}): {failure['error']}")
    if len(summary["failures"]) > 20:
        out.append(f"  ... and {len(summary['failures']) - 20} more failures (see the report)")
    out.append(f"  wall time {summary['wall_s']:.1f} s, {summary['variants_per_min']:.1f} variants/min, retries {summary['retries']}")
    if summary["report"]:
        out.append(f"  report: {summary['report']}")
    if summary["status"] in ("failed", "incomplete", "interrupted"):
        out.append(f"  to continue: studio batch --resume {summary['batch_id']}")
    out.append(f"  review: studio review list --batch {summary['batch_id']}")
    return "\n".join(out)
