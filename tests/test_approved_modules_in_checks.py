"""A line the brand team approved as a content module gets no learned second-opinion warning in copy, while
the rules still check it; other copy keeps the model's warnings."""

from __future__ import annotations

import pytest

from studio.checks import get_checker
from studio.checks.approved import ApprovedLines
from studio.kits import load_kit
from studio.modules.model import ContentModule
from tests.conftest import KITS_DIR, SAMPLE_KITS


def _module(mid: str, text: str) -> ContentModule:
    return ContentModule(id=mid, role="headline", text=text)


def test_a_sentence_is_recognised_as_a_module_with_its_placeholders_filled():
    lines = ApprovedLines([_module("a", "Out in it, back again"), _module("b", "{product}: dry at both ends")])
    assert lines.module_of("Out in it, back again.") == "a"
    assert lines.module_of("  out in it, BACK again!") == "a"
    assert lines.module_of("Ridgeback Shell: dry at both ends") == "b"
    assert lines.module_of("Out in it, back again with a free repair") is None, "a longer sentence is new copy"
    assert lines.module_of("dry at both ends") is None


@pytest.mark.parametrize("kit_id", SAMPLE_KITS)
def test_no_approved_module_of_a_sample_kit_gets_a_model_warning(kit_id):
    loaded = load_kit(kit_id, KITS_DIR)
    checker = get_checker(loaded)
    for module in loaded.modules:
        text = module.text.replace("{product}", "Ridgeback Shell" if kit_id == "northpeak" else "冷泡乌龙")
        warned = [f for f in checker.check_text(text).findings if f.source == "model" and f.severity.value != "info"]
        assert warned == [], f"{module.id}: {warned}"


def test_the_model_still_warns_on_copy_that_is_not_a_module():
    checker = get_checker(load_kit("northpeak", KITS_DIR))
    found = checker.check_text("Cardiologists quietly switched their own families to this tea.").findings
    assert any(f.source == "model" and f.category == "endorsement" and f.severity.value == "warn" for f in found)


def test_a_module_that_is_little_more_than_a_placeholder_stands_for_nothing():
    lines = ApprovedLines([_module("p", "{product}."), _module("q", "{product}：上新")])
    assert lines.module_of("Guilt-trip copy that no module says.") is None
    assert lines.module_of("冷泡乌龙：上新") is None


def test_the_tone_signal_still_warns_on_a_kit_with_bare_placeholder_modules():
    loaded = load_kit("northpeak", KITS_DIR)
    checker = get_checker(loaded)
    assert any("{product}" in m.text for m in loaded.modules)
    found = checker.check_text("Cardiologists quietly switched their own families to this tea.").findings
    assert all(f.severity.value != "info" for f in found if f.source == "model")
