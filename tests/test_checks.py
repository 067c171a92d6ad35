"""The checker end to end: contract shape, offsets, kit rules, PII checksums, channel limits, CLI."""

from __future__ import annotations

import json
import random
import re

import pytest

from studio.channels import get_channel
from studio.checks import Checker, get_checker
from studio.checks.command import run_check_command
from studio.checks import pii
from studio.checks.pii import cn_id_valid, luhn_valid
from studio.config import get_settings
from studio.domain import CATEGORIES
from studio.kits import load_kit


@pytest.fixture(scope="module")
def plain():
    return get_checker(None)


@pytest.fixture(scope="module")
def northpeak():
    from tests.conftest import KITS_DIR

    return get_checker(load_kit("northpeak", KITS_DIR))


@pytest.fixture(scope="module")
def chayuan():
    from tests.conftest import KITS_DIR

    return get_checker(load_kit("chayuan", KITS_DIR))


def _cats(report):
    return {f.category for f in report.findings if f.severity.value != "info"}


def test_contract_shape(plain):
    data = plain.check_text("The best jacket, guaranteed to keep you dry. 全网最好", market="CN").to_json()
    assert set(data) == {"verdict", "findings"} and data["verdict"] in {"pass", "warn", "block"}
    for f in data["findings"]:
        assert set(f) == {"rule", "category", "severity", "start", "end", "text", "message", "suggestion"}
        assert f["category"] in CATEGORIES and f["severity"] in {"info", "warn", "block"}
    json.dumps(data)


def test_offsets_point_at_original_text_after_nfkc(plain):
    text = "Ｔｈｅ ＢＥＳＴ shell! 全网最　好，ﾃｽﾄ 最·佳 #最好 email: ｊａｎｅ@ｇｍａｉｌ.ｃｏｍ 🔥最🔥强"
    report = plain.check_text(text)
    assert report.findings
    for f in report.findings:
        assert text[f.start : f.end] == f.text
    texts = {f.text for f in report.findings}
    assert "ＢＥＳＴ" in texts and "最　好" in texts and "最·佳" in texts and "ｊａｎｅ@ｇｍａｉｌ.ｃｏｍ" in texts


def test_innocent_uses_are_clean(plain):
    for text in ["最近天气转凉，最后一步是冷藏。第一次冷泡？唯一的办法是多试几次。",
                 "Best practices for first-time customers: brew green tea at 80°C.",
                 "Guaranteed delivery date before the holidays."]:
        assert _cats(plain.check_text(text)) == set(), text


def test_verdict_and_sorting(plain):
    report = plain.check_text("Only 3 left! This tea cures insomnia.", market="US")
    assert report.verdict == "block"
    starts = [f.start for f in report.findings]
    assert starts == sorted(starts)


def test_overlapping_same_category_keeps_most_severe(plain):
    report = plain.check_text("Our eco-friendly shell.", market="EU")
    green = [f for f in report.findings if f.category == "green_claim"]
    assert len(green) == 1 and green[0].severity.value == "block"


def test_substantiated_claim_becomes_info(northpeak):
    text = "Our Ridgeback shell fabric made with 80% recycled nylon. The best jacket."
    report = northpeak.check_text(text, market="US")
    plainrep = get_checker(None).check_text("made with 80% recycled nylon", market="US")
    assert all(f.category != "green_claim" or f.severity.value != "info" for f in plainrep.findings)
    forbidden = [f for f in report.findings if f.rule.endswith("forbidden_claim")]
    assert forbidden and forbidden[0].severity.value == "block"


def test_substantiated_claim_softens_overlap(chayuan):
    text = "园里冷萃™瓶装茶饮不添加蔗糖，春山绿通过中国有机产品认证，口感最佳。"
    report = chayuan.check_text(text, market="CN")
    best = [f for f in report.findings if f.text.startswith("最")]
    assert best and best[0].severity.value == "block"
    # a claim listed with evidence turns overlapping findings into info with the evidence
    checker = Checker(chayuan.kit)
    checker.kit_rules.claims[0].regex = __import__("re").compile("口感最佳")
    soft = [f for f in checker.check_text(text, market="CN").findings if f.text.startswith("最")]
    assert soft and soft[0].severity.value == "info" and "证书" in soft[0].message


