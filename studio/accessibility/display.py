"""The alt text of a variant's image, as the review detail shows it."""

from __future__ import annotations

from html import escape


def variant_alt_text(variant: dict) -> tuple[str, str]:
    """(alt text, extended description) recorded when the image was rendered ('' when there is no image)."""
    from studio.accessibility.edit import current_alt_text

    image = (variant.get("provenance") or {}).get("image") or {}
    return current_alt_text(variant), image.get("ext_description") or ""


def alt_text_html(variant: dict) -> str:
    alt, extended = variant_alt_text(variant)
    if not alt:
        return ""
    findings = [f for f in variant.get("findings") or [] if f.get("field") == "alt_text"]
    marks = "".join(f"<li>{escape(f['category'])} ({escape(f['severity'])}): {escape(f['message'])}</li>"
                    for f in findings)
    return (f'<div class="alt-text" id="review-alt-text"><h4>Alt text ({len(alt)} characters, in the image\'s XMP)</h4>'
            f"<p>{escape(alt)}</p><details><summary>Extended description</summary><p>{escape(extended)}</p></details>"
            + (f"<ul>{marks}</ul>" if marks else "") + "</div>")
