"""Create: pick kit, segment, channels and market, write a brief, generate, then refine cards."""

from __future__ import annotations

import json
import queue as thread_queue
import threading

import gradio as gr

from studio.app import render
from studio.app.common import current_user, friendly_errors, grounding_passages, kit, kit_ids
from studio.domain import Brief
from studio.review import ReviewQueue
from studio.workflow import GenerateRequest, edit, generate, regenerate

STAGE_LABELS = {"retrieve": "retrieving voice", "write": "writing", "check": "checking", "revise": "revising",
                "image": "image", "label": "labelling", "queue": "queued for review"}


def kit_choices(kit_id: str | None):
    """Segments, channels and markets of the chosen kit."""
    if not kit_id:
        return gr.update(choices=[]), "", gr.update(choices=[]), gr.update(choices=[])
    loaded = kit(kit_id)
    segments = [(f"{s.name} ({s.id})", s.id) for s in loaded.kit.segments]
    markets = [m.value for m in loaded.kit.markets]
    return (gr.update(choices=segments, value=segments[0][1]),
            segment_description(kit_id, segments[0][1]),
            # agent_facts (a fact sheet for AI assistants) is offered for every kit, ticked by hand
            gr.update(choices=[*loaded.kit.default_channels, "agent_facts"], value=loaded.kit.default_channels[:1]),
            gr.update(choices=markets, value=markets[0]))


def segment_description(kit_id: str | None, segment_id: str | None) -> str:
    if not (kit_id and segment_id):
        return ""
    segment = kit(kit_id).kit.segment(segment_id)
    interests = ", ".join(segment.interests)
    return (f"**{segment.name}** · {segment.lifecycle_stage} · price sensitivity {segment.price_sensitivity}\n\n"
            f"{segment.description}\n\n*Interests:* {interests}")


def _cards(variants: list[dict]) -> str:
    return "".join(render.variant_card(v, grounding_passages(v)) for v in variants) or "<p>No variants yet.</p>"


@friendly_errors
def run_generate(kit_id, segment_id, channels, brief_text, objective, product, key_message, offer, variants, market,
                 request: gr.Request):
    """Generate in a worker thread and stream per-variant stages into the page."""
    user = current_user(request)
    user.require("generate")
    if not channels:
        raise gr.Error("Tick at least one channel.")
    job = GenerateRequest(kit=kit_id, segment=segment_id, channels=list(channels), market=market, variants=int(variants),
                          brief=Brief(text=brief_text or "", objective=objective or "", product=product or "",
                                      key_message=key_message or "", offer=offer or ""))
    events: thread_queue.Queue = thread_queue.Queue()
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["variants"] = generate(job, by=user.name, progress=lambda vid, stage: events.put((vid, stage)))
        except Exception as exc:  # shown in the page by friendly_errors
            outcome["error"] = exc
        events.put(None)

    threading.Thread(target=work, daemon=True).start()
    stages: dict[str, str] = {}
    yield "Starting…", "", gr.update()  # clear the previous run's cards
    while (event := events.get()) is not None:
        variant_id, stage = event
        stages[variant_id] = STAGE_LABELS.get(stage, stage)
        progress = "\n".join(f"- `{vid}`: {label}" for vid, label in stages.items())
        yield progress, gr.update(), gr.update()
    if "error" in outcome:
        raise outcome["error"]
    results = outcome["variants"]
    ids = [v["id"] for v in results]
    summary = f"Generated {len(results)} variants; they are in the review queue."
    yield summary, _cards(results), gr.update(choices=ids, value=ids[0] if ids else None)


@friendly_errors
def load_for_edit(variant_id: str | None) -> str:
    if not variant_id:
        return ""
    return json.dumps(ReviewQueue().show(variant_id)["copy"], ensure_ascii=False, indent=2)


