"""The visible AI label: a pill in a bottom corner, text height >= 5% of the shorter side.

The layout is a pure function of the image size, the label text and the corner, so `verify` can
recompute where the pill must be even when the metadata has been stripped. The pill's fill is dark
on light backgrounds and light on dark ones; its text takes the opposite colour (contrast > 15:1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from studio.imaging.colour import contrast_ratio
from studio.imaging.fonts import cjk_font_path, has_cjk, latin_font_path, load_font

MIN_TEXT_HEIGHT = 0.05  # of the shorter side (GB 45438-2025)
TARGET_TEXT_HEIGHT = 0.055
MARGIN = 0.04
CORNERS = ("bottom-right", "bottom-left")
DARK = (17, 17, 17)
LIGHT = (250, 250, 250)


@dataclass(frozen=True)
class LabelLayout:
    text: str
    corner: str
    box: tuple[int, int, int, int]  # x, y, w, h of the pill
    font_path: str
    font_size: int
    text_height: int  # ink height of the label text, px
    text_origin: tuple[int, int]


def label_font_path(text: str) -> Path:
    return cjk_font_path() if has_cjk(text) else latin_font_path()


def layout(width: int, height: int, text: str, corner: str = "bottom-right") -> LabelLayout:
    short = min(width, height)
    target = math.ceil(short * TARGET_TEXT_HEIGHT)
    path = str(label_font_path(text))
    probe = load_font(path, 100).getbbox(text)
    size = max(8, math.ceil(target * 100 / max(1, probe[3] - probe[1])))
    font = load_font(path, size)
    while True:
        box = font.getbbox(text)
        if box[3] - box[1] >= short * MIN_TEXT_HEIGHT:
            break
        size += 1
        font = load_font(path, size)
    ink_w, ink_h = box[2] - box[0], box[3] - box[1]
    pad_y = max(4, round(ink_h * 0.45))
    pad_x = max(6, round(ink_h * 0.8))
    w, h = ink_w + 2 * pad_x, ink_h + 2 * pad_y
    margin = round(short * MARGIN)
    x = width - margin - w if corner == "bottom-right" else margin
    y = height - margin - h
    origin = (x + pad_x - box[0], y + pad_y - box[1])
    return LabelLayout(text, corner, (x, y, w, h), path, size, ink_h, origin)


def colours_for(region_mean) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """(fill, text) for a pill over a background of this mean colour: the fill contrasts with it."""
    if contrast_ratio(region_mean, DARK) >= contrast_ratio(region_mean, LIGHT):
        return DARK, LIGHT
    return LIGHT, DARK


def render_pill(lay: LabelLayout, fill, text_colour) -> Image.Image:
    """The pill alone as RGBA (transparent outside the rounded rectangle), box-sized."""
    x, y, w, h = lay.box
    pill = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(pill)
    draw.rounded_rectangle((0, 0, w - 1, h - 1), radius=h // 2, fill=(*fill, 255))
    ox, oy = lay.text_origin
    draw.text((ox - x, oy - y), lay.text, font=load_font(lay.font_path, lay.font_size), fill=(*text_colour, 255))
    return pill


def draw_label(image: Image.Image, text: str, corner: str = "bottom-right") -> tuple[Image.Image, dict]:
    """Draw the pill on an RGB image; returns (image, description)."""
    image = image.convert("RGB")
    lay = layout(image.width, image.height, text, corner)
    x, y, w, h = lay.box
    mean = np.asarray(image.crop((x, y, x + w, y + h))).reshape(-1, 3).mean(axis=0)
    fill, text_colour = colours_for(tuple(mean))
    pill = render_pill(lay, fill, text_colour)
    image.paste(pill, (x, y), pill)
    return image, {
        "text": text,
        "corner": corner,
        "box": [x, y, w, h],
        "text_height_px": lay.text_height,
        "text_height_ratio": round(lay.text_height / min(image.size), 4),
        "fill": "#{:02X}{:02X}{:02X}".format(*fill),
        "text_colour": "#{:02X}{:02X}{:02X}".format(*text_colour),
        "contrast": round(contrast_ratio(fill, text_colour), 1),
    }


def check_label(image: Image.Image, text: str, corner: str, scale: float = 1.0,
                original: tuple[int, int] | None = None) -> dict | None:
    """Compare the pixels where the pill must be with a fresh rendering of it (either colour scheme).

    scale: how much larger the file was when labelled (2.0 for a copy resized to 50%): the pill is laid out
    for the original size, rendered there, and shrunk the way the picture was before comparing.
    original: the labelled file's size when it differs from image size x scale (a copy cropped at the top
    or on the side away from the label): the pill keeps its distance from the bottom and its side.
    Returns a description when the region matches (mean difference small inside the pill, text pixels
    present), else None.
    """
    image = image.convert("RGB")
    width, height = original or (round(image.width * scale), round(image.height * scale))
    lay = layout(width, height, text, corner)
    bx, by, bw, bh = lay.box
    # what was cut away: at the top, and on the side opposite the pill's corner
    bx -= (width - image.width * scale) if corner == "bottom-right" else 0
    by -= height - image.height * scale
    x, y = round(bx / scale), round(by / scale)
    w, h = max(1, round((bx + bw) / scale) - x), max(1, round((by + bh) / scale) - y)
    if x < 0 or y < 0 or x + w > image.width or y + h > image.height or min(w, h) < 4:
        return None
    region = np.asarray(image.crop((x, y, x + w, y + h))).astype(np.int16)
    best = None
    for fill, text_colour in ((DARK, LIGHT), (LIGHT, DARK)):
        rendered = render_pill(lay, fill, text_colour)
        if scale != 1.0:
            rendered = rendered.resize((w, h), Image.LANCZOS)
        pill = np.asarray(rendered).astype(np.int16)
        inside = pill[:, :, 3] >= (255 if scale == 1.0 else 250)
        diff = np.abs(region - pill[:, :, :3]).mean(axis=2)[inside]
        mean_diff = float(diff.mean())
        close = float((diff < 40).mean())
        if best is None or mean_diff < best["mean_diff"]:
            best = {"mean_diff": round(mean_diff, 2), "match": round(close, 3), "fill": fill, "text_colour": text_colour}
    # a shrunk copy blurs the text's edges: fewer pixels within 40 levels, the mean difference stays low
    if best["mean_diff"] <= 20 and best["match"] >= (0.9 if scale <= 2 else 0.8):
        return {
            "text": text,
            "corner": corner,
            "box": [x, y, w, h],
            "scale": round(scale, 4),
            "text_height_px": round(lay.text_height / scale, 1),
            "text_height_ratio": round(lay.text_height / min(width, height), 4),
            "contrast": round(contrast_ratio(best["fill"], best["text_colour"]), 1),
            "pixel_match": best["match"],
        }
    return None
