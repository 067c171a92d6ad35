"""An endorser's post that shows a material connection to the brand must say it is an ad.

A creator who was sent the product, hosted on a brand trip, or paid through a personal discount code or an affiliate
link has a material connection to the brand; the post must disclose it clearly (FTC Endorsement Guides, 16 CFR
255.5; UCPD 2005/29/EC Annex I no. 11; 互联网广告管理办法 第九条 and 广告法 第十四条: a post that promotes goods
through experience sharing or reviews with a shopping link is an ad and must be marked 广告). A brand's own post
("use code RAIN20") is plainly the brand speaking and needs no such label, so the cues below are the endorser's:
"sent me", "my code", "brand trip", 品牌方寄来, 我的专属口令, 小黄车. Most paid posts say none of them: the shape of
one (a pointer to buy through the creator with a tagged brand or the creator's own voice) is weighed in
endorser_post.py.
"""

from __future__ import annotations

import re

from studio.channels.paid import PAID_EQUIVALENTS
from studio.checks.endorser_post import buy_pointer, endorser_post_cue

# What an endorser's connection sounds like. Each pattern is one kind of connection.
_CUES_EN = [
    # a gifted product, sent by the brand ("they", "@brand", "the team") to the creator or a family/pet account ("us"),
    # not a friend's link
    # (a product: "a pair", "their new grinder"; not "the tracking number" of a customer's order)
    r"(?:\bthey|@\w+|\bthe (?:brand|team|folks|lovely people)\b[^.!?\n]{0,24}?) (?:kindly |just )?(?:sent|gifted) (?:me|us)"
    r" (?:a|an|this|these|some|their|its|one|two|three|free)\b(?! (?:link|message|text|email|photo|video|note|reply)\b)",
    r"#gifted\b|\bgifted by @|\bPR (?:package|box|haul)\b",
    r"\b(?:use|with|enter|try) my (?:code|promo code|discount code|coupon code|link|discount link|affiliate link)\b",
    # ("link in my bio" alone is also a vlog's or a thread's: endorser_post.py weighs it with the post's other signals)
    r"\bmy (?:discount|affiliate|referral) (?:link|code)\b|\bswipe up for my\b",
    r"\b(?:brand|press) trip\b|\b(?:invited|hosted|flown out) by @\w+",
    r"\bthanks? (?:so much )?(?:to )?@\w+ for (?:sending|gifting|inviting|hosting|having me|the trip)\b",
    r"\b(?:in )?(?:partnership|collaboration|collab) with @\w+|\bpartnered with @\w+",
    # thanks to a tagged brand for the product itself ("thanks @trailco for the pair", "huge thanks to @x for the kit")
    r"\bthanks? (?:so much )?(?:to )?@[\w.]+ for (?:the|this|these|my|our) (?:new |free |lovely |gorgeous |amazing )?"
    r"(?:pairs?|kit|stay|samples?|goodies|box|bundle|gear|set|package|parcel|treats|outfit|upgrade|shoes|boots|products?)\b",
    # a tagged hotel or brand that hosted the creator ("@inn hosted us", "@inn ... they hosted us for the weekend",
    # "@hotel had us over for two nights"); an untagged "they hosted us" is also what friends do
    r"@[\w.]+ (?:kindly |generously )?hosted (?:us|me)\b|@[\w.]+\b[^\n]{0,120}?\bthey (?:kindly |generously )?hosted"
    r" (?:us|me)\b|@[\w.]+ (?:had|invited|welcomed) (?:us|me) (?:over |to stay |out )?for (?:the|a|two|three|four|\d+)"
    r" (?:weekend|nights?|days?|stay)\b",
    # a giveaway run with a tagged brand that supplies the prize ("GIVEAWAY with my friends at @x", "teaming up with @x
    # for a giveaway"); a brand's own giveaway ("our giveaway: follow @us") names no partner
    r"\bgiveaway (?:with|in partnership with|together with) (?:my (?:friends|pals) at |the (?:team|folks|lovely people)"
    r" at )?@[\w.]+|\bteam(?:ing|ed)? up with @[\w.]+ (?:for|on) (?:a|an|this|our|my) giveaway\b",
    # a product lent by the brand for the review ("@veloco lent me their e-bike for a month", "on loan from @x"):
    # the use of it is the payment, as with a gift
    r"(?:\bthey|@[\w.]+|\bthe (?:brand|team|folks|lovely people)\b[^.!?\n]{0,24}?) (?:kindly |generously )?(?:lent|loaned)"
    r" (?:me|us) (?:a|an|this|these|the|their|its|one)\b|\bon loan from @[\w.]+",
    # a two-sided referral: the creator is paid when the reader joins ("we both get $20", "my invite link")
    r"\bwe both (?:get|earn|receive|score)\b[^.!?\n]{0,40}?\b(?:when|if|once) you (?:sign up|join|order|buy|use|"
    r"open|switch|download|register|book)\b|\bmy (?:invite|invitation) (?:link|code)\b",
]
_CUES_ZH = [
    r"品牌方?(?:寄来|送来|寄的|送的|赠送|寄送)",  # a gifted product
    r"感谢@\S{1,20}?(?:的)?(?:邀请|赞助|寄来|送来|支持)",
    r"(?:我的)?专属(?:口令|优惠码|折扣码|链接|福利码)|用我的(?:口令|优惠码|折扣码|链接)",
    r"小黄车|恰饭|受邀参加",
    # a product sent by a named shop or brand (山行家寄来的, X官方送的, X旗舰店寄给我试用的) with a giveaway or a link
    # after it; family, friends and neighbours (婆家, 朋友家, 邻居家) send gifts too, and say nothing about buying
    r"(?<![婆娘亲居友戚公舅姑姨叔伯姐哥弟妹爷奶妈爸邻人])(?:家|官方|旗舰店|品牌)(?:寄来|送来|寄给我|送给我|寄的|送的)"
    r"[^\n]{0,60}?(?:抽\s*\d*\s*位|送同款|链接|主页|橱窗|评论区)",
    # a brand or a partner that gave the creator or the fans an allocation (品牌方只给了我50个名额, 合作方给了粉丝专属折扣,
    # 商家给了我两百份福利); the brand's own voice (我们品牌给会员准备了) says 品牌 without 方
    r"(?:品牌方|合作方|甲方(?:爸爸)?|商家)(?:只|特意|专门|额外|偷偷)?(?:给了?|给到了?|开了|批了)(?:我|粉丝|大家|宝子们|姐妹们|你们|家人们)"
    r"[^。！？!?\n]{0,8}?(?:名额|福利|内购|专属|优惠|折扣|券|底价)",
    # a partnership with a named brand and a perk for the fans through the creator (这次和X酒店合作……私信我拿专属房价,
    # 跟X合作的测评，评论区扣1我发内购链接, 和X合作……粉丝福利在主页); a partnership with me or you (想和我合作的商家私信我)
    # is an invitation, not a tie
    r"(?:和|跟|与)(?!我|你)[^，。！？,!?\n]{1,12}?合作(?!社)[^\n]{0,60}?(?:(?:私信我|私我|找我|报我的?名字|评论区|主页|扣1)"
    r"[^。！？!?\n]{0,12}?(?:价|优惠|折|名额|链接|福利|内购|券)|(?:粉丝|专属|内部)(?:福利|价|优惠|折扣|名额)[^。！？!?\n]{0,4}?"
    r"(?:在|见)?(?:主页|评论区|私信|橱窗))",
    # a product lent by the brand (品牌方借给我试用一个月); a two-sided referral, the creator paid when the reader joins
    # (用我的邀请码注册，我们俩各得20元)
    r"(?:品牌方?|官方|商家|旗舰店)(?:借给我|借我|出借给我)",
    r"(?:填|用|输入|扫|点)?我的邀请(?:码|链接)|(?:你我|我们俩?)(?:都能|都可以|各)(?:得|拿到?|领到?|获得)[^。！？!?\n]{0,12}?(?:元|券|奖励|现金|红包)",
]
CUE = re.compile("|".join(_CUES_EN + _CUES_ZH), re.IGNORECASE)
# The label to ask for when the channel names none for the market.
DEFAULT_LABEL = {"US": "#ad", "EU": "#ad", "CN": "广告"}
SOURCE = {"US": "FTC Endorsement Guides, 16 CFR 255.5", "EU": "UCPD 2005/29/EC Annex I no. 11",
          "CN": "互联网广告管理办法 第九条; 广告法 第十四条"}


