"""Load the channel registry and measure copy the way each channel counts it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from studio.domain import Channel, ChannelField

REGISTRY_FILE = Path(__file__).with_name("channels.yaml")

# GSM 03.38 basic character set; the extension table costs two septets each.
_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


@cache
def _registry() -> dict[str, Channel]:
    raw = yaml.safe_load(REGISTRY_FILE.read_text(encoding="utf-8"))
    channels = [Channel.model_validate(item) for item in raw]
    return {c.id: c for c in channels}


def all_channels() -> list[Channel]:
    return list(_registry().values())


def get_channel(channel_id: str) -> Channel:
    try:
        return _registry()[channel_id]
    except KeyError:
        known = ", ".join(_registry())
        raise KeyError(f"unknown channel '{channel_id}' (known: {known})") from None


def sms_units(text: str) -> tuple[int, int]:
    """(length in the SMS encoding, single-message limit): GSM-7 septets/160 or UCS-2 units/70."""
    if all(ch in _GSM7_BASIC or ch in _GSM7_EXTENDED for ch in text):
        return sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text), 160
    # UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
    return len(text.encode("utf-16-le")) // 2, 70


def message_length(field: ChannelField, text: str) -> tuple[int, int | None]:
    """(measured length, limit) of a field's text, by the field's counting rule."""
    if field.counting == "sms":
        return sms_units(text)
    return len(text), field.max_chars
