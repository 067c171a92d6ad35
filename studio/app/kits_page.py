"""Brand kits: list, preview (palette, logo, segments, content modules), upload with validation, re-ingest the voice store."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from studio.app import render
from studio.app.common import current_user, friendly_errors, kit, kit_ids
from studio.channels import all_channels
from studio.config import get_settings
from studio.kits import KitError
from studio.kits.install import install_kit
from studio.modules.model import ROLES


@friendly_errors
def show_kit(kit_id: str | None):
    if not kit_id:
        return "", None, [], ""
    loaded = kit(kit_id)
    k = loaded.kit
    summary = (f"### {k.name} (`{k.id}`)\n{k.voice.description}\n\n"
               f"**Markets:** {', '.join(m.value for m in k.markets)} · **Languages:** {', '.join(k.languages)} · "
               f"**Voice documents:** {len(loaded.voice_files)} · **Default channels:** {', '.join(k.default_channels)}\n\n"
               f"**Tone:** {', '.join(k.voice.tone_words)} · **Avoid:** {', '.join(k.voice.avoid_tones)}")
    segments = [[s.id, s.name, s.lifecycle_stage, s.language, s.description] for s in k.segments]
    return summary, str(loaded.logo_path), segments, render.palette(k.visual.palette.model_dump())


@friendly_errors
def upload_kit(file_path: str | None, replace: bool, request: gr.Request):
    user = current_user(request)
    user.require("manage_kits")
    if not file_path:
        raise gr.Error("Choose a kit zip to upload.")
    try:
        loaded = install_kit(Path(file_path), get_settings().kits_dir, by=user.name, replace=replace)
    except KitError as exc:
        return f"**Invalid kit, nothing installed:** `{exc}`", gr.update()
    ids = kit_ids()
    return f"Installed kit `{loaded.kit.id}` with {len(loaded.kit.segments)} segments.", gr.update(choices=ids, value=loaded.kit.id)


@friendly_errors
def reingest(kit_id: str | None, request: gr.Request):
    current_user(request).require("manage_kits")
    from studio.voice import get_voice_store

    result = get_voice_store().ingest(kit(kit_id))
    return f"Voice store for `{kit_id}`: {result}"


MODULE_COLUMNS = ["id", "role", "text", "channels", "segments", "products", "stages", "objectives", "claim", "valid"]
ANY = "any"


@friendly_errors
def show_modules(kit_id: str | None, role: str, segment: str, channel: str, request: gr.Request):
    """The kit's content modules with their tags, filtered by role, segment and channel ("*" tags match any)."""
    current_user(request)
    if not kit_id:
        return gr.update(value=[]), "", gr.update()
    loaded = kit(kit_id)

    def tagged(values: list[str], wanted: str) -> bool:
        return wanted in (None, "", ANY) or "*" in values or wanted in values

    rows = [[m.id, m.role, m.text, ", ".join(m.channels), ", ".join(m.segments), ", ".join(m.products),
             ", ".join(m.stages), ", ".join(m.objectives), m.claim or "",
             f"{m.valid_from or ''}–{m.valid_until or ''}" if (m.valid_from or m.valid_until) else ""]
            for m in loaded.modules
            if (role in (None, "", ANY) or m.role == role) and tagged(m.segments, segment) and tagged(m.channels, channel)]
    count = f"{len(rows)} of {len(loaded.modules)} content modules"
    segments = [ANY, *[s.id for s in loaded.kit.segments]]
    return gr.update(value=rows), count, gr.update(choices=segments)


def build(demo: gr.Blocks) -> None:
    ids = kit_ids()
    with gr.Row():
        kit_dd = gr.Dropdown(ids, value=ids[0] if ids else None, label="Kit", elem_id="kits-kit")
        ingest_btn = gr.Button("Re-ingest voice store (admin)")
    with gr.Row():
        with gr.Column(scale=3):
            summary = gr.Markdown(elem_id="kits-summary")
            palette = gr.HTML()
        logo = gr.Image(label="Logo", type="filepath", interactive=False, height=160)
    segments = gr.Dataframe(headers=["id", "name", "lifecycle", "language", "description"], interactive=False, wrap=True)
    with gr.Accordion("Upload a kit (zip with kit.yaml, voice/, assets/) — admin", open=True):
        upload = gr.File(file_types=[".zip"], label="Kit zip", elem_id="kits-upload")
        replace = gr.Checkbox(label="Replace a kit with the same id")
        upload_btn = gr.Button("Validate and install", elem_id="kits-install")
    message = gr.Markdown(elem_id="kits-message")
    with gr.Accordion("Content modules (modules/*.yaml): the approved building blocks the composer assembles", open=True):
        with gr.Row():
            role_dd = gr.Dropdown([ANY, *ROLES], value=ANY, label="Role", elem_id="modules-role")
            segment_dd = gr.Dropdown([ANY], value=ANY, label="Segment", elem_id="modules-segment")
            channel_dd = gr.Dropdown([ANY, *[c.id for c in all_channels()]], value=ANY, label="Channel")
        modules_count = gr.Markdown(elem_id="modules-count")
        modules = gr.Dataframe(headers=MODULE_COLUMNS, interactive=False, wrap=True, elem_id="modules-table")

    module_inputs = [kit_dd, role_dd, segment_dd, channel_dd]
    module_outputs = [modules, modules_count, segment_dd]
    for control in module_inputs:
        control.change(show_modules, module_inputs, module_outputs, api_visibility="private")
    demo.load(show_modules, module_inputs, module_outputs, api_visibility="private")
    kit_dd.change(show_kit, kit_dd, [summary, logo, segments, palette], api_visibility="private")
    demo.load(show_kit, kit_dd, [summary, logo, segments, palette], api_visibility="private")
    upload_btn.click(upload_kit, [upload, replace], [message, kit_dd], api_visibility="private")
    ingest_btn.click(reingest, kit_dd, message, api_visibility="private")
