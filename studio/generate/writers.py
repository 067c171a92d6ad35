"""Who writes a variant's copy (STUDIO_WRITER): the composer, the model, or `auto`.

- compose: assembled from the kit's approved content modules (studio/modules/compose.py), best of N.
- model:   the LLM backend writes every field (studio/generate/copy.py).
- auto:    the default. With the embedded model (135M parameters: its copy fails the quality gate far more
           often than not) the composer writes. With an OpenAI-compatible model, the model writes with the
           relevant modules in its prompt as approved material, and any field the quality gate blocks
           (garbled, off_brief, unsupported_claim) is replaced by the composed one.
Provenance records per field who wrote it: composed, model, or model over composed (a replaced field).
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime

from studio.domain import Brief, Channel, Market, Segment
from studio.generate.copy import CopyResult, generate_copy
from studio.generate.errors import UnusableOutputError
from studio.modules.compose import Composer

GATE = {"garbled", "off_brief", "unsupported_claim"}


def seed_for(key: str | None) -> int:
    """A stable seed from a variant id: the same variant composes the same way; a regenerated one differs."""
    return int(hashlib.sha256((key or "").encode()).hexdigest()[:8], 16)


def compose_copy(loaded_kit, segment: Segment, channel: Channel, brief: Brief, *, market, disclosures=None,
                 feedback=None, passages=None, seed: int = 0, offset: int = 0, n: int | None = None,
                 settings=None, today=None, previous: dict | None = None) -> CopyResult:
    """Best of N composed candidates, scored like the model's (fit, voice similarity, banned terms).

    `previous`: the copy of the version being revised. A revision that came out the same (a small library for
    this brief) takes the next-ranked modules, a few times, before it gives up and says so in provenance."""
    for attempt in range(REVISION_TRIES if previous else 1):
        try:
            result = _compose_best(loaded_kit, segment, channel, brief, market=market, disclosures=disclosures,
                                   feedback=feedback, passages=passages, seed=seed, offset=offset + attempt, n=n,
                                   settings=settings, today=today)
        except UnusableOutputError:
            if not feedback:
                raise
            # Leaving out every flagged line left a required field empty: keep the lines, the findings go to
            # the reviewer with the variant (a revision that fails would lose the variant altogether).
            result = _compose_best(loaded_kit, segment, channel, brief, market=market, disclosures=disclosures,
                                   feedback=None, passages=passages, seed=seed, offset=offset + attempt, n=n,
                                   settings=settings, today=today)
            result.provenance["feedback_not_applied"] = list(feedback)
        if not previous or not _same_copy(result.copy, previous):
            return result
    result.provenance["unchanged_from_previous"] = True  # the library has nothing else for this brief
    return result


REVISION_TRIES = 4


def _same_copy(copy: dict, previous: dict) -> bool:
    """Is the copy what the previous version said (the previous one carries the disclosures appended)?"""
    return set(copy) == {k for k, v in previous.items() if v} and all(
        previous.get(k, "").startswith(v.rstrip()) for k, v in copy.items())


def _compose_best(loaded_kit, segment: Segment, channel: Channel, brief: Brief, *, market, disclosures, feedback,
                  passages, seed: int, offset: int, n: int | None, settings, today) -> CopyResult:
    from studio.config import get_settings
    from studio.generate.scoring import score_candidates

    settings = settings or get_settings()
    if not loaded_kit.modules:
        raise UnusableOutputError(f"kit '{loaded_kit.kit.id}' has no content modules to compose from "
                                  "(add modules/*.yaml, or set STUDIO_WRITER=model)")
    t0 = time.perf_counter()
    started = datetime.now(UTC)
    composer = Composer(loaded_kit.modules, loaded_kit.kit, segment, channel, brief, market=market,
                        disclosures=disclosures, feedback=feedback, today=today)
    n = n or settings.candidates
    drafts = [composer.compose(seed=seed + i, offset=offset) for i in range(n)]
    copies = [copy for copy, _ in drafts]
    scores = score_candidates(copies, kit=loaded_kit.kit, channel=channel, language=composer.language,
                              voice_texts=[p.text for p in passages or []], embedding_model=settings.embedding_model)
    candidates = [{"index": i, "copy": c, **s} for i, (c, s) in enumerate(zip(copies, scores))]
    eligible = [c for c in candidates if not c["rejected"]]
    if not eligible:
        reasons = "; ".join(sorted({c["rejected"] for c in candidates}))
        raise UnusableOutputError(f"the content modules of '{loaded_kit.kit.id}' cannot fill {channel.id} for this "
                                  f"brief ({reasons})")
    best = max(eligible, key=lambda c: c["total"])
    for c in candidates:
        c["selected"] = c is best
    fields = drafts[best["index"]][1]
    module_ids = [m for info in fields.values() for m in info["modules"]]
    language = composer.language
    provenance = {
        "writer": "compose",
        "backend": "composer",
        # no language model wrote this copy: the system that assembled it from the kit's approved modules
        "model": f"studio-composer ({len(loaded_kit.modules)} modules of {loaded_kit.kit.id})",
        "fields": fields,
        "modules": module_ids,
        "claims": composer.claims_used(module_ids),
        "slots": {k: v for k, v in composer.slot_values.items() if v and k != "brand"},
        "generic_fields": sorted(name for name, info in fields.items() if info["generic"]),
        "params": {"candidates": n, "seed": seed, "offset": offset, "library": len(loaded_kit.modules),
                   "suitable": len(composer.pool)},
        "retrieved_passages": [p.id for p in passages or []],
        "language": language,
        "market": Market(market).value if market else None,
        "feedback": list(feedback or []),
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "duration_s": round(time.perf_counter() - t0, 3),
    }
    return CopyResult(copy=best["copy"], candidates=candidates, provenance=provenance)


def _embedded(settings) -> bool:
    return settings.llm_backend == "embedded"


def uses_model(loaded_kit, settings) -> bool:
    """Will the writer call the language model for this kit? (Not with auto on the embedded model and a kit
    that has content modules: that is composed.)"""
    if settings.writer == "compose":
        return False
    return not (settings.writer == "auto" and _embedded(settings) and loaded_kit.modules)


def write_copy(loaded_kit, segment: Segment, channel: Channel, brief: Brief, *, market, passages=None,
               feedback=None, disclosures=None, seed: int = 0, offset: int = 0, settings=None,
               previous: dict | None = None) -> CopyResult:
    """The variant's copy from the writer STUDIO_WRITER chooses (`previous`: the version being revised)."""
    from studio.config import get_settings

    settings = settings or get_settings()
    if channel.id == "agent_facts":  # facts for AI assistants: only substantiated claims and the brief
        from studio.agent_facts import write_agent_facts

        return write_agent_facts(loaded_kit, segment, channel, brief, market=market)
    writer = settings.writer
    compose = dict(market=market, disclosures=disclosures, feedback=feedback, passages=passages, seed=seed,
                   offset=offset, settings=settings)
    if not uses_model(loaded_kit, settings):
        return compose_copy(loaded_kit, segment, channel, brief, previous=previous, **compose)
    approved = _approved_lines(loaded_kit, segment, channel, brief, market) if loaded_kit.modules else []
    result = generate_copy(loaded_kit, segment, channel, brief, market=market, passages=passages, feedback=feedback,
                           approved=approved)
    result.provenance["writer"] = "model"
    result.provenance.setdefault("fields", {})
    for name in result.copy:
        result.provenance["fields"].setdefault(name, {}).update({"writer": "model"})
    if writer == "auto" and loaded_kit.modules:
        return _replace_blocked_fields(result, loaded_kit, segment, channel, brief, compose)
    return result


