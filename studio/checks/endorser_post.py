"""An influencer's paid or affiliate post told by its shape, not by a confession ("sent me", "my code").

Real endorser posts seldom say how they are paid; the tie shows in what co-occurs: a pointer to buy through the
creator (a personal code "SARA15", "shop my faves", an LTK or Amazon storefront, a referral URL; 橱窗, 小黄车,
直播间下单, 同款链接), a tagged @brand or a brand hashtag campaign (#GlowWithLumi), and the creator's own voice on the
product ("obsessed with", "been using", 好物分享, 种草, 回购). One signal alone is ordinary copy (a vlog's "link in bio",
a friend's @tag, an honest "I love my Le Creuset"); a pointer to buy with enough of the rest is the post the FTC
(16 CFR 255.5), UCPD Annex I no. 11 and 互联网广告管理办法 第九条 want labelled. The brand's own post ("we", "our
new drop", 本店, 我们家), or a code with the brand's own hashtags and no creator in it, is plainly an ad by its
author and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# --- pointers to buy through the creator. Strong: only a seller's or an affiliate's pointer looks like this.
# A personal code: a token in capitals ("SARA15", "KAYCLOUD"; 4+ with a digit or 5+ letters, so not "GRWM" or "SPF")
# near an offer ("20% off", "at checkout", "code"), and not inside a run of shouted words ("50% OFF TODAY ONLY").
_OFFER = (r"(?i:%|[$€£]\d|\boff\b|\bcode\b|\bcheckout\b|\bdiscount\b|\bsaves?\b|\bcoupon\b|"
          r"\bfree (?:shipping|month|trial|delivery)\b)")
_SHOUTED = (r"(?:SALE|TODAY|ONLY|FREE|SHOP|HURRY|LIMITED|OFFER|DEALS?|EXTRA|BLACK|FRIDAY|CYBER|MONDAY|ORDER|CLICK|"
            r"LINK)\b")
_CODE = rf"(?<![A-Z]{{2}} )\b(?!{_SHOUTED})(?:(?=[A-Z_]*\d)[A-Z][A-Z0-9_]{{3,}}|[A-Z][A-Z0-9_]{{4,}})\b(?! [A-Z]{{2}})"
# "code BISCUIT25": the strongest words (the code in capitals: "the code with @alex" is a programmer's)
_CODE_WORD = (r"\b(?i:code|promo|coupon):?\s+(?!CODE\b)(?=[A-Z0-9_]*[A-Z])[A-Z0-9_]{4,}\b"
              # a three-letter code only after "with/use/enter code" ("10% off with code LEA"; not "dress code RED")
              r"|\b(?i:with|use|enter|using) (?i:code|promo code|coupon code|coupon):?\s+(?!CODE\b)(?=[A-Z0-9_]*[A-Z])[A-Z0-9_]{3}\b")
_STRONG_EN = [
    r"(?i:\bshop (?:my|them in my|it in my)\b(?: \w+)?|\bmy (?:amazon|ltk|storefront|shopmy|shop page)\b|\bamzn\.to/|"
    r"\baffiliate links?\b)",
    r"(?i:\b(?:tap|click|use|through|thru|via|with) my link\b|"
    r"\bwith my invite\b)",
    # referral URLs: a path or a query parameter that names who sent the buyer
    r"(?i:\b[a-z0-9-]+\.[a-z]{2,6}/(?:r|i|p|ref|invite|partner)/\w+|[?&](?:ref|via|aff\w*|invite|partner|r)=\w+)",
]
_STRONG_ZH = [
    r"橱窗|小黄车|购物车|小程序|领券|暗号|口令|进店|报我(?:的)?名字|左下角|搜同名|店铺搜|搜店名|发链接|"
    r"[0-9一二三四五六七八九十]+号链接|直播间[^。！!？?\n]{0,12}(?:下单|链接|拍|价|福利)|专属(?:价|折扣)|粉丝价",
    r"(?:购买|店铺|同款|团购|商品)链接|评论区[^。！!？?\n]{0,4}(?:链接|置顶)|链接[^。！!？?\n]{0,6}(?:评论区|下方|置顶)",
    r"私(?:信)?我[^。！!？?\n]{0,6}(?:拿|领|要|发)?[^。！!？?\n]{0,4}(?:内部价|优惠|折扣|券|链接|价格|团购价)",
    # the creator's own invite or referral code for an app or a platform (我的邀请码, 专属推荐码ABCD88, 用我的邀请链接);
    # "你的邀请码" is the platform explaining its own referral scheme
    r"(?:我的|专属|填我的|用我的)(?:专属)?(?:邀请码|推荐码|邀请链接|推荐链接|注册链接|返佣码|返佣链接|邀请口令)",
]
# Weak: also said of one's own content ("new vlog, link in bio", 教程链接在简介) or of a shop in general.
_WEAK_EN = [r"(?i:\blink'?s? (?:is )?in (?:my |the )?bio\b|\btap to shop\b|\b(?:tap|click) the link\b|"
            # links kept where the creator keeps them, or sent on request ("links ... on my profile", "DM you the link")
            r"\blink(?:s|ed)?\b[^.!?\n]{0,40}?\b(?:on|in|via|at) my (?:bio|profile|page|stories|highlights)\b|"
            r"\bDM (?:you|me)\b[^.!?\n]{0,24}?\b(?:link|code)\b|\b(?:via|through) my (?:page|profile|site|shop)\b|"
            r"\b(?:grab|get|book) (?:yours|your own|the same one)\b|\bshop (?:it|them|the collection)\b|"
            r"\b[a-z0-9-]+\.(?:com|app|io|co)/\w+)"]
_WEAK_ZH = [r"链接|同款|下单|店铺|店名|戳主页"]

# --- the creator's own voice on the product
_EXPERIENCE_EN = (r"(?i:\bobsessed with\b|\b(?:been|i've been) (?:using|wearing|loving)\b|"
                  r"\bloving (?:my|this|these|the)\b|\bcan'?t stop (?:wearing|using)\b|\bhooked on\b|\bmy go-to\b|"
                  r"\bholy grail\b|\bmy (?:new )?fave?s?\b|"
                  r"\bmy favou?rite\b|\bliving in (?:this|these|my)\b|\bi (?:use|wear|love) (?:it|them)\b|\bi kept\b|"
                  r"\bmy new\b|\bmy (?:morning|daily|skin|curls|hair)\b)")
# (not 自用 or 每天: an ad says "某明星自用", "每天用它" of others; the creator's own use comes with 我)
_OWN_USE_ZH = r"回购|爱用|一直在用|用了|用空|挖到|入手"
# a shop's slogans as much as a creator's words ("好物分享不停", "新品种草"): they weigh, but say nobody is speaking
_PROMO_WORDS_ZH = r"好物|种草|安利|宝藏|分享"
_EXPERIENCE_ZH = f"{_OWN_USE_ZH}|{_PROMO_WORDS_ZH}"
# --- the creator's tie to a brand said outright, without 广告: 和品牌方一起做的测评, 品牌方寄来的, 我们的合作款, 联名款
# (the speaker is one side of the tie, the brand the other: a "we" here is the creator with the brand)
_TIE_SPEAKER_ZH = (r"品牌方|金主(?:爸爸)?|恰饭|合作款|(?:这期|本期|这条|本条|视频)[^，。！？,!?\n]{0,12}?赞助|"
                   r"(?:邀请|请)我(?:来|去)?(?:体验|试用|试吃|试住|入住|打卡|测评)|"
                   r"(?:和|跟|与)[^，。！？,!?\n]{0,10}?(?:品牌|牌子|官方|厂家)方?(?:一起|合作|联合|出了|做了)")
_COLLAB_ZH = r"联名款"  # a brand's own word too ("XX联名款上线"): it weighs less than a tie the speaker is part of
_FIRST_PERSON_EN = r"(?i:\b(?:i|i'm|i've|im|my|me|mine)\b)"
# (not 家人们 or 宝子们: a livestream seller's address to buyers, not the creator speaking of their own use)
_FIRST_PERSON_ZH = r"我(?!们)"
_SINGULAR = re.compile(f"{_FIRST_PERSON_EN}|{_FIRST_PERSON_ZH}")
# a tagged account, or a campaign hashtag in CamelCase (#GlowWithLumi; not #ad, not #travel)
# (not a customer's signature before a quote, @上海李女士：“……”: a person, the shape of a wall of reviews)
_TAG = (r"(?<![A-Za-z0-9_.])@(?![\u4e00-\u9fff]{1,6}?(?:女士|先生|小姐|阿姨|大姐|大哥|大爷|大妈|宝妈|姐|哥)\s*[:：]\s*[“\"「])"
        r"(?:[\w.]+|[^\s@，,。！!？?]{1,12})")
# A tag that names a person, not a brand: "my friend @jess", "congrats to @maria", "dinner with @sam and @tom", 和闺蜜@小林
_PERSON_BEFORE = re.compile(
    r"(?i:\b(?:friends?|sister|brother|mom|mum|dad|husband|wife|bestie|bff|congrats(?: to)?|congratulations(?: to)?|"
    r"shout ?out(?: to)?|thanks?(?: to)?|thank you|birthday|proud of|(?:dinner|lunch|coffee|drinks|brunch) with)|"
    r"朋友|闺蜜|室友|同事|和|跟)\s*$")
_AND_BEFORE = re.compile(r"(?:\band|&|,|，|、)\s*$")
_CAMPAIGN = r"#[A-Z][a-z]+[A-Z]\w*"

# --- the brand speaking of itself: "shop our new drop", "we make", 本店, 官方旗舰店, 我们家的新品
_BRAND_VOICE = re.compile(
    r"(?i:\bshop our\b|\bour (?:(?:new|latest|fall|spring|summer|winter|holiday) )?"
    r"(?:collection|drop|range|store|shop|site|website|team|founders?|booth|products?|launch|bio)\b|"
    r"\bwe (?:make|made|built|design|designed|launched|teamed)\b)|本店|小店上新|官方(?:旗舰店|店|福利)|我司|本品牌")
# "we"/"our" without one "I"/"my" is a brand's voice, unless "our" is a family's ("our pup", "our kids")
_PLURAL_EN = re.compile(r"(?i:\b(?:we|we're|we've|us|our(?! (?:pup|puppy|dog|cat|kids?|baby|son|daughter|family|"
                        r"house|home|little one|boys|girls)\b))\b)")
_PLURAL_ZH = re.compile(r"我们|咱们")


_CODE_WORD_RE, _CODE_RE, _OFFER_RE = re.compile(_CODE_WORD), re.compile(_CODE), re.compile(_OFFER)
_TAG_RE = re.compile(_TAG)
_TIE_SPEAKER_RE = re.compile(_TIE_SPEAKER_ZH)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_OTHER_STRONG = re.compile("|".join(_STRONG_EN + _STRONG_ZH))


def _brand_tag(text: str) -> re.Match | None:
    """The first tagged account that is not a person's ("my friend @jess", and the tags listed after it)."""
    person = False
    for m in _TAG_RE.finditer(text):
        before = text[max(0, m.start() - 24):m.start()]
        person = bool(_PERSON_BEFORE.search(before) or (person and _AND_BEFORE.search(before)))
        if not person:
            return m
    return None


