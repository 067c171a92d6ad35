"""English (and Latin-script) garble: invented words, doubled words, words cut off mid-sentence.

A word is known when wordfreq lists it (Zipf >= known_zipf) or the kit or brief uses it. An unknown word
is only *invented* when it is long, cannot be split into known words ("Rainshell" = rain + shell reads
as a name) and is not English-shaped (letter trigrams). Several unknown words in a short text are
garbled too, but one unknown word never is: that is usually a brand.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, islice, repeat
from operator import eq

from studio.checks.quality.needs import compiled
from studio.checks.quality.vocab import EN_WORD, KnownText, en_key, en_zipf, known_en, letter_logprob

_DOMAIN = re.compile(r"\.(?:com|org|net|io|co|cn|de|nl|eu|uk|us|app|shop|store)\b", re.IGNORECASE)
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+")
_CLOSING = re.compile(r"[.!?…。！？)\]\"'”’*#\d%]$|\S+\.\w+$")


@dataclass
class Hit:
    start: int
    end: int
    kind: str
    message: str
    score: float | None = None


_SUFFIXES = ("ly", "ness", "s")


def _outside_addresses(text: str, words: list) -> list:
    """The words that are not inside an email or web address (both in text order, one pass)."""
    spans = [(a.start(), a.end()) for a in _ADDRESS.finditer(text)]
    if not spans:
        return words
    starts = [m.start() for m in words]
    out, kept_from = [], 0
    for a, b in spans:  # (disjoint, in order) the words that start inside one are left out
        inside = bisect_left(starts, a, kept_from)
        out += words[kept_from:inside]
        kept_from = bisect_left(starts, b, inside)
    return out + words[kept_from:]


def _splittable(word: str, min_zipf: float) -> bool:
    z = en_zipf()
    n = len(word)
    for i in range(3, n - 2):
        a, b = word[:i], word[i:]
        if z.get(a, 0) >= min_zipf:
            if z.get(b, 0) >= min_zipf:
                return True
            for j in range(3, len(b) - 2):
                if z.get(b[:j], 0) >= min_zipf and z.get(b[j:], 0) >= min_zipf:
                    return True
    return False


def _near_name(key: str, known: tuple[KnownText, ...], prefix_min: int, prefix_share: float, edit_share: float = 0.0) -> str | None:
    """The kit's or brief's name that an unknown word starts like but is not ("Ridgebeard" ~ Ridgeback,
    "Cirleft" ~ Cirque): the word shares at least max(prefix_min, prefix_share of the name) first letters,
    or starts with the name's letter and is at most edit_share of the name's letters away ("Swtichbak")."""
    for k in known:
        for name in k.names:
            if (key[0] == name[0] and not key.startswith(name) and not name.startswith(key)
                    and abs(len(key) - len(name)) <= edit_share * len(name) and _edits(key, name) <= edit_share * len(name)):
                return name
            if key[:prefix_min] != name[:prefix_min] or key.startswith(name) or name.startswith(key):
                continue
            p = prefix_min
            while p < min(len(key), len(name)) and key[p] == name[p]:
                p += 1
            z = en_zipf()
            if p >= 4 and z.get(key[:p], 0) >= 3.0 and z.get(key[p:], 0) >= 3.0:
                continue  # two words that share the name's first word ("Rainshell" = rain + shell, not RainGear)
            if p >= max(prefix_min, math.ceil(prefix_share * len(name))):
                return name
    return None


def plain_word(low: str, known: tuple[KnownText, ...], known_zipf: float) -> str | None:
    """The word's key, or None when it is a plain word: listed, the kit's or brief's, or a listed word with a suffix."""
    z = en_zipf()
    key = en_key(low) if "'" in low or "’" in low else low
    if len(key) < 2 or z.get(key, 0) >= known_zipf or known_en(key, known):
        return None
    if any(key.endswith(s) and z.get(key[: -len(s)], 0) >= known_zipf for s in _SUFFIXES):
        return None  # a known word with a suffix wordfreq does not list ("dermatologically")
    return key


# The same words come back text after text; the known texts (the kit's, the brief's) are built once and never
# changed, so the pure answer is cached with the known objects themselves in the key.
_plain_word = lru_cache(maxsize=65536)(plain_word)


