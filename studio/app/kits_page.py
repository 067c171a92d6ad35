"""Brand kits: list, preview (palette, logo, segments), upload with validation, re-ingest the voice store."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from studio.app import render
from studio.app.common import current_user, friendly_errors, kit, kit_ids
from studio.config import get_settings
from studio.kits import KitError
from studio.kits.install import install_kit


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

    kit_dd.change(show_kit, kit_dd, [summary, logo, segments, palette], api_visibility="private")
    demo.load(show_kit, kit_dd, [summary, logo, segments, palette], api_visibility="private")
    upload_btn.click(upload_kit, [upload, replace], [message, kit_dd], api_visibility="private")
    ingest_btn.click(reingest, kit_dd, message, api_visibility="private")
