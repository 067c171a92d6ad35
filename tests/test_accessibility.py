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
