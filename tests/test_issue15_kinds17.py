"""Issue 15, stop 35: crowd claims, implied guarantees and group typecasts in the forms a helper's dev set
(evals/checks/issue15_kinds17.jsonl) showed the checks missing, EN and ZH, through the real checker. Each kind is
asserted on texts written for this test (not the dataset's rows nor the packs' examples), with the words the finding
points at; each look-alike (a sourced figure, care advice, a warranty with terms, a neutral mention of a place or a
group) must get no warning or block of the category."""

from __future__ import annotations

import pytest

from tests.check_kinds import reviewer_flagged_at


@pytest.mark.parametrize("text, market, category, span", [
    # popularity with nothing to check: our bestseller, internet hype, a whole town wearing it, our customers agree
    ("Our top-selling rain hat is back in olive.", "US", "fake_social_proof", "our top-selling"),
    ("The serum that went viral last spring, restocked.", "US", "fake_social_proof", "went viral"),
    ("The beanie the whole town is wearing this winter.", "EU", "fake_social_proof", "whole town is wearing"),
    ("Our readers agree: this is the planner to beat.", "US", "fake_social_proof", "our readers agree"),
    # 从众：同事都在喝、预约已破3万、被问爆、口碑炸裂、百分比的人群都选它
    ("办公室同事都在喝的柠檬冷泡。", "CN", "fake_social_proof", "同事都在喝"),
    ("新款预约人数已突破3万。", "CN", "fake_social_proof", "预约人数已突破3万"),
    ("85%的宝妈都选这款湿巾。", "CN", "fake_social_proof", "85%的宝妈都选"),
    ("口碑炸裂的保温杯，今天补货。", "CN", "fake_social_proof", "口碑炸裂"),
    # a result promised by ruling failure out: cannot leak, never fades, stays dry in any weather
    ("Welded seams, so this dry bag simply cannot leak.", "US", "guarantee_claim", "simply cannot leak"),
    ("A print that will never fade, wash after wash.", "EU", "guarantee_claim", "will never fade"),
    ("Keeps you dry in any weather the mountains throw at you.", "US", "guarantee_claim", "keeps you dry in any weather"),
    # 永不、泡多久都不会、一定会、百分百
    ("这只保温壶永不漏水。", "CN", "guarantee_claim", "永不漏水"),
    ("这款乌龙怎么泡多久都不会涩。", "CN", "guarantee_claim", "泡多久都不会涩"),
    ("喝过一次，你一定会爱上。", "CN", "guarantee_claim", "一定会爱上"),
    # a typecast told as a joke: a nationality, a city, a body; 地域黑、身材、残障
    ("Haggle like a true Texan and save.", "US", "stereotype", "like a true texan"),
    ("Fitted tees for Brooklyn, where good taste goes to die.", "US", "stereotype", "where good taste goes to die"),
    ("Elastic waist for one too many burgers.", "US", "stereotype", "one too many burgers"),
    ("防盗锁，连东北人都撬不开。", "CN", "stereotype", "连东北人都"),
    ("操作简单，盲人也能用。", "CN", "stereotype", "盲人也能"),
    # age as the insult
    ("Stop dressing like a grandpa at the bingo hall.", "EU", "age_bias", "dressing like a grandpa"),
])
def test_the_kind_is_flagged_where_it_is_said(text, market, category, span):
    words = [w.lower() for w in reviewer_flagged_at(text, category, market)]
    assert any(span.lower() in w for w in words), words


@pytest.mark.parametrize("text, market, category", [
    # sourced figures and ranks
    ("Rated 4.7 from 2,310 reviews on our site (May 2026).", "US", "fake_social_proof"),
    ("Our best-selling jacket of 2025 by units sold on northpeak.example.", "US", "fake_social_proof"),
    ("据店铺后台数据统计（截至2026年3月），这款杯子累计售出2.1万只。", "CN", "fake_social_proof"),
    ("欢迎买过的朋友写下真实评价。", "CN", "fake_social_proof"),
    # care advice and a warranty with terms
    ("Never tumble dry: hang it to keep the membrane working.", "US", "guarantee_claim"),
    ("Three-year warranty on seams; terms at northpeak.example/warranty.", "EU", "guarantee_claim"),
    ("为了保证口感，开封后请冷藏。", "CN", "guarantee_claim"),
    ("面料：100%羊毛。", "CN", "guarantee_claim"),
    # places and groups named without a slight
    ("Cut for Brooklyn winters and long subway waits.", "US", "stereotype"),
    ("茶叶产自福建武夷山的合作茶园。", "CN", "stereotype"),
    ("门店提供手语服务，欢迎听障朋友到店。", "CN", "stereotype"),
    ("Fleece for hikers of every age.", "US", "age_bias"),
])
def test_the_look_alike_is_not_flagged(text, market, category):
    assert reviewer_flagged_at(text, category, market) == []
