"""The writer's note instead of copy ("No product listed here.", "I'm happy to help!", 暂无商品信息) is off brief
and blocks, however short; copy that merely says "no" is left alone."""

from __future__ import annotations

import pytest

from studio.checks import get_checker
from studio.config import get_settings
from studio.kits import load_kit
from tests.test_quality_gate import CY_BRIEF, NP_BRIEF, _voice_examples


@pytest.fixture(scope="module")
def checkers():
    return {k: get_checker(load_kit(k, get_settings().kits_dir)) for k in ("northpeak", "chayuan")}


def _notes(report):
    return [f for f in report.findings if f.rule == "quality.off_brief.writer_note"]


@pytest.mark.parametrize("text", [
    "We have nothing to offer",
    "No product description available.",
    "There are no images provided",
    "I'm glad to help! Here's the headline:",
    "I'll keep it short.",
    "Closing statement: thanks for reading",
    "As requested, a warmer version.",
    "As an AI, I can't browse the store.",
])
def test_an_english_writers_note_is_blocked_as_off_brief(checkers, text):
    report = checkers["northpeak"].check_text(text, market="US", brief=NP_BRIEF)
    assert report.verdict == "block"
    [note] = _notes(report)
    assert note.category == "off_brief" and note.severity.value == "block" and "writer's note" in note.message


@pytest.mark.parametrize("text", ["暂无商品信息", "没有相关图片。", "好的，以下是为您撰写的文案：冷泡茶上新", "我很乐意为您写一段介绍。"])
def test_a_chinese_writers_note_is_blocked_as_off_brief(checkers, text):
    report = checkers["chayuan"].check_text(text, market="CN", brief=CY_BRIEF)
    assert report.verdict == "block" and len(_notes(report)) == 1


@pytest.mark.parametrize("text", [
    "No hidden fees. The Ridgeback Shell, and your first repair is free.",
    "No product is finished until it can be repaired: the Ridgeback Shell, first repair free.",
    "Nothing to prove on a wet commute: the Ridgeback Shell, with a free first repair.",
    "No reviews yet? Try the Ridgeback Shell on your commute; the first repair is free.",
])
def test_copy_that_says_no_is_not_a_note(checkers, text):
    assert _notes(checkers["northpeak"].check_text(text, market="US", brief=NP_BRIEF)) == []


@pytest.mark.parametrize("kit_id, brief", [("northpeak", NP_BRIEF), ("chayuan", CY_BRIEF)])
def test_no_voice_example_or_module_of_a_sample_kit_reads_as_a_note(checkers, kit_id, brief):
    loaded = load_kit(kit_id, get_settings().kits_dir)
    texts = _voice_examples(kit_id) + [m.text.replace("{product}", brief["product"]).replace("{offer}", brief["offer"])
                                       for m in loaded.modules]
    assert len(texts) > 100
    noted = [t[:60] for t in texts if _notes(checkers[kit_id].check_text(t, brief=brief))]
    assert noted == []
