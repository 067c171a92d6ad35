"""Labels read back by independent tools (exiftool, c2pa's Reader) and by `studio verify`, including
tampered and stripped files. Issue 16's provenance (TC260 label, keyed watermark after platform
transformations, forensic verify, signed approval) is in test_provenance.py."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.channels import all_channels, get_channel
from studio.domain import Market
from studio.images import render_creative
from studio.labels import apply_image_labels, copy_disclosures, verify_file, visible_label_text, watermark
from studio.labels.c2pa_manifest import create_local_credentials
from studio.labels.command import run_verify_command
from studio.labels.metadata import AIGC_KEYS, COMPOSITE, TRAINED
from studio.labels.visible import draw_label, layout

from .image_fixtures import load_sample_kit, make_settings


def exiftool_json(path: Path) -> dict:
    exe = shutil.which("exiftool")
    if exe is None:
        pytest.fail("exiftool is not installed (Debian package libimage-exiftool-perl)")
    config = Path(__file__).with_name("exiftool_tc260.config")  # names the TC260 namespace's AIGC property
    out = subprocess.run([exe, "-config", str(config), "-j", "-G1", "-a", str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout)[0]


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return make_settings(tmp_path_factory.mktemp("label-data"))


@pytest.fixture(scope="module")
def labelled(tmp_path_factory, settings) -> dict[str, Path]:
    """One signed creative per sample kit."""
    out = tmp_path_factory.mktemp("labelled")
    files = {}
    for kit_id, market, copy in [("northpeak", "US", {"headline": "Rain-tested, repair-ready", "cta": "Shop now"}),
                                 ("chayuan", "CN", {"title": "明前龙井，春茶上新", "cta": "立即品尝"})]:
        loaded = load_sample_kit(kit_id)
        result = render_creative(loaded, get_channel("instagram"), copy, market=market, brief_text="spring",
                                 segment=None, variant_id=f"{kit_id}-var-001", out_path=out / f"{kit_id}.png",
                                 settings=settings)
        files[kit_id] = result.path
    return files


# --------------------------------------------------------------------------- text labels


def test_visible_label_text_per_market():
    assert visible_label_text("US") == visible_label_text(Market.EU) == "AI-generated"
    assert visible_label_text(Market.CN) == "AI生成"


def test_copy_disclosures_per_market_and_channel():
    northpeak = load_sample_kit("northpeak").kit
    email = copy_disclosures(northpeak, "US", get_channel("email"))
    assert email[0] == "AI-generated" and any("Unsubscribe" in d for d in email)
    paid = copy_disclosures(northpeak, "US", get_channel("facebook_ad"))
    assert paid == ["AI-generated", "#ad"], "the kit's own ad label stands in for the channel's 'Sponsored'"
    # Google prints "Ad" on every search ad: the copy does not repeat it (channels.yaml platform_ad_label).
    assert copy_disclosures(northpeak, "US", get_channel("search_ad")) == ["AI-generated"]
    assert "#ad" not in copy_disclosures(northpeak, "US", get_channel("instagram"))  # organic post
    chayuan = load_sample_kit("chayuan").kit
    cn = copy_disclosures(chayuan, "CN", get_channel("xiaohongshu"))
    assert cn.count("AI生成") == 1 and cn[0] == "AI生成"
    assert "广告" not in copy_disclosures(chayuan, "CN", get_channel("facebook_ad")), "Meta labels the ad unit itself"
    assert get_channel("facebook_ad").platform_ad_label["CN"] == "广告"


# --------------------------------------------------------------------------- visible label


@pytest.mark.parametrize("text", ["AI-generated", "AI生成"])
def test_label_text_is_at_least_5_percent_of_the_shorter_side_for_every_channel(text):
    for channel in all_channels():
        if channel.image is None:
            continue
        lay = layout(channel.image.width, channel.image.height, text)
        assert lay.text_height >= 0.05 * min(channel.image.width, channel.image.height)
        x, y, w, h = lay.box
        assert x > 0 and y > 0 and x + w < channel.image.width and y + h < channel.image.height


def test_label_pill_contrasts_with_light_and_dark_backgrounds():
    for colour in ("white", "black", "#808080", "#F5F1E8", "#1F4E5F"):
        image, info = draw_label(Image.new("RGB", (800, 600), colour), "AI-generated")
        assert info["contrast"] >= 4.5
        x, y, w, h = info["box"]
        pill = np.asarray(image.crop((x + h // 2, y + 2, x + w - h // 2, y + 6))).reshape(-1, 3).mean(axis=0)
        background = np.asarray(Image.new("RGB", (1, 1), colour))[0, 0]
        assert np.abs(pill - background).sum() > 150, f"pill is not distinct from {colour}"


# --------------------------------------------------------------------------- independent readers


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
def test_exiftool_sees_digital_source_type_and_aigc(labelled, settings, kit_id):
    tags = exiftool_json(labelled[kit_id])
    assert tags["XMP-iptcExt:DigitalSourceType"] == COMPOSITE
    aigc = json.loads(tags["XMP-TC260:AIGC"])
    assert list(aigc) == list(AIGC_KEYS)
    assert aigc["Label"] == "1" and aigc["ProduceID"] == f"{kit_id}-var-001"
    assert aigc["ContentProducer"] == settings.cn_content_producer
    assert "PNG:AIGC" not in tags and "XMP-studio:Aigc" not in tags  # one copy, where platforms read it


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
def test_c2pa_reader_validates_the_manifest(labelled, kit_id):
    import c2pa

    with open(labelled[kit_id], "rb") as fh, c2pa.Reader("image/png", fh) as reader:
        store = json.loads(reader.json())
    assert store["validation_state"] in ("Valid", "Trusted")
    failures = [f["code"] for f in store.get("validation_results", {}).get("activeManifest", {}).get("failure", [])]
    assert set(failures) <= {"signingCredential.untrusted"}  # the local dev CA is not on a trust list
    manifest = store["manifests"][store["active_manifest"]]
    assert "thumbnail" not in manifest
    actions = [a for assertion in manifest["assertions"] if assertion["label"].startswith("c2pa.actions")
               for a in assertion["data"]["actions"]]
    created = [a for a in actions if a["action"] == "c2pa.created"]
    assert created and created[0]["digitalSourceType"] == COMPOSITE
    assert created[0]["softwareAgent"]["name"] == "Studio"
    assert created[0]["parameters"]["variant_id"] == f"{kit_id}-var-001"


def test_local_signing_certificate_has_the_required_extensions(labelled, settings):
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID

    chain = (Path(settings.data_dir) / "c2pa" / "chain.pem").read_bytes()
    leaf, ca = x509.load_pem_x509_certificates(chain)
    assert isinstance(leaf.public_key(), ec.EllipticCurvePublicKey) and leaf.public_key().curve.name == "secp256r1"
    assert leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert leaf.extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature
    assert ExtendedKeyUsageOID.EMAIL_PROTECTION in leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    aki = leaf.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    ski = ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    assert leaf.issuer == ca.subject


def test_signing_with_a_configured_certificate(tmp_path):
    creds_dir = tmp_path / "org-ca"
    create_local_credentials(creds_dir)
    settings = make_settings(tmp_path / "data", c2pa_cert=creds_dir / "chain.pem", c2pa_key=creds_dir / "signer.key")
    source = tmp_path / "in.png"
    Image.new("RGB", (512, 512), (90, 140, 200)).save(source)
    info = apply_image_labels(source, tmp_path / "out.png", variant_id="cfg-1", market="EU",
                              digital_source_type=TRAINED, produce_id="cfg-1", producer="Studio", settings=settings)
    assert info["c2pa"]["local_certificate"] is False
    assert not (tmp_path / "data" / "c2pa").exists()  # no local CA created when one is configured
    report = verify_file(tmp_path / "out.png", settings=settings)
    assert report.ok, report.problems
    json.dumps(info)  # JSON-serialisable


def test_watermark_survives_jpeg_quality_80(labelled, settings, tmp_path):
    key = watermark.watermark_key(settings)
    for kit_id, path in labelled.items():
        jpeg = tmp_path / f"{kit_id}.jpg"
        Image.open(path).convert("RGB").save(jpeg, "JPEG", quality=80)
        found = watermark.detect(np.asarray(Image.open(jpeg).convert("RGB")), key)
        assert found.marked and found.mark_id == watermark.mark_id_for(f"{kit_id}-var-001", key)
    # an unmarked picture of the same kind does not carry it
    plain = np.asarray(Image.new("RGB", (600, 600), (120, 90, 60)))
    assert not watermark.detect(plain, key).marked


def test_jpeg_export_carries_every_label(tmp_path, settings):
    source = tmp_path / "in.png"
    rng = np.random.default_rng(3)
    Image.fromarray((rng.random((600, 800, 3)) * 255).astype(np.uint8)).save(source)
    apply_image_labels(source, tmp_path / "out.jpg", variant_id="jpeg-1", market="CN", digital_source_type=TRAINED,
                       produce_id="jpeg-1", producer="Studio", settings=settings)
    report = verify_file(tmp_path / "out.jpg", settings=settings)
    assert report.ok, report.problems
    tags = exiftool_json(tmp_path / "out.jpg")
    assert tags["XMP-iptcExt:DigitalSourceType"] == TRAINED
    by_lower = {k.lower(): v for k, v in tags.items()}
    assert json.loads(by_lower["xmp-tc260:aigc"])["ProduceID"] == "jpeg-1"


# --------------------------------------------------------------------------- verify and tampering


def test_verify_reports_every_mark_ok(labelled, settings):
    for path in labelled.values():
        report = verify_file(path, settings=settings)
        assert report.ok, report.problems
        assert set(report.marks) == {"visible_label", "xmp", "aigc", "watermark", "c2pa"}
        data = report.to_json()
        assert data["ok"] is True and data["problems"] == []
        assert data["marks"]["c2pa"]["data"]["hash_matches"] is True


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    pos, chunks = 8, []
    while pos < len(data):
        length = struct.unpack(">I", data[pos : pos + 4])[0]
        chunks.append((data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]))
        pos += 12 + length
    return chunks


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def tamper_pixels(src: Path, dst: Path) -> None:
    """Change pixel rows inside the IDAT data, keeping every other chunk (XMP, AIGC, C2PA) as it was."""
    data = src.read_bytes()
    chunks = _png_chunks(data)
    width, height = struct.unpack(">II", chunks[0][1][:8])
    raw = bytearray(zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT")))
    stride = 1 + width * 3
    for row in range(height // 3, height // 3 + 40):
        start = row * stride
        raw[start] = 0  # filter type None for the rewritten rows
        raw[start + 1 : start + 1 + 300 * 3] = bytes([255, 0, 255]) * 300
    out, wrote = [data[:8]], False
    for kind, body in chunks:
        if kind == b"IDAT":
            if not wrote:
                out.append(_chunk(b"IDAT", zlib.compress(bytes(raw))))
                wrote = True
            continue
        out.append(_chunk(kind, body))
    dst.write_bytes(b"".join(out))


def test_verify_reports_pixels_changed_after_signing(labelled, settings, tmp_path, monkeypatch):
    _use_settings(monkeypatch, settings)
    tampered = tmp_path / "tampered.png"
    tamper_pixels(labelled["northpeak"], tampered)
    report = verify_file(tampered, settings=settings)
    assert not report.ok
    c2pa_mark = report.marks["c2pa"]
    assert c2pa_mark.status == "broken" and "hash does not match" in c2pa_mark.detail
    assert c2pa_mark.data["hash_matches"] is False
    assert report.marks["xmp"].ok and report.marks["aigc"].ok  # the metadata itself is still there
    assert run_verify_command(str(tampered), as_json=True) == 1


def test_verify_reports_stripped_metadata(labelled, settings, tmp_path, capsys, monkeypatch):
    stripped = tmp_path / "stripped.png"
    Image.open(labelled["chayuan"]).convert("RGB").save(stripped)  # re-encoding drops every chunk
    report = verify_file(stripped, settings=settings)
    assert not report.ok
    assert report.marks["xmp"].status == "missing"
    assert report.marks["aigc"].status == "missing"
    assert report.marks["c2pa"].status == "stripped"  # the watermark shows Studio made it
    assert report.marks["watermark"].ok
    assert report.mark_id == watermark.mark_id_for("chayuan-var-001", watermark.watermark_key(settings))
    assert report.marks["visible_label"].ok  # the pixels still show the label

    _use_settings(monkeypatch, settings)
    assert run_verify_command(str(stripped), as_json=True) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and any(p.startswith("c2pa: stripped") for p in doc["problems"])


def _use_settings(monkeypatch, settings) -> None:
    """The CLI reads settings from the environment: point it at the data dir (and key) the files were made with."""
    from studio import config

    monkeypatch.setenv("STUDIO_DATA_DIR", str(settings.data_dir))
    config.get_settings.cache_clear()


def test_verify_reports_a_missing_visible_label(tmp_path, settings):
    source = tmp_path / "plain.png"
    Image.new("RGB", (640, 640), (200, 200, 200)).save(source)
    report = verify_file(source, settings=settings)
    assert report.marks["visible_label"].status == "missing"
    assert not report.ok


def test_verify_command_exit_codes_and_output(labelled, settings, tmp_path, capsys, monkeypatch):
    _use_settings(monkeypatch, settings)
    assert run_verify_command(str(labelled["northpeak"]), as_json=True) == 0
    captured = capsys.readouterr()
    doc = json.loads(captured.out)
    assert doc["ok"] is True and doc["variant_id"] == "northpeak-var-001"
    assert run_verify_command(str(labelled["chayuan"]), as_json=False) == 0
    assert "c2pa" in capsys.readouterr().out

    assert run_verify_command(str(tmp_path / "nope.png"), as_json=True) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: ") and captured.err.count("\n") == 1
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert run_verify_command(str(text), as_json=False) == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_apply_refuses_unknown_output_format_and_source_type(tmp_path, settings):
    source = tmp_path / "in.png"
    Image.new("RGB", (400, 400)).save(source)
    with pytest.raises(ValueError, match=".png or .jpg"):
        apply_image_labels(source, tmp_path / "out.gif", variant_id="v", market="US", digital_source_type=TRAINED,
                           produce_id="v", producer="Studio", settings=settings)
    with pytest.raises(ValueError, match="digital source type"):
        apply_image_labels(source, tmp_path / "out.png", variant_id="v", market="US",
                           digital_source_type="http://example.com/x", produce_id="v", producer="Studio",
                           settings=settings)
    assert not (tmp_path / "out.png").exists()


def test_label_step_keeps_pixels_close_to_the_source(tmp_path, settings):
    rng = np.random.default_rng(5)
    src = (rng.random((512, 512, 3)) * 255).astype(np.uint8)
    Image.fromarray(src).save(tmp_path / "in.png")
    apply_image_labels(tmp_path / "in.png", tmp_path / "out.png", variant_id="psnr", market="US",
                       digital_source_type=TRAINED, produce_id="p", producer="Studio", settings=settings)
    out = np.asarray(Image.open(tmp_path / "out.png").convert("RGB")).astype(float)
    top = slice(0, 300)  # away from the visible label
    mse = ((out[top] - src[top]) ** 2).mean()
    # invisible watermark: on pure noise the texture-masked mark runs at its strongest, and still PSNR > 32 dB
    assert 10 * np.log10(255**2 / mse) > 32



def test_labelling_studio_output_again_is_idempotent(kit_copy, tmp_path, settings):
    """render_creative writes a labelled file; labelling it again (e.g. at export) keeps one pill, the same
    watermark and the kit's label corner, and re-signs with the new produce id."""
    from studio.kits.loader import load_kit_dir

    root = kit_copy("northpeak")
    kit_file = root / "kit.yaml"
    kit_file.write_text(kit_file.read_text().replace("logo_placement: top-left", "logo_placement: bottom-right"))
    loaded = load_kit_dir(root)
    assert loaded.kit.visual.logo_placement == "bottom-right"
    result = render_creative(loaded, get_channel("facebook_ad"), {"headline": "Patch it, keep it", "cta": "Repair"},
                             market="US", brief_text="repair", segment=None, variant_id="idem-1",
                             out_path=tmp_path / "raw.png", settings=settings)
    assert result.layout["label_corner"] == "bottom-left"
    px, py, pw, ph = result.layout["logo_plate"]
    assert px + pw == 1080 - result.layout["margin"] and py + ph == 1080 - result.layout["margin"]

    info = apply_image_labels(result.path, tmp_path / "export.png", variant_id="idem-1", market="US",
                              digital_source_type=result.digital_source_type, produce_id="idem-1-v2",
                              producer="Studio/northpeak", settings=settings)
    assert info["visible_label"]["already_present"] is True and info["visible_label"]["corner"] == "bottom-left"
    before = np.asarray(Image.open(result.path).convert("RGB"))
    after = np.asarray(Image.open(tmp_path / "export.png").convert("RGB"))
    assert np.array_equal(before, after)
    report = verify_file(tmp_path / "export.png", settings=settings)
    assert report.ok, report.problems
    assert report.marks["aigc"].data["aigc"]["ProduceID"] == "idem-1-v2"
    assert report.marks["visible_label"].data["corner"] == "bottom-left"
