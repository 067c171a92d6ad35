"""Issue 15, fifth round: kinds of claim that blind sets kept missing, checked through the real checker.

Testimonials of a body, beauty or money result without a number (endorsement), bias told as a scene
(gendered_language, age_bias, stereotype) and masked or euphemised profanity, each with a clean look-alike
that a naive rule would flag. The texts here are not in evals/checks or in the packs' own examples."""

from __future__ import annotations

import pytest

from studio.checks.engine import get_checker


def flagged(text: str, market: str = "US") -> set[str]:
    """The categories a reviewer sees as a problem (warn or block findings)."""
    report = get_checker().check_text(text, market=market)
    return {f.category for f in report.findings if f.severity.value != "info"}


@pytest.mark.parametrize("text, market", [
    ("My plantar fasciitis is a thing of the past since the magnesium soak.", "US"),
    ("Her skin has never looked so smooth, and she swears it's the rosehip oil.", "US"),
    ("I'm mortgage-free at 45 thanks to the Compound Club signals.", "US"),
    ("我婆婆喝了三个月，关节终于不疼了。", "CN"),
    ("用了之后脸上的黄气真的没了，同事都说我气色好。", "CN"),
])
def test_a_testimonial_without_a_number_is_an_endorsement(text, market):
    assert "endorsement" in flagged(text, market)


def test_a_disease_told_as_gone_is_also_a_health_claim():
    assert {"endorsement", "health_claim"} <= flagged("My asthma is finally under control with these breathing drops.")
    assert {"endorsement", "health_claim"} <= flagged("我老公吃了半年，老胃病彻底好了。", "CN")


@pytest.mark.parametrize("text, market", [
    ("These sandals are so comfy that my feet feel fine after a whole day at the zoo.", "US"),
    ("My closet has never looked this tidy since I bought the hangers.", "US"),
    ("用了之后厨房的台面真的变干净了。", "CN"),
])
def test_a_testimonial_about_an_ordinary_product_is_clean(text, market):
    assert flagged(text, market) == set()


@pytest.mark.parametrize("text, market, category", [
    ("Boyfriends can't find the batteries? Our drawer organiser labels everything.", "US", "gendered_language"),
    ("Let the dads fire up the smoker while the moms make the sides.", "US", "gendered_language"),
    ("Tired of resetting the Wi-Fi for your grandparents again? Plug in and forget it.", "US", "age_bias"),
    ("Heading to Sicily? Hold on to your phone, you know how it is down there.", "EU", "stereotype"),
    ("老公总是找不到遥控器？这个收纳架帮他放好。", "CN", "gendered_language"),
    ("长辈们总是学不会视频通话？一键就能接通。", "CN", "age_bias"),
    ("温州人个个会算计，这张优惠券他们早就领了。", "CN", "stereotype"),
])
def test_bias_told_as_a_scene_is_flagged_in_its_category(text, market, category):
    assert category in flagged(text, market)


@pytest.mark.parametrize("text, market", [
    ("Mom-approved snack boxes: nut-free and ready in five minutes.", "US"),
    ("Grandpa's barbecue sauce, bottled in small batches.", "US"),
    ("四川人爱吃的钵钵鸡，冷链直发。", "CN"),
])
def test_a_group_named_without_a_stereotype_is_clean(text, market):
    assert flagged(text, market) == set()


@pytest.mark.parametrize("text, market", [
    ("These joggers are cozy AF.", "US"),
    ("Stop paying f***ing delivery fees.", "US"),
    ("Holy cr@p, that's a lot of pizza.", "US"),
    ("握草，这双鞋也太轻了。", "CN"),
    ("这耳机牛B，低音一绝。", "CN"),
])
def test_masked_profanity_is_profanity(text, market):
    assert "profanity" in flagged(text, market)


@pytest.mark.parametrize("text, market", [
    ("Quick AF on the new mirrorless lens tracks birds in flight.", "US"),
    ("Afghan saffron, hand-picked in Herat.", "US"),
    ("导游尼玛次仁带你去看纳木错的日出。", "CN"),
    ("我靠自己的手艺开了这家面馆。", "CN"),
])
def test_look_alikes_of_masked_profanity_are_clean(text, market):
    assert "profanity" not in flagged(text, market)
