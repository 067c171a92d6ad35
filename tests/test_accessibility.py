"""Accessibility: the `accessibility` copy check (EN and ZH), on the real checker and the sample kits."""

from __future__ import annotations

import pytest

from studio.channels import get_channel
from studio.checks import get_checker
from studio.domain import Brief
from studio.kits import load_kit
from tests.conftest import KITS_DIR


@pytest.fixture(scope="module")
def kits():
    return {k: load_kit(k, KITS_DIR) for k in ("northpeak", "chayuan")}


def _a11y(report):
    return [f for f in report.findings if f.category == "accessibility"]


def _spans_ok(text, findings):
    return all(text[f.start:f.end] == f.text for f in findings)


@pytest.mark.parametrize("kit_id,text,rule,span", [
    ("northpeak", "Rain or shine. #rainready #bikecommute", "hashtag_case", "#rainready"),
    ("northpeak", "I ❤️ my Ridgeback Shell on wet mornings.", "emoji_for_word", "❤️"),
    ("northpeak", "Rain is coming 🌧️🌧️🌧️🌧️ so pack a shell.", "emoji_run", "🌧️🌧️🌧️🌧️"),
    ("northpeak", "NEW ARRIVALS FOR THE TRAIL this week.", "all_caps", "NEW ARRIVALS FOR THE TRAIL"),
    ("northpeak", "Our SUMMER layers are in.", "all_caps", "SUMMER"),
    ("northpeak", "Click here to see the new shell.", "link_text", "Click here"),
    ("chayuan", "新茶上市，我❤️茶园里的春茶。", "emoji_for_word", "❤️"),
    ("chayuan", "冷泡茶到啦🍵🍵🍵🍵快来试试", "emoji_run", "🍵🍵🍵🍵"),
    ("chayuan", "NEW ARRIVAL 春茶上新，明前采摘。", "all_caps", "NEW ARRIVAL"),
    ("chayuan", "点击这里领取冷泡茶试饮装。", "link_text", "点击这里"),
    ("chayuan", "春茶上新→→→快来看看", "symbol_string", "→→→"),
])
def test_copy_screen_readers_struggle_with_is_flagged(kits, kit_id, text, rule, span):
    report = get_checker(kits[kit_id]).check_text(text)
    found = _a11y(report)
    assert any(f.rule == f"accessibility.{rule}" and f.text == span for f in found), [f.to_json() for f in found]
    assert all(f.severity.value == "warn" for f in found) and _spans_ok(text, found)
    assert report.verdict in ("warn", "block")


@pytest.mark.parametrize("kit_id,text", [
    ("northpeak", "Rain or shine. #RainReady #BikeCommute #Northpeak #hiking"),
    ("northpeak", "Dry on the commute and back. 🌧️"),  # one emoji after the words, not for one
    ("northpeak", "PFAS-free DWR and RDS down, tested to ISO 811."),  # acronyms are not shouting
    ("northpeak", "See the Ridgeback Shell and its repair record."),
    ("chayuan", "春茶上新，明前采摘 🍵 #冷泡茶 #茶园里 #Chayuan"),
    ("chayuan", "查看冷泡茶的冲泡方法……记得冷藏。"),
])
def test_accessible_copy_is_not_flagged(kits, kit_id, text):
    assert _a11y(get_checker(kits[kit_id]).check_text(text)) == []


def test_hashtag_suggestion_is_the_camel_case_form(kits):
    [f] = [f for f in _a11y(get_checker(kits["northpeak"]).check_text("Out now #trailrunning")) if f.rule.endswith("hashtag_case")]
    assert f.suggestion == "write #TrailRunning"


HARD = ("Notwithstanding considerable organisational complexity, our comprehensive methodology systematically "
        "incorporates multidimensional environmental considerations, facilitating unprecedented manufacturing "
        "accountability throughout internationally distributed production infrastructures and certification processes. "
        "Consequently, institutional stakeholders increasingly acknowledge comprehensive transparency obligations.")