def _personal_code(text: str) -> re.Match | None:
    """The first code in capitals with an offer within 40 characters of it, in its sentence ("use KAYCLOUD at
    checkout", "Save 10% with LAURA10")."""
    for m in _CODE_RE.finditer(text):
        before = _SENTENCE_END.split(text[max(0, m.start() - 40):m.start()])[-1]
        after = _SENTENCE_END.split(text[m.end():m.end() + 40])[0]
        if _OFFER_RE.search(before) or _OFFER_RE.search(after):
            return m
    return None


def _strong_pointer(text: str) -> re.Match | None:
    """"code X", else a personal code, else another seller's or affiliate's pointer (the first in the text)."""
    return _CODE_WORD_RE.search(text) or _personal_code(text) or _OTHER_STRONG.search(text)


_WEAK_RE = re.compile("|".join(_WEAK_EN + _WEAK_ZH))


_OFFER_ANYWHERE = re.compile(r"(?i:%|[$€£]\d|\boff\b|\bdiscount|\bfor less\b|\bcheaper\b|\bdeal\b|\bsaves?\b)")


def buy_pointer(text: str) -> re.Match | None:
    """A pointer to buy through the creator: a strong one ("code SARA15", "my link"), or a weak one ("link in bio",
    "shop them") with an offer in the post ("25% off", "for less"); a vlog's "link in bio for the recipe" is not one."""
    strong = _strong_pointer(text)
    if strong is not None:
        return strong
    weak = _WEAK_RE.search(text)
    return weak if weak is not None and _OFFER_ANYWHERE.search(text) else None