def find(text: str, known: tuple[KnownText, ...], cfg: dict) -> list[Hit]:
    z = en_zipf()
    hits: list[Hit] = []
    # Words inside an email or web address are names, not words ("mark.delaney84@...", "chenxiaoyu1992@qq.com").
    words = list(EN_WORD.finditer(text))
    if "@" in text or "www." in text or "://" in text:
        words = _outside_addresses(text, words)
    lowered = [m.group().lower() for m in words]  # once per text, shared by every check below
    known_zipf = cfg["known_zipf"]
    unknown, misspelt, derived, coined = [], [], [], []
    derivation_cfg = cfg["derivations"]
    distinct = set(lowered)
    # The words not listed as written (plain_word's first test, once per distinct word): most words are listed.
    listed_order = list(distinct)
    odd = set(compress(listed_order, map(known_zipf.__gt__, map(z.get, listed_order, repeat(0)))))  # in C
    if "'" in text or "’" in text:
        odd.update(w for w in listed_order if "'" in w or "’" in w)
    for m, low in compress(zip(words, lowered), map(odd.__contains__, lowered)) if odd else ():
        key = _plain_word(low, known, known_zipf)
        if key is None:
            continue
        raw = m.group()
        if _DOMAIN.match(text, m.end()) or text[max(0, m.start() - 1) : m.start()] in ("@", ".", "/", "#"):
            continue  # part of a web address, an email, a handle or a hashtag: a name, not a word
        parts = _CAMEL_WORDS.findall(raw)
        if len(parts) > 1 and all(z.get(p.lower(), 0) >= cfg["known_zipf"] or known_en(p.lower(), known) for p in parts):
            continue  # CamelCase of known words: StormSpectrum, NorthPeakRide
        name = _near_name(key, known, cfg["name_prefix_min"], cfg["name_prefix_share"], cfg["name_edit_share"])
        if name:
            hits.append(Hit(m.start(), m.end(), "mangled_name",
                            f"\"{raw}\" is not a word and not the name it starts like (\"{name}\" of the kit or brief): a misspelled or mangled name."))
            continue
        fix = _one_edit_from(key, cfg["misspelt"]["common_zipf"])
        if fix:
            misspelt.append((m, fix))
        if _derived_from(key, derivation_cfg["stem_zipf"], tuple(derivation_cfg["suffixes"])) or (
                len(known) > 1 and _derived_from_brief(key, known[1:], tuple(derivation_cfg["brief_suffixes"]))):
            derived.append(m)
        splittable = len(key) >= cfg["invented_min_letters"] and _splittable(key, cfg["split_zipf"])
        if splittable:
            if not fix:  # "shiping" is a slip of "shipping", not a coinage of ship + ing
                coined.append(m)
            continue
        unknown.append(m)
        if len(key) >= cfg["invented_min_letters"]:
            lp = letter_logprob(key)
            if lp < cfg["letter_logprob_max"] or len(key) >= cfg["invented_long_letters"]:
                hits.append(Hit(m.start(), m.end(), "invented_word",
                                f"\"{raw}\" is not a word (not in the English word list, the kit or the brief, and not spelled like English).",
                                round(lp, 2)))
            elif raw.isupper() and raw.isalpha() and key not in z:
                # Shouted and never seen: a brand in capitals is the kit's or brief's; an acronym is short.
                hits.append(Hit(m.start(), m.end(), "invented_word",
                                f"\"{raw}\" is not a word (in capitals, in no word list, not the kit's or the brief's)."))
    if len(unknown) >= cfg["unknown_min_count"] and len(unknown) >= cfg["unknown_min_share"] * max(len(words), 1):
        listed = ", ".join(dict.fromkeys(m.group() for m in unknown[:5]))
        hits.append(Hit(unknown[0].start(), unknown[-1].end(), "unknown_words",
                        f"{len(unknown)} of {len(words)} words are unknown ({listed})."))
    elif len(coined) >= 2 and (made := _coinages(unknown, coined, misspelt, cfg["coined"], len(words))):
        listed = ", ".join(dict.fromkeys(m.group() for m in made[:5]))
        hits.append(Hit(made[0].start(), made[-1].end(), "invented_word",
                        f"{len(made)} of {len(words)} words are coinages no word list, kit or brief has ({listed})."))
    if len({m.group().lower() for m, _ in misspelt}) >= cfg["misspelt"]["min_words"]:  # different words ("Tessel" twice is a name)
        listed = ", ".join(f"{m.group()} ~ {fix}" for m, fix in misspelt[:4])
        hits.append(Hit(misspelt[0][0].start(), misspelt[-1][0].end(), "misspelt",
                        f"{len(misspelt)} words are misspellings of common words ({listed})."))
    if len(derived) >= derivation_cfg["min_words"]:
        listed = ", ".join(dict.fromkeys(m.group() for m in derived[:5]))
        hits.append(Hit(derived[0].start(), derived[-1].end(), "invented_word",
                        f"{len(derived)} invented words made of a word and a suffix ({listed})."))
    hits += _doubled(text, words, lowered, cfg)
    if len(lowered) - len(distinct) >= _LOOP_WORDS[0]:  # a clause said again repeats at least that many words
        hits += _looped_clause(text, words, lowered, {h.start for h in hits})
    hits += _permuted_loop(text, lowered, cfg["permuted_loop"])
    hits += _stem_runs(text, words, lowered, cfg["stem_run"])
    hits += _run_together(text, words, cfg["run_together_parts"])
    hits += _function_pairs(text, words, lowered, cfg, _more_pairs(text, words, lowered))
    hits += _real_word_for_name(words, lowered, distinct, known[1:], cfg, {h.start for h in hits})
    if len(known) > 1:
        hits += _name_word_slip(words, lowered, known[1:], {h.start for h in hits})
    hits += garbled_clipped.en_find(text, words, lowered, distinct, known, cfg["clipped"])
    hits += _format_echo(text)
    if len(_DIGITS.findall(text)) >= 3:
        hits += _number_salad(text)
    # (each looked for only where the words it needs are in the text: the word set is at hand)
    hits += _split_words(text, words, lowered, distinct, cfg["split_words"])
    if not _COPULAS.isdisjoint(distinct):
        hits += _stranded_copula(text, words, lowered, _unless_words(cfg["copula_end"]["unless"]))
    if "your" in distinct:
        hits += _your_for_youre(text, words, lowered)
    if "'" in text or "’" in text:
        hits += _bad_contraction(text)
    repeats = len(lowered) - len(distinct)
    if repeats >= _LOOP_REPEATS:  # a phrase said three times repeats at least that many words
        hits += _phrase_loop(text, cfg["phrase_loop"])
    if repeats >= _STUTTER_REPEATS:  # a pair said twice and its last word once more
        hits += _name_stutter(text, words, lowered, known, cfg["name_stutter"])
    hits += _odd_capitals(text)
    if lowered.count("of") >= cfg["genitive_chain"]["min_of"]:
        hits += _genitive_chain(text, cfg["genitive_chain"])
    hits += _bare_word_run(text, words, lowered, cfg["bare_word_run"])
    # Issue 13, G13 (blind15 read): one word said twice as the whole text ("One: One"), a title-case chain strewn
    # with codes ("Premium Paid 23 Carbomer Product 1B 6G Design 2"), wordplay that swaps its own nouns ("moments
    # into seasons and seasons into moments").
    hits += _lone_word_twice(text, words, lowered, cfg["lone_word_twice"])
    if len(_DIGITS.findall(text)) >= 3:
        hits += _code_chain(text, cfg["code_chain"])
    if "into" in distinct or "becomes" in distinct or "become" in distinct:
        hits += _swapped_nouns(text, cfg["swapped_nouns"])
    cut = (_cut_off(text, words, cfg) or _short_fragment(text, words, lowered, cfg) or _unterminated(text, cfg, known[1:])
           or _clipped_after_hyphen(text, cfg["hyphen_clip"]))
    if cut:
        hits.append(cut)
    return hits


_SENTENCE_END = re.compile(r"[.!?…。！？]")
_DIGITS = re.compile(r"\d+")
# Numbers strewn with no words between them (issue 13, G11, blind13: "Transit 22 2022 22L 22 22 $$"): at least four
# tokens in a row, each a number (a unit's letters or % stuck to it allowed) or a run of money or hash signs, with
# the same number said again or a doubled sign among them. A list of sizes ("28 30 32 34") repeats nothing.
_NUMBER_TOKEN = r"(?:[-+]?\d+(?:[.,]\d+)?(?:°?[A-Za-z]{1,2}|%)?|[$€£%#*&]{1,3})"
_NUMBER_SALAD = re.compile(rf"(?<!\S){_NUMBER_TOKEN}(?:[ \t]+{_NUMBER_TOKEN}){{3,}}(?!\S)")
_NUMBER_VALUE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def _number_salad(text: str) -> list[Hit]:
    for m in _NUMBER_SALAD.finditer(text):
        tokens = m.group().split()
        values = [v.group() for t in tokens if (v := _NUMBER_VALUE.match(t))]
        signs = [t for t in tokens if not _NUMBER_VALUE.match(t)]
        if len({len(t) for t in tokens}) == 1 and all(t.isdigit() for t in tokens):
            continue  # groups of one length ("5500 0000 0000 0004"): a card or account number, which pii reports
        if len(values) >= 3 and (len(set(values)) < len(values) or any(len(t) > 1 for t in signs)):
            return [Hit(m.start(), m.end(), "number_run", f"\"{m.group()}\": numbers and signs strewn with no words between them.")]
    return []
# The prompt's format instruction echoed as copy ("Three lines, four short sentences.", "Five hashtags, one emoji"):
# a count of a format unit at the start (not "two lines of piping") and another counted one after it ("One line
# per post; keep the hashtags last" is a style note in copy).
_FORMAT_UNIT = r"(?:lines?|sentences?|paragraphs?|words?|characters?|hashtags?|emojis?|bullets?|bullet points?|lists?)"
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|fifty|a hundred)(?: hundred)?"
_FORMAT_ECHO = re.compile(rf"^\W*{_COUNT} (?:short |brief |full |long )?{_FORMAT_UNIT}\b(?! of\b).{{0,40}}?"
                          rf"\b(?:{_COUNT}|no(?: more)?|under \d+|at most \d+) (?:short |brief |full |long )?{_FORMAT_UNIT}\b",
                          re.IGNORECASE | re.DOTALL)