def test_kit_vocabulary(northpeak):
    report = northpeak.check_text("NorthPeak vs Talusforge: our jacket is bulletproof. Write Northpeak correctly.", market="US")
    rules = [(f.rule, f.text) for f in report.findings if f.category == "banned_term"]
    assert ("kit.northpeak.trademark", "NorthPeak") in rules
    assert ("kit.northpeak.competitor", "Talusforge") in rules
    assert ("kit.northpeak.banned", "bulletproof") in rules
    assert not any(t == "Northpeak" for _, t in rules)
    tm = next(f for f in report.findings if f.text == "NorthPeak")
    assert tm.severity.value == "warn" and "Northpeak" in tm.suggestion


def test_pii_checksums():
    assert cn_id_valid("11010519491231002X") and not cn_id_valid("110105194912310021")
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    c = get_checker(None)
    assert "pii" in _cats(c.check_text("身份证 11010519491231002X"))
    assert "pii" not in _cats(c.check_text("编号 110105194912310021"))
    assert "pii" in _cats(c.check_text("Card: 4111-1111-1111-1111"))
    assert "pii" not in _cats(c.check_text("Card: 4111-1111-1111-1112"))
    assert "pii" in _cats(c.check_text("加微信或致电 138 1234 5678"))
    info = c.check_text("Questions? support@northpeak.com").findings
    assert info and info[0].severity.value == "info"


@pytest.mark.parametrize(("name", "plain"), [
    ("CN_MOBILE", r"(?<![\d])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![\d])"),
    ("US_PHONE", r"(?<![\w])(?:1[\s.-])?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\d])"),
])
def test_phone_patterns_match_exactly_what_their_plain_form_matches(name, plain):
    """The phone patterns are written for speed (see pii.py); on random runs of digits, signs and
    letters they find the same numbers at the same places as the plain form they replace."""
    fast, slow = getattr(pii, name), re.compile(plain)
    rng = random.Random(5)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def sep() -> str:
        return rng.choice(["", " ", "-", ".", ") ", ")-", "--"])

    found = 0
    for _ in range(20000):
        text = rng.choice(["", "a", "x1", "9", "+", "1 ", "1-", "(", "86", "+86", "+86 ", "86-", "call "])
        if rng.random() < 0.5:  # US shape: 3-3-4 digits, give or take one
            sizes = [rng.choice([3, 3, 2, 4]), rng.choice([3, 3, 4]), rng.choice([4, 4, 3, 5])]
            text += sep().join(digits(n) for n in sizes)
        else:  # Chinese mobile shape: 1[3-9]x then two groups of four
            text += "1" + rng.choice("1345789") + digits(1) + sep() + digits(rng.choice([4, 4, 3])) + sep() + digits(4)
        text += rng.choice(["", "9", "a", " ok"])
        expected = [m.span() for m in slow.finditer(text)]
        assert [m.span() for m in fast.finditer(text)] == expected, text
        found += bool(expected)
    assert found > 500


def test_kit_disclosure_is_not_pii(northpeak):
    kit = northpeak.kit.kit
    line = kit.disclosures_for("US", "email")[0].text
    report = northpeak.check_text("Hi there, new layers are in. " + line + " Call 503-555-0142", market="US")
    pii = [f for f in report.findings if f.category == "pii"]
    assert [f.text for f in pii] == ["503-555-0142"]


def test_sms_ucs2_limit(plain):
    sms = get_channel("sms")
    ascii_ok = "a" * 150
    assert "channel_limit" not in _cats(plain.check_text(ascii_ok, channel=sms))
    zh = "春茶上新" * 20  # 80 UCS-2 units > 70
    report = plain.check_text(zh, channel=sms, market="CN")
    lim = [f for f in report.findings if f.category == "channel_limit"]
    assert lim and lim[0].start == 70 and zh[lim[0].start : lim[0].end] == lim[0].text
    emoji = "a" * 69 + "🙂"  # UCS-2: 71 units
    assert "channel_limit" in _cats(plain.check_text(emoji, channel=sms))


def test_check_copy_fields_and_hashtags(plain):
    ig = get_channel("xiaohongshu")
    copy = {"title": "冷泡茶的一百种喝法，今天只讲第一种，明天再讲第二种", "body": "慢慢喝。" * 10,
            "hashtags": " ".join(f"#话题{i}" for i in range(12))}
    report = plain.check_copy(copy, channel=ig, market="CN", disclosures=["广告"])
    fields = {(f.field, f.category) for f in report.findings}
    assert ("title", "channel_limit") in fields and ("hashtags", "channel_limit") in fields
    for f in report.findings:
        if f.field:
            assert copy[f.field][f.start : f.end] == f.text


