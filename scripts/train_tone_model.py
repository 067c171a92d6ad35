"""Train the tone model (studio/checks/learned/tone_model_v1.json) and print its held-out scores.

Trains only on evals/model_train/tones/*.jsonl (texts written for training: per tone group of
studio/checks/packs/tones.yaml, EN and ZH positives in many industries, and in-voice or neutral
negatives, tricky ones included) and the sample kits' own voice documents (in-voice: negatives for
every group). Per group, the threshold is the lowest score >= MIN_THRESHOLD whose 5-fold out-of-fold
precision reaches TARGET_PRECISION among the training texts of the group's language (a Chinese text
is no test of an English tone); a group that never reaches it is left out of the shipped file.

Held out (never trained on): evals/checks/scored_not_fixed/tones_eval.jsonl (written for this model,
before it, and scored first on the lexicons alone) and every kit row of evals/checks/ and
evals/checks/scored_not_fixed/. For each: voice_mismatch recall and false alarms with the lexicons
alone, the model alone, and both.

    .venv/bin/python scripts/train_tone_model.py [--dry-run] [--no-eval] [--show] [--c 10]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_claims_model import features  # noqa: E402  (the claims model's n-gram TF-IDF, shared)

TRAIN_DIR = ROOT / "evals" / "model_train" / "tones"
MIN_THRESHOLD, TARGET_PRECISION = 0.6, 0.9
C = 10.0
SEED = 15
# Tones that often come together: a text written for one of a set says nothing about the others, so it
# is left out of their training and of their thresholds' precision instead of counting as a negative.
RELATED = [{"hype", "salesy", "aggressive"}, {"fear", "guilt", "preachy"}, {"guilt", "sarcastic", "preachy"},
           {"zh_exaggeration", "zh_scarcity", "zh_jargon"}, {"zh_preachy", "zh_anxiety"},
           {"zh_sentimental", "zh_pretentious"}]


def tone_groups() -> list[str]:
    from studio.checks.packs import load_tones

    return list(load_tones()["tones"])


def group_language(group: str) -> str:
    return "zh" if group.startswith("zh_") else "en"


def read_rows() -> list[dict]:
    rows = []
    for path in sorted(TRAIN_DIR.glob("*.jsonl")):
        rows += [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return rows + voice_sentences()


def voice_sentences() -> list[dict]:
    """The sample kits' voice documents, a sentence at a time (in-voice copy: no avoided tone). The guides
    (guide--*.md) are left out: they quote the tones to avoid, as examples of what not to write."""
    from studio.checks.learned.tone_model import SENTENCE
    from studio.language import dominant_lang

    out = []
    for path in sorted((ROOT / "brand_kits").glob("*/voice/*")):
        if path.is_file() and not path.name.startswith("guide--"):
            text = re.sub(r"^#+ .*$|^---$|^\w+: .*$", "", path.read_text(encoding="utf-8"), flags=re.M)
            for m in SENTENCE.finditer(text):
                s = m.group().strip()
                if len(s) >= 12:
                    out.append({"text": s, "language": dominant_lang(s), "tones": []})
    return out


def unknown(labels: np.ndarray, groups: list[str]) -> np.ndarray:
    """True where a text's label for a group is unknown: not given, but a related group's is."""
    out = np.zeros(labels.shape, dtype=bool)
    for j, g in enumerate(groups):
        others = [k for k, h in enumerate(groups) if h != g and any(g in s and h in s for s in RELATED)]
        if others:
            out[:, j] = (labels[:, j] == 0) & (labels[:, others].sum(1) > 0)
    return out


def fit(texts: list[str], labels: np.ndarray, groups: list[str]):
    from sklearn.linear_model import LogisticRegression

    x, idf = features(texts)
    keep = np.flatnonzero(idf)
    x = x[:, keep]
    skip = unknown(labels, groups)
    models = [LogisticRegression(C=C, class_weight="balanced", max_iter=3000, random_state=SEED)
              .fit(x[~skip[:, j]], labels[~skip[:, j], j]) for j in range(len(groups))]
    return idf, keep, models


def predict(state, texts: list[str]) -> np.ndarray:
    idf, keep, models = state
    x, _ = features(texts, idf)
    x = x[:, keep]
    return np.column_stack([m.predict_proba(x)[:, 1] for m in models])


def thresholds_from_folds(texts, labels, langs, groups) -> dict[str, float | None]:
    from sklearn.model_selection import StratifiedKFold

    oof = np.zeros(labels.shape)
    strata = labels.argmax(1) + labels.any(1)  # each group's positives spread over the folds
    for train, test in StratifiedKFold(5, shuffle=True, random_state=SEED).split(texts, strata):
        state = fit([texts[i] for i in train], labels[train], groups)
        oof[test] = predict(state, [texts[i] for i in test])
    skip = unknown(labels, groups)
    out = {}
    for j, g in enumerate(groups):
        judged = ~skip[:, j] & (langs == group_language(g))
        chosen = None
        for t in np.arange(MIN_THRESHOLD, 0.995, 0.01):
            pred = (oof[:, j] >= t) & judged
            if pred.sum() and labels[pred, j].mean() >= TARGET_PRECISION:
                chosen = round(float(t), 2)
                break
        out[g] = chosen
        pred = (oof[:, j] >= (chosen or 2)) & judged
        print(f"  {g}: threshold {chosen}, out-of-fold precision "
              f"{labels[pred, j].mean() if pred.sum() else float('nan'):.2f}, "
              f"recall {pred[labels[:, j] == 1].mean():.2f} ({int(labels[:, j].sum())} positives)")
    return out


def export(state, groups: list[str], thresholds: dict) -> dict:
    from studio.checks.learned.tone_model import FEATURES_VERSION, FORMAT_VERSION

    idf, keep, models = state
    return {"version": FORMAT_VERSION, "features_version": FEATURES_VERSION, "groups": groups,
            "thresholds": thresholds, "features": keep.tolist(), "idf": [round(float(v), 5) for v in idf[keep]],
            "coef": [[round(float(v), 5) for v in m.coef_[0]] for m in models],
            "intercept": [round(float(m.intercept_[0]), 5) for m in models],
            "trained_on": "evals/model_train/tones/*.jsonl and brand_kits/*/voice sentences"}


# ---------------------------------------------------------------- held-out measurement

def heldout_sets() -> dict[str, list[dict]]:
    out = {}
    for path in [ROOT / "evals/checks/scored_not_fixed/tones_eval.jsonl", *sorted((ROOT / "evals/checks").glob("*.jsonl")),
                 *sorted((ROOT / "evals/checks/scored_not_fixed").glob("holdout*.jsonl"))]:
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        rows = [r for r in rows if r.get("kit")]
        if rows:
            out[str(path.relative_to(ROOT))] = rows
    return out


def voice_findings(checker, row, channel) -> tuple[bool, bool, bool]:
    """Whether voice_mismatch is flagged by the lexicons and similarity, by the model alone (every avoided
    tone scored), and by both (the model behind the lexicons, as in the check path) for one row."""
    found = [f for f in checker.check_text(row["text"], channel=channel, market=row["market"]).findings
             if f.category == "voice_mismatch" and f.severity.value != "info"]
    rules = [f for f in found if f.source != "model"]
    alone = bool(checker.voice.model_findings(row["text"], None, []))
    return bool(rules), alone, bool(rules) or bool(checker.voice.model_findings(row["text"], None, rules))


def evaluate(show: bool) -> None:
    from studio.evaluation.datasets import RowChecks

    checks = RowChecks(ROOT)
    for name, rows in heldout_sets().items():
        sup = clean = r0 = m0 = both = f0 = fm = fb = 0
        for row in rows:
            checker = checks.checker(row)
            rule, model, combined = voice_findings(checker, row, checks.channel(row))
            if "voice_mismatch" in row["expected"]:
                sup += 1
                r0, m0, both = r0 + rule, m0 + model, both + combined
            else:
                clean += 1
                f0, fm, fb = f0 + rule, fm + model, fb + combined
            if show and combined and not rule:
                print(f"      {'OK ' if 'voice_mismatch' in row['expected'] else 'BAD'} {row['text'][:100]}")
        print(f"  {name}: voice_mismatch recall lexicons {r0}/{sup}, model alone {m0}/{sup}, both {both}/{sup}; "
              f"texts without voice_mismatch flagged: {f0} -> {fb}/{clean} (model alone {fm})")


def main() -> None:
    ap = argparse.ArgumentParser()
    from studio.checks.learned.tone_model import MODEL_FILE, ToneModel, get_tone_model

    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--dry-run", action="store_true", help="train and score, write nothing")
    ap.add_argument("--no-eval", action="store_true", help="skip the held-out sets")
    ap.add_argument("--eval-only", action="store_true", help="score the shipped model on the held-out sets")
    ap.add_argument("--show", action="store_true", help="print each held-out text only the model flagged")
    ap.add_argument("--c", type=float, default=C, help="inverse regularisation strength")
    ap.add_argument("--floor", type=float, default=MIN_THRESHOLD, help="lowest threshold any group may get")
    args = ap.parse_args()
    globals().update(C=args.c, MIN_THRESHOLD=args.floor)
    if args.eval_only:
        evaluate(args.show)
        return

    groups = tone_groups()
    rows = read_rows()
    held = {r["text"] for rs in heldout_sets().values() for r in rs}
    leaked = [r["text"] for r in rows if r["text"] in held]
    if leaked:
        raise SystemExit(f"training texts found in the held-out sets: {leaked[:3]}")
    texts = [r["text"] for r in rows]
    labels = np.array([[g in r["tones"] for g in groups] for r in rows], dtype=int)
    langs = np.array([r["language"] for r in rows])
    print(f"training texts: {len(rows)} ({int((labels.sum(1) == 0).sum())} without a tone); positives: "
          + ", ".join(f"{g} {int(labels[:, j].sum())}" for j, g in enumerate(groups)))
    print(f"thresholds (5-fold out-of-fold, precision >= {TARGET_PRECISION} in the group's language, "
          f"floor {MIN_THRESHOLD}):")
    found = thresholds_from_folds(texts, labels, langs, groups)
    keep = [g for g in groups if found[g] is not None]
    print(f"left out (precision target not reached): {[g for g in groups if g not in keep] or 'none'}")
    state = fit(texts, labels[:, [groups.index(g) for g in keep]], keep)
    data = export(state, keep, {g: found[g] for g in keep})
    ToneModel(data)  # the file must load
    if not args.dry_run:
        args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
        get_tone_model.cache_clear()  # the held-out checks below load the file just written
    if not args.no_eval and not args.dry_run and args.out == MODEL_FILE:
        print("\nheld out (never trained on):")
        evaluate(args.show)


if __name__ == "__main__":
    main()
