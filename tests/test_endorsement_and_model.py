"""Issue 15: the endorsement category and the widened claim kinds on the real checker, the learned
second opinion (the shipped model file), and the real-ads eval suite."""

from __future__ import annotations

import json
import re

import pytest

from studio.checks import get_checker
from studio.checks.learned.model import MESSAGES, MODEL_FILE, ClaimsModel, get_claims_model
from studio.evaluation import real_ads
from studio.evaluation.runner import EvalInputError


def categories(text: str, market: str = "US") -> set[str]:
    report = get_checker(None).check_text(text, market=market)
    # the claim categories (the quality gate's unsupported_claim wants a kit's facts; not scored here)
    return {f.category for f in report.findings
            if f.severity.value != "info" and f.category in real_ads.COMPLIANCE_CATEGORIES}


@pytest.mark.parametrize("text, expected", [
    ("Board-certified rheumatologist: stop taking this with your coffee", "endorsement"),
    ("Retired NBA legend shares the knee pain fix he uses daily", "endorsement"),
    ("Grandma loses 35 pounds in time for her wedding", "endorsement"),
    ("皮肤科主任推荐的祛斑霜", "endorsement"),
    ("Got neuropathy? Do this before bed", "health_claim"),
    ("Your knee pain could be gone in a week", "health_claim"),
    ("Melt 18 lbs in 21 days, no dieting required", "health_claim"),
    ("十天告别小肚腩，一周瘦6斤", "health_claim"),
    ("These 3 energy stocks are poised to double", "financial_promise"),
    ("内部消息：这只股明天涨停板", "financial_promise"),
    ("The face roller taking the internet by storm", "fake_social_proof"),
    ("火遍全网的泡脚桶", "fake_social_proof"),
])
def test_the_new_kinds_are_flagged(text, expected):
    assert expected in categories(text, "CN" if not text.isascii() else "US")


@pytest.mark.parametrize("text", [
    "Ask your doctor whether a merino base layer helps on cold nights.",
    "Our physiotherapist explains how to fit the pack's hip belt.",
    "How to tell if your dog is cold on a winter walk.",
    "Read the fund's prospectus; returns are not guaranteed.",
    "如有不适请及时就医，孕妇请咨询医生。",
    "投资有风险，过往业绩不代表未来表现。",
])
def test_look_alikes_stay_clean(text):
    assert not categories(text, "CN" if not text.isascii() else "US")


@pytest.mark.parametrize("text, expected", [
    # issue 15, second round: kinds a blind set showed (texts of our own, not the set's)
    ("My podiatrist told me to try these insoles, and now I walk pain-free again.", {"endorsement", "health_claim"}),
    ("\"My tinnitus went away in ten days!\" - verified buyer", {"endorsement", "health_claim"}),
    ("体检医生都夸的鱼油，喝了三个月血脂降了一半。", {"endorsement", "health_claim"}),
    ("股神弟子亲授：一天轻松赚800。", {"endorsement", "financial_promise"}),
    ("孕妈都在用的防晒霜", {"fake_social_proof"}),
])
def test_role_endorsements_restored_abilities_and_crowds_are_flagged(text, expected):
    assert expected <= categories(text, "CN" if not text.isascii() else "US")


@pytest.mark.parametrize("text, market", [
    # Required notices and disclosures are not claims: the DSHEA disclaimer, the 保健食品 notice, a
    # testimonial followed by typical results, a plain verified-buyer review, a brand's first shop.
    ("Zinc supports immune function.* *These statements have not been evaluated by the Food and Drug "
     "Administration. This product is not intended to diagnose, treat, cure, or prevent any disease.", "US"),
    ("本品为保健食品，具有缓解视疲劳的保健功能。保健食品不是药物，不能代替药物治疗疾病。", "CN"),
    ("\"I lost 14 lb in five months.\" Mia got a free month for her story. Typical members lose 3-5 lb "
     "in five months.", "US"),
    ("\"Warm, light and the cuffs don't ride up.\" - Omar H., verified buyer", "US"),
    ("我们的第一家门店开在厦门中山路。", "CN"),
])
def test_required_notices_and_disclosed_results_are_not_flagged(text, market):
    assert not categories(text, market)


