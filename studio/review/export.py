"""Export approved variants: copy as JSON (with its disclosures, labels, provenance and the reviewer's
decision), images as the labelled PNGs they already are. Each file is written atomically."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from studio.accessibility.edit import current_alt_text
from studio.review.queue import QueueError, ReviewQueue


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


EXPORTABLE = ("approved", "exported")


def _fact_sheets(variants: list[dict]) -> dict[str, dict[str, bytes]]:
    """The .jsonld and .md files of the agent_facts variants (studio/agent_facts/export.py)."""
    from studio.agent_facts.export import fact_sheet_files
    from studio.agent_facts.render import AgentFactsError

    try:
        return {v["id"]: fact_sheet_files(v) for v in variants if v["channel"] == "agent_facts"}
    except AgentFactsError as exc:
        raise QueueError(str(exc)) from None


def _fact_sheets(variants: list[dict]) -> dict[str, dict[str, bytes]]:
    """The .jsonld and .md files of the agent_facts variants (studio/agent_facts/export.py)."""
    from studio.agent_facts.export import fact_sheet_files
    from studio.agent_facts.render import AgentFactsError

    try:
        return {v["id"]: fact_sheet_files(v) for v in variants if v["channel"] == "agent_facts"}
    except AgentFactsError as exc:
        raise QueueError(str(exc)) from None


def _signed_approval(variant: dict, approval: dict) -> bytes:
    """The variant's image with a second C2PA manifest: the generated image's manifest as its parent
    ingredient, the human review as an action and an assertion, the kit's logo as a component, and the
    kit's data-mining preference (CAWG training-and-data-mining). Pixels and XMP stay as generated."""
    from studio.config import get_settings
    from studio.kits.loader import load_kit
    from studio.labels.c2pa_manifest import load_credentials, sign_approval

    settings = get_settings()
    components = {}
    data_mining = "prohibited"
    source = Path(variant["image"])
    with tempfile.TemporaryDirectory(prefix="studio-export-") as tmp:
        try:
            loaded = load_kit(variant["kit"], settings.kits_dir)
            if loaded.logo_path.is_file():
                components["logo"] = loaded.logo_path
            background = _background_ingredient(loaded, variant, source, Path(tmp))
            if background is not None:
                components["template" if background.parent == Path(tmp) else "background"] = background
            data_mining = loaded.kit.rights.data_mining
        except Exception:  # noqa: BLE001 - a kit removed since generation: the approval is still signed
            pass
        review = {"variant_id": variant["id"], "version": approval["version"], "approved_by": approval["approved_by"],
                  "approved_at": approval["approved_at"], "verdict": variant["verdict"],
                  "override_reason": approval.get("override_reason")}
        return sign_approval(source, credentials=load_credentials(settings), review=review,
                             title=f"{variant['id']}-v{variant['version']}.png", data_mining=data_mining,
                             components=components, asset=_with_propagator(source, variant, settings))


def _background_ingredient(loaded, variant: dict, source: Path, tmp: Path) -> Path | None:
    """What the creative was composed on, as a file for its ingredient: the kit photo it used, or the brand
    template background re-rendered (deterministic: the kit's palette at the image's size). A generated
    picture (diffusers, OpenAI) is already in the generated image's own manifest."""
    image = (variant.get("provenance") or {}).get("image") or {}
    asset = image.get("background_asset")
    if asset and (loaded.root / asset).is_file():
        return loaded.root / asset
    if image.get("backend") != "template":
        return None
    from PIL import Image

    from studio.images.backgrounds import template_background

    with Image.open(source) as im:
        width, height = im.size
    path = tmp / "template.png"
    template_background(width, height, loaded.kit.visual.palette).save(path, "PNG")
    return path


def _with_propagator(source: Path, variant: dict, settings) -> bytes | None:
    """The image re-encoded (same pixels) with the CN label's ContentPropagator / PropagateID filled in,
    when a propagator code is configured; None keeps the file as generated."""
    if not settings.cn_content_propagator:
        return None
    from studio.imaging.safety import open_image
    from studio.labels.apply import encode_with_metadata
    from studio.labels.metadata import read_embedded, with_propagator
    from studio.labels.watermark import watermark_key

    image = open_image(source)
    xmp = with_propagator(read_embedded(image)["xmp"], propagator=settings.cn_content_propagator,
                          propagate_id=f"{variant['id']}-v{variant['version']}", key=watermark_key(settings))
    return encode_with_metadata(image.convert("RGB"), "PNG", xmp)


def export_variants(queue: ReviewQueue, out_dir: Path, *, status: str = "approved", by: str) -> list[dict]:
    """Write every variant with `status` to out_dir; approved ones become exported. Returns what was written.

    Only the roles allowed to export may, and only variants whose current version carries a recorded approve
    decision are written: a status changed by hand in the database exports nothing.
    """
    queue.user(by).require("export")
    if status not in EXPORTABLE:
        raise QueueError(f"only approved variants are exported (--status {' or '.join(EXPORTABLE)}), not '{status}'")
    chosen = queue.list(status=status)
    approvals = {v["id"]: queue.approval(v["id"]) for v in chosen}  # all checked before anything is written
    fact_sheets = _fact_sheets(chosen)  # agent_facts: rendered and validated before anything is written too
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for variant in chosen:
        stem = f"{variant['id']}-v{variant['version']}"
        image_out = None
        if variant["image"]:
            image_out = out_dir / f"{stem}.png"
            _atomic_write(image_out, _signed_approval(variant, approvals[variant["id"]]))
        provenance = variant["provenance"]
        document = {
            "id": variant["id"],
            "version": variant["version"],
            "kit": variant["kit"],
            "segment": variant["segment"],
            "channel": variant["channel"],
            "market": variant["market"],
            "copy": variant["copy"],
            "disclosures": variant["labels"].get("copy_disclosures", []),
            "ai_generated": True,
            "model": provenance.get("model"),
            "provenance": provenance,
            "labels": variant["labels"],
            "image": image_out.name if image_out else None,
            "alt_text": current_alt_text(variant) or None,  # also in the image's XMP
            "verdict": variant["verdict"],
            "findings": variant["findings"],
            "review": approvals[variant["id"]],
            "override": variant["override"],
        }
        copy_out = out_dir / f"{stem}.json"
        _atomic_write(copy_out, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
        for suffix, data in fact_sheets.get(variant["id"], {}).items():
            _atomic_write(out_dir / f"{stem}{suffix}", data)
        for suffix, data in fact_sheets.get(variant["id"], {}).items():
            _atomic_write(out_dir / f"{stem}{suffix}", data)
        if status == "approved":
            queue.mark_exported(variant["id"], by=by, destination=str(out_dir))
        written.append({"id": variant["id"], "version": variant["version"], "copy": str(copy_out),
                        "image": str(image_out) if image_out else None})
    return written
