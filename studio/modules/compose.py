"""The composer: one variant's copy assembled from the kit's approved content modules and the brief.

For each channel field (by its role in channels.yaml) it picks modules that suit the channel, the segment
(its id, interests and lifecycle stage), the objective, the brief's product and today's date; fills their
slots from the brief; and fits them within the field's limit, leaving room for the disclosures the workflow
appends. Which of the suitable modules is taken depends on its relevance (the key message weighs most) plus a
seeded jitter (so N candidates differ, and the same seed gives the same copy) and on the variant's position in
its request (`offset`), so the variants of one request say different things. Modules that won or lost A/B tests
for this kit, segment and channel get a Thompson-sampling term on top (studio.experiments.learning): a draw from
Beta(1 + wins, 1 + losses), centred and scaled by LEARNED_WEIGHT, from its own seeded generator; a module without
test outcomes is ranked exactly as before.

A variant keeps to one angle: the scenes the brief asks for (its own words, read as the quality gate reads them:
"适合在工位上和通勤路上喝" asks for the desk and the commute). Modules tagged with a scene (interests) that says
none of those words lose rank and are used only where nothing else fits; they never open a field (a title, a
hook, a first paragraph) while another module can. The first module of a scene in the variant (the headline's,
normally) sets the angle for the rest: modules only of other scenes the brief did not name lose rank too. A brief
that names no scene gets its angle from that first module alone.

What a reader would notice is ruled out: a module used twice, a claim stated twice, a part that mostly repeats
an earlier one or stutters into it ("...on the X. On the X"), a module that names another product than the
brief's, lines a revision was told to drop (quoted in the feedback). The brief's key message, offer and product
are carried where the channel has room.
"""

from __future__ import annotations

import random
from functools import lru_cache
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from studio.channels import message_length
from studio.channels.placement import disclosure_prefix, disclosure_suffix, main_field
from studio.checks.quality.claims import announces_new
from studio.domain import Brief, BrandKit, Channel, ChannelField, Market, Segment
from studio.modules.model import ContentModule, slots_in
from studio.modules.scope import brief_is_about, library_products, product_named_in

LINE_ROLES = ("value_prop", "proof_point", "headline", "opener", "offer", "cta")  # modules that stand as a line
REPEAT_SHARE = 0.4  # a part sharing at least this share of its words with an earlier part is a repeat
JITTER = 0.9  # spread of the random part of a module's rank, against relevance scores of about 0-8
LEARNED_WEIGHT = 4.0  # spread of the A/B-test term: a draw from Beta(1 + wins, 1 + losses) minus 0.5, times this
NEWS_ROLE = ("news",)  # in a post plan: the launch headline that says the product is new, when one fits
NEWS = 10.0  # rank a headline that says the product is new gains in a launch brief: above any other, the launch is the news
OFF_ANGLE = 3.0  # rank lost by a module of a scene the brief did not ask for: used only when nothing else fits
TOPIC_SHARE = 0.4  # an interest or angle word more than this share of the tagged modules have is the topic
SCENE_LABEL = {"zh": "镜头{n}：", "en": "Scene {n}: "}
_QUOTED = re.compile(r"\"([^\"]{2,})\"|“([^”]{2,})”")
_WORDS = re.compile(r"[a-z0-9]+")
# Function words say nothing about relevance (English; Chinese is compared by character pairs).
_STOP = {"the", "and", "for", "with", "you", "your", "our", "that", "this", "from", "are", "its", "not", "but", "all",
         "any", "can", "was", "one", "who", "what", "when", "how", "out", "has", "have", "into", "than", "then"}
_ENDS = re.compile(r"[.!?。！？…:：)）」』\"”']$")


@dataclass
class Piece:
    """A filled module: its text in this variant, and where it came from."""

    module: ContentModule | None
    text: str

    @property
    def id(self) -> str | None:
        return self.module.id if self.module else None


@dataclass
class FieldDraft:
    text: str
    pieces: list[Piece] = field(default_factory=list)

    @property
    def generic(self) -> bool:
        """No part of the field is specific to the brief's product or the segment."""
        return not any(p.module and (p.module.products or "*" not in p.module.segments) for p in self.pieces)


def _tokens(text: str, language: str) -> set[str]:
    text = text.lower()
    if language.startswith("zh"):
        han = re.sub(r"[\s\W]+", "", text)
        return {han[i:i + 2] for i in range(len(han) - 1)}
    return {w for w in _WORDS.findall(text) if len(w) > 2 and w not in _STOP}