_FORMAT_WORDS = ("line", "sentence", "paragraph", "word", "character", "hashtag", "emoji", "bullet")


def _format_echo(text: str) -> list[Hit]:
    if len(text) > 120 or not any(w in text.lower() for w in _FORMAT_WORDS):
        return []
    m = _FORMAT_ECHO.match(text)
    return [Hit(m.start(), m.end(), "prompt_echo", "the prompt's format instruction, not copy.")] if m else []


def _short_fragment(text: str, words: list, lowered: list[str], cfg: dict) -> Hit | None:
    """A short field cut before its noun or its main clause: it ends on a lone capital letter ("4-Pocket T"), on
    an article and an adjective ("The only", "A perfect"), or is a subordinate clause alone ("When the trail")."""
    f = cfg["short_fragment"]
    stripped = text.rstrip()
    if not words or len(words) > f["max_words"] or _closed(stripped) or not stripped.endswith(words[-1].group()):
        return None
    last, n = words[-1].group(), len(words)
    before = lowered[-2].rstrip("s") if n > 1 else ""
    if (len(last) == 1 and last.isupper() and last not in "AI" and n >= 2 and before not in f["letter_names"]
            and not stripped[:words[-1].start()].rstrip().endswith(("/", "-", "&", ","))):
        return Hit(words[-1].start(), len(stripped), "cut_off", f"the line stops on a lone letter (\"{last}\"): it was cut off.")
    if n >= 2 and lowered[-2] in ("a", "an", "the") and lowered[-1] in f["adjective_end"]:
        return Hit(words[-2].start(), len(stripped), "cut_off", "the line stops before its noun: it was cut off.")
    if (n >= 3 and lowered[0] in f["subordinators"] and "," not in stripped
            and all(w.group()[0].islower() for w in words[1:])):
        return Hit(0, len(stripped), "cut_off", "a subordinate clause alone: the line stops before its main clause.")
    return None


def _closed(stripped: str) -> bool:
    """_CLOSING.search(stripped) for text without trailing whitespace: a match lies in the last whitespace-free
    token (re's \\s is str.split's whitespace), so only that is searched, not every position of the text."""
    return stripped != "" and _CLOSING.search(stripped.rsplit(None, 1)[-1]) is not None


def _unterminated(text: str, cfg: dict, brief: tuple[KnownText, ...] = ()) -> Hit | None:
    """A running sentence that never ends: the last line has no full stop, question or exclamation mark at
    all, at least unterminated_min_words words, and reads as a sentence (most words after the first in lower
    case), so it is not a title-case headline or a list of specs. The writer's length limit cut it off."""
    stripped = text.rstrip()
    start = stripped.rfind("\n") + 1
    line = stripped[start:]
    if _SENTENCE_END.search(line) or _closed(line):
        return None
    words = EN_WORD.findall(line)
    if len(words) < cfg["unterminated_min_words"] or words[-1].lower() in cfg["unterminated_complete_ends"]:
        return None
    last = words[-1].lower()
    if brief and known_en(en_key(last), brief) and en_zipf().get(last, 0) < cfg["unterminated_brief_end_zipf"]:
        return None  # it ends on the brief's own content word ("... now $30 off through Sunday"): said, not cut
    lower = sum(1 for w in words[1:] if w[0].islower()) / (len(words) - 1)
    if lower < cfg["unterminated_lower_share"]:
        return None
    return Hit(start, len(stripped), "cut_off", f"a sentence of {len(words)} words that never ends: it was cut off.")


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@lru_cache(maxsize=65536)  # pure: the same unknown words (names, slips) come back in copy after copy
def _one_edit_from(key: str, common_zipf: float) -> str | None:
    """The common word (Zipf >= common_zipf) that an unknown word is one letter away from ("Comuter" ~
    computer, "Retrns" ~ returns): a letter left out, added, changed or two swapped. A brand name is rarely
    one slip from a common word; a text with several such words was typed or generated carelessly."""
    if len(key) < 3 or not key.isalpha():
        return None
    z = en_zipf()
    splits = [(key[:i], key[i:]) for i in range(len(key) + 1)]
    edits = {a + b[1:] for a, b in splits if b}
    edits |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    edits |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    edits |= {a + c + b for a, b in splits for c in _LETTERS}
    best = max(edits, key=lambda e: z.get(e, 0))
    return best if z.get(best, 0) >= common_zipf else None


def _stem_runs(text: str, words: list, keys: list[str], cfg: dict) -> list[Hit]:
    """Morphological salad: min_words different words in a row, only spaces between them, that share their
    first prefix letters ("guides guiding guided guidance"). People write two ("design designed"), not a run."""
    hits, i, n, p = [], 0, len(words), cfg["prefix"]
    heads = [k[:p] for k in keys]
    if not any(map(eq, heads, heads[1:])):
        return hits  # most texts: no two neighbouring words share their first letters
    while i < n:
        j = i
        while (j + 1 < n and len(keys[j + 1]) >= p and keys[j + 1][:p] == keys[i][:p]
               and text[words[j].end() : words[j + 1].start()] == " "):
            j += 1
        if j - i + 1 >= cfg["min_words"] and len(set(keys[i : j + 1])) == j - i + 1:
            hits.append(Hit(words[i].start(), words[j].end(), "stem_salad",
                            f"\"{text[words[i].start():words[j].end()]}\": {j - i + 1} forms of one word in a row."))
        i = j + 1
    return hits


_CAMEL_WORDS = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_TOKEN_WITH_CAPITAL = re.compile(r"(?<![#@\w/.])[\w'’]*[A-Z0-9][\w'’]*")
_PHRASE_BREAK = re.compile(r"[\n,;:—–]")
_INNER_APOSTROPHE = re.compile(r"\w'\w")
# Words after which a preposition may end a clause ("what it's made of.", "proud of.").
_OF_IS_FINE = re.compile(r"\b(?:made|think|out|sort|kind|full|proud|fond|afraid|what|which|who|come|from)\s*$")
_CAMEL_RUN = re.compile(r"[A-Z][a-z]+(?:[\w'’]*?[A-Z][a-z]+){3}")  # a token with 4+ capitalised words
_CAMEL_PART = re.compile(r"\d+|[A-Z][a-z]+|[A-Z]+(?![a-z])|[a-z]+")


def _run_together(text: str, words: list, min_parts: int) -> list[Hit]:
    """Words run together with no space ("28DayPackForLongAnimal"): min_parts+ capitalised words in one token
    (codes such as "NP2026XMAS15" have none). A hashtag or handle is written this way on purpose
    (#GetOutsideMore) and is left alone."""
    hits = []
    if not _CAMEL_RUN.search(text):
        return hits  # most texts: no such token
    for m in _TOKEN_WITH_CAPITAL.finditer(text):
        parts = _CAMEL_PART.findall(m.group())
        if sum(1 for q in parts if q[0].isupper() and q[1:2].islower()) >= min_parts:
            hits.append(Hit(m.start(), m.end(), "run_together", f"\"{m.group()}\" is {len(parts)} words run together."))
    return hits


