"""Generation eval, per writer: for every sample kit x segment x channel (the segment's preferred channels),
one variant composed from the kit's content modules (what the offline default does), one written by the model
with the retrieval prompt (copy_field: the kit's retrieved voice as few-shot examples) and one with the
baseline prompt (copy_field_baseline: no examples).

Per variant, with the disclosures applied as the workflow does: free of the quality gate's findings (garbled,
off_brief, unsupported_claim), the verdict, names the brief's product, fits the channel limits, is in the
kit's language, contains no banned term, brand-voice similarity (cosine to the centroid of the kit's own voice
documents) and the time to write it. A variant that could not be produced counts as failing every share.
Composed variants also give the segment distinctness figure (see `distinctness`).

`run_suite(repo_root, quick=True)` runs two segments and one channel per kit.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

BRIEFS = {
    "northpeak": {"text": "Announce the Ridgeback rain shell for wet commutes and weekend trails.", "product": "Ridgeback Shell",
                  "key_message": "stays dry on a wet commute, packs into its own pocket, built to be repaired"},
    "chayuan": {"text": "介绍园里冷萃™茶包，适合在工位上和通勤路上喝。", "product": "园里冷萃™茶包",
                "key_message": "冷水泡一夜就好，不需要任何茶具"},
}
# Arms: the composer (what STUDIO_WRITER=auto does with the embedded model), and the model writing every
# field with and without the retrieved voice examples (STUDIO_WRITER=model).
# More briefs for the composer (cheap: about 0.3 s a variant): other products, offers and key messages, so its
# figures are not those of the one brief above.
MORE_BRIEFS = {
    "northpeak": [
        {"text": "Autumn layering: the Cirque Base Layer for cold mornings on the trail", "product": "Cirque Base Layer",
         "offer": "15% off base layers this week", "key_message": "warm when you stop, dry when you move"},
        {"text": "Remind customers that Northpeak ReCraft repairs their old jackets", "product": "Northpeak ReCraft™",
         "offer": "free first repair within 3 years of purchase", "key_message": "fix it before you replace it"},
        {"text": "Transit 22 commuter pack restock", "product": "Transit 22",
         "key_message": "fits a 16-inch laptop and a rain shell"},
        {"text": "Talus Down Jacket for winter camping", "product": "Talus Down Jacket", "offer": "free shipping",
         "key_message": "RDS certified down that packs small"},
    ],
    "chayuan": [
        {"text": "中秋礼盒开始预订", "product": "四时礼盒", "offer": "企业订购满30盒定制卡面", "key_message": "四种茶，一盒送到"},
        {"text": "2026 春山绿明前茶到货", "product": "春山绿", "key_message": "明前采摘，有机认证"},
        {"text": "园里冷萃瓶装茶饮上新，适合夏天带去办公室", "product": "园里冷萃™瓶装茶饮", "offer": "首单立减10元",
         "key_message": "不添加蔗糖，开瓶就能喝"},
        {"text": "岩上桂焙火记录公开", "product": "岩上桂", "key_message": "每一批焙火都有记录可查"},
    ],
}
ARMS = (("compose", None, True), ("retrieval", "copy_field", True), ("baseline", "copy_field_baseline", False))
GATE = {"garbled", "off_brief", "unsupported_claim"}
# Targets: the offline default (auto = compose with the embedded model) must be shippable; the model arms are
# measured, not targeted (the embedded 135M model is expected to fail the quality gate).
TARGETS = {"compose.gate_free_share": 0.95, "compose.fit_share": 0.95, "compose.no_banned_share": 1.0,
           "compose.product_named_share": 0.95}
SEED = 1234


def _combos(kits, quick: bool):
    for loaded in kits:
        segments = loaded.kit.segments[:2] if quick else loaded.kit.segments
        for segment in segments:
            channels = segment.preferred_channels or loaded.kit.default_channels
            for channel_id in channels[:1] if quick else channels:
                yield loaded, segment, channel_id


def _voice_centroid(loaded) -> np.ndarray:
    from studio.voice.chunking import chunk_document
    from studio.voice.embedding import embed

    texts = [c.text for path in loaded.voice_files for c in chunk_document(loaded.kit.id, loaded.kit.language, path)]
    vecs = embed(texts or [loaded.kit.voice.description])
    centroid = vecs.mean(axis=0)
    return centroid / (np.linalg.norm(centroid) or 1.0)


def _bare(text: str) -> str:
    return text.lower().replace("™", "").replace("®", "")


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def _progress(row: dict) -> None:
    """One line per variant on stderr: the full run takes a while on CPU (stdout stays for the report)."""
    status = "error" if row["error"] else ("ok" if row["gate_free"] and row["fits"] else f"miss {row['gate']}".strip())
    print(f"eval generation: {row['kit']}/{row['segment']}/{row['channel']} {row['prompt']}: {status} ({row['seconds']} s)",
          file=sys.stderr, flush=True)


def distinctness(rows: list[dict]) -> dict:
    """Personalisation that shows: per kit (over its channels), the mean cosine similarity of composed variants of
    different segments against that of two variants of the same segment (lower across segments = the
    segments are told different things), and the share of content modules two variants have in common
    (Jaccard of their module ids: what they say, not only how)."""
    from studio.generate.scoring import prose
    from studio.voice.embedding import embed

    out: dict = {}
    composed = [r for r in rows if r["prompt"] == "compose" and r.get("siblings") and r.get("brief") == 0]
    for kit_id in sorted({r["kit"] for r in composed}):
        cross, same, cross_modules, same_modules = [], [], [], []
        for channel_id in sorted({r["channel"] for r in composed if r["kit"] == kit_id}):
            group = [r for r in composed if r["kit"] == kit_id and r["channel"] == channel_id]
            texts = [prose(c) for r in group for c in [r["copy"], *r.get("siblings", [])]]
            owners = [r["segment"] for r in group for _ in [r["copy"], *r.get("siblings", [])]]
            if len(set(owners)) < 2:
                continue
            modules = [set(m) for r in group for m in r["modules"]]
            vecs = embed(texts)
            for i in range(len(texts)):
                for j in range(i + 1, len(texts)):
                    pair_same = owners[i] == owners[j]
                    (same if pair_same else cross).append(float(np.dot(vecs[i], vecs[j])))
                    overlap = len(modules[i] & modules[j]) / (len(modules[i] | modules[j]) or 1)
                    (same_modules if pair_same else cross_modules).append(overlap)
        out[f"{kit_id}.segment_similarity.cross"] = _mean(cross)
        out[f"{kit_id}.segment_similarity.same"] = _mean(same)
        out[f"{kit_id}.shared_modules.cross"] = _mean(cross_modules)
        out[f"{kit_id}.shared_modules.same"] = _mean(same_modules)
    return out


def run_suite(repo_root: Path, quick: bool = False, arms: tuple[str, ...] | None = None) -> dict:
    """All arms by default; `arms` picks some (e.g. ("compose",) to measure the composer alone in seconds)."""
    from studio.channels import get_channel
    from studio.checks import get_checker
    from studio.config import get_settings
    from studio.domain import Brief
    from studio.generate import GenerationError, generate_copy, get_chat_model
    from studio.generate.scoring import banned_list, find_banned, fits_channel, prose
    from studio.generate.writers import compose_copy
    from studio.kits import list_kits
    from studio.labels import copy_disclosures
    from studio.language import is_language
    from studio.voice import get_voice_store
    from studio.voice.embedding import embed
    from studio.channels.placement import apply_disclosures

    settings = get_settings()
    if quick:
        settings = settings.model_copy(update={"candidates": 1})
    chat = get_chat_model(settings)
    store = get_voice_store(settings)
    kits = [k for k in list_kits(Path(repo_root) / "brand_kits") if k.kit.id in BRIEFS]
    centroids = {}
    for loaded in kits:
        store.ingest(loaded)
        centroids[loaded.kit.id] = _voice_centroid(loaded)

    rows: list[dict] = []
    chosen = [a for a in ARMS if arms is None or a[0] in arms]
    stats = {arm: {k: [] for k in ("fit", "lang", "clean", "gate", "block", "product", "sim", "seconds")} | {"errors": 0}
             for arm, _, _ in chosen}
    started = time.perf_counter()
    jobs = [(loaded, segment, channel_id, Brief(**BRIEFS[loaded.kit.id]), 0)
            for loaded, segment, channel_id in _combos(kits, quick)]
    if not quick:
        jobs += [(loaded, segment, channel_id, Brief(**extra), n + 1)
                 for loaded, segment, channel_id in _combos(kits, quick)
                 for n, extra in enumerate(MORE_BRIEFS.get(loaded.kit.id, []))]
    for loaded, segment, channel_id, brief, brief_index in jobs:
        kit = loaded.kit
        channel = get_channel(channel_id)
        language = (segment.language or kit.language).split("-")[0]
        market = kit.markets[0].value
        disclosures = copy_disclosures(kit, market, channel)
        passages = store.retrieve(kit.id, f"{brief.summary()}\n{segment.description}", channel=channel.id, language=language, k=4)
        terms = banned_list(kit)
        for arm, template_id, use_examples in chosen:
            if brief_index and template_id is not None:
                continue  # the model arms take minutes per brief on CPU: they write for the first brief only
            arm_stats = stats[arm]
            t0 = time.perf_counter()
            row = {"kit": kit.id, "segment": segment.id, "channel": channel.id, "prompt": arm, "brief": brief_index}
            siblings, row_modules = [], []
            try:
                if template_id is None:
                    result = compose_copy(loaded, segment, channel, brief, market=market, disclosures=disclosures,
                                          passages=passages, seed=SEED, settings=settings)
                    # another variant for the same segment (another variant id, so another seed), for the
                    # segment distinctness figure: how much one segment's variants vary among themselves
                    sibling = compose_copy(loaded, segment, channel, brief, market=market, disclosures=disclosures,
                                           passages=passages, seed=SEED + 7919, settings=settings)
                    siblings = [sibling.copy]
                    row_modules = [result.provenance["modules"], sibling.provenance["modules"]]
                else:
                    result = generate_copy(loaded, segment, channel, brief, market=market, passages=passages,
                                           settings=settings, chat=chat, template_id=template_id,
                                           use_examples=use_examples, seed=SEED)
            except GenerationError as exc:
                arm_stats["errors"] += 1
                for key in ("fit", "lang", "clean", "gate", "product"):
                    arm_stats[key].append(False)
                arm_stats["block"].append(True)
                rows.append({**row, "fits": False, "language": False, "no_banned": False, "gate_free": False,
                             "verdict": "error", "product": False, "voice_sim": None, "gate": "",
                             "seconds": round(time.perf_counter() - t0, 1), "error": str(exc)[:120]})
                _progress(rows[-1])
                continue
            seconds = time.perf_counter() - t0
            copy = apply_disclosures(result.copy, channel, disclosures)
            report = get_checker(loaded).check_copy(copy, channel=channel, market=market, brief=brief)
            gate = sorted({f.category for f in report.findings if f.category in GATE and f.severity == "block"})
            fits = fits_channel(copy, channel)[0]
            lang_ok = is_language(prose(copy), language)
            clean = not find_banned("\n".join(copy.values()), terms)
            # (an SMS drops ™ and ®: they are not in the GSM-7 alphabet)
            product = _bare(brief.product) in _bare(" ".join(copy.values()))
            sim = float(np.dot(embed([prose(copy) or " "])[0], centroids[kit.id]))
            for key, value in (("fit", fits), ("lang", lang_ok), ("clean", clean), ("gate", not gate),
                               ("block", report.verdict == "block"), ("product", product), ("sim", sim),
                               ("seconds", seconds)):
                arm_stats[key].append(value)
            rows.append({**row, "fits": fits, "language": lang_ok, "no_banned": clean, "gate_free": not gate,
                         "verdict": report.verdict, "product": product, "voice_sim": round(sim, 4),
                         "seconds": round(seconds, 2), "gate": ", ".join(gate), "error": "",
                         "copy": copy, "siblings": siblings, "modules": row_modules})  # not table columns
            _progress(rows[-1])

    metrics: dict = { "candidates": settings.candidates,
                     "backend": type(chat).__name__}
    for arm, arm_stats in stats.items():
        metrics[f"{arm}.variants"] = len(arm_stats["gate"])
        metrics[f"{arm}.gate_free_share"] = _share(arm_stats["gate"])
        metrics[f"{arm}.block_share"] = _share(arm_stats["block"])
        metrics[f"{arm}.product_named_share"] = _share(arm_stats["product"])
        metrics[f"{arm}.fit_share"] = _share(arm_stats["fit"])
        metrics[f"{arm}.language_share"] = _share(arm_stats["lang"])
        metrics[f"{arm}.no_banned_share"] = _share(arm_stats["clean"])
        metrics[f"{arm}.voice_similarity"] = _mean(arm_stats["sim"])
        metrics[f"{arm}.errors"] = arm_stats["errors"]
        metrics[f"{arm}.median_seconds"] = round(statistics.median(arm_stats["seconds"]), 3) if arm_stats["seconds"] else None
    metrics.update(distinctness(rows))
    metrics["seconds"] = round(time.perf_counter() - started, 1)

    targets_met = bool(rows) and all(metrics.get(name) is not None and metrics[name] >= target
                                     for name, target in TARGETS.items())
    notes = ["compose = STUDIO_WRITER=auto with the embedded model (and =compose); retrieval/baseline = the model "
             "writing every field (=model) with and without the retrieved voice examples",
             "gate_free: no block finding of garbled, off_brief or unsupported_claim; block: the variant's verdict",
             "targets: " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()),
             "segment_similarity: cosine between composed variants of different segments (cross) and of one segment (same)"]
    return {"suite": "generation", "metrics": metrics, "rows": rows, "targets_met": targets_met,
            "columns": ["kit", "segment", "channel", "prompt", "brief", "fits", "gate_free", "gate", "verdict", "product",
                        "voice_sim", "seconds", "error"],
            "notes": notes}
