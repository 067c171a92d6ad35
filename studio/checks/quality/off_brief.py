"""Off brief: the copy does not carry the brief (its product, offer or key message), or nothing of it.

Presence is lexical and forgiving: a product is named when one of its distinctive words appears
("Ridgeback" names "Ridgeback Shell"; "shell" alone does not), or for Chinese a run of three of its
characters; an offer or key message is carried when enough of its content words (Chinese: character
pairs) appear, in any order or inflection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from studio.checks.quality.needs import compiled
from studio.checks.quality.vocab import EN_WORD, en_key, en_zipf
from studio.language import HAN_RUN

_DIGIT_RUN = re.compile(r"\d+")
_NAME_PART = re.compile(r"[A-Za-z0-9]+")
_KEY_MESSAGE_INLINE = re.compile(r"(?:关键信息|核心信息)\s*[:：]\s*([^。；;！!？?\n]+)")
_STOP_ZIPF = 6.0  # English words this frequent ("the", "and", "your") carry nothing of a brief
# A token with a capitalised word run on after a lower-case letter or a digit, and its parts.
_CAMEL_JOIN = re.compile(r"(?<![#@\w])\w*[a-z0-9][A-Z][a-z]\w*")
_CAMEL_PARTS = re.compile(r"[A-Z]?[a-z]+|\d+")
_INNER_CAPITAL = re.compile(r"[a-z0-9][A-Z][a-z]")  # (found without backtracking: most copy has none)
_HASHTAG = re.compile(r"#(\w+)")
_HASHTAG_SET = re.compile(r"\s*(?:#\w+\s*)+")
_SQUASH_NAME = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)  # pure, and copy after copy uses the same words
def _stem(word: str) -> str:
    w = en_key(word)
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


@lru_cache(maxsize=512)
def _en_terms(text: str, generic: frozenset[str]) -> list[str]:
    """The content words of a part of the brief (cached: the same brief is read against text after text)."""
    z = en_zipf()
    out = []
    for m in EN_WORD.finditer(text):
        key = en_key(m.group())
        if key in generic or z.get(key, 0) >= _STOP_ZIPF or len(key) < 2:
            continue
        out.append(_stem(key))
    return list(dict.fromkeys(out))


@lru_cache(maxsize=512)
def _zh_pairs(text: str, generic: frozenset[str]) -> list[str]:
    pairs = []
    for run in HAN_RUN.findall(text):
        pairs += [run[i : i + 2] for i in range(len(run) - 1) if run[i : i + 2] not in generic]
    return list(dict.fromkeys(pairs))


@dataclass
class BriefTerms:
    """The brief, digested once per check: what must appear for each part."""

    product: str
    offer: str
    key_message: str
    text: str

    def __post_init__(self) -> None:
        from studio.checks.quality.config import quality_config

        cfg = quality_config()["off_brief"]
        self.generic_en = set(cfg["generic_en"])
        self.generic_zh = set(cfg["generic_zh"])
        if not self.key_message.strip():  # a Chinese brief that states it inline: "…。关键信息：产地直采。"
            m = _KEY_MESSAGE_INLINE.search(self.text)
            if m:
                self.key_message = m.group(1).strip()

    def parts(self) -> list[tuple[str, str]]:
        return [(name, value) for name, value in (("product", self.product), ("offer", self.offer),
                                                  ("key message", self.key_message), ("brief", self.text)) if value.strip()]


def product_named(product: str, copy_text: str, generic_en: set[str], generic_zh: set[str]) -> bool:
    lower = copy_text.lower()
    if product.lower() in lower:
        return True
    words = {en_key(w) for w in set(EN_WORD.findall(copy_text))}  # (EN_WORD has no group: findall gives the words)
    distinctive = [en_key(m.group()) for m in EN_WORD.finditer(product) if en_key(m.group()) not in generic_en]
    if distinctive and any(d in words for d in distinctive):
        return True
    # Words run together name it too ("NorthpeakRidgebackOneLine" names Ridgeback); a hashtag does not.
    if distinctive and _INNER_CAPITAL.search(copy_text):
        parts = {p.lower() for m in _CAMEL_JOIN.finditer(copy_text) for p in _CAMEL_PARTS.findall(m.group())}
        if any(d in parts for d in distinctive):
            return True
    # A hashtag that spells the whole name names it ("#RidgebackShell", "#Fernway40"; issue 13, G11): a hashtag set
    # is how the product is named in that field. Part of the name in a hashtag ("#CirqueConvalescent") is not.
    if "#" in copy_text:
        whole = _SQUASH_NAME.sub("", product.lower())
        if len(whole) >= 6 and any(whole in tag.lower() for tag in _HASHTAG.findall(copy_text)):
            return True
    for run in HAN_RUN.findall(product):
        core = run
        for g in sorted(generic_zh, key=len, reverse=True):
            if core.endswith(g) and len(core) > len(g):
                core = core[: -len(g)]
        size = min(3, len(core))
        if size and any(core[i : i + size] in copy_text for i in range(len(core) - size + 1)):
            return True
        # A four-character name is a place and a name ("临沧晒红"): the copy may say the name alone ("晒红").
        if len(core) == 4 and core[2:] in copy_text:
            return True
    return False


# Short forms that texts and search ads use for a brief's words ("15% off thru Sun." says "through Sunday").
_SHORT_FORMS = {"thru": "through", "til": "until", "till": "until", "mon": "monday", "tue": "tuesday", "tues": "tuesday",
                "wed": "wednesday", "thu": "thursday", "thur": "thursday", "thurs": "thursday", "fri": "friday",
                "sat": "saturday", "sun": "sunday", "hrs": "hours", "hr": "hour", "mins": "minutes", "xmas": "christmas",
                "pls": "please", "yr": "year", "yrs": "years", "wk": "week", "wks": "weeks"}


def _short_stems() -> dict[str, frozenset[str]]:
    """A brief's word stem -> the stems of its short forms ("through" -> "thru")."""
    out: dict[str, frozenset[str]] = {}
    for short, long in _SHORT_FORMS.items():
        out[_stem(long)] = out.get(_stem(long), frozenset()) | {_stem(short)}
    return out


