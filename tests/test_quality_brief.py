"""How the quality gate reads a brief and a factual claim: off_brief (one field alone, the brief's angle) and
unsupported_claim (quantities by unit, dates, named certificates, "new", facts scoped to another product).

Every text here was written for the test: a positive and a clean look-alike, in English and Chinese.
"""

from __future__ import annotations

import pytest

from studio.channels import get_channel
from studio.checks import get_checker
from studio.config import get_settings
from studio.kits import load_kit

CY_TEABAGS = {"text": "介绍新上市的冷泡茶包，适合在工位上和通勤路上喝。", "product": "春山绿冷泡茶包", "offer": "首单包邮"}
CY_ROAST = {"text": "岩上桂的盖碗泡法。", "product": "岩上桂"}
CY_GIFT = {"text": "中秋礼盒上新，送给家人和同事。", "product": "四时礼盒", "offer": "9 月 10 日前下单中秋节前送达"}
NP_RECRAFT = {"text": "Northpeak ReCraft: send us a worn jacket and we repair it", "product": "Northpeak ReCraft"}
NP_DAYPACK = {"text": "Launch of the Switchback 28 daypack", "product": "Switchback 28"}
NP_BASE = {"text": "Autumn layering: the Cirque base layer for cold trail mornings", "product": "Cirque Base Layer",
           "offer": "free shipping on orders over $75"}