# Every cue above contains one of these, in lower case: a text with none of them cannot match CUE. The
# case-insensitive 11-way search tried at every position cost 0.27 ms of an English text's check, and most copy
# has none of them (tests/test_checks_speed_equivalence.py holds the two equal on every labelled text).
_LEADS = ("sent me", "sent us", "gifted", "pr ", "my ", "trip", "@", "giveaway", "lent", "loaned", "on loan", "we both", "品牌", "专属", "用我的", "小黄车", "恰饭", "受邀", "合作", "甲方", "商家")
_LEADS_ZH_GIFT = ("寄", "送的", "送来", "送给")  # the named shop's gift cue (_CUES_ZH) needs one of these
_LEADS += _LEADS_ZH_GIFT
# a lent product, a two-sided referral: the exact strings their cues need ("我们" alone is in most Chinese copy)
_LEADS += ("借给我", "借我", "邀请码", "邀请链接", "你我", "我们都", "我们各", "我们俩")
# What each English cue (in _CUES_EN's order) cannot match without, in lower case. In ASCII text (where
# re's IGNORECASE is str.lower) a cue none of whose strings occur matches nowhere: left out of the
# alternation, the search finds the same first match (at each position re tries the cues in order, and one
# that fails everywhere never wins). "my " occurs in most copy, and the whole alternation costs ~0.1 ms.
_CUE_NEEDS_EN = [("sent me", "gifted me", "sent us", "gifted us"), ("gifted", "pr "), ("my ",), ("my",), ("trip", "@"), ("@",), ("@",),
                 ("@",), ("@",), ("giveaway",), ("lent", "loaned", "on loan"), ("we both", "my invit")]
