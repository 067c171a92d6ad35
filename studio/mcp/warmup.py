"""Warm-up for the team server (`studio mcp --http`): index the kits' voice and load the checker in the background.

`studio serve` indexes the voice before it listens; the MCP server listens at once (health checks pass) and does
the same in a daemon thread, so the first agent's generate or check does not pay ~30 s for it. A request that
arrives earlier simply waits: the voice store serialises ingestion behind its own lock.
"""

from __future__ import annotations

import sys
import threading


def _warm_up() -> None:
    try:
        from studio.checks import get_checker
        from studio.config import get_settings
        from studio.kits import list_kits
        from studio.voice import get_voice_store

        settings = get_settings()
        settings.ensure_dirs()
        store = get_voice_store()
        for loaded in list_kits(settings.kits_dir):
            store.ingest(loaded)
        get_checker(None)
    except Exception as exc:  # the requests that need it will report it; the server keeps serving
        print(f"studio mcp: warm-up failed: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
              file=sys.stderr, flush=True)


def warm_up_in_background() -> threading.Thread:
    thread = threading.Thread(target=_warm_up, name="studio-mcp-warm-up", daemon=True)
    thread.start()
    return thread
