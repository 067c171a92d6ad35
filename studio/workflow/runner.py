"""The generation and review services the CLI, the Gradio app and batch all call."""

from __future__ import annotations

from collections.abc import Callable

from langgraph.types import Command
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.orm import Session

from studio.channels import get_channel
from studio.config import get_settings
from studio.domain import Brief, Market
from studio.kits import KitError, cached_kit
from studio.review import ReviewQueue
from studio.review.queue import UnqueuedSlotsError
from studio.workflow.graph import get_graph

# progress(variant_id, stage) — stage is a node name: retrieve, write, check, revise, image, label, queue
Progress = Callable[[str, str], None]


class InputError(ValueError):
    """Bad input to a service: unknown kit, segment, channel or market."""


class GenerateRequest(BaseModel):
    kit: str
    segment: str
    channels: list[str] = Field(min_length=1)
    brief: Brief
    variants: int = Field(default=1, ge=1, le=20)
    market: str | None = None
    batch_id: str | None = None
    row_id: str | None = None

    @field_validator("channels")
    @classmethod
    def _channels_once(cls, channels: list[str]) -> list[str]:
        # Each channel gets its own variant slots; a channel named twice would collide in the queue
        # (IntegrityError). Refused, like a batch row that lists a channel twice.
        dupes = sorted({c for c in channels if channels.count(c) > 1})
        if dupes:
            raise ValueError(f"channel(s) {', '.join(repr(c) for c in dupes)} listed twice")
        return channels


def resolve(request: GenerateRequest) -> str:
    """Validate the request against the kits and the channel registry; return the market to use."""
    try:
        loaded = cached_kit(request.kit, get_settings().kits_dir)
    except KitError as exc:
        raise InputError(str(exc)) from None
    try:
        loaded.kit.segment(request.segment)
    except KeyError as exc:
        raise InputError(str(exc.args[0])) from None
    for channel_id in request.channels:
        try:
            get_channel(channel_id)
        except KeyError as exc:
            raise InputError(str(exc.args[0])) from None
    if "agent_facts" in request.channels:  # a fact sheet is about one product: refused before anything is queued
        from studio.agent_facts.facts import product_of

        if not product_of(loaded, request.brief):
            raise InputError("channel agent_facts needs a product: give the brief a product (--product) or name "
                             "one of the kit's products in its text")
    markets = [m.value for m in loaded.kit.markets]
    market = (request.market or markets[0]).upper()
    if market not in {m.value for m in Market}:
        raise InputError(f"unknown market '{request.market}' (use {', '.join(m.value for m in Market)})")
    if market not in markets:
        raise InputError(f"kit '{request.kit}' does not sell in market {market} (its markets: {', '.join(markets)})")
    return market


def _thread(variant_id: str) -> dict:
    return {"configurable": {"thread_id": variant_id}}


def _run(graph, variant_id: str, graph_input, progress: Progress | None) -> None:
    for update in graph.stream(graph_input, _thread(variant_id), stream_mode="updates"):
        for node in update:
            if progress and not node.startswith("__"):
                progress(variant_id, node)


def _run_slots(graph, slots: list[dict], initial: dict, progress: Progress | None) -> None:
    """Run each slot's thread to the review queue: resume one cut off half way, start one never started, and start
    again one whose thread reached review while the queue holds no version of it (slot version 0)."""
    for slot in slots:
        snapshot = graph.get_state(_thread(slot["id"]))
        reached_review = snapshot.values and (not snapshot.next or "await_review" in snapshot.next)
        if reached_review and slot["version"] > 0:
            continue  # queued already (or finished) in an earlier run
        start = {**initial, "variant_id": slot["id"], "channel_id": slot["channel"], "slot": slot["slot"]}
        _run(graph, slot["id"], start if reached_review or not snapshot.values else None, progress)


