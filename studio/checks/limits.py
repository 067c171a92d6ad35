"""Channel limits (category channel_limit): field length by the channel's counting rule, hashtags."""

from __future__ import annotations

import re

from studio.channels import sms_units
from studio.domain import Channel, ChannelField, Finding, Severity

HASHTAG = re.compile(r"#(?=[^\W\d_])\w+#?")
_GSM_EXT = set("^{}\\[~]|€\f")


def pick_field(channel: Channel, field: str | None) -> ChannelField | None:
    """The field a bare text is measured against: the named one, else the channel's body.

    With no field named, a one-field channel uses that field; otherwise the roomiest field, so a
    whole post is never judged against a headline limit.
    """
    if field is not None:
        try:
            return channel.field(field)
        except KeyError:
            return None
    if len(channel.fields) == 1:
        return channel.fields[0]
    return max(channel.fields, key=lambda f: f.max_chars or 10**9)


def _overflow_index(text: str, limit: int, counting: str) -> int:
    """Index of the first character that no longer fits."""
    if counting != "sms":
        return limit
    _, single = sms_units(text)
    used = 0
    for i, ch in enumerate(text):
        if single == 160:
            used += 2 if ch in _GSM_EXT else 1
        else:
            used += len(ch.encode("utf-16-le")) // 2
        if used > limit:
            return i
    return len(text)


def length_findings(text: str, channel: Channel, cfield: ChannelField, field: str | None) -> list[Finding]:
    if cfield.counting == "sms":
        length, limit = sms_units(text)
        unit = "GSM-7 characters" if limit == 160 else "UCS-2 units (a Chinese character or emoji switches the whole SMS to UCS-2)"
    else:
        length, limit = len(text), cfield.max_chars
        unit = "characters"
    if limit is None or length <= limit:
        return []
    cut = _overflow_index(text, limit, cfield.counting)
    return [
        Finding(
            rule=f"channel.{channel.id}.{cfield.name}.max_length",
            category="channel_limit",
            severity=Severity.block,
            start=cut,
            end=len(text),
            text=text[cut:],
            message=f"{channel.name} {cfield.label} is {length} {unit}; the limit is {limit}. The highlighted part will not fit.",
            suggestion=f"shorten to at most {limit}",
            field=field,
        )
    ]


def hashtag_findings(fields: list[tuple[str | None, str]], channel: Channel) -> list[Finding]:
    """Hashtags beyond channel.max_hashtags, counted across all fields in order."""
    if channel.max_hashtags is None:
        return []
    seen = 0
    out = []
    for name, text in fields:
        extra = []
        for m in HASHTAG.finditer(text):
            seen += 1
            if seen > channel.max_hashtags:
                extra.append(m.span())
        if extra:
            s, e = extra[0][0], extra[-1][1]
            out.append(
                Finding(
                    rule=f"channel.{channel.id}.max_hashtags",
                    category="channel_limit",
                    severity=Severity.warn,
                    start=s,
                    end=e,
                    text=text[s:e],
                    message=f"{channel.name} allows at most {channel.max_hashtags} hashtags; this copy has {seen} so far.",
                    suggestion=f"keep the {channel.max_hashtags} most relevant hashtags",
                    field=name,
                )
            )
    return out