NP_SHELL = {"text": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell", "offer": "free first repair"}
NP_PACK = {"text": "The Transit 22 commuter pack for a wet ride to work", "product": "Transit 22", "offer": "10% off for new subscribers"}


@pytest.fixture(scope="module")
def northpeak():
    return get_checker(load_kit("northpeak", get_settings().kits_dir))


@pytest.fixture(scope="module")
def chayuan():
    return get_checker(load_kit("chayuan", get_settings().kits_dir))


def claims(report) -> list[str]:
    return [f.text for f in report.findings if f.category == "unsupported_claim"]


def rules(report, category: str) -> set[str]:
    return {f.rule for f in report.findings if f.category == category and f.severity.value != "info"}


# ---------------------------------------------------------------- unsupported_claim: what a fact is


def test_a_count_of_stores_or_partners_is_a_fact_the_kit_must_state(chayuan):
    assert "12 家" in claims(chayuan.check_text("今年合作茶园从 3 家扩大到 12 家。", market="CN", brief=CY_ROAST))
    # the same numbers as a pack size and a price the brief gives are the marketer's own
    brief = {**CY_ROAST, "text": "岩上桂 12 罐装 ¥398"}
    assert claims(chayuan.check_text("岩上桂 12 罐装，¥398。", market="CN", brief=brief)) == []


def test_zero_sugar_and_calorie_numbers_are_claims(chayuan):
    found = claims(chayuan.check_text("园里冷萃瓶装茶饮，0卡路里，每瓶热量仅 8 千卡，三款口味。", market="CN", brief=CY_TEABAGS))
    assert {"0卡", "8 千卡"} <= set(found)
    # the kit's own wording ("不添加蔗糖") states no number
    assert claims(chayuan.check_text("园里冷萃™瓶装茶饮不添加蔗糖，三款口味。", market="CN", brief=CY_TEABAGS)) == []


def test_a_picking_date_must_be_the_date_the_kit_records(chayuan):
    brief = {"text": "2026 春山绿明前茶到货", "product": "春山绿"}
    assert "3 月 1 日" in claims(chayuan.check_text("今年的春山绿 3 月 1 日就开采了。", market="CN", brief=brief))
    assert claims(chayuan.check_text("今年的春山绿 3 月 22 日开采。", market="CN", brief=brief)) == []


def test_a_number_run_into_chinese_text_is_still_a_number(chayuan):
    found = claims(chayuan.check_text("岩上桂已通过ISO 22000食品安全管理体系认证。", market="CN", brief=CY_ROAST))
    assert any("22000" in f for f in found)


def test_a_ratio_needs_the_same_ratio_in_the_kit(chayuan):
    found = claims(chayuan.check_text("茶多酚含量是普通瓶装茶的 3 倍。", market="CN", brief=CY_TEABAGS))
    assert any("3 倍" in f for f in found)


def test_phone_and_order_numbers_are_identifiers_not_claims(northpeak, chayuan):
    assert claims(chayuan.check_text("客服热线 400-820-1234，订单号 202611260012345。", market="CN")) == []
    assert claims(northpeak.check_text("Call 503-555-0142 about order 20241108093512.", market="US")) == []
    # a quantity stays one
    assert "730 g" in claims(northpeak.check_text("It weighs 730 g.", market="US"))


def test_a_certificate_the_kit_does_not_hold_is_unsupported_even_when_it_holds_another(chayuan, northpeak):
    brief = {"text": "2026 春山绿明前茶到货", "product": "春山绿"}
    found = claims(chayuan.check_text("春山绿同时通过了中国有机产品认证和欧盟有机认证。", market="CN", brief=brief))
    assert any("欧盟有机" in f for f in found) and not any("中国有机产品" in f for f in found)
    assert any("FSC" in f for f in claims(chayuan.check_text("外盒通过FSC森林认证。", market="CN", brief=CY_GIFT)))
    assert claims(chayuan.check_text("春山绿有机产品认证证书编号印在包装侧面。", market="CN", brief=brief)) == []
    found = claims(northpeak.check_text("Transit 22 Commuter Pack | IPX7 Tested | Free Shipping", market="US", brief=NP_PACK))
    assert any("IPX7" in f for f in found)
    # (the Fair Trade certificate covers Ridgeback Shell and Cirque Base Layer: not the Transit 22)
    kit_certs = "Fair Trade Certified™ sewing and bluesign® APPROVED fabrics on the Ridgeback Shell."
    assert claims(northpeak.check_text(kit_certs, market="US", brief=NP_SHELL)) == []


def test_new_is_a_claim_only_a_brief_that_announces_something_new_supports(northpeak, chayuan):
    assert "New this season" in claims(northpeak.check_text("New this season: the Northpeak ReCraft.", market="US", brief=NP_RECRAFT))
    assert claims(northpeak.check_text("New this season: the Switchback 28.", market="US", brief=NP_DAYPACK)) == []
    assert "全新" in claims(chayuan.check_text("全新岩上桂，盖碗泡更香。", market="CN", brief=CY_ROAST))
    assert claims(chayuan.check_text("全新岩上桂，中火焙。", market="CN", brief={"text": "新一批岩上桂焙好了", "product": "岩上桂"})) == []
    # without a brief there is nothing to hold "new" against
    assert claims(chayuan.check_text("全新岩上桂，盖碗泡更香。", market="CN")) == []


def test_how_and_where_it_is_made_is_a_fact(chayuan, northpeak):
    found = claims(chayuan.check_text("这只盖碗是景德镇老师傅手工拉坯的，茶罐是日本进口的锡罐。", market="CN", brief=CY_ROAST))
    assert {"老师傅", "手工拉坯", "日本进口"} <= set(found)
    # the kit's own "一芽一叶手工采摘" supports that phrase, not any hand-made thing
    assert claims(chayuan.check_text("春山绿一芽一叶手工采摘。", market="CN", brief={"text": "春山绿明前茶", "product": "春山绿"})) == []
    assert "handcrafted" in claims(northpeak.check_text("A handcrafted pack for the wet commute.", market="US", brief=NP_PACK))
    assert claims(northpeak.check_text("A pack built for the wet commute.", market="US", brief=NP_PACK)) == []


def test_a_scoped_fact_in_a_sentence_that_names_its_own_product_is_not_misattributed(northpeak):
    attributed = "The Cirque Base Layer goes under your shell. Every 2026 shell has a PFAS-free durable water repellent (DWR) finish."
    assert not rules(northpeak.check_text(attributed, market="US", brief=NP_BASE), "unsupported_claim")
    bare = "The Cirque Base Layer goes under anything. It has a PFAS-free durable water repellent (DWR) finish."
    assert "quality.unsupported_claim.scope" in rules(northpeak.check_text(bare, market="US", brief=NP_BASE), "unsupported_claim")


# ---------------------------------------------------------------- off_brief: one field, and the brief's angle


def test_a_headline_or_preheader_checked_alone_need_not_carry_the_offer_or_name_the_product(northpeak):
    email = get_channel("email")
    subject = northpeak.check_text("The Transit 22 is ready for your wet commute", channel=email, field="subject",
                                   market="US", brief=NP_PACK)
    assert not rules(subject, "off_brief")
    teaser = northpeak.check_text("One thing worth knowing before your next wet ride to work.", channel=email,
                                  field="preheader", market="US", brief=NP_PACK)
    assert not rules(teaser, "off_brief")
    # a preheader that carries nothing of the brief still is off brief
    nothing = northpeak.check_text("Thanks for reading all the way down to here, friend.", channel=email,
                                   field="preheader", market="US", brief=NP_PACK)
    assert rules(nothing, "off_brief")
    # a body checked alone must still carry the offer
    body = northpeak.check_text("The Transit 22 is a commuter pack with a padded laptop sleeve and a rain cover in the base.",
                                channel=email, field="body", market="US", brief=NP_PACK)
    assert "quality.off_brief.offer" in rules(body, "off_brief")


# A long Chinese piece for the Mid-Autumn gift box, told two ways: the office cold-brew stock story, and the gift.
_COLD_BREW_FRAME = (
    "四时礼盒放在工位上，一天要喝的茶就有了着落。早上来不及泡茶？那就前一晚泡好，冷水泡一夜，第二天带去上班。"
    "泡好的茶放冰箱保存，当天喝完，别隔夜放在常温下。冷藏一夜就能喝，泡太久会有点涩，可以少放一点茶叶。"
    "上班路上带一瓶，开会前喝一口，下午犯困的时候再喝一口。口味可以先挑一款试，9 月 10 日前下单中秋节前送达。"
    "明天上班，记得把茶带上。你平时在工位上喝什么？评论区聊聊你的搭配，我们挑几条回复。"
    "周末去露营也一样，前一晚泡好两瓶，放进保温箱就出发，到了营地正好能喝。"
)
_GIFT_FRAME = (
    "中秋快到了，四时礼盒适合送给家人和同事。四罐原叶茶：春山绿、岩上桂、临沧月光白、临沧晒红，一盒喝遍四季。"
    "送茶这件事，心意比价格重要：每罐罐底印着检测报告编号，收礼的人扫码就能查到。可以代写手写贺卡，写上你想说的话。"
    "给爸妈的那盒写一句家常话，给同事的那盒写一句谢谢。9 月 10 日前下单中秋节前送达，节前就能送到对方手里。"
    "愿这盒茶，替你把心意带到。"
)


def test_long_copy_that_tells_a_stock_story_instead_of_the_brief_is_off_brief(chayuan):
    stock = chayuan.check_text(_COLD_BREW_FRAME, market="CN", brief=CY_GIFT)
    assert "quality.off_brief.angle" in rules(stock, "off_brief")
    gift = chayuan.check_text(_GIFT_FRAME, market="CN", brief=CY_GIFT)
    assert not rules(gift, "off_brief")
    # a short text is not judged for its angle (too little room to say it)
    assert "quality.off_brief.angle" not in rules(chayuan.check_text(_COLD_BREW_FRAME[:60], market="CN", brief=CY_GIFT), "off_brief")


def test_a_product_word_with_another_noun_is_another_product(northpeak):
    for text in ("Ridgeback Shirt", "The Ridgeback Rocker, with a free first repair"):
        assert "quality.off_brief.wrong_product" in rules(northpeak.check_text(text, market="US", brief=NP_SHELL), "off_brief")
    for text in ("Ridgeback Shell, free first repair", "Ridgeback Shells for every commuter", "Ridgeback Rain Shell, $289",
                 "The Ridgeback rain shell, free first repair"):
        assert "quality.off_brief.wrong_product" not in rules(northpeak.check_text(text, market="US", brief=NP_SHELL), "off_brief")
    # a name whose second word is common ("Talus Down Jacket") is not read this way: "Down Standard" is the RDS
    talus = {"text": "The Talus Down Jacket for cold evenings at camp", "product": "Talus Down Jacket"}
    rds = northpeak.check_text("Talus Down Jacket: Responsible Down Standard (RDS) certified down.", market="US", brief=talus)
    assert "quality.off_brief.wrong_product" not in rules(rds, "off_brief")


def test_the_brand_alone_does_not_make_a_headline_carry_the_brief(northpeak):
    email = get_channel("email")
    brand_only = northpeak.check_text("The latest news on Northpeak Essentials!", channel=email, field="subject",
                                      market="US", brief=NP_RECRAFT)
    assert "quality.off_brief.headline" in rules(brand_only, "off_brief")
    carried = northpeak.check_text("Northpeak ReCraft: repair before you replace", channel=email, field="subject",
                                   market="US", brief=NP_RECRAFT)
    assert not rules(carried, "off_brief")


def test_a_call_to_action_must_ask_for_something_the_brief_is_about(northpeak, chayuan):
    email = get_channel("email")
    for cta in ("Awesome!", "Why?", "One step ahead!", "Become a brand ambassador"):
        report = northpeak.check_text(cta, channel=email, field="cta", market="US", brief=NP_PACK)
        assert "quality.off_brief.cta" in rules(report, "off_brief"), cta
    for cta in ("Get yours today", "Shop the Transit 22", "How far is your commute? Tell us below.", "Details on our site."):
        report = northpeak.check_text(cta, channel=email, field="cta", market="US", brief=NP_PACK)
        assert not rules(report, "off_brief"), cta
    assert "quality.off_brief.cta" in rules(chayuan.check_text("太棒了！", channel=email, field="cta", market="CN",
                                                                 brief=CY_ROAST), "off_brief")
    assert not rules(chayuan.check_text("今晚泡一杯试试", channel=email, field="cta", market="CN", brief=CY_ROAST), "off_brief")
    # the same words in a body are not judged as a call to action
    assert "quality.off_brief.cta" not in rules(northpeak.check_text("Awesome!", channel=email, field="body", market="US",
                                                                      brief=NP_PACK), "off_brief")


# ---------------------------------------------------------------- unsupported_claim: a kit claim scoped to products


def test_a_certificate_the_kit_holds_for_other_products_is_unsupported_for_this_one(northpeak, chayuan):
    # the kit's Fair Trade certificate names Ridgeback Shell and Cirque Base Layer; its RDS certificate the Talus
    pack = "Transit 22, stitched in a Fair Trade Certified factory. 10% off for new subscribers."
    assert "quality.unsupported_claim.scope" in rules(northpeak.check_text(pack, market="US", brief=NP_PACK), "unsupported_claim")
    base = "Cirque Base Layer, stitched in a Fair Trade Certified factory. Free shipping on orders over $75."
    assert not rules(northpeak.check_text(base, market="US", brief=NP_BASE), "unsupported_claim")
    shell = "Ridgeback Shell with a Responsible Down Standard lining for the ride home."
    assert "quality.unsupported_claim.scope" in rules(northpeak.check_text(shell, market="US", brief=NP_SHELL), "unsupported_claim")
    # the organic certificate names 春山绿 only: 临沧晒红 may not carry it, 春山绿 may
    red = {"text": "冬天喝一杯临沧晒红。", "product": "临沧晒红"}
    assert "quality.unsupported_claim.scope" in rules(chayuan.check_text("临沧晒红也是有机茶，冬天喝一杯。", market="CN", brief=red),
                                                      "unsupported_claim")
    green = {"text": "春山绿明前茶到货，讲讲采摘。", "product": "春山绿"}
    assert not rules(chayuan.check_text("春山绿通过中国有机产品认证，明前采摘。", market="CN", brief=green), "unsupported_claim")


def test_a_material_claim_scoped_to_other_products_is_unsupported_but_a_shared_word_is_not(northpeak):
    # "recycled nylon" is the shells' and the Transit's fabric; "certified" is in two claims and says nothing alone
    base = "Cirque Base Layer knit from recycled nylon for cold trail starts. Free shipping on orders over $75."
    assert "quality.unsupported_claim.scope" in rules(northpeak.check_text(base, market="US", brief=NP_BASE), "unsupported_claim")
    # the claim's own wording names a product word ("shell fabric"): that does not say it is the shells' fact
    jacket = {"text": "The Talus Down Jacket for frosty hut evenings", "product": "Talus Down Jacket"}
    talus = "Talus Down Jacket: a shell fabric made with 80% recycled nylon keeps the wind out."
    assert "quality.unsupported_claim.scope" in rules(northpeak.check_text(talus, market="US", brief=jacket), "unsupported_claim")
    pack = "Transit 22: a shell fabric made with 80% recycled nylon. 10% off for new subscribers."
    assert not rules(northpeak.check_text(pack, market="US", brief=NP_PACK), "unsupported_claim")
    certified = "Cirque Base Layer: certified comfortable on cold trail starts. Free shipping on orders over $75."
    assert "quality.unsupported_claim.scope" not in rules(northpeak.check_text(certified, market="US", brief=NP_BASE),
                                                          "unsupported_claim")


def test_a_claim_the_kit_forbids_or_a_health_benefit_is_unsupported(northpeak, chayuan):
    red = {"text": "冬天喝一杯临沧晒红。", "product": "临沧晒红"}
    assert "quality.unsupported_claim.forbidden" in rules(chayuan.check_text("临沧晒红，喝了不上火。", market="CN", brief=red),
                                                          "unsupported_claim")
    assert "quality.unsupported_claim.health" in rules(chayuan.check_text("临沧晒红富含氨基酸，饭后一杯助消化。", market="CN",
                                                                          brief=red), "unsupported_claim")
    assert not rules(chayuan.check_text("临沧晒红日光晒干，汤色红亮，冬天喝一杯。", market="CN", brief=red), "unsupported_claim")
    shell = "Ridgeback Shell: guaranteed waterproof on the ride home."
    assert "quality.unsupported_claim.forbidden" in rules(northpeak.check_text(shell, market="US", brief=NP_SHELL),
                                                          "unsupported_claim")
    assert "quality.unsupported_claim.health" in rules(northpeak.check_text(
        "Cirque Base Layer: a merino-free knit that boosts immunity on cold trail starts.", market="US", brief=NP_BASE),
        "unsupported_claim")
    assert not rules(northpeak.check_text("Ridgeback Shell: a hood that fits over a helmet on the ride home.", market="US",
                                          brief=NP_SHELL), "unsupported_claim")


def test_a_comparison_with_a_named_competitor_is_unsupported(northpeak, chayuan):
    pack = "Transit 22: roomier than Vestra Alpine commuter packs. 10% off for new subscribers."
    assert "quality.unsupported_claim.comparison" in rules(northpeak.check_text(pack, market="US", brief=NP_PACK),
                                                           "unsupported_claim")
    # naming the competitor without comparing is the banned-term check's business, not a claim
    assert "quality.unsupported_claim.comparison" not in rules(northpeak.check_text(
        "Transit 22: rain or shine, roomy for a laptop. 10% off for new subscribers.", market="US", brief=NP_PACK),
        "unsupported_claim")
    assert "quality.unsupported_claim.comparison" in rules(chayuan.check_text("岩上桂的焙火比半山茶集的更足。", market="CN",
                                                                               brief=CY_ROAST), "unsupported_claim")
    assert "quality.unsupported_claim.comparison" not in rules(chayuan.check_text("岩上桂的焙火比上一炉更足一点点。", market="CN",
                                                                                   brief=CY_ROAST), "unsupported_claim")


def test_a_hyphenated_duration_an_ordinal_edition_and_a_superlative_of_a_year_are_claims(northpeak):
    recraft = "Northpeak ReCraft: send us a worn jacket. Every patch carries a 7-year guarantee."
    assert "7-year" in claims(northpeak.check_text(recraft, market="US", brief=NP_RECRAFT))
    # the kit's own "within 3 years" supports a 3-year window
    assert claims(northpeak.check_text("Northpeak ReCraft: a free first repair in the 3-year window.", market="US",
                                       brief=NP_RECRAFT)) == []
    assert "quality.unsupported_claim.heritage" in rules(northpeak.check_text(
        "Switchback 28 at our 12th annual trail day.", market="US", brief=NP_DAYPACK), "unsupported_claim")
    assert "quality.unsupported_claim.comparison" in rules(northpeak.check_text(
        "Switchback 28: the comfiest daypack of the season.", market="US", brief=NP_DAYPACK), "unsupported_claim")
    # a superlative of the trail, not of a period, and an ordinal step are not claims
    assert not rules(northpeak.check_text("Switchback 28: for the longest day of your trip. Step 1st: pack light.",
                                          market="US", brief=NP_DAYPACK), "unsupported_claim")


def test_a_count_in_ten_thousands_is_a_fact_at_its_full_size(chayuan):
    gift = {"text": "企业送礼，四时礼盒可以定制贺卡。", "product": "四时礼盒"}
    assert "3万" in claims(chayuan.check_text("四时礼盒今年已经送出3万份，贺卡可定制。", market="CN", brief=gift))
    # the brief's own count is the marketer's
    assert claims(chayuan.check_text("四时礼盒今年已经送出3万份，贺卡可定制。", market="CN",
                                     brief={**gift, "text": "四时礼盒已送出3万份，贺卡可以定制。"})) == []
