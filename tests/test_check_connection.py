"""An endorser's post with a material connection to the brand and no ad label gets missing_disclosure."""

from __future__ import annotations

import pytest

from studio.channels import get_channel
from studio.checks import get_checker


def _missing(text: str, channel: str, market: str) -> list:
    report = get_checker(None).check_text(text, channel=get_channel(channel), market=market)
    return [f for f in report.findings if f.category == "missing_disclosure"]


@pytest.mark.parametrize("text, channel, market, cue", [
    ("Obsessed with my new @trailhive boots! They sent me a pair to try. Use code ALEX20 for 20% off.", "instagram", "US", "They sent me a"),
    ("This is how I make cold brew every morning. Use my code JESS for 15% off at the link in my bio.", "douyin", "US", "Use my code"),
    ("Brand trip to Lisbon with @solenecoffee. Their grinder has been in my bag all week.", "instagram", "EU", "Brand trip"),
    ("品牌方寄来的新款露营灯，三档亮度，周末带去山里用了两晚。", "xiaohongshu", "CN", "品牌方寄来"),
    ("这台扫地机我用了半年，链接挂在小黄车，用我的专属口令还能再减50。", "douyin", "CN", "小黄车"),
    # a product lent for the review, and a two-sided referral: the creator is paid in use or in credit
    ("@veloco lent me their new e-bike for a month and the commute flew by.", "instagram", "US", "@veloco lent me their"),
    ("This stroller is on loan from @kidway and it folds with one hand.", "instagram", "EU", "on loan from @kidway"),
    ("Switched my savings to Bankly: we both get $20 when you open an account.", "x", "US", "we both get $20 when you open"),
    ("品牌方借给我试用了一个月，续航真的很顶。", "xiaohongshu", "CN", "品牌方借给我"),
    ("下载App时填我的邀请码，你我都能领10元红包。", "douyin", "CN", "填我的邀请码"),
])
def test_a_connection_without_a_label_is_flagged_at_its_words(text, channel, market, cue):
    found = _missing(text, channel, market)
    assert [f.text for f in found] == [cue] and text[found[0].start:found[0].end] == cue
    assert found[0].severity.value == "warn"


@pytest.mark.parametrize("text, channel, market", [
    ("Obsessed with my new @trailhive boots! They sent me a pair to try. #ad", "instagram", "US"),
    ("@solenecoffee sent me their new grinder (paid partnership).", "instagram", "EU"),
    ("品牌方寄来的新款露营灯，三档亮度。#广告", "xiaohongshu", "CN"),
    ("New boots are in. Use code RAIN20 for 20% off this week.", "instagram", "US"),  # the brand speaking
    ("My friend sent me the link to your store and I love it.", "x", "US"),
    ("They sent me the tracking number the same day.", "x", "US"),
    # a friend's or neighbour's loan; the brand's own refer-a-friend offer
    ("My neighbour lent me a ladder so I could clear the gutters.", "instagram", "US"),
    ("Jo lent me her tent for the weekend. Link in bio for the campsite.", "instagram", "US"),
    ("Refer a friend and you both get $20.", "instagram", "US"),
    ("邻居借给我一把梯子。", "xiaohongshu", "CN"),
    ("输入好友的邀请码，双方各得10元券。", "xiaohongshu", "CN"),
])
def test_a_labelled_post_or_a_brand_s_own_offer_is_not_flagged(text, channel, market):
    assert _missing(text, channel, market) == []
