"""Known words: wordfreq's English and Chinese frequency lists, jieba's dictionary, and the kit's own text.

Brand names, trademarks and the kit's vocabulary are known words for the garble check; so are the words
of the brief. Lists load once per process (~0.5 s).
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from functools import cache

from studio.language import HAN_RUN

EN_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SUFFIXES = ("'s", "’s", "n't", "n’t", "'re", "’re", "'ve", "’ve", "'ll", "’ll", "'d", "’d", "'m", "’m")
MAX_ZH_WORD = 6
# A capitalised word of the kit or brief is a name (for the mangled-name check) when it has at least this
# many letters and is rarer than this in everyday English (Zipf; "Transit" 4.0 and "Circle" 4.4 are words).
NAME_MIN_LETTERS = 5
NAME_MAX_ZIPF = 3.0


def en_key(word: str) -> str:
    """Lower case, without a clitic ("shell's" -> "shell", "don't" -> "do")."""
    w = word.lower()
    if "'" not in w and "’" not in w:
        return w
    for s in _SUFFIXES:
        if w.endswith(s) and len(w) > len(s):
            return w[: -len(s)]
    return w


@cache
def en_zipf() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9 for w, f in get_frequency_dict("en").items() if f > 0}


@cache
def zh_words() -> frozenset[str]:
    """Multi-character Chinese words: wordfreq's Chinese list and jieba's dictionary."""
    import jieba
    from wordfreq import get_frequency_dict

    words = {w for w in get_frequency_dict("zh") if 1 < len(w) <= MAX_ZH_WORD and HAN_RUN.fullmatch(w)}
    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            w = line.split(" ", 1)[0]
            if 1 < len(w) <= MAX_ZH_WORD:
                words.add(w)
    return frozenset(words)


@cache
def en_letter_model() -> tuple[dict[str, float], float]:
    """Letter trigram log2 probabilities over the 60,000 most frequent English words (types, not tokens)."""
    from wordfreq import top_n_list

    tri: Counter = Counter()
    bi: Counter = Counter()
    for w in top_n_list("en", 60000):
        if not w.isalpha() or not w.isascii():
            continue
        s = f"<<{w}>"
        for i in range(len(s) - 2):
            tri[s[i : i + 3]] += 1
            bi[s[i : i + 2]] += 1
    alphabet = 28
    probs = {t: math.log2((n + 0.1) / (bi[t[:2]] + 0.1 * alphabet)) for t, n in tri.items()}
    return probs, math.log2(0.1 / (0.1 * alphabet + 1))


def letter_logprob(word: str, window: int = 3) -> float:
    """The worst mean log2 P(letter | two before) over `window` trigrams in a row: how un-English the
    least English-looking part of a word's spelling is."""
    probs, unseen = en_letter_model()
    s = f"<<{word.lower()}>"
    lps = [probs.get(s[i : i + 3], unseen) for i in range(len(s) - 2)]
    if len(lps) <= window:
        return sum(lps) / len(lps)
    return min(sum(lps[i : i + window]) / window for i in range(len(lps) - window + 1))


class KnownText:
    """Words and character pairs that a body of text (kit, voice examples, brief) makes known."""

    def __init__(self, texts: list[str]) -> None:
        self.en: set[str] = set()
        self.zh_pairs: set[str] = set()
        self.zh_runs: list[str] = []
        # Names: capitalised words rarer than everyday English (Ridgeback, Cirque, Loopfleece), lower case.
        self.names: set[str] = set()
        self.add(texts)

    def add(self, texts) -> None:
        for text in texts:
            if not text:
                continue
            for m in EN_WORD.finditer(text):
                self.en.add(en_key(m.group()))
                if m.group()[0].isupper() and len(m.group()) >= NAME_MIN_LETTERS and en_zipf().get(m.group().lower(), 0) < NAME_MAX_ZIPF:
                    self.names.add(en_key(m.group()))
                # CamelCase trademarks (StormLayer) also make their parts known.
                for part in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", m.group()):
                    self.en.add(part.lower())
            for run in HAN_RUN.findall(text):
                self.zh_runs.append(run)
                self.zh_pairs.update(run[i : i + 2] for i in range(len(run) - 1))


def known_en(key: str, known: tuple[KnownText, ...]) -> bool:
    return any(key in k.en for k in known)


def known_zh_pair(pair: str, known: tuple[KnownText, ...]) -> bool:
    return any(pair in k.zh_pairs for k in known)
