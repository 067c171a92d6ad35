"""Put the disclosures a market and channel require into the copy itself, so the reviewer sees
exactly what will be published and the checks measure the final text."""

from __future__ import annotations

import re

from studio.channels.registry import message_length
from studio.domain import Channel, ChannelField
from studio.language import is_cjk_char, is_han


class Opener(str):
    """A notice that opens the main field instead of closing it: a sender signature such as 【茶园里】, which
    Chinese SMS gateways require at the start of every marketing message. Disclosures are passed around as
    plain strings; this marks the few that go first."""


def main_field(channel: Channel, copy: dict[str, str] | None = None) -> ChannelField:
    """The field a disclosure goes into: the channel's own choice (a video's on-screen captions), else the first
    long-form field, else the roomiest one. With no copy yet (the composer planning), every field counts."""
    if channel.disclosure_field and (copy is None or copy.get(channel.disclosure_field)):
        return channel.field(channel.disclosure_field)
    present = [f for f in channel.fields if copy is None or copy.get(f.name)]
    multiline = [f for f in present if f.multiline]
    if multiline:
        return multiline[0]
    return max(present or channel.fields, key=lambda f: f.max_chars or 0)


def _fit(field: ChannelField, text: str, suffix: str) -> str:
    """Shorten text at a sentence or word boundary until text + suffix fits the field's limit."""
    if message_length(field, text + suffix)[0] <= (message_length(field, text + suffix)[1] or 10**9):
        return text
    words = re.split(r"(?<=[。！？.!?])|(?<=\s)", text)
    while len(words) > 1:
        words.pop()
        candidate = "".join(words).rstrip(" ,;，、")
        length, limit = message_length(field, candidate + suffix)
        if length <= (limit or 10**9):
            return candidate
    # One long sentence (typical for Chinese): cut characters.
    candidate = text
    while candidate and message_length(field, candidate + suffix)[0] > (message_length(field, candidate + suffix)[1] or 10**9):
        candidate = candidate[:-1]
    return candidate.rstrip(" ,;，、")


def _present(disclosure: str, text: str) -> bool:
    """As a whole word or phrase: "Ad" is not present in "road" or "Head"."""
    return re.search(rf"(?<!\w){re.escape(disclosure)}(?!\w)", text, re.IGNORECASE) is not None


def apply_disclosures(copy: dict[str, str], channel: Channel, disclosures: list[str]) -> dict[str, str]:
    """Put each missing disclosure into the main field (openers before the copy, the rest after it), trimming the
    copy to keep within the limit."""
    field = main_field(channel, copy)
    text = copy.get(field.name, "")
    everything = " ".join(copy.values())
    openers = [d for d in disclosures if isinstance(d, Opener) and not text.lstrip().startswith(d)]
    missing = [d for d in disclosures if not isinstance(d, Opener) and not _present(d, everything)]
    if not missing and not openers:
        return dict(copy)
    prefix = disclosure_prefix(openers)
    suffix = disclosure_suffix(field, text, missing)
    return {**copy, field.name: prefix + _fit(field, text.lstrip() if prefix else text, prefix + suffix) + suffix}


def disclosure_prefix(disclosures: list[str]) -> str:
    """What apply_disclosures puts before a field's text: the openers among the disclosures, each followed by a
    space unless it ends in Chinese punctuation or a bracket (【茶园里】春山绿…, "Northpeak: Your…")."""
    return "".join(d + _space_after(d) for d in disclosures if isinstance(d, Opener))


def disclosure_suffix(field: ChannelField, text: str, disclosures: list[str]) -> str:
    """What apply_disclosures appends to a field's text (the composer reserves room for it, and for the prefix)."""
    closing = [d for d in disclosures if not isinstance(d, Opener)]
    if not closing:
        return ""
    return ("\n\n" if field.multiline else _space_after(text)) + _join(closing, field)


def _join(disclosures: list[str], field: ChannelField) -> str:
    """Disclosures that read as separate notices, not one phrase ("AI-generated Ad", "AI-generated Northpeak Inc."):
    a line each in a long field; in an SMS, sentences (GSM-7 has no middle dot); elsewhere a middle dot between."""
    if field.multiline:
        return "\n".join(disclosures)
    if field.counting == "sms":
        sentences = [_as_sentence(d) for d in disclosures[:-1]] + disclosures[-1:]
        return "".join(s + _space_after(s) for s in sentences[:-1]) + sentences[-1]
    return " · ".join(disclosures)


def _as_sentence(text: str) -> str:
    """End a notice with a full stop (。 after Chinese) unless it ends with punctuation already."""
    if not text or not text[-1].isalnum():
        return text
    return text + ("。" if is_cjk_char(text[-1]) else ".")


def _space_after(text: str) -> str:
    """After Chinese punctuation the next notice runs on ("首单包邮。AI生成"); after anything else, a space."""
    return "" if text and is_cjk_char(text[-1]) and not is_han(text[-1]) else " "
