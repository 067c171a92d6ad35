"""A reviewer's or creator's own alt text for a variant's image: checked like copy, written into the image's XMP
(the image is labelled and signed again: its pixels do not change) and stored as a new version of the variant
(a human edit, back in review)."""

from __future__ import annotations

from pathlib import Path

from studio.accessibility.alt_text import MAX_ALT_CHARS
from studio.accessibility.image_findings import SEVERITY_RANK, alt_text_findings


class AltTextError(ValueError):
    """Alt text that cannot be stored (empty, too long, no image)."""


def edit_alt_text(variant_id: str, text: str, *, by: str) -> dict:
    from studio.config import get_settings
    from studio.images.creative import iptc_fields
    from studio.kits import cached_kit
    from studio.labels import apply_image_labels
    from studio.review import ReviewQueue

    text = " ".join((text or "").split())
    if not text:
        raise AltTextError("the alt text is empty")
    if len(text) > MAX_ALT_CHARS:
        raise AltTextError(f"the alt text has {len(text)} characters; at most {MAX_ALT_CHARS}")
    settings = get_settings()
    queue = ReviewQueue(settings)
    queue.user(by).require("edit")
    current = queue.show(variant_id)
    if not current.get("image"):
        raise AltTextError(f"variant '{variant_id}' has no image")
    loaded = cached_kit(current["kit"], settings.kits_dir)
    made = (current.get("provenance") or {}).get("image") or {}
    language = (current.get("provenance") or {}).get("language") or loaded.kit.language
    iptc = {**iptc_fields(loaded.kit, backend=made.get("backend", "template"), model=made.get("model"),
                          prompt=made.get("image_prompt", "")),
            "alt_text": text, "ext_description": made.get("ext_description") or text, "alt_text_language": language}
    out = settings.images_dir / f"{variant_id}-v{current['version'] + 1}.png"
    applied = apply_image_labels(Path(current["image"]), out, variant_id=variant_id, market=current["market"],
                                 digital_source_type=made.get("digital_source_type") or applied_type(current),
                                 produce_id=variant_id, settings=settings,
                                 label_corner=(made.get("layout") or {}).get("label_corner"), iptc=iptc)
    found = alt_text_findings(loaded, text, market=current["market"], copy=current["copy"])
    findings = [f for f in current.get("findings") or [] if f.get("field") != "alt_text"] + [f.to_json() for f in found]
    worst = max((SEVERITY_RANK[f["severity"]] for f in findings), default=0)
    report = {"verdict": ("pass", "warn", "block")[worst], "findings": findings}
    labels = {**(current.get("labels") or {}), "image": applied, "image_path": str(out)}
    queue.edit_copy(variant_id, copy=current["copy"], check_report=report, by=by, image_path=str(out), labels=labels)
    return queue.show(variant_id)


def applied_type(variant: dict) -> str:
    return ((variant.get("labels") or {}).get("image") or {}).get("xmp", {}).get("digital_source_type")


def current_alt_text(variant: dict) -> str:
    """The alt text in the variant's labelled image (an edited one), else the one it was rendered with."""
    xmp = ((variant.get("labels") or {}).get("image") or {}).get("xmp") or {}
    return xmp.get("alt_text") or ((variant.get("provenance") or {}).get("image") or {}).get("alt_text") or ""
