"""render_creative: background (template / kit photo / diffusers / OpenAI) -> brand compositor -> labels."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from studio.accessibility.alt_text import alt_texts
from studio.images import backgrounds
from studio.images.compositor import compose
from studio.images.diffusers_backend import ImageBackendError
from studio.images.prompt import image_prompt
from studio.imaging.safety import ImageInputError
from studio.labels.metadata import COMPOSITE, TRAINED

# Without a channel, the usual names; with one, its fields by role (channels.yaml): headline, then post, then body.
HEADLINE_FIELDS = ("headline", "title", "subject", "hook", "headline_1", "post", "caption")
HEADLINE_ROLES = ("headline", "post", "body")
MAX_HEADLINE_CHARS = {"en": 90, "zh": 36}


class CreativeResult(BaseModel):
    path: Path
    width: int
    height: int
    backend: str
    model: str | None = None
    digital_source_type: str
    image_prompt: str
    seed: int | None = None
    background_asset: str | None = None
    headline: str = ""
    cta: str | None = None
    layout: dict = Field(default_factory=dict)
    labels: dict = Field(default_factory=dict)
    generation: dict = Field(default_factory=dict)
    alt_text: str = ""  # <= 125 characters, in the copy's language (studio/accessibility/alt_text.py)
    ext_description: str = ""


def _truncate(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    for stop in ("。", "！", "？", ". ", "! ", "? ", "，", ", "):
        pos = cut.rfind(stop)
        if pos >= limit // 2:
            return cut[: pos + 1].strip()
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,，、;；:") + "…"


def headline_from_copy(copy: dict[str, str], language: str = "en", channel=None) -> str:
    """The first present of the channel's headline, post and body fields (without a channel: of
    headline/title/subject/hook/headline_1/post/caption), its first line, truncated sensibly."""
    names = HEADLINE_FIELDS
    if channel is not None:
        names = tuple(f.name for role in HEADLINE_ROLES for f in channel.fields if f.role == role)
    for name in names:
        value = (copy.get(name) or "").strip()
        if value:
            first = value.splitlines()[0].strip() or value
            limit = MAX_HEADLINE_CHARS["zh" if language.startswith("zh") else "en"]
            return _truncate(first, limit)
    return ""


def _resolve_segment(kit, segment):
    if segment is None or not isinstance(segment, str):
        return segment
    try:
        return kit.segment(segment)
    except KeyError:
        return None


def _asset_path(loaded_kit, background: str | Path) -> Path:
    path = Path(background)
    if not path.is_absolute():
        path = loaded_kit.root / path
        if not path.exists() and (loaded_kit.root / "assets" / background).exists():
            path = loaded_kit.root / "assets" / background
    resolved = path.resolve()
    if not resolved.is_relative_to(loaded_kit.root.resolve()):
        raise ImageInputError(f"{background}: background images must be inside the kit folder ({loaded_kit.root})")
    return resolved


def iptc_fields(kit, *, backend: str, model: str | None, prompt: str) -> dict:
    """IPTC AI properties, creator/credit/rights from the kit, and the kit's data-mining preference."""
    from studio.labels.c2pa_manifest import studio_version

    system = {"template": "Studio template renderer", "asset": "Studio compositor (kit photo)",
              "diffusers": "diffusers pipeline", "openai": "OpenAI Images"}.get(backend, backend)
    rights = kit.rights
    return {"ai_system": system, "ai_system_version": model or f"Studio {studio_version()}",
            "ai_prompt": prompt, "creator": rights.creator or kit.name, "credit": kit.name,
            "rights": rights.copyright or f"© {date.today().year} {kit.name}. All rights reserved.",
            "data_mining": rights.data_mining}


def render_creative(loaded_kit, channel, copy: dict[str, str], *, market, brief_text: str, segment,
                    variant_id: str, out_path: Path, settings, background: str | Path | None = None) -> CreativeResult:
    """Render the channel's image for a variant and write it, fully labelled, to out_path (.png/.jpg).

    background: an image in the kit folder (e.g. "assets/hero.jpg") to use instead of a generated one.
    """
    from studio.labels import apply_image_labels, visible_label_text

    if channel.image is None:
        raise ValueError(f"channel '{channel.id}' has no image")
    kit = loaded_kit.kit
    width, height = channel.image.width, channel.image.height
    segment_obj = _resolve_segment(kit, segment)
    prompt = image_prompt(kit, segment_obj, brief_text)
    language = getattr(segment_obj, "language", None) or kit.language
    headline = headline_from_copy(copy, language, channel) or kit.name
    cta = (copy.get("cta") or "").strip() or None

    backend, model, seed, asset, generation = "template", None, None, None, {}
    if background is not None:
        path = _asset_path(loaded_kit, background)
        bg = backgrounds.photo_background(backgrounds.load_asset_background(path), width, height, kit.visual.palette)
        backend, asset, source_type = "asset", str(path.relative_to(loaded_kit.root.resolve())), COMPOSITE
    elif settings.image_backend == "diffusers":
        if not settings.diffusers_model:
            raise ImageBackendError("image_backend is 'diffusers' but STUDIO_DIFFUSERS_MODEL is not set")
        from studio.images import diffusers_backend

        picture, generation = diffusers_backend.generate(prompt, model=settings.diffusers_model, width=width,
                                                         height=height, steps=settings.image_steps,
                                                         seed=settings.image_seed)
        bg = backgrounds.photo_background(picture, width, height, kit.visual.palette)
        backend, model, seed, source_type = "diffusers", settings.diffusers_model, settings.image_seed, TRAINED
    elif settings.image_backend == "openai":
        from studio.images import openai_backend

        picture, generation = openai_backend.generate(prompt, settings=settings, width=width, height=height)
        bg = backgrounds.photo_background(picture, width, height, kit.visual.palette)
        backend, model, source_type = "openai", settings.image_model, TRAINED
    else:
        bg = backgrounds.template_background(width, height, kit.visual.palette)
        source_type = COMPOSITE

    label_text = visible_label_text(market)
    image, lay = compose(bg, loaded_kit, headline=headline, cta=cta, label_text=label_text)
    out_path = Path(out_path)
    drawn = ("" if language.startswith("zh") else " ").join(lay.headline_lines) or headline
    alt, extended = alt_texts(brand=kit.name, language=language, headline=drawn,
                              cta=cta, backend=backend, logo_placement=kit.visual.logo_placement,
                              label_text=label_text)
    iptc = {**iptc_fields(kit, backend=backend, model=model, prompt=prompt), "alt_text": alt,
            "ext_description": extended, "alt_text_language": language}
    with tempfile.TemporaryDirectory(prefix="studio-img-") as tmp:
        unlabelled = Path(tmp) / "creative.png"
        image.save(unlabelled, "PNG", compress_level=1)
        labels = apply_image_labels(unlabelled, out_path, variant_id=variant_id, market=market,
                                    digital_source_type=source_type, produce_id=variant_id, settings=settings,
                                    label_corner=lay.label_corner,
                                    iptc=iptc)
    return CreativeResult(path=out_path, width=width, height=height, backend=backend, model=model,
                          digital_source_type=source_type, image_prompt=prompt, seed=seed, background_asset=asset,
                          headline=headline, cta=cta, layout=lay.to_json(), labels=labels, generation=generation,
                          alt_text=alt, ext_description=extended)
