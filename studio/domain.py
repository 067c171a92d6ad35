"""The data model every stage shares: brand kits, segments, channels, briefs, findings, variants.

Models that are read from user files (kits, segments) forbid unknown keys, so a typo in a
kit.yaml fails validation instead of being silently ignored.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Market(str, Enum):
    US = "US"
    EU = "EU"
    CN = "CN"


class Severity(str, Enum):
    info = "info"
    warn = "warn"
    block = "block"

    @property
    def rank(self) -> int:
        return {"info": 0, "warn": 1, "block": 2}[self.value]


Category = Literal[
    "absolute_claim",
    "guarantee_claim",
    "health_claim",
    "financial_promise",
    "false_urgency",
    "fake_social_proof",
    "green_claim",
    "banned_term",
    "missing_disclosure",
    "pii",
    "profanity",
    "gendered_language",
    "age_bias",
    "stereotype",
    "channel_limit",
    "voice_mismatch",
    "endorsement",
    "garbled",
    "off_brief",
    "unsupported_claim",
    "accessibility",
]
CATEGORIES: tuple[str, ...] = get_args(Category)

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


# --------------------------------------------------------------------------- brand kit


class Voice(Strict):
    description: str = Field(min_length=1)
    tone_words: list[str] = Field(default_factory=list)
    avoid_tones: list[str] = Field(default_factory=list)
    personality: str = ""


class Trademark(Strict):
    correct: str = Field(min_length=1, description="the trademark as it must be written")
    wrong_forms: list[str] = Field(default_factory=list)


class Vocabulary(Strict):
    preferred_terms: list[str] = Field(default_factory=list)
    banned_terms: list[str] = Field(default_factory=list)
    competitor_names: list[str] = Field(default_factory=list)
    trademarks: list[Trademark] = Field(default_factory=list)


class SubstantiatedClaim(Strict):
    id: str | None = Field(default=None, pattern=ID_PATTERN, description="how content modules refer to it")
    claim: str = Field(min_length=1, description="the wording as it may appear in copy")
    evidence: str = Field(min_length=1, description="where the proof is kept")
    markets: list[Market] = Field(default_factory=list, description="empty = every market")


class Claims(Strict):
    substantiated: list[SubstantiatedClaim] = Field(default_factory=list)
    forbidden: list[str] = Field(default_factory=list)


class Disclosure(Strict):
    market: Market
    channels: list[str] = Field(default_factory=lambda: ["*"], description="channel ids or *")
    text: str = Field(min_length=1)
    position: Literal["end", "start"] = Field(
        "end", description="end: a notice after the copy (AI label, opt-out, address); start: a sender signature "
                           "that opens the message, as Chinese SMS gateways require (【茶园里】)")

    def applies_to(self, market: Market | str, channel: str | None) -> bool:
        if str(getattr(market, "value", market)) != self.market.value:
            return False
        return "*" in self.channels or (channel is not None and channel in self.channels)


LogoPlacement = Literal["top-left", "top-right", "bottom-left", "bottom-right", "top-center", "bottom-center"]


class Palette(Strict):
    primary: str
    secondary: str
    accent: str
    background: str
    text: str

    @field_validator("*")
    @classmethod
    def _hex(cls, value: str) -> str:
        if not HEX_COLOUR.match(value):
            raise ValueError(f"{value!r} is not a hex colour like #1A2B3C")
        return value.upper()


class Fonts(Strict):
    headline: str | None = Field(default=None, description="font file inside the kit's assets/")
    body: str | None = None


class VisualIdentity(Strict):
    palette: Palette
    fonts: Fonts = Field(default_factory=Fonts)
    logo: str = Field(description="path of the logo PNG, relative to the kit folder")
    logo_placement: LogoPlacement = "top-left"
    style: str = Field(default="", description="words for the image prompt: mood, light, subjects")


Lifecycle = Literal["new", "active", "dormant", "churned"]
PriceSensitivity = Literal["low", "medium", "high"]

# Attributes a segment may never target by (GDPR art. 9 special categories, minors, precise location).
SENSITIVE_ATTRIBUTES = {
    "health": "health data is a special category (GDPR art. 9; PIPL art. 28)",
    "religion": "religious belief is a special category (GDPR art. 9; PIPL art. 28)",
    "ethnicity": "racial or ethnic origin is a special category (GDPR art. 9)",
    "race": "racial or ethnic origin is a special category (GDPR art. 9)",
    "sexual_orientation": "sexual orientation is a special category (GDPR art. 9)",
    "political_views": "political opinions are a special category (GDPR art. 9)",
    "minors": "marketing segments must not target minors (DSA art. 28; PIPL art. 31)",
    "precise_location": "precise location is sensitive personal information (PIPL art. 28)",
    "trade_union": "trade-union membership is a special category (GDPR art. 9)",
    "genetic_data": "genetic data is a special category (GDPR art. 9)",
    "biometric_data": "biometric data is a special category (GDPR art. 9; PIPL art. 28)",
}
_SENSITIVE_ALIASES = {
    "health_condition": "health",
    "medical_condition": "health",
    "diagnosis": "health",
    "faith": "religion",
    "race_ethnicity": "ethnicity",
    "sexuality": "sexual_orientation",
    "political_affiliation": "political_views",
    "politics": "political_views",
    "children": "minors",
    "under_18": "minors",
    "gps": "precise_location",
    "geofence": "precise_location",
    "home_address": "precise_location",
    "postcode": "precise_location",
    "zip_code": "precise_location",
    "lat_lng": "precise_location",
    "radius_km": "precise_location",
    "genetics": "genetic_data",
    "biometrics": "biometric_data",
}
AGE_ATTRIBUTES = {"age", "age_range", "age_group", "min_age", "max_age"}


class TargetingRule(Strict):
    attribute: str = Field(min_length=1, description="e.g. age_range, country, interest, lifecycle")
    value: str | int | float | list[str] = ""

    def sensitive_reason(self) -> str | None:
        key = self.attribute.lower().replace(" ", "_").replace("-", "_")
        key = _SENSITIVE_ALIASES.get(key, key)
        if key in SENSITIVE_ATTRIBUTES:
            return f"targets by '{self.attribute}': {SENSITIVE_ATTRIBUTES[key]}"
        if key in AGE_ATTRIBUTES or key == "birth_year":
            value = str(self.value).lower()
            ages = [int(n) for n in re.findall(r"\d+", value)]
            if key == "birth_year":
                from datetime import date

                ages = [date.today().year - n for n in ages]
            if any(age < 18 for age in ages) or "under" in value or "teen" in value:
                return f"targets ages '{self.value}': {SENSITIVE_ATTRIBUTES['minors']}"
        return None


class Segment(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    lifecycle_stage: Lifecycle
    interests: list[str] = Field(default_factory=list)
    values: list[str] = Field(default_factory=list)
    price_sensitivity: PriceSensitivity = "medium"
    preferred_channels: list[str] = Field(default_factory=list)
    language: str = Field(min_length=2, description="BCP 47 language, e.g. en, zh")
    tone_adjustments: list[str] = Field(default_factory=list)
    targeting: list[TargetingRule] = Field(default_factory=list)

    @model_validator(mode="after")
    def _no_sensitive_targeting(self) -> Segment:
        for rule in self.targeting:
            reason = rule.sensitive_reason()
            if reason:
                raise ValueError(f"segment '{self.id}' {reason}; segments describe groups, not sensitive traits")
        return self


class AccessibilitySettings(Strict):
    reading_grade: dict[str, float] = Field(
        default_factory=lambda: {"*": 9.0},
        description="highest Flesch-Kincaid grade for English copy, per channel id ('*' for the others)")


class RightsSettings(Strict):
    """What exported images say about their rights (XMP dc:creator / photoshop:Credit / dc:rights, and the
    text-and-data-mining preference as plus:DataMining and the C2PA CAWG training-and-data-mining assertion)."""

    data_mining: Literal["prohibited", "prohibited_ai_training", "allowed", "unspecified"] = "prohibited"
    creator: str | None = Field(default=None, description="default: the kit's name")
    copyright: str | None = Field(default=None, description="default: '© YEAR <kit name>. All rights reserved.'")


class BrandKit(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    languages: list[str] = Field(min_length=1)
    markets: list[Market] = Field(min_length=1)
    voice: Voice
    vocabulary: Vocabulary = Field(default_factory=Vocabulary)
    claims: Claims = Field(default_factory=Claims)
    disclosures: list[Disclosure] = Field(default_factory=list)
    visual: VisualIdentity
    default_channels: list[str] = Field(min_length=1)
    accessibility: AccessibilitySettings = Field(default_factory=AccessibilitySettings)
    rights: RightsSettings = Field(default_factory=RightsSettings)
    segments: list[Segment] = Field(min_length=1)

    @field_validator("disclosures")
    @classmethod
    def _disclosures_in_kit_markets(cls, disclosures: list[Disclosure], info: ValidationInfo) -> list[Disclosure]:
        markets = info.data.get("markets") or []
        for disclosure in disclosures:
            if markets and disclosure.market not in markets:
                raise ValueError(f"disclosure '{disclosure.text}' is for market {disclosure.market.value}, which the kit does not sell in")
        return disclosures

    @field_validator("segments")
    @classmethod
    def _segments_consistent(cls, segments: list[Segment], info: ValidationInfo) -> list[Segment]:
        languages = info.data.get("languages") or []
        seen: set[str] = set()
        for segment in segments:
            if segment.id in seen:
                raise ValueError(f"duplicate segment id '{segment.id}'")
            seen.add(segment.id)
            if languages and segment.language not in languages:
                raise ValueError(f"segment '{segment.id}' is in '{segment.language}', not one of the kit's languages {languages}")
        return segments

    @property
    def language(self) -> str:
        """The kit's primary language: the one copy is written in."""
        return self.languages[0]

    def segment(self, segment_id: str) -> Segment:
        for segment in self.segments:
            if segment.id == segment_id:
                return segment
        known = ", ".join(s.id for s in self.segments)
        raise KeyError(f"kit '{self.id}' has no segment '{segment_id}' (known: {known})")

    def disclosures_for(self, market: Market | str, channel: str | None) -> list[Disclosure]:
        return [d for d in self.disclosures if d.applies_to(market, channel)]


