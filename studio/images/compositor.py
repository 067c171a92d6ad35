"""The brand compositor: logo in the kit's placement, headline and CTA in the kit's fonts, safe margins.

Every backend's picture goes through here, so a template creative, a diffusion picture and an
uploaded photo get the same brand layer. The visible AI label is drawn later by the label step, in
the bottom corner this layout keeps free for it (`label_corner`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from studio.images.backgrounds import hex_rgb, mix
from studio.images.contrast import ensure_text_contrast, logo_plate, required_ratio
from studio.images.text_layout import fit
from studio.imaging.colour import contrast_ratio
from studio.imaging.fonts import load_font, pick_font_path
from studio.imaging.safety import open_image
from studio.labels.visible import layout as label_layout

SAFE_MARGIN = 0.06  # of the shorter side


@dataclass
class Layout:
    width: int
    height: int
    margin: int
    label_corner: str
    logo_box: tuple[int, int, int, int] | None = None  # x, y, w, h of the logo itself
    logo_plate: tuple[int, int, int, int] | None = None
    headline_box: tuple[int, int, int, int] | None = None
    headline_lines: list[str] = field(default_factory=list)
    headline_font: str | None = None
    headline_size: int | None = None
    cta_box: tuple[int, int, int, int] | None = None
    label_box: tuple[int, int, int, int] | None = None
    contrast: list[dict] = field(default_factory=list)  # WCAG ratio of each text and the logo (images/contrast.py)

    def to_json(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def label_corner_for(logo_placement: str) -> str:
    return "bottom-left" if logo_placement == "bottom-right" else "bottom-right"


def _best_text_colour(background_rgb, candidates) -> tuple[int, int, int]:
    return max(candidates, key=lambda c: contrast_ratio(background_rgb, c))


def _region_mean(image: Image.Image, box) -> tuple[float, float, float]:
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, y0 = max(0, x0), max(0, y0)
    x1, y1 = min(image.width, max(x0 + 1, x1)), min(image.height, max(y0 + 1, y1))
    arr = np.asarray(image.crop((x0, y0, x1, y1))).reshape(-1, 3)
    return tuple(arr.mean(axis=0))


def compose(background: Image.Image, loaded_kit, *, headline: str, cta: str | None, label_text: str) -> tuple[Image.Image, Layout]:
    kit = loaded_kit.kit
    palette = kit.visual.palette
    image = background.convert("RGB").copy()
    width, height = image.size
    short = min(width, height)
    margin = round(short * SAFE_MARGIN)
    placement = kit.visual.logo_placement
    corner = label_corner_for(placement)
    lay = Layout(width, height, margin, corner)
    draw = ImageDraw.Draw(image)

    # --- logo on a light plate, in the kit's placement
    logo = open_image(loaded_kit.logo_path, max_side=4096).convert("RGBA")
    max_h, max_w = short * 0.12, width * 0.28
    scale = min(max_h / logo.height, max_w / logo.width)
    logo = logo.resize((max(1, round(logo.width * scale)), max(1, round(logo.height * scale))), Image.Resampling.LANCZOS)
    pad = round(short * 0.018)
    plate_w, plate_h = logo.width + 2 * pad, logo.height + 2 * pad
    horizontal, vertical = placement.split("-")[1], placement.split("-")[0]
    px = {"left": margin, "right": width - margin - plate_w, "center": (width - plate_w) // 2}[horizontal]
    py = margin if vertical == "top" else height - margin - plate_h
    # the plate sets the logo off at least 3:1 (a light logo gets the kit's dark tone)
    plate_fill, logo_ratio = logo_plate(logo, [hex_rgb(palette.background), hex_rgb(palette.text), (255, 255, 255),
                                               (17, 17, 17)])
    lay.contrast.append({"element": "logo", "text": kit.name, "ratio": round(logo_ratio, 2), "required": 3.0,
                         "ok": logo_ratio >= 3.0, "fix": "plate", "colour": list(plate_fill)})
    draw.rounded_rectangle((px, py, px + plate_w - 1, py + plate_h - 1), radius=pad, fill=plate_fill)
    image.paste(logo, (px + pad, py + pad), logo)
    lay.logo_box = (px + pad, py + pad, logo.width, logo.height)
    lay.logo_plate = (px, py, plate_w, plate_h)

    # --- the label's reserved corner (drawn by the label step)
    lab = label_layout(width, height, label_text, corner)
    lay.label_box = lab.box
    gap = round(short * 0.035)
    top = margin + (plate_h + gap if vertical == "top" else 0)
    bottom_reserved = max(lab.box[3], plate_h if vertical == "bottom" else 0)
    bottom = height - margin - bottom_reserved - gap
    centered = horizontal == "center"
    text_w = width - 2 * margin if width <= height else int(width * 0.62) - margin

    # --- CTA button size first, so the headline gets what is left
    cta_size = max(12, round(short * 0.042))
    cta_font_path = pick_font_path(cta or "", loaded_kit.asset(kit.visual.fonts.body or kit.visual.fonts.headline))
    cta_h = 0
    cta_text = None
    if cta:
        cta_text = " ".join(cta.split())
        cta_fitted = fit(cta_text, cta_font_path, max_width=text_w - 2 * cta_size, max_height=int(cta_size * 1.3),
                         max_size=cta_size, min_size=max(10, cta_size // 2), max_lines=1)
        cta_text, cta_size = cta_fitted.lines[0], cta_fitted.size
        cta_h = round(cta_size * 2.3)
    head_font_path = pick_font_path(headline, loaded_kit.asset(kit.visual.fonts.headline))
    avail_h = max(short * 0.1, bottom - top - (cta_h + gap if cta_h else 0))
    fitted = fit(headline, head_font_path, max_width=text_w, max_height=int(avail_h),
                 max_size=round(short * 0.105), min_size=max(12, round(short * 0.045)),
                 max_lines=4 if height > width else 3)
    block_h = fitted.height + (gap + cta_h if cta_h else 0)
    y = top + max(0, (bottom - top - block_h) // 2)

    # headline colour: the palette's light or dark tone, whichever reads best on what is behind it
    x_left = (width - fitted.width) // 2 if centered else margin
    under = _region_mean(image, (x_left, y, x_left + fitted.width, y + fitted.height))
    light, dark = hex_rgb(palette.background), hex_rgb(palette.text)
    checked = ensure_text_contrast(image, (x_left, y, fitted.width, fitted.height),
                                   [light, dark, (255, 255, 255), (17, 17, 17)], font_px=fitted.size,
                                   element="headline", text=headline, pad=round(short * 0.015))
    colour = checked.colour
    lay.contrast.append(checked.to_json())
    font = load_font(str(fitted.font_path), fitted.size)
    for i, line in enumerate(fitted.lines):
        lw = font.getlength(line)
        lx = (width - lw) / 2 if centered else margin
        draw.text((lx, y + i * fitted.line_height), line, font=font, fill=colour)
    lay.headline_box = (x_left, y, fitted.width, fitted.height)
    lay.headline_lines = fitted.lines
    lay.headline_font = str(fitted.font_path)
    lay.headline_size = fitted.size

    if cta_text:
        cy = y + fitted.height + gap
        cfont = load_font(str(cta_font_path), cta_size)
        tw = cfont.getlength(cta_text)
        bw = int(tw + 2 * cta_size)
        bx = (width - bw) // 2 if centered else margin
        accent = hex_rgb(palette.accent)
        if contrast_ratio(accent, under) < 1.6:
            accent = mix(accent, (0, 0, 0), 0.3)
        tcol = _best_text_colour(accent, [(255, 255, 255), (17, 17, 17)])
        while contrast_ratio(accent, tcol) < required_ratio(cta_size):  # a mid-tone accent: deepen it
            accent = mix(accent, (0, 0, 0), 0.15)
            tcol = _best_text_colour(accent, [(255, 255, 255), (17, 17, 17)])
        draw.rounded_rectangle((bx, cy, bx + bw, cy + cta_h), radius=cta_h // 2, fill=accent)
        ratio = contrast_ratio(accent, tcol)
        lay.contrast.append({"element": "cta", "text": cta_text, "ratio": round(ratio, 2),
                             "required": required_ratio(cta_size), "ok": ratio >= required_ratio(cta_size),
                             "fix": "colour", "colour": list(tcol)})
        box = cfont.getbbox(cta_text)
        draw.text((bx + (bw - tw) / 2, cy + (cta_h - (box[3] + box[1])) / 2), cta_text, font=cfont, fill=tcol)
        lay.cta_box = (bx, cy, bw, cta_h)
    return image, lay
