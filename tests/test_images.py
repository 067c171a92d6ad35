"""Images: template creatives for every channel in both sample kits, logo and label placement, CJK text,
line breaking, hostile inputs, kit photo backgrounds, a real (tiny) diffusers pipeline, OpenAI Images."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from studio.channels import all_channels, get_channel
from studio.images import CreativeResult, ImageInputError, headline_from_copy, open_image, render_creative
from studio.images.backgrounds import hex_rgb
from studio.images.diffusers_backend import ImageBackendError
from studio.imaging.fonts import (
    CJK_FONT_PATHS,
    cjk_font_path,
    font_covers,
    glyphs_distinct,
    latin_font_path,
    pick_font_path,
)
from studio.images.text_layout import NO_LINE_END, NO_LINE_START, wrap
from studio.labels import verify_file
from studio.labels.metadata import COMPOSITE, TRAINED
from studio.labels.visible import CORNERS, check_label

from .image_fixtures import FakeImagesServer, build_tiny_sd_pipeline, load_sample_kit, make_settings, png_b64

COPY = {
    "northpeak": ({"headline": "Built for honest weather, repaired for the long haul", "cta": "Shop the Ridgeback"}, "US"),
    "chayuan": ({"title": "春茶上新：明前龙井，一杯喝到整座茶山的清晨。", "cta": "立即品尝"}, "CN"),
}
IMAGE_CHANNELS = [c.id for c in all_channels() if c.image is not None]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("images")


@pytest.fixture(scope="module")
def settings(tmp_path_factory):
    return make_settings(tmp_path_factory.mktemp("img-data"))


def _render(kit_id, channel_id, out_dir, settings, **kw) -> tuple[CreativeResult, object]:
    loaded = load_sample_kit(kit_id)
    copy, market = COPY[kit_id]
    result = render_creative(loaded, get_channel(channel_id), copy, market=market, brief_text="Autumn launch",
                             segment=loaded.kit.segments[0].id, variant_id=f"{kit_id}-{channel_id}-v1",
                             out_path=out_dir / f"{kit_id}-{channel_id}.png", settings=settings, **kw)
    return result, loaded


def _logo_reference(loaded, layout) -> np.ndarray:
    """The logo as the compositor places it: resized, over the plate colour."""
    _, _, w, h = layout["logo_box"]
    logo = Image.open(loaded.logo_path).convert("RGBA").resize((w, h), Image.Resampling.LANCZOS)
    plate = Image.new("RGBA", (w, h), (*hex_rgb(loaded.kit.visual.palette.background), 255))
    return np.asarray(Image.alpha_composite(plate, logo).convert("RGB")).astype(np.int16)


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
@pytest.mark.parametrize("channel_id", IMAGE_CHANNELS)
def test_every_channel_renders_on_brand_and_labelled(kit_id, channel_id, out_dir, settings):
    result, loaded = _render(kit_id, channel_id, out_dir, settings)
    spec = get_channel(channel_id).image
    image = Image.open(result.path)
    assert image.size == (spec.width, spec.height) == (result.width, result.height)
    assert result.backend == "template" and result.model is None
    assert result.digital_source_type == COMPOSITE
    lay = result.layout
    short, margin = min(image.size), lay["margin"]
    rgb = np.asarray(image.convert("RGB")).astype(np.int16)

    # logo: in the kit's placement, inside the safe margin, and the pixels there are the logo
    x, y, w, h = lay["logo_box"]
    px, py, pw, ph = lay["logo_plate"]
    placement = loaded.kit.visual.logo_placement
    assert py == margin  # both sample kits put the logo at the top
    if placement.endswith("left"):
        assert px == margin
    else:
        assert px + pw == spec.width - margin
    diff = np.abs(rgb[y : y + h, x : x + w] - _logo_reference(loaded, lay)).mean()
    assert diff < 8, f"logo region differs from the logo (mean diff {diff:.1f})"

    # label: the pill sits in the reserved bottom corner, text height >= 5% of the shorter side
    found = check_label(image, "AI生成" if kit_id == "chayuan" else "AI-generated", lay["label_corner"])
    assert found is not None, "no label pill where it should be"
    assert found["text_height_px"] >= 0.05 * short
    assert found["contrast"] >= 4.5
    other = next(c for c in CORNERS if c != lay["label_corner"])
    assert check_label(image, found["text"], other) is None

    # the headline and CTA stay inside the safe margins and clear of the logo and label
    hx, hy, hw, hh = lay["headline_box"]
    assert hx >= margin and hx + hw <= spec.width - margin and hh > 0
    ly = lay["label_box"][1]
    assert hy + hh <= ly
    assert hy >= py + ph
    if lay["cta_box"]:
        cx, cy, cw, ch = lay["cta_box"]
        assert cy + ch <= ly and cx + cw <= spec.width - margin

    report = verify_file(result.path, settings=settings)
    assert report.ok, report.problems


def test_cjk_headline_uses_a_cjk_font_and_wraps_per_character(out_dir, settings):
    result, _ = _render("chayuan", "xiaohongshu", out_dir, settings)
    assert result.layout["headline_font"] in CJK_FONT_PATHS
    lines = result.layout["headline_lines"]
    assert len(lines) >= 2 and "".join(lines) == COPY["chayuan"][0]["title"]
    assert not any(line[0] in NO_LINE_START for line in lines)


def test_cjk_text_renders_real_glyphs_not_tofu():
    text = "春茶上新明前龙井一杯喝到整座茶山的清晨"
    path = cjk_font_path()
    assert glyphs_distinct(path, text)
    assert font_covers(path, text)
    # the check can tell: a Latin-only font draws the same box for every Chinese character
    latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
    if Path(latin).is_file():
        assert not font_covers(latin, text)
        assert not glyphs_distinct(latin, text)
        assert pick_font_path(text, Path(latin)) == path
    assert pick_font_path("Hello", None) == latin_font_path()


def test_missing_cjk_font_is_a_clear_error(monkeypatch):
    from studio.imaging import fonts

    monkeypatch.setattr(fonts, "CJK_FONT_PATHS", ("/nonexistent/font.ttc",))
    with pytest.raises(fonts.FontMissingError, match="fonts-wqy-zenhei"):
        fonts.cjk_font_path()


@pytest.mark.parametrize("width", [120, 160, 200, 260, 330, 400])
def test_chinese_wrapping_never_starts_a_line_with_closing_punctuation(width):
    text = "春茶上新：明前龙井，一杯喝到整座茶山的清晨。（限量）“好茶”，请慢品！"
    lines = wrap(text, cjk_font_path(), 32, width)
    assert "".join(lines) == text
    for line in lines:
        assert line[0] not in NO_LINE_START, lines
        assert line[-1] not in NO_LINE_END, lines


def test_english_wraps_between_words():
    text = "Built for honest weather, repaired for the long haul"
    lines = wrap(text, latin_font_path(), 40, 300)
    assert len(lines) > 1
    assert " ".join(lines) == text


def test_headline_field_order_and_truncation():
    assert headline_from_copy({"post": "Post text", "subject": "Subject"}) == "Subject"
    assert headline_from_copy({"hook": "钩子", "caption": "x"}, "zh") == "钩子"
    long = "word " * 60
    out = headline_from_copy({"caption": long})
    assert len(out) <= 91 and out.endswith("…")
    assert headline_from_copy({"body": "only body"}) == ""


def test_image_prompt_comes_from_brief_segment_and_style(out_dir, settings):
    result, loaded = _render("northpeak", "instagram", out_dir, settings)
    prompt = result.image_prompt
    assert "Autumn launch" in prompt
    assert loaded.kit.segments[0].name in prompt
    assert "documentary outdoor photography" in prompt


# --------------------------------------------------------------------------- hostile inputs


def test_hostile_images_are_refused(tmp_path):
    huge = tmp_path / "huge.png"
    Image.new("1", (9000, 9000)).save(huge)  # a few KB on disk, 81 Mpx decoded
    with pytest.raises(ImageInputError, match="9000x9000"):
        open_image(huge)
    bomb = tmp_path / "bomb.png"
    Image.new("1", (7000, 7000)).save(bomb)
    with pytest.raises(ImageInputError, match="limit"):
        open_image(bomb)
    gif = tmp_path / "anim.gif"
    Image.new("P", (10, 10)).save(gif)
    with pytest.raises(ImageInputError, match="not a supported image"):
        open_image(gif)
    fake = tmp_path / "fake.png"
    fake.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(ImageInputError, match="not a supported image"):
        open_image(fake)
    good = tmp_path / "good.png"
    Image.new("RGB", (300, 300), "red").save(good)
    truncated = tmp_path / "truncated.png"
    truncated.write_bytes(good.read_bytes()[:60])
    with pytest.raises(ImageInputError):
        open_image(truncated)
    # a PNG whose header claims huge dimensions (the classic decompression bomb header)
    data = bytearray(good.read_bytes())
    data[16:24] = (100_000).to_bytes(4, "big") * 2
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    forged = tmp_path / "forged.png"
    forged.write_bytes(bytes(data))
    with pytest.raises(ImageInputError, match="decompression bomb|100000x100000"):
        open_image(forged)


def test_kit_photo_background(tmp_path, kit_copy, settings):
    from studio.kits.loader import load_kit_dir

    root = kit_copy("northpeak")
    rng = np.random.default_rng(1)
    photo = (rng.random((700, 900, 3)) * 255).astype(np.uint8)
    Image.fromarray(photo).save(root / "assets" / "hero.jpg", quality=90)
    loaded = load_kit_dir(root)
    result = render_creative(loaded, get_channel("instagram"), {"headline": "Rain-tested"}, market="EU",
                             brief_text="rain shell", segment=None, variant_id="asset-v1",
                             out_path=tmp_path / "asset.png", settings=settings, background="assets/hero.jpg")
    assert result.backend == "asset" and result.background_asset == "assets/hero.jpg"
    assert result.digital_source_type == COMPOSITE
    assert verify_file(result.path, settings=settings).ok
    # the photo shows through on the right, away from the text scrim
    right = np.asarray(Image.open(result.path).convert("RGB"))[400:600, 950:1050].std()
    assert right > 30

    Image.new("1", (9000, 9000)).save(root / "assets" / "bomb.png")
    with pytest.raises(ImageInputError):
        render_creative(loaded, get_channel("instagram"), {"headline": "x"}, market="US", brief_text="b",
                        segment=None, variant_id="v", out_path=tmp_path / "b.png", settings=settings,
                        background="assets/bomb.png")
    outside = tmp_path / "outside.png"
    Image.new("RGB", (400, 400)).save(outside)
    with pytest.raises(ImageInputError, match="inside the kit folder"):
        render_creative(loaded, get_channel("instagram"), {"headline": "x"}, market="US", brief_text="b",
                        segment=None, variant_id="v", out_path=tmp_path / "c.png", settings=settings,
                        background=str(outside))


# --------------------------------------------------------------------------- diffusers (real pipeline)


@pytest.fixture(scope="module")
def tiny_sd(tmp_path_factory) -> Path:
    return build_tiny_sd_pipeline(tmp_path_factory.mktemp("tiny-sd"))


def test_diffusers_backend_runs_a_real_pipeline(tiny_sd, tmp_path):
    from studio.images import diffusers_backend

    settings = make_settings(tmp_path / "data", image_backend="diffusers", diffusers_model=str(tiny_sd),
                             image_steps=2, image_seed=7)
    loaded = load_sample_kit("chayuan")
    result = render_creative(loaded, get_channel("xiaohongshu"), COPY["chayuan"][0], market="CN",
                             brief_text="冷泡茶 新品", segment=loaded.kit.segments[0].id, variant_id="diff-v1",
                             out_path=tmp_path / "diff.png", settings=settings)
    assert result.backend == "diffusers" and result.model == str(tiny_sd) and result.seed == 7
    assert result.digital_source_type == TRAINED
    assert result.generation["pipeline"] == "StableDiffusionPipeline" and result.generation["steps"] == 2
    assert (result.width, result.height) == (1080, 1440)
    report = verify_file(result.path, settings=settings)
    assert report.ok, report.problems
    assert report.marks["xmp"].data["digital_source_type"] == TRAINED
    assert check_label(Image.open(result.path), "AI生成", result.layout["label_corner"])

    # same seed -> same picture; another seed -> another picture
    a, _ = diffusers_backend.generate("tea", model=str(tiny_sd), width=64, height=64, steps=2, seed=1)
    b, _ = diffusers_backend.generate("tea", model=str(tiny_sd), width=64, height=64, steps=2, seed=1)
    c, _ = diffusers_backend.generate("tea", model=str(tiny_sd), width=64, height=64, steps=2, seed=2)
    assert np.array_equal(np.asarray(a), np.asarray(b))
    assert not np.array_equal(np.asarray(a), np.asarray(c))


def test_diffusers_missing_model_is_a_clear_error(tmp_path):
    from studio.images import diffusers_backend

    (tmp_path / "empty").mkdir()
    with pytest.raises(ImageBackendError, match="model_index.json"):
        diffusers_backend.load_pipeline(str(tmp_path / "empty"), "cpu")
    with pytest.raises(ImageBackendError, match="offline"):
        diffusers_backend.load_pipeline("nobody/no-such-model-in-cache", "cpu")
    settings = make_settings(tmp_path / "data", image_backend="diffusers")
    loaded = load_sample_kit("northpeak")
    with pytest.raises(ImageBackendError, match="STUDIO_DIFFUSERS_MODEL"):
        render_creative(loaded, get_channel("x"), {"post": "hi"}, market="US", brief_text="b", segment=None,
                        variant_id="v", out_path=tmp_path / "x.png", settings=settings)


# --------------------------------------------------------------------------- OpenAI Images (fake server)


def test_openai_images_backend_against_a_compatible_endpoint(tmp_path):
    with FakeImagesServer(png_b64((96, 64), (200, 60, 40))) as server:
        settings = make_settings(tmp_path / "data", image_backend="openai", llm_base_url=server.base_url,
                                 llm_api_key="sk-test", image_model="gpt-image-1", llm_max_retries=0)
        loaded = load_sample_kit("northpeak")
        result = render_creative(loaded, get_channel("linkedin"), {"post": "Repair, don't replace."}, market="EU",
                                 brief_text="repair service", segment=loaded.kit.segments[0].id,
                                 variant_id="oai-v1", out_path=tmp_path / "oai.png", settings=settings)
    request = server.requests[0]
    assert request["path"] == "/v1/images/generations"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"]["prompt"] == result.image_prompt
    assert request["body"]["model"] == "gpt-image-1" and request["body"]["size"] == "1536x1024"
    assert result.backend == "openai" and result.model == "gpt-image-1" and result.digital_source_type == TRAINED
    assert verify_file(result.path, settings=settings).ok
    # the generated picture is the background (red-orange shows on the right side)
    r, g, _ = np.asarray(Image.open(result.path).convert("RGB"))[300, 1150]
    assert r > 150 and g < 120


def test_openai_backend_refuses_a_bad_picture(tmp_path):
    import base64

    with FakeImagesServer(base64.b64encode(b"not an image").decode()) as server:
        settings = make_settings(tmp_path / "data", image_backend="openai", llm_base_url=server.base_url,
                                 llm_api_key="k", llm_max_retries=0)
        loaded = load_sample_kit("northpeak")
        with pytest.raises(ImageBackendError, match="unusable picture"):
            render_creative(loaded, get_channel("x"), {"post": "hi"}, market="US", brief_text="b", segment=None,
                            variant_id="v", out_path=tmp_path / "x.png", settings=settings)


def test_channel_without_image_is_refused(tmp_path, settings):
    loaded = load_sample_kit("northpeak")
    with pytest.raises(ValueError, match="no image"):
        render_creative(loaded, get_channel("sms"), {"body": "hi"}, market="US", brief_text="b", segment=None,
                        variant_id="v", out_path=tmp_path / "x.png", settings=settings)



def test_diffusers_loads_a_model_id_from_the_local_cache(tiny_sd, tmp_path, monkeypatch):
    """A model id that is already in the Hugging Face cache loads offline (no download)."""
    import huggingface_hub.constants as hf_constants

    from studio.images import diffusers_backend

    cache = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = cache / "models--studio-test--tiny-sd"
    shutil.copytree(tiny_sd, repo / "snapshots" / commit)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr(hf_constants, "HF_HUB_CACHE", str(cache))
    diffusers_backend.load_pipeline.cache_clear()
    image, info = diffusers_backend.generate("tea terrace", model="studio-test/tiny-sd", width=64, height=64,
                                             steps=1, seed=0)
    assert info["model"] == "studio-test/tiny-sd" and image.size[0] > 0