@dataclass(frozen=True)
class _Signal:
    name: str
    weight: int
    find: Callable[[str], re.Match | None]


def _signal(name: str, weight: int, patterns: list[str] | str) -> _Signal:
    return _Signal(name, weight, re.compile(patterns if isinstance(patterns, str) else "|".join(patterns)).search)


# In order of strength: the finding's span is the first one present (the strongest cue).
_SIGNALS = [
    _Signal("pointer", 2, _strong_pointer),
    _signal("weak_pointer", 1, _WEAK_EN + _WEAK_ZH),
    _Signal("tag", 1, _brand_tag),
    _signal("campaign", 1, _CAMPAIGN),
    _signal("experience", 1, [_EXPERIENCE_EN, _EXPERIENCE_ZH]),
    # a tie said outright weighs like a pointer: with any pointer to buy it is the undisclosed connection itself
    _signal("tie", 2, _TIE_SPEAKER_ZH),
    _signal("collab", 1, _COLLAB_ZH),
    _signal("first_person", 1, [_FIRST_PERSON_EN, _FIRST_PERSON_ZH]),
]
_POINTERS = ("pointer", "weak_pointer")
# Who is speaking: a creator's tag, voice, first person or stated tie to a brand. A code with the brand's own hashtags
# (#Northpeak #TalusDown) and none of these is the brand's own post; so is a shop's "好物分享" with no creator's use
# (_PROMO_WORDS_ZH alone: see _creator_speaks).
_CREATOR = ("tag", "experience", "first_person", "tie", "collab")
_PROMO_ONLY_ZH = re.compile(f"(?:{_PROMO_WORDS_ZH})+")
_WEIGHT = {s.name: s.weight for s in _SIGNALS}
THRESHOLD = 3  # a pointer to buy (1-2) and at least one more signal of the creator's tie; 2 is a vlog's "link in bio"

