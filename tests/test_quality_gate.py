"""The quality gate: garbled, off_brief and unsupported_claim, as a reviewer and a `studio check` user see them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from studio.checks import get_checker
from studio.config import get_settings
from studio.kits import load_kit
from tests.conftest import REPO

QUALITY = {"garbled", "off_brief", "unsupported_claim"}
NP_BRIEF = {"text": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell", "offer": "free first repair"}
CY_BRIEF = {"text": "介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", "product": "春山绿冷泡茶包", "offer": "首单包邮"}


@pytest.fixture(scope="module")
def northpeak():
    return get_checker(load_kit("northpeak", get_settings().kits_dir))


@pytest.fixture(scope="module")
def chayuan():
    return get_checker(load_kit("chayuan", get_settings().kits_dir))


def categories(report):
    return {f.category for f in report.findings if f.severity.value != "info"}


# The variants quoted in issue 13, each with the category a careful editor gives it.
ISSUE_EN = [
    ("One layer, six hundred + ten thousand plus two thirds - twenty five percent more per week – a little", "garbled"),
    ("This waterproof waterproof material provides year after year since 75 years ago.", "garbled"),
    ("This waterproof waterproof material provides year after year since 75 years ago.", "unsupported_claim"),
    ("Ridgeback Shell is a line of natural leather riding accessories designed by a local manufacturer called Ridgebelly.",
     "unsupported_claim"),
    ("The RISEBDRADCERBONDY - RidgeBack StormSpectrum Roof Insulation", "garbled"),
]


@pytest.mark.parametrize("text,category", ISSUE_EN)
def test_issue_examples_en_are_no_longer_pass(northpeak, text, category):
    report = northpeak.check_text(text, market="US", brief=NP_BRIEF)
    assert report.verdict != "pass"
    assert category in categories(report)


def test_issue_example_zh_xiaohongshu_body_is_blocked(chayuan):
    from studio.channels import get_channel

    copy = {"title": "惠用更精健的言输，保持所有条码！", "body": "行动扩大林拉废锅剪贴_密码_ 1977/2/12, 11:25(+) [+] 10% ..."}
    report = chayuan.check_copy(copy, channel=get_channel("xiaohongshu"), market="CN", brief=CY_BRIEF)
    garbled = [f for f in report.findings if f.category == "garbled"]
    assert report.verdict == "block" and garbled
    # the body's debris and, since the learned Chinese garble signal, the title's salad too
    assert {f.field for f in garbled} == {"body", "title"}
    # spans point into the checked field's text, like every other finding
    assert all(copy[f.field][f.start:f.end] == f.text for f in garbled)


def test_kana_and_char_salad_in_chinese_copy_are_garbled(chayuan):
    assert "garbled" in categories(chayuan.check_text("最近ｵ ネキリこんとｴｴｵ 的茶", market="CN"))
    # the 135M model's Chinese output, verbatim
    salad = "《短句雪持；‖香描 | 三名最贵者促议他们“林拉斯”（板琳富行·华扎）为果能言化对应，软思持他们成为一位知葡恳门魁茶"
    report = chayuan.check_text(salad, market="CN")
    hit = next(f for f in report.findings if f.rule == "quality.garbled.character_salad")
    assert hit.source == "model" and 0 < hit.score <= 1


def test_product_names_that_look_like_non_words_are_known(northpeak):
    text = "Loopfleece™ and StormLayer™ keep the Ridgeback Shell warm and dry; Northpeak ReCraft™ fixes the zip."
    assert not categories(northpeak.check_text(text, market="US")) & {"garbled"}


def test_numbers_from_the_brief_are_not_claims_or_garble(northpeak):
    brief = {"text": "Sizes and prices: XS 36, S 38, M 40, L 42, XL 44; $289 / €299", "product": "Ridgeback Shell"}
    text = "Ridgeback Shell in XS 36, S 38, M 40, L 42, XL 44 for $289 / €299."
    assert not categories(northpeak.check_text(text, market="US", brief=brief)) & QUALITY


def test_substantiated_claims_pass_and_invented_ones_name_the_kits_instead(northpeak):
    ok = "The Ridgeback Shell: shell fabric made with 80% recycled nylon and a PFAS-free DWR finish."
    assert "unsupported_claim" not in categories(northpeak.check_text(ok, market="US"))
    bad = northpeak.check_text("The Ridgeback Shell is made with 100% recycled nylon.", market="US")
    claim = next(f for f in bad.findings if f.category == "unsupported_claim")
    assert claim.severity.value == "block"  # an environmental fact
    assert "80% recycled nylon" in claim.suggestion


def test_off_brief_only_with_a_brief(northpeak):
    text = "A classic, comforting way to lay out your winter clothing for a long weekend at the lake."
    assert "off_brief" not in categories(northpeak.check_text(text, market="US"))
    report = northpeak.check_text(text, market="US", brief=NP_BRIEF)
    assert report.verdict == "block" and "off_brief" in categories(report)
    on_brief = "The Ridgeback Shell keeps the rain off your bike commute, and your first repair is free."
    assert "off_brief" not in categories(northpeak.check_text(on_brief, market="US", brief=NP_BRIEF))


def _voice_examples(kit_id: str) -> list[str]:
    """The copy in a kit's voice files: labelled fields, or paragraphs without the document heading."""
    from studio.generate.examples import sections

    loaded = load_kit(kit_id, get_settings().kits_dir)
    texts = []
    for path in loaded.voice_files:
        body = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("# "))
        parts = [content for _, content in sections(body)] or [p for p in re.split(r"\n\s*\n", body) if p.strip()]
        texts += parts
    return texts


