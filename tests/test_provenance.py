"""Provenance that survives the real world (issue 16), read back by independent readers: exiftool, a plain
XML parser, c2pa's own Reader; the watermark after each platform transformation; `studio verify` as a
forensic tool on stripped, resized and re-encoded copies; the approval signed into the exported file."""

from __future__ import annotations

import ast
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.channels import get_channel
from studio.images import render_creative
from studio.labels import verify_file, watermark
from studio.labels.c2pa_manifest import create_local_credentials, load_credentials, sign_approval
from studio.labels.command import run_verify_command
from studio.labels.metadata import AIGC_KEYS, TC260_NS
from studio.labels.platform_transforms import TRANSFORMS

from .image_fixtures import load_sample_kit, make_settings

REPO = Path(__file__).resolve().parents[1]
EXIFTOOL_CONFIG = Path(__file__).with_name("exiftool_tc260.config")
PRODUCER = "0011" + "91110108MA01AAAA0X" + "00001"  # '001' + '1' + an 18-character credit code + product no.


def exiftool(path: Path, *tags: str) -> dict:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.fail("exiftool is not installed (Debian package libimage-exiftool-perl)")
    out = subprocess.run([exe, "-config", str(EXIFTOOL_CONFIG), "-j", "-G1", "-a", *tags, str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def c2pa_store(path: Path) -> dict:
    import c2pa

    with open(path, "rb") as fh, c2pa.Reader("image/png", fh) as reader:
        return json.loads(reader.json())


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return make_settings(tmp_path_factory.mktemp("provenance-data"), cn_content_producer=PRODUCER)


@pytest.fixture(scope="module")
def creatives(tmp_path_factory, settings) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("provenance")
    files = {}
    for kit_id, market, copy in [("northpeak", "US", {"headline": "Rain-tested, repair-ready", "cta": "Shop now"}),
                                 ("chayuan", "CN", {"title": "明前龙井，春茶上新", "cta": "立即品尝"})]:
        result = render_creative(load_sample_kit(kit_id), get_channel("instagram"), copy, market=market,
                                 brief_text="spring", segment=None, variant_id=f"{kit_id}-prov-1",
                                 out_path=out / f"{kit_id}.png", settings=settings)
        files[kit_id] = result.path
    return files


# --------------------------------------------------------------------------- one import direction


def _studio_imports(folder: Path) -> set[str]:
    found = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_labels_never_import_images_and_shared_helpers_import_neither():
    labels = _studio_imports(REPO / "studio" / "labels")
    assert not [m for m in labels if m.startswith("studio.images")], "studio.labels imports studio.images"
    imaging = _studio_imports(REPO / "studio" / "imaging")
    assert not [m for m in imaging if m.startswith(("studio.images", "studio.labels"))]


# --------------------------------------------------------------------------- CN implicit label, IPTC, rights


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
def test_cn_label_is_tc260_aigc_in_xmp_read_by_exiftool_and_an_xml_parser(creatives, settings, kit_id):
    tags = exiftool(creatives[kit_id])
    aigc = json.loads(tags["XMP-TC260:AIGC"])
    assert list(aigc) == list(AIGC_KEYS) and all(isinstance(v, str) for v in aigc.values())
    assert aigc["Label"] == "1" and aigc["ProduceID"] == f"{kit_id}-prov-1"
    assert aigc["ContentProducer"] == PRODUCER  # the provider's code from settings, not "Studio/<kit>"
    assert len(aigc["ReservedCode1"]) == 40  # keyed integrity value over the label's fields
    assert not [k for k in tags if k.upper() == "PNG:AIGC"]  # one place: the XMP

    xmp = Image.open(creatives[kit_id]).info["XML:com.adobe.xmp"]
    root = ET.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("</x:xmpmeta>") + len("</x:xmpmeta>")])
    element = root.find(f".//{{{TC260_NS}}}AIGC")
    assert element is not None and json.loads(element.text) == aigc


def test_sample_kits_carry_a_clear_placeholder_producer_code(tmp_path):
    from studio.config import Settings

    assert "NOT-SET" in Settings(data_dir=tmp_path).cn_content_producer


