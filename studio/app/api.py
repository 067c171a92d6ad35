"""Named API endpoints for scripts (gradio_client). Each one calls the same service as the CLI.

    from gradio_client import Client
    client = Client("http://127.0.0.1:7860/", auth=("rita", "studio-demo"))
    client.predict(variant_id, "", "", version, api_name="/approve")
"""

from __future__ import annotations

import gradio as gr

from studio.app.common import current_user, friendly_errors, kit
from studio.channels import get_channel
from studio.domain import Brief
from studio.review import ReviewQueue
from studio.workflow import GenerateRequest, decide, generate


@friendly_errors
def api_generate(kit_id: str, segment: str, channels: list[str], brief: str, variants: int = 1, market: str = "",
                 request: gr.Request = None) -> dict:
    """Generate variants for a brief and queue them; returns {"variants": [...]} as `studio generate --json`."""
    job = GenerateRequest(kit=kit_id, segment=segment, channels=channels, brief=Brief(text=brief),
                          variants=int(variants), market=market or None)
    return {"variants": generate(job, by=current_user(request).name)}


@friendly_errors
def api_check(text: str, kit_id: str = "", channel: str = "", market: str = "", request: gr.Request = None) -> dict:
    """Check a text; returns {"verdict", "findings"} as `studio check --json`."""
    current_user(request)
    from studio.checks import get_checker
    from studio.limits import check_text

    check_text(text, "text", "check_text_chars")
    checker = get_checker(kit(kit_id) if kit_id else None)
    report = checker.check_text(text, channel=get_channel(channel) if channel else None, market=market or None)
    return report.to_json()


@friendly_errors
def api_review_list(status: str = "in_review", request: gr.Request = None) -> dict:
    """The queue, filtered by status; returns {"variants": [...]} as `studio review list --json`."""
    current_user(request)
    return {"variants": ReviewQueue().list(status=status or None)}


@friendly_errors
def api_review_show(variant_id: str, request: gr.Request = None) -> dict:
    """One variant with its history, as `studio review show ID --json`."""
    current_user(request)
    return ReviewQueue().show(variant_id, history=True)


def _reviewed(version: int | None) -> int:
    """A decision names the version the reviewer read; a newer version then makes it a conflict."""
    if version is None or int(version) < 1:
        raise ValueError("name the version you reviewed (version=N, as /review_show returned it)")
    return int(version)


@friendly_errors
def api_approve(variant_id: str, note: str = "", override_reason: str = "", version: int | None = None,
                request: gr.Request = None) -> dict:
    """Approve `version` (the one you reviewed) as the logged-in reviewer."""
    return decide(variant_id, "approve", by=current_user(request).name, note=note or None,
                  override_reason=override_reason or None, version=_reviewed(version))


@friendly_errors
def api_reject(variant_id: str, reason: str, version: int | None = None, request: gr.Request = None) -> dict:
    """Reject `version` (the one you reviewed), with a reason."""
    return decide(variant_id, "reject", by=current_user(request).name, note=reason, version=_reviewed(version))


@friendly_errors
def api_request_changes(variant_id: str, note: str, version: int | None = None, request: gr.Request = None) -> dict:
    """Ask for changes to `version`; the variant is regenerated as version N+1 and returned."""
    return decide(variant_id, "request_changes", by=current_user(request).name, note=note, version=_reviewed(version))


ENDPOINTS = {
    "generate": api_generate,
    "check": api_check,
    "review_list": api_review_list,
    "review_show": api_review_show,
    "approve": api_approve,
    "reject": api_reject,
    "request_changes": api_request_changes,
}


def register() -> None:
    for name, fn in ENDPOINTS.items():
        gr.api(fn, api_name=name)
