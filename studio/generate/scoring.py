"""Score copy candidates for best-of-N: channel fit, language, banned terms, brand-voice similarity,
plus an optional caller-supplied scorer (the checks stage adds its verdict)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

import numpy as np

from studio.channels import message_length
from studio.domain import BrandKit, Channel
from studio.language import is_language

Scorer = Callable[[dict[str, str]], Any]
_VERDICT = {"pass": 1.0, "warn": 0.5, "block": 0.0}


def banned_list(kit: BrandKit) -> list[str]:
    terms = list(kit.vocabulary.banned_terms) + list(kit.vocabulary.competitor_names)
    # Forbidden claims carry notes in brackets: "sustainable (without saying what...)".
    terms += [re.split(r"\s*[(（]", c)[0].strip() for c in kit.claims.forbidden]
    return [t for t in dict.fromkeys(terms) if t]


def find_banned(text: str, terms: list[str]) -> list[str]:
    hits = []
    low = text.lower()
    for term in terms:
        t = term.lower()
        if re.search(r"[a-z0-9]", t):
            if re.search(rf"(?<![a-z0-9]){re.escape(t)}(?![a-z0-9])", low):
                hits.append(term)
        elif t in low:
            hits.append(term)
    return hits


def fits_channel(copy: dict[str, str], channel: Channel) -> tuple[bool, list[str]]:
    problems = []
    for f in channel.fields:
        text = copy.get(f.name, "")
        if not text:
            if f.required:
                problems.append(f"{f.name}: empty")
            continue
        length, limit = message_length(f, text)
        if limit is not None and length > limit:
            problems.append(f"{f.name}: {length} > {limit}")
        if len(text) < f.min_chars:
            problems.append(f"{f.name}: shorter than {f.min_chars}")
    if channel.max_hashtags is not None:
        tags = sum(len(re.findall(r"#[\w\u3400-\u9fff]+", v)) for v in copy.values())
        if tags > channel.max_hashtags:
            problems.append(f"{tags} hashtags > {channel.max_hashtags}")
    return not problems, problems


def prose(copy: dict[str, str]) -> str:
    """The copy's words without hashtags (hashtags are often Latin even in Chinese posts)."""
    return "\n".join(v for k, v in copy.items() if k not in {"hashtags"} and v)


def extra_score(scorer: Scorer | None, copy: dict[str, str]) -> tuple[float | None, Any]:
    """A scorer may return a number in [0,1], a verdict string, or a dict with score/verdict."""
    if scorer is None:
        return None, None
    raw = scorer(copy)
    if isinstance(raw, (int, float)):
        return float(raw), raw
    if isinstance(raw, str):
        return _VERDICT.get(raw, 0.0), raw
    if isinstance(raw, dict):
        if "score" in raw:
            return float(raw["score"]), raw
        return _VERDICT.get(str(raw.get("verdict")), 0.0), raw
    verdict = getattr(raw, "verdict", None)
    return _VERDICT.get(str(verdict), 0.0), {"verdict": verdict}


@lru_cache(maxsize=512)
def voice_centroid(reference: tuple[str, ...], embedding_model: str | None) -> np.ndarray:
    """The unit mean of the voice passages' embeddings. Cached: every variant of a brief retrieves the
    same passages, and embedding them again was most of Studio's own time per variant in a batch."""
    from studio.voice.embedding import embed

    centroid = embed(list(reference), embedding_model).mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centroid.setflags(write=False)
    return centroid


def score_candidates(
    copies: list[dict[str, str]], *, kit: BrandKit, channel: Channel, language: str,
    voice_texts: list[str], scorer: Scorer | None = None, embedding_model: str | None = None,
) -> list[dict]:
    from studio.voice.embedding import embed

    terms = banned_list(kit)
    # Voice similarity only ranks candidates against each other: a lone candidate is not embedded (one MiniLM
    # pass, 20-28 ms, was a fifth of a batch variant's own CPU) and records no similarity.
    if len(copies) > 1:
        cand_vecs = embed([prose(c) or " " for c in copies], embedding_model)
        centroid = voice_centroid(tuple(voice_texts or [kit.voice.description]), embedding_model)
        sims: list[float | None] = [float(np.dot(vec, centroid)) for vec in cand_vecs]
    else:
        sims = [None] * len(copies)
    results = []
    for copy, sim in zip(copies, sims):
        fits, problems = fits_channel(copy, channel)
        lang_ok = is_language(prose(copy), language)
        banned = find_banned("\n".join(copy.values()), terms)
        extra, extra_raw = extra_score(scorer, copy)
        total = (sim or 0.0) + 0.5 * fits - 0.5 * len(banned) + (0.5 * extra if extra is not None else 0.0)
        rejected = None if lang_ok else f"not in {language}"
        if not fits:
            rejected = rejected or "; ".join(problems)
        results.append({
            "fits_limits": fits, "limit_problems": problems, "language_ok": lang_ok, "banned_terms": banned,
            "voice_similarity": None if sim is None else round(sim, 4), "extra": extra, "extra_detail": extra_raw,
            "total": round(total, 4), "rejected": rejected,
        })
    return results