def test_an_endorsement_finding_follows_the_contract():
    text = "Top Cardiologist: this one drink keeps your arteries clear"
    found = [f for f in get_checker(None).check_text(text, market="US").findings if f.category == "endorsement"]
    assert found and found[0].severity.value == "warn"
    f = found[0].to_json()
    assert text[f["start"]:f["end"]] == f["text"] and "cardiologist" in f["text"].lower()


def test_the_shipped_model_is_versioned_and_loaded_once():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    # v3 (issue 15): the n-grams plus the mean word-piece embedding, folded into a table per piece
    assert data["version"] == "v3" and MODEL_FILE.name.endswith("_v3.json")
    # issue 15 part 3: urgency, guarantees, green claims and bias besides the first four
    assert {"health_claim", "false_urgency", "guarantee_claim", "green_claim", "age_bias"} <= set(data["categories"])
    assert set(data["categories"]) <= set(MESSAGES)
    assert all(0.5 <= data["thresholds"][c] < 1 for c in data["categories"])
    assert data["features_version"] == "char_wb-2-4-hash20+minilm-wordpiece-mean"
    assert len(data["embed"]["table"]) == len(data["embed"]["vocab"]) > 30_000
    assert get_claims_model() is get_claims_model()
    assert get_checker(None).claims_model is get_claims_model()


def test_a_model_finding_points_at_the_sentence_that_drove_it():
    model = get_claims_model()
    lead = "Our rain shell packs into its own pocket. "
    claim = "Leading cardiologist reveals the morning drink she gives every patient."
    text = lead + claim + " Free returns for 30 days."
    found = model.findings(text, "body", set())
    assert "endorsement" in {f.category for f in found}  # (the model trained on more sets reads it as a health claim too)
    for f in found:  # every finding at the sentence that drove it, not the shell or the returns
        assert (f.source, f.severity.value, f.field) == ("model", "warn", "body")
        assert f.score >= model.thresholds[f.category] and f.text == claim == text[f.start:f.end]
    # a category a rule already flagged gets no second, weaker finding
    assert "endorsement" not in {f.category for f in model.findings(text, "body", {"endorsement"})}


@pytest.mark.parametrize("text, named_by_the_rule", [
    ("A tablet so easy even your forgetful grandpa can work it.", "age_bias"),
    ("A camera so simple even your wife can take a sharp photo.", "gendered_language"),
])
def test_a_slight_the_rules_named_gets_no_second_bias_category_from_the_model(text, named_by_the_rule):
    """The model scores these as stereotypes too (it cannot tell which group a slight is about); the reviewer sees
    the rule's one category, not the same sentence twice under another name."""
    model_alone = {f.category for f in get_claims_model().findings(text, None, set())}
    assert {"stereotype", named_by_the_rule} <= model_alone  # what the skip takes away
    report = get_checker(None).check_text(text, market="US")
    assert {(f.category, f.source) for f in report.findings if f.category in model_alone} == {(named_by_the_rule, None)}


def test_model_scores_are_probabilities_per_category():
    model = get_claims_model()
    probs = model.scores(["Our rain shell packs into its own pocket.", "冷泡茶放进冰箱四小时即可饮用。"])
    assert probs.shape == (2, len(model.categories)) and ((probs > 0) & (probs < 0.5)).all()