PLAIN = ("Rain came in sideways on Monday. We rode to work in the new shell. It kept us dry. The hood stayed put. "
         "The cuffs sealed at the wrist. At the office we hung it up and it was dry by lunch. That is what we want.")


def test_reading_level_above_the_kits_setting_for_the_channel(kits):
    loaded = kits["northpeak"]
    email = get_channel("email")
    hard = _a11y(get_checker(loaded).check_copy({"body": HARD}, channel=email, market="US"))
    assert [f.rule for f in hard] == ["accessibility.reading_level"] and "grade" in hard[0].message
    assert _a11y(get_checker(loaded).check_copy({"body": PLAIN}, channel=email, market="US")) == []
    # a kit that allows grade 60 on email: the same text passes there, and is still flagged on LinkedIn
    relaxed = loaded.kit.model_copy(update={"accessibility": loaded.kit.accessibility.model_copy(
        update={"reading_grade": {"*": 9.0, "email": 60.0}})})
    from studio.checks.accessibility import AccessibilityCheck

    check = AccessibilityCheck(type(loaded)(**{**loaded.__dict__, "kit": relaxed}))
    assert check.findings(HARD, "body", email) == []
    assert [f.rule for f in check.findings(HARD, "post", get_channel("linkedin"))] == ["accessibility.reading_level"]


def test_a_call_to_action_that_names_no_destination(kits):
    checker = get_checker(kits["northpeak"])
    vague = _a11y(checker.check_copy({"subject": "Dry commutes", "body": PLAIN, "cta": "Learn more"},
                                     channel=get_channel("email"), market="US"))
    assert [(f.field, f.text) for f in vague] == [("cta", "Learn more")]
    named = checker.check_copy({"subject": "Dry commutes", "body": PLAIN, "cta": "See the Ridgeback Shell"},
                               channel=get_channel("email"), market="US")
    assert _a11y(named) == []


def test_the_kits_own_voice_examples_and_modules_do_not_trip_it(kits):
    for loaded in kits.values():
        checker = get_checker(loaded)
        for path in loaded.voice_files:
            text = path.read_text(encoding="utf-8")
            assert checker.accessibility.findings(text) == [], path.name
        for module in loaded.modules:
            assert checker.accessibility.findings(module.text) == [], module.id


def test_composed_copy_of_both_kits_does_not_trip_it(kits):
    from studio.generate.writers import compose_copy
    from studio.labels import copy_disclosures

    briefs = {"northpeak": "Launch of the Ridgeback rain shell for bike commuters", "chayuan": "园里冷萃™茶包上新，适合在工位上和通勤路上喝"}
    fields = 0
    for kit_id, loaded in kits.items():
        checker = get_checker(loaded)
        for segment in loaded.kit.segments:
            for channel_id in sorted(set(loaded.kit.default_channels) | set(segment.preferred_channels)):
                channel = get_channel(channel_id)
                market = loaded.kit.markets[0].value
                result = compose_copy(loaded, segment, channel, Brief(text=briefs[kit_id]), market=market, n=1,
                                      disclosures=copy_disclosures(loaded.kit, market, channel))
                for name, text in result.copy.items():
                    fields += 1
                    assert checker.accessibility.findings(text, name, channel) == [], (kit_id, channel_id, name, text)
    assert fields > 50


def test_accessibility_findings_are_counted_in_insights(tmp_path, kits):
    from studio.config import Settings
    from studio.review import ReviewQueue
    from studio.review.insights import queue_insights

    queue = ReviewQueue(Settings(database_url=f"sqlite:///{tmp_path / 'q.db'}"))
    request_id, _ = queue.open_request(kit="northpeak", segment="city-commuters", channels=["x"], market="US",
                                       brief={"text": "rain shell"}, variants_per_channel=1, created_by="alice")
    variant_id = queue.request_variants(request_id)[0]["id"]
    copy = {"post": "CLICK HERE for the new shell #rainready"}
    report = get_checker(kits["northpeak"]).check_copy(copy, channel=get_channel("x"), market="US").to_json()
    queue.add_version(variant_id, number=1, copy=copy, image_path=None, provenance={}, check_report=report, labels={},
                      source="generated", by="alice")
    counts = queue_insights(queue)["findings_by_category"]
    assert counts.get("accessibility", 0) >= 2