@lru_cache(maxsize=4096)
def _frame_repeats(template: str, values: tuple[str, ...], language: str) -> bool:
    """Would the filled module say its own words twice? "For Northpeak Pro members: {offer}." with the offer "15% off
    for Northpeak Pro members" reads "For Northpeak Pro members: 15% off for Northpeak Pro members."; a module's
    frame sharing three words in a row (Chinese: four characters) with a value it is filled with is not used."""
    frame = re.sub(r"\{\w+\}", " | ", template).lower()
    if language.startswith("zh"):
        units = [re.sub(r"[^\u3400-\u9fff]", "", part) for part in frame.split("|")]
        grams = {u[i:i + 4] for u in units for i in range(len(u) - 3)}
        return any(g in value for g in grams for value in values)
    grams = set()
    for part in frame.split("|"):
        words = re.findall(r"\w+", part)
        grams |= {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}
    said = [" " + " ".join(re.findall(r"\w+", value.lower())) + " " for value in values]
    return any(f" {g} " in value for g in grams for value in said)


@lru_cache(maxsize=4096)
def _own_runs(template: str, language: str) -> frozenset[str]:
    """A module's own word runs (its words without the values it is filled with): four words in a row, or in
    Chinese six characters (spaces dropped, digits kept: "冷藏6到8小时")."""
    parts = re.sub(r"\{\w+\}", "|", template).lower().split("|")
    if language.startswith("zh"):
        units = [re.sub(r"[^\u3400-\u9fff0-9]", "", part) for part in parts]
        return frozenset(u[i:i + 6] for u in units for i in range(len(u) - 5))
    runs = set()
    for part in parts:
        words = re.findall(r"\w+", part)
        runs |= {" ".join(words[i:i + 4]) for i in range(len(words) - 3)}
    return frozenset(runs)


def _test_outcomes(kit_id: str, segment_id: str, channel_id: str) -> dict[str, tuple[int, int]]:
    from studio.experiments.learning import module_outcomes

    return module_outcomes(kit_id, segment_id, channel_id)