@pytest.mark.parametrize("kit_id,name", [("northpeak", "Northpeak"), ("chayuan", "茶园里")])
def test_iptc_ai_properties_rights_and_data_mining_read_by_exiftool(creatives, kit_id, name):
    tags = exiftool(creatives[kit_id])
    assert tags["XMP-iptcExt:AISystemUsed"] == "Studio template renderer"
    assert tags["XMP-iptcExt:AISystemVersionUsed"].startswith("Studio ")
    assert "spring" in tags["XMP-iptcExt:AIPromptInformation"]
    assert name in tags["XMP-dc:Creator"] and name in tags["XMP-photoshop:Credit"] and name in tags["XMP-dc:Rights"]
    assert tags["XMP-plus:DataMining"].endswith("DMI-PROHIBITED")  # the default: not allowed


def test_a_changed_cn_label_no_longer_verifies(creatives, settings, tmp_path):
    data = creatives["chayuan"].read_bytes()
    xmp = Image.open(creatives["chayuan"]).info["XML:com.adobe.xmp"]
    forged_xmp = xmp.replace("chayuan-prov-1", "chayuan-prov-9")
    image = Image.open(io.BytesIO(data)).convert("RGB")
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("XML:com.adobe.xmp", forged_xmp, zip=False)
    image.save(tmp_path / "forged.png", pnginfo=info)
    report = verify_file(tmp_path / "forged.png", settings=settings)
    assert report.marks["aigc"].status == "broken" and "ReservedCode1" in report.marks["aigc"].detail


# --------------------------------------------------------------------------- watermark


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
def test_watermark_id_survives_each_platform_transformation(creatives, settings, transform, tmp_path):
    key = watermark.watermark_key(settings)
    for kit_id, path in creatives.items():
        copy = TRANSFORMS[transform](Image.open(path))
        found = watermark.detect(np.asarray(copy.convert("RGB")), key)
        assert found.marked, (kit_id, transform, found.to_json())
        assert found.mark_id == watermark.mark_id_for(f"{kit_id}-prov-1", key)
    # with another key the same file reads as unmarked, never as a near miss
    assert not watermark.detect(np.asarray(copy.convert("RGB")), b"another key" * 3).marked


def test_unmarked_pictures_read_as_unmarked_after_every_transformation(settings):
    from sklearn.datasets import load_sample_images

    key = watermark.watermark_key(settings)
    rng = np.random.default_rng(7)
    pictures = [Image.fromarray(a) for a in load_sample_images().images]
    pictures.append(Image.fromarray((rng.random((700, 900, 3)) * 255).astype(np.uint8)))
    pictures.append(Image.new("RGB", (1080, 1080), (246, 244, 236)))
    for picture in pictures:
        for name, transform in TRANSFORMS.items():
            found = watermark.detect(np.asarray(transform(picture)), key)
            assert not found.marked, (name, found.to_json())


def test_watermark_keeps_the_picture_close_to_the_original(settings):
    from sklearn.datasets import load_sample_images

    key = watermark.watermark_key(settings)
    photo = load_sample_images().images[0]
    marked = watermark.embed(photo, "0123456789abcdef", key)
    mse = ((marked.astype(float) - photo) ** 2).mean()
    assert 10 * np.log10(255 ** 2 / mse) > 33  # texture-masked: stronger in busy areas, weak on flat ones
    flat = np.full((600, 600, 3), 240, np.uint8)
    assert np.abs(watermark.embed(flat, "0123456789abcdef", key).astype(int) - 240).max() <= 3


def test_mark_ids_are_keyed_and_malformed_ids_refused(settings):
    key = watermark.watermark_key(settings)
    assert watermark.mark_id_for("v-1", key) != watermark.mark_id_for("v-1", b"other" * 8)
    assert len(watermark.mark_id_for("v-1", key)) == 16
    with pytest.raises(ValueError, match="16 hex"):
        watermark.encode_payload("abc", key)


# --------------------------------------------------------------------------- verify as a forensic tool


