"""Generation eval: for every sample kit x segment x channel (the segment's preferred channels), one
variant with the retrieval prompt (copy_field: the kit's retrieved voice as few-shot examples) and
one with the baseline prompt (copy_field_baseline: same wording, no examples), so the value of
retrieval is measured, not assumed.

Per variant: fits the channel limits, is in the kit's language, contains no banned term, and its
brand-voice similarity (cosine of the copy to the centroid of the kit's own voice documents, the
same reference for both prompts). A variant that could not be produced counts as failing every
share. Candidate-level shares (every best-of-N sample before selection) show the raw model.

`run_suite(repo_root, quick=True)` runs one segment and channel per kit.
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
    "chayuan": {"text": "介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", "product": "春山绿冷泡茶包",
                "key_message": "三克茶配五百毫升凉水，冷藏一夜即可"},
}
ARMS = (("retrieval", "copy_field", True), ("baseline", "copy_field_baseline", False))
# Targets for the retrieval prompt (the product's path). Similarity has no absolute target: the
# table reports retrieval minus baseline.
TARGETS = {"fit_share": 0.9, "language_share": 0.9, "no_banned_share": 0.95}
SEED = 1234


def _combos(kits, quick: bool):
    for loaded in kits:
        segments = loaded.kit.segments[:1] if quick else loaded.kit.segments
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


def _share(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def _progress(row: dict) -> None:
    """One line per variant on stderr: the full run takes a while on CPU (stdout stays for the report)."""
    status = "error" if row["error"] else ("ok" if row["fits"] and row["language"] and row["no_banned"] else "miss")
    print(f"eval generation: {row['kit']}/{row['segment']}/{row['channel']} {row['prompt']}: {status} ({row['seconds']} s)",
          file=sys.stderr, flush=True)


def run_suite(repo_root: Path, quick: bool = False) -> dict:
    from studio.channels import get_channel
    from studio.config import get_settings
    from studio.domain import Brief
    from studio.generate import GenerationError, generate_copy, get_chat_model
    from studio.language import is_language
    from studio.generate.scoring import banned_list, find_banned, fits_channel, prose
    from studio.kits import list_kits
    from studio.voice import get_voice_store
    from studio.voice.embedding import embed

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
    arm_stats = {arm: {"fit": [], "lang": [], "clean": [], "sim": [], "cand_fit": [], "cand_lang": [], "seconds": [], "errors": 0}
                 for arm, _, _ in ARMS}
    started = time.perf_counter()
    for loaded, segment, channel_id in _combos(kits, quick):
        kit = loaded.kit
        channel = get_channel(channel_id)
        language = (segment.language or kit.language).split("-")[0]
        market = kit.markets[0].value
        brief = Brief(**BRIEFS[kit.id])
        passages = store.retrieve(kit.id, f"{brief.summary()}\n{segment.description}", channel=channel.id, language=language, k=4)
        terms = banned_list(kit)
        for arm, template_id, use_examples in ARMS:
            stats = arm_stats[arm]
            t0 = time.perf_counter()
            row = {"kit": kit.id, "segment": segment.id, "channel": channel.id, "prompt": arm}
            try:
                result = generate_copy(loaded, segment, channel, brief, market=market, passages=passages, settings=settings,
                                       chat=chat, template_id=template_id, use_examples=use_examples, seed=SEED)
            except GenerationError as exc:
                stats["errors"] += 1
                for key in ("fit", "lang", "clean"):
                    stats[key].append(False)
                rows.append({**row, "fits": False, "language": False, "no_banned": False, "voice_sim": None,
                             "cand_fit": None, "cand_lang": None, "seconds": round(time.perf_counter() - t0, 1),
                             "error": str(exc)[:120]})
                _progress(rows[-1])
                continue
            seconds = time.perf_counter() - t0
            copy = result.copy
            fits = fits_channel(copy, channel)[0]
            lang_ok = is_language(prose(copy), language)
            clean = not find_banned("\n".join(copy.values()), terms)
            vec = embed([prose(copy) or " "])[0]
            sim = float(np.dot(vec, centroids[kit.id]))
            cand_fit = _share([c["fits_limits"] for c in result.candidates])
            cand_lang = _share([c["language_ok"] for c in result.candidates])
            stats["fit"].append(fits)
            stats["lang"].append(lang_ok)
            stats["clean"].append(clean)
            stats["sim"].append(sim)
            stats["cand_fit"] += [c["fits_limits"] for c in result.candidates]
            stats["cand_lang"] += [c["language_ok"] for c in result.candidates]
            stats["seconds"].append(seconds)
            rows.append({**row, "fits": fits, "language": lang_ok, "no_banned": clean, "voice_sim": round(sim, 4),
                         "cand_fit": cand_fit, "cand_lang": cand_lang, "seconds": round(seconds, 1), "error": "",
                         "copy": copy})  # not a table column: for reading what the model wrote
            _progress(rows[-1])

    metrics: dict = {"variants_per_prompt": len(rows) // len(ARMS), "candidates": settings.candidates,
                     "backend": type(chat).__name__}
    for arm, stats in arm_stats.items():
        metrics[f"{arm}.fit_share"] = _share(stats["fit"])
        metrics[f"{arm}.language_share"] = _share(stats["lang"])
        metrics[f"{arm}.no_banned_share"] = _share(stats["clean"])
        metrics[f"{arm}.voice_similarity"] = _mean(stats["sim"])
        metrics[f"{arm}.candidate_fit_share"] = _share(stats["cand_fit"])
        metrics[f"{arm}.candidate_language_share"] = _share(stats["cand_lang"])
        metrics[f"{arm}.errors"] = stats["errors"]
        metrics[f"{arm}.median_seconds"] = round(statistics.median(stats["seconds"]), 2) if stats["seconds"] else None
    for kit_id in sorted({r["kit"] for r in rows}):
        sims = {arm: [r["voice_sim"] for r in rows if r["kit"] == kit_id and r["prompt"] == arm and r["voice_sim"] is not None]
                for arm, _, _ in ARMS}
        metrics[f"{kit_id}.voice_similarity.retrieval"] = _mean(sims["retrieval"])
        metrics[f"{kit_id}.voice_similarity.baseline"] = _mean(sims["baseline"])
    if metrics["retrieval.voice_similarity"] is not None and metrics["baseline.voice_similarity"] is not None:
        metrics["retrieval_minus_baseline_similarity"] = round(metrics["retrieval.voice_similarity"] - metrics["baseline.voice_similarity"], 4)
    metrics["seconds"] = round(time.perf_counter() - started, 1)

    targets_met = bool(rows) and all(
        metrics[f"retrieval.{name}"] is not None and metrics[f"retrieval.{name}"] >= target for name, target in TARGETS.items()
    )
    notes = [f"targets (retrieval prompt): " + ", ".join(f"{k} >= {v}" for k, v in TARGETS.items()),
             "voice_sim: cosine to the centroid of the kit's own voice documents (packaged MiniLM; English-first)"]
    return {"suite": "generation", "metrics": metrics, "rows": rows, "targets_met": targets_met,
            "columns": ["kit", "segment", "channel", "prompt", "fits", "language", "no_banned", "voice_sim",
                        "cand_fit", "cand_lang", "seconds", "error"],
            "notes": notes}