class Composer:
    def __init__(self, modules: list[ContentModule], kit: BrandKit, segment: Segment, channel: Channel, brief: Brief,
                 *, market: Market | str, disclosures: list[str] | None = None, feedback: list[str] | None = None,
                 today: date | None = None, outcomes: dict[str, tuple[int, int]] | None = None):
        # Products the library knows by name: a module that names one the brief is not about is about something else.
        self.known_products = library_products(modules)
        if not brief.product:  # "Launch of the Ridgeback rain shell": the brief names a product in its text
            named = product_named_in(brief.text, self.known_products)
            brief = brief.model_copy(update={"product": named}) if named else brief
        self.kit, self.segment, self.channel, self.brief = kit, segment, channel, brief
        self.market = Market(market).value
        self.language = (segment.language or kit.language).split("-")[0]
        self.disclosures = list(disclosures or [])
        self.today = today or datetime.now(UTC).date()
        self._announces_new = announces_new(f"{brief.text}\n{brief.key_message}")
        # A brief that announces something new ("Launch of the Ridgeback shell") is a launch, said or not.
        self.objective = brief.objective or ("launch" if self._announces_new else None)
        self.avoid = [a or b for a, b in _QUOTED.findall(" ".join(feedback or []))]
        self.slot_values = {"product": brief.product, "offer": brief.offer, "key_message": brief.key_message,
                            "segment": segment.name, "brand": kit.name}
        self.claims = {c.id: c for c in kit.claims.substantiated if c.id}
        self.brief_tokens = _tokens(" ".join([brief.text, brief.product, brief.key_message, brief.offer]), self.language)
        self.key_tokens = _tokens(brief.key_message, self.language)
        # what a headline may say of the brief besides its product's name (_says_brief)
        self.asked_tokens = (_tokens(" ".join([brief.text, brief.offer, brief.key_message]), self.language)
                             - _tokens(f"{kit.name} {brief.product}", self.language))
        self.interest_tokens = _tokens(" ".join(segment.interests + segment.values), self.language)
        self.pool = [m for m in modules if self._usable(m)]
        tagged = [m for m in self.pool if m.interests]  # interests most modules share are the topic, no scene
        self.topic_interests = {i for i in {i for m in tagged for i in m.interests}
                                if sum(i in m.interests for m in tagged) > TOPIC_SHARE * len(tagged)}
        self.off_angle: set[str] = set()  # modules of a scene the brief does not ask for
        self.asked: set[str] = set()  # the scenes (interests) it asks for
        self.angle_words = self._angle_words()
        self.off_scene = set(self.off_angle)  # and, in one variant, those of a scene the opening module did not take
        self.relevance = {m.id: self._relevance(m) for m in self.pool}
        self._claim_of = {m.id: m.claim for m in self.pool}
        self._runs_of = {m.id: _own_runs(m.text, self.language) for m in self.pool}
        self.main_field = self._main_field()
        # {module id: (wins, losses)} in closed A/B tests for this kit, segment and channel
        self.outcomes = outcomes if outcomes is not None else _test_outcomes(kit.id, segment.id, channel.id)

    # ------------------------------------------------------------------ which modules may be used

    def fill(self, module: ContentModule) -> str | None:
        """The module's text with its slots filled from the brief; None when a slot has no value."""
        values = {}
        for name in slots_in(module.text):
            value = (self.slot_values.get(name) or "").strip()
            if not value:
                return None
            values[name] = value
        if values and _frame_repeats(module.text, tuple(values.values()), self.language):
            return None
        return self._for_channel(module.text.format(**values))

    def _for_channel(self, text: str) -> str:
        if any(f.counting == "sms" for f in self.channel.fields):
            # ™ and ® are not in the GSM-7 alphabet: one of them turns a 160-character SMS into a 70-unit one
            text = text.replace("™", "").replace("®", "")
        return text

    def _usable(self, module: ContentModule) -> bool:
        if (module.language or self.kit.language).split("-")[0] != self.language:
            return False
        if not module.suits(channel=self.channel.id, segment=self.segment.id, stage=self.segment.lifecycle_stage,
                            objective=self.brief.objective or None, today=self.today):
            return False
        if module.products and not self._about(module.products):
            return False
        if set(module.objectives) == {"launch"} and not self.brief.objective and not self._announces_new:
            return False  # "New this season: the {product}" for a brief that launches nothing is an unsupported claim
        if module.markets and Market(self.market) not in module.markets:
            return False
        claim = self.claims.get(module.claim) if module.claim else None
        if claim is not None and claim.markets and Market(self.market) not in claim.markets:
            return False
        text = self.fill(module)
        if text is None or any(a.lower() in text.lower() for a in self.avoid):
            return False
        return not self._names_another_product(text)

    def _names_another_product(self, text: str) -> bool:
        """Does a module's text (slots filled) name a product of the library that the brief does not speak of?"""
        rest = text.lower().replace("™", "")
        for name in (self.brief.product, *self.slot_values.values()):
            if name:
                rest = rest.replace(name.lower().replace("™", ""), " ")
        return any(p.lower().replace("™", "") in rest and not self._about([p]) for p in self.known_products)

    def _about(self, products: list[str]) -> bool:
        """Is the brief about one of these products? (Its product and text; a key message may mention other
        things, "fits a laptop and a rain shell", without being about them.)"""
        return brief_is_about(products, self.brief.product, self.brief.text)

    def _scenes(self, module: ContentModule) -> set[str]:
        """A module's scenes: its interests, less the segment's topic ("冷泡茶" to the cold-brew office workers)."""
        return set(module.interests) - self.topic_interests

    def _angle_words(self) -> dict[str, int]:
        """{module id: how many of the brief's angle words it says}; the scenes the brief asks for; the modules
        of other scenes.

        The angle is what the brief asks for beyond its product (the quality gate's reading: its own words less
        the product's, the offer's and a writer's instructions): "适合在工位上和通勤路上喝" asks for the desk and
        the commute. It asks for a scene whose name says one of those words ("通勤"). A module of other scenes
        only, that says none of the words either, is off the angle (camping, for this brief; "工位上的一杯冷泡茶"
        says "工位"). A module of no scene (a launch line, a claim, a brewing tip tagged only with the topic) is
        never. A word most modules of a scene say ("泡茶" to the cold-brew segment) is the segment's topic: it
        tells no scene apart. When the brief has no other angle words, or no module of a scene says one, nothing
        is off the angle."""
        from studio.checks.quality.angle import brief_angle, carried

        b = self.brief
        angle = brief_angle(b.text, b.key_message, b.product, b.offer, self.kit.name)
        if not angle.size:
            return {}
        scene = [m for m in self.pool if self._scenes(m)]
        words = {m.id: set(carried(angle, " ".join([self.fill(m), *m.interests]))) for m in self.pool}
        topic = {w for w in angle.words() if sum(w in words[m.id] for m in scene) > TOPIC_SHARE * len(scene)}
        said = {m.id: len(words[m.id] - topic) for m in self.pool}
        if any(said[m.id] for m in scene):
            # A scene the product's own name says is asked for too: "礼盒" to a brief about the 四时礼盒 ("四时礼盒里有什么？"
            # is on its angle, whatever else the brief asks for).
            product = b.product.lower().replace("™", "").replace("®", "")
            self.asked = {i for m in scene for i in self._scenes(m)
                          if set(carried(angle, i)) - topic or (product and i.lower() in product)}
            self.off_angle = {m.id for m in scene if not said[m.id] and not self._scenes(m) & self.asked}
        return said

    def _relevance(self, module: ContentModule) -> float:
        score = -OFF_ANGLE if module.id in self.off_angle else 0.0
        if self.segment.id in module.segments:
            score += 2.5
        if module.products:
            score += 2.0
        if self.channel.id in module.channels:
            score += 1.0
        if self.objective and self.objective in module.objectives:
            score += 1.0
        if self.objective == "launch" and module.role == "headline" and "launch" in module.objectives \
                and announces_new(module.text):
            # "New this season: the {product}" opens the first variant, before a line any season could carry (a
            # launch line's own words: "a new jacket" in a repair line is no news); the others keep their order
            score += NEWS
        if self.segment.lifecycle_stage in module.stages:
            score += 0.5
        if "product" in slots_in(module.text) and self.brief.product:
            score += 1.0
        words = _tokens(" ".join([module.text, *module.interests]), self.language)
        score += min(2.0, 0.5 * len(words & self.brief_tokens)) + min(1.5, 0.5 * len(words & self.interest_tokens))
        score += min(2.0, 0.75 * len(words & self.key_tokens))  # it says what the brief wants said
        if module.claim:
            score += 0.5
        return score

    # ------------------------------------------------------------------ one candidate

    def compose(self, *, seed: int = 0, offset: int = 0) -> tuple[dict[str, str], dict[str, dict]]:
        """One candidate: {field: text} and, per field, the module ids it was built from."""
        rng = random.Random(f"{seed}:{offset}")
        rank = {m.id: self.relevance[m.id] + JITTER * rng.random() for m in self.pool}
        if self.outcomes:  # Thompson sampling on A/B-test wins and losses (own generator: other ranks unchanged)
            draws = random.Random(f"{seed}:{offset}:tests")
            for m in self.pool:
                if m.id in self.outcomes:
                    wins, losses = self.outcomes[m.id]
                    rank[m.id] += LEARNED_WEIGHT * (draws.betavariate(1 + wins, 1 + losses) - 0.5)
        used: set[str] = set()
        drafts: dict[str, FieldDraft] = {}
        self.off_scene = set(self.off_angle)
        angle_taken = False
        for f in sorted(self.channel.fields, key=lambda f: f.role not in ("headline", "cta")):
            draft = self._field(f, rank, used, offset)
            if draft is not None:
                drafts[f.name] = draft
                used |= {p.id for p in draft.pieces if p.id}
                angle_taken = angle_taken or self._take_the_angle(draft, rank)
        self._name_the_product(drafts, rank, used)
        copy = {f.name: drafts[f.name].text for f in self.channel.fields if f.name in drafts and drafts[f.name].text}
        info = {name: {"writer": "composed", "modules": [p.id for p in d.pieces if p.id], "generic": d.generic}
                for name, d in drafts.items() if d.text}
        return copy, info

    def _take_the_angle(self, draft: FieldDraft, rank: dict) -> bool:
        """The first module of a scene in the variant (the headline's, normally) sets its angle: modules only of
        other scenes lose rank, unless the brief names their scene ("周末露营" taken: "办公室饮品" and "通勤"
        are not told; the brief's "通勤路上" keeps "通勤" beside "办公室饮品"). Interests most scene modules
        share ("冷泡茶") are the segment's topic, no scene."""
        opening = next((p.module for p in draft.pieces if p.module and self._scenes(p.module)), None)
        if opening is None:
            return False
        scenes = self._scenes(opening) | self.asked
        for m in self.pool:
            if self._scenes(m) and not scenes & set(m.interests) and m.id not in self.off_scene:
                rank[m.id] -= OFF_ANGLE
                self.off_scene.add(m.id)
        return True

    def _choose(self, roles: tuple[str, ...], rank: dict, used: set[str], fits, offset: int = 0,
                opening: bool = False) -> Piece | None:
        """The best-ranked module of these roles that fits (the offset-th, so the variants of a request differ).
        A module of a scene the brief did not ask for only when no other fits; never one to open a field (a title,
        a hook, a first paragraph: `opening`, None when only such modules fit)."""
        # A claim is stated once per variant: modules sharing a claim repeat its approved wording.
        claims = {self._claim_of[u] for u in used if self._claim_of.get(u)}
        # Nor is a fact said twice in other words: two modules sharing a run of their own words ("做法只有三步：…冷藏
        # 6 到 8 小时。" and "冷藏 6 到 8 小时就能喝…") do not both go into one variant.
        said = frozenset().union(*(self._runs_of[u] for u in used if u in self._runs_of))
        options = sorted((m for m in self.pool if m.role in roles and m.id not in used
                          and not (m.claim and m.claim in claims) and not (said and self._runs_of[m.id] & said)),
                         key=lambda m: -rank[m.id])
        fitting = [Piece(m, self.fill(m)) for m in options if fits(self.fill(m))]
        on_scene = [p for p in fitting if p.id not in self.off_scene]
        fitting = on_scene if opening else on_scene or fitting
        return fitting[offset % len(fitting)] if fitting else None

    def _limit_check(self, f: ChannelField):
        suffix = self._reserved() if f.name == self.main_field.name else ""

        def fits(text: str) -> bool:
            length, limit = message_length(f, text + suffix)
            return limit is None or length <= limit

        return fits

    def _field(self, f: ChannelField, rank: dict, used: set[str], offset: int) -> FieldDraft | None:
        fits = self._limit_check(f)
        if f.role == "headline":
            headlines = [x.name for x in self.channel.fields if x.role == "headline"]
            if self.objective == "launch" and len(headlines) > 1:
                # Several headlines (a search ad): the launch's news takes the last one, and the others keep the
                # library's order and what A/B tests taught it, so the news never pins the first headline.
                if f.name != headlines[-1]:
                    return self._single(("headline",), rank, used, lambda t: fits(t) and not announces_new(t), offset,
                                        fallback=self.brief.product)
                news = self._choose(("headline",), rank, used, lambda t: fits(t) and announces_new(t), 0, opening=True)
                if news is not None:
                    return FieldDraft(news.text, [news])
            # A headline is what most people read: one that says something of the brief (its product, its words)
            # before one that says nothing of it ("Rated in the lab. Tested on the trail." for a down jacket).
            piece = self._choose(("headline",), rank, used, lambda t: fits(t) and self._says_brief(t), offset,
                                 opening=True)
            if piece is not None:
                return FieldDraft(piece.text, [piece])
            return self._single(("headline",), rank, used, fits, offset, fallback=self.brief.product)
        if f.role == "cta":
            return self._single(("cta",), rank, used, fits, offset, fallback=self.brief.product)
        if f.role == "summary":
            if self._carries_the_brief(f):  # no body or post to carry the key message and the offer: this does
                draft = self._assemble(f, [("key_message",), ("offer",)], rank, used, fits, offset, separator=" ")
                if draft is not None:
                    return draft
            # The field that carries the brief has the offer: another line about the product before it again. What
            # the product does or proves before another headline, which would only echo the ad's own headline
            # ("New: the Talus Down Jacket" over "Meet the Talus Down Jacket").
            piece = (self._choose(("value_prop", "proof_point"), rank, used, fits, offset, opening=True)
                     # a fact of another scene ("RDS certified down" in a commuter ad) before a bare product name
                     or self._choose(("opener", "headline"), rank, used, lambda t: fits(t) and self._says_more(t),
                                     offset)
                     or self._choose(("opener", "headline"), rank, used, fits, offset, opening=True))
            if piece is not None:
                return FieldDraft(piece.text, [piece])
            return self._single(("value_prop", "proof_point", "offer"), rank, used, fits, offset,
                                fallback=self._key_message_sentence())
        if f.role == "hashtags":
            return self._hashtags(f, rank, used, fits)
        if f.role == "post":
            return self._assemble(f, self._post_plan(), rank, used, fits, offset, separator=" ")
        return self._assemble(f, self._body_plan(f), rank, used, fits, offset,
                              separator="\n\n" if f.multiline else " ", scenes=f.role == "scenes")

    def _single(self, roles, rank, used, fits, offset, fallback: str = "") -> FieldDraft | None:
        # Nothing of these roles fits (a brief without a product leaves fewer): any line that does. A module of a
        # scene the brief did not ask for only when no other fits.
        piece = (self._choose(roles, rank, used, fits, offset, opening=True)
                 or self._choose(LINE_ROLES, rank, used, fits, offset, opening=True)
                 or self._choose(roles, rank, used, fits, offset) or self._choose(LINE_ROLES, rank, used, fits, offset))
        if piece is not None:
            return FieldDraft(piece.text, [piece])
        if fallback and fits(fallback):  # nothing in the library fits: the brief's own words, marked generic
            return FieldDraft(fallback, [Piece(None, fallback)])
        return None

    def _hashtags(self, f: ChannelField, rank, used, fits) -> FieldDraft | None:
        limit = self.channel.max_hashtags or 30
        pieces, tags = [], []
        # Tags of a scene the variant does not tell ("#周末露营" on an office post) only when no others fit.
        options = (m for m in self.pool if m.role == "hashtags")
        for m in sorted(options, key=lambda m: (m.id in self.off_scene, -rank[m.id])):
            if tags and m.id in self.off_scene:
                break
            new = [t for t in self.fill(m).split() if t.startswith("#") and t not in tags]
            if new and len(tags) + len(new) <= limit and fits(" ".join(tags + new)):
                tags += new
                pieces.append(Piece(m, " ".join(new)))
            if len(tags) >= min(limit, 6):
                break
        return FieldDraft(" ".join(tags), pieces) if tags else None

    # ------------------------------------------------------------------ assembled fields

    def _carries_the_brief(self, f: ChannelField) -> bool:
        """The first summary field of a channel without a body or post (landing, search ads, ...)."""
        if self._has_field("body") or self._has_field("post") or self._has_field("scenes"):
            return False
        return next(x for x in self.channel.fields if x.role == "summary").name == f.name

    def _has_field(self, role: str) -> bool:
        return any(f.role == role for f in self.channel.fields)

    def _body_plan(self, f: ChannelField) -> list[tuple[str, ...]]:
        """Module roles, in reading order; later entries are dropped first when the text is too long."""
        plan: list[tuple[str, ...]] = [("opener", "headline"), ("key_message",), ("value_prop",), ("proof_point",)]
        if (f.max_chars or 0) >= 1000:
            plan.append(("proof_point",))
        if self.brief.offer:
            plan.append(("offer",))
        if not self._has_field("cta"):
            plan.append(("cta",))
        plan.append(("sign_off",))
        return plan

    def _post_plan(self) -> list[tuple[str, ...]]:
        # A short message leads with what the brief wants said; it is the last part dropped for room. A launch on a
        # channel with no headline field (X, SMS) opens with the news itself: no title above the post says it.
        plan: list[tuple[str, ...]] = [("key_message",), ("opener", "value_prop")]
        if self.objective == "launch" and not self._has_field("headline"):
            plan.insert(0, NEWS_ROLE)
        if self.brief.offer:
            plan.append(("offer",))
        plan.append(("proof_point", "value_prop"))
        if not self._has_field("cta"):
            plan.append(("cta",))
        return plan

    # Which parts go first when the assembled text is over the limit.
    _DROP_ORDER = ("sign_off", "proof_point", "key_message", "opener", "headline", "value_prop", "cta", "offer")
    # In a post a headline is only a launch's news (_post_plan): it stays longer than the lines about the product.
    _POST_DROP_ORDER = ("sign_off", "proof_point", "opener", "value_prop", "cta", "headline", "key_message", "offer")

    def _assemble(self, f: ChannelField, plan, rank, used, fits, offset, *, separator: str,
                  scenes: bool = False) -> FieldDraft | None:
        taken = set(used)
        parts: list[tuple[str, Piece]] = []
        # Modules that mostly say the key message again are left out when the key message itself is in the text.
        key_line = self._key_message_sentence() if ("key_message",) in plan else ""
        for index, roles in enumerate(plan):
            if roles == ("key_message",):
                message = self._key_message_sentence()
                if message and not any(self.brief.key_message.strip() in p.text for _, p in parts):
                    parts.append(("key_message", Piece(None, message)))
                continue
            said = [p.text for _, p in parts] + ([key_line] if key_line else [])
            before = parts[-1][1].text if parts else ""
            after = key_line if index + 1 < len(plan) and plan[index + 1] == ("key_message",) else ""

            def acceptable(t: str) -> bool:
                return (fits(t) and not self._repeats(t, said) and not (before and self._echoes(before, t))
                        and not (after and self._echoes(t, after)) and not (parts and self._signs_itself(f, t)))

            if roles == NEWS_ROLE:  # a launch headline that says the product is new, or nothing
                piece = self._choose(("headline",), rank, taken, lambda t: acceptable(t) and announces_new(t), 0,
                                     opening=True)
                if piece is not None:
                    if f.multiline:  # a paragraph of its own: a sentence ("New this season: the Ridgeback Shell.")
                        piece = Piece(piece.module, self._ended(piece.text))
                    parts.append(("headline", piece))
                    taken.add(piece.id)
                continue
            piece = None
            if separator == " " and self._names_product(said):
                # A line read in one breath names the product once: "Ridgeback Shell: 410 g, ... Now: free first
                # repair." rather than "... On the Ridgeback Shell: free first repair." when the library allows.
                piece = self._choose(roles, rank, taken, lambda t: acceptable(t) and not self._names_product([t]),
                                     offset, opening=not parts)
            piece = piece or self._choose(roles, rank, taken, acceptable, offset, opening=not parts)
            if piece is None and not parts:  # nothing of the brief's scenes can open it: another scene's module may
                piece = self._choose(roles, rank, taken, acceptable, offset)
            if piece is not None:
                if piece.module.role in ("headline", "cta") and f.multiline:
                    # a headline or a call to action standing as a paragraph is a sentence: "今晚泡一瓶试试。"
                    piece = Piece(piece.module, self._ended(piece.text))
                parts.append((piece.module.role, piece))
                taken.add(piece.id)

        def render(items) -> str:
            if scenes:
                label = SCENE_LABEL["zh" if self.language == "zh" else "en"]
                return "\n".join(label.format(n=i + 1) + p.text for i, (_, p) in enumerate(items))
            if separator == " ":
                return self._inline([p.text for _, p in items])
            return separator.join(p.text for _, p in items)

        for role in (self._POST_DROP_ORDER if f.role == "post" else self._DROP_ORDER):
            while not fits(render(parts)) and any(r == role for r, _ in parts):
                index = max(i for i, (r, _) in enumerate(parts) if r == role)
                parts.pop(index)
        if parts and not self._may_open(f, parts[0][1].text):  # what was dropped for room left it opening the field
            role = parts[0][0]
            other = self._choose((role,), rank, taken, lambda t: self._may_open(f, t) and fits(
                render([(role, Piece(None, t)), *parts[1:]])), offset, opening=True)
            if other is None and role == "offer" and self.brief.product and self.brief.offer:
                # every offer frame of the library has a colon: the brief's own words, marked generic
                own = self._own_offer_line()
                if fits(render([(role, Piece(None, own)), *parts[1:]])):
                    other = Piece(None, own)
            if other is not None:
                parts[0] = (role, other)
        if not parts or not fits(render(parts)):  # nothing assembled fits: the best single line that does
            return self._single(("value_prop", "opener", "headline", "proof_point"), rank, used, fits, offset,
                                fallback=self._key_message_sentence() or self.brief.product)
        return FieldDraft(render(parts), [p for _, p in parts])

    def _signs_itself(self, f: ChannelField, text: str) -> bool:
        """Does a line start with the sender's name that opens field f ("Northpeak: {offer}." in an SMS)? Such a
        line can only open the field: after another it reads as a second sender ("Northpeak: Meet the ReCraft.
        Northpeak: first repair free ...")."""
        prefix = disclosure_prefix(self.disclosures).strip()
        return bool(prefix) and f.name == self.main_field.name and text.startswith(prefix)

    def _own_offer_line(self) -> str:
        """The brief's product and offer in its own words ("Talus Down Jacket, free shipping this week."), for when
        no offer line of the library can be used; the piece carrying it has no module (marked generic)."""
        b = self.brief
        return self._for_channel(f"{b.product}，{b.offer}。" if self.language == "zh" else f"{b.product}, {b.offer}.")

    def _unsigned(self, f: ChannelField, piece: Piece) -> Piece:
        """A line that signs itself, put after another: without the sender's name ("Northpeak: first repair free ..."
        after "Meet the Northpeak ReCraft." becomes "First repair free ...")."""
        if not self._signs_itself(f, piece.text):
            return piece
        rest = piece.text[len(disclosure_prefix(self.disclosures).strip()):].lstrip()
        return Piece(piece.module, rest[:1].upper() + rest[1:])

    def _may_open(self, f: ChannelField, text: str) -> bool:
        """Can `text` open field f? Not with a colon in its first sentence where the field opens with a sender's
        name and a colon already ("Northpeak: On the Talus Down Jacket: ..." reads as two labels)."""
        prefix = disclosure_prefix(self.disclosures).strip()
        if f.name != self.main_field.name or not prefix.endswith((":", "：")):
            return True
        if text.startswith(prefix):  # a module that signs itself ("Northpeak: meet the ..."): no prefix is added
            text = text[len(prefix):]
        return not re.search(r"[:：]", re.split(r"(?<=[.!?。！？])\s*", text, maxsplit=1)[0])

    def _says_brief(self, text: str) -> bool:
        """Does a line name the brief's product or say a word of its text, offer or key message (the brand's name
        and the product's own words aside: "a new jacket" does not name the Talus Down Jacket)? The quality gate
        asks it of a variant's headlines (quality.off_brief.headline)."""
        return self._names_product([text]) or bool(_tokens(text, self.language) & self.asked_tokens)

    def _says_more(self, text: str) -> bool:
        """Does a line say something besides the product's name ("RDS certified down", not "Meet the Talus Down
        Jacket" or "The Talus Down Jacket, up close")?"""
        product = self.brief.product.strip()
        rest = text.replace(product, " ") if product else text
        return len(_tokens(rest, self.language)) >= 2

    def _names_product(self, texts: list[str]) -> bool:
        product = self.brief.product.strip().lower()
        return bool(product) and any(product in t.lower() for t in texts)

    def _key_message_sentence(self) -> str:
        """The brief's key message as a line of copy. A brief often gives it as a fragment ("stays dry on a wet
        commute, ..."): in English a fragment that starts in lower case is put after the product's name."""
        message = self.brief.key_message.strip()
        if not message:
            return ""
        product = self.brief.product.strip()
        if self.language == "zh":
            if product and product not in message:
                message = f"{product}：{message}"
        elif message[0].islower():
            message = f"{product}: {message}" if product else message[0].upper() + message[1:]
        return self._ended(message)

    def _ended(self, text: str) -> str:
        return text if _ENDS.search(text) else text + ("。" if self.language == "zh" else ".")

    def _inline(self, texts: list[str]) -> str:
        """Sentences run together in one line: each ends with a stop (a bare CTA like "See the shell" too);
        Chinese sentences follow each other without a space."""
        return ("" if self.language == "zh" else " ").join(self._ended(t) for t in texts)

    def _repeats(self, text: str, said: list[str]) -> bool:
        """Does the text mostly say again what an earlier part said (two unsubscribe lines, two origin lines)?
        The product's name is left out: every part may name it."""
        def words(t: str) -> set[str]:
            if self.brief.product:
                t = t.replace(self.brief.product, " ")
            return _tokens(re.sub(r"[^\w\s]", " ", t), self.language)

        own = words(text)
        if not own:  # nothing but the product's name
            return any(self.brief.product and self.brief.product in other for other in said)
        return any(len(own & words(other)) / len(own) >= REPEAT_SHARE for other in said)

    def _echoes(self, before: str, after: str) -> bool:
        """Does `after` open with the words `before` ended on ("...on the Talus Down Jacket. On the Talus Down
        Jacket: ...")? Read aloud that is a stutter, and the checks call it a repeated fragment."""
        def units(t: str) -> list[str]:
            t = t.lower()
            return re.findall(r"[\u3400-\u9fff]", t) if self.language == "zh" else re.findall(r"\w+", t)

        a, b = units(before), units(after)
        shortest = 3 if self.language == "zh" else 2
        return any(a[-k:] == b[:k] for k in range(shortest, min(len(a), len(b), 12) + 1))

    def _name_the_product(self, drafts: dict[str, FieldDraft], rank, used) -> None:
        """The brief's product is named somewhere: if no field does, the headline (or first field) that can
        hold a module naming it takes one."""
        product = self.brief.product.strip()
        if not product or any(product.lower() in d.text.lower() for d in drafts.values()):
            return
        for f in sorted(self.channel.fields, key=lambda f: f.role != "headline"):
            if f.role not in ("headline", "body", "post"):
                continue
            fits = self._limit_check(f)
            # In a body or post an offer line that names the product may also take the place of the offer line.
            roles = ("headline",) if f.role == "headline" else ("headline", "value_prop", "opener", "offer")
            # A headline that says the brief's angle is replaced only by one that says as much of it.
            said = max((self.angle_words.get(p.id, 0) for p in drafts[f.name].pieces if p.id), default=0) \
                if f.role == "headline" and f.name in drafts else 0
            options = [m for m in self.pool if m.role in roles and m.id not in used and "product" in slots_in(m.text)
                       and self.angle_words.get(m.id, 0) >= said]
            for m in sorted(options, key=lambda m: (m.id in self.off_scene, -rank[m.id])):  # it may open the field
                text = self.fill(m)
                if f.role != "headline" and f.multiline and m.role == "headline":
                    text = self._ended(text)  # a paragraph of its own is a sentence
                current = drafts.get(f.name)
                offer_lines = [p for p in current.pieces if p.module is not None and p.module.role == "offer"] \
                    if current is not None else []
                if f.role == "headline" or current is None:
                    candidate, pieces = text, [Piece(m, text)]
                elif m.role == "offer":
                    if not offer_lines:
                        continue
                    pieces = [Piece(m, text) if p is offer_lines[0] else p for p in current.pieces]
                    candidate = self._joined(f, pieces)
                else:
                    pieces = [Piece(m, text), *(self._unsigned(f, p) for p in current.pieces)]
                    candidate = self._joined(f, pieces)
                    # A short field (an SMS) has no room for one more line: its least needed parts make room, as
                    # when the field was assembled. Copy that never names the product is off the brief.
                    while not fits(candidate) and (spare := self._least_needed(f, pieces[1:])) is not None:
                        pieces = [p for p in pieces if p is not spare]
                        candidate = self._joined(f, pieces)
                if fits(candidate) and self._may_open(f, pieces[0].text):
                    drafts[f.name] = FieldDraft(candidate, pieces)
                    used.add(m.id)
                    return
            current = drafts.get(f.name)
            offer_line = next((p for p in current.pieces if p.module is not None and p.module.role == "offer"), None) \
                if current is not None and f.role != "headline" and self.brief.offer else None
            if offer_line is not None:  # no module names it here: the offer line in the brief's own words, which do
                pieces = [Piece(None, self._own_offer_line()) if p is offer_line else p for p in current.pieces]
                candidate = self._joined(f, pieces)
                if fits(candidate) and self._may_open(f, pieces[0].text):
                    drafts[f.name] = FieldDraft(candidate, pieces)
                    return
            if f.role == "headline" and current is not None:  # no module names it: "<product>: <headline>"
                joined = f"{product}{'：' if self.language == 'zh' else ': '}{current.text}"
                if fits(joined):
                    drafts[f.name] = FieldDraft(joined, [Piece(None, product), *current.pieces])
                    return

    def _joined(self, f: ChannelField, pieces: list[Piece]) -> str:
        texts = [p.text for p in pieces]
        return "\n\n".join(texts) if f.multiline else self._inline(texts)

    def _least_needed(self, f: ChannelField, pieces: list[Piece]) -> Piece | None:
        """The part a field gives up first for room (the assembly's drop order); the offer and the product's own
        name (a piece without a module) are kept, and the last part is never dropped."""
        if len(pieces) <= 1:
            return None
        for role in (self._POST_DROP_ORDER if f.role == "post" else self._DROP_ORDER):
            if role == "offer":
                break
            found = [p for p in pieces if p.module is not None and p.module.role == role]
            if found:
                return found[-1]
        return None

    def _main_field(self) -> ChannelField:
        """Where the workflow appends the disclosures (channels.placement.main_field)."""
        return main_field(self.channel)

    def _reserved(self) -> str:
        """The disclosures the workflow will add around the main field; only their length matters here."""
        return disclosure_prefix(self.disclosures) + disclosure_suffix(self.main_field, "", self.disclosures)

    # ------------------------------------------------------------------ provenance

    def claims_used(self, module_ids: list[str]) -> list[dict]:
        by_id = {m.id: m for m in self.pool}
        out = []
        for module_id in module_ids:
            module = by_id.get(module_id)
            claim = self.claims.get(module.claim) if module and module.claim else None
            if claim is not None and claim.id not in {c["id"] for c in out}:
                out.append({"id": claim.id, "claim": claim.claim, "evidence": claim.evidence, "module": module_id})
        return out
