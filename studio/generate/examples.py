"""Pull field-level few-shot examples out of retrieved voice passages.

Voice files label their parts ("Subject:", "Caption:", "标题：", "Post 2:"); a passage from the
target channel gives exact examples for one field, which the small model imitates far better
than a whole document.
"""

from __future__ import annotations

import re
from functools import cache

from studio.channels import all_channels
from studio.domain import Channel, ChannelField

def aliases(field: ChannelField) -> set[str]:
    names = {field.name.lower(), field.name.replace("_", " ").lower(), field.label.lower()}
    names |= {p.lower() for p in field.label.split(" ") if len(p) > 1}
    names |= {a.lower() for a in field.aliases}
    return names


@cache
def all_field_labels() -> frozenset[str]:
    """Every name a channel field goes by (names, labels, aliases in channels.yaml), lower case."""
    out: set[str] = set()
    for ch in all_channels():
        for f in ch.fields:
            out |= aliases(f)
    return frozenset(out)


_LABEL_LINE = re.compile(r"^\s*([A-Za-z\u4e00-\u9fff][A-Za-z\u4e00-\u9fff _/-]{0,24}?)(?:\s*\d+)?\s*[:：]\s*(.*)$")


def sections(text: str) -> list[tuple[str, str]]:
    """[(label, content)] for every labelled part of a voice passage."""
    labels = all_field_labels()
    out: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        m = _LABEL_LINE.match(line)
        if m and m.group(1).strip().lower() in labels:
            out.append((m.group(1).strip().lower(), [m.group(2)] if m.group(2).strip() else []))
        elif out:
            out[-1][1].append(line)
    return [(label, "\n".join(lines).strip()) for label, lines in out if "\n".join(lines).strip()]


def field_examples(passages, channel: Channel, field: ChannelField, *, limit: int = 2, max_chars: int = 420) -> list[tuple[str, str]]:
    """Up to `limit` (title, example text) pairs for one field, same channel first."""
    names = aliases(field)
    ordered = sorted(passages, key=lambda p: 0 if p.channel == channel.id else 1)
    found: list[tuple[str, str]] = []
    for p in ordered:
        for label, content in sections(p.text):
            if label in names and (p.channel == channel.id or field.name in {"body", "title", "headline", "cta", "subject"}):
                found.append((p.title or p.document, _trim(content, min(max_chars, field.max_chars or max_chars))))
                break
        if len(found) >= limit:
            return found
    if not found and field.multiline:
        # No labelled example: the plain text of the best passages still carries the voice.
        for p in ordered[:limit]:
            if p.kind in {"example", "story", "approved"}:
                plain = "\n".join(line for line in p.text.splitlines() if not _LABEL_LINE.match(line) or len(line) > 40)
                found.append((p.title or p.document, _trim(plain, max_chars)))
    return [(t, x) for t, x in found if x]


def _trim(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    ends = [m.end() for m in re.finditer(r"[.!?。！？]", cut)]
    return cut[: ends[-1]] if ends else cut.rsplit(" ", 1)[0]


_TAG = re.compile(r"#[\w\u3400-\u9fff]+")


def example_hashtags(examples: list[tuple[str, str]], voice_files=(), *, limit: int = 5) -> str:
    """Hashtags for a variant from the kit's own examples of the channel, brand tags first.

    The embedded model invents tags (#YarimaLace); the kit's examples carry the tags the brand
    really uses. Tags found in more of the kit's voice documents (#Northpeak, #茶园里) come first,
    then the most relevant example's topical ones. "" when the examples have none."""
    order: list[str] = []
    for _, text in examples:
        for tag in _TAG.findall(text):
            if tag.lower() not in {t.lower() for t in order}:
                order.append(tag)
    if not order:
        return ""
    counts = {t.lower(): 0 for t in order}
    for path in voice_files:
        try:
            found = {t.lower() for t in _TAG.findall(path.read_text(encoding="utf-8"))}
        except (OSError, UnicodeDecodeError):
            continue
        for key in counts:
            counts[key] += key in found
    ranked = sorted(order, key=lambda t: (-counts[t.lower()], order.index(t)))
    return " ".join(ranked[:limit])