# Every pointer pattern above contains one of these (lower case): copy with none of them has no pointer, and a
# post without a pointer is never flagged, so the other signals are not searched (most copy stops here).
POINTER_LEADS = ("%", "$", "€", "£", "off", "code", "checkout", "discount", "save", "coupon", "free", "promo", "shop",
                 "amazon", "ltk", "storefront", "amzn", "linked", "link", "invite", "=", "/", "grab", "get", "book",
                 "via my", "through my", "thru my",
                 "橱窗", "小黄车", "购物车", "小程序", "领券", "暗号", "口令", "进店", "名字", "左下角", "同名", "店", "链接",
                 "评论区", "直播间", "同款", "下单", "专属", "粉丝价", "主页", "私", "邀请", "推荐码", "返佣")


def _brand_voice(text: str) -> bool:
    """Whether the brand itself speaks: its own phrases, or "we"/我们 with no "I"/我 anywhere (unless the "we" has a
    tie to a brand: 和品牌方一起, 我们的合作款)."""
    if _BRAND_VOICE.search(text):
        return True
    plural = bool(_PLURAL_EN.search(text) or _PLURAL_ZH.search(text))
    return plural and not _SINGULAR.search(text) and not _TIE_SPEAKER_RE.search(text)


def _creator_speaks(found: dict[str, re.Match], text: str) -> bool:
    """A creator's tag, first person or tie, or their words on the product that are more than a shop's slogans."""
    if any(name in found for name in _CREATOR if name != "experience"):
        return True
    experience = found.get("experience")
    if experience is None:
        return False
    if not _PROMO_ONLY_ZH.fullmatch(experience.group()):
        return True
    return bool(re.search(_EXPERIENCE_EN, text) or re.search(_OWN_USE_ZH, text))


def endorser_post_cue(text: str, prefilter: bool = True) -> re.Match | None:
    """The strongest cue of an endorser's post with a pointer to buy through the creator, or None when the post
    does not add up to one (fewer than THRESHOLD points, no pointer, no sign of a creator, or the brand's own voice).
    prefilter=False searches every signal (the plain definition the speed-equivalence test holds it to)."""
    if prefilter:
        # re's IGNORECASE matches "ſ" to "s" and "K" to "k" (casefold maps them too) and "ı" to "i" (casefold does not)
        lowered = text.lower() if text.isascii() else text.casefold().replace("ı", "i")
        if not any(lead in lowered for lead in POINTER_LEADS):
            return None
    found: dict[str, re.Match] = {}
    for signal in _SIGNALS:
        m = signal.find(text)
        if m is not None:
            found[signal.name] = m
        elif signal.name == "weak_pointer" and "pointer" not in found:
            return None  # no pointer to buy: never an endorser's paid post by shape alone
    pointer = max(_WEIGHT[name] for name in _POINTERS if name in found)
    tie = sum(_WEIGHT[name] for name in found if name not in _POINTERS)
    if not _creator_speaks(found, text) or pointer + tie < THRESHOLD or _brand_voice(text):
        return None
    return next(iter(found.values()))
