"""What every page needs: the logged-in user, friendly errors, kit look-ups."""

from __future__ import annotations

import functools
import inspect
import logging

import gradio as gr

from studio.config import get_settings
from studio.generate.errors import GenerationError
from studio.kits import cached_kit, list_kits
from studio.review import PermissionDenied, QueueError, User, get_user


def current_user(request: gr.Request | None) -> User:
    name = getattr(request, "username", None) if request is not None else None
    if not name:
        raise gr.Error("Please log in.")
    return get_user(name, get_settings().users_file)


log = logging.getLogger("studio.app")


def _as_page_error(exc: Exception) -> gr.Error:
    if isinstance(exc, gr.Error):
        return exc
    # Errors written for people (bad input, refused decisions, an unreachable model) are shown as they are.
    if isinstance(exc, (ValueError, PermissionDenied, GenerationError)):
        return gr.Error(str(exc.args[0] if exc.args else exc))
    # Anything else is unexpected: the page gets one line, the server log the whole story.
    log.error("unexpected error in a page handler", exc_info=exc)
    message = str(exc).splitlines()[0] if str(exc) else ""
    return gr.Error(f"{type(exc).__name__}: {message}")  # e.g. an unreachable model endpoint


def friendly_errors(fn):
    """Show a clear one-line message in the page instead of a stack trace."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def stream(*args, **kwargs):
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                raise _as_page_error(exc) from None

        return stream

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise _as_page_error(exc) from None

    return call


def kit_ids() -> list[str]:
    return [k.kit.id for k in list_kits(get_settings().kits_dir)]


def kit(kit_id: str):
    return cached_kit(kit_id, get_settings().kits_dir)


def grounding_passages(variant: dict) -> list[dict]:
    """The brand-voice passages a variant was written from, with their text (ids are in its provenance)."""
    from studio.voice import get_voice_store

    ids = (variant.get("provenance") or {}).get("retrieved_passages") or []
    try:
        return get_voice_store().passages(variant["kit"], ids)
    except Exception:  # noqa: BLE001 - the card still shows the ids when the store cannot be read
        log.warning("voice store unavailable for the grounding of %s", variant.get("id"), exc_info=True)
        return []