# --------------------------------------------------------------------------- channels


FieldRole = Literal["headline", "summary", "body", "post", "scenes", "cta", "hashtags"]


class ChannelField(Strict):
    name: str
    label: str
    role: FieldRole = Field(description="what the field is for (channels.yaml explains the roles)")
    aliases: list[str] = Field(default_factory=list, description="other labels for it in example copy")
    max_chars: int | None = None
    min_chars: int = 0
    required: bool = True
    # "chars" counts characters; "sms" counts GSM-7 septets or UCS-2 units (160 / 70 per message).
    counting: Literal["chars", "sms"] = "chars"
    multiline: bool = False
    hint: str = ""


class ImageSpec(Strict):
    width: int
    height: int

    @property
    def aspect(self) -> str:
        from math import gcd

        g = gcd(self.width, self.height)
        return f"{self.width // g}:{self.height // g}"


class Channel(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    fields: list[ChannelField] = Field(min_length=1)
    image: ImageSpec | None = None
    paid: bool = False
    # Disclosure a paid placement must carry in its copy, per market (e.g. "#ad", "广告").
    paid_disclosure: dict[Market, str] = Field(default_factory=dict)
    # The ad label the platform itself prints on the placement (Meta's "Sponsored", Google's "Ad"): shown to the
    # reviewer, never added to or required in the copy.
    platform_ad_label: dict[Market, str] = Field(default_factory=dict)
    # The field the disclosures go into when it is not the first long-form one (a video's on-screen captions).
    disclosure_field: str | None = None
    languages: list[str] = Field(default_factory=lambda: ["en", "zh"])
    max_hashtags: int | None = None
    description: str = ""

    def field(self, name: str) -> ChannelField:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"channel '{self.id}' has no field '{name}'")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    @model_validator(mode="after")
    def _disclosure_field_is_a_field(self) -> "Channel":
        if self.disclosure_field is not None and self.disclosure_field not in self.field_names:
            raise ValueError(f"disclosure_field '{self.disclosure_field}' is not a field of channel '{self.id}'")
        return self