def _doubled(text: str, words: list, keys: list[str], cfg: dict) -> list[Hit]:
    """"waterproof waterproof" (only a space between) or a word three times in a row ("One. One. One.")."""
    allowed = set(cfg["allowed_doubles"])
    hits = []
    end = -1
    # Each maximal run of one word said again, from the places where a word equals the next (found in C; most texts: none).
    for i in compress(range(len(keys) - 1), map(eq, keys, keys[1:])):
        if i <= end:
            continue  # inside the run already reported on
        w = keys[i]
        j = i + 1
        while j + 1 < len(words) and keys[j + 1] == w:
            j += 1
        end = j
        gap = text[words[i].end() : words[i + 1].start()]
        count = j - i + 1
        if (count >= 3 or gap.strip() == "") and w not in allowed and len(w) > 1:
            hits.append(Hit(words[i].start(), words[j].end(), "repeated",
                            f"\"{w}\" repeated {count} times in a row."))
    # A phrase of 2-6 words said twice in a row ("for your ride for your ride").
    for n in range(2, 7):
        m = len(keys) - 2 * n + 1  # the starts s with room for the phrase twice
        if m <= 0:
            continue
        # The starts whose word comes back n words later, compared in C (most starts: none).
        for s in compress(range(m), map(eq, keys[:m], keys[n : n + m])):
            if (keys[s : s + n] == keys[s + n : s + 2 * n] and not any(h.start <= words[s].start() < h.end for h in hits)
                    # a heading, then a line that opens with it; or a phrase said again after a comma for
                    # emphasis ("Once they're gone, they're gone")
                    and not _PHRASE_BREAK.search(text[words[s + n - 1].end() : words[s + n].start()])):
                hits.append(Hit(words[s].start(), words[s + 2 * n - 1].end(), "repeated",
                                f"\"{' '.join(keys[s:s + n])}\" repeated."))
    return hits


_LOOP_WORDS = range(7, 11)


def _looped_clause(text: str, words: list, keys: list[str], flagged: set[int]) -> list[Hit]:
    """A clause of 7-10 words said again straight after itself ("it is cosy on the porch and it is cosy on the porch
    and ..."); _doubled finds the shorter phrases."""
    for n in _LOOP_WORDS:
        m = len(keys) - 2 * n + 1
        if m <= 0:
            break
        # The starts whose word comes back n words on, compared in C without copying the list.
        for s in compress(range(m), map(eq, keys, islice(keys, n, None))):
            if keys[s : s + n] == keys[s + n : s + 2 * n] and words[s].start() not in flagged:
                return [Hit(words[s].start(), words[s + 2 * n - 1].end(), "repeated",
                            f"\"{' '.join(keys[s:s + n])}\" said again and again.")]
    return []


def _cut_off(text: str, words: list, cfg: dict) -> Hit | None:
    """Text that stops mid-sentence: it ends on an article, preposition or conjunction, or an open quote."""
    stripped = text.rstrip()
    if not words or _closed(stripped):
        return None
    last = words[-1]
    if stripped[last.end():].strip(" -–—,:;") != "" and not stripped.endswith(("-", "–", "—", ",")):
        return None
    for pattern in cfg.get("cut_off_patterns") or []:
        if compiled(pattern, re.IGNORECASE).search(stripped.replace("’", "'")):
            return Hit(last.start(), len(stripped), "cut_off", "the sentence stops before it says what it announces.")
    last_word = last.group().lower().replace("’", "'")
    lowered = {w.group().lower() for w in words[:-1]}
    if last_word in _DANGLING_PREP | {"to", "about", "at", "by"} and lowered & _WH_WORDS:
        return None  # a preposition stranded by a wh-clause: "what it is made for", "who it is for"
    before = words[-2].group().lower().replace("’", "'") if len(words) > 1 else ""
    if (last_word in set(cfg["dangling_end"]) and before not in cfg.get("dangling_end_ok_after", {}).get(last_word, ())
            ) or stripped.endswith((" -", " –", " —", ",")):
        return Hit(last.start(), len(stripped), "cut_off", "the text stops mid-sentence.")
    # Issue 13, G13: an article (or possessive) and an adjective that needs its noun ("... offering a one-time",
    # "Bring an old"), at any length; "out with the old, in with the new" is an idiom, not a cut.
    article_end = cfg["article_adjective_end"]
    tail = stripped.rsplit(None, 1)[-1].lower().replace("’", "'")
    adj, art, third = last_word, before, (words[-3].group().lower() if len(words) > 2 else "")
    if "-" in tail.strip("-") and len(words) > 3:  # a compound the word pattern splits ("a limited-time")
        adj, art, third = tail, words[-3].group().lower(), words[-4].group().lower()
    if art in article_end["articles"] and (adj in article_end["words"] or "-" in adj and adj.endswith(tuple(article_end["hyphen_ends"]))):
        if len(words) == 2 or (len(words) > 2 and adj not in article_end["ok_before"].get(third, ())):
            return Hit(words[-2].start(), len(stripped), "cut_off", f"the text stops on \"{art} {adj}\", before its noun: it was cut off.")
    bare = cfg["bare_end"]
    if (last_word in bare["pronouns"] and before not in bare["pronoun_ok_after"]) or (
            last_word in bare["adverbs"] and before in bare["adverb_after"]) or (
            last_word in bare["copula_adverbs"] and before in bare["copulas"]):  # "... delivery is just" (G13)
        return Hit(last.start(), len(stripped), "cut_off", f"the text stops after \"{before} {last.group()}\": it was cut off.")
    copula = cfg["copula_end"]
    if (last_word in copula["words"] and len(words) <= copula["max_words"] and stripped.endswith(last.group())
            and not {w.replace("’", "'") for w in lowered} & set(copula["unless"])):
        return Hit(last.start(), len(stripped), "cut_off", f"the line stops after \"{last.group()}\": it was cut off.")
    if stripped.count("\"") % 2 == 1 or (stripped.count("'") - len(_INNER_APOSTROPHE.findall(stripped))
                                          - len(_PLURAL_POSSESSIVE.findall(stripped))) % 2 == 1:
        return Hit(last.start(), len(stripped), "cut_off", "the text stops inside a quotation.")
    return None


# A plural possessive ("kids' gear", "runners' favourite"): an apostrophe that closes no quotation (G13).
_PLURAL_POSSESSIVE = re.compile(r"(?<=[a-z]s)'(?=[ \t]+[a-z])")


def _lone_word_twice(text: str, words: list, lowered: list[str], cfg: dict) -> list[Hit]:
    """The whole text is one function or number word said twice or three times ("One: One", "The. The."): the
    writer's skeleton with nothing in it. A word said twice for emphasis is a content word ("Rain, rain")."""
    if 2 <= len(words) <= 3 and len(set(lowered)) == 1 and lowered[0] in set(cfg["words"]):
        return [Hit(words[0].start(), words[-1].end(), "repeated",
                    f"the text is only \"{words[0].group()}\" said {len(words)} times.")]
    return []


_CHAIN_TOKEN = r"(?:[A-Z][a-z]+|\d+[A-Z]{0,2}|[A-Z]\d+)"
_CHAIN = re.compile(rf"(?<![\w|/&$€£-]){_CHAIN_TOKEN}(?: {_CHAIN_TOKEN}){{6,}}(?![\w/&%-])")
_CODE = re.compile(r"^(?:\d+[A-Z]{1,2}|[A-Z]\d+)$")
_SIZE = re.compile(r"^(?:\d?X{1,3}[SL]|[SML])$")


