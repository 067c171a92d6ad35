"""The brief's angle: what the brief asks the copy to say about its product, beyond naming it.

"The Cirque base layer under a shell for cold trail mornings" asks for layering on cold trail mornings;
"新一批岩上桂焙好了，中火焙，讲讲焙火" asks for the roast. Copy that names the product and the offer but tells a
segment's stock story instead (a gift pitch for an office cold-brew launch, a commuter frame for a trail
daypack) carries the product without the brief. The angle is the brief's own content words (its text and
key message) less the product's and offer's words, the brand, generic product words and the words a brief
uses to instruct a writer ("launch", "post", "讲讲", "介绍"). English words are compared by a light stem
("mornings" ~ "morning", "commuters" ~ "commute"); Chinese by dictionary words of the brief (longest match),
searched for in the copy as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from studio.checks.quality.vocab import EN_WORD, en_key, en_zipf, zh_words
from studio.language import HAN_RUN

_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")
_STOP_ZIPF = 6.0  # "the", "and", "your": carry nothing of a brief
_SUFFIXES = ("ing", "ers", "er", "ed", "es", "ly", "s", "e")
MAX_WORD = 4


def stem(word: str) -> str:
    """Strip inflection until none is left, keeping 4+ letters: mornings, morning -> morn; commuters, commute -> commut."""
    w = en_key(word)
    changed = True
    while changed:
        changed = False
        for suffix in _SUFFIXES:
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                w = w[: -len(suffix)]
                changed = True
                break
    return w


def zh_segment(run: str) -> list[str]:
    """Greedy longest-match segmentation of a Han run into dictionary words (single characters where none)."""
    words, i, vocab, single = [], 0, zh_words(), ""
    while i < len(run):
        for size in range(min(MAX_WORD, len(run) - i), 0, -1):
            piece = run[i : i + size]
            if size == 1:
                single += piece  # characters no dictionary word covers stay together: 焙火
            elif piece in vocab:
                if single:
                    words.append(single)
                    single = ""
                words.append(piece)
            else:
                continue
            i += size
            break
    if single:
        words.append(single)
    return words


@dataclass(frozen=True)
class Angle:
    en: tuple[str, ...]  # stems
    zh: tuple[str, ...]  # words of 2+ characters

    @property
    def size(self) -> int:
        return len(self.en) + len(self.zh)

    def words(self) -> list[str]:
        return list(self.en) + list(self.zh)


def _excluded_en(texts: list[str], cfg: dict) -> set[str]:
    out = {stem(w) for w in cfg["generic_en"]} | {stem(w) for w in cfg["angle_meta_en"]}
    for t in texts:
        out |= {stem(m.group()) for m in EN_WORD.finditer(t)}
    return out


def _excluded_zh(texts: list[str], cfg: dict) -> tuple[set[str], str]:
    words = set(cfg["angle_meta_zh"]) | set(cfg["generic_zh"])
    return words, "".join(texts)


@lru_cache(maxsize=256)
def brief_angle(brief_text: str, key_message: str, product: str, offer: str, brand: str) -> Angle:
    """The brief's angle words (digested once per brief)."""
    from studio.checks.quality.config import quality_config

    cfg = quality_config()["off_brief"]
    source = f"{brief_text}\n{key_message}"
    not_angle = [product, offer, brand]
    ex_en = _excluded_en(not_angle, cfg)
    z = en_zipf()
    en = []
    for m in EN_WORD.finditer(source):
        key = en_key(m.group())
        if len(key) < 3 or z.get(key, 0) >= _STOP_ZIPF or key.isdigit():
            continue
        s = stem(key)
        if s not in ex_en:
            en.append(s)
    ex_words, ex_text = _excluded_zh(not_angle, cfg)
    zh = []
    for run in HAN_RUN.findall(source):
        for w in zh_segment(run):
            # A word that is part of the product or offer ("冷泡" of 春山绿冷泡茶包) is the product, not the angle.
            if len(w) < 2 or w in ex_words or w in ex_text:
                continue
            zh.append(w)
    return Angle(tuple(dict.fromkeys(en)), tuple(dict.fromkeys(zh)))


@lru_cache(maxsize=64)
def _copy_stems(copy_text: str) -> frozenset[str]:
    return frozenset(stem(m.group()) for m in EN_WORD.finditer(copy_text))


def carried(angle: Angle, copy_text: str) -> list[str]:
    """The angle's words that the copy says."""
    stems = _copy_stems(copy_text) if angle.en else frozenset()
    return [w for w in angle.en if w in stems] + [w for w in angle.zh if w in copy_text]


def weighted_length(text: str) -> int:
    """A Han character says about as much as two Latin letters."""
    return len(text.strip()) + len(_HAN_CHAR.findall(text))