_NARROWED: dict[tuple[int, ...], re.Pattern] = {}


def _narrowed_cue(lowered: str) -> re.Pattern | None:
    """The alternation of the English cues an ASCII text can hold (lowered: the text in lower case), None if none."""
    active = tuple(i for i, needs in enumerate(_CUE_NEEDS_EN) if any(n in lowered for n in needs))
    if not active:
        return None
    regex = _NARROWED.get(active)
    if regex is None:  # at most 2**10 sets, each compiled once
        regex = _NARROWED[active] = re.compile("|".join(_CUES_EN[i] for i in active), re.IGNORECASE)
    return regex


def explicit_cue(text: str) -> re.Match | None:
    """The first words that say an endorser's material connection to the brand outright (CUE), if any."""
    lowered = text.lower()
    if not any(lead in lowered for lead in _LEADS):
        return None
    if text.isascii():  # no Chinese cue can match; only the English ones whose strings occur are searched
        regex = _narrowed_cue(lowered)
        return regex.search(text) if regex is not None else None
    return CUE.search(text)


# A brand named as the sender ("Lumo sent me their new runners", "Kitsune Audio gave me their earbuds to try", "got
# gifted this set by Dormio", "thanks to Petal & Stem for sending me these"). A capitalised name may also be a friend's
# ("Jo sent me a jar of jam"), so it tells the tie only with a pointer to buy through the creator (a code, "link in
# bio", "shop them"); family words and pronouns are never the sender. Case-sensitive: the name is what marks it.
_NAME = r"[A-Z][\w&'.-]*(?: (?:&|[A-Z][\w&'.-]*)){0,2}"
_NAMED_SENDER = re.compile(
    r"\b(?!(?:My|Mum|Mom|Mummy|Mommy|Dad|Daddy|Nan|Nana|Gran|Grandma|Grandpa|Granny|Auntie|Aunt|Uncle|She|He|They|We|You|"
    r"It|I|Someone|Somebody|A|An|The|This|That|Santa|Mother|Father|Sister|Brother|Hubby|Wifey)\b)" + _NAME +
    r" (?:kindly |just |generously |lovingly |very kindly )?(?:sent (?:me|us|over)|gifted (?:me|us)|gave me|mailed me|shipped me|lent (?:me|us)|loaned (?:me|us)|"
    r"let me (?:try|test))\b(?: (?:a|an|this|these|some|their|its|one|two|three|free|the|me)\b)"
    r"(?! (?:link|message|text|email|photo|video|note|reply|call)\b)"
    r"|\b(?:[Gg]ot |[Ww]as |[Bb]een |[Gg]etting )?gifted (?:this|these|a|an|some|my|the)\b[^.!?\n]{0,50}? by " + _NAME +
    r"|\b(?:[Tt]hanks?|[Tt]hank you) (?:so much )?(?:to )?(?:the (?:team|folks|lovely people) at )?" + _NAME +
    r" for (?:sending|gifting|the free)\b"
    r"|\b[Tt]he (?:team|folks|lovely people) (?:at|from) " + _NAME + r" (?:kindly |just )?(?:sent|gifted|gave)\b"
    # a brand that paid the creator's travel or stay ("Solvia flew me out to Lisbon", "Harbor Coffee put me up in
    # Seattle", "Trailfox paid for my weekend in the Alps", "Nordlys hosted me at their studio")
    r"|\b(?!(?:My|Mum|Mom|Mummy|Mommy|Dad|Daddy|Nan|Nana|Gran|Grandma|Grandpa|Granny|Auntie|Aunt|Uncle|She|He|They|We|You|"
    r"It|I|Someone|Somebody|A|An|The|This|That|Mother|Father|Sister|Brother|Hubby|Wifey|Work|Our)\b)" + _NAME +
    r" (?:kindly |just |generously |actually )?(?:flew (?:me|us)|(?:has|have) flown (?:me|us)|put (?:me|us) up|"
    r"paid for (?:my|our) (?:trip|stay|weekend|week|flights?|hotel|holiday|travel|tickets?)|invited (?:me|us) (?:on|to|out)|"
    r"hosted (?:me|us))\b")


