"""Read every label back from a file, as a forensic tool: what is there, what was stripped, who made it.

Each mark reads `ok | missing | broken | stripped | unmarked | unverified`:
- `c2pa: stripped` when the manifest is gone but the XMP or the watermark shows Studio made the file;
- `watermark: unmarked` when no mark decodes with a valid check value (never a near miss);
- the visible label is searched at the sizes a resized copy implies (50%, 25%, a screenshot's 80% ...);
- the C2PA signature's trust is told apart: `trusted` (a trust anchor other readers share),
  `local development certificate` (Studio's own CA: valid, but no independent reader trusts it), or
  `untrusted signer`.
With a review queue (`db_url`) the decoded mark id is matched to its variant.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from studio.imaging.safety import open_image
from studio.labels import c2pa_manifest, metadata, watermark
from studio.labels.text import ALL_LABEL_TEXTS
from studio.labels.visible import CORNERS, check_label

Status = Literal["ok", "missing", "broken", "stripped", "unmarked", "unverified"]
MARKS = ("visible_label", "xmp", "aigc", "watermark", "c2pa")
# Sizes a copy is usually shown or re-encoded at, relative to the labelled file (1/scale of the copy).
LABEL_SCALES = (1.0, 2.0, 4.0, 1.25, 1.5, 4 / 3, 3.0)


class MarkResult(BaseModel):
    status: Status
    detail: str = ""
    data: dict = Field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class VerifyReport(BaseModel):
    file: str
    format: str
    width: int
    height: int
    variant_id: str | None = None
    mark_id: str | None = None
    made_by_studio: bool = False
    trust: str | None = None  # trusted | local_development | untrusted | None (no valid signature)
    queue: dict | None = None  # the variant the mark id names in the review queue (with --db)
    marks: dict[str, MarkResult]

    @property
    def ok(self) -> bool:
        return all(mark.ok for mark in self.marks.values())

    @property
    def problems(self) -> list[str]:
        return [f"{name}: {mark.status} ({mark.detail})" for name, mark in self.marks.items() if not mark.ok]

    def to_json(self) -> dict:
        data = self.model_dump(mode="json")
        data["ok"] = self.ok
        data["problems"] = self.problems
        for name, mark in self.marks.items():
            data["marks"][name]["ok"] = mark.ok
        return data


def _local_ca(settings) -> bytes | None:
    ca = Path(settings.data_dir) / "c2pa" / "ca.pem"
    return ca.read_bytes() if ca.is_file() else None


def _size_hypotheses(width: int, height: int) -> list[tuple[float, tuple[int, int] | None]]:
    """(scale, original size) pairs to search for the pill: the file as it is, resized copies of it, and
    copies of the channels' image sizes that were resized and/or cut at the top or on one side."""
    from studio.channels import all_channels

    found: list[tuple[float, tuple[int, int] | None]] = [(s, None) for s in LABEL_SCALES]
    sizes = {(c.image.width, c.image.height) for c in all_channels() if c.image is not None}
    for w0, h0 in sorted(sizes):
        for scale in (w0 / width, h0 / height):
            if 0.9 <= scale <= 8 and width * scale <= w0 + 1 and height * scale <= h0 + 1 \
                    and width * scale * height * scale >= 0.8 * w0 * h0:
                found.append((scale, (w0, h0)))
    return found


def _visible(image, props: dict) -> MarkResult:
    texts = [props["studio:LabelText"]] if props.get("studio:LabelText") else []
    corners = [props["studio:LabelCorner"]] if props.get("studio:LabelCorner") in CORNERS else []
    texts += [t for t in ALL_LABEL_TEXTS if t not in texts]
    corners += [c for c in CORNERS if c not in corners]
    for scale, original in _size_hypotheses(image.width, image.height):
        for text in texts:
            for corner in corners:
                found = check_label(image, text, corner, scale, original)
                if found:
                    ok = found["text_height_ratio"] >= 0.05 and found["contrast"] >= 4.5
                    where = f"'{text}' pill at {corner}"
                    if original:
                        where += f" (a copy of a {original[0]}x{original[1]} file, resized and/or cropped)"
                    elif scale != 1:
                        where += f" (file resized to {100 / scale:.0f}%)"
                    return MarkResult(status="ok" if ok else "broken",
                                      detail=where + ("" if ok else ": too small or low contrast"), data=found)
    return MarkResult(status="missing", detail="no AI label pill found in the label regions at any searched size")


def _xmp(props: dict, xmp_text: str) -> MarkResult:
    if not xmp_text:
        return MarkResult(status="missing", detail="no XMP packet")
    dst = props.get("Iptc4xmpExt:DigitalSourceType")
    if not dst:
        return MarkResult(status="missing", detail="XMP has no Iptc4xmpExt:DigitalSourceType")
    data = {"digital_source_type": dst}
    for name in ("AISystemUsed", "AISystemVersionUsed", "AIPromptInformation"):
        if props.get(f"Iptc4xmpExt:{name}"):
            data[name] = props[f"Iptc4xmpExt:{name}"]
    if props.get("plus:DataMining"):
        data["data_mining"] = props["plus:DataMining"]
    if dst not in metadata.KNOWN_SOURCE_TYPES:
        return MarkResult(status="broken", detail=f"unexpected digital source type {dst}", data=data)
    return MarkResult(status="ok", detail=dst.rsplit("/", 1)[-1], data=data)