def _code_chain(text: str, cfg: dict) -> list[Hit]:
    """A chain of capitalised words and numbers with nothing between ("Premium Paid 23 Carbomer Product 1B 6G
    Design 2"): at least min_numbers tokens with digits, at least min_codes of them codes of a number and a letter
    (not a size: "2XL"). A spec line has its units in lower case, its separators, or few numbers."""
    hits = []
    for m in _CHAIN.finditer(text):
        tokens = m.group().split()
        numbers = [t for t in tokens if any(c.isdigit() for c in t) and not _SIZE.match(t)]
        codes = [t for t in numbers if _CODE.match(t)]
        if len(numbers) >= cfg["min_numbers"] and len(codes) >= cfg["min_codes"]:
            hits.append(Hit(m.start(), m.end(), "code_chain",
                            f"capitalised words strewn with numbers and codes ({', '.join(numbers[:5])}): not a sentence or a spec line."))
    return hits


_SWAP_LINK = re.compile(r"\b([A-Za-z]{3,})\s+(?:becomes?|into)\s+((?:[A-Za-z]+\s+){0,4}?[A-Za-z]{3,})(?=\s*(?:[,;.!?—–]|\band\b|\bor\b|$))")


def _swapped_nouns(text: str, cfg: dict) -> list[Hit]:
    """Wordplay that swaps its own words back ("every trail becomes the story of warmth, and warmth becomes the trail
    of every story", "moments into seasons and seasons into moments"): in one sentence, A becomes (or into) a phrase
    with B, and B becomes a phrase with A. It says nothing (G13; the read sets label it garbled)."""
    stop = set(cfg["ignore"])
    hits = []
    for sentence in _SENTENCE_SPAN.finditer(text):
        pairs = []
        for m in _SWAP_LINK.finditer(sentence.group()):
            a = m.group(1).lower().rstrip("s")
            if a in stop:
                continue
            for b in m.group(2).lower().split():
                b = b.rstrip("s")
                if len(b) >= 3 and b not in stop and b != a:
                    pairs.append((a, b))
        seen = set(pairs)
        if any((b, a) in seen for a, b in pairs):
            hits.append(Hit(sentence.start(), sentence.end(), "swapped_nouns",
                            "wordplay that swaps its own words back and forth: it says nothing."))
    return hits


def _coinages(unknown: list, coined: list, misspelt: list, cfg: dict, n_words: int) -> list:
    """The text's coinages (two known words run together, or a word with a suffix) and its other unknown words less
    its slips ("jcket"), when they are enough to be invented language; else []."""
    slips = {m.start() for m, _ in misspelt}
    made = sorted(coined + [m for m in unknown if m.start() not in slips], key=lambda w: w.start())
    return made if len(made) >= cfg["min_words"] and len(made) >= cfg["min_share"] * n_words else []


@lru_cache(maxsize=2)
def _short_rare_pieces(rare: float) -> frozenset[str]:
    """The listed words of two or three letters rarer than `rare` ("ht", "ore", "eck", "ing"): what a space leaves
    of a broken word (made once: the word list does not change)."""
    return frozenset(w for w, f in en_zipf().items() if 2 <= len(w) <= 3 and f < rare)


def _split_words(text: str, words: list, lowered: list[str], distinct: set[str], cfg: dict) -> list[Hit]:
    """Words broken in two by a space ("Port land st ore", "br ing a jack et"): adjacent pieces, one of them rare,
    that are a common word together."""
    z = en_zipf()
    rare, whole, need = cfg["piece_zipf"], cfg["word_zipf"], cfg["min_pairs"]
    # A broken word leaves a short rare piece ("ht", "ore", "eck"); the text's own ones, found by one set operation.
    pieces = _short_rare_pieces(rare).intersection(distinct)
    if len(pieces) < (need + 1) // 2:
        return []  # (most texts: none)
    at = [i for i, w in enumerate(lowered) if w in pieces]
    pairs = []
    for i in sorted({j for r in at for j in (r - 1, r) if 0 <= j < len(lowered) - 1}):
        a, b = lowered[i], lowered[i + 1]
        if (len(a) >= 2 and len(b) >= 2 and len(a) + len(b) >= 5 and z.get(a + b, 0) >= whole
                and words[i].end() + 1 == words[i + 1].start()):
            pairs.append(i)
    if len(pairs) < need:
        return []
    return [Hit(words[pairs[0]].start(), words[pairs[-1] + 1].end(), "split_words",
                f"{len(pairs)} words broken by a space (\"{words[pairs[0]].group()} {words[pairs[0] + 1].group()}\").")]


# A sentence that ends on a bare "is"/"are" after a noun, in a clause with no word that lets a verb end it ("dry of
# commuter is."; but "that's where the jacket is", "ready when you are", "as tough as it is").
_COPULAS = frozenset(("is", "are", "was", "were"))
_SENTENCE_STOP = re.compile(r"[ \t]*[.!?](?=\s|$)")
_WORD_BEFORE = re.compile(r"(?<![\w$€£])([A-Za-z]+|[$€£]?\d+(?:[.,]\d+)?%?)\s+$")
# Besides copula_end's `unless` words: subjects that end a sentence on "are" ("when you are") and clause words that
# let a verb end one ("than it is", "the way it was", "if it is").
_COPULA_END_OK_BEFORE = frozenset("these those one ones you we they i he she both each yours ours theirs mine his hers "
                                  "everyone everything something nothing anything someone".split())
_COPULA_END_OK_CLAUSE = frozenset("than if whether way because whenever anywhere everywhere somewhere".split())
_CLAUSE_OPENER = re.compile(r"[.!?;:,\n—–]")


def _stranded_copula(text: str, words: list, lowered: list[str], unless: frozenset[str]) -> list[Hit]:
    # The copulas that end a sentence ("is."), picked in C from the words; then the word before each.
    for i in compress(range(1, len(lowered)), map(_COPULAS.__contains__, lowered[1:])):
        tail = _SENTENCE_STOP.match(text, words[i].end())
        if tail is None:
            continue
        m = _WORD_BEFORE.search(text, max(0, words[i].start() - 40), words[i].start())
        if m is None or m.group(1).lower() in _COPULA_END_OK_BEFORE or m.group(1).lower() in unless:
            continue
        start = max((c.end() for c in _CLAUSE_OPENER.finditer(text, 0, m.start())), default=0)
        clause = set(text[start:m.start()].lower().split())
        if len(clause) >= 3 and not clause & _COPULA_END_OK_CLAUSE and not clause & unless:
            said = text[m.start():tail.end()]
            return [Hit(m.start(), tail.end(), "word_salad",
                        f"the sentence ends on \"{said}\": real words in an order English does not use.")]
    return []


_unless_of: dict[int, tuple[list, frozenset[str]]] = {}


def _unless_words(words: list[str]) -> frozenset[str]:
    """copula_end's `unless` list as a set, made once per config list (the same list on every call)."""
    memo = _unless_of.get(id(words))
    if memo is None or memo[0] is not words:
        memo = _unless_of[id(words)] = (words, frozenset(words))
    return memo[1]


# "Your Invited", "Your Covered": the possessive where "you're" belongs, before a participle that ends the line.
_END_MARK = re.compile(r"\s*(?:[.!?,]|$)")


