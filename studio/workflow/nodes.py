"""The graph's nodes: each does one stage of the flow and returns the state keys it changed.

Nodes look services up (kits, voice store, model, checker) instead of carrying them in the state,
so the checkpointed state stays small and JSON-friendly.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

from langgraph.types import interrupt

from studio.channels import get_channel
from studio.config import get_settings
from studio.domain import Brief
from studio.kits import cached_kit
from studio.kits.loader import LoadedKit
from studio.channels.placement import apply_disclosures
from studio.workflow.state import VariantState

# Findings the writer can fix by rewording; the rest (e.g. voice fit) go to the reviewer as they are.
FIXABLE = {"absolute_claim", "guarantee_claim", "health_claim", "financial_promise", "false_urgency",
           "fake_social_proof", "green_claim", "banned_term", "channel_limit", "pii", "profanity",
           "gendered_language", "age_bias", "stereotype",
           # the quality gate: nonsense, copy that drifts off the brief, facts nobody substantiated
           "garbled", "off_brief", "unsupported_claim"}


def kit_for(state: VariantState) -> LoadedKit:
    return cached_kit(state["kit_id"], get_settings().kits_dir)


_ingested: set[tuple[int, str]] = set()  # (voice store, kit id); stores live as long as the process
_ingest_lock = threading.Lock()


def ensure_ingested(loaded: LoadedKit, *, again: bool = False) -> None:
    """Index the kit's voice once per process and store (ingest is idempotent; this just skips the hashing, and
    the concurrent first rows of a batch's worker threads wait for one ingest instead of each doing their own).
    again=True ingests even when done before (a batch's warm-up: the kit's files may have changed)."""
    from studio.voice import get_voice_store

    store = get_voice_store()
    key = (id(store), loaded.kit.id)
    with _ingest_lock:
        if again or key not in _ingested:
            store.ingest(loaded)
            _ingested.add(key)


def _retrieval_query(brief: Brief, segment) -> str:
    return f"{brief.summary()}\n{segment.description}"


def retrieve(state: VariantState) -> dict:
    from studio.voice import get_voice_store

    if state["channel_id"] == "agent_facts":  # a fact sheet is written from claims, not in the brand's voice
        return {"passages": [], "stage": "retrieved"}
    loaded = kit_for(state)
    ensure_ingested(loaded)
    brief = Brief.model_validate(state["brief"])
    segment = loaded.kit.segment(state["segment_id"])
    passages = get_voice_store().retrieve(
        loaded.kit.id, _retrieval_query(brief, segment), channel=state["channel_id"], language=segment.language, k=4
    )
    return {"passages": [asdict(p) for p in passages], "stage": "retrieved"}


def embed_retrieval_query(kit_id: str, segment_id: str, channels: list[str], brief: dict) -> None:
    """Embed the retrieval query the variants of a request (kit, segment, brief) will ask, into the process's
    embedding cache, so that their retrieve() finds it there. A batch worker calls it for its next row while the
    current row waits on the model (the query's MiniLM pass is the largest piece of a row's own CPU)."""
    from studio.voice import get_voice_store
    from studio.voice.embedding import embed

    if all(channel == "agent_facts" for channel in channels):
        return  # no retrieval
    loaded = cached_kit(kit_id, get_settings().kits_dir)
    query = _retrieval_query(Brief.model_validate(brief), loaded.kit.segment(segment_id))
    embed([query], get_voice_store().embedding_model)


def write(state: VariantState) -> dict:
    from studio.generate.writers import seed_for, write_copy
    from studio.labels import copy_disclosures
    from studio.voice.store import Passage

    loaded = kit_for(state)
    channel = get_channel(state["channel_id"])
    disclosures = copy_disclosures(loaded.kit, state["market"], channel)
    result = write_copy(
        loaded,
        loaded.kit.segment(state["segment_id"]),
        channel,
        Brief.model_validate(state["brief"]),
        market=state["market"],
        passages=[Passage(**p) for p in state.get("passages", [])],
        feedback=state.get("feedback") or None,
        disclosures=disclosures,
        seed=seed_for(state.get("variant_id")),
        offset=_position(state),
        # a revision (a reviewer's request or the revise loop) must not come back unchanged
        previous=state.get("copy") if state.get("version", 1) > 1 or state.get("revise_round", 0) else None,
    )
    copy = apply_disclosures(result.copy, channel, disclosures)
    update = {"copy": copy, "candidates": result.candidates, "provenance": result.provenance, "stage": "written"}
    if channel.id == "agent_facts":  # checked as a brief about the product the sheet names (from the brief's text)
        update["brief"] = {**state["brief"], "product": result.provenance["agent_facts"]["product"]}
    return update


def _position(state: VariantState) -> int:
    """The variant's place among its request's variants of the same channel, plus its revisions: the composer
    takes the next-ranked modules for each, so one request's variants and a revised version say something new."""
    from studio.review import ReviewQueue

    slot = state.get("slot", 0)
    if "slot" not in state and state.get("request_id"):
        try:
            slots = ReviewQueue().request_variants(state["request_id"])
            slot = next((s["slot"] for s in slots if s["id"] == state.get("variant_id")), 0)
        except Exception:  # noqa: BLE001 - a state outside the queue (tests, evals) composes as slot 0
            slot = 0
    return slot + (state.get("version", 1) - 1) + state.get("revise_round", 0)


