"""Review: the queue with filters, a detail view with history and audit trail, and the decisions."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import gradio as gr

from studio.accessibility.display import alt_text_html
from studio.app import render
from studio.app.common import current_user, friendly_errors, grounding_passages, kit_ids
from studio.channels import all_channels
from studio.config import get_settings
from studio.review import STATUSES, PermissionDenied, QueueError, ReviewQueue
from studio.review.export import export_variants
from studio.workflow import decide

COLUMNS = ["id", "status", "verdict", "kit", "channel", "segment", "market", "version", "assignee", "batch"]
ANY = "any"
DETAIL_OUTPUTS = 8  # card, image, provenance, diff, audit, compare-from, compare-to, version shown


def _filters(value: str | None) -> str | None:
    return None if not value or value == ANY else value


@friendly_errors
def load_queue(status, kit_id, channel, verdict, assignee, batch, request: gr.Request):
    user = current_user(request)
    assigned = user.name if assignee == "me" else _filters(assignee)
    rows = ReviewQueue().list(status=_filters(status), kit=_filters(kit_id), channel=_filters(channel),
                              verdict=_filters(verdict), assignee=assigned, batch_id=(batch or "").strip() or None)
    table = [[v["id"], v["status"], v["verdict"], v["kit"], v["channel"], v["segment"], v["market"], v["version"],
              v.get("assignee") or "", v.get("batch_id") or ""] for v in rows]
    ids = [v["id"] for v in rows]
    return gr.update(value=table), ids, f"{len(rows)} variants"


def _detail(variant_id: str | None):
    empty = ("<p>Select a variant in the queue.</p>", None, {}, "", [], gr.update(choices=[]), gr.update(choices=[]), None)
    if not variant_id:
        return empty
    variant = ReviewQueue().show(variant_id, history=True)
    history = variant["history"]
    audit = [[e["at"][:19], e["actor"], e["action"], e["version"], json.dumps(e["detail"], ensure_ascii=False)[:200]]
             for e in history["audit"]]
    versions = [str(v["number"]) for v in history["versions"]]
    diff = ""
    if len(versions) > 1:
        diff = render.version_diff(history["versions"][-2]["copy"], history["versions"][-1]["copy"])
    card = render.variant_card(variant, grounding_passages(variant)) + alt_text_html(variant)  # issue 19
    return (card, variant["image"], variant["provenance"], diff, audit,
            gr.update(choices=versions, value=versions[-2] if len(versions) > 1 else None),
            gr.update(choices=versions, value=versions[-1] if versions else None), variant["version"])


@friendly_errors
def select_row(ids: list[str], evt: gr.SelectData):
    row = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
    variant_id = ids[row] if 0 <= row < len(ids) else None
    return (variant_id, *_detail(variant_id))


@friendly_errors
def step(ids: list[str], current: str | None, delta: int):
    if not ids:
        return (None, *_detail(None))
    index = ids.index(current) + delta if current in ids else 0
    variant_id = ids[max(0, min(index, len(ids) - 1))]
    return (variant_id, *_detail(variant_id))


@friendly_errors
def diff_versions(variant_id: str | None, old: str | None, new: str | None) -> str:
    if not (variant_id and old and new):
        return ""
    versions = {str(v["number"]): v for v in ReviewQueue().show(variant_id, history=True)["history"]["versions"]}
    return render.version_diff(versions[old]["copy"], versions[new]["copy"])


def _decide(decision: str):
    def refused(message: str):
        """A refused decision leaves the page as it was (note kept) and says why, in the page and a toast."""
        gr.Warning(message)
        return (f"**Refused:** {message}", gr.update(), gr.update(), *[gr.update()] * DETAIL_OUTPUTS)

    @friendly_errors
    def handler(variant_id: str | None, shown_version: int | None, note: str, override_reason: str,
                request: gr.Request):
        user = current_user(request)
        if not variant_id:
            return refused("select a variant first.")
        if decision == "reject" and not (note or "").strip():
            return refused("a rejection needs a reason: write it in the note box.")
        if decision == "request_changes" and not (note or "").strip():
            return refused("requesting changes needs a note for the writer.")
        try:
            # The decision names the version on screen: if someone edited it since, that is a conflict.
            result = decide(variant_id, decision, by=user.name, note=note or None, version=shown_version,
                            override_reason=(override_reason or None) if decision == "approve" else None)
        except (PermissionDenied, QueueError) as exc:  # wrong role, already decided, block without override
            return refused(str(exc))
        message = f"{decision.replace('_', ' ')} recorded for {variant_id} by {user.name}; now {result['status']} (v{result['version']})."
        return (message, "", "", *_detail(variant_id))

    return handler


@friendly_errors
def save_alt_text(variant_id: str | None, text: str, request: gr.Request):
    """The review detail's "Save alt text" button: (message, *detail outputs). Gradio passes the request
    because the annotation resolves to gr.Request here (gradio is imported at module level)."""
    from studio.accessibility.edit import AltTextError, edit_alt_text

    user = current_user(request)
    if not variant_id:
        return ("**Refused:** select a variant first.", *[gr.update()] * len(_detail(None)))
    try:
        shown = edit_alt_text(variant_id, text, by=user.name)
    except (AltTextError, PermissionDenied, QueueError) as exc:
        gr.Warning(str(exc))
        return (f"**Refused:** {exc}", *[gr.update()] * len(_detail(None)))
    return (f"Alt text saved for {variant_id} as v{shown['version']} (back in review).", *_detail(variant_id))


def assign_to_me(variant_id: str | None, request: gr.Request):
    user = current_user(request)
    if not variant_id:
        raise gr.Error("Select a variant first.")
    ReviewQueue().assign(variant_id, to=user.name, by=user.name)
    return f"{variant_id} assigned to {user.name}."


@friendly_errors
def export_approved(request: gr.Request):
    user = current_user(request)
    user.require("export")
    settings = get_settings()
    out = settings.data_dir / "exports" / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    written = export_variants(ReviewQueue(), out, status="approved", by=user.name)
    if not written:
        return "Nothing approved to export.", None
    archive = shutil.make_archive(str(out), "zip", out)
    return f"Exported {len(written)} variants to {out}.", archive


def build(demo: gr.Blocks, tab: gr.Tab) -> None:
    ids_state = gr.State([])
    current = gr.State(None)
    shown_version = gr.State(None)
    with gr.Row():
        status_dd = gr.Dropdown([ANY, *STATUSES], value="in_review", label="Status", elem_id="review-status")
        kit_dd = gr.Dropdown([ANY, *kit_ids()], value=ANY, label="Kit")
        channel_dd = gr.Dropdown([ANY, *[c.id for c in all_channels()]], value=ANY, label="Channel")
        verdict_dd = gr.Dropdown([ANY, "pass", "warn", "block"], value=ANY, label="Verdict")
        assignee_dd = gr.Dropdown([ANY, "me"], value=ANY, label="Assignee")
        batch_tb = gr.Textbox(label="Batch id")
        refresh_btn = gr.Button("Refresh", elem_id="review-refresh")
    count_md = gr.Markdown()
    table = gr.Dataframe(headers=COLUMNS, interactive=False, elem_id="review-table", wrap=True)
    with gr.Row():
        prev_btn = gr.Button("◀ Previous (k)", elem_id="review-prev", size="sm")
        next_btn = gr.Button("Next (j) ▶", elem_id="review-next", size="sm")
    with gr.Row():
        with gr.Column(scale=3):
            card = gr.HTML(elem_id="review-detail")
            with gr.Row():
                old_dd = gr.Dropdown([], label="Compare version")
                new_dd = gr.Dropdown([], label="with version")
            diff_html = gr.HTML(elem_id="review-diff")
        with gr.Column(scale=2):
            image = gr.Image(label="Image (labelled)", type="filepath", interactive=False)
            note_tb = gr.Textbox(label="Note / reason", lines=2, elem_id="review-note")
            override_tb = gr.Textbox(label="Override reason (admin, to approve a block verdict)", elem_id="review-override")
            with gr.Row():
                approve_btn = gr.Button("Approve (a)", variant="primary", elem_id="review-approve")
                changes_btn = gr.Button("Request changes", elem_id="review-request-changes")
                reject_btn = gr.Button("Reject", variant="stop", elem_id="review-reject")
            assign_btn = gr.Button("Assign to me", size="sm")
            alt_tb = gr.Textbox(label="Alt text (at most 125 characters; saved into the image as a new version)",
                                max_lines=2, elem_id="review-alt-text-edit")
            alt_btn = gr.Button("Save alt text", size="sm", elem_id="review-alt-text-save")
            decision_md = gr.Markdown(elem_id="review-message")
            with gr.Row():
                export_btn = gr.Button("Export approved", elem_id="review-export")
                export_file = gr.File(label="Export (zip)", interactive=False, elem_id="review-export-file")
    with gr.Accordion("Provenance", open=False):
        provenance = gr.JSON()
    audit = gr.Dataframe(headers=["at", "actor", "action", "version", "detail"], label="Audit trail", interactive=False)

    filters = [status_dd, kit_dd, channel_dd, verdict_dd, assignee_dd, batch_tb]
    detail_outputs = [card, image, provenance, diff_html, audit, old_dd, new_dd, shown_version]
    refresh = dict(fn=load_queue, inputs=filters, outputs=[table, ids_state, count_md], api_visibility="private")
    # After every refresh the detail shows the current variant, or the first one when the current one left
    # the list (e.g. just approved): a reviewer goes through the queue without reaching for the mouse.
    show_current = dict(fn=lambda ids, cur: step(ids, cur, 0), inputs=[ids_state, current],
                        outputs=[current, *detail_outputs], api_visibility="private")
    refresh_btn.click(**refresh).then(**show_current)
    for control in filters[:-1]:
        control.change(**refresh).then(**show_current)
    batch_tb.submit(**refresh).then(**show_current)
    demo.load(**refresh).then(**show_current)
    tab.select(**refresh).then(**show_current)  # what others generated or decided since the page opened
    table.select(select_row, ids_state, [current, *detail_outputs], api_visibility="private")
    prev_btn.click(lambda ids, cur: step(ids, cur, -1), [ids_state, current], [current, *detail_outputs], api_visibility="private")
    next_btn.click(lambda ids, cur: step(ids, cur, +1), [ids_state, current], [current, *detail_outputs], api_visibility="private")
    old_dd.change(diff_versions, [current, old_dd, new_dd], diff_html, api_visibility="private")
    new_dd.change(diff_versions, [current, old_dd, new_dd], diff_html, api_visibility="private")
    for button, decision in ((approve_btn, "approve"), (reject_btn, "reject"), (changes_btn, "request_changes")):
        button.click(_decide(decision), [current, shown_version, note_tb, override_tb], [decision_md, note_tb, override_tb, *detail_outputs],
                     api_visibility="private", concurrency_limit=4).then(**refresh).then(**show_current)
    assign_btn.click(assign_to_me, current, decision_md, api_visibility="private").then(**refresh)
    alt_btn.click(save_alt_text, [current, alt_tb], [decision_md, *detail_outputs],
                  api_visibility="private").then(**refresh)
    export_btn.click(export_approved, None, [decision_md, export_file], api_visibility="private").then(**refresh)
