"""Load a kit's content modules (`modules/*.yaml`) and refuse a broken one with file:line and field.

What is checked here, on every kit load: the format (model.py), unique ids, slots, and that every reference
resolves: the claim id exists in the kit, the segment and channel ids exist, and the module fits at least one
field of one channel it names. Whether a module passes the compliance checks is asked by `studio kit
validate` (validate.py), which needs the checker.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from studio.channels import all_channels, get_channel, message_length
from studio.domain import BrandKit
from studio.kits.yaml_lines import line_of
from studio.modules.model import ROLE_FIELDS, ContentModule, ModuleFile


def load_modules(root: Path, kit: BrandKit) -> list[ContentModule]:
    """Every module under root/modules, in file and then list order. Raises ValueError 'file:line: field ...'."""
    folder = root / "modules"
    if not folder.is_dir():
        return []
    modules: list[ContentModule] = []
    seen: dict[str, str] = {}
    claim_ids = {c.id for c in kit.claims.substantiated if c.id}
    segment_ids = {s.id for s in kit.segments}
    for path in sorted(folder.glob("*.y*ml")):
        name = f"modules/{path.name}"
        try:
            text = path.read_text(encoding="utf-8")
            node = yaml.compose(text)
            data = yaml.safe_load(text) or {}
        except UnicodeDecodeError:
            raise ValueError(f"{name}: not UTF-8 text") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise ValueError(f"{name}{f':{mark.line + 1}' if mark else ''}: invalid YAML: "
                             f"{getattr(exc, 'problem', None) or exc}") from None
        try:
            parsed = ModuleFile.model_validate(data)
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            message = "unknown field" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
            raise ValueError(f"{name}:{line_of(node, loc)}: field '{where}': {message}") from None

        for i, module in enumerate(parsed.modules):
            def fail(field: str, message: str) -> ValueError:
                return ValueError(f"{name}:{line_of(node, ('modules', i, field))}: module '{module.id}', "
                                  f"field '{field}': {message}")

            if module.id in seen:
                raise fail("id", f"duplicate id (also in {seen[module.id]})")
            seen[module.id] = name
            if module.claim and module.claim not in claim_ids:
                raise fail("claim", f"no substantiated claim with id '{module.claim}' in kit.yaml "
                                    f"(ids: {', '.join(sorted(claim_ids)) or 'none'})")
            for segment in module.segments:
                if segment != "*" and segment not in segment_ids:
                    raise fail("segments", f"unknown segment '{segment}'")
            for channel_id in module.channels:
                if channel_id != "*":
                    try:
                        get_channel(channel_id)
                    except KeyError as exc:
                        raise fail("channels", str(exc.args[0])) from None
            if not _fits_somewhere(module):
                raise fail("text", f"{len(module.text)} characters: longer than every field a {module.role} can fill in the "
                                   "channels it names")
            module._source = f"{name}:{line_of(node, ('modules', i))}"
            modules.append(module)
    return modules


def _fits_somewhere(module: ContentModule) -> bool:
    """Does the text (slots counted as empty) fit at least one field its role can fill?"""
    bare = module.text
    for slot in ("product", "offer", "key_message", "segment", "brand"):
        bare = bare.replace("{" + slot + "}", "")
    channels = all_channels() if "*" in module.channels else [get_channel(c) for c in module.channels]
    for channel in channels:
        for f in channel.fields:
            if f.role in ROLE_FIELDS[module.role]:
                length, limit = message_length(f, bare)
                if limit is None or length <= limit:
                    return True
    return False