def _aigc(props: dict, key: bytes) -> MarkResult:
    raw = props.get("TC260:AIGC")
    if not raw:
        return MarkResult(status="missing", detail="no TC260:AIGC implicit label in the XMP")
    obj, problems = metadata.validate_aigc(raw, key)
    data = {"aigc": obj}
    if problems:
        return MarkResult(status="broken", detail="; ".join(problems), data=data)
    return MarkResult(status="ok", detail=f"Label={obj['Label']}, ContentProducer={obj['ContentProducer']}", data=data)


def _watermark(image, variant_id: str | None, key: bytes) -> MarkResult:
    rgb = np.asarray(image.convert("RGB"))
    found = watermark.detect(rgb, key)
    data = found.to_json()
    if not found.marked:
        return MarkResult(status="unmarked", detail="no Studio watermark decodes with a valid check value", data=data)
    if variant_id:
        expected = watermark.mark_id_for(variant_id, key)
        data["expected"] = expected
        if found.mark_id != expected:
            return MarkResult(status="broken", detail=f"mark id {found.mark_id} names another variant than the "
                                                      f"metadata's {variant_id} ({expected})", data=data)
        return MarkResult(status="ok", detail=f"mark id {found.mark_id} = variant {variant_id}", data=data)
    return MarkResult(status="ok", detail=f"mark id {found.mark_id} (check value valid; metadata gone)", data=data)


def _trust(path: Path, settings) -> str:
    """trusted: validates against the configured trust anchors alone; local_development: only with Studio's
    own CA added; untrusted: neither."""
    if c2pa_manifest.read_manifest(path, None).trusted:
        return "trusted"
    local = _local_ca(settings)
    if local and c2pa_manifest.read_manifest(path, local).trusted:
        return "local_development"
    return "untrusted"


TRUST_TEXT = {"trusted": "trusted", "local_development": "valid signature, local development certificate "
              "(Studio's own CA: no independent reader trusts it)", "untrusted": "valid signature, signer not trusted"}


def _c2pa(path: Path, xmp_dst: str | None, studio_evidence: list[str], settings) -> tuple[MarkResult, str | None, str | None]:
    reading = c2pa_manifest.read_manifest(path, None)
    data = {k: v for k, v in reading.__dict__.items() if k != "present"}
    if not reading.present:
        if studio_evidence:
            verb = "shows" if len(studio_evidence) == 1 else "show"
            detail = f"no C2PA manifest, but {' and '.join(studio_evidence)} {verb} Studio made this file: it was removed"
            return MarkResult(status="stripped", detail=detail, data=data), None, None
        return MarkResult(status="missing", detail="no C2PA manifest", data=data), None, None
    if reading.error:
        return MarkResult(status="broken", detail=reading.error, data=data), None, None
    problems = []
    if not reading.signature_valid:
        problems.append("signature does not validate")
    if not reading.hash_matches:
        problems.append("content hash does not match: the file changed after signing")
    if reading.action != "c2pa.created":
        problems.append("no c2pa.created action")
    if xmp_dst and reading.digital_source_type and reading.digital_source_type != xmp_dst:
        problems.append("digital source type differs from the XMP")
    if problems:
        return MarkResult(status="broken", detail="; ".join(problems), data=data), reading.variant_id, None
    trust = _trust(path, settings)
    data["trust"] = trust
    detail = TRUST_TEXT[trust]
    if reading.review:
        r = reading.review
        detail += f"; approved by {r.get('approved_by')} at {r.get('approved_at')} (v{r.get('version')}, verdict {r.get('verdict')})"
    return MarkResult(status="ok", detail=detail, data=data), reading.variant_id, trust


def verify_file(path: Path | str, *, settings=None, db_url: str | None = None) -> VerifyReport:
    """Raises FileNotFoundError / ImageInputError for a missing or unreadable file."""
    if settings is None:
        from studio.config import get_settings

        settings = get_settings()
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    image = open_image(path)
    key = watermark.watermark_key(settings)
    xmp_text = metadata.read_embedded(image)["xmp"]
    props = metadata.parse_xmp(xmp_text)
    xmp_mark = _xmp(props, xmp_text)
    variant_id = props.get("studio:VariantID")
    wm_mark = _watermark(image, variant_id, key)
    evidence = []
    if props.get("studio:VariantID") or props.get("TC260:AIGC"):
        evidence.append("its XMP")
    if wm_mark.data.get("marked"):
        evidence.append("its watermark")
    c2pa_mark, c2pa_variant, trust = _c2pa(path, xmp_mark.data.get("digital_source_type"), evidence, settings)
    if variant_id is None and c2pa_variant:
        variant_id = c2pa_variant
        wm_mark = _watermark(image, variant_id, key)
    marks = {
        "visible_label": _visible(image, props),
        "xmp": xmp_mark,
        "aigc": _aigc(props, key),
        "watermark": wm_mark,
        "c2pa": c2pa_mark,
    }
    mark_id = wm_mark.data.get("mark_id")
    queue = None
    if db_url and mark_id:
        from studio.review.marks import find_variant

        queue = find_variant(db_url, mark_id, key) or {"found": False, "mark_id": mark_id}
        if queue.get("found") and not variant_id:
            variant_id = queue["variant_id"]
    return VerifyReport(file=str(path), format=image.format or "?", width=image.width, height=image.height,
                        variant_id=variant_id, mark_id=mark_id, made_by_studio=bool(evidence), trust=trust,
                        queue=queue, marks=marks)
