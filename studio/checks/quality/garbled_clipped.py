"""Clipped words: the writer stopped inside a word ("bac" for back, "siz" for size, "怪现" for 怪现象).

Small models clip words in two ways: a whole text of shortened words ("The Cir Base Lay is bac in al
siz"), and a last word cut off by the length limit ("it turns all wi", "对收集优化成果了怪现"). A word is
*clipped* when it is rare itself but is the start of a common word, much commoner than it is:
abbreviations people write ("info", "approx", "Nov", "tbsp") are common in their own right and pass.
"""

from __future__ import annotations

import math
import os
import re
from functools import cache, lru_cache

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.vocab import KnownText, en_zipf, known_en, zh_words
from studio.language import HAN_RUN

# Closing punctuation, a digit or a symbol at the end: the text was not cut inside a word.
_JIEBA_WORDS = 60_101_967  # the sum of the counts in jieba 0.42's dict.txt
_LETTER_SPACE_END = re.compile(r"[A-Za-z] $")
_ENDS_CLOSED = re.compile(r"[.!?…。！？)）\]】」』\"'”’*#\d%~～:：;；,，、|｜/\-–—]$")


def _ends_closed(stripped: str) -> bool:
    """_ENDS_CLOSED.search(stripped) for text without trailing whitespace: only its last character can match."""
    return _ENDS_CLOSED.search(stripped[-1:]) is not None


@cache
def _en_completions(full_zipf: float, max_len: int) -> dict[str, float]:
    """Prefix -> Zipf of the commonest word (at least full_zipf) that it is the strict start of."""
    best: dict[str, float] = {}
    for w, zf in en_zipf().items():
        if zf < full_zipf or not w.isascii() or not w.isalpha():
            continue
        for n in range(1, min(len(w) - 1, max_len) + 1):
            p = w[:n]
            if best.get(p, 0.0) < zf:
                best[p] = zf
    return best


def en_clipped(key: str, known: tuple[KnownText, ...], cfg: dict) -> bool:
    """A rare word that starts a much commoner one ("bac" -> back, "memb" -> member), unless the kit or
    brief uses it."""
    if not 2 <= len(key) <= cfg["max_letters"]:
        return False
    return _clipped_shape(key, cfg["max_zipf"], cfg["full_zipf"], cfg["zipf_gap"], cfg["max_letters"]) and not known_en(key, known)


@lru_cache(maxsize=65536)
def _clipped_shape(key: str, max_zipf: float, full_zipf: float, gap: float, max_letters: int) -> bool:
    own = en_zipf().get(key, 0.0)
    if own >= max_zipf or not key.isalpha():
        return False
    return _en_completions(full_zipf, max_letters).get(key, 0.0) - own >= gap


def en_find(text: str, words: list[re.Match], lowered: list[str], distinct: set[str], known: tuple[KnownText, ...],
            cfg: dict) -> list[Hit]:
    """words: the text's words (EN_WORD matches, addresses left out); lowered: the same in lower case;
    distinct: the set of lowered (each word is judged once)."""
    if not words:
        return []
    short, z, common = cfg["max_letters"], en_zipf(), cfg["max_zipf"]
    # (a word at least max_zipf common is never clipped: _clipped_shape's first test, made here without the call)
    bad = {w for w in distinct if len(w) <= short and z.get(w, 0.0) < common and en_clipped(w, known, cfg)}
    clipped = [m for m, low in zip(words, lowered)
               if low in bad and text[max(0, m.start() - 1): m.start()] not in (".", "/", "#")] if bad else []
    hits = []
    if len(clipped) >= cfg["min_count"] and len(clipped) >= cfg["min_share"] * len(words):
        listed = ", ".join(dict.fromkeys(m.group() for m in clipped[:5]))
        hits.append(Hit(clipped[0].start(), clipped[-1].end(), "clipped_words",
                        f"{len(clipped)} of {len(words)} words are clipped, the start of a longer word ({listed})."))
    last = words[-1]
    stripped = text.rstrip()
    if (last.end() == len(stripped) and len(words) >= cfg["last_min_words"] and not _ends_closed(stripped)
            and (last in clipped or _lone_letter(text, last))):
        hits.append(Hit(last.start(), last.end(), "cut_off",
                        f"the text stops inside a word (\"{last.group()}\" is the start of a longer word)."))
    elif (last.end() == len(stripped) and len(words) >= cfg["last_min_words"] and not _ends_closed(stripped)
            and "last" in cfg and (whole := _last_clipped(lowered[-1], known, cfg["last"]))):
        hits.append(Hit(last.start(), last.end(), "cut_off",
                        f"the text stops inside a word (\"{last.group()}\" is the start of \"{whole}\")."))
    return hits


