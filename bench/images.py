"""Benchmark: template render and the full label step (visible label + watermark + XMP/AIGC + C2PA) at 1080x1080.

Usage: python bench/images.py [--runs N]. Prints median seconds; targets: render <= 0.5 s, labels <= 1 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TARGETS = {"render": 0.5, "labels": 1.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--kit", default="northpeak")
    args = parser.parse_args()

    from studio.channels import get_channel
    from studio.config import Settings
    from studio.images.backgrounds import template_background
    from studio.images.compositor import compose
    from studio.kits.loader import load_kit_dir
    from studio.labels import apply_image_labels, verify_file, visible_label_text
    from studio.labels.metadata import COMPOSITE

    loaded = load_kit_dir(REPO / "brand_kits" / args.kit)
    market = loaded.kit.markets[0]
    spec = get_channel("instagram").image
    assert (spec.width, spec.height) == (1080, 1080)
    headline = "Built for honest weather, repaired for the long haul" if market != "CN" else "春茶上新：明前龙井，一杯喝到整座茶山的清晨。"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = Settings(data_dir=tmp / "data")
        render_times, label_times, verify_times = [], [], []
        for i in range(args.runs + 1):  # first run warms caches (fonts, c2pa library, local certificate)
            t0 = time.perf_counter()
            background = template_background(spec.width, spec.height, loaded.kit.visual.palette)
            image, _ = compose(background, loaded, headline=headline, cta="Shop now", label_text=visible_label_text(market))
            t1 = time.perf_counter()
            src = tmp / f"render-{i}.png"
            image.save(src, "PNG", compress_level=1)
            t2 = time.perf_counter()
            apply_image_labels(src, tmp / f"labelled-{i}.png", variant_id=f"bench-{i}", market=market,
                               digital_source_type=COMPOSITE, produce_id=f"bench-{i}", producer="Studio",
                               settings=settings)
            t3 = time.perf_counter()
            report = verify_file(tmp / f"labelled-{i}.png", settings=settings)  # the key the labels were made with
            if not report.ok:
                raise SystemExit(f"verify failed on a freshly labelled image: {report.problems}")
            t4 = time.perf_counter()
            if i:
                render_times.append(t1 - t0)
                label_times.append(t3 - t2)
                verify_times.append(t4 - t3)
    results = {"render": statistics.median(render_times), "labels": statistics.median(label_times),
               "verify": statistics.median(verify_times)}
    print(f"images bench: kit={args.kit} size=1080x1080 runs={args.runs}")
    for name, value in results.items():
        target = TARGETS.get(name)
        verdict = "" if target is None else (f"  target <= {target:.1f} s  " + ("OK" if value <= target else "SLOW"))
        print(f"  {name:<7} median {value:.3f} s{verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