def test_verify_says_stripped_when_the_manifest_is_gone(creatives, settings, tmp_path, capsys, monkeypatch):
    stripped = tmp_path / "stripped.png"
    Image.open(creatives["chayuan"]).convert("RGB").save(stripped)  # re-encoding drops XMP and C2PA
    report = verify_file(stripped, settings=settings)
    assert report.marks["c2pa"].status == "stripped" and "watermark" in report.marks["c2pa"].detail
    assert report.marks["watermark"].ok and report.mark_id == watermark.mark_id_for("chayuan-prov-1",
                                                                                  watermark.watermark_key(settings))
    assert report.made_by_studio and report.marks["visible_label"].ok

    monkeypatch.setenv("STUDIO_DATA_DIR", str(settings.data_dir))
    from studio import config

    config.get_settings.cache_clear()
    assert run_verify_command(str(stripped), as_json=True) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["marks"]["c2pa"]["status"] == "stripped" and doc["made_by_studio"] is True
    assert doc["mark_id"] == report.mark_id


def test_a_random_png_is_not_called_stripped(settings, tmp_path):
    rng = np.random.default_rng(2)
    Image.fromarray((rng.random((600, 600, 3)) * 255).astype(np.uint8)).save(tmp_path / "random.png")
    report = verify_file(tmp_path / "random.png", settings=settings)
    assert report.marks["c2pa"].status == "missing" and report.marks["watermark"].status == "unmarked"
    assert report.made_by_studio is False and report.mark_id is None


@pytest.mark.parametrize("transform", ["resize_50", "resize_25", "crop_10_top", "crop_10_left"])
def test_verify_finds_the_visible_label_on_resized_and_cropped_copies(creatives, settings, tmp_path, transform):
    for kit_id, path in creatives.items():
        copy = tmp_path / f"{kit_id}-{transform}.jpg"
        TRANSFORMS[transform](Image.open(path)).save(copy, quality=85)
        report = verify_file(copy, settings=settings)
        assert report.marks["visible_label"].ok, (kit_id, report.marks["visible_label"].detail)
        assert report.marks["visible_label"].data["text_height_ratio"] >= 0.05
        assert report.marks["watermark"].ok
    if transform == "resize_50":
        assert "50%" in report.marks["visible_label"].detail


def test_verify_tells_a_local_development_certificate_from_trusted(creatives, settings, tmp_path):
    report = verify_file(creatives["northpeak"], settings=settings)
    assert report.ok, report.problems
    assert report.trust == "local_development"
    assert "local development certificate" in report.marks["c2pa"].detail
    assert "trusted" != report.marks["c2pa"].detail
    # c2pa's own Reader, without Studio's CA, does not trust it either
    store = c2pa_store(creatives["northpeak"])
    codes = [f["code"] for f in store["validation_results"]["activeManifest"]["failure"]]
    assert codes == ["signingCredential.untrusted"]

    # an organisation's certificate that is not Studio's local CA: valid signature, untrusted signer
    creds_dir = tmp_path / "org-ca"
    create_local_credentials(creds_dir)
    org = make_settings(tmp_path / "org-data", c2pa_cert=creds_dir / "chain.pem", c2pa_key=creds_dir / "signer.key")
    from studio.labels import apply_image_labels

    Image.new("RGB", (512, 512), (90, 140, 200)).save(tmp_path / "in.png")
    apply_image_labels(tmp_path / "in.png", tmp_path / "org.png", variant_id="org-1", market="EU",
                       digital_source_type="http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia",
                       produce_id="org-1", settings=org)
    assert verify_file(tmp_path / "org.png", settings=org).trust == "untrusted"


def test_verify_matches_the_mark_id_in_the_review_queue(creatives, settings, tmp_path, capsys):
    from studio.review.db import session_scope
    from studio.review.models import GenerationRequest, Variant

    url = f"sqlite:///{tmp_path / 'queue.db'}"
    with session_scope(url) as session:
        session.add(GenerationRequest(id="req-1", idempotency_key="k", kit="chayuan", segment="s", channels=["instagram"],
                                      market="CN", brief={}, created_by="alice"))
        session.flush()
        for slot, vid in enumerate(["chayuan-other", "chayuan-prov-1"]):
            session.add(Variant(id=vid, request_id="req-1", kit="chayuan", segment="s", channel="instagram",
                                market="CN", slot=slot, status="approved", current_version=2))
    stripped = tmp_path / "copy.jpg"
    TRANSFORMS["screenshot"](Image.open(creatives["chayuan"])).save(stripped, quality=80)
    report = verify_file(stripped, settings=settings, db_url=url)
    assert report.queue == {"found": True, "mark_id": report.mark_id, "variant_id": "chayuan-prov-1",
                            "status": "approved", "version": 2, "kit": "chayuan", "channel": "instagram"}
    assert report.variant_id == "chayuan-prov-1"
    other = verify_file(creatives["northpeak"], settings=settings, db_url=url)
    assert other.queue == {"found": False, "mark_id": other.mark_id}


