"""Shared by the quality-gate kinds tests (test_quality_kinds_*): a sample kit's checker and the quality categories
(garbled, off_brief, unsupported_claim) a reviewer would see on a text, info findings left out."""

from __future__ import annotations

from studio.channels import get_channel
from studio.checks import get_checker
from studio.config import get_settings
from studio.kits import load_kit

QUALITY = {"garbled", "off_brief", "unsupported_claim"}


def kit_checker(kit_id: str):
    return get_checker(load_kit(kit_id, get_settings().kits_dir))


def quality_categories(checker, text: str, *, market: str, brief: dict | None, channel: str | None = None) -> set[str]:
    extra = {"channel": get_channel(channel)} if channel else {}
    report = checker.check_text(text, market=market, brief=brief, **extra)
    return {f.category for f in report.findings if f.severity.value != "info"} & QUALITY