_SHORT_STEMS = _short_stems()


class _StemOf(dict):
    """word -> _stem(word), looked up in C by map(): copy after copy uses the same words (_stem's own cache costs a
    Python-level call a word). Bounded: emptied when it grows past 65,536 words."""

    def __missing__(self, word: str) -> str:
        if len(self) > 65536:
            self.clear()
        stem = self[word] = _stem(word)
        return stem


_STEM_OF = _StemOf()


@lru_cache(maxsize=64)
def _copy_index(copy_text: str) -> tuple[frozenset[str], frozenset[str]]:
    """The copy's word stems and numbers, computed once per copy for all parts of the brief."""
    words = set(EN_WORD.findall(copy_text))  # each distinct word stemmed once
    return frozenset(map(_STEM_OF.__getitem__, words)), frozenset(_DIGIT_RUN.findall(copy_text))


@lru_cache(maxsize=256)  # the same brief's offer is read for text after text
def offer_without_product(offer: str, product: str) -> str:
    """The offer less the product's name and its words ("$10 bonus on $50 gift cards" for the Northpeak Gift Card is
    carried by "$10 bonus", not by "gift card": copy that only names the product says nothing of the offer)."""
    if not product:
        return offer
    out = re.sub(re.escape(product), " ", offer, flags=re.IGNORECASE)
    for w in {en_key(m.group()) for m in EN_WORD.finditer(product)}:
        if len(w) >= 3 and not w.isdigit():
            out = re.sub(rf"\b{re.escape(w)}(?:s|es)?\b", " ", out, flags=re.IGNORECASE)
    return out


