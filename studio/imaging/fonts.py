"""Fonts: the kit's own files first, then Debian's font packages (CJK from fonts-wqy-zenhei / fonts-noto-cjk)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFont

from studio.language import has_cjk, is_cjk_char

# Debian paths, in order of preference. fonts-wqy-zenhei is the small one; Noto CJK also works.
CJK_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
LATIN_FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
CJK_PACKAGES = "fonts-wqy-zenhei (or fonts-noto-cjk)"


class FontMissingError(RuntimeError):
    """No usable font file for the text (e.g. Chinese copy with no CJK font installed)."""


# Which characters need a CJK font: one definition for the whole package (studio/language.py).
is_cjk = is_cjk_char


def cjk_font_path() -> Path:
    for candidate in CJK_FONT_PATHS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise FontMissingError(
        f"no CJK font found (looked in {', '.join(CJK_FONT_PATHS)}); install the Debian package {CJK_PACKAGES}"
    )


def latin_font_path() -> Path:
    for candidate in LATIN_FONT_PATHS:
        if Path(candidate).is_file():
            return Path(candidate)
    return cjk_font_path()  # wqy-zenhei / Noto CJK carry Latin glyphs too


@lru_cache(maxsize=256)
def load_font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size=max(1, int(size)))


def _glyph_mask(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    box = font.getbbox(ch)
    w, h = max(1, box[2] - box[0] + 2), max(1, box[3] - box[1] + 2)
    img = Image.new("L", (w, h), 0)
    ImageDraw.Draw(img).text((1 - box[0], 1 - box[1]), ch, font=font, fill=255)
    return img.tobytes() + bytes(str((w, h)), "ascii")


@lru_cache(maxsize=64)
def _notdef(path: str) -> bytes:
    return _glyph_mask(load_font(path, 32), "\U0010fffd")


def font_covers(path: str | Path, text: str) -> bool:
    """True when every visible character renders as a real glyph, not the font's .notdef box (tofu)."""
    font = load_font(str(path), 32)
    notdef = _notdef(str(path))
    for ch in set(text):
        if ch.isspace():
            continue
        mask = _glyph_mask(font, ch)
        if mask == notdef:
            return False
    return True


def pick_font_path(text: str, kit_font: Path | None) -> Path:
    """The kit's font when it covers the text, else a system font that does (CJK for Chinese)."""
    if kit_font is not None and kit_font.is_file() and font_covers(kit_font, text):
        return kit_font
    if has_cjk(text):
        return cjk_font_path()
    return latin_font_path()


def glyphs_distinct(path: str | Path, text: str, size: int = 48) -> bool:
    """Distinct characters render distinct bitmaps (a font without the glyphs draws identical boxes)."""
    font = load_font(str(path), size)
    chars = sorted({c for c in text if not c.isspace()})
    masks = {_glyph_mask(font, c) for c in chars}
    return len(masks) == len(chars)


def ink_equal(a: Image.Image, b: Image.Image) -> bool:
    return ImageChops.difference(a, b).getbbox() is None