def _last_clipped(key: str, known: tuple[KnownText, ...], cfg: dict) -> str | None:
    """The last word of a text cut by the length limit (issue 13, G11: "Loopf", "Backp", "Overnigh", "Shamp"): a rare
    word (Zipf < max_zipf, not the kit's or brief's) of min_letters..max_letters letters that is the strict start of
    a name of the kit or brief, or of a word at least zipf_gap commoner (and at least full_zipf). Longer than the
    clipped words above, so only the last word is judged this way: it is where the limit cuts."""
    if not cfg["min_letters"] <= len(key) <= cfg["max_letters"] or not key.isascii() or not key.isalpha():
        return None
    own = en_zipf().get(key, 0.0)
    if own >= cfg["max_zipf"] or known_en(key, known):
        return None
    for k in known:
        for name in k.names:
            if len(name) > len(key) and name.startswith(key):
                return name
    best = _en_best_completion(cfg["full_zipf"], cfg["max_letters"]).get(key)
    return best[1] if best and best[0] - own >= cfg["zipf_gap"] else None


@cache
def _en_best_completion(full_zipf: float, max_len: int) -> dict[str, tuple[float, str]]:
    """Prefix (3+ letters) -> (Zipf, word) of the commonest word (at least full_zipf) that it is the strict start of."""
    best: dict[str, tuple[float, str]] = {}
    for w, zf in en_zipf().items():
        if zf < full_zipf or not w.isascii() or not w.isalpha():
            continue
        for n in range(3, min(len(w) - 1, max_len) + 1):
            p = w[:n]
            if p not in best or best[p][0] < zf:
                best[p] = (zf, w)
    return best


def _lone_letter(text: str, m: re.Match) -> bool:
    """A lower-case single letter, not a word of its own, after a word ("the replace c"; not "410 g", "100x")."""
    word = m.group()
    return len(word) == 1 and word.islower() and word not in "ai" and _LETTER_SPACE_END.search(text[: m.start()]) is not None


@cache
def _zh_frequent_starts(min_zipf: float) -> frozenset[str]:
    """The strict starts (2+ characters) of frequent Chinese words of 3+ characters: wordfreq's list and
    jieba's dictionary, its counts turned into Zipf (log10 per billion words of its ~60 M-word corpus)."""
    import jieba
    from wordfreq import get_frequency_dict

    words = {w for w, f in get_frequency_dict("zh").items()
             if f > 0 and len(w) >= 3 and math.log10(f) + 9 >= min_zipf and HAN_RUN.fullmatch(w)}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as fh:
        for line in fh:
            w, count = line.split(" ", 2)[:2]
            if len(w) >= 3 and math.log10(int(count) / _JIEBA_WORDS) + 9 >= min_zipf:
                words.add(w)
    return frozenset(w[:n] for w in words for n in range(2, len(w)))


def zh_load(cfg: dict) -> None:
    """Build what zh_find() builds on first need (garbled_zh.load)."""
    _zh_frequent_starts(cfg["full_zipf"])


def zh_find(text: str, known: tuple[KnownText, ...], cfg: dict) -> list[Hit]:
    """The text ends (no closing punctuation) on the start (2 or 3 characters) of a frequent word that is not
    a word itself, and no dictionary word ends where the text ends: "…成果了怪现" (怪现象)."""
    stripped = text.rstrip()
    if not stripped or not HAN_RUN.match(stripped[-1]) or _ends_closed(stripped):
        return []
    runs = list(HAN_RUN.finditer(stripped))
    run = runs[-1].group()
    if len(run) < cfg["last_min_chars"] or run[-1] in cfg["final_particles"]:
        return []
    dictionary = zh_words()
    if any(run[j:] in dictionary for j in range(max(0, len(run) - 6), len(run) - 1)):
        return []  # a whole word ends the text
    if any(run[-2:] in k.zh_pairs for k in known):
        return []
    starts = _zh_frequent_starts(cfg["full_zipf"])
    end = runs[-1].end()
    for k in (3, 2):
        tail = run[-k:]
        if tail in starts and tail not in dictionary:
            return [Hit(end - k, end, "cut_off", f"the text stops inside a word (\"{tail}\" is the start of a longer word).")]
    return []
