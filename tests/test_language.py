"""One language/script helper for the writer, the checks, the voice store and the image fonts."""

from studio.checks.engine import Checker  # noqa: F401 - the checks import the shared helpers
from studio.imaging import fonts
from studio.language import cjk_share, detect_language, dominant_lang, has_cjk, has_han, is_language


def test_font_script_and_chinese_language_are_different_questions():
    # "。" needs a CJK font, but a text of punctuation is not Chinese.
    assert fonts.has_cjk("Hello。") and has_cjk("Hello。")
    assert not has_han("Hello。")
    assert detect_language("Hello。") == "en"
    assert detect_language("123 456") is None and dominant_lang("123 456") == "en"


def test_one_detector_for_mixed_copy():
    # Brand names and units in Latin letters inside Chinese copy keep it Chinese.
    zh = "春山绿冷泡茶包，3 g 一包，Chayuan 出品"
    assert detect_language(zh) == dominant_lang(zh) == "zh" and is_language(zh, "zh")
    en = "The Ridgeback Shell (雨衣) packs into its own pocket."
    assert detect_language(en) == "en" and not is_language(en, "zh")
    assert cjk_share("冷泡") == 1.0 and cjk_share("cold brew") == 0.0


def test_rare_and_supplementary_han_count_as_chinese():
    assert has_han("𠮷野家") and has_han("㐂") and fonts.is_cjk("𠮷")
