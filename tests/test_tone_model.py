"""The learned tone signal (studio/checks/learned/tone_model.py) on the real kits and the shipped model file.

The texts here are written for these tests: neither training texts (evals/model_train/tones/) nor
held-out ones (evals/checks/scored_not_fixed/tones_eval.jsonl).
"""

from __future__ import annotations

import pytest

from studio.checks.learned.tone_model import FORMAT_VERSION, MODEL_FILE, ToneModel, get_tone_model
from studio.checks.packs import load_tones
from studio.checks.voice_fit import VoiceFit
from studio.domain import Finding, Severity
from studio.kits import load_kit

from .conftest import KITS_DIR

GUILT = "Your old boots walked you up every peak for years, and now you just leave them in the garage to rot?"
SCARCITY = "只剩最后三十罐了，今晚十二点一过就下架，想要的抓紧拍！"


def voice_fit(kit_id: str, avoid: list[str] | None = None) -> VoiceFit:
    kit = load_kit(kit_id, KITS_DIR).kit
    if avoid is not None:
        kit = kit.model_copy(update={"voice": kit.voice.model_copy(update={"avoid_tones": avoid})})
    return VoiceFit(kit, [])


def test_shipped_model_loads_with_a_tone_group_of_the_lexicons_per_column():
    model = get_tone_model()
    assert model is not None and MODEL_FILE.is_file()
    assert set(model.groups) <= set(load_tones()["tones"])
    assert {"guilt", "fear", "zh_scarcity"} <= set(model.groups)
    assert all(0.5 <= t < 1 for t in model.thresholds)


def test_a_model_file_of_another_version_is_refused():
    with pytest.raises(ValueError, match="tone model"):
        ToneModel({"version": "tone-v0", "features_version": "x"})
    assert FORMAT_VERSION == "tone-v1"


def test_guilt_trip_without_lexicon_words_is_a_model_warning_at_its_sentence():
    voice = voice_fit("northpeak")
    text = "Autumn is here. " + GUILT
    found = voice.model_findings(text, "body", [])
    assert [f.rule for f in found] == ["kit.northpeak.avoid_tone_model.guilt"]
    f = found[0]
    assert (f.category, f.severity, f.source, f.field) == ("voice_mismatch", Severity.warn, "model", "body")
    assert text[f.start:f.end] == f.text == GUILT  # the sentence, not the calm one before it
    assert f.score >= get_tone_model().thresholds[get_tone_model().groups.index("guilt")]
    assert "guilt-tripping" in f.message  # the kit's own wording of the tone


def test_only_the_tones_the_kit_avoids_are_scored():
    assert voice_fit("northpeak", ["hype"]).model_findings(GUILT, None, []) == []
    assert voice_fit("northpeak", ["guilt-tripping"]).model_findings(GUILT, None, [])
    assert voice_fit("northpeak", []).model_findings(GUILT, None, []) == []
    # chayuan avoids 制造稀缺 (zh_scarcity); northpeak's tones are English groups
    assert [f.rule for f in voice_fit("chayuan").model_findings(SCARCITY, None, [])] == \
        ["kit.chayuan.avoid_tone_model.zh_scarcity"]


def test_a_tone_its_lexicon_already_found_gets_no_second_finding():
    voice = voice_fit("northpeak")
    lexicon = Finding(rule="kit.northpeak.avoid_tone.guilt", category="voice_mismatch", severity=Severity.warn,
                      start=0, end=4, text="Your", message="", suggestion="")
    assert voice.model_findings(GUILT, None, [lexicon]) == []


@pytest.mark.parametrize("text", [
    "Gale warning for the summit ridge on Sunday afternoon; the valley loop is the better choice that day.",
    "Don't miss our open workshop on Saturday: we'll be resoling boots and you're welcome to watch.",
    "Oh, and the navy shell is back in medium and large.",
    "We re-proofed a customer's fifteen-year-old jacket last week; it sheds rain like new.",
])
def test_calm_information_in_the_kit_voice_is_not_flagged(text):
    assert voice_fit("northpeak").model_findings(text, None, []) == []


@pytest.mark.parametrize("text", [
    "台风预警：周五起福建沿海有大风，茶园参观顺延一周。",
    "别错过周六的焙火开放日，林师傅会讲讲今年的火候。",
    "新茶到了，这批是清明前三天采的，比去年略淡一些。",
])
def test_calm_chinese_copy_is_not_flagged(text):
    assert voice_fit("chayuan").model_findings(text, None, []) == []


def test_the_checker_reports_the_tone_model_for_a_kit():
    """Through the whole check, as a reviewer sees it: a guilt trip in northpeak copy is a voice_mismatch warning
    from the model; without a kit (no avoided tones) nothing is said about tone."""
    from studio.checks import get_checker

    kit = load_kit("northpeak", KITS_DIR)
    report = get_checker(kit).check_text("Autumn is here. " + GUILT, market="US")
    tone = [f for f in report.findings if f.category == "voice_mismatch" and f.source == "model"]
    assert [f.text for f in tone] == [GUILT] and report.verdict == "warn"
    assert not [f for f in get_checker(None).check_text(GUILT, market="US").findings if f.category == "voice_mismatch"]
