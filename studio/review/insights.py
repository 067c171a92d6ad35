"""Queue metrics for the Insights page and its CSV download."""

from __future__ import annotations

import csv
import io
from collections import Counter
from statistics import median

from studio.review.queue import ReviewQueue
from studio.spreadsheet import safe_cell


def queue_insights(queue: ReviewQueue) -> dict:
    variants = queue.list()
    decided = [v for v in variants if v["status"] in ("approved", "rejected", "exported")]
    approved = [v for v in decided if v["status"] in ("approved", "exported")]
    times = [t["seconds"] for t in queue.decision_times()]
    findings = [f for v in variants for f in v["findings"]]
    return {
        "total": len(variants),
        "by_status": dict(Counter(v["status"] for v in variants)),
        "approval_rate": round(len(approved) / len(decided), 3) if decided else None,
        "median_seconds_to_decision": round(median(times), 1) if times else None,
        "findings_by_category": dict(Counter(f["category"] for f in findings).most_common()),
        "findings_by_rule": dict(Counter(f["rule"] for f in findings).most_common(15)),
        "by_channel": dict(Counter(v["channel"] for v in variants)),
        "by_segment": dict(Counter(f"{v['kit']}/{v['segment']}" for v in variants)),
        "by_verdict": dict(Counter(v["verdict"] or "none" for v in variants)),
    }


def insights_csv(insights: dict) -> str:
    """Long format (metric, key, value): opens cleanly in any spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["metric", "key", "value"])
    for metric, value in insights.items():
        if isinstance(value, dict):
            for key, count in value.items():
                writer.writerow([safe_cell(metric), safe_cell(key), safe_cell(count)])
        else:
            writer.writerow([safe_cell(metric), "", safe_cell(value)])
    return buffer.getvalue()
