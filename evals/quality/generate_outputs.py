"""Collect real outputs of the configured writer (default: the embedded SmolLM2-135M) for the quality set.

For each sample kit, brief, segment and channel, one variant is generated with the kit's retrieved
voice (as `studio generate` does) and EVERY best-of-N candidate's fields are written, one line per
field, to evals/quality/model_outputs_raw.jsonl. The lines are then read and labelled by a person
(evals/quality/model_outputs.jsonl); this script only collects.

    source scripts/offline-env.sh && .venv/bin/python evals/quality/generate_outputs.py [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

BRIEFS = {
    "northpeak": [
        {"text": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell", "offer": "free first repair"},
        {"text": "Autumn layering: the Cirque base layer under a shell for cold trail mornings", "product": "Cirque Base Layer",
         "offer": "free shipping on orders over $75"},
        {"text": "Northpeak ReCraft: send us a worn jacket and we repair it", "product": "Northpeak ReCraft",
         "key_message": "repair before you replace"},
        {"text": "The Transit 22 commuter pack for a wet ride to work", "product": "Transit 22", "offer": "10% off for new subscribers"},
    ],
    "chayuan": [
        {"text": "介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", "product": "春山绿冷泡茶包", "offer": "首单包邮"},
        {"text": "中秋礼盒上新，送给家人和同事。", "product": "中秋茶礼盒", "offer": "满199元送玻璃杯"},
        {"text": "谷雨前后的春茶到货，讲讲产地和采摘时间。", "product": "明前龙井", "key_message": "合作茶园产地直采"},
        {"text": "白露时节推荐一款白茶，适合慢慢喝。", "product": "白露寿眉", "offer": "第二件半价"},
    ],
}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="stop after this many variants (0 = all)")
    ap.add_argument("--out", default=str(ROOT / "evals" / "quality" / "model_outputs_raw.jsonl"))
    args = ap.parse_args()

    from studio.channels import get_channel
    from studio.config import get_settings
    from studio.domain import Brief
    from studio.generate import generate_copy
    from studio.generate.errors import GenerationError
    from studio.kits import load_kit
    from studio.voice import get_voice_store

    settings = get_settings()
    store = get_voice_store()
    out = Path(args.out)
    done = set()
    if out.exists():
        done = {json.loads(line)["variant"] for line in out.read_text(encoding="utf-8").splitlines() if line.strip()}
    count = 0
    with out.open("a", encoding="utf-8") as fh:
        for kit_id, briefs in BRIEFS.items():
            loaded = load_kit(kit_id, settings.kits_dir)
            store.ingest(loaded)
            for b_i, b in enumerate(briefs):
                brief = Brief(**b)
                for s_i, segment in enumerate(loaded.kit.segments):
                    channels = segment.preferred_channels or loaded.kit.default_channels
                    # rotate so every brief meets different channels
                    channel_id = channels[(b_i + s_i) % len(channels)]
                    variant = f"{kit_id}-b{b_i}-{segment.id}-{channel_id}"
                    if variant in done:
                        continue
                    channel = get_channel(channel_id)
                    passages = store.retrieve(kit_id, f"{brief.summary()}\n{segment.description}", channel=channel_id,
                                              language=segment.language, k=4)
                    t0 = time.perf_counter()
                    try:
                        result = generate_copy(loaded, segment, channel, brief, market=loaded.kit.markets[0].value,
                                               passages=passages)
                    except GenerationError as exc:
                        print(f"{variant}: {exc}", file=sys.stderr)
                        continue
                    for cand in result.candidates:
                        for field, text in cand["copy"].items():
                            if not text or field in {"hashtags", "tags"}:
                                continue
                            fh.write(json.dumps({"variant": variant, "candidate": cand["index"], "kit": kit_id,
                                                 "segment": segment.id, "channel": channel_id, "field": field,
                                                 "market": loaded.kit.markets[0].value, "brief": brief.text,
                                                 "product": brief.product, "offer": brief.offer,
                                                 "key_message": brief.key_message, "selected": cand.get("selected", False),
                                                 "text": text}, ensure_ascii=False) + "\n")
                    fh.flush()
                    count += 1
                    print(f"{variant}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
                    if args.limit and count >= args.limit:
                        return


if __name__ == "__main__":
    main()
