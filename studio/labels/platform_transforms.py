"""What social platforms and people do to a picture on its way: the transformations the watermark must survive.

The benchmark (bench/watermark.py) and the tests run each of these on labelled images.
"""

from __future__ import annotations

import io

from PIL import Image


def resize(image: Image.Image, factor: float) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.LANCZOS)


def crop(image: Image.Image, side: str, fraction: float = 0.10) -> Image.Image:
    w, h = image.size
    dx, dy = round(w * fraction), round(h * fraction)
    box = {"left": (dx, 0, w, h), "right": (0, 0, w - dx, h), "top": (0, dy, w, h), "bottom": (0, 0, w, h - dy)}[side]
    return image.crop(box)


def jpeg(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def screenshot(image: Image.Image) -> Image.Image:
    """Shown at 80% in a page (bicubic), framed by page chrome, captured as a PNG, then sent as JPEG 85."""
    shown = image.convert("RGB").resize((round(image.width * 0.8), round(image.height * 0.8)), Image.BICUBIC)
    frame = round(min(shown.size) * 0.04)
    page = Image.new("RGB", (shown.width + 2 * frame, shown.height + 3 * frame), (245, 246, 248))
    page.paste(shown, (frame, 2 * frame))
    return jpeg(page, 85)


TRANSFORMS = {
    "identity": lambda im: im.convert("RGB"),
    "resize_50": lambda im: resize(im, 0.5),
    "resize_25": lambda im: resize(im, 0.25),
    "crop_10_left": lambda im: crop(im, "left"),
    "crop_10_right": lambda im: crop(im, "right"),
    "crop_10_top": lambda im: crop(im, "top"),
    "crop_10_bottom": lambda im: crop(im, "bottom"),
    "jpeg_70": lambda im: jpeg(im, 70),
    "screenshot": screenshot,
}