def test_missing_disclosure(northpeak, chayuan):
    fb = get_channel("facebook_ad")
    copy = {"primary_text": "Rain shell for the commute.", "headline": "Ridgeback Shell", "cta": "Shop"}
    report = northpeak.check_copy(copy, channel=fb, market="US")
    missing = [f for f in report.findings if f.category == "missing_disclosure"]
    assert missing and missing[0].start == missing[0].end == 0 and missing[0].text == ""
    ok = northpeak.check_copy(copy, channel=fb, market="US", disclosures=["#ad", "Sponsored"])
    assert "missing_disclosure" not in _cats(ok)
    wx = chayuan.check_text("春山绿上新，明前采摘。", channel=get_channel("wechat"), market="CN")
    assert "missing_disclosure" in _cats(wx)
    assert "missing_disclosure" not in _cats(chayuan.check_text("春山绿上新。AI生成", channel=get_channel("wechat"), market="CN"))


def test_voice_avoided_tones(northpeak):
    report = northpeak.check_text("This shell is INSANE!!! You'll regret missing it.", market="US")
    assert "voice_mismatch" in _cats(report)


def test_get_checker_is_cached():
    assert get_checker(None) is get_checker(None)


# ------------------------------------------------------------------ CLI function


def test_cli_exit_codes(tmp_path, capsys):
    clean = tmp_path / "clean.txt"
    clean.write_text("A warm layer for cold mornings on the trail.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("This tea cures cancer.", encoding="utf-8")
    assert run_check_command(str(clean), None, None, "US", None, True) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "pass"
    assert run_check_command(str(bad), None, None, "US", None, True) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["verdict"] == "block" and out["findings"][0]["category"] == "health_claim"
    assert run_check_command(str(tmp_path / "missing.txt"), None, None, None, None, True) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("error: ") and "missing.txt" in captured.err
    assert run_check_command(str(clean), None, "nochannel", None, None, True) == 2
    assert run_check_command(str(clean), None, None, "MARS", None, True) == 2
    assert run_check_command(str(clean), "nokit", None, None, None, True) == 2
    assert capsys.readouterr().out == ""
    assert run_check_command(str(bad), "northpeak", "x", "US", None, False) == 1
    assert "BLOCK" in capsys.readouterr().out


def test_cli_jsonl_order_and_bad_line(tmp_path, capsys):
    lines = [{"id": "a", "text": "A calm cup of tea."}, {"id": "b", "text": "全网最好喝", "market": "CN"},
             {"id": "c", "text": "Only 2 left!", "channel": "sms", "market": "EU"}]
    f = tmp_path / "in.jsonl"
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    assert run_check_command(None, None, None, None, str(f), False) == 1
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert [o["verdict"] for o in out] == ["pass", "block", "block"]
    assert all(set(o) == {"id", "verdict", "findings"} for o in out)
    f.write_text(json.dumps(lines[0]) + "\n{\"id\": \"x\"}\n", encoding="utf-8")
    assert run_check_command(None, None, None, None, str(f), False) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "line 2" in captured.err
    f.write_text(json.dumps({"id": "x", "text": "hi", "market": "XX"}) + "\n", encoding="utf-8")
    assert run_check_command(None, None, None, None, str(f), False) == 2
    assert "line 1" in capsys.readouterr().err


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
def test_fast_voice_similarity_equals_the_plain_calculation(kit_id):
    """The vectorised voice score must give exactly the number the readable reference gives."""
    import random

    voice = get_checker(load_kit(kit_id, get_settings().kits_dir)).voice
    rng = random.Random(7)
    alphabet = "abcdefghij klmnop ÄÖß 茶园冷泡乌龙 😀#!?,." + "\u0130"  # İ grows when lower-cased
    texts = ["", "Dry on the commute, warm on the trail.", "冷泡乌龙，清爽不苦涩。", "x" * 5000]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 400))) for _ in range(200)]
    voice_docs = [d for path in load_kit(kit_id, get_settings().kits_dir).voice_files
                  for d in path.read_text(encoding="utf-8").split("\n\n") if d.strip()]
    texts += voice_docs[:40]  # in-voice copy: scores well above the threshold
    for text in texts:
        score = voice._similarity_reference(text)
        assert voice.similarity(text) == score, text[:40]
        # Asked only whether it is below a threshold, it answers with the same number, or None when not.
        for threshold in (voice.threshold, score, score + 1e-12, 0.5):
            assert voice.similarity_below(text, threshold) == (score if score < threshold else None), text[:40]