# --------------------------------------------------------------------------- the approval signed into the file


def _approval(path: Path, settings, tmp_path: Path) -> Path:
    review = {"variant_id": "northpeak-prov-1", "version": 2, "approved_by": "rita",
              "approved_at": "2026-11-30T04:00:00+00:00", "verdict": "pass", "override_reason": None}
    logo = load_sample_kit("northpeak").logo_path
    out = tmp_path / "approved.png"
    out.write_bytes(sign_approval(path, credentials=load_credentials(settings), review=review,
                                  title="approved.png", components={"logo": logo}))
    return out


def test_approval_manifest_has_the_generated_manifest_as_ingredient_and_the_review(creatives, settings, tmp_path):
    approved = _approval(creatives["northpeak"], settings, tmp_path)
    store = c2pa_store(approved)
    assert store["validation_state"] == "Valid"
    active = store["manifests"][store["active_manifest"]]
    parents = [i for i in active["ingredients"] if i["relationship"] == "parentOf"]
    original = c2pa_store(creatives["northpeak"])["active_manifest"]
    assert len(parents) == 1 and parents[0]["active_manifest"] == original
    assert [i["title"] for i in active["ingredients"] if i["relationship"] == "componentOf"] == ["logo: logo.png"]
    actions = [a for x in active["assertions"] if x["label"].startswith("c2pa.actions") for a in x["data"]["actions"]]
    published = next(a for a in actions if a["action"] == "c2pa.published")
    assert published["parameters"]["reviewer"] == "rita" and published["parameters"]["version"] == 2
    assert published["parameters"]["verdict"] == "pass" and published["when"] == "2026-11-30T04:00:00+00:00"
    mining = next(x for x in active["assertions"] if x["label"] == "cawg.training-mining")
    assert {e["use"] for e in mining["data"]["entries"].values()} == {"notAllowed"}

    report = verify_file(approved, settings=settings)
    assert report.ok, report.problems
    assert "approved by rita" in report.marks["c2pa"].detail and report.variant_id == "northpeak-prov-1"
    # pixels and XMP unchanged: exiftool still sees the CN label
    assert json.loads(exiftool(approved)["XMP-TC260:AIGC"])["ProduceID"] == "northpeak-prov-1"


def _replace_in_c2pa_chunk(png: bytes, old: bytes, new: bytes) -> bytes:
    """Edit the manifest store (PNG chunk caBX) and fix the chunk's CRC, so the PNG itself stays valid."""
    import struct
    import zlib

    out, pos = [png[:8]], 8
    while pos < len(png):
        length = struct.unpack(">I", png[pos:pos + 4])[0]
        kind, body = png[pos + 4:pos + 8], png[pos + 8:pos + 8 + length]
        if kind == b"caBX":
            body = body.replace(old, new)
        out.append(struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body)))
        pos += 12 + length
    return b"".join(out)


def test_a_tampered_approval_fails_validation(creatives, settings, tmp_path):
    approved = _approval(creatives["northpeak"], settings, tmp_path)
    data = approved.read_bytes()
    assert data.count(b"rita") >= 1
    tampered = tmp_path / "tampered.png"
    tampered.write_bytes(_replace_in_c2pa_chunk(data, b"rita", b"mala"))  # only the claimed reviewer changes
    store = c2pa_store(tampered)
    codes = [f["code"] for f in store["validation_results"]["activeManifest"]["failure"]]
    assert store["validation_state"] == "Invalid" and any(c.endswith(".mismatch") for c in codes), codes
    report = verify_file(tampered, settings=settings)
    assert report.marks["c2pa"].status == "broken"