def _approved_lines(loaded_kit, segment, channel, brief, market, limit: int = 8) -> list[str]:
    """The most relevant modules, filled, as approved material for the model's prompt."""
    composer = Composer(loaded_kit.modules, loaded_kit.kit, segment, channel, brief, market=market)
    ranked = sorted(composer.pool, key=lambda m: -composer.relevance[m.id])
    return [composer.fill(m) for m in ranked if m.role not in ("hashtags", "sign_off")][:limit]


def _replace_blocked_fields(result: CopyResult, loaded_kit, segment, channel, brief, compose: dict) -> CopyResult:
    """auto with a capable model: a field the quality gate blocks is replaced by the composed one."""
    from studio.checks import get_checker

    report = get_checker(loaded_kit).check_copy(result.copy, channel=channel, market=compose["market"], brief=brief)
    blocked = {f.field for f in report.findings if f.category in GATE and f.severity == "block" and f.field}
    if not blocked:
        return result
    composed = compose_copy(loaded_kit, segment, channel, brief, **compose)
    copy = dict(result.copy)
    for name in blocked:
        if composed.copy.get(name):
            copy[name] = composed.copy[name]
            result.provenance["fields"][name] = {**composed.provenance["fields"].get(name, {}),
                                                 "writer": "composed over model"}
    result.provenance["writer"] = "model+compose"
    result.provenance["modules"] = [m for name in blocked for m in composed.provenance["fields"].get(name, {}).get("modules", [])]
    return CopyResult(copy=copy, candidates=result.candidates, provenance=result.provenance)