# --------------------------------------------------------------------------- briefs and checks


class Brief(Strict):
    text: str = Field(default="", description="the free-text brief")
    objective: str = ""
    product: str = ""
    key_message: str = ""
    offer: str = ""

    def summary(self) -> str:
        parts = [self.text]
        for label, value in (
            ("Objective", self.objective),
            ("Product", self.product),
            ("Key message", self.key_message),
            ("Offer", self.offer),
        ):
            if value:
                parts.append(f"{label}: {value}")
        return "\n".join(p for p in parts if p)

    @model_validator(mode="after")
    def _not_empty(self) -> Brief:
        if not (self.text or self.product or self.key_message):
            raise ValueError("a brief needs at least a text, a product or a key message")
        return self

    @model_validator(mode="after")
    def _within_limits(self) -> Brief:
        """Length limits (studio.limits) for every entry point: CLI, batch, the app, MCP."""
        from studio.limits import check_brief_fields

        check_brief_fields({"text": self.text, "product": self.product, "offer": self.offer,
                            "objective": self.objective, "key_message": self.key_message})
        return self


class Finding(BaseModel):
    rule: str
    category: Category
    severity: Severity
    start: int
    end: int
    text: str
    message: str
    suggestion: str = ""
    field: str | None = Field(default=None, description="the copy field, for a variant's findings")
    source: Literal["rule", "kit", "model"] | None = Field(default=None, description="what found it")
    score: float | None = Field(default=None, ge=0, le=1, description="a model's score, for source model")

    def to_json(self) -> dict:
        data = self.model_dump(mode="json")
        for key in ("field", "source", "score"):
            if data[key] is None:
                del data[key]
        return data


class CheckReport(BaseModel):
    findings: list[Finding] = Field(default_factory=list)

    @property
    def verdict(self) -> Literal["pass", "warn", "block"]:
        worst = max((f.severity.rank for f in self.findings), default=0)
        return {0: "pass", 1: "warn", 2: "block"}[worst]

    def to_json(self) -> dict:
        return {"verdict": self.verdict, "findings": [f.to_json() for f in self.findings]}
