"""Apply every label to an image: visible pill, watermark, XMP + AIGC, then the C2PA manifest.

Order matters: pixels and metadata are final before signing, because the C2PA hash covers them.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from studio.imaging.safety import open_image
from studio.labels import c2pa_manifest, metadata, watermark
from studio.labels.text import visible_label_text
from studio.labels.visible import CORNERS, check_label, draw_label, layout

JPEG_QUALITY = 92


def _format_for(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".png":
        return "PNG"
    if suffix in (".jpg", ".jpeg"):
        return "JPEG"
    raise ValueError(f"{path}: labelled images are written as .png or .jpg, not {suffix or 'no extension'}")


def encode_with_metadata(image: Image.Image, fmt: str, xmp: str) -> bytes:
    buf = io.BytesIO()
    if fmt == "PNG":
        info = PngInfo()
        info.add_itxt(metadata.XMP_PNG_KEY, xmp, zip=False)
        image.save(buf, "PNG", pnginfo=info, compress_level=1)
    else:
        image.save(buf, "JPEG", quality=JPEG_QUALITY, xmp=xmp.encode("utf-8"))
    return buf.getvalue()


def _existing_studio_label(image: Image.Image, label_text: str) -> str | None:
    """The corner of a Studio label pill the image already carries (e.g. from render_creative), else None."""
    props = metadata.parse_xmp(metadata.read_embedded(image)["xmp"])
    corner = props.get("studio:LabelCorner")
    if props.get("studio:LabelText") == label_text and corner in CORNERS and check_label(image, label_text, corner):
        return corner
    return None


def apply_image_labels(path_in: Path, path_out: Path, *, variant_id: str, market, digital_source_type: str,
                       produce_id: str, settings, producer: str | None = None, label_corner: str | None = None,
                       iptc: dict | None = None) -> dict:
    """Label `path_in` and write `path_out` (PNG or JPEG by its suffix). Returns what was applied.

    producer: the CN label's ContentProducer (default: settings.cn_content_producer). iptc: AI system,
    prompt, creator, credit, rights and data-mining preference for the XMP (see metadata.build_xmp).
    Idempotent on Studio's own output: when the source already carries Studio's pill for this market
    (render_creative writes labelled files), the pill is not drawn twice and a watermark that already
    carries this variant's mark id is not embedded again; metadata and the C2PA manifest are rewritten
    (the old manifest is not kept: the new one describes the file as written now).
    """
    path_in, path_out = Path(path_in), Path(path_out)
    fmt = _format_for(path_out)
    if digital_source_type not in metadata.KNOWN_SOURCE_TYPES:
        raise ValueError(f"unknown digital source type {digital_source_type!r}")
    source = open_image(path_in)
    label_text = visible_label_text(market)
    existing = _existing_studio_label(source, label_text)
    image = source.convert("RGB")
    if existing and label_corner in (None, existing):
        label_corner = existing
        lay = layout(image.width, image.height, label_text, existing)
        found = check_label(image, label_text, existing) or {}
        visible = {**found, "already_present": True, "text_height_px": lay.text_height}
    else:
        label_corner = label_corner or "bottom-right"
        image, visible = draw_label(image, label_text, label_corner)
    key = watermark.watermark_key(settings)
    mark_id = watermark.mark_id_for(variant_id, key)
    pixels = np.asarray(image)
    if existing and watermark.detect(pixels, key).mark_id == mark_id:
        marked = image
    else:
        marked = Image.fromarray(watermark.embed(pixels, mark_id, key))
    aigc = metadata.aigc_object(producer=producer or settings.cn_content_producer, produce_id=produce_id, key=key)
    xmp = metadata.build_xmp(
        digital_source_type=digital_source_type,
        aigc=aigc,
        fields={"VariantID": variant_id, "LabelText": label_text, "LabelCorner": label_corner,
                "WatermarkMethod": watermark.METHOD},
        iptc=iptc,
    )
    unsigned = encode_with_metadata(marked, fmt, xmp)
    credentials = c2pa_manifest.load_credentials(settings)
    signed = c2pa_manifest.sign_bytes(
        unsigned, "image/png" if fmt == "PNG" else "image/jpeg", credentials=credentials, variant_id=variant_id,
        digital_source_type=digital_source_type, title=path_out.name,
        extra={"produce_id": produce_id, "market": str(getattr(market, "value", market))},
    )
    path_out.parent.mkdir(parents=True, exist_ok=True)
    tmp = path_out.with_name(path_out.name + ".tmp")
    tmp.write_bytes(signed)
    tmp.replace(path_out)
    return {
        "path": str(path_out),
        "format": fmt,
        "visible_label": visible,
        "xmp": {"digital_source_type": digital_source_type, **{k: v for k, v in (iptc or {}).items() if v}},
        "aigc": aigc,
        "watermark": {"method": watermark.METHOD, "mark_id": mark_id, "id_bits": watermark.ID_BYTES * 8,
                      "check_bits": watermark.CHECK_BITS},
        "c2pa": {"action": "c2pa.created", "digital_source_type": digital_source_type, "software_agent": "Studio",
                 "variant_id": variant_id, "local_certificate": credentials.local},
    }