def test_a_model_file_for_other_features_is_refused(tmp_path):
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    bad = tmp_path / "m.json"
    bad.write_text(json.dumps({**data, "features_version": "char_wb-2-4-hash18"}), encoding="utf-8")
    with pytest.raises(ValueError, match="claims model: features 'char_wb-2-4-hash18'"):
        ClaimsModel.load(bad)
    # a v1 file (one dense weight row per hashed id) is not read as v2
    old = tmp_path / "v1.json"
    old.write_text(json.dumps({**data, "version": "v1"}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"claims model: version 'v1', this code reads \['v2', 'v3'\]"):
        ClaimsModel.load(old)


def test_real_ads_suite_reports_share_flagged_per_code(tmp_path, monkeypatch):
    ads = [
        {"id": "a1", "code": "Supplements", "text": "Famous Heart Doctor: Throw Out This Cooking Oil Today | Vita Labs"},
        {"id": "a2", "code": "Supplements", "text": "Try This If You Have Knee Pain (Seniors Swear By It)"},
        {"id": "a3", "code": "Product", "text": "A waterproof shell for city cycling | Northpeak"},
        {"id": "a4", "code": "Investing", "text": "These 2 Stocks Could Be Like Buying Apple in 2003"},
    ]
    path = tmp_path / "ads.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in ads), encoding="utf-8")
    monkeypatch.setenv("STUDIO_REAL_ADS_FILE", str(path))
    result = real_ads.run_suite(tmp_path)
    rows = {r["code"]: r for r in result["rows"]}
    assert (rows["Supplements"]["flagged"], rows["Supplements"]["ads"]) == (2, 2)
    assert rows["Product"]["flagged"] == 0 and rows["Investing"]["share"] == 1.0
    assert result["targets_met"] is True


def test_real_ads_row_without_code_names_the_line(tmp_path, monkeypatch):
    path = tmp_path / "ads.jsonl"
    path.write_text('{"id": "a1", "code": "Product", "text": "ok"}\n{"id": "a2", "text": "no code"}\n', encoding="utf-8")
    monkeypatch.setenv("STUDIO_REAL_ADS_FILE", str(path))
    with pytest.raises(EvalInputError, match="ads.jsonl: line 2: needs a .code"):
        real_ads.run_suite(tmp_path)


def test_hashed_ngrams_are_scikit_learns_char_wb_ngrams():
    """features.py counts the same n-grams per text as scikit-learn's char_wb analyzer (the model was
    designed on it); only their ids are hashed."""
    from collections import Counter

    from sklearn.feature_extraction.text import TfidfVectorizer

    from studio.checks.learned.features import HI, LO, ngram_ids

    analyzer = TfidfVectorizer(analyzer="char_wb", ngram_range=(LO, HI)).build_analyzer()
    texts = ["Top Surgeon:  this\tone thing | Gundry MD", "冷泡茶 放进冰箱", "", "a", "I lost 32 lbs!"]
    part, fid = ngram_ids(texts)
    for i, text in enumerate(texts):
        expected = sorted(Counter(analyzer(text)).values())
        assert sorted(Counter(fid[part == i].tolist()).values()) == expected, text


def test_the_app_shows_an_endorsement_and_the_models_score():
    from studio.app.render import findings_list

    text = "Our shell packs small. Leading cardiologist reveals the morning drink she gives every patient."
    found = [f.to_json() for f in get_claims_model().findings(text, "body", set())]
    html = findings_list(found)
    assert "endorsement" in html and re.search(r"\(model, score [01]\.\d\d\)", html) and "Leading cardiologist reveals" in html



@pytest.mark.parametrize("text, market, expected, look_alike", [
    # issue 15 part 3: texts written for this test, phrased unlike any rule; each with a clean
    # look-alike on the same subject that the model leaves alone
    ("Stock is vanishing fast and we won't see these shelves full again.", "US", "false_urgency",
     "The winter sale ends on January 31; prices return to normal on February 1."),
    ("只剩今晚，明天就再也买不到这个价了。", "CN", "false_urgency", "冬季促销1月31日结束，2月1日起恢复原价。"),
    ("A kinder choice for the planet in every sip.", "US", "green_claim", "Printed on recycled paper (FSC Mix certified)."),
    ("Even your technophobe grandpa won't mess this one up.", "US", "age_bias", "A remote with large buttons and a backlight."),
    ("The secret my doctor shared with me about joint pain.", "US", "endorsement", "Our physiotherapist runs a free stretching class on Saturdays."),
    ("A morning shot that keeps your heart young and your arteries clear.", "US", "health_claim", "A morning shot of ginger, lemon and apple."),
])
def test_the_model_adds_what_the_rules_miss_and_spares_look_alikes(text, market, expected, look_alike):
    report = get_checker(None).check_text(text, market=market)
    by_model = [f for f in report.findings if f.category == expected]
    # the rules miss it; the learned second opinion flags it, as a warn with its score, at the sentence
    assert [(f.source, f.severity.value) for f in by_model] == [("model", "warn")]
    assert by_model[0].score >= get_claims_model().thresholds[expected] and by_model[0].text == text
    clean = get_checker(None).check_text(look_alike, market=market)
    assert not [f for f in clean.findings if f.source == "model"]
