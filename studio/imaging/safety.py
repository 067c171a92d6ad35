"""Open untrusted images safely: format allow-list, size limits, decompression-bomb guard."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from PIL import Image

ALLOWED_FORMATS = ("PNG", "JPEG", "WEBP")
MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_SIDE = 8192
MAX_PIXELS = 40_000_000


class ImageInputError(ValueError):
    """An image that Studio refuses to read (wrong format, too large, corrupt, hostile)."""


def open_image(path: Path | str, *, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """Open, check and fully decode an image file; raises ImageInputError with a clear reason."""
    path = Path(path)
    if not path.is_file():
        raise ImageInputError(f"{path}: no such image file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ImageInputError(
            f"{path}: file is {size / (1024 * 1024):.0f} MiB, more than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit")
    return _open(path, str(path), max_side, max_pixels)


def open_image_bytes(data: bytes, *, name: str = "image", max_side: int = MAX_SIDE,
                     max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The same checks for an image held in memory (e.g. an API response)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImageInputError(f"{name}: {len(data)} bytes is more than the {MAX_FILE_BYTES} byte limit")
    return _open(io.BytesIO(data), name, max_side, max_pixels)


def _open(source, name: str, max_side: int, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(source, formats=ALLOWED_FORMATS)
            w, h = image.size
            if w <= 0 or h <= 0 or w > max_side or h > max_side or w * h > max_pixels:
                raise ImageInputError(
                    f"{name}: image is {w}x{h} pixels; the limit is {max_side} px per side and {max_pixels:,} pixels")
            image.load()
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageInputError(f"{name}: refused as a decompression bomb ({exc})") from None
    except Image.UnidentifiedImageError:
        raise ImageInputError(f"{name}: not a supported image (allowed: {', '.join(ALLOWED_FORMATS)})") from None
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageInputError(f"{name}: unreadable or corrupt image ({exc})") from None
    return image
