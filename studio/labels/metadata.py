"""XMP: IPTC digital source type and AI properties, rights, data-mining preference, the CN implicit label
(`TC260:AIGC`), and Studio's own fields.

The CN implicit label follows the TC260 practice guide for GB 45438-2025 file metadata: an XMP property
`AIGC` in the namespace `http://www.tc260.org.cn/ns/AIGC/1.0/` (prefix `TC260`) whose value is the JSON
object {Label, ContentProducer, ProduceID, ReservedCode1, ContentPropagator, PropagateID, ReservedCode2},
every value a string. ReservedCode1 carries Studio's integrity value for the label (an HMAC over its
fields under the watermark key, so a forged label does not verify). The XMP goes in the PNG iTXt chunk
`XML:com.adobe.xmp` or the JPEG APP1 segment; there is no second copy in a private PNG chunk (one place,
the one platforms read).
exiftool (with tests/exiftool_tc260.config for the namespace) shows `XMP-TC260:AIGC`,
`XMP-iptcExt:DigitalSourceType`, `XMP-iptcExt:AISystemUsed`, `XMP-plus:DataMining`, `XMP-dc:Creator` ...
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from html import escape, unescape

from studio.accessibility.alt_text import IPTC_CORE_NS, alt_text_xmp

IPTC_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
STUDIO_NS = "https://studio.invalid/ns/labels/1.0/"
TC260_NS = "http://www.tc260.org.cn/ns/AIGC/1.0/"
DC_NS = "http://purl.org/dc/elements/1.1/"
PHOTOSHOP_NS = "http://ns.adobe.com/photoshop/1.0/"
XMP_RIGHTS_NS = "http://ns.adobe.com/xap/1.0/rights/"
PLUS_NS = "http://ns.useplus.org/ldf/xmp/1.0/"
DST_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED = DST_BASE + "trainedAlgorithmicMedia"
COMPOSITE = DST_BASE + "compositeWithTrainedAlgorithmicMedia"
KNOWN_SOURCE_TYPES = {TRAINED, COMPOSITE, DST_BASE + "algorithmicMedia", DST_BASE + "compositeSynthetic"}
AIGC_KEYS = ("Label", "ContentProducer", "ProduceID", "ReservedCode1", "ContentPropagator", "PropagateID",
             "ReservedCode2")
XMP_PNG_KEY = "XML:com.adobe.xmp"
# PLUS data-mining vocabulary (plus:DataMining)
DATA_MINING = {
    "prohibited": "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED",
    "prohibited_ai_training": "http://ns.useplus.org/ldf/vocab/DMI-PROHIBITED-AIMLTRAINING",
    "allowed": "http://ns.useplus.org/ldf/vocab/DMI-ALLOWED",
    "unspecified": "http://ns.useplus.org/ldf/vocab/DMI-UNSPECIFIED",
}


def aigc_integrity(fields: dict, key: bytes) -> str:
    """ReservedCode1: HMAC-SHA256 (40 hex, as the guide's example length) over the producer's fields."""
    message = "\x1f".join(str(fields.get(name, "")) for name in ("Label", "ContentProducer", "ProduceID"))
    return hmac.new(key, b"tc260\0" + message.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def aigc_object(*, producer: str, produce_id: str, key: bytes | None = None, propagator: str = "",
                propagate_id: str = "", reserved2: str = "") -> dict:
    """The implicit label of 人工智能生成合成内容标识办法 / GB 45438-2025 (Label "1" = AI-generated)."""
    obj = {"Label": "1", "ContentProducer": producer, "ProduceID": produce_id, "ReservedCode1": "",
           "ContentPropagator": propagator, "PropagateID": propagate_id, "ReservedCode2": reserved2}
    if key is not None:
        obj["ReservedCode1"] = aigc_integrity(obj, key)
    return obj


def with_propagator(xmp: str, *, propagator: str, propagate_id: str, key: bytes) -> str:
    """The packet with the CN label's propagator fields filled in (on export, when Studio distributes the
    file); ReservedCode2 = keyed HMAC over them, as ReservedCode1 is over the producer's."""
    match = re.search(r"<TC260:AIGC>([^<]*)</TC260:AIGC>", xmp)
    if not match:
        raise ValueError("the XMP has no TC260:AIGC label to add the propagator to")
    obj = json.loads(unescape(match.group(1)))
    obj["ContentPropagator"], obj["PropagateID"] = propagator, propagate_id
    message = "\x1f".join((propagator, propagate_id, obj.get("ProduceID", "")))
    obj["ReservedCode2"] = hmac.new(key, b"tc260-propagate\0" + message.encode("utf-8"), hashlib.sha256).hexdigest()[:40]
    return xmp[:match.start(1)] + escape(aigc_json(obj), quote=False) + xmp[match.end(1):]