def test_the_kit_sets_creator_rights_and_data_mining(kit_copy, settings, tmp_path):
    from studio.kits.loader import load_kit_dir

    root = kit_copy("northpeak")
    with open(root / "kit.yaml", "a", encoding="utf-8") as fh:
        fh.write("rights:\n  data_mining: prohibited_ai_training\n  creator: Northpeak Creative Team\n"
                 "  copyright: © Northpeak Outdoor AG\n")
    loaded = load_kit_dir(root)
    result = render_creative(loaded, get_channel("instagram"), {"headline": "Dry at both ends"}, market="US",
                             brief_text="rain", segment=None, variant_id="rights-1", out_path=tmp_path / "r.png",
                             settings=settings)
    tags = exiftool(result.path)
    assert tags["XMP-dc:Creator"] == "Northpeak Creative Team" and tags["XMP-dc:Rights"] == "© Northpeak Outdoor AG"
    assert tags["XMP-plus:DataMining"].endswith("DMI-PROHIBITED-AIMLTRAINING")


def test_export_fills_in_the_cn_propagator_and_still_validates(creatives, settings, tmp_path):
    from studio.review.export import _with_propagator

    propagator = "0011" + "91440300MA5FAAAA1P" + "00002"
    shipping = settings.model_copy(update={"cn_content_propagator": propagator})
    variant = {"id": "chayuan-prov-1", "version": 3}
    asset = _with_propagator(creatives["chayuan"], variant, shipping)
    out = tmp_path / "shipped.png"
    review = {"variant_id": "chayuan-prov-1", "version": 3, "approved_by": "ravi",
              "approved_at": "2026-11-30T05:00:00+00:00", "verdict": "warn", "override_reason": None}
    out.write_bytes(sign_approval(creatives["chayuan"], credentials=load_credentials(settings), review=review,
                                  title="shipped.png", asset=asset))
    aigc = json.loads(exiftool(out)["XMP-TC260:AIGC"])
    assert aigc["ContentPropagator"] == propagator and aigc["PropagateID"] == "chayuan-prov-1-v3"
    assert len(aigc["ReservedCode2"]) == 40 and aigc["ContentProducer"] == PRODUCER
    assert c2pa_store(out)["validation_state"] == "Valid"
    report = verify_file(out, settings=settings)
    assert report.ok, report.problems
    assert np.array_equal(np.asarray(Image.open(out).convert("RGB")),
                          np.asarray(Image.open(creatives["chayuan"]).convert("RGB")))


def test_verify_refuses_a_database_file_that_does_not_exist(creatives, tmp_path, capsys):
    missing = tmp_path / "nowhere" / "queue.db"
    assert run_verify_command(str(creatives["northpeak"]), as_json=True, db=str(missing)) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "no such database file" in captured.err and captured.err.count("\n") == 1
    assert not missing.parent.exists()  # nothing created


def test_the_approval_lists_the_template_the_creative_was_composed_on(creatives, settings, tmp_path):
    from studio.review.export import _background_ingredient

    loaded = load_sample_kit("northpeak")
    variant = {"provenance": {"image": {"backend": "template", "background_asset": None}}}
    template = _background_ingredient(loaded, variant, creatives["northpeak"], tmp_path)
    assert Image.open(template).size == Image.open(creatives["northpeak"]).size
    generated = {"provenance": {"image": {"backend": "diffusers", "background_asset": None}}}
    assert _background_ingredient(loaded, generated, creatives["northpeak"], tmp_path) is None  # in its own manifest
    review = {"variant_id": "northpeak-prov-1", "version": 2, "approved_by": "rita",
              "approved_at": "2026-11-30T04:00:00+00:00", "verdict": "pass", "override_reason": None}
    out = tmp_path / "approved.png"
    out.write_bytes(sign_approval(creatives["northpeak"], credentials=load_credentials(settings), review=review,
                                  title="approved.png", components={"logo": loaded.logo_path, "template": template}))
    store = c2pa_store(out)
    active = store["manifests"][store["active_manifest"]]
    assert store["validation_state"] == "Valid"
    assert sorted(i["title"] for i in active["ingredients"] if i["relationship"] == "componentOf") == [
        "logo: logo.png", "template: template.png"]