# Thanks to a tagged account for a product ("thanks @northtrail for the new pack"): a friend is thanked so too ("thanks
# @dan for the lift"), so it tells the tie only with a pointer to buy through the creator in the post.
_THANKS_TAG = re.compile(r"\b(?:thanks?|thank you) (?:so much )?(?:to )?@[\w.]+ for (?:the|this|these|my|our) "
                         r"(?:new |free |lovely |gorgeous |amazing )?[\w-]+", re.IGNORECASE)


# One of these occurs in every _NAMED_SENDER match ("ending" for "sending"; "flew", "flown", "put ", "paid for",
# "invited", "hosted" for a brand that paid the creator's travel or stay).
_SENDER_WORDS = ("sent", "gifted", "gave me", "ending", "let me", "shipped me", "mailed me", "lent", "loaned", "flew", "flown", "put ",
                 "paid for", "invited", "hosted")


def named_sender_cue(text: str) -> re.Match | None:
    """A brand named as the sender of the creator's product, or a tagged account thanked for it, with a pointer to buy
    through the creator in the post."""
    if "@" not in text and not any(w in text for w in _SENDER_WORDS):
        return None
    m = _NAMED_SENDER.search(text) if any(w in text for w in _SENDER_WORDS) else None
    if m is None and "@" in text:
        m = _THANKS_TAG.search(text)
    return m if m is not None and buy_pointer(text) is not None else None


def connection_cue(text: str) -> re.Match | None:
    """The words that show an endorser's material connection to the brand, if any: a connection said outright
    ("sent me", 品牌方寄来), a named brand as the sender with a pointer to buy, else the strongest cue of a post shaped
    like a paid or affiliate one (endorser_post.py)."""
    return explicit_cue(text) or named_sender_cue(text) or endorser_post_cue(text)


# The partnership tag a platform prints on top of a note (Xiaohongshu's 品牌合作, 合作推广), written as the copy's
# opening tag: "品牌合作｜露营装备分享". Said inside a sentence ("和X品牌合作给大家测一下") it is not the tag.
_LEADING_TAG_CN = re.compile(r"^\W{0,3}(?:品牌合作|合作推广)\s*[｜|:：\]】]")


def leading_ad_tag(text: str, market: str) -> bool:
    """Whether the copy opens with a platform's partnership tag that labels it in this market."""
    return market == "CN" and _LEADING_TAG_CN.match(text) is not None


def ad_label_forms(market: str) -> tuple[str, ...]:
    """Every form that discloses the connection in this market ("#ad", "Sponsored", 广告 ...)."""
    if market == "CN":
        # 互联网广告管理办法 第九条: experience sharing or a review with a way to buy "应当显著标明'广告'". Saying
        # the tie (这期是X赞助的, 和X品牌合作, 推广) tells it but is not the label the rule names.
        return ("广告",)
    return tuple(PAID_EQUIVALENTS.get(market, ())) + ("#partner", "paid partnership")
