"""A whole ad pasted as one text, its parts labelled the way marketers write them down:

    Headline 1: Lower Blood Sugar Naturally
    Headline 2: Cinnamon Berberine Blend
    Description 1: Reverse prediabetes in 30 days. Free shipping over $50.

Measured as one text, the three lines together overflow any one field's limit. Split on the channel's own field
labels (names, labels and aliases in channels.yaml), each part is measured against its own field's limit. The
other checks still read the paste as one text: a teaser headline over a body that carries the brief is one ad.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studio.checks.limits import hashtag_findings, length_findings
from studio.domain import Channel, Finding


@dataclass(frozen=True)
class PastedField:
    name: str  # the channel field's name
    start: int  # where its content starts in the pasted text
    text: str  # its content, exactly as pasted (text[start:start + len(text)])


_FIELD_NAMES: dict[str, dict[str, str]] = {}


def field_names(channel: Channel) -> dict[str, str]:
    """Every label a field of this channel goes by, lower case -> the field's name (worked out once a channel: a
    pasted text is read against it, text after text)."""
    if channel.id not in _FIELD_NAMES:
        _FIELD_NAMES[channel.id] = _field_names(channel)
    return _FIELD_NAMES[channel.id]


def _field_names(channel: Channel) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in channel.fields:
        names = {f.name, f.name.replace("_", " "), f.label, *f.aliases}
        # Bilingual labels ("标题 Title") go by either half too, but not a numbered one's bare word
        # ("Headline 1" must not make "Headline" mean headline_1).
        parts = f.label.split(" ")
        if len(parts) == 2 and not parts[1].isdigit():
            names |= set(parts)
        for name in names:
            out.setdefault(name.strip().lower(), f.name)
    # Script writers shorten labels ("VO:" for Voice-over, "Caption:" for captions, "Hook:" for "Hook (first 3
    # seconds)"): those short forms are added after every field's own names, so they never take one's place.
    for f in channel.fields:
        for name in {f.name, f.name.replace("_", " "), f.label, *f.aliases}:
            for short in _short_forms(name.strip().lower()):
                out.setdefault(short, f.name)
    return out


def _short_forms(label: str) -> set[str]:
    """A label without its note in brackets, its singular or plural, and the initials of a two- or three-word
    label ("voice over" -> "vo", "v.o.")."""
    base = re.sub(r"\s*[(（].*$", "", label).strip()
    forms = {base}
    words = re.split(r"[\s_-]+", base)
    if len(words) == 1 and base.isascii() and base.isalpha() and len(base) > 3:
        forms.add(base[:-1] if base.endswith("s") else base if base.endswith("y") else base + "s")
    if 2 <= len(words) <= 3 and all(w.isascii() and w.isalpha() for w in words):
        forms |= {"".join(w[0] for w in words), "".join(w[0] + "." for w in words)}
    return {f for f in forms if f and f != label}


_LABEL_LINES: dict[str, re.Pattern] = {}


def _label_line(channel: Channel) -> re.Pattern:
    if channel.id not in _LABEL_LINES:
        _LABEL_LINES[channel.id] = _compile_label_line(channel)
    return _LABEL_LINES[channel.id]


def _compile_label_line(channel: Channel) -> re.Pattern:
    labels = sorted(field_names(channel), key=len, reverse=True)  # "headline 1" before "headline"
    alternatives = "|".join(re.escape(label) for label in labels)
    # Optional list dash or bold markers around the label ("- **Headline:**"), then ":" or "：".
    return re.compile(rf"^[ \t]*(?:[-*•][ \t]+)?(?:\*\*)?({alternatives})(?:\*\*)?[ \t]*[:：](?:\*\*)?[ \t]*", re.IGNORECASE)


def pasted_fields(text: str, channel: Channel) -> list[PastedField] | None:
    """The labelled parts of a pasted ad, or None when the text is not written that way: its first line must carry
    one of the channel's field labels, and no field may appear twice."""
    if len(channel.fields) < 2:
        return None
    rx, names = _label_line(channel), field_names(channel)
    found: list[tuple[str, int, int]] = []  # (field, content start, line start)
    pos = 0
    for line in text.splitlines(keepends=True):
        m = rx.match(line)
        if m:
            found.append((names[m.group(1).lower()], pos + m.end(), pos))
        elif not found and line.strip():
            return None  # prose before any label: not a labelled paste
        pos += len(line)
    if not found or len({name for name, _, _ in found}) != len(found):
        return None
    # "Subject: …" then a blank line and the unlabelled body: a one-line field ends with its line, and the lines
    # after it are the channel's body (its first multi-line field), unless the body is labelled itself.
    body = next((f.name for f in channel.fields if f.multiline), None)
    body_taken = body is None or body in {name for name, _, _ in found}
    out = []
    for i, (name, start, _) in enumerate(found):
        end = found[i + 1][2] if i + 1 < len(found) else len(text)
        content = text[start:end]
        line_end = content.find("\n")
        rest = content[line_end:] if line_end >= 0 else ""
        if not body_taken and not channel.field(name).multiline and rest.strip():
            out.append(PastedField(name, start, content[:line_end].rstrip()))
            lead = len(rest) - len(rest.lstrip())
            out.append(PastedField(body, start + line_end + lead, rest.strip()))
            body_taken = True
            continue
        out.append(PastedField(name, start, content.rstrip()))
    return out



def pasted_limit_findings(parts: list[PastedField], channel: Channel) -> list[Finding]:
    """Each part against its own field's limit, and the channel's hashtag count across the parts; spans point
    into the pasted text."""
    offset = {p.name: p.start for p in parts}
    found = [f for p in parts for f in length_findings(p.text, channel, channel.field(p.name), p.name)]
    found += hashtag_findings([(p.name, p.text) for p in parts], channel)
    return [f.model_copy(update={"start": f.start + offset[f.field], "end": f.end + offset[f.field]}) for f in found]
