"""Read every label back from a file and say which are present, valid, missing or broken."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from studio.imaging.safety import open_image
from studio.labels import c2pa_manifest, metadata, watermark
from studio.labels.text import ALL_LABEL_TEXTS
from studio.labels.visible import CORNERS, check_label

Status = Literal["ok", "missing", "broken", "unverified"]
MARKS = ("visible_label", "xmp", "aigc", "watermark", "c2pa")


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


def _trust_anchors() -> bytes | None:
    """Studio's local development CA, when there is one, so its own signatures read as trusted."""
    try:
        from studio.config import get_settings

        ca = Path(get_settings().data_dir) / "c2pa" / "ca.pem"
        return ca.read_bytes() if ca.is_file() else None
    except Exception:  # noqa: BLE001 - verification must not depend on a valid settings file
        return None


def _visible(image, props: dict) -> MarkResult:
    texts = [props["studio:LabelText"]] if props.get("studio:LabelText") else []
    corners = [props["studio:LabelCorner"]] if props.get("studio:LabelCorner") in CORNERS else []
    texts += [t for t in ALL_LABEL_TEXTS if t not in texts]
    corners += [c for c in CORNERS if c not in corners]
    for text in texts:
        for corner in corners:
            found = check_label(image, text, corner)
            if found:
                ok = found["text_height_ratio"] >= 0.05 and found["contrast"] >= 4.5
                return MarkResult(status="ok" if ok else "broken",
                                  detail=f"'{text}' pill at {corner}" + ("" if ok else ": too small or low contrast"),
                                  data=found)
    return MarkResult(status="missing", detail="no AI label pill found in the expected label regions")


def _xmp(props: dict, xmp_text: str) -> MarkResult:
    if not xmp_text:
        return MarkResult(status="missing", detail="no XMP packet")
    dst = props.get("Iptc4xmpExt:DigitalSourceType")
    if not dst:
        return MarkResult(status="missing", detail="XMP has no Iptc4xmpExt:DigitalSourceType")
    if dst not in metadata.KNOWN_SOURCE_TYPES:
        return MarkResult(status="broken", detail=f"unexpected digital source type {dst}", data={"digital_source_type": dst})
    return MarkResult(status="ok", detail=dst.rsplit("/", 1)[-1], data={"digital_source_type": dst})


def _aigc(chunk: str | None, props: dict, fmt: str) -> MarkResult:
    sources = {}
    if chunk:
        sources["png_itxt"] = chunk
    if props.get("studio:AIGC"):
        sources["xmp"] = props["studio:AIGC"]
    if not sources:
        return MarkResult(status="missing", detail="no AIGC implicit label")
    results, problems = {}, []
    for where, raw in sources.items():
        obj, issues = metadata.validate_aigc(raw)
        results[where] = obj
        problems += [f"{where}: {issue}" for issue in issues]
    objs = [o for o in results.values() if o is not None]
    if len(objs) == 2 and objs[0] != objs[1]:
        problems.append("the PNG chunk and the XMP copy differ")
    if fmt == "PNG" and "png_itxt" not in sources:
        problems.append("PNG has no AIGC iTXt chunk")
    data = {"found_in": sorted(sources), "aigc": objs[0] if objs else None}
    if problems:
        return MarkResult(status="broken", detail="; ".join(problems), data=data)
    return MarkResult(status="ok", detail="Label=" + str(objs[0].get("Label")), data=data)


def _watermark(image, variant_id: str | None) -> MarkResult:
    rgb = np.asarray(image.convert("RGB"))
    if min(rgb.shape[:2]) < watermark.MIN_SIDE:
        return MarkResult(status="missing", detail="image too small to carry the watermark")
    decoded = watermark.extract(rgb)
    if not variant_id:
        return MarkResult(status="unverified", detail="no variant id in the metadata to compare the payload with",
                          data={"payload": decoded})
    expected = watermark.payload_hex(variant_id)
    errors = watermark.bit_errors(decoded, expected)
    data = {"payload": decoded, "expected": expected, "bit_errors": errors, "method": watermark.METHOD}
    if errors <= watermark.MAX_BIT_ERRORS:
        return MarkResult(status="ok", detail=f"payload {decoded} matches variant {variant_id}", data=data)
    return MarkResult(status="missing", detail=f"payload {decoded} does not match {expected} ({errors} bits differ)",
                      data=data)


def _c2pa(path: Path, xmp_dst: str | None) -> tuple[MarkResult, str | None]:
    reading = c2pa_manifest.read_manifest(path, _trust_anchors())
    data = {k: v for k, v in reading.__dict__.items() if k != "present"}
    if not reading.present:
        return MarkResult(status="missing", detail="no C2PA manifest", data=data), None
    if reading.error:
        return MarkResult(status="broken", detail=reading.error, data=data), None
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
        return MarkResult(status="broken", detail="; ".join(problems), data=data), reading.variant_id
    trust = "trusted" if reading.trusted else "signature valid, signer not on a trust list"
    return MarkResult(status="ok", detail=f"{reading.validation_state}: {trust}", data=data), reading.variant_id


def verify_file(path: Path | str) -> VerifyReport:
    """Raises FileNotFoundError / ImageInputError for a missing or unreadable file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such file")
    image = open_image(path)
    embedded = metadata.read_embedded(image)
    props = metadata.parse_xmp(embedded["xmp"])
    xmp_mark = _xmp(props, embedded["xmp"])
    c2pa_mark, c2pa_variant = _c2pa(path, xmp_mark.data.get("digital_source_type"))
    variant_id = props.get("studio:VariantID") or c2pa_variant
    marks = {
        "visible_label": _visible(image, props),
        "xmp": xmp_mark,
        "aigc": _aigc(embedded["aigc_chunk"], props, image.format),
        "watermark": _watermark(image, variant_id),
        "c2pa": c2pa_mark,
    }
    return VerifyReport(file=str(path), format=image.format or "?", width=image.width, height=image.height,
                        variant_id=variant_id, marks=marks)
