"""`studio kit ingest ID`: index a kit's voice documents into the voice store and report what changed.

Exit codes: 0 ok, 2 bad input (unknown kit, broken kit file, unreachable Chroma server), with one
`error: ...` line on stderr and nothing on stdout.
"""

from __future__ import annotations

import json
import sys


def _error(message: str) -> int:
    sys.stderr.write("error: " + " ".join(str(message).split()) + "\n")
    return 2


def run_ingest_command(kit_id: str, as_json: bool) -> int:
    from studio.config import get_settings
    from studio.kits import KitError, load_kit

    settings = get_settings()
    try:
        loaded = load_kit(kit_id, settings.kits_dir)
    except KitError as exc:
        return _error(str(exc))
    except FileNotFoundError as exc:
        return _error(f"kits folder not found: {exc.filename or settings.kits_dir}")
    if not loaded.voice_files:
        return _error(f"kit '{kit_id}' has no voice documents in {loaded.root / 'voice'}")
    try:
        from studio.voice import get_voice_store

        result = get_voice_store(settings).ingest(loaded)
    except UnicodeDecodeError as exc:
        return _error(f"kit '{kit_id}': a voice document is not UTF-8 text ({exc.reason})")
    except Exception as exc:  # noqa: BLE001 - Chroma server down, model missing: one line, not a traceback
        where = f"Chroma server {settings.chroma_url}" if settings.chroma_url else f"voice store in {settings.data_dir}"
        return _error(f"could not ingest kit '{kit_id}' into the {where}: {type(exc).__name__}: {exc}")
    report = {"kit": kit_id, "documents": len(loaded.voice_files), **result.to_json()}
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(
            f"kit '{kit_id}': {len(loaded.voice_files)} documents, {result.chunks} chunks "
            f"(added {result.added}, updated {result.updated}, removed {result.removed}, unchanged {result.unchanged})\n"
        )
    return 0