@pytest.mark.parametrize("kit_id", ["northpeak", "chayuan"])
def test_no_quality_findings_on_the_kits_own_voice_examples(kit_id):
    checker = get_checker(load_kit(kit_id, get_settings().kits_dir))
    texts = _voice_examples(kit_id)
    assert len(texts) > 40
    flagged = [(t[:60], sorted(categories(checker.check_text(t)) & QUALITY)) for t in texts]
    assert [f for f in flagged if f[1]] == []


def _studio(*args, stdin: str):
    return subprocess.run([sys.executable, "-m", "studio.cli", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_cli_check_takes_the_brief_and_jsonl_lines_carry_it():
    r = _studio("check", "--kit", "northpeak", "--brief", NP_BRIEF["text"], "--product", "Ridgeback Shell",
                "--offer", "free first repair", "--json", "-", stdin="A bespoke solution by North Peak Rug Transportation for the lake house.")
    out = json.loads(r.stdout)
    assert r.returncode == 1 and out["verdict"] == "block"
    assert any(f["category"] == "off_brief" and f["source"] == "rule" for f in out["findings"])
    lines = [
        {"id": "on", "kit": "chayuan", "text": "春山绿冷泡茶包上新，三克茶配五百毫升凉水，冷藏一夜，首单包邮。AI生成",
         "brief": CY_BRIEF["text"], "product": CY_BRIEF["product"], "offer": CY_BRIEF["offer"]},
        {"id": "off", "kit": "chayuan", "text": "周末去湖边露营，带上天幕和折叠椅，躺一天。AI生成", "product": CY_BRIEF["product"]},
        {"id": "nobrief", "kit": "chayuan", "text": "周末去湖边露营，带上天幕和折叠椅，躺一天。AI生成"},
    ]
    r = _studio("check", "--jsonl", "-", stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    got = {o["id"]: {f["category"] for f in o["findings"]} for o in map(json.loads, r.stdout.splitlines())}
    assert "off_brief" not in got["on"] and "off_brief" in got["off"] and "off_brief" not in got["nobrief"]


def test_cli_an_offer_alone_is_bad_input():
    r = _studio("check", "--offer", "10% off", "-", stdin="Ten percent off the Ridgeback Shell.")
    assert r.returncode == 2 and r.stdout == "" and r.stderr.startswith("error: ") and len(r.stderr.splitlines()) == 1


def test_the_workflow_checks_against_the_brief_and_revises_quality_findings(monkeypatch, northpeak):
    from studio.channels import get_channel
    from studio.workflow import nodes

    monkeypatch.setenv("STUDIO_REVISE_ROUNDS", "2")
    get_settings.cache_clear()
    copy = {"subject": "One line, at most 60 characters.", "preheader": "Ridgeback Shell, offer unlimited first repair on rags.",
            "body": "This waterproof waterproof material provides year after year since 75 years ago.", "cta": "Shop now"}
    monkeypatch.setattr(nodes, "kit_for", lambda state: load_kit("northpeak", get_settings().kits_dir))
    state = {"kit_id": "northpeak", "channel_id": "email", "market": "US", "copy": copy, "brief": NP_BRIEF,
             "revise_round": 0, "feedback": []}
    state.update(nodes.check(state))
    found = {f["category"] for f in state["report"]["findings"]}
    assert {"garbled", "unsupported_claim"} <= found
    assert nodes.after_check(state) == "revise"
    notes = nodes.revise(state)["feedback"]
    assert any("waterproof waterproof" in n for n in notes) and any("at most 60 characters" in n for n in notes)
    get_settings.cache_clear()


# ---------------------------------------------------------------- kinds of error added after the first measurement
# Examples written for these tests (not taken from the eval files): each kind with a positive and a negative.

def _kinds(report, category):
    return {f.rule.rsplit(".", 1)[-1] for f in report.findings if f.category == category and f.severity.value != "info"}


@pytest.mark.parametrize("text", ["Single line, no emoji.", "One word: Drybag!", "Keep it short. One line only.",
                                  "Weekend sale at most 45 characters", "Key message: repairs are free",
                                  "两行，每行不超过 15 个字。"])
def test_prompt_echoes_are_garbled_in_any_text(northpeak, chayuan, text):
    checker = chayuan if any("\u4e00" <= c <= "\u9fff" for c in text) else northpeak
    assert "prompt_echo" in _kinds(checker.check_text(text), "garbled")


@pytest.mark.parametrize("text", ["The whole trip in one line: wet, cold, worth it.", "One line per post; keep the hashtags last.",
                                  "One day on the ridge is enough to know.", "冷藏不超过 12 小时，口感最好。"])
def test_sentences_about_lines_and_lengths_that_are_copy_are_not_echoes(northpeak, chayuan, text):
    checker = chayuan if any("\u4e00" <= c <= "\u9fff" for c in text) else northpeak
    assert "garbled" not in categories(checker.check_text(text))


@pytest.mark.parametrize("text", ["We're thrilled to introduce", "Meet the shell that every", "Pack it, ride it, and let's",
                                  "A jacket we patched twice and would wear on every commute if the forecast says rain again which",
                                  "Here is what changed this season for riders who commute year round and want a shell that lasts for",
                                  "Three things to know before the next storm:"])
def test_cut_off_texts_are_garbled(northpeak, text):
    assert "cut_off" in _kinds(northpeak.check_text(text, brief=NP_BRIEF), "garbled")


@pytest.mark.parametrize("text", ["We're proud of every stitch.", "A shell built for wet commutes, and to be repaired",
                                  "Ridgeback Shell | Rated 20,000 mm | Taped Seams | Packs Into Its Own Pocket | Sizes XS To 3XL",
                                  "Before you buy a new one, we would rather fix the one you have. Here is how it works:"])
def test_headlines_and_whole_sentences_are_not_cut_off(northpeak, text):
    assert "garbled" not in categories(northpeak.check_text(text, brief=NP_BRIEF))


@pytest.mark.parametrize("word", ["Ridgebock", "Ridgebackle", "Loopfleek", "Stormlaver"])
def test_mangled_kit_names_are_garbled(northpeak, word):
    report = northpeak.check_text(f"Meet the {word} for wet mornings.", brief=NP_BRIEF)
    assert "mangled_name" in _kinds(report, "garbled")


@pytest.mark.parametrize("text", ["Meet the Ridgeback for wet mornings.", "Two Ridgebacks hang by the door.",
                                  "A raincoat for the ride in.", "The Loopfleece™ Hoodie, again."])
def test_kit_names_their_plurals_and_compounds_of_words_are_not_mangled(northpeak, text):
    assert "mangled_name" not in _kinds(northpeak.check_text(text, brief=NP_BRIEF), "garbled")


def test_replacement_characters_and_empty_markup_are_debris(chayuan):
    assert "debris" in _kinds(chayuan.check_text("春山绿冷泡茶包\ufffd上新"), "garbled")
    assert "debris" in _kinds(chayuan.check_text("春山绿冷泡茶包上新 [] ![](a.png)"), "garbled")


def test_plain_numbers_inside_salad_are_debris_but_stated_facts_stay_claims(chayuan, northpeak):
    salad = chayuan.check_text("扬枷恵封旧持促封赏值图护福庆叶 983 知葡恳门魁")
    assert "garbled" in categories(salad) and "unsupported_claim" not in categories(salad)
    # A percentage or a year reads as a fact even in salad: a reader takes it away, the blind sets' editors flag it.
    for fact in ("98.3%", "1977年"):
        stated = chayuan.check_text(f"扬枷恵封旧持促封赏值图护福庆叶 {fact} 知葡恳门魁")
        assert {"garbled", "unsupported_claim"} <= categories(stated), fact
    echo = northpeak.check_text("One line, at most 90 characters.", brief=NP_BRIEF)
    assert "garbled" in categories(echo) and "unsupported_claim" not in categories(echo)
    # A price in readable (if cut-off) copy is still a claim.
    priced = northpeak.check_text("The Ridgeback Shell for £7.49 and", brief=NP_BRIEF)
    assert {"garbled", "unsupported_claim"} <= categories(priced)


@pytest.mark.parametrize("text,kind", [("The highest-rated shell for commuters.", "rating"),
                                       ("A fully compostable shell for commuters.", "environmental"),
                                       ("Unlimited repairs on the Ridgeback Shell.", "offer"),
                                       ("买一送一，春山绿冷泡茶包。", "offer")])
def test_ratings_environmental_properties_and_offers_need_substantiation(northpeak, chayuan, text, kind):
    checker = chayuan if any("\u4e00" <= c <= "\u9fff" for c in text) else northpeak
    brief = CY_BRIEF if checker is chayuan else NP_BRIEF
    assert kind in _kinds(checker.check_text(text, brief=brief), "unsupported_claim")


def test_substantiated_environmental_property_is_not_a_claim(northpeak):
    # The kit substantiates recycled nylon; the brief may also state an offer.
    report = northpeak.check_text("The Ridgeback Shell is made with recycled nylon.", brief=NP_BRIEF)
    assert "unsupported_claim" not in categories(report)
    offer = northpeak.check_text("Unlimited repairs on the Ridgeback Shell.", brief={**NP_BRIEF, "offer": "unlimited repairs"})
    assert "offer" not in _kinds(offer, "unsupported_claim")


def test_claim_numbers_are_the_same_as_a_scan_of_the_whole_text():
    """claim_numbers tries CLAIM_NUMBER only where a match can start: the same matches as finditer, on every
    labelled text, the kits' voice documents and random mixes of the pattern's parts (prefixes inside words too)."""
    import glob
    import json
    import random

    from studio.checks.quality.claims import CLAIM_NUMBER, claim_numbers

    texts = []
    for path in glob.glob(str(REPO / "evals" / "**" / "*.jsonl"), recursive=True):
        texts += [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
    texts += [open(p, encoding="utf-8").read() for p in glob.glob(str(REPO / "brand_kits" / "*" / "voice" / "*.md"))]
    rng = random.Random(7)
    parts = ["since", "In", "from", "est.", "established", "$", "¥", "19", "2021", "1,200", "12", "3.5", "%", " ", "-",
             "one", "Twenty", "百分之", "三", "年", "克", "out of 5", "/5", "years", "x", "+", "k", "mm", "元", "word",
             "\n", "ſince", "１２", "sinc", "e", "s", "t"]
    texts += ["".join(rng.choice(parts) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    assert len(texts) > 5500
    for text in texts:
        expected = [(m.start(), m.end()) for m in CLAIM_NUMBER.finditer(text)]
        assert [(m.start(), m.end()) for m in claim_numbers(text)] == expected, text


def scope_findings(report):
    return [f for f in report.findings if f.rule == "quality.unsupported_claim.scope"]


def test_a_fact_the_kit_scopes_to_one_product_is_unsupported_in_copy_for_another(northpeak, chayuan):
    # np-pp-pro-pattern-changes is tagged products: [shell]: the winter test group tested the shells.
    text = "Three pattern changes made before launch, and one feature removed because nobody used it."
    pack = northpeak.check_text(f"The Transit 22 commuter pack. {text}", market="US",
                                brief={"text": "Back to work with the Transit 22", "product": "Transit 22", "offer": ""})
    found = scope_findings(pack)
    assert found and found[0].category == "unsupported_claim" and "shell" in found[0].message
    assert found[0].text.startswith("Three pattern changes")
    shell = northpeak.check_text(f"The Ridgeback Shell. {text}", market="US", brief=NP_BRIEF)
    assert not scope_findings(shell)
    # Cold-brew timing (cy-pp-oc-timing, scoped to 冷泡) in copy for a roasted oolong.
    oolong = chayuan.check_text("岩上桂新一批焙好了。冷藏 6 到 8 小时就能喝，别超过 12 小时，泡太久会有点涩。", market="CN",
                                brief={"text": "新一批岩上桂焙好了，讲讲焙火。", "product": "岩上桂", "offer": ""})
    assert scope_findings(oolong)
    assert not scope_findings(chayuan.check_text("冷藏 6 到 8 小时就能喝，别超过 12 小时，泡太久会有点涩。", market="CN", brief=CY_BRIEF))


def test_a_scoped_fact_that_names_its_product_or_states_no_fact_is_not_misattributed(northpeak):
    brief = {"text": "Back to work with the Transit 22", "product": "Transit 22", "offer": ""}
    # Names whose fact it is (np-pp-recycled-nylon: "shell fabric made with 80% recycled nylon").
    named = northpeak.check_text("Our shell fabric made with 80% recycled nylon, and the Transit 22 for your laptop.",
                                 market="US", brief=brief)
    assert not scope_findings(named)
    # Without a brief nothing is out of scope.
    assert not scope_findings(northpeak.check_text(
        "Three pattern changes made before launch, and one feature removed because nobody used it.", market="US"))


def test_a_new_product_of_a_known_line_shares_the_lines_facts_but_a_listed_product_keeps_its_own(chayuan):
    """A new flavour the library does not list ("园里冷萃™白桃乌龙") is of the 园里冷萃™ line: the bottled line's
    450 ml bottle is its fact too. The line's tea bags (园里冷萃™茶包, listed) are another product: not theirs."""
    text = "夏天的工位，来一瓶冰的。每瓶 450 毫升，够一个下午慢慢喝。"
    flavour = chayuan.check_text(text, market="CN",
                                 brief={"text": "新口味白桃乌龙瓶装上市", "product": "园里冷萃™白桃乌龙", "offer": ""})
    assert not scope_findings(flavour)
    bags = chayuan.check_text(text, market="CN", brief={"text": "冷泡茶包夏季上新", "product": "园里冷萃™茶包", "offer": ""})
    assert scope_findings(bags)


def test_a_headline_that_says_nothing_of_the_brief_is_off_brief_whatever_the_body_says(northpeak, chayuan):
    from studio.channels import get_channel

    body = "The Ridgeback Shell is here for bike commuters: your first repair is free."
    email = get_channel("email")
    empty = northpeak.check_copy({"subject": "Awesome!", "preheader": "", "body": body, "cta": "Shop now"},
                                 channel=email, market="US", brief=NP_BRIEF)
    found = [f for f in empty.findings if f.rule == "quality.off_brief.headline"]
    assert [f.field for f in found] == ["subject"]
    carried = northpeak.check_copy({"subject": "Ridgeback Shell: dry at both ends of the commute", "preheader": "",
                                    "body": body, "cta": "Shop now"}, channel=email, market="US", brief=NP_BRIEF)
    assert not [f for f in carried.findings if f.rule == "quality.off_brief.headline"]
    # One field checked on its own, as `studio check --field subject` or an eval row does.
    assert "off_brief" in categories(northpeak.check_text("Why?", channel=email, field="subject", market="US", brief=NP_BRIEF))
    # A call to action is judged as one (tests/test_quality_brief.py): "Why?" asks for nothing, "Shop now" does.
    assert "off_brief" not in categories(northpeak.check_text("Shop now", channel=email, field="cta", market="US", brief=NP_BRIEF))
    zh = chayuan.check_text("太棒了！", channel=get_channel("xiaohongshu"), field="title", market="CN", brief=CY_BRIEF)
    assert "off_brief" in categories(zh)
    named = chayuan.check_text("春山绿冷泡茶包，工位上的一杯茶", channel=get_channel("xiaohongshu"), field="title", market="CN",
                               brief=CY_BRIEF)
    assert not [f for f in named.findings if f.rule == "quality.off_brief.headline"]


def test_a_brief_that_names_the_product_only_in_its_text_keeps_that_products_facts_in_scope(northpeak):
    # "Launch of the Ridgeback rain shell": the composer writes about the Ridgeback Shell with its own facts.
    brief = {"text": "Launch of the Ridgeback rain shell for bike commuters", "product": "", "offer": ""}
    report = northpeak.check_text("Before launch, 38 guides wore test jackets for a full winter. 410 g in size M.",
                                  market="US", brief=brief)
    assert not scope_findings(report)


def test_a_search_ads_headlines_are_judged_together(northpeak):
    from studio.channels import get_channel

    ad = {"headline_1": "The Ridgeback Shell, up close", "headline_2": "Hood fits over a helmet",
          "headline_3": "Dry at both ends", "description_1": "Packs into its own pocket.",
          "description_2": "Your first repair is free."}
    report = northpeak.check_copy(ad, channel=get_channel("search_ad"), market="US", brief=NP_BRIEF)
    assert not [f for f in report.findings if f.rule == "quality.off_brief.headline"]
    none = dict(ad, headline_1="Why wait?")
    report = northpeak.check_copy(none, channel=get_channel("search_ad"), market="US", brief=NP_BRIEF)
    assert [f.field for f in report.findings if f.rule == "quality.off_brief.headline"] == ["headline_1"]
