"""Copy generation for one variant: each channel field written separately (few-shot from the kit's
retrieved voice), N candidates, cleaned, validated against the channel schema, best one kept.

Per-field generation is the structured output: every field is its own short completion, so
there is no half-parsed JSON to repair; a field that comes back empty, over the limit or in the
wrong language is regenerated, and a required field still empty after the retries raises.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from studio.domain import Brief, Channel, ChannelField, Market, Segment
from studio.generate.backends import backend_info, get_chat_model, supports_prefill
from studio.generate.cleanup import clean_field, fit_hashtags
from studio.generate.errors import GenerationError, UnusableOutputError
from studio.generate.examples import example_hashtags, field_examples
from studio.language import is_language
from studio.generate.prompts import PromptTemplate, load_template
from studio.generate.scoring import Scorer, banned_list, score_candidates

DEFAULT_TEMPLATE = "copy_field"
LANG_NAMES = {"en": "English", "zh": "简体中文"}


@dataclass
class CopyResult:
    copy: dict[str, str]
    candidates: list[dict] = field(default_factory=list)
    provenance: dict = field(default_factory=dict)


def token_budget(f: ChannelField, language: str, cap: int) -> int:
    """Enough new tokens to fill a sensible length, never the whole 2,000-char allowance:
    the tiny model degrades with length, and every token costs time on CPU (about 25-45 ms per
    decoding step for 3 candidates on 2 cores, so these budgets bound a variant's time)."""
    limit = f.max_chars or 300
    if f.role == "hashtags":
        return int(max(8, min(cap, 28)))  # 4-6 tags; longer runs are invented words
    if language.startswith("zh"):
        want = min(limit, 90) * 1.3 if f.multiline else limit * 1.4  # ~1.3 tokens per Han char
        return int(max(12, min(cap, want, 110)))
    # 64 tokens is ~250 characters: an Instagram caption's first 125 show before "more"; on 2 busy
    # cores each decoding step costs ~50-100 ms, so this cap is what holds a variant near 8 s.
    want = min(limit, 300) / 3.6 if f.multiline else limit / 3.2
    return int(max(8, min(cap, want, 64)))


def _join(items, sep: str) -> str:
    return sep.join(str(i) for i in items if i)


# The embedded 135M model gets a compact prompt: it cannot follow a 40-term banned list or five
# claims (the scorer and the checks stage enforce those anyway), and on CPU every prompt token
# costs time; a Chinese system prompt with the full lists was ~1,200 tokens, the examples ~900 more.
COMPACT = {"banned": 8, "forbidden": 4, "claims": 2, "segment_chars": 160, "example_chars": {"zh": 200, "en": 420},
           "multiline_chars": {"zh": 150, "en": 300}}


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    ends = [m.end() for m in re.finditer(r"[.!?。！？；;]", cut)]
    return cut[: ends[-1]] if ends else cut


def _context(kit, segment: Segment, channel: Channel, f: ChannelField, brief: Brief, market, language, feedback, compact=False,
             approved: list[str] | None = None):
    zh = language.startswith("zh")
    sep = "、" if zh else ", "
    claims = [c.claim for c in kit.claims.substantiated if not c.markets or market is None or Market(market) in c.markets]
    banned, forbidden = banned_list(kit), kit.claims.forbidden[:8]
    description = " ".join(segment.description.split())
    max_chars = f.max_chars or 300
    if compact:
        banned, forbidden, claims = banned[: COMPACT["banned"]], forbidden[: COMPACT["forbidden"]], claims[: COMPACT["claims"]]
        description = _clip(description, COMPACT["segment_chars"])
        if f.multiline:  # ask for what the token budget can hold, not the channel's 2,200-character ceiling
            max_chars = min(max_chars, COMPACT["multiline_chars"]["zh" if zh else "en"])
    return {
        "brand": kit.name, "voice": " ".join(kit.voice.description.split()),
        "tone_words": _join(kit.voice.tone_words, sep), "avoid_tones": _join(kit.voice.avoid_tones, sep),
        "segment_name": segment.name, "segment_description": description,
        "tone_adjustments": _join(segment.tone_adjustments, "；" if zh else "; "),
        "channel_name": channel.name, "field_label": f.label.split(" ")[0] if zh else f.label,
        "multiline": f.multiline, "max_chars": max_chars,
        "banned": _join(banned, sep), "forbidden": _join(forbidden, sep),
        "claims": _join(claims[:4], "；" if zh else "; "),
        "brief": " ".join(brief.summary().split()), "feedback": _join(feedback or [], "；" if zh else "; "),
        "language": LANG_NAMES.get(language, language),
        # approved content modules (studio/generate/writers.py); not for the compact embedded prompt
        "approved": "" if compact else _join(approved or [], " / "),
    }


def build_messages(template: PromptTemplate, ctx: dict, examples: list[tuple[str, str]], language: str, prefill_ok: bool):
    ctx = dict(ctx)
    ctx["length_rule"] = template.render("length_rule", language, **ctx)
    messages = [SystemMessage(template.render("system", language, **ctx))]
    for title, text in examples:
        messages.append(HumanMessage(template.render("example_user", language, **{**ctx, "example_title": title})))
        messages.append(AIMessage(text))
    messages.append(HumanMessage(template.render("user", language, **ctx)))
    prefill = template.render("prefill", language, **ctx)
    if prefill and prefill_ok:
        messages.append(AIMessage(prefill))
    return messages


def _sample(chat, messages, n: int, max_tokens: int, stop: list[str] | None, extra: dict | None = None) -> list[str]:
    """n raw completions; servers that ignore `n` are asked again until n arrive (bounded)."""
    texts: list[str] = []
    for _ in range(3):
        result = chat.generate([messages], stop=stop, n=n - len(texts), max_tokens=max_tokens, **(extra or {}))
        texts += [g.message.content if hasattr(g, "message") else g.text for g in result.generations[0]]
        if len(texts) >= n:
            break
    return texts[:n]


# Regeneration rounds for a required field whose samples were all empty, over the limit or in the
# wrong language. When some samples are usable the others repeat them (best-of-N over fewer
# distinct values, recorded as "kept") instead of paying for another full call. Optional fields
# are never retried.
# (settings.llm_max_retries is for HTTP retries of the OpenAI client, not for this.)
FIELD_RETRIES = 2  # extra rounds only for a required field with no usable sample at all


def generate_field(chat, template, ctx, f: ChannelField, channel: Channel, examples, language, n, *, cap, retries=FIELD_RETRIES) -> tuple[list[str], dict]:
    """n clean values for one field (some may be "" for optional fields)."""
    prefill_ok = supports_prefill(chat)
    messages = build_messages(template, ctx, examples, language, prefill_ok)
    prefill = str(messages[-1].content) if isinstance(messages[-1], AIMessage) else ""
    stop = None if f.multiline else ["\n"]
    budget = token_budget(f, language, cap)
    echoes = [ctx["brief"], messages[-1 if not prefill else -2].content]
    good: list[str] = []
    raw_seen = 0
    check_language = f.role != "hashtags"
    rounds = (retries + 1) if f.required else 1
    # Constrained output for the embedded model: no Latin-letter tokens in Chinese prose fields.
    extra = {"script": "zh"} if prefill_ok and language.startswith("zh") and check_language else {}
    for attempt in range(rounds):
        for raw in _sample(chat, messages, n - len(good), budget, stop, extra):
            raw_seen += 1
            text = clean_field(prefill + raw, f, max_hashtags=channel.max_hashtags, echoes=echoes)
            if text and check_language and not is_language(text, language):
                continue  # wrong language: reject, never pass it on
            if text:
                good.append(text)
        if good:
            break  # a short round is padded below; only a field with nothing usable is asked again
    info = {"source": "model", "attempts": attempt + 1, "raw": raw_seen, "kept": len(good), "max_new_tokens": budget, "examples": len(examples)}
    if not good and f.required:
        raise UnusableOutputError(
            f"the model gave no usable {f.name} for {channel.id} after {attempt + 1} attempts ({raw_seen} samples); try again or use another backend"
        )
    while len(good) < n:
        good.append(good[len(good) % len(good)] if good else "")
    return good, info


_FIRST_CLAUSE = re.compile(r"^(.+?)(?:[。！？!?；;\n]|[.](?:\s|$))")


def derive_short_field(f: ChannelField, per_field: dict[str, list[str]], language: str, n: int):
    """Repair for a short one-line field the model never filled (the embedded model often misses a 20-character
    Chinese title): the first clause of the longest written field, cut to fit. Provenance says so."""
    if f.multiline or not per_field:
        return None
    values = []
    for i in range(n):
        source = max((vals[i] for vals in per_field.values() if vals[i]), key=len, default="")
        match = _FIRST_CLAUSE.match(source.strip())
        text = clean_field(match.group(1) if match else source, f)
        if not text or not is_language(text, language):
            return None
        values.append(text)
    source_field = max(per_field, key=lambda name: len(per_field[name][0] or ""))
    return values, {"attempts": 0, "raw": 0, "kept": n, "derived_from": source_field}


COPY_ATTEMPTS = 3  # whole-variant attempts when the model's output is unusable (never for backend errors)


def generate_copy(*args, **kwargs) -> CopyResult:
    """One variant's copy. A small model sometimes gives nothing usable for a field, or no candidate that fits;
    sampling again usually does, so the variant is attempted again before the error reaches the user."""
    for attempt in range(1, COPY_ATTEMPTS + 1):
        try:
            return _generate_copy_once(*args, **kwargs)
        except UnusableOutputError:
            if attempt == COPY_ATTEMPTS or kwargs.get("seed") is not None:
                raise


def _generate_copy_once(
    loaded_kit,
    segment: Segment,
    channel: Channel,
    brief: Brief,
    *,
    market: Market | str | None = None,
    passages: list | None = None,
    feedback: list[str] | None = None,
    scorer: Scorer | None = None,
    settings=None,
    chat=None,
    template_id: str = DEFAULT_TEMPLATE,
    use_examples: bool = True,
    seed: int | None = None,
    approved: list[str] | None = None,
) -> CopyResult:
    from studio.config import get_settings

    settings = settings or get_settings()
    kit = loaded_kit.kit
    passages = list(passages or [])
    language = (segment.language or kit.language).split("-")[0]
    chat = chat or get_chat_model(settings)
    template = load_template(template_id, settings.prompts_dir)
    n = settings.candidates
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    if seed is not None:
        import torch

        torch.manual_seed(seed)
    compact = supports_prefill(chat)  # the embedded model
    per_field: dict[str, list[str]] = {}
    field_info: dict[str, dict] = {}
    unfilled: list[tuple[ChannelField, UnusableOutputError]] = []
    for f in channel.fields:
        ctx = _context(kit, segment, channel, f, brief, market, language, feedback, compact=compact, approved=approved)
        example_chars = COMPACT["example_chars"]["zh" if language.startswith("zh") else "en"] if compact else 420
        examples = field_examples(passages, channel, f, max_chars=example_chars) if use_examples else []
        if f.role == "hashtags" and examples:
            tags = example_hashtags(examples, loaded_kit.voice_files, limit=min(5, channel.max_hashtags or 5))
            if tags:  # the brand's own tags: no model call (it invents tags, and that costs seconds)
                per_field[f.name] = [tags] * n
                field_info[f.name] = {"source": "kit examples", "examples": len(examples)}
                continue
        try:
            values, info = generate_field(
                chat, template, ctx, f, channel, examples, language, n, cap=settings.llm_max_tokens
            )
        except UnusableOutputError as exc:  # backend failures (unreachable, 401, garbage) propagate at once
            unfilled.append((f, exc))
            continue
        per_field[f.name] = values
        field_info[f.name] = info
    for f, error in unfilled:
        derived = derive_short_field(f, per_field, language, n)
        if derived is None:
            raise error
        per_field[f.name], field_info[f.name] = derived
    per_field = {f.name: per_field[f.name] for f in channel.fields}  # the channel's field order
    copies = [fit_hashtags({name: vals[i] for name, vals in per_field.items()}, channel.max_hashtags) for i in range(n)]
    scores = score_candidates(
        copies, kit=kit, channel=channel, language=language,
        voice_texts=[p.text for p in passages], scorer=scorer, embedding_model=settings.embedding_model,
    )
    candidates = [{"index": i, "copy": c, **s} for i, (c, s) in enumerate(zip(copies, scores))]
    eligible = [c for c in candidates if not c["rejected"]]
    if not eligible:
        reasons = "; ".join(sorted({c["rejected"] for c in candidates}))
        raise UnusableOutputError(f"no {channel.id} candidate passed validation ({reasons})")
    best = max(eligible, key=lambda c: c["total"])
    for c in candidates:
        c["selected"] = c is best
    copy = {k: v for k, v in best["copy"].items() if v}
    info = backend_info(chat)
    provenance = {
        **info,
        "params": {**info.get("params", {}), "candidates": n, "fields": field_info, "seed": seed},
        "prompt_template": template.provenance,
        "retrieved_passages": [p.id for p in passages] if use_examples else [],
        "language": language,
        "market": Market(market).value if market else None,
        "feedback": list(feedback or []),
        "started_at": started.isoformat(),
        "finished_at": datetime.now(timezone.utc).isoformat(),
        "duration_s": round(time.perf_counter() - t0, 3),
    }
    return CopyResult(copy=copy, candidates=candidates, provenance=provenance)
