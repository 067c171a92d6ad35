"""`studio serve`: ingest the kits' voice documents, then serve the app behind the queue's login."""

from __future__ import annotations

import gradio as gr

from studio.app.render import CSS, KEYBOARD_JS
from studio.app.ui import build_app
from studio.config import get_settings
from studio.kits import list_kits
from studio.review import authenticate


DEMO_ACCOUNTS = "Demo accounts: alice (creator), rita (reviewer), adam (admin); password studio-demo."


def prepare() -> None:
    """Load the sample kits into the voice store (idempotent: unchanged documents are skipped)."""
    from studio.voice import get_voice_store

    settings = get_settings()
    settings.ensure_dirs()
    store = get_voice_store()
    for loaded in list_kits(settings.kits_dir):
        result = store.ingest(loaded)
        print(f"voice store: {loaded.kit.id}: {result}", flush=True)


def launch(host: str, port: int, *, prevent_thread_lock: bool = False):
    settings = get_settings()
    demo = build_app()
    demo.queue(default_concurrency_limit=8)
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=lambda username, password: authenticate(username, password, settings.users_file) is not None,
        auth_message=None if settings.users_file else DEMO_ACCOUNTS,
        allowed_paths=[str(settings.data_dir.resolve()), str(settings.kits_dir.resolve())],
        theme=gr.themes.Soft(),
        css=CSS,
        head=KEYBOARD_JS,
        show_error=True,
        prevent_thread_lock=prevent_thread_lock,
        footer_links=["api"],
    )


def run_server(host: str = "127.0.0.1", port: int = 7860) -> None:
    prepare()
    launch(host, port)
