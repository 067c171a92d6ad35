"""Benchmark the composer (prints numbers; not a timed test).

    .venv/bin/python bench/compose.py [--reps 20]

Seconds per composed variant, best-of-3 (STUDIO_CANDIDATES), excluding the image, for every sample kit x
preferred channel of its first segment: median and p95 over --reps variants (different seeds), each a full
compose_copy call (module selection, slot filling, fitting, scoring with the voice embedding). With the embedded
model, STUDIO_WRITER=auto composes, so this is also the time of `auto`. Target on 2 cores: <= 0.5 s median.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def time_compose(reps: int, *, verbose: bool = False) -> dict:
    """Seconds per composed variant over every sample kit x its first segment's preferred channels."""
    from studio.channels import get_channel
    from studio.domain import Brief
    from studio.evaluation.generation import BRIEFS
    from studio.generate.writers import compose_copy
    from studio.kits import load_kit
    from studio.labels import copy_disclosures

    times: list[float] = []
    for kit_id in ("northpeak", "chayuan"):
        loaded = load_kit(kit_id, ROOT / "brand_kits")
        segment = loaded.kit.segments[0]
        market = loaded.kit.markets[0].value
        brief = Brief(**BRIEFS[kit_id])
        # the first call loads the embedding model and the kit's voice centroid: not part of a variant's time
        compose_copy(loaded, segment, get_channel(segment.preferred_channels[0]), brief, market=market)
        for channel_id in segment.preferred_channels:
            channel = get_channel(channel_id)
            disclosures = copy_disclosures(loaded.kit, market, channel)
            own = []
            for rep in range(reps):
                t0 = time.perf_counter()
                compose_copy(loaded, segment, channel, brief, market=market, disclosures=disclosures, seed=rep)
                own.append(time.perf_counter() - t0)
            times += own
            if verbose:
                print(f"{kit_id:10s} {channel_id:12s} median {statistics.median(own) * 1000:7.1f} ms   "
                      f"p95 {_p95(own) * 1000:7.1f} ms")
    return {"variants": len(times), "median_s": statistics.median(times), "p95_s": _p95(times)}


def _p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    args = parser.parse_args()
    result = time_compose(args.reps, verbose=True)
    print(f"all        {result['variants']} variants  median {result['median_s'] * 1000:.1f} ms   "
          f"p95 {result['p95_s'] * 1000:.1f} ms   (target: median <= 500 ms)")


if __name__ == "__main__":
    main()