def _your_for_youre(text: str, words: list, lowered: list[str]) -> list[Hit]:
    z = en_zipf()
    for i in compress(range(len(lowered) - 1), map("your".__eq__, lowered)):  # picked in C: "your" is in few texts
        word = lowered[i + 1]
        if (len(word) >= 6 and word.endswith("ed") and word.isalpha() and _END_MARK.match(text, words[i + 1].end())
                and (z.get(word[:-2], 0) >= 3.0 or z.get(word[:-1], 0) >= 3.0)):
            return [Hit(words[i].start(), words[i + 1].end(), "your_for_youre",
                        f"\"{text[words[i].start():words[i + 1].end()]}\" says \"your\" where \"you're\" belongs.")]
    return []


# A pronoun with a contraction English never joins to it ("I're", "they'm", "you'm"): the small model's slips.
# ("I's" only with a capital I before a lower-case word: "dot the i's" is English.)
_BAD_CONTRACTIONS = frozenset({("i", "re"), ("you", "m"), ("he", "re"), ("he", "m"), ("she", "re"), ("she", "m"),
                               ("it", "re"), ("it", "m"), ("we", "m"), ("they", "m")})
_APOSTROPHE = re.compile(r"['’]")
_PRONOUN_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z]{1,4})$")
_CONTRACTION_AFTER = re.compile(r"(re|m|s)\b", re.IGNORECASE)


def _bad_contraction(text: str) -> list[Hit]:
    """Looked for at each apostrophe (a few per text), not at every word."""
    for a in _APOSTROPHE.finditer(text):
        i = a.start()
        before = _PRONOUN_BEFORE.search(text, max(0, i - 5), i)
        after = _CONTRACTION_AFTER.match(text, i + 1)
        if before is None or after is None:
            continue
        pronoun, tail = before.group(1), after.group(1).lower()
        if (pronoun.lower(), tail) in _BAD_CONTRACTIONS or (
                pronoun == "I" and tail == "s" and re.match(r"\s+[a-z]", text[after.end():after.end() + 3])):
            return [Hit(before.start(), after.end(), "contraction",
                        f"\"{text[before.start():after.end()]}\" is no English contraction.")]
    return []


_LOOP_REPEATS = 4
_STUTTER_REPEATS = 3
_CLAUSE_BREAK = re.compile(r"[,;:.!?\n—–()]")


_CLAUSE_SPAN = re.compile(r"[^,;:.!?\n—–()]+")


def _phrase_loop(text: str, cfg: dict) -> list[Hit]:
    """A two-word phrase said min_times in one clause with no comma between, within max_span words ("a pack that is a
    pack for the hike that is the hike that is the day", "the light of the camp of the night of the light"). Said
    between commas it is a figure of speech ("light for the table, light for the tent, light for the walk")."""
    times, span = cfg["min_times"], cfg["max_span"]
    for c in _CLAUSE_SPAN.finditer(text):
        if c.group().count(" ") < 2 * times + 1:
            continue  # (most clauses: too short to say a pair min_times; counted in C)
        w = c.group().lower().split()
        if len(w) - len(set(w)) < 2 * (times - 1):
            continue  # (most clauses: too few words said again for a pair said min_times)
        pairs = list(zip(w, w[1:]))
        for pair in [p for p, n in Counter(pairs).items() if n >= times]:
            at = list(compress(range(len(pairs)), map(pair.__eq__, pairs)))
            if any(at[k + times - 1] - at[k] <= span for k in range(len(at) - times + 1)):
                return [Hit(c.start(), c.end(), "repeated",
                            f"\"{pair[0]} {pair[1]}\" said {times} times in one clause: a loop.")]
    return []


def _name_stutter(text: str, words: list, lowered: list[str], known: tuple[KnownText, ...], cfg: dict) -> list[Hit]:
    """A made-up name said again and again in a short text ("Marsh Gold, Marsh Gold Deals on All Marshes, Marsh Gold"):
    a capitalised pair said at least twice whose last word comes back capitalised min_times, the pair's first word
    not the kit's or brief's."""
    if len(words) > cfg["max_words"]:
        return []
    caps = [m.group()[:1].isupper() for m in words]
    pairs: dict[tuple[str, str], int] = {}
    for i in range(len(words) - 1):
        if caps[i] and caps[i + 1] and text[words[i].end():words[i + 1].start()] == " ":
            pairs[(lowered[i], lowered[i + 1])] = pairs.get((lowered[i], lowered[i + 1]), 0) + 1
    for (first, last), n in pairs.items():
        if n >= 2 and sum(1 for c, w in zip(caps, lowered) if c and w == last) >= cfg["min_times"] \
                and not known_en(first, known):
            at = lowered.index(first)
            return [Hit(words[at].start(), words[-1].end(), "repeated",
                        f"a name said again and again (\"{words[at].group()} {words[at + 1].group()}\").")]
    return []


# Capitals inside a word where no name has them: one at the end of a lower-case word ("stoP", "trailbaG") or
# alternating ("tRaIl"). Names capitalise a part's first letter ("iPhone", "ReCraft", "macOS").


_SENTENCE_SPAN = re.compile(r"[^.!?…\n]+")


def _genitive_chain(text: str, cfg: dict) -> list[Hit]:
    """Real words chained by "of" ("the birds of the dawn are the loops of watching, the cold of a layer"): min_of
    "of"s in one sentence of at most max_words words, not counting an "of" after a word that takes one in English ("a
    pair of", "one of", "made of", "because of"). In the labelled English sets only garbled copy does this."""
    ok = _of_ok_before(tuple(cfg["ok_before"]))
    need = cfg["min_of"]
    for m in _SENTENCE_SPAN.finditer(text):
        sentence = m.group().lower()
        if sentence.count("of") < need:
            continue  # (most sentences: a substring count in C says no)
        w = [en_key(x.group()) for x in EN_WORD.finditer(sentence)]
        if len(w) > cfg["max_words"]:
            continue
        if sum(1 for i in range(1, len(w)) if w[i] == "of" and w[i - 1] not in ok) >= need:
            return [Hit(m.start(), m.end(), "word_salad",
                        f"{need} or more phrases chained by \"of\" in one sentence: real words with no sense between them.")]
    return []


