"""The texts the equivalence tests run over (a fast path against its plain definition, the prefilter against a full
scan): every rule example of every pack, a fixed-size sample of the labelled eval texts, and pairs of them joined.

Each new eval file used to make these tests slower (rules x texts); the sample keeps their cost fixed while still
drawing from every file (texts are taken at an even stride over all of them, in file order), and the rule examples
(the texts each rule is written to match) stay whole.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache
from pathlib import Path

EVALS = Path(__file__).resolve().parents[1] / "evals"
EVAL_SAMPLE = 2500
PAIRS = 200


@lru_cache(maxsize=1)
def rule_examples() -> tuple[str, ...]:
    from studio.checks.packs import load_packs

    return tuple(e for rules in load_packs().values() for r in rules for examples in r.examples.values()
                 for e in examples)


@lru_cache(maxsize=1)
def eval_sample(size: int = EVAL_SAMPLE) -> tuple[str, ...]:
    """`size` labelled texts spread evenly over every evals/**/*.jsonl (checks and quality suites alike)."""
    texts = [json.loads(line)["text"] for f in sorted(EVALS.rglob("*.jsonl"))
             for line in f.open(encoding="utf-8") if line.strip()]
    stride = max(1, len(texts) // size)
    return tuple(texts[::stride][:size])


def corpus(seed: int, joiner: str = " ") -> list[str]:
    """Rule examples, the eval sample, and PAIRS random pairs of them joined by `joiner`."""
    texts = list(rule_examples()) + list(eval_sample())
    rng = random.Random(seed)
    return texts + [rng.choice(texts) + joiner + rng.choice(texts) for _ in range(PAIRS)]
