"""The content-module format: what a brand team writes in `<kit>/modules/*.yaml`.

    modules:
      - id: np-hl-dry-commute
        role: headline
        text: "{product}: dry at both ends of the commute"
        channels: [instagram, facebook_ad, landing]
        segments: [city-commuters]
        products: [Ridgeback Shell]
        interests: [bike commuting, rain]
        stages: [new]
        objectives: [launch, awareness]
        claim: recycled-nylon
        valid_from: 2026-03-01
        valid_until: 2026-05-31
"""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from studio.domain import Market

Role = Literal["headline", "opener", "value_prop", "proof_point", "offer", "cta", "sign_off", "hashtags"]
ROLES: tuple[str, ...] = Role.__args__
Objective = Literal["launch", "awareness", "consideration", "conversion", "retention", "winback", "event", "*"]
Stage = Literal["new", "active", "dormant", "churned", "*"]
# The channel-field roles (channels.yaml) each module role may fill.
ROLE_FIELDS: dict[str, set[str]] = {
    "headline": {"headline", "body", "post", "scenes"},
    "opener": {"body", "post", "scenes"},
    "value_prop": {"summary", "body", "post", "scenes"},
    "proof_point": {"summary", "body", "post", "scenes"},
    "offer": {"summary", "body", "post", "scenes"},
    "cta": {"cta", "body", "post", "scenes"},
    "sign_off": {"body"},
    "hashtags": {"hashtags", "body"},
}
# What a slot is filled with: the brief's fields, the segment's name, the brand's name.
SLOTS = {"product", "offer", "key_message", "segment", "brand"}
MODULE_ID = r"^[a-z0-9][a-z0-9_-]*$"


def slots_in(text: str) -> list[str]:
    """The {slot} names in a module text ("{{" and "}}" are literal braces)."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


class ContentModule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(pattern=MODULE_ID)
    role: Role
    text: str = Field(min_length=1)
    language: str = Field(default="", description="BCP 47; default the kit's language")
    channels: list[str] = Field(default_factory=lambda: ["*"], description="channel ids, or *")
    segments: list[str] = Field(default_factory=lambda: ["*"], description="segment ids, or *")
    products: list[str] = Field(default_factory=list, description="products (or product words, e.g. shell) it speaks "
                                                                   "of: used only when the brief names one; empty = any")
    interests: list[str] = Field(default_factory=list, description="words matched to the brief and the segment")
    stages: list[Stage] = Field(default_factory=lambda: ["*"])
    objectives: list[Objective] = Field(default_factory=lambda: ["*"])
    claim: str | None = Field(default=None, description="id of the substantiated claim this module states")
    markets: list[Market] = Field(default_factory=list, description="markets it is written for (a story set in "
                                                                    "Amsterdam: EU); empty = every market")
    valid_from: date | None = None
    valid_until: date | None = None
    _source: str = PrivateAttr(default="")  # "modules/<file>:<line>", set by the loader for messages

    @property
    def source(self) -> str:
        return self._source or self.id

    @field_validator("text")
    @classmethod
    def _known_slots(cls, text: str) -> str:
        try:
            names = slots_in(text)
        except ValueError as exc:
            raise ValueError(f"broken slot in text: {exc}") from None
        unknown = sorted({n for n in names if n not in SLOTS})
        if unknown:
            raise ValueError(f"unknown slot {{{unknown[0]}}} (slots: {', '.join('{' + s + '}' for s in sorted(SLOTS))})")
        return text

    def suits(self, *, channel: str, segment: str, stage: str, objective: str | None, today: date) -> bool:
        if self.valid_from and today < self.valid_from or self.valid_until and today > self.valid_until:
            return False
        if "*" not in self.channels and channel not in self.channels:
            return False
        if "*" not in self.segments and segment not in self.segments:
            return False
        if "*" not in self.stages and stage not in self.stages:
            return False
        return not objective or "*" in self.objectives or objective in self.objectives


class ModuleFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    modules: list[ContentModule] = Field(default_factory=list)

