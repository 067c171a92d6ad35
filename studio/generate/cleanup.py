"""Turn raw model text into one clean field value: the tiny model echoes prompts, adds code fences,
labels, quotes and junk hashtags, and stops mid-sentence. Everything here is deterministic."""

from __future__ import annotations

import re

from studio.channels import message_length
from studio.domain import ChannelField

_FENCE = re.compile(r"```[a-zA-Z]*")
_MD = re.compile(r"(\*\*|__|^#+\s+|^>\s+)", re.M)
_PREAMBLE = re.compile(
    r"^(sure|okay|ok|certainly|here(?:'s| is| are)|below is|as an ai)\b[^\n:]*[:：]?\s*", re.I
)
_SENT_END = re.compile(r"[.!?。！？…~～](?:[\"'”’）)\]]*)(?=\s|$)|[。！？](?=.)")
_HASHTAG = re.compile(r"#[\w\u3400-\u9fff]+")
_QUOTES = "\"'“”‘’「」『』"


def _label_prefix(field: ChannelField) -> re.Pattern:
    from studio.generate.examples import all_field_labels

    names = {field.name, field.name.replace("_", " "), field.label, *field.label.split(" "), *all_field_labels()}
    alts = "|".join(sorted((re.escape(n) for n in names if n), key=len, reverse=True))
    return re.compile(rf"^\s*(?:{alts})\s*(?:\d+)?\s*[:：]\s*", re.I)


def strip_noise(text: str, field: ChannelField, echoes: list[str] = ()) -> str:
    text = _FENCE.sub("", text).replace("\r", "")
    text = _MD.sub("", text)
    text = _PREAMBLE.sub("", text.strip())
    text = _label_prefix(field).sub("", text)
    lines = []
    for line in text.split("\n"):
        stripped = line.strip()
        # Drop echoed prompt lines (the brief, the instruction) and new field labels the model starts.
        if stripped and any(stripped.lower() == e.lower() or (len(e) > 12 and e.lower() in stripped.lower()) for e in echoes):
            continue
        if lines and _label_prefix(field).match(stripped) is None and re.match(r"^\s*[A-Za-z\u4e00-\u9fff ]{2,20}[:：]\s*$", stripped):
            break  # e.g. "Hashtags:" after a caption: the next field started
        lines.append(line.rstrip())
    text = "\n".join(lines).strip()
    if len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def cut_to_sentence(text: str, limit: int | None, field: ChannelField) -> str:
    """Cut at the last complete sentence that fits; the model often stops mid-sentence."""
    def fits(t: str) -> bool:
        # An SMS's limit depends on its text (160 GSM-7 units, 70 once any character needs UCS-2).
        length, own_limit = message_length(field, t) if field.counting == "sms" else (len(t), limit)
        return own_limit is None or length <= own_limit

    ends = [m.end() for m in _SENT_END.finditer(text)]
    if fits(text) and (not ends or ends[-1] >= len(text.rstrip())):
        return text.strip()
    for end in reversed(ends):
        candidate = text[:end].strip()
        if fits(candidate):
            return candidate
    # No sentence fits: a short one-line field (headline, CTA) is cut at a word boundary.
    if not field.multiline:
        words = text.split()
        if len(words) > 1:
            out = ""
            for w in words:
                trial = f"{out} {w}".strip()
                if not fits(trial):
                    break
                out = trial
            if out:
                return out.rstrip(",;:-–— ")
        # Chinese has no spaces: cut by characters at a punctuation mark if possible.
        while text and not fits(text):
            text = text[:-1]
        return re.sub(r"[，、,;；:：\s]+$", "", text)
    return "" if not fits(text) else text.strip()


def clean_hashtags(text: str, limit: int | None, max_tags: int | None) -> str:
    tags, seen = [], set()
    for tag in _HASHTAG.findall(text):
        key = tag.lower()
        if key in seen or len(tag) < 3 or len(tag) > 30:
            continue
        seen.add(key)
        tags.append(tag)
    tags = tags[: max_tags or 30]
    out = ""
    for tag in tags:
        trial = f"{out} {tag}".strip()
        if limit and len(trial) > limit:
            break
        out = trial
    return out


def clean_field(raw: str, field: ChannelField, *, max_hashtags: int | None = None, echoes: list[str] = ()) -> str:
    """One field value, within the field's limit, or "" when nothing usable is left."""
    if field.role == "hashtags":
        return clean_hashtags(raw, field.max_chars, max_hashtags)
    text = strip_noise(raw, field, list(echoes))
    if not field.multiline:
        text = next((line.strip() for line in text.split("\n") if line.strip()), "")
        text = text.strip(_QUOTES + " ")
    else:
        # Inline hashtags belong in the hashtags field, not trailing the body.
        text = re.sub(r"(\s*#[\w\u3400-\u9fff]+)+\s*$", "", text).strip()
    text = cut_to_sentence(text, field.max_chars, field)
    if len(text) < max(1, field.min_chars):
        return ""
    return text


def fit_hashtags(copy: dict[str, str], max_tags: int | None) -> dict[str, str]:
    """Keep a candidate within the channel's hashtag limit, counted over all fields (as the checks do).

    The model sprinkles tags inside prose (#最贵, #Ridgebeard); those beyond the limit lose their '#'
    and stay as words, then the hashtags field keeps only as many tags as are left."""
    if max_tags is None:
        return copy
    out = dict(copy)
    used = 0
    for name, text in copy.items():
        if name in {"hashtags", "tags"} or not text:
            continue

        def keep_or_bare(match: re.Match) -> str:
            nonlocal used
            used += 1
            return match.group(0) if used <= max_tags else match.group(0).lstrip("#")

        out[name] = re.sub(r"#+(?=[\w\u3400-\u9fff])[\w\u3400-\u9fff]+", keep_or_bare, text)
    used = min(used, max_tags)
    for name in ("hashtags", "tags"):
        if out.get(name):
            out[name] = " ".join(_HASHTAG.findall(out[name])[: max_tags - used])
            used += len(_HASHTAG.findall(out[name]))
    return out
