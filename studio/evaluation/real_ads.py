"""The `real_ads` eval suite: the share of real online ads the checks flag, per the study's code.

Reads a JSONL file of `{"id", "code", "text"}` (default: ../shared/data/real_ads_dev.jsonl, or the file
named by STUDIO_REAL_ADS_FILE), checks each text as a US facebook_ad, and counts an ad as flagged when
it gets a warn or block finding in a compliance category (the claim categories below: the paid-social
disclosure, the channel's limits and the quality gate are about our own copy, not the ad's claims).

Targets (issue 15): Supplements and Investing flagged >= 80 %, Product and Self-Link <= 10 %.

    STUDIO_REAL_ADS_FILE=path.jsonl studio eval --suite real_ads
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from studio.evaluation.datasets import ratio, text_rows
from studio.evaluation.runner import EvalInputError

DEFAULT_FILE = Path("..") / "shared" / "data" / "real_ads_dev.jsonl"
COMPLIANCE_CATEGORIES = frozenset({
    "absolute_claim", "guarantee_claim", "health_claim", "financial_promise", "false_urgency",
    "fake_social_proof", "green_claim", "endorsement",
})
FLAG_AT_LEAST = {"Supplements": 0.80, "Investing": 0.80}
FLAG_AT_MOST = {"Product": 0.10, "Self-Link": 0.10}
MARKET, CHANNEL = "US", "facebook_ad"


def dataset_path(repo_root: Path) -> Path:
    env = os.environ.get("STUDIO_REAL_ADS_FILE", "").strip()
    path = Path(env) if env else (repo_root / DEFAULT_FILE)
    if not path.is_file():
        raise EvalInputError(f"{path}: real-ads file not found (set STUDIO_REAL_ADS_FILE)")
    return path


def load_ads(path: Path) -> list[dict]:
    rows = []
    for _path, where, row in text_rows([path]):
        if not isinstance(row.get("code"), str) or not row["code"].strip():
            raise EvalInputError(f"{where}: needs a 'code'")
        rows.append(row)
    return rows


def flagged_categories(checker, channel, text: str) -> set[str]:
    report = checker.check_text(text, channel=channel, market=MARKET)
    return {f.category for f in report.findings
            if f.severity.value != "info" and f.category in COMPLIANCE_CATEGORIES}


def score(rows: list[dict], flags: list[set[str]]) -> dict:
    total, hit = Counter(), Counter()
    cats: dict[str, Counter] = {}
    for row, cats_found in zip(rows, flags):
        code = row["code"]
        total[code] += 1
        hit[code] += bool(cats_found)
        cats.setdefault(code, Counter()).update(cats_found)
    per = []
    for code in sorted(total, key=lambda c: (-total[c], c)):
        share = ratio(hit[code], total[code])
        target = (f">= {FLAG_AT_LEAST[code]:.2f}" if code in FLAG_AT_LEAST
                  else f"<= {FLAG_AT_MOST[code]:.2f}" if code in FLAG_AT_MOST else "-")
        met = (share >= FLAG_AT_LEAST[code] if code in FLAG_AT_LEAST
               else share <= FLAG_AT_MOST[code] if code in FLAG_AT_MOST else None)
        per.append({"code": code, "ads": total[code], "flagged": hit[code], "share": share, "target": target,
                    "target_met": met,
                    "categories": ", ".join(f"{c} {n}" for c, n in cats[code].most_common())})
    met = all(r["target_met"] for r in per if r["target_met"] is not None)
    return {"rows": per, "targets_met": met,
            "metrics": {"ads": len(rows), "flagged": sum(hit.values()), "market": MARKET, "channel": CHANNEL}}


def run_suite(repo_root: Path, quick: bool = False) -> dict:
    from studio.channels import get_channel
    from studio.checks import get_checker

    path = dataset_path(repo_root)
    rows = load_ads(path)
    checker, channel = get_checker(None), get_channel(CHANNEL)
    flags = [flagged_categories(checker, channel, r["text"]) for r in rows]
    result = score(rows, flags)
    result["metrics"]["file"] = str(path)
    return {"suite": "real_ads", **result,
            "columns": ["code", "ads", "flagged", "share", "target", "target_met", "categories"]}
