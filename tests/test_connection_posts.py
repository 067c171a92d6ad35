"""A paid or affiliate post that says nothing about being paid is still told by its shape, and gets missing_disclosure.

An influencer's post shows the tie by a pointer to buy through the creator (a personal code, "shop my faves", a
storefront, a referral URL; 橱窗, 评论区链接, 直播间下单) next to a tagged brand or the creator's own voice. The same
post with its label, the brand's own post, a friend's tag, and a vlog's "link in bio" are not flagged.
"""

from __future__ import annotations

import pytest

from studio.channels import get_channel
from studio.checks import get_checker
from studio.checks.connection import connection_cue


def _missing(text: str, channel: str, market: str) -> list:
    report = get_checker(None).check_text(text, channel=get_channel(channel), market=market)
    return [f for f in report.findings if f.category == "missing_disclosure"]


UNLABELLED = [
    # (post, channel, market, the words the finding points at)
    ("Obsessed with the new @lumiskin vitamin C serum 🍊 my skin is so glowy lately. Code SARA15 for 15% off!",
     "instagram", "US", "Code SARA15"),
    ("not me buying a second @cloudstep pillow 😅 best sleep of my life. use KAYCLOUD at checkout", "x", "US",
     "KAYCLOUD"),
    ("been using @trailpeak's ultralight tent all summer and it packs down to nothing. link in bio to grab yours ⛺",
     "instagram", "EU", "link in bio"),
    ("Morning routine essentials ☕ everything on my shelf, shop my faves through the link in bio #GlowWithLumi",
     "instagram", "US", "shop my faves"),
    ("I've run my consultancy's invoicing through @LedgerlyHQ for six months. Two months free: ledgerly.com/r/anna",
     "linkedin", "US", "ledgerly.com/r/anna"),
    ("Our pup Biscuit is obsessed with @barkbites salmon chews 🐶 get 25% off your first box with code BISCUIT25",
     "instagram", "US", "code BISCUIT25"),
    ("Spent the weekend repainting the nursery with @calmcoat paints 🎨 so happy with it. Links in my highlights!",
     "instagram", "US", "Links in my highlights"),
    ("不允许还有人不知道这个拖把！@净洁 我家用了一年了，点我头像去橱窗", "douyin", "CN", "橱窗"),
    ("好物分享｜最近挖到的宝藏洗面奶，洗完一点都不紧绷！链接放评论区啦～", "xiaohongshu", "CN", "链接放评论区"),
    ("今晚直播间福利！我一直在用的这款电动牙刷，直播间下单再送两个刷头", "douyin", "CN", "直播间福利"),
    ("今晚8点直播间见！这款锅我自己用了半年，家人们直接下单", "douyin", "CN", "下单"),
    # the tie said outright (和品牌方一起, 合作款) with a pointer to buy, even where the creator says "we"
    ("这次和品牌方一起挑了三支唇釉，链接都放在主页", "xiaohongshu", "CN", "链接"),
    ("这双是我们和跑鞋牌子的合作款，橱窗里就能买", "douyin", "CN", "橱窗"),
    ("这套是我们的合作款餐具，购物车里就有", "douyin", "CN", "购物车"),
]


@pytest.mark.parametrize("text, channel, market, cue", UNLABELLED)
def test_an_unlabelled_paid_post_is_flagged_at_its_strongest_cue(text, channel, market, cue):
    found = _missing(text, channel, market)
    assert len(found) == 1
    f = found[0]
    assert f.severity.value == "warn" and (f.text, text[f.start:f.end]) == (cue, cue)
    label = "广告" if market == "CN" else "#ad"
    assert f'("{cue}")' in f.message and "no ad label" in f.message and f.suggestion.startswith(f'add "{label}"')


@pytest.mark.parametrize("label", ["#ad", "Paid partnership with @lumiskin.", "#sponsored", "AD |", "Advertisement:"])
def test_the_same_post_with_its_label_is_not_flagged(label):
    text = UNLABELLED[0][0]
    assert _missing(f"{label} {text}", "instagram", "US") == []
    assert _missing(f"{text} {label}", "instagram", "EU") == []


@pytest.mark.parametrize("label", ["广告", "#广告#", "品牌合作", "合作推广"])
def test_a_chinese_post_with_its_label_is_not_flagged(label):
    # 广告 anywhere, or the platform's partnership tag (品牌合作, 合作推广) opening the note
    assert _missing(f"{label}｜不允许还有人不知道这个拖把！@净洁 我家用了一年了，点我头像去橱窗", "douyin", "CN") == []


@pytest.mark.parametrize("said", ["和品牌合作的一期", "（推广）", "本视频由@净洁赞助"])
def test_a_chinese_post_that_only_says_its_tie_still_needs_the_label(said):
    # 互联网广告管理办法 第九条 names the label: 显著标明"广告"
    [finding] = _missing(f"{said}，不允许还有人不知道这个拖把！@净洁 我家用了一年了，点我头像去橱窗", "douyin", "CN")
    assert finding.suggestion.startswith('add "广告"')