# --------------------------------------------------------------------------- images: alt text and contrast

def _exiftool(path) -> dict:
    import json
    import subprocess

    out = subprocess.run(["exiftool", "-json", "-XMP-iptcCore:AltTextAccessibility",
                          "-XMP-iptcCore:ExtDescrAccessibility", str(path)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)[0]


def _light_kit(tmp_path):
    """Northpeak with a near-white logo and a light photo: the case where a light logo disappears."""
    import shutil

    from PIL import Image, ImageDraw

    from studio.kits.loader import load_kit_dir

    root = tmp_path / "northpeak"
    shutil.copytree(KITS_DIR / "northpeak", root)
    logo = Image.new("RGBA", (400, 120), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rounded_rectangle((8, 8, 392, 112), radius=20, fill=(250, 250, 246, 255))
    logo.save(root / "assets" / "logo.png")
    photo = Image.new("RGB", (1200, 1200), (238, 234, 226))
    draw = ImageDraw.Draw(photo)
    for x in range(0, 1200, 40):
        draw.rectangle((x, 0, x + 18, 1200), fill=(252, 250, 246))
    photo.save(root / "assets" / "light.png")
    return load_kit_dir(root)


CREATIVES = [
    ("northpeak", "instagram", "US", {"caption": "Dry at both ends of the commute with the Ridgeback Shell.",
                                      "cta": "See the Ridgeback Shell"}, None),
    ("chayuan", "xiaohongshu", "CN", {"title": "春山绿新茶上市，明前采摘", "body": "春山绿通过中国有机产品认证。"}, None),
    ("light", "instagram", "US", {"caption": "Layers for the first cold mornings", "cta": "See the Cirque Base Layer"},
     "assets/light.png"),
]


@pytest.fixture(scope="module")
def creatives(kits, tmp_path_factory):
    """Both kits' creatives, and a light logo on a light photo, rendered and labelled once."""
    from studio.config import Settings
    from studio.images import render_creative

    tmp = tmp_path_factory.mktemp("creatives")
    settings = Settings(data_dir=tmp / "data", kits_dir=KITS_DIR)
    out = {}
    for name, channel, market, copy, background in CREATIVES:
        loaded = _light_kit(tmp) if name == "light" else kits[name]
        out[name] = render_creative(loaded, get_channel(channel), copy, market=market, brief_text="a brief",
                                    segment=loaded.kit.segments[0], variant_id=f"var_{name}",
                                    out_path=tmp / f"{name}.png", settings=settings, background=background)
    return out


@pytest.mark.parametrize("name", [c[0] for c in CREATIVES])
def test_alt_text_is_in_the_images_xmp_for_exiftool(creatives, name):
    result = creatives[name]
    read = _exiftool(result.path)
    alt, extended = read.get("AltTextAccessibility"), read.get("ExtDescrAccessibility")
    assert alt == result.alt_text and 0 < len(alt) <= 125
    assert extended == result.ext_description and len(extended) > len(alt)
    zh = any("\u4e00" <= ch <= "\u9fff" for ch in alt.replace("茶园里", ""))
    assert zh == (name == "chayuan"), alt  # in the copy's language
    first_line = result.layout["headline_lines"][0]
    assert first_line[:12] in alt.replace("\n", " ")  # says what the image says
    if result.cta:
        assert result.cta in extended


def test_alt_text_stays_within_125_characters_for_a_long_headline():
    from studio.accessibility.alt_text import alt_texts

    long = "Dry at both ends of the commute, from the first rain of October to the last sleet of March, every day"
    alt, extended = alt_texts(brand="Northpeak Outdoor", language="en", headline=long, cta="See the Ridgeback Shell",
                              backend="template", logo_placement="top-left", label_text="AI-generated")
    assert len(alt) <= 125 and alt.startswith('Northpeak Outdoor ad: "Dry at both ends') and "…" in alt
    assert long in extended and "AI-generated" in extended


def test_alt_text_is_checked_like_copy(kits):
    from types import SimpleNamespace

    from studio.accessibility.image_findings import with_image_findings

    result = SimpleNamespace(alt_text='Northpeak Outdoor ad: "CLICK HERE for the cheap shell" on brand colours.',
                             layout={"contrast": []}, labels={})
    report = with_image_findings({"verdict": "pass", "findings": []}, kits["northpeak"], result, market="US",
                                 copy={"caption": "CLICK HERE for the cheap shell"})
    by_category = {f["category"] for f in report["findings"] if f["field"] == "alt_text"}
    assert {"accessibility", "banned_term"} <= by_category and report["verdict"] != "pass"
    # a plain alt text passes: it describes the labelled image, it is not copy that must carry the AI label
    clean = SimpleNamespace(alt_text="茶园里 Chayuan广告图：品牌色背景上写着“周末露营，带一壶冷泡茶”，右上角是品牌标志。",
                            layout={"contrast": []}, labels={})
    report = with_image_findings({"verdict": "pass", "findings": []}, kits["chayuan"], clean, market="CN",
                                 copy={"title": "周末露营，带一壶冷泡茶"})
    assert report == {"verdict": "pass", "findings": []}


def _measured(path, box, colour) -> float:
    """Contrast of the text colour against the background pixels of its box on the rendered file (pixels that
    are far from the text colour; anti-aliased edges are left out), judged by the worst 5 % of them."""
    import numpy as np
    from PIL import Image

    from studio.imaging.colour import contrast_ratio

    x, y, w, h = box
    arr = np.asarray(Image.open(path).convert("RGB").crop((x, y, x + w, y + h))).reshape(-1, 3).astype(int)
    dist = np.abs(arr - np.array(colour)).sum(axis=1)
    background = arr[dist > dist.max() * 0.6]
    ratios = sorted(contrast_ratio(tuple(p), colour) for p in background[:: max(1, len(background) // 4000)])
    return ratios[len(ratios) // 20]


@pytest.mark.parametrize("name", [c[0] for c in CREATIVES])
def test_text_on_rendered_creatives_meets_wcag_contrast(creatives, name):
    result = creatives[name]
    contrast = {c["element"]: c for c in result.layout["contrast"]}
    headline = contrast["headline"]
    assert headline["ok"] and headline["ratio"] >= headline["required"]
    measured = _measured(result.path, result.layout["headline_box"], tuple(headline["colour"]))
    assert measured >= headline["required"], measured
    if result.cta:
        cta = contrast["cta"]
        assert _measured(result.path, result.layout["cta_box"], tuple(cta["colour"])) >= cta["required"]
    assert contrast["logo"]["ratio"] >= 3.0  # the light logo gets a plate it stands out on
    assert result.labels["visible_label"]["contrast"] >= 4.5


def test_the_light_logo_gets_a_dark_plate(creatives):
    import numpy as np
    from PIL import Image

    from studio.images.contrast import logo_contrast

    result = creatives["light"]
    x, y, w, h = result.layout["logo_plate"]
    image = Image.open(result.path).convert("RGB")
    plate = tuple(int(v) for v in np.asarray(image.crop((x + 2, y + h // 2, x + 6, y + h // 2 + 2))).reshape(-1, 3)[0])
    lx, ly, lw, lh = result.layout["logo_box"]
    logo = image.crop((lx + lw // 4, ly + lh // 4, lx + 3 * lw // 4, ly + 3 * lh // 4)).convert("RGBA")
    assert logo_contrast(logo, plate) >= 3.0


def test_contrast_the_compositor_could_not_fix_becomes_a_finding():
    from studio.accessibility.image_findings import contrast_findings

    [finding] = contrast_findings([{"element": "headline", "text": "Dry commutes", "ratio": 2.1, "required": 3.0,
                                    "ok": False}, {"element": "cta", "text": "See it", "ratio": 5.0, "required": 3.0,
                                                   "ok": True}])
    assert finding.category == "accessibility" and finding.field == "image" and "2.1:1" in finding.message


def test_a_scrim_brings_text_on_a_busy_photo_up_to_the_minimum():
    from PIL import Image, ImageDraw

    from studio.images.contrast import ensure_text_contrast, ratio_against

    image = Image.new("RGB", (400, 200), (128, 128, 128))
    draw = ImageDraw.Draw(image)
    for x in range(0, 400, 10):
        draw.rectangle((x, 0, x + 4, 200), fill=(250, 250, 250) if x % 20 else (10, 10, 10))
    box = (50, 50, 300, 80)
    candidates = [(255, 255, 255), (17, 17, 17)]
    before = max(ratio_against(image, box, c) for c in candidates)
    checked = ensure_text_contrast(image, box, candidates, font_px=40, element="headline", text="x", pad=6)
    assert before < 3.0 and checked.fix == "scrim" and checked.ok
    assert ratio_against(image, box, checked.colour) >= 4.5


def test_edited_alt_text_is_checked_written_into_the_image_and_kept_as_a_version(kits, tmp_path, monkeypatch):
    from studio import config
    from studio.accessibility.edit import AltTextError, edit_alt_text
    from studio.images import render_creative
    from studio.labels import verify_file
    from studio.review import ReviewQueue

    monkeypatch.setenv("STUDIO_DATA_DIR", str(tmp_path))
    config.get_settings.cache_clear()
    queue = ReviewQueue()
    request_id, _ = queue.open_request(kit="northpeak", segment="city-commuters", channels=["instagram"], market="US",
                                       brief={"text": "rain shell"}, variants_per_channel=1, created_by="alice")
    variant_id = queue.request_variants(request_id)[0]["id"]
    loaded, copy = kits["northpeak"], {"caption": "Dry at both ends of the commute.\n\nAI-generated"}
    rendered = render_creative(loaded, get_channel("instagram"), copy, market="US", brief_text="rain shell",
                               segment="city-commuters", variant_id=variant_id, out_path=tmp_path / "images" / "v1.png",
                               settings=config.get_settings())
    made = rendered.model_dump(mode="json")
    queue.add_version(variant_id, number=1, copy=copy, image_path=str(rendered.path),
                      provenance={"image": {k: v for k, v in made.items() if k not in ("path", "labels")}},
                      check_report={"verdict": "pass", "findings": []}, labels={"image": made["labels"]},
                      source="generated", by="alice")
    with pytest.raises(AltTextError, match="at most 125"):
        edit_alt_text(variant_id, "x" * 126, by="alice")
    shown = edit_alt_text(variant_id, "A cyclist in a teal rain shell on a wet street. CLICK HERE", by="alice")
    assert shown["version"] == 2 and shown["image"] != str(rendered.path)
    assert _exiftool(shown["image"])["AltTextAccessibility"] == "A cyclist in a teal rain shell on a wet street. CLICK HERE"
    assert _exiftool(rendered.path)["AltTextAccessibility"] == rendered.alt_text  # version 1's file is untouched
    assert any(f["field"] == "alt_text" and f["category"] == "accessibility" for f in shown["findings"])
    report = verify_file(shown["image"])
    assert report.ok, report.problems  # labelled and signed again, its watermark intact

    # The review page's button: gradio hands it the logged-in request (its annotation must resolve to
    # gr.Request, or gradio counts `request` as a third input and the button fails).
    import typing
    from types import SimpleNamespace

    import gradio as gr

    from studio.app.review_page import save_alt_text

    assert typing.get_type_hints(save_alt_text)["request"] is gr.Request
    message, *_ = save_alt_text(variant_id, "A cyclist in a teal rain shell on a wet street.",
                                SimpleNamespace(username="alice"))
    assert message.startswith(f"Alt text saved for {variant_id} as v3")
