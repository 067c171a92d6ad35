"""WCAG 2.2 contrast of the text a creative draws, measured against the pixels behind it, and made to meet
the minimum (1.4.3: 4.5:1, or 3:1 for large text; 1.4.11: 3:1 for a logo, a graphic that identifies the brand)
by the compositor's choice of colour, then a scrim behind the text. What still falls short is reported.

"Behind it" is every pixel of the text's box before the text is drawn; the ratio reported is the one the text
has against the worst 5 % of them (a busy photo is judged by its lightest or darkest patches, not its mean).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image, ImageDraw

from studio.imaging.colour import contrast_ratio

NORMAL_TEXT = 4.5
LARGE_TEXT = 3.0
GRAPHIC = 3.0
LARGE_TEXT_PX = 24  # 18 pt at 96 dpi: WCAG's large text (bold text from 14 pt; Studio does not rely on bold)
WORST_SHARE = 5  # percentile of the background pixels the text is judged against
SCRIM_STEPS = (0.35, 0.5, 0.65, 0.8, 0.92)


@dataclass
class ContrastResult:
    element: str
    text: str
    ratio: float
    required: float
    colour: tuple[int, int, int]
    fix: str = "colour"  # colour | scrim | none (could not reach the minimum)

    @property
    def ok(self) -> bool:
        return self.ratio >= self.required

    def to_json(self) -> dict:
        return {**asdict(self), "colour": list(self.colour), "ok": bool(self.ok), "ratio": round(float(self.ratio), 2)}


def required_ratio(font_px: float) -> float:
    return LARGE_TEXT if font_px >= LARGE_TEXT_PX else NORMAL_TEXT


def _linear(channel: np.ndarray) -> np.ndarray:
    c = channel / 255.0
    return np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminances(pixels: np.ndarray) -> np.ndarray:
    rgb = pixels.reshape(-1, pixels.shape[-1])[:, :3].astype(float)
    return 0.2126 * _linear(rgb[:, 0]) + 0.7152 * _linear(rgb[:, 1]) + 0.0722 * _linear(rgb[:, 2])


def _crop(image: Image.Image, box) -> np.ndarray:
    x, y, w, h = (int(round(v)) for v in box)
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(image.width, max(x0 + 1, x + w)), min(image.height, max(y0 + 1, y + h))
    return np.asarray(image.convert("RGB").crop((x0, y0, x1, y1)))


def ratio_against(image: Image.Image, box, colour) -> float:
    """Contrast of `colour` against the worst WORST_SHARE % of the pixels in box (x, y, w, h)."""
    lum = luminances(_crop(image, box))
    lt = luminances(np.array([[colour]], dtype=float))[0]
    ratios = (np.maximum(lum, lt) + 0.05) / (np.minimum(lum, lt) + 0.05)
    return float(np.percentile(ratios, WORST_SHARE))


def best_colour(image: Image.Image, box, candidates) -> tuple[tuple[int, int, int], float]:
    scored = [(ratio_against(image, box, c), tuple(int(v) for v in c)) for c in candidates]
    ratio, colour = max(scored)
    return colour, ratio


def ensure_text_contrast(image: Image.Image, box, candidates, *, font_px: float, element: str, text: str,
                         pad: int = 0) -> ContrastResult:
    """Pick the candidate colour that reads best on what is behind `box`; if it still falls short of the
    minimum, darken (or lighten) the area behind the text with a scrim, stronger step by step. Draws the scrim
    on `image` in place; the caller draws the text in the returned colour."""
    required = required_ratio(font_px)
    aim = max(required, NORMAL_TEXT)  # large text needs 3:1; Studio aims for 4.5:1 where a scrim gets there
    colour, ratio = best_colour(image, box, candidates)
    if ratio >= aim:
        return ContrastResult(element, text, ratio, required, colour, "colour")
    unscrimmed = (colour, ratio)
    x, y, w, h = (int(round(v)) for v in box)
    area = (x - pad, y - pad, w + 2 * pad, h + 2 * pad)
    dark_text = luminances(np.array([[colour]], dtype=float))[0] < 0.18
    scrim_rgb = (255, 255, 255) if dark_text else (0, 0, 0)
    original = image.copy()
    for alpha in SCRIM_STEPS:
        image.paste(original)
        overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(overlay).rounded_rectangle((area[0], area[1], area[0] + area[2], area[1] + area[3]),
                                                  radius=max(2, pad), fill=(*scrim_rgb, int(255 * alpha)))
        image.paste(Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB"))
        colour, ratio = best_colour(image, box, candidates)
        if ratio >= aim:
            return ContrastResult(element, text, ratio, required, colour, "scrim")
    if unscrimmed[1] >= required:  # the scrim did not reach the aim; without it the minimum was met already
        image.paste(original)
        return ContrastResult(element, text, unscrimmed[1], required, unscrimmed[0], "colour")
    return ContrastResult(element, text, ratio, required, colour, "scrim" if ratio >= required else "none")


def logo_contrast(logo: Image.Image, plate_rgb) -> float:
    """Contrast of a logo's visible pixels (their median luminance) against the plate it sits on."""
    arr = np.asarray(logo.convert("RGBA"))
    visible = arr[arr[:, :, 3] > 128][:, :3]
    if visible.size == 0:
        return 21.0
    lum = float(np.median(luminances(visible[None, :, :])))
    plate = float(luminances(np.array([[plate_rgb]], dtype=float))[0])
    return (max(lum, plate) + 0.05) / (min(lum, plate) + 0.05)


def logo_plate(logo: Image.Image, candidates) -> tuple[tuple[int, int, int], float]:
    """The plate colour (of the candidates, in order of preference) that sets the logo off at least 3:1, else
    the one that sets it off best."""
    scored = [(logo_contrast(logo, c), tuple(int(v) for v in c)) for c in candidates]
    for ratio, colour in scored:
        if ratio >= GRAPHIC:
            return colour, ratio
    ratio, colour = max(scored)
    return colour, ratio


def measured_ratio(image: Image.Image, box, colour) -> float:
    """What a test measures on a rendered creative (same rule as the compositor)."""
    return ratio_against(image, box, colour)


__all__ = ["ContrastResult", "contrast_ratio", "ensure_text_contrast", "logo_plate", "logo_contrast",
           "measured_ratio", "required_ratio"]
