"""Backgrounds: the palette-driven template design, or a photo (kit asset / generated) fitted to size."""

from __future__ import annotations

from PIL import Image, ImageDraw

from studio.imaging.safety import open_image


def hex_rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def template_background(width: int, height: int, palette) -> Image.Image:
    """Diagonal gradient in the primary colour, a large secondary disc and an accent arc."""
    primary, secondary, accent = hex_rgb(palette.primary), hex_rgb(palette.secondary), hex_rgb(palette.accent)
    dark = mix(primary, (0, 0, 0), 0.35)
    # gradient: a 2x2 image resized bilinearly is a fast smooth diagonal ramp
    ramp = Image.new("RGB", (2, 2))
    ramp.putpixel((0, 0), mix(primary, (255, 255, 255), 0.08))
    ramp.putpixel((1, 0), primary)
    ramp.putpixel((0, 1), primary)
    ramp.putpixel((1, 1), dark)
    image = ramp.resize((width, height), Image.Resampling.BILINEAR)
    short = min(width, height)
    shapes = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(shapes)
    wide = width >= height * 1.4
    r = int(short * (0.55 if wide else 0.46))
    cx, cy = (int(width * 0.92), int(height * 0.62)) if wide else (int(width * 0.97), int(height * 0.84))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(*secondary, 210))
    r2 = int(short * 0.36)
    draw.ellipse((cx - r2, cy - r2, cx + r2, cy + r2), outline=(*accent, 235), width=max(2, short // 90))
    r3 = int(short * 0.12)
    dx, dy = int(width * 0.70), int(height * 0.18)
    draw.ellipse((dx - r3, dy - r3, dx + r3, dy + r3), fill=(*mix(primary, (255, 255, 255), 0.18), 120))
    image = Image.alpha_composite(image.convert("RGBA"), shapes).convert("RGB")
    return image


def cover(image: Image.Image, width: int, height: int) -> Image.Image:
    """Scale to cover width x height and centre-crop."""
    image = image.convert("RGB")
    scale = max(width / image.width, height / image.height)
    size = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    image = image.resize(size, Image.Resampling.LANCZOS)
    left, top = (image.width - width) // 2, (image.height - height) // 2
    return image.crop((left, top, left + width, top + height))


def photo_background(photo: Image.Image, width: int, height: int, palette) -> Image.Image:
    """A photo fitted to size, with a brand-coloured scrim on the text side for legible type."""
    base = cover(photo, width, height)
    primary = hex_rgb(palette.primary)
    mask = Image.linear_gradient("L").rotate(-90).resize((width, height))  # 255 at left -> 0 at right
    mask = mask.point(lambda v: int(v * 0.82))
    scrim = Image.new("RGB", (width, height), mix(primary, (0, 0, 0), 0.25))
    return Image.composite(scrim, base, mask)


def load_asset_background(path) -> Image.Image:
    return open_image(path).convert("RGB")
