"""The visible AI label and the disclosures copy must carry, per market and channel."""

from __future__ import annotations

from studio.channels.paid import is_paid_label
from studio.channels.placement import Opener
from studio.domain import BrandKit, Channel, Market

VISIBLE_LABELS = {Market.US: "AI-generated", Market.EU: "AI-generated", Market.CN: "AI生成"}
ALL_LABEL_TEXTS = tuple(dict.fromkeys(VISIBLE_LABELS.values()))


def visible_label_text(market: Market | str) -> str:
    """The market's explicit AI label (GB 45438-2025 for CN; EU AI Act art. 50 elsewhere)."""
    return VISIBLE_LABELS[Market(market)]


def copy_disclosures(kit: BrandKit, market: Market | str, channel: Channel | None) -> list[str]:
    """The AI label, the kit's disclosures for this market/channel, and the paid-placement disclosure. A kit
    disclosure with position start (a sender signature) comes back as an Opener: placed before the copy."""
    market = Market(market)
    channel_id = channel.id if channel is not None else None
    out = [visible_label_text(market)]
    out += [Opener(d.text) if d.position == "start" else d.text for d in kit.disclosures_for(market, channel_id)]
    if channel is not None and channel.paid:
        paid = channel.paid_disclosure.get(market)
        # A kit that already labels the placement ("#ad") gets no second ad label ("#ad Sponsored").
        if paid and not any(is_paid_label(text, market.value) for text in out):
            out.append(paid)
    seen: set[str] = set()
    return [text for text in out if not (text in seen or seen.add(text))]