def aigc_json(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _attr(prefix: str, name: str, value) -> str:
    return f'\n   {prefix}:{name}="{escape(str(value), quote=True)}"'


def build_xmp(*, digital_source_type: str, aigc: dict, fields: dict[str, str], iptc: dict | None = None) -> str:
    """The XMP packet. `iptc` (all optional): ai_system, ai_system_version, ai_prompt, creator, credit,
    rights, data_mining (a DATA_MINING key)."""
    iptc = iptc or {}
    attrs = _attr("Iptc4xmpExt", "DigitalSourceType", digital_source_type)
    for key, name in (("ai_system", "AISystemUsed"), ("ai_system_version", "AISystemVersionUsed"),
                      ("ai_prompt", "AIPromptInformation")):
        if iptc.get(key):
            attrs += _attr("Iptc4xmpExt", name, iptc[key])
    if iptc.get("credit"):
        attrs += _attr("photoshop", "Credit", iptc["credit"])
    if iptc.get("rights"):
        attrs += _attr("xmpRights", "Marked", "True")
    attrs += "".join(_attr("studio", name, value) for name, value in fields.items())
    elements = f"   <TC260:AIGC>{escape(aigc_json(aigc), quote=False)}</TC260:AIGC>\n"
    if iptc.get("creator"):
        elements += f"   <dc:creator><rdf:Seq><rdf:li>{escape(iptc['creator'])}</rdf:li></rdf:Seq></dc:creator>\n"
    if iptc.get("rights"):
        elements += (f'   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{escape(iptc["rights"])}</rdf:li>'
                     "</rdf:Alt></dc:rights>\n")
    if iptc.get("data_mining"):
        elements += f"   <plus:DataMining>{DATA_MINING[iptc['data_mining']]}</plus:DataMining>\n"
    elements += alt_text_xmp(iptc)  # IPTC accessibility: alt_text, ext_description (studio/accessibility)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        f'   xmlns:Iptc4xmpExt="{IPTC_NS}"\n'
        f'   xmlns:TC260="{TC260_NS}"\n'
        f'   xmlns:dc="{DC_NS}"\n'
        f'   xmlns:photoshop="{PHOTOSHOP_NS}"\n'
        f'   xmlns:xmpRights="{XMP_RIGHTS_NS}"\n'
        f'   xmlns:plus="{PLUS_NS}"\n'
        f'   xmlns:Iptc4xmpCore="{IPTC_CORE_NS}"\n'
        f'   xmlns:studio="{STUDIO_NS}"'
        f"{attrs}>\n"
        f"{elements}"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    )


def parse_xmp(xmp: str) -> dict:
    """Properties of the packet as {prefix:name: value} (attribute or simple element form)."""
    if not xmp:
        return {}
    props: dict[str, str] = {}
    for name, value in re.findall(r'([A-Za-z][\w.-]*:[\w.-]+)\s*=\s*"([^"]*)"', xmp):
        if not name.startswith(("xmlns:", "rdf:", "x:", "xml:")):
            props[name] = unescape(value)
    for name, value in re.findall(r"<([A-Za-z][\w.-]*:[\w.-]+)>([^<]*)</\1>", xmp):
        if not name.startswith(("rdf:", "x:")):
            props.setdefault(name, unescape(value))
    return props


def read_embedded(image) -> dict:
    """XMP text from an opened Pillow image (PNG iTXt chunk or JPEG APP1)."""
    info = image.info or {}
    xmp = info.get(XMP_PNG_KEY) or info.get("xmp") or ""
    if isinstance(xmp, bytes):
        xmp = xmp.decode("utf-8", "replace")
    return {"xmp": xmp}


def validate_aigc(raw: str | None, key: bytes | None = None) -> tuple[dict | None, list[str]]:
    """(object, problems) for a TC260:AIGC JSON text; with the key, ReservedCode1 is checked too."""
    if not raw:
        return None, ["absent"]
    try:
        obj = json.loads(raw)
    except ValueError:
        return None, ["not valid JSON"]
    if not isinstance(obj, dict):
        return None, ["not a JSON object"]
    problems = [f"missing {key}" for key in AIGC_KEYS if key not in obj]
    problems += [f"{name} is not a string" for name in AIGC_KEYS if name in obj and not isinstance(obj[name], str)]
    if obj.get("Label") not in ("1", "2", "3"):
        problems.append(f"Label is {obj.get('Label')!r}, expected \"1\", \"2\" or \"3\"")
    if key is not None and not problems and obj.get("ReservedCode1") != aigc_integrity(obj, key):
        problems.append("ReservedCode1 does not match the label's fields under this installation's key "
                        "(changed, forged, or labelled by another installation)")
    return obj, problems