def share_carried(part: str, copy_text: str, generic_en: set[str], generic_zh: set[str], numbers: bool = True) -> float | None:
    """Share of the part's content words (Chinese: character pairs) found in the copy; None = nothing to find.
    numbers=False: its numbers are left out ("Summit 28 Roofing Tiles" shares only the 28 of "free rain cover with every Switchback 28")."""
    terms = _en_terms(part, frozenset(generic_en))
    pairs = _zh_pairs(part, frozenset(generic_zh))
    numbers = set(_DIGIT_RUN.findall(part)) if numbers else set()
    total = len(terms) + len(pairs) + len(numbers)
    if not total:
        return None
    stems, copy_numbers = _copy_index(copy_text)
    if "#" in copy_text and _HASHTAG_SET.fullmatch(copy_text):
        # A hashtag set alone ("#SunHoodie #DesertHikes") says its words in CamelCase (issue 13, G11); a hashtag
        # inside a sentence ("#CirqueConvalescent Sunday thoughts") is still one token.
        stems = stems | {_STEM_OF[p] for tag in _HASHTAG.findall(copy_text) for p in _CAMEL_PARTS.findall(tag)}
    # A term is in the copy as written or as one of its short forms ("thru" for "through").
    found = (sum(1 for t in terms if t in stems or (t in _SHORT_STEMS and not stems.isdisjoint(_SHORT_STEMS[t])))
             + sum(1 for p in pairs if p in copy_text)
             + len(numbers & copy_numbers))
    return found / total


_AMOUNT = re.compile(r"[$€£]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?%")


def amounts_carried(offer: str, copy_text: str) -> bool:
    """The offer's amounts (its percentages and prices) all in the copy: "15% Off" carries "15% off through Sunday"
    though the day is left to another line (a search ad's description, a text's last line)."""
    amounts = {re.sub(r"\s", "", a) for a in _AMOUNT.findall(offer)}
    return bool(amounts) and amounts <= {re.sub(r"\s", "", a) for a in _AMOUNT.findall(copy_text)}


def offer_carried(offer: str, product: str, copy_text: str, generic_en: set[str], generic_zh: set[str],
                  min_share: float) -> bool | None:
    """Does the copy carry the offer: enough of its own words (the product's left out) or all of its amounts? None
    when the offer has no words to look for."""
    own = offer_without_product(offer, product)
    share = share_carried(own, copy_text, generic_en, generic_zh)
    if share is None:
        return None
    said = (share >= min_share or amounts_carried(own, copy_text)) and value_said(own, copy_text)
    if not said and zh_title_line(product, copy_text, generic_en, generic_zh):
        return None  # a Chinese title, subject, hook or tag line: the offer is not asked of it
    return said


_TAG_LINE = re.compile(r"\s*(?:#[^\s#]+\s*)+")


def zh_title_line(product: str, copy_text: str, generic_en: set[str], generic_zh: set[str]) -> bool:
    """A Chinese title, subject or hook checked alone (one line of at most off_brief.zh_title_max_chars, no 。 and no
    closing full stop, not a text message or an ad's body: no 【, 回T退订 or 广告) that names the product in full, or a
    line of hashtags that names it: the variant's other fields carry the offer, as an English headline's do
    (gate._offer_optional). Read sets blind2-13 and the kinds files: 9 of blind13's 14 Chinese off_brief false alarms
    were such lines; every Chinese line labelled off_brief for its offer ends on 。, a tag or is cut off (G12)."""
    from studio.checks.quality.config import quality_config

    line = copy_text.strip()
    if not product or not HAN_RUN.search(line) or "\n" in line:
        return False
    if _TAG_LINE.fullmatch(line):
        return product_named(product, line, generic_en, generic_zh)
    bare = product.replace("™", "").replace("®", "")
    cfg = quality_config()
    if line.endswith(("的", *cfg["garbled"]["zh"]["written"]["cut_off_endings"])):
        return False  # cut off: the offer was never written (as gate._offer_optional's unless_garbled)
    return (len(line) <= cfg["off_brief"]["offer_optional"]["zh_title_max_chars"]
            and "。" not in line and not line.endswith((".", "．")) and not re.search(r"【|回T退订|广告", line)
            and bare in line.replace("™", "").replace("®", ""))


