"""Chinese pseudo-words: two or three common characters glued into words no dictionary has ("主收", "办动",
"检质", "宁用"), the way a small model writes Chinese it cannot spell.

Each character of such salad is common, so the stray-character rule (garbled_zh.py) lets most of it pass.
jieba's HMM, trained on segmented People's Daily text, groups characters it cannot find in its dictionary
into new words; in real copy those are a few names and slang words (随存随取, 擀皮), in salad they are many.
A new word is a pseudo-word when neither jieba's dictionary nor wordfreq's Chinese list has it, the
kit or brief does not use it, and the character model finds each of its pairs unlikely. The HMM costs ~0.5 ms a text, so it runs only on texts the stray-character
rule already finds suspect (at least `min_stray` stray characters); well-formed copy rarely has any.
"""

from __future__ import annotations

from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.vocab import KnownText, zh_words
from studio.checks.quality.zh_lm import get_model


def pseudo_words(run: str, known: tuple[KnownText, ...], unlikely: float) -> list[tuple[int, int]]:
    """(start, end) in the run of each new word jieba's HMM makes that no dictionary, kit or brief knows
    and whose character pairs are all unlikely in real Chinese text (log2 P below `unlikely`, zh_lm.py:
    "擀皮" is a real collocation the dictionaries lack, "检质" is not)."""
    import jieba

    dictionary = zh_words()
    model = get_model()
    out = []
    for word, start, end in jieba.tokenize(run, HMM=True):
        if len(word) < 2 or word in dictionary:
            continue
        if max(model.logprob(word[i], word[i + 1]) for i in range(len(word) - 1)) >= unlikely:
            continue
        if all(any(word[i : i + 2] in k.zh_pairs for k in known) for i in range(len(word) - 1)):
            continue  # the kit's or brief's own words (园里冷萃, 春山绿)
        out.append((start, end))
    return out


def unlikely_stretches(run: str, unlikely: float) -> list[str]:
    """The run's stretches of 2+ characters whose every neighbouring pair is unlikely: a pseudo-word has all its
    pairs unlikely, so it lies inside one of them (none: jieba need not segment the run)."""
    model = get_model()
    out, start = [], 0
    for i in range(len(run) - 1):
        if model.logprob(run[i], run[i + 1]) >= unlikely:
            if i + 1 - start > 1:
                out.append(run[start : i + 1])
            start = i + 1
    if len(run) - start > 1:
        out.append(run[start:])
    return out


def could_hold_one(stretch: str, known: tuple[KnownText, ...]) -> bool:
    """Has the stretch a part of 2+ characters that pseudo_words could report: not a dictionary word, and not made
    only of the kit's or brief's own pairs?"""
    dictionary, n = zh_words(), len(stretch)
    for size in range(n, 1, -1):
        for i in range(n - size + 1):
            w = stretch[i : i + size]
            if w not in dictionary and not all(any(w[k : k + 2] in kt.zh_pairs for kt in known) for k in range(size - 1)):
                return True
    return False


def find(text: str, runs: list, stray_count: int, known: tuple[KnownText, ...], cfg: dict) -> list[Hit]:
    """runs: the text's Han runs (HAN_RUN matches); stray_count: their stray characters (garbled_zh)."""
    if stray_count < cfg["min_stray"]:
        return []
    unlikely = cfg["unlikely_logprob"]
    stretches = [[st for st in unlikely_stretches(m.group(), unlikely) if could_hold_one(st, known)] for m in runs]
    total = sum(len(m.group()) for m in runs)
    # The most pseudo-words (2+ characters each) and characters the stretches could hold: when even those are too
    # few, what jieba would find is too (most suspect texts), and it is not run.
    if (sum(len(st) // 2 for sts in stretches for st in sts) < cfg["min_words"]
            or sum(len(st) for sts in stretches for st in sts) < cfg["min_share"] * total):
        return []
    spans = []
    for m, st in zip(runs, stretches):
        if st:
            spans += [(m.start() + s, m.start() + e) for s, e in pseudo_words(m.group(), known, unlikely)]
    chars = sum(e - s for s, e in spans)
    if len(spans) < cfg["min_words"] or chars < cfg["min_share"] * total:
        return []
    listed = "、".join(dict.fromkeys(text[s:e] for s, e in spans[:5]))
    return [Hit(spans[0][0], spans[-1][1], "pseudo_words",
                f"{len(spans)} made-up words ({listed}): {chars} of {total} Han characters are in words no dictionary has.",
                round(chars / total, 2))]