def generate(request: GenerateRequest, *, by: str, progress: Progress | None = None, views: bool = True,
             finished: Callable[[Session, list[str]], None] | None = None) -> list[dict]:
    """Run the flow for every variant of the request and queue them. A rerun after a crash resumes.
    Returns each variant as the queue shows it, or only {"id": ...} with views=False (a batch row needs no
    more; reading the views back was three queries per variant). finished(session, variant ids) writes in the
    transaction that marks the request done (a batch marks its row done there: one transaction, not two)."""
    market = resolve(request)
    settings = get_settings()
    queue = ReviewQueue(settings)
    queue.user(by).require("generate")
    request_id, slots = queue.open_request_slots(
        kit=request.kit, segment=request.segment, channels=request.channels, market=market,
        brief=request.brief.model_dump(), variants_per_channel=request.variants, created_by=by,
        batch_id=request.batch_id, row_id=request.row_id,
    )
    graph = get_graph(settings.data_dir)
    initial = {"request_id": request_id, "kit_id": request.kit, "segment_id": request.segment, "market": market,
               "brief": request.brief.model_dump(), "created_by": by, "version": 1, "source": "generated",
               "feedback": [], "revise_round": 0}
    ids = [slot["id"] for slot in slots]
    also = None if finished is None else lambda session: finished(session, ids)
    try:
        _run_slots(graph, slots, initial, progress)
        try:
            queue.finish_request(request_id, also=also)
        except UnqueuedSlotsError:
            # A slot was found queued by its thread but holds no version in the queue (a run that died between the
            # two, or a dying worker of an earlier run): read the slots again and run the ones still empty, once.
            _run_slots(graph, queue.request_variants(request_id), initial, progress)
            queue.finish_request(request_id, also=also)
    except Exception as exc:
        queue.finish_request(request_id, error=str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        raise
    return [queue.show(variant_id) if views else {"id": variant_id} for variant_id in ids]


def decide(variant_id: str, decision: str, *, by: str, note: str | None = None, override_reason: str | None = None,
           version: int | None = None, progress: Progress | None = None) -> dict:
    """Record a reviewer's decision on `version` (the one they read; a newer one makes it a conflict);
    "request changes" regenerates the variant as version N+1."""
    from studio.limits import check_text

    check_text(note, "note" if decision != "reject" else "reason", "note_chars")  # LimitError: a ValueError
    check_text(override_reason, "override reason", "note_chars")
    settings = get_settings()
    queue = ReviewQueue(settings)
    decided = queue.decide(variant_id, decision, by=by, note=note, override_reason=override_reason, version=version)
    graph = get_graph(settings.data_dir)
    snapshot = graph.get_state(_thread(variant_id))
    if snapshot.next and "await_review" in snapshot.next:
        payload = {"decision": decision, "note": note, "by": by, "current_version": decided["version"]}
        _run(graph, variant_id, Command(resume=payload), progress)
    if decision == "approve" and decided["channel"] != "agent_facts":  # facts are not a voice example
        _remember_approved(decided)
    return queue.show(variant_id)


def _remember_approved(variant: dict) -> None:
    """Approved copy becomes a voice example for later generations of the same kit."""
    from studio.voice import add_approved_example

    loaded = cached_kit(variant["kit"], get_settings().kits_dir)
    text = "\n".join(v for v in variant["copy"].values() if v)
    add_approved_example(variant["kit"], variant["id"], variant["channel"], text, loaded.kit.language)


def regenerate(variant_id: str, *, by: str) -> dict:
    """A fresh variant for the same brief, segment and channel as an existing one."""
    queue = ReviewQueue()
    original = queue.show(variant_id)
    brief = Brief.model_validate(queue.request_brief(original["request_id"]))
    job = GenerateRequest(kit=original["kit"], segment=original["segment"], channels=[original["channel"]],
                          market=original["market"], brief=brief, variants=1)
    return generate(job, by=by)[0]


def edit(variant_id: str, copy: dict[str, str], *, by: str) -> dict:
    """A person's edit: re-checked, stored as a new version marked human_edit, back in review."""
    from studio.checks import get_checker

    from studio.limits import check_text

    for name, text in copy.items():
        check_text(text, name, "check_text_chars")
    queue = ReviewQueue()
    current = queue.show(variant_id)
    channel = get_channel(current["channel"])
    unknown = set(copy) - set(channel.field_names)
    if unknown:
        raise InputError(f"channel '{channel.id}' has no field {', '.join(sorted(unknown))}")
    loaded = cached_kit(current["kit"], get_settings().kits_dir)
    brief = queue.request_brief(current["request_id"]) if current.get("request_id") else None
    report = get_checker(loaded).check_copy(copy, channel=channel, market=current["market"], brief=brief or None)
    queue.edit_copy(variant_id, copy=copy, check_report=report.to_json(), by=by)
    return queue.show(variant_id)