@pytest.mark.parametrize("text, channel, market", [
    # the brand speaking of itself: the post is plainly its own ad
    ("We're obsessed with our new vitamin C serum 🍊 Shop the drop through the link in bio, GLOW15 for 15% off.",
     "instagram", "US"),
    ("New season, new joggers. Shop our fall collection, 20% off with code FALL20 this week only.", "x", "US"),
    ("Use code WELCOME10 on your first order. Free shipping over $50.", "instagram", "US"),
    ("我们家的氨基酸洗面奶上新啦！官方旗舰店链接在主页，首单立减20元", "xiaohongshu", "CN"),
    ("本店新款风衣到货，尺码齐全，橱窗同款下单包邮", "douyin", "CN"),
    ("家人们，咱们直播间今天下单这款扫地机器人，多送一套滚刷", "douyin", "CN"),
    # the creator's own content, a friend's tag, an honest purchase: no pointer to buy through the creator
    ("New vlog is up! I spent a week hiking in Kyoto and ate way too many onigiri. Link in bio 🎌", "instagram", "US"),
    ("I wrote a thread on what I learned running a bakery for five years. Link in my bio for the long version.",
     "x", "US"),
    ("Dinner with @sarah_k and @tomwrites at our favourite ramen spot. Happy birthday, Sarah! 🍜", "instagram", "US"),
    ("Finally bought myself the Dyson Airwrap after saving for months and honestly? Worth every penny.",
     "instagram", "US"),
    ("Obsessed with my new @lino_home linen sheets, they get softer every wash.", "instagram", "EU"),
    # a tagged friend is not a brand: with the creator's own "link in bio" it is a personal post
    ("Baked my friend @jess.kitchen's lemon cake this weekend 🍋 recipe link in bio", "instagram", "US"),
    ("Dinner with @sarah_k and @tomwrites, the ramen recipe is linked in my bio", "instagram", "US"),
    ("和闺蜜@小林 一起去吃了火锅，我主页链接有视频", "xiaohongshu", "CN"),
    # a creator's bio line for business enquiries is no tie to a brand
    ("新一期vlog上线，完整版链接在主页。商务合作请私信", "douyin", "CN"),
    ("某联名款球鞋今天发售，链接在主页", "douyin", "CN"),
    ("本期视频的完整教程链接在简介，我整理了三个小时，喜欢的点个赞", "douyin", "CN"),
    ("好物分享｜这个洗面奶我用了一年了，很温和，敏感肌也没问题", "xiaohongshu", "CN"),
    ("某当红小花自用的瘦脸霜，同款链接在这里", "xiaohongshu", "CN"),
    # a brand's own livestream promo: its slogans (好物分享) and its cart, and no creator's use, first person or tie
    ("周末直播间专属福利，好物分享停不下来，购物车全场包邮", "douyin", "CN"),
    ("直播间专属价，种草好物一次带回家，购物车一键下单", "douyin", "CN"),
])
def test_a_brand_s_own_post_or_a_post_with_no_paid_tie_is_not_flagged(text, channel, market):
    assert _missing(text, channel, market) == []


def test_an_ad_placement_needs_no_endorser_label():
    """On a paid channel the placement is the ad (the platform prints its label): the endorser check stays out."""
    text, _, market, _ = UNLABELLED[0]
    assert connection_cue(text) is not None
    report = get_checker(None).check_text(text, channel=get_channel("facebook_ad"), market=market)
    assert not [f for f in report.findings if f.rule.startswith("disclosure.connection")]


def test_the_kit_s_own_post_with_its_code_and_hashtags_is_not_flagged():
    """Northpeak's own Instagram post: its offer code and its own campaign hashtags, and no creator in it (no
    tagged brand, no "I"/"my"). Written in a creator's first person, the same offer is flagged."""
    from pathlib import Path

    from studio.kits import load_kit

    kit = load_kit("northpeak", Path(__file__).resolve().parents[1] / "brand_kits")
    brand_post = ("❄️ First frost on the windshield this morning, which means the Talus Down Jacket comes out of the "
                  "closet. RDS certified down, 700 fill power, $329.\n\nCode WARMUP takes 10% off through January 15."
                  "\n\n#Northpeak #TalusDown #WinterLayers")
    creator_post = brand_post.replace("which means the Talus", "which means my @northpeak Talus")

    def missing(text):
        report = get_checker(kit).check_text(text, channel=get_channel("instagram"), market="US")
        return [f.text for f in report.findings if f.rule.startswith("disclosure.connection")]

    assert missing(brand_post) == []
    assert missing(creator_post) == ["Code WARMUP"]


@pytest.mark.parametrize("text", [
    "这次是民宿邀请我来试住的，院子里的桂花开得正好，想订的私信我拿内部价～",
    "这期视频是“清风”赞助的哈，不过我是真的用了一个月，评论区置顶有链接。",
])
def test_a_chinese_post_with_an_invitation_or_sponsor_and_a_way_to_buy_needs_the_label(text):
    [finding] = _missing(text, "xiaohongshu", "CN")
    assert finding.severity.value == "warn" and finding.suggestion.startswith('add "广告"')


def test_a_private_message_offer_from_a_shop_without_a_creator_is_not_a_post():
    assert _missing("本店新到一批桂花乌龙，批发价私信我们咨询。", "xiaohongshu", "CN") == []
