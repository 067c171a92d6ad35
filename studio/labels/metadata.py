"""XMP (IPTC digital source type + Studio fields + the CN `AIGC` object) and the PNG `AIGC` iTXt chunk.

PNG: XMP in the standard iTXt chunk `XML:com.adobe.xmp`, and the AIGC JSON in an iTXt chunk keyed
`AIGC`. JPEG: XMP in the APP1 segment (the AIGC JSON is inside the XMP as `studio:AIGC`).
exiftool shows them as `XMP-iptcExt:DigitalSourceType`, `XMP-studio:AIGC` and `PNG:AIGC`.
"""

from __future__ import annotations

import json
import re
from html import escape, unescape

IPTC_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
STUDIO_NS = "https://studio.invalid/ns/labels/1.0/"
DST_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = DST_BASE + "trainedAlgorithmicMedia"
COMPOSITE = DST_BASE + "compositeWithTrainedAlgorithmicMedia"
KNOWN_SOURCE_TYPES = {TRAINED, COMPOSITE, DST_BASE + "algorithmicMedia", DST_BASE + "compositeSynthetic"}
AIGC_KEYS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
             "ReservedCode2")
XMP_PNG_KEY = "XML:com.adobe.xmp"


def aigc_object(*, producer: str, produce_id: str, reserved1: str = "", propagator: str = "",
                propagate_id: str = "", reserved2: str = "") -> dict:
    """The implicit label of 人工智能生成合成内容标识办法 / GB 45438-2025 (Label "1" = AI-generated)."""
    return {
        "Label": "1",
        "ContentProducer": producer,
        "ProduceID": produce_id,
        "ReservedCode1": reserved1,
        "ContentPropagator": propagator,
        "PropagateID": propagate_id,
        "ReservedCode2": reserved2,
    }


def aigc_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def build_xmp(*, digital_source_type: str, aigc: dict, fields: dict[str, str]) -> str:
    attrs = "".join(f'\n   studio:{name}="{escape(str(value), quote=True)}"' for name, value in fields.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        f'   xmlns:Iptc4xmpExt="{IPTC_NS}"\n'
        f'   xmlns:studio="{STUDIO_NS}"\n'
        f'   Iptc4xmpExt:DigitalSourceType="{escape(digital_source_type, quote=True)}"\n'
        f'   studio:AIGC="{escape(aigc_json(aigc), quote=True)}"'
        f"{attrs}/>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def parse_xmp(xmp: str) -> dict:
    """Properties of the packet as {prefix:name: value} (attribute or element form)."""
    if not xmp:
        return {}
    props: dict[str, str] = {}
    for name, value in re.findall(r'([A-Za-z][\w.-]*:[\w.-]+)\s*=\s*"([^"]*)"', xmp):
        if not name.startswith(("xmlns:", "rdf:", "x:")):
            props[name] = unescape(value)
    for name, value in re.findall(r"<([A-Za-z][\w.-]*:[\w.-]+)>([^<]*)</\1>", xmp):
        if not name.startswith(("rdf:", "x:")):
            props.setdefault(name, unescape(value))
    return props


def read_embedded(image) -> dict:
    """XMP text and the AIGC chunk from an opened Pillow image (PNG text chunks or JPEG APP1)."""
    info = image.info or {}
    xmp = info.get(XMP_PNG_KEY) or info.get("xmp") or ""
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    aigc_chunk = info.get("AIGC")
    return {"xmp": xmp, "aigc_chunk": aigc_chunk}


def validate_aigc(raw: str | None) -> tuple[dict | None, list[str]]:
    """(object, problems) for an AIGC JSON text."""
    if not raw:
        return None, ["absent"]
    try:
        obj = json.loads(raw)
    except ValueError:
        return None, ["not valid JSON"]
    if not isinstance(obj, dict):
        return None, ["not a JSON object"]
    problems = [f"missing {key}" for key in AIGC_KEYS if key not in obj]
    if obj.get("Label") not in ("1", "2", "3", 1, 2, 3):
        problems.append(f"Label is {obj.get('Label')!r}, expected 1, 2 or 3")
    return obj, problems