@lru_cache(maxsize=4)
def _of_ok_before(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


_LOWER_UPPER = re.compile(r"[a-z][A-Z]")  # (what every odd capital has, found without backtracking: most texts have none)


_ODD_TOKEN = re.compile(r"[a-z]{3,}[A-Z]|[a-z]+[A-Z][a-z][A-Z][A-Za-z]*")
_LETTERS_AROUND = re.compile(r"[A-Za-z]*")


def _odd_capitals(text: str) -> list[Hit]:
    """Each lower-case letter followed by a capital (few per text) is looked at with its whole word."""
    for m in _LOWER_UPPER.finditer(text):
        start = m.start()
        while start > 0 and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        end = _LETTERS_AROUND.match(text, m.start()).end()
        if (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum()) \
                and _ODD_TOKEN.fullmatch(text, start, end):
            return [Hit(start, end, "odd_capitals", f"\"{text[start:end]}\": capitals where no word has them.")]
    return []


# Less frequent function words that give a run of words its grammar (prepositions, conjunctions, determiners).
_RUN_BREAKERS = frozenset({"around", "across", "along", "over", "under", "between", "behind", "beyond", "near", "past",
                           "using", "like", "per", "toward", "towards", "against", "during", "inside", "outside", "until",
                           "after", "before", "since", "through", "without", "within", "onto", "upon", "via", "among",
                           "each", "every", "whose", "whether", "although", "unless", "whereas", "while", "once", "than", "yet", "nor",
                           "plus", "versus"})


def _bare_word_run(text: str, words: list, lowered: list[str], cfg: dict) -> list[Hit]:
    """Content words strung together with no grammar: min_words lower-case words in a row, only spaces between them,
    none of them a function word (Zipf >= function_zipf: "the", "of", "with", "is"). English puts a function word,
    a comma or a capital (a name, a title) in a run that long; a list of specs has commas."""
    need = cfg["min_words"]
    if len(words) < need:
        return []
    flag = _content_flags(cfg["function_zipf"])
    flags = "".join(map(flag.__getitem__, lowered))  # (each word's flag looked up in C; most texts have no run)
    at = flags.find("1" * need)
    while at >= 0:
        end = at - 1
        while (end + 1 < len(flags) and flags[end + 1] == "1" and words[end + 1].group()[0].islower()
               and (end < at or text[words[end].end():words[end + 1].start()] == " ")):
            end += 1
        if end - at + 1 >= need:
            first, last = words[at], words[end]
            return [Hit(first.start(), last.end(), "word_salad",
                        f"\"{text[first.start():last.end()]}\": {end - at + 1} content words in a row with no grammar between them.")]
        at = flags.find("1" * need, max(end, at) + 1)
    return []


class _ContentFlags(dict):
    """lower-case word -> "1" when it is a content word (letters only, rarer than a function word, no breaker), else
    "0"; filled on first sight, bounded like off_brief._StemOf."""

    def __init__(self, function_zipf: float) -> None:
        super().__init__()
        self.function_zipf = function_zipf

    def __missing__(self, word: str) -> str:
        if len(self) > 65536:
            self.clear()
        flag = self[word] = "1" if (word.isalpha() and en_zipf().get(word, 0) < self.function_zipf
                                    and word not in _RUN_BREAKERS) else "0"
        return flag


@lru_cache(maxsize=4)
def _content_flags(function_zipf: float) -> _ContentFlags:
    return _ContentFlags(function_zipf)


_WH_WORDS = {"what", "which", "who", "whom", "where", "whatever"}
_DET = {"a", "an", "the", "these", "those", "every", "each", "your", "our", "my", "their", "its"}
_PREP = {"of", "to", "for", "with", "from", "into", "at", "by", "on", "in", "within", "about", "than"}
_NUM = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
_POSS = {"your", "our", "my", "their", "its"}
_PREP_OK = {("in", "to"), ("on", "to"), ("from", "in"), ("from", "on"), ("from", "by"), ("to", "in"), ("of", "in"), ("than", "in"),
            ("than", "at"), ("than", "on"), ("than", "with"), ("than", "by"), ("than", "for"), ("than", "to"), ("than", "from")}


# Conjunctions and relative words that no determiner stands before ("the and", "an which"; "a while" is English).
_CONJ = {"and", "or", "but", "because", "although", "whereas", "which", "who", "when", "if", "than", "while"}
# Prepositions that are never a noun after a determiner ("the under", "a through").
_PREP_NO_DET = {"under", "onto", "upon", "through", "without", "towards", "beneath", "via", "among"}
# Subordinators: two with one word between them do not make a clause ("because lunch when").
_SUBORD = {"because", "when", "while", "although", "whereas", "unless"}
_PRONOUNS = {"i", "you", "we", "they", "he", "she", "it", "there", "this", "that", "then", "so", "not", "only", "even", "just", "and", "or"}
_FUNCTION_LEADS = _DET | _NUM | _PREP  # the first word of every pair the check looks at
_MORE_LEADS = _DET | _SUBORD | {"of", "into"}  # ... and of the pairs _more_pairs adds
_DANGLING_PREP = {"of", "for", "with", "from", "into"}
# Words that never end a clause either, looked at by _more_pairs ("the weight onto.").
_MORE_CLAUSE_ENDERS = frozenset({"onto", "upon", "whose"})
_CLAUSE_END = {".", ",", ";", "!", "?"}
_CLAUSE_ENDERS = frozenset(_DET | _DANGLING_PREP)  # words that may not end a clause


def _more_pairs(text: str, words: list, lowered: list[str]) -> list[tuple[int, int]]:
    """More function words in orders English does not use: a determiner before a conjunction or a preposition
    that is never a noun ("the and", "an which", "the under"; "a while" is English), "of" or "into" before a
    conjunction ("of because"), two subordinators one word apart ("because lunch when"), and a clause that
    ends on "onto", "upon" or "whose". Counted with _function_pairs' pairs."""
    pairs = []
    n = len(lowered)
    for k in compress(range(n - 1), map(_MORE_LEADS.__contains__, lowered)):
        x, y = lowered[k], lowered[k + 1]
        a, b = words[k], words[k + 1]
        if text[a.end() : b.start()].strip():
            continue
        if (x in _DET and (y in _PREP_NO_DET or (y in _CONJ and (x, y) != ("a", "while")))) or (
                x in {"of", "into"} and y in {"and", "or", "but", "because", "although"}):
            pairs.append((a.start(), b.end()))
        elif (x in _SUBORD and k + 2 < n and lowered[k + 2] in _SUBORD and y not in _PRONOUNS
              and not text[b.end() : words[k + 2].start()].strip()):
            pairs.append((a.start(), words[k + 2].end()))
    for m in compress(words, map(_MORE_CLAUSE_ENDERS.__contains__, lowered)):
        if text[m.end() : m.end() + 1] in _CLAUSE_END:
            pairs.append((m.start(), m.end() + 1))
    return pairs


def _function_pairs(text: str, words: list, lowered: list[str], cfg: dict,
                    more: list[tuple[int, int]] | None = None) -> list[Hit]:
    """Word salad of real words: function words in orders English does not use ("the of", "three your",
    "your the", "for of." at a sentence end), with `more` such pairs found elsewhere (_more_pairs). One can
    be a typo; function_pairs_min of them is salad."""
    pairs = []
    # Only the places where a function word leads (picked in C: most words are not one).
    for k in compress(range(len(lowered) - 1), map(_FUNCTION_LEADS.__contains__, lowered)):
        x, y = lowered[k], lowered[k + 1]
        a, b = words[k], words[k + 1]
        if text[a.end() : b.start()].strip():
            continue
        if (x in _DET and (y in _PREP or y in _DET)) or (x in _NUM and y in _POSS) or (
                x in _PREP and y in _PREP and y not in {"about", "within"} and (x, y) not in _PREP_OK):
            pairs.append((a.start(), b.end()))
    for m, w in compress(zip(words, lowered), map(_CLAUSE_ENDERS.__contains__, lowered)):
        if text[m.end() : m.end() + 1] in _CLAUSE_END:
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if not _OF_IS_FINE.search(before):
                pairs.append((m.start(), m.end() + 1))
    if more:
        pairs = sorted(pairs + more)
    if len(pairs) < cfg["function_pairs_min"]:
        return []
    return [Hit(pairs[0][0], pairs[-1][1], "word_salad",
                f"real words in an order English does not use ({len(pairs)} impossible function-word sequences).")]


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (names are short)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _real_word_for_name(words: list, lowered: list[str], keys: set[str], brief_known: tuple[KnownText, ...], cfg: dict, flagged: set[int]) -> list[Hit]:
    """The brief's product name written as another, real word ("Circle" or "Circe" for Cirque): a capitalised
    word a few letters from a name of the brief, while the name itself is nowhere in the text. Only the
    brief's names: the copy is meant to carry them, and a kit's other names may be ordinary words."""
    names = {n for k in brief_known for n in k.names}
    if not names:
        return []
    p = cfg["name_prefix_min"]
    starts = None
    hits = []
    for name in names:
        if name in keys or (name + "s") in keys:
            continue
        starts = starts or {k[:p] for k in keys}
        if name[:p] not in starts:
            continue
        for m, low in zip(words, lowered):
            raw = m.group()
            key = en_key(low)
            if (m.start() in flagged or not raw[0].isupper() or key[:p] != name[:p] or key.startswith(name)
                    or name.startswith(key) or abs(len(key) - len(name)) > cfg["name_real_word_edits"]):
                continue
            if _edits(key, name) <= cfg["name_real_word_edits"]:
                hits.append(Hit(m.start(), m.end(), "mangled_name",
                                f"\"{raw}\" stands where the brief's name \"{name.capitalize()}\" should be: a mangled name."))
    return hits


def _name_word_slip(words: list, lowered: list[str], brief_known: tuple[KnownText, ...], flagged: set[int]) -> list[Hit]:
    """A word of the brief's name misspelt right after the name's other word (issue 13, G11, blind13: "Talus Down
    Jackt", "Harbour Pro Shel", "Mesa Sun Hoody", "Northpeak ReKraft"): a capitalised word after a capitalised word of
    the brief, not itself the brief's, that is one letter edit (two for 6+ letters) from a brief word of 4+ letters with
    the same first letter, rarer than Zipf 3, and not that word with a plural or possessive ending."""
    every = {w for k in brief_known for w in k.en}
    brief = {w for w in every if len(w) >= 4 and w.isalpha()}
    if not brief:
        return []
    hits = []
    for i in range(1, len(words)):
        raw, key, before = words[i].group(), lowered[i], words[i - 1].group()
        if (words[i].start() in flagged or not raw[:1].isupper() or not before[:1].isupper() or lowered[i - 1] not in every
                or not key.isalpha() or len(key) < 3 or key in brief or known_en(key, brief_known)
                or words[i].start() - words[i - 1].end() != 1 or en_zipf().get(key, 0.0) >= 3.0):
            continue  # (one space between: one name; a common word, "Frost" by "frosty", is no slip)
        for w in brief:
            if (w[0] != key[0] or key in (w + "s", w + "es") or w in (key + "s", key + "es")
                    or abs(len(w) - len(key)) > 2):
                continue
            if _edits(key, w) <= (2 if len(w) >= 6 else 1):
                hits.append(Hit(words[i].start(), words[i].end(), "mangled_name",
                                f"\"{before} {raw}\": \"{raw}\" is the brief's \"{w}\" misspelt."))
                break
    return hits


def _derived_from_brief(key: str, brief: tuple[KnownText, ...], suffixes: tuple[str, ...]) -> str | None:
    """A brief's own word with a suffix that makes no word ("sleetful" <- sleet, "fleecery" <- fleece; G13, blind15
    read): the brief's words are rarer than the common stems _derived_from looks for, so they are looked up here."""
    for suffix in suffixes:
        if not key.endswith(suffix) or len(key) - len(suffix) < 4:
            continue
        stem = key[: -len(suffix)]
        for c in (stem, stem + "e"):
            if known_en(c, brief):
                return c
    return None


@lru_cache(maxsize=65536)  # pure: the same unknown words come back
def _derived_from(key: str, stem_zipf: float, suffixes: tuple[str, ...]) -> str | None:
    """The common word an unknown word is made from with a suffix ("hillation" <- hill, "bucklery" <- buckle,
    "runnity" <- run, "hoodiness" <- hoody), or None."""
    z = en_zipf()
    for suffix in suffixes:
        if not key.endswith(suffix) or len(key) - len(suffix) < 3:
            continue
        stem = key[: -len(suffix)]
        candidates = [stem, stem + "e"]
        if len(stem) > 3 and stem[-1] == stem[-2]:
            candidates.append(stem[:-1])  # runn-ity
        if stem.endswith("i"):
            candidates.append(stem[:-1] + "y")  # hoodi-ness
        for c in candidates:
            if z.get(c, 0) >= stem_zipf:
                return c
    return None


_SENTENCE_SPLIT = re.compile(r"[.!?;\n]+")


def _permuted_loop(text: str, lowered: list[str], cfg: dict) -> list[Hit]:
    """A loop that permutes the same words: min_sentences sentences of min_words+ words with one set of content
    words ("Fix the cuff, keep the coat. Fix the coat, keep the cuff. Fix the keep, cuff the coat.")."""
    times = cfg["min_sentences"]
    if text.count(".") + text.count("!") + text.count("?") + text.count(";") < times - 1:
        return []  # most texts: too few sentences
    z = en_zipf()
    # Each content word of a loop is said in every sentence of it (most texts: not min_content words that often).
    if sum(1 for w, c in Counter(lowered).items() if c >= times and z.get(w, 0) < 6.0) < cfg["min_content"]:
        return []
    groups: dict[frozenset, list[tuple[int, int]]] = {}
    pos = 0
    for piece in _SENTENCE_SPLIT.split(text):
        start = text.find(piece, pos)
        pos = start + len(piece)
        words = [w.lower() for w in EN_WORD.findall(piece)]
        if len(words) < cfg["min_words"]:
            continue
        content = frozenset(w for w in words if z.get(w, 0) < 6.0)
        if len(content) >= cfg["min_content"]:
            groups.setdefault(content, []).append((start, pos))
    for content, spans in groups.items():
        if len(spans) >= cfg["min_sentences"]:
            return [Hit(spans[0][0], spans[-1][1], "permuted_loop",
                        f"{len(spans)} sentences that shuffle the same words ({', '.join(sorted(content)[:5])}): a loop.")]
    return []


_HYPHEN_END = re.compile(r"([A-Za-z]+)-([A-Za-z]+)")


def _clipped_after_hyphen(text: str, cfg: dict) -> Hit | None:
    """A word cut off after a hyphen at the end ("Roll-T", "Warm-U"): no closing punctuation, the fragment no
    word (Zipf < max_zipf, at most max_letters letters), the word before it a real one, not a type or grade
    ("USB-C", "Plan-B")."""
    if "-" not in text:
        return None
    tail = text.rstrip()
    start = max(tail.rfind(" "), tail.rfind("\n")) + 1  # the last token, matched whole
    m = _HYPHEN_END.fullmatch(tail, start)
    if m is None:
        return None
    first, frag = m.group(1).lower(), m.group(2).lower()
    if (len(first) < cfg["first_min_letters"] or len(frag) > cfg["max_letters"] or first in cfg["names"]
            or (len(frag) > 1 and en_zipf().get(frag, 0) >= cfg["max_zipf"]) or en_zipf().get(first, 0) < cfg["max_zipf"]):
        return None
    return Hit(m.start(2), m.end(2), "clipped_words", f"\"{m.group()}\" is a word cut off after its hyphen.")


from studio.checks.quality import garbled_clipped  # noqa: E402 - it imports Hit from here