@friendly_errors
def save_edit(variant_id: str | None, copy_json: str, request: gr.Request):
    user = current_user(request)
    if not variant_id:
        raise gr.Error("Pick a variant to edit.")
    try:
        copy = json.loads(copy_json)
    except json.JSONDecodeError as exc:
        raise gr.Error(f"The copy is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    if not isinstance(copy, dict) or not all(isinstance(v, str) for v in copy.values()):
        raise gr.Error('The copy must be an object of field names to text, e.g. {"post": "..."}')
    edited = edit(variant_id, copy, by=user.name)
    return f"Saved as version {edited['version']}, re-checked and back in review.", _cards([edited])


@friendly_errors
def run_regenerate(variant_id: str | None, request: gr.Request):
    """A fresh variant for the same brief and channel (the original stays in the queue)."""
    if not variant_id:
        raise gr.Error("Pick a variant to regenerate.")
    fresh = regenerate(variant_id, by=current_user(request).name)
    return f"Regenerated as {fresh['id']}.", _cards([fresh]), gr.update(choices=[fresh["id"]], value=fresh["id"])


def build(demo: gr.Blocks) -> None:
    kits = kit_ids()
    with gr.Row():
        with gr.Column(scale=1):
            kit_dd = gr.Dropdown(kits, value=kits[0] if kits else None, label="Brand kit", elem_id="create-kit")
            segment_dd = gr.Dropdown([], label="Segment", elem_id="create-segment")
            segment_md = gr.Markdown(elem_id="create-segment-description")
            channels_cb = gr.CheckboxGroup([], label="Channels", elem_id="create-channels")
            market_dd = gr.Dropdown([], label="Market", elem_id="create-market")
            variants_sl = gr.Slider(1, 5, value=1, step=1, label="Variants per channel")
        with gr.Column(scale=2):
            brief_tb = gr.Textbox(label="Brief", lines=3, placeholder="What should this campaign say, to whom, and why now?", elem_id="create-brief")
            with gr.Row():
                objective_tb = gr.Textbox(label="Objective", placeholder="e.g. drive pre-orders")
                product_tb = gr.Textbox(label="Product")
            with gr.Row():
                key_message_tb = gr.Textbox(label="Key message")
                offer_tb = gr.Textbox(label="Offer")
            generate_btn = gr.Button("Generate", variant="primary", elem_id="create-generate")
            progress_md = gr.Markdown(elem_id="create-progress")
    results_html = gr.HTML(elem_id="create-results")
    with gr.Accordion("Refine a variant", open=False):
        with gr.Row():
            chosen_dd = gr.Dropdown([], label="Variant", elem_id="create-chosen")
            regenerate_btn = gr.Button("Regenerate")
            load_btn = gr.Button("Edit copy")
        copy_tb = gr.Textbox(label="Copy (JSON: field → text)", lines=8, elem_id="create-edit-copy")
        save_btn = gr.Button("Save edit (re-check)", elem_id="create-save-edit")
        edit_status = gr.Markdown()

    kit_dd.change(kit_choices, kit_dd, [segment_dd, segment_md, channels_cb, market_dd], api_visibility="private")
    segment_dd.change(segment_description, [kit_dd, segment_dd], segment_md, api_visibility="private")
    demo.load(kit_choices, kit_dd, [segment_dd, segment_md, channels_cb, market_dd], api_visibility="private")
    generate_btn.click(
        run_generate,
        [kit_dd, segment_dd, channels_cb, brief_tb, objective_tb, product_tb, key_message_tb, offer_tb, variants_sl, market_dd],
        [progress_md, results_html, chosen_dd], api_visibility="private", concurrency_limit=4,
    )
    load_btn.click(load_for_edit, chosen_dd, copy_tb, api_visibility="private")
    save_btn.click(save_edit, [chosen_dd, copy_tb], [edit_status, results_html], api_visibility="private")
    regenerate_btn.click(run_regenerate, chosen_dd, [progress_md, results_html, chosen_dd], api_visibility="private")
