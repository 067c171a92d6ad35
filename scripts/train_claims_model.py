"""Train the claims model (studio/checks/learned/claims_model_v1.json) and print its held-out scores.

Trains only on evals/model_train/*.jsonl (texts written for training) and the rule packs' own
examples (a rule's positive examples are its category; every other example is a negative for the
categories it is not). Thresholds come from 5-fold
out-of-fold scores on those training texts (the lowest score that keeps precision >= 0.9, never
below 0.85: short fragments of real copy, such as "Out in it, back again", scored 0.77-0.83 for
health_claim with a lower floor). Held-out scores are on texts it never saw: every labelled file in evals/checks/ and, when
present, the real ads (../shared/data/real_ads_dev.jsonl), which are never trained on.

    .venv/bin/python scripts/train_claims_model.py [--out PATH] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CATEGORIES = ["endorsement", "health_claim", "financial_promise", "fake_social_proof"]
VERSION = "v1"
MIN_THRESHOLD, TARGET_PRECISION = 0.85, 0.9
SEED = 15


def read_jsonl(folder: Path) -> list[dict]:
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def pack_examples() -> list[dict]:
    from studio.checks.packs import load_packs

    rows = []
    for rules in load_packs().values():
        for rule in rules:
            for text in rule.examples.get("positive") or []:
                rows.append({"text": text, "expected": [rule.category]})
            for text in rule.examples.get("negative") or []:
                rows.append({"text": text, "expected": []})
    merged: dict[str, set] = {}
    for r in rows:  # one row per text, with every category a rule gave it
        merged.setdefault(r["text"], set()).update(r["expected"])
    return [{"text": t, "expected": sorted(c)} for t, c in merged.items()]


def features(texts: list[str], idf: np.ndarray | None = None):
    """The model's own features (studio/checks/learned/features.py) as a sparse matrix; idf from these
    texts when not given (smoothed as scikit-learn does), zero for n-grams in fewer than 2 texts."""
    from scipy.sparse import csr_matrix

    from studio.checks.learned.features import BITS, ngram_ids, tf_idf_rows

    if idf is None:
        part, fid = ngram_ids(texts)
        df = np.bincount(np.unique(part * (1 << BITS) + fid) & ((1 << BITS) - 1), minlength=1 << BITS)
        idf = np.where(df >= 2, np.log((1 + len(texts)) / (1 + df)) + 1.0, 0.0)
    part, fid, w = tf_idf_rows(texts, idf)
    return csr_matrix((w, (part, fid)), shape=(len(texts), 1 << BITS)), idf


def fit(texts: list[str], labels: np.ndarray):
    from sklearn.linear_model import LogisticRegression

    x, idf = features(texts)
    models = [LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000, random_state=SEED).fit(x, labels[:, i])
              for i in range(len(CATEGORIES))]
    return idf, models


def thresholds_from_folds(texts: list[str], labels: np.ndarray) -> dict[str, float]:
    from sklearn.model_selection import KFold

    oof = np.zeros(labels.shape)
    for train, test in KFold(5, shuffle=True, random_state=SEED).split(texts):
        idf, models = fit([texts[i] for i in train], labels[train])
        x, _ = features([texts[i] for i in test], idf)
        for j, m in enumerate(models):
            oof[test, j] = m.predict_proba(x)[:, 1]
    out = {}
    for j, cat in enumerate(CATEGORIES):
        chosen = 0.95
        for t in np.arange(MIN_THRESHOLD, 0.96, 0.01):
            pred = oof[:, j] >= t
            if pred.sum() and labels[pred, j].mean() >= TARGET_PRECISION:
                chosen = float(t)
                break
        out[cat] = round(chosen, 2)
    return out


def export(idf, models, thresholds) -> dict:
    from studio.checks.learned.model import FEATURES_VERSION

    ids = np.flatnonzero(idf)
    return {"version": VERSION, "features_version": FEATURES_VERSION, "categories": CATEGORIES,
            "thresholds": thresholds, "features": ids.tolist(),
            "idf": [round(float(v), 5) for v in idf[ids]],
            "coef": [[round(float(v), 5) for v in m.coef_[0][ids]] for m in models],
            "intercept": [round(float(m.intercept_[0]), 5) for m in models],
            "trained_on": "evals/model_train/*.jsonl and the rule packs' examples"}


def held_out(model, rows: list[dict]) -> list[dict]:
    """Per-category precision and recall of the model alone on labelled texts it never saw."""
    flagged = [{f.category for f in model.findings(r["text"], None, set())} for r in rows]
    table = []
    for cat in CATEGORIES:
        tp = sum(1 for r, p in zip(rows, flagged) if cat in r["expected"] and cat in p)
        fp = sum(1 for r, p in zip(rows, flagged) if cat not in r["expected"] and cat in p)
        fn = sum(1 for r, p in zip(rows, flagged) if cat in r["expected"] and cat not in p)
        table.append({"category": cat, "support": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                      "precision": round(tp / (tp + fp), 3) if tp + fp else None,
                      "recall": round(tp / (tp + fn), 3) if tp + fn else None})
    clean = [p for r, p in zip(rows, flagged) if not r["expected"]]
    table.append({"category": "(clean texts flagged)", "support": len(clean), "fp": sum(1 for p in clean if p)})
    return table


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=ROOT / "studio" / "checks" / "learned" / "claims_model_v1.json")
    ap.add_argument("--dry-run", action="store_true", help="train and score, write nothing")
    args = ap.parse_args()

    from studio.checks.learned.model import ClaimsModel

    train = read_jsonl(ROOT / "evals" / "model_train") + pack_examples()
    texts = [r["text"] for r in train]
    labels = np.array([[cat in r["expected"] for cat in CATEGORIES] for r in train], dtype=int)
    print(f"training texts: {len(train)}; positives per category: "
          + ", ".join(f"{c} {int(labels[:, i].sum())}" for i, c in enumerate(CATEGORIES)))
    thresholds = thresholds_from_folds(texts, labels)
    print(f"thresholds (5-fold out-of-fold, precision >= {TARGET_PRECISION}): {thresholds}")
    idf, models = fit(texts, labels)
    data = export(idf, models, thresholds)
    model = ClaimsModel(data)

    train_ids = {r["text"] for r in train}
    evals = [r for r in read_jsonl(ROOT / "evals" / "checks") if r["text"] not in train_ids]
    print(f"\nheld out: evals/checks/*.jsonl, {len(evals)} texts (none trained on)")
    for row in held_out(model, evals):
        print("  " + "  ".join(f"{k}={v}" for k, v in row.items()))
    ads_path = ROOT.parent / "shared" / "data" / "real_ads_dev.jsonl"
    if ads_path.is_file():
        ads = [json.loads(x) for x in ads_path.read_text(encoding="utf-8").splitlines() if x.strip()]
        total, hit = Counter(), Counter()
        for a in ads:
            total[a["code"]] += 1
            hit[a["code"]] += bool(model.findings(a["text"], None, set()))
        print(f"\nheld out: real ads (model alone), flagged per code: "
              + ", ".join(f"{c} {hit[c]}/{total[c]}" for c in sorted(total, key=lambda c: -total[c])))
    if not args.dry_run:
        args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"\nwrote {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
