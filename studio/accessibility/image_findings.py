"""Findings about a variant's image, added to its check report after the image stage: its alt text checked
like copy (field `alt_text`), and any text or logo whose contrast the compositor could not bring up to WCAG 2.2
(field `image`, category accessibility)."""

from __future__ import annotations

from studio.domain import Finding, Severity

SEVERITY_RANK = {"info": 0, "warn": 1, "block": 2}
ELEMENTS = {"headline": "The headline", "cta": "The button text", "logo": "The logo", "label": "The AI label"}


def contrast_findings(contrast: list[dict], label: dict | None = None) -> list[Finding]:
    entries = list(contrast or [])
    if label and label.get("contrast") is not None:
        entries.append({"element": "label", "text": label.get("text", ""), "ratio": label["contrast"],
                        "required": 4.5, "ok": label["contrast"] >= 4.5})
    out = []
    for c in entries:
        if c.get("ok", True):
            continue
        what = ELEMENTS.get(c["element"], c["element"])
        out.append(Finding(rule=f"accessibility.image_contrast.{c['element']}", category="accessibility",
                           severity=Severity.warn, start=0, end=0, text="", field="image",
                           message=f"{what} '{c.get('text', '')[:40]}' on the image has a contrast of {c['ratio']:.1f}:1 "
                                   f"against what is behind it; WCAG 2.2 asks for {c['required']:g}:1.",
                           suggestion="use a calmer background or the kit's template background"))
    return out


def alt_text_findings(loaded_kit, alt_text: str, *, market, copy: dict[str, str]) -> list[Finding]:
    """The alt text checked like copy. Not for disclosures: the image carries the visible AI label and its
    metadata the machine-readable ones; the alt text describes the image, it is not published copy."""
    from studio.checks import get_checker

    report = get_checker(loaded_kit).check_text(alt_text, market=market, field="alt_text",
                                                support=[v for v in copy.values() if v])
    return [f for f in report.findings if f.category != "missing_disclosure"]


def with_image_findings(report: dict, loaded_kit, result, *, market, copy: dict[str, str]) -> dict:
    """The variant's check report with its image's findings (replacing those of an earlier render)."""
    found: list[Finding] = []
    if result.alt_text:
        found += alt_text_findings(loaded_kit, result.alt_text, market=market, copy=copy)
    found += contrast_findings(result.layout.get("contrast"), (result.labels or {}).get("visible_label"))
    findings = [f for f in report.get("findings", []) if f.get("field") not in ("alt_text", "image")]
    findings += [f.to_json() for f in found]
    worst = max((SEVERITY_RANK[f["severity"]] for f in findings), default=0)
    return {**report, "findings": findings, "verdict": ("pass", "warn", "block")[worst]}