@lru_cache(maxsize=256)
def _offer_values(offer: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """The stems of the words that make the offer a deal (off_brief.offer_value_en: "free", "off", "save") and its
    amounts."""
    from studio.checks.quality.config import quality_config

    cfg = quality_config()["off_brief"]
    words = {en_key(m.group()) for m in EN_WORD.finditer(offer)} & set(cfg["offer_value_en"])
    return frozenset(map(_stem, words)), tuple(re.sub(r"\s", "", a) for a in _AMOUNT.findall(offer))


def value_said(offer: str, copy_text: str) -> bool:
    """The copy says what makes the offer a deal: one of its value words or its amounts ("free laptop sleeve upgrade"
    is not carried by a padded laptop sleeve; "free exchanges on sizes" not by exchanging sizes). True when the offer
    has none (a date, a place). "On us", "no charge" say "free"."""
    words, amounts = _offer_values(offer)
    if not words and not amounts:
        return True
    if not words.isdisjoint(_copy_index(copy_text)[0]):
        return True
    lower = copy_text.lower()
    if amounts and any(a in re.sub(r"\s", "", lower) for a in amounts):
        return True
    from studio.checks.quality.config import quality_config

    return "free" in words and any(p in lower for p in quality_config()["off_brief"]["offer_free_phrases_en"])


def wrong_products(product: str, copy_text: str, generic_en: set[str]) -> list[re.Match]:
    """Where the copy names another product by the brief's product word: "Ridgeback Shirt", "Ridgeback Shrimp"
    for the Ridgeback Shell. The product's distinctive word followed by a capitalised word that is not the
    product's own next word (nor its plural), with that word not following within two words ("Ridgeback Rain
    Shell" is the shell). English names that start <distinctive> <generic noun> only; case-sensitive."""
    words = _NAME_PART.findall(product.replace("™", "").replace("®", ""))
    out = []
    # A model number that is not the product's ("Transit 32" for the Transit 22, "Fernway 45" for the Fernway 40; issue 13,
    # G11), where the copy never gives the product's own.
    if len(words) == 2 and words[1].isdigit() and words[0][:1].isupper() and en_key(words[0]) not in generic_en:
        rx = compiled(rf"\b{re.escape(words[0])}[™®]?[ \t]+(\d+)\b")
        found = list(rx.finditer(copy_text))
        if found and all(m.group(1) != words[1] for m in found):
            return found[:1]
    for i in range(min(1, len(words) - 1)):  # the name's first word: "Down" of "Talus Down Jacket" is a common word
        name, noun = words[i], words[i + 1]
        if en_key(name) in generic_en or en_key(noun) not in generic_en or not name[0].isupper():
            continue
        pattern = rf"\b{re.escape(name)}[™®]?[ \t]+([A-Z][a-z]+)((?:[ \t]+[A-Za-z]+){{0,2}})"
        for m in compiled(pattern).finditer(copy_text):
            other, after = m.group(1).lower(), m.group(2).lower().split()
            if other in (noun.lower(), noun.lower() + "s") or other in {w.lower() for w in words} \
                    or noun.lower() in after or en_zipf().get(other, 0) >= _STOP_ZIPF:
                continue
            out.append(m)
    return out + _other_tea(product, copy_text)


def _other_tea(product: str, copy_text: str) -> list[re.Match]:
    """Chinese: another tea by the product's name with its colour changed ("临沧晒白" for 临沧晒红, "春山红" for 春山绿),
    the product itself not named. Chinese teas are classed and named by colour (GB/T 30766-2014, 茶叶分类: 绿茶、红茶、
    黄茶、白茶、乌龙茶、黑茶), so the changed colour names another tea (off_brief.tea_colours_zh; G12, blind13)."""
    bare = product.replace("™", "").replace("®", "").strip()
    if not HAN_RUN.fullmatch(bare) or len(bare) < 3 or bare in copy_text.replace("™", "").replace("®", ""):
        return []
    from studio.checks.quality.config import quality_config

    colours = quality_config()["off_brief"].get("tea_colours_zh") or []
    out = []
    for i, c in enumerate(bare):
        if c not in colours:
            continue
        others = "".join(x for x in colours if x != c)
        m = compiled(f"({re.escape(bare[:i])}[{others}]{re.escape(bare[i + 1:])})").search(copy_text)
        if m:
            out.append(m)
    return out