def check(state: VariantState) -> dict:
    from studio.checks import get_checker

    report = get_checker(kit_for(state)).check_copy(state["copy"], channel=get_channel(state["channel_id"]), market=state["market"],
                                                    brief=state.get("brief"))
    return {"report": report.to_json(), "stage": "checked"}


def fixable_findings(state: VariantState) -> list[dict]:
    return [f for f in state["report"]["findings"] if f["severity"] == "block" and f["category"] in FIXABLE]


def after_check(state: VariantState) -> str:
    """Revise while blocking findings are fixable and rounds remain; otherwise go on (never drop)."""
    if fixable_findings(state) and state.get("revise_round", 0) < get_settings().revise_rounds:
        return "revise"
    return "image"


def revise(state: VariantState) -> dict:
    instructions = []
    for f in fixable_findings(state):
        where = f" in the {f['field']}" if f.get("field") else ""
        fix = f" {f['suggestion']}" if f.get("suggestion") else ""
        if f["category"] == "off_brief":  # the whole field is the span: say what is missing instead
            instructions.append(f"Rewrite{where}: {f['message']}{fix}")
        else:
            instructions.append(f"Remove or reword \"{f['text']}\"{where}: {f['message']}{fix}")
    keep = [n for n in (state.get("feedback") or []) if n.startswith("Reviewer:")]
    return {"feedback": keep + instructions, "revise_round": state.get("revise_round", 0) + 1, "stage": "revising"}


def image(state: VariantState) -> dict:
    """Render the channel's creative. The image stage writes it already labelled (visible label,
    watermark, XMP/AIGC, C2PA), because the pixels must be final before the manifest is signed."""
    channel = get_channel(state["channel_id"])
    if channel.image is None:
        return {"image": None, "stage": "imaged"}
    from studio.images import render_creative

    settings = get_settings()
    loaded = kit_for(state)
    out = settings.images_dir / f"{state['variant_id']}-v{state['version']}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    brief = Brief.model_validate(state["brief"])
    result = render_creative(loaded, channel, state["copy"], market=state["market"], brief_text=brief.summary(),
                             segment=loaded.kit.segment(state["segment_id"]), variant_id=state["variant_id"],
                             out_path=out, settings=settings)
    from studio.accessibility.image_findings import with_image_findings  # alt text and contrast (issue 19)

    report = with_image_findings(state["report"], loaded, result, market=state["market"], copy=state["copy"])
    return {"image": result.model_dump(mode="json"), "report": report, "stage": "imaged"}


def label(state: VariantState) -> dict:
    """Record every label the variant carries: the copy's disclosures and the image's marks."""
    from studio.labels import copy_disclosures

    loaded = kit_for(state)
    channel = get_channel(state["channel_id"])
    labels: dict = {"ai_generated": True, "copy_disclosures": copy_disclosures(loaded.kit, state["market"], channel)}
    if state.get("image"):
        labels["image"] = state["image"]["labels"]
        labels["image_path"] = state["image"]["path"]
    return {"labels": labels, "stage": "labelled"}


def queue(state: VariantState) -> dict:
    from studio.review import ReviewQueue

    provenance = dict(state.get("provenance") or {})
    provenance["retrieved_passages"] = [p["id"] for p in state.get("passages", [])]
    provenance["candidates"] = state.get("candidates", [])
    provenance["revise_rounds"] = state.get("revise_round", 0)
    if state.get("image"):
        provenance["image"] = {k: v for k, v in state["image"].items() if k not in ("path", "labels")}
    ReviewQueue().add_version(
        state["variant_id"], number=state["version"], copy=state["copy"],
        image_path=state["labels"].get("image_path"), provenance=provenance, check_report=state["report"],
        labels=state["labels"], source=state.get("source", "generated"), by=state["created_by"], note=state.get("note"),
    )
    return {"stage": "queued"}


def await_review(state: VariantState) -> dict:
    """Pause the thread until a reviewer decides. "request changes" comes back here with a note."""
    decision = interrupt({"variant_id": state["variant_id"], "version": state["version"]})
    if decision.get("decision") == "request_changes":
        note = decision.get("note") or ""
        # The queue may hold newer versions than this thread made (a person's edit): continue after those.
        current = max(state["version"], decision.get("current_version") or 0)
        return {"decision": decision, "version": current + 1, "source": "revised", "note": note,
                "feedback": [f"Reviewer: {note}"], "revise_round": 0, "stage": "changes_requested"}
    return {"decision": decision, "stage": decision.get("decision", "decided")}


def after_review(state: VariantState) -> str:
    return "retrieve" if (state.get("decision") or {}).get("decision") == "request_changes" else "__end__"
