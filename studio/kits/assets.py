"""Which files a brand kit may contain, and a check of its images.

A kit is uploaded by people outside the server's trust (an agency's zip), and its files end up in front of
reviewers. So a kit holds only what Studio reads: kit.yaml, a README, voice documents, content modules
(modules/*.yaml), and assets that are images or fonts. An HTML or SVG file (script that would run in a reviewer's browser) or an executable is
refused, and so is an image Studio could not safely decode (a 30000x30000 logo).
"""

from __future__ import annotations

from pathlib import Path

from studio.imaging.safety import ImageInputError, open_image

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
FONT_SUFFIXES = {".ttf", ".otf", ".ttc", ".woff", ".woff2"}
VOICE_SUFFIXES = {".md", ".txt"}
MODULE_SUFFIXES = {".yaml", ".yml"}
TOP_LEVEL_FILES = {"kit.yaml", "readme.md", "readme.txt", "license", "license.txt", "license.md"}
# What operating systems leave in folders and zips; ignored, never copied into the kits folder.
OS_LITTER = {".ds_store", "thumbs.db", "desktop.ini"}
OS_LITTER_DIRS = {"__macosx"}


def is_litter(relative: Path) -> bool:
    return relative.name.lower() in OS_LITTER or any(p.lower() in OS_LITTER_DIRS for p in relative.parts)


def allowed_file(relative: Path) -> bool:
    parts = relative.parts
    suffix = relative.suffix.lower()
    if len(parts) == 1:
        return relative.name.lower() in TOP_LEVEL_FILES
    if parts[0] == "voice":
        return suffix in VOICE_SUFFIXES
    if parts[0] == "modules":
        return suffix in MODULE_SUFFIXES
    if parts[0] == "assets":
        return suffix in IMAGE_SUFFIXES | FONT_SUFFIXES
    return False


def check_kit_files(root: Path) -> None:
    """Raise ValueError naming the first file a kit may not contain, or an image Studio refuses."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_symlink():
            raise ValueError(f"{relative}: links are not allowed in a kit")
        if path.is_dir() or is_litter(relative):
            continue
        if not allowed_file(relative):
            raise ValueError(f"{relative}: not allowed in a kit (kit.yaml, README, voice/*.md|.txt, modules/*.yaml, "
                             f"assets/ images {'/'.join(sorted(IMAGE_SUFFIXES))} and fonts)")
        if relative.suffix.lower() in IMAGE_SUFFIXES:
            try:
                open_image(path).close()
            except ImageInputError as exc:
                raise ValueError(f"{relative}: {str(exc).removeprefix(f'{path}: ')}") from None
