"""Load a brand-kit folder (kit.yaml + voice/ + assets/) and explain what is wrong in one line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from studio.channels import get_channel
from studio.domain import BrandKit
from studio.kits.assets import check_kit_files
from studio.kits.yaml_lines import line_of
from studio.modules.library import load_modules
from studio.modules.model import ContentModule

VOICE_SUFFIXES = {".md", ".txt"}


class KitError(ValueError):
    """A kit that cannot be used; the message names the file, the line and the field."""


@dataclass(frozen=True)
class LoadedKit:
    kit: BrandKit
    root: Path
    voice_files: list[Path] = field(default_factory=list)
    modules: list[ContentModule] = field(default_factory=list)  # the approved building blocks (studio/modules)

    @property
    def logo_path(self) -> Path:
        return self.root / self.kit.visual.logo

    def asset(self, relative: str | None) -> Path | None:
        return (self.root / relative) if relative else None


def _inside(root: Path, relative: str) -> Path | None:
    """The resolved path if it stays inside root, else None."""
    candidate = (root / relative).resolve()
    return candidate if candidate.is_relative_to(root.resolve()) else None


def load_kit_dir(path: Path | str) -> LoadedKit:
    root = Path(path)
    kit_file = root / "kit.yaml" if root.is_dir() else root
    if root.is_file():
        root = root.parent
    if not kit_file.exists():
        raise KitError(f"{kit_file}: no kit.yaml in this folder")
    from studio.limits import LimitError, check_file_size, decode_text, read_bounded

    try:
        check_file_size(kit_file, str(kit_file), "kit_yaml_bytes")
        with kit_file.open("rb") as handle:  # bounded as well: a device or FIFO reports size 0
            text = decode_text(read_bounded(handle, str(kit_file), "kit_yaml_bytes"), str(kit_file))
    except LimitError as exc:
        raise KitError(str(exc)) from None
    except OSError as exc:
        raise KitError(f"{kit_file}: cannot read ({exc.strerror or exc})") from None
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise KitError(f"{kit_file}{where}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise KitError(f"{kit_file}:1: a kit must be a mapping of fields, got {type(data).__name__}")
    try:
        kit = BrandKit.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        field_path = ".".join(str(p) for p in loc) or "(kit)"
        line = line_of(node, loc)
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field (not part of the kit format)"
        raise KitError(f"{kit_file}:{line}: field '{field_path}': {message}") from None

    def fail(field_path: str, message: str) -> KitError:
        loc = tuple(int(p) if p.isdigit() else p for p in field_path.split("."))
        return KitError(f"{kit_file}:{line_of(node, loc)}: field '{field_path}': {message}")

    for rel, name in [(kit.visual.logo, "visual.logo"), (kit.visual.fonts.headline, "visual.fonts.headline"), (kit.visual.fonts.body, "visual.fonts.body")]:
        if rel is None:
            continue
        resolved = _inside(root, rel)
        if resolved is None:
            raise fail(name, f"path '{rel}' escapes the kit folder")
        if not resolved.is_file():
            raise fail(name, f"file '{rel}' does not exist")
    channel_refs = [("default_channels", kit.default_channels)]
    channel_refs += [(f"segments.{i}.preferred_channels", s.preferred_channels) for i, s in enumerate(kit.segments)]
    channel_refs += [(f"disclosures.{i}.channels", d.channels) for i, d in enumerate(kit.disclosures)]
    for field_path, channel_ids in channel_refs:
        for channel_id in channel_ids:
            if channel_id == "*":
                continue
            try:
                get_channel(channel_id)
            except KeyError as exc:
                raise fail(field_path, str(exc.args[0])) from None
    try:
        check_kit_files(root)
    except ValueError as exc:
        raise KitError(f"{root}/{exc}") from None
    voice_dir = root / "voice"
    voice_files = sorted(p for p in voice_dir.rglob("*") if p.suffix in VOICE_SUFFIXES) if voice_dir.is_dir() else []
    try:
        modules = load_modules(root, kit)
    except ValueError as exc:
        raise KitError(f"{root}/{exc}") from None
    return LoadedKit(kit=kit, root=root, voice_files=voice_files, modules=modules)


def list_kits(kits_dir: Path) -> list[LoadedKit]:
    return [load_kit_dir(p) for p in sorted(kits_dir.iterdir()) if (p / "kit.yaml").exists()]


def load_kit(kit_id: str, kits_dir: Path) -> LoadedKit:
    candidate = kits_dir / kit_id
    if (candidate / "kit.yaml").exists():
        loaded = load_kit_dir(candidate)
        if loaded.kit.id == kit_id:
            return loaded
    for loaded in list_kits(kits_dir):
        if loaded.kit.id == kit_id:
            return loaded
    known = ", ".join(k.kit.id for k in list_kits(kits_dir)) or "none"
    raise KitError(f"unknown kit '{kit_id}' (known: {known})")  # no server path in a message users see
