"""The quality gate's thresholds and word lists, read once from packs/quality.yaml."""

from __future__ import annotations

import re
from functools import cache

import yaml

from studio.checks.packs import PACKS_DIR, PackError

QUALITY_PACK = PACKS_DIR / "quality.yaml"


@cache
def quality_config() -> dict:
    try:
        data = yaml.safe_load(QUALITY_PACK.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise PackError(f"{QUALITY_PACK.name}:{where} invalid YAML") from None
    for section in ("garbled", "off_brief", "unsupported_claim"):
        if not isinstance(data.get(section), dict):
            raise PackError(f"{QUALITY_PACK.name}: missing section '{section}'")
    for section, key in (("garbled", "debris"), ("off_brief", "writer_notes")):
        for i, pattern in enumerate(data[section].get(key) or []):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PackError(f"{QUALITY_PACK.name}: {section}.{key}[{i}] is not a valid regex ({exc})") from None
    return data
