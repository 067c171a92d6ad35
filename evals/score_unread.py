"""Score a blind set without reading it: print only aggregate tables, never a text.

A blind set (evals/*/unread/*.jsonl, or a file a helper just wrote) measures whether the checks generalise
only while nobody who changes the checks has read it. This script runs the same predict/score code as
`studio eval`, prints per-category counts and the headline figures, and writes the per-line errors (texts
included) to --errors only when asked, for the moment the set is read on purpose.

    source scripts/offline-env.sh && .venv/bin/python evals/score_unread.py checks evals/checks/unread/holdout20.jsonl
    .venv/bin/python evals/score_unread.py quality evals/quality/unread/blind13.jsonl [--errors out.json]

checks: macro recall over the compliance categories the set carries (every scored category but voice_mismatch
and channel_limit, which depend on the kit and channel more than on the claim), then clean texts flagged.
quality: recall of garbled / off_brief / unsupported_claim, per language, then well-formed copy flagged.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NOT_COMPLIANCE = {"voice_mismatch", "channel_limit"}


def _checks(path: Path) -> tuple[list[dict], list[set[str]], str]:
    from studio.evaluation import checks as suite
    from studio.evaluation.datasets import text_rows

    rows = [{**row, "id": str(row.get("id") or where)} for _, where, row in text_rows([path])]
    predicted = suite.predict(rows, ROOT)
    lines, recalls = [], []
    lines.append(f"{'category':20} {'sup':>4} {'tp':>4} {'fn':>4} {'fp':>4} {'recall':>7}   en tp/sup   zh tp/sup")
    for cat in suite.SCORED:
        sup = [i for i, r in enumerate(rows) if cat in r["expected"]]
        fp = sum(1 for r, p in zip(rows, predicted) if cat in p and cat not in r["expected"])
        if not sup and not fp:
            continue
        tp = sum(1 for i in sup if cat in predicted[i])
        per_lang = []
        for lang in ("en", "zh"):
            s = [i for i in sup if rows[i]["language"] == lang]
            per_lang.append(f"{sum(1 for i in s if cat in predicted[i]):>5}/{len(s):<4}")
        recall = tp / len(sup) if sup else None
        if recall is not None and cat not in NOT_COMPLIANCE:
            recalls.append(recall)
        lines.append(f"{cat:20} {len(sup):>4} {tp:>4} {len(sup) - tp:>4} {fp:>4} "
                     f"{'-' if recall is None else f'{recall:.3f}':>7}   {per_lang[0]}  {per_lang[1]}")
    clean = [(r, p - NOT_COMPLIANCE) for r, p in zip(rows, predicted) if not r["expected"]]
    head = [f"{path.name}: {len(rows)} texts (en {sum(r['language'] == 'en' for r in rows)}, "
            f"zh {sum(r['language'] == 'zh' for r in rows)}), {len(clean)} clean",
            f"macro recall (compliance categories): {sum(recalls) / len(recalls):.3f}",
            f"clean texts flagged: {sum(1 for _, p in clean if p)} / {len(clean)}"]
    for lang in ("en", "zh"):
        c = [p for r, p in clean if r["language"] == lang]
        head.append(f"  {lang}: {sum(1 for p in c if p)} / {len(c)}")
    return rows, predicted, "\n".join(head + lines)


def _quality(path: Path) -> tuple[list[dict], list[set[str]], str]:
    from studio.evaluation import quality as suite

    rows = suite.load_rows([path])
    predicted = suite.predict(rows, ROOT)
    result = suite.score(rows, predicted)
    m = result["metrics"]
    sources = Counter(str(r.get("source")) for r in rows)
    lines = [f"{path.name}: {m['texts']} texts, {m['well_formed']} well-formed; "
             f"sources: {', '.join(f'{s} {n}' for s, n in sorted(sources.items()))}",
             f"well-formed flagged: {m['well_formed_fp_rate']}  "
             + "  ".join(f"{k} {v['fp_rate']} of {v['well_formed']}" for k, v in m["by_language"].items()),
             f"{'lang':5} {'category':18} {'sup':>4} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'recall':>7}"]
    for t in result["rows"]:
        lines.append(f"{t['language']:5} {t['category']:18} {t['support']:>4} {t['tp']:>4} {t['fp']:>4} {t['fn']:>4} "
                     f"{t['precision'] if t['precision'] is not None else '-':>6} {t['recall'] if t['recall'] is not None else '-':>7}")
    model = [(r, p) for r, p in zip(rows, predicted) if r.get("source") == "model"]
    garbled = [(r, p) for r, p in model if "garbled" in r["labels"]]
    for lang in ("en", "zh"):
        g = [(r, p) for r, p in garbled if r["language"] == lang]
        lines.append(f"model fields, {lang}: garbled caught {sum('garbled' in p for _, p in g)} / {len(g)}")
    return rows, predicted, "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("suite", choices=("checks", "quality"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--errors", type=Path, help="also write every wrong line (texts included) here: reads the set")
    args = ap.parse_args()
    rows, predicted, table = (_checks if args.suite == "checks" else _quality)(args.file)
    print(table)
    if args.errors:
        key = "expected" if args.suite == "checks" else "labels"
        wrong = [{"id": r["id"], "text": r["text"], key: sorted(r[key]), "predicted": sorted(p)}
                 for r, p in zip(rows, predicted) if set(r[key]) != p - (NOT_COMPLIANCE if args.suite == "checks" else set())]
        args.errors.write_text(json.dumps(wrong, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
