"""`studio serve`: ingest the kits' voice documents, then serve the app behind the queue's login."""

from __future__ import annotations

import gradio as gr

from studio.app.render import CSS, KEYBOARD_JS
from studio.app.ui import build_app
from studio.config import get_settings
from studio.kits import list_kits
from studio.review import authenticate
from studio.review.users import NO_USERS, load_users

DEMO_ACCOUNTS = "Demo accounts (STUDIO_DEMO_USERS=1): alice (creator), rita and ravi (reviewers), adam (admin)."


def served_paths(settings) -> list[str]:
    """The only folder whose files the app serves by path: the rendered, labelled creatives.

    Everything else a page shows (logos, export zips, CSVs) is returned by a handler and served from Gradio's
    cache, as an attachment unless it is an image. Keys, databases, checkpoints, the voice store, exports and
    kit files are never under a served path (docs/security.md).
    """
    settings.images_dir.mkdir(parents=True, exist_ok=True)
    return [str(settings.images_dir.resolve())]


def blocked_paths(settings) -> list[str]:
    """Belt and braces: secrets and stores stay blocked even if a served folder were set to include them.

    (Blocked paths also refuse a handler's return value, so exports and kit logos, which handlers return, are
    not listed: they are simply not served by path.)
    """
    data = settings.data_dir.resolve()
    stores = (settings.secret_dir.resolve(), data / "c2pa", data / "chroma", data / "models", data / "batches")
    return [str(p) for p in stores] + [str(data / name) for name in DATABASE_FILES]


DATABASE_FILES = ("studio.db", "studio.db-wal", "studio.db-shm", "checkpoints.db", "checkpoints.db-wal",
                  "checkpoints.db-shm")


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
    if not load_users(settings.users_file):
        raise SystemExit(f"studio serve: {NO_USERS}")
    demo = build_app()
    demo.queue(default_concurrency_limit=8)
    return demo.launch(
        server_name=host,
        server_port=port,
        auth=lambda username, password: authenticate(username, password, settings.users_file) is not None,
        auth_message=None if settings.users_file else DEMO_ACCOUNTS,
        allowed_paths=served_paths(settings),
        blocked_paths=blocked_paths(settings),
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
