"""Put the disclosures a market and channel require into the copy itself, so the reviewer sees
exactly what will be published and the checks measure the final text."""

from __future__ import annotations

import re

from studio.channels import message_length
from studio.domain import Channel, ChannelField


def main_field(channel: Channel, copy: dict[str, str]) -> ChannelField:
    """The field a disclosure goes into: the first long-form field, else the roomiest one."""
    present = [f for f in channel.fields if copy.get(f.name)]
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
    """Append each missing disclosure to the main field, trimming the copy to keep within the limit."""
    field = main_field(channel, copy)
    text = copy.get(field.name, "")
    everything = " ".join(copy.values())
    missing = [d for d in disclosures if not _present(d, everything)]
    if not missing:
        return dict(copy)
    separator = "\n\n" if field.multiline else " "
    suffix = separator + " ".join(missing)
    return {**copy, field.name: _fit(field, text, suffix) + suffix}
