"""The `accessibility` check: copy that screen readers or low-vision readers struggle with (always warn).

- multi-word hashtags not in CamelCase: a screen reader reads #rainready as one made-up word; #RainReady as two.
  The words are found with wordfreq's English frequencies (a split whose every part is a common word).
- emoji for words ("I ❤️ tea", "我❤️茶") and emoji runs: each emoji is read out by its full name.
- all-caps runs: some screen readers spell them letter by letter, and they are harder to read for everyone.
- link text that says nothing out of context ("click here", "点击这里", a call to action of just "Learn more").
- strings of symbols (★彡, →→→, ~~~) that are read out one symbol at a time.
- English reading level (Flesch-Kincaid grade, textstat) above what the kit sets for the channel.

Spans are character offsets into the checked text, like every other finding.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from studio.domain import Channel, Finding, Severity

CATEGORY = "accessibility"
# Flesch-Kincaid is noise on a headline: the reading level is measured on texts of at least this many words.
MIN_WORDS_FOR_READING_LEVEL = 30
# US school grade; plain-language guidance for a general audience aims at grade 8-9.
DEFAULT_READING_GRADE = 9.0
# A hashtag part must be at least this common (wordfreq Zipf scale: 3 = once per million words).
MIN_WORD_ZIPF = 3.0
EMOJI_RUN = 3  # this many emoji in a row
CAPS_RUN_LETTERS = 8  # an all-caps run of two or more words with at least this many letters
CAPS_WORD_LETTERS = 5  # a single all-caps word this long that is an ordinary word (SUMMER), not an acronym
SYMBOL_RUN = 3

_EMOJI_CHARS = (
    "\U0001F300-\U0001FAFF"  # pictographs, emoticons, transport, supplemental symbols
    "\U0001F000-\U0001F2FF"  # mahjong, cards, enclosed alphanumerics/ideographs
    "\u2600-\u27BF"  # miscellaneous symbols, dingbats
    "\u2B00-\u2BFF"  # arrows and stars used as emoji (⭐ ⬆)
    "\u2300-\u23FF"  # ⌚ ⏰
)
_EMOJI_JOINERS = "\uFE0F\uFE0E\u200D\U0001F3FB-\U0001F3FF\u20E3"
EMOJI = f"[{_EMOJI_CHARS}][{_EMOJI_JOINERS}]*(?:[{_EMOJI_CHARS}][{_EMOJI_JOINERS}]*)*"
_EMOJI_ONE = re.compile(f"[{_EMOJI_CHARS}][{_EMOJI_JOINERS}]*")
_EMOJI_ANY = re.compile(f"[{_EMOJI_CHARS}]")  # every emoji finding holds one: without it the emoji scans are skipped
_EMOJI_RUN = re.compile(f"(?:[{_EMOJI_CHARS}][{_EMOJI_JOINERS}]*[ \u3000]?){{{EMOJI_RUN},}}")
# An emoji with a word on both sides on one line: it stands for a word ("Get your ☕ on", "我❤️茶").
_WORD = r"[A-Za-z\u4e00-\u9fff]"
_EMOJI_FOR_WORD = re.compile(f"(?<={_WORD})[ ]?({EMOJI})[ ]?(?={_WORD})")
_HASHTAG = re.compile(r"(?<![\w#])#([A-Za-z][A-Za-z0-9]{5,})\b")
_CAPS_WORD = r"[A-Z][A-Z'’]*[A-Z]"
_CAPS_RUN = re.compile(rf"\b{_CAPS_WORD}(?:[ \t]+(?:&[ \t]+)?{_CAPS_WORD})+\b")
_CAPS_SINGLE = re.compile(rf"\b[A-Z]{{{CAPS_WORD_LETTERS},}}\b")
_CAPS_ANY = re.compile(_CAPS_WORD)  # both caps patterns need one (found fast: it starts with a class, not \b)
_LINK_TEXT = re.compile(
    r"\b(?:click|tap|press)\s+(?:here|this\s+link|below)\b|\bclick\s+(?:on\s+)?this\b|"
    r"\b(?:read|learn|find\s+out)\s+more\s+here\b|"
    r"点击这里|点击此处|点这里|戳这里|点此处|点此链接|点击链接",
    re.IGNORECASE,
)
# Every _LINK_TEXT match starts with one of these words; in ASCII text, lower() is exactly the case-folding
# re.IGNORECASE does, so a text holding none of them is not scanned (non-ASCII text always is).
_LINK_WORDS = ("click", "tap", "press", "read", "learn", "find")
# A call to action that is only these words tells a screen-reader user (who lists the links) nothing.
_VAGUE_CTA = re.compile(r"^\s*(?:click here|here|more|read more|learn more|click|tap here|details|"
                        r"点击|点击这里|这里|更多|了解更多|查看更多)\s*[.!。！>»→]*\s*$", re.IGNORECASE)
# Punctuation that reads fine (sentence marks, brackets, quotes, dashes, ellipses) is not a symbol string.
_READABLE_PUNCT = set(".,;:!?'\"()[]{}-–—…/&%@#*+=，。！？；：、“”‘’（）【】《》「」『』〈〉·～~")

_SYMBOL_CANDIDATES = re.compile(
    "[^\\w\\s" + re.escape("".join(sorted(_READABLE_PUNCT - {"~", "～"}))) + f"]{{{SYMBOL_RUN},}}")


def _is_symbol(ch: str) -> bool:
    if ch in _READABLE_PUNCT or _EMOJI_ONE.fullmatch(ch):
        return False
    cat = unicodedata.category(ch)
    return cat[0] in "SP" or ch in "~～"


@lru_cache(maxsize=65536)
def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


@lru_cache(maxsize=4096)
def split_words(tag: str) -> tuple[str, ...] | None:
    """The most likely split of a lower-case run of letters into two or more common English words, or None.
    Dynamic programming over split points, scoring each part by its Zipf frequency."""
    s = tag.lower()
    n = len(s)
    best: list[tuple[float, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0.0, ())
    for end in range(1, n + 1):
        for start in range(max(0, end - 20), end):
            prev = best[start]
            part = s[start:end]
            if prev is None or (len(part) < 2 and part not in ("a", "i")) or part.isdigit():
                continue
            z = _zipf(part)
            # the whole tag as one word needs only to be a word at all (#layering, #raincoat)
            if z < MIN_WORD_ZIPF and not (start == 0 and end == n and z > 0):
                continue
            # a unigram model: log10 of the word's frequency is Zipf - 9, so each extra word costs
            # ("trail running", not "tr a i lr un ni ng")
            score = prev[0] + z - 9
            if best[end] is None or score > best[end][0]:
                best[end] = (score, prev[1] + (part,))
    found = best[n]
    if found is None or len(found[1]) < 2:
        return None
    return found[1]


def _needs_case(tag: str) -> bool:
    """All lower case or all capitals: the reader cannot tell where words start. #RainReady marks them, and
    #Northpeak, #Daypack (a capital only at the start) reads as one name."""
    letters = re.sub(r"[^A-Za-z]", "", tag)
    if not (letters.islower() or letters.isupper()):
        return False
    return _zipf(tag.lower()) < MIN_WORD_ZIPF  # not one word (#hiking, #autumn)


_READING_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_LINE_END = re.compile(r"[.!?:;]$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def reading_grade(text: str) -> float | None:
    """Flesch-Kincaid grade of an English text long enough to measure (None when it is not)."""
    words = _READING_WORD.findall(text)
    if len(words) < MIN_WORDS_FOR_READING_LEVEL:
        return None
    # A line without an end mark (a heading, a list item, a sign-off) is a sentence of its own, not the start
    # of one long sentence with the next line.
    lines = [ln.strip(" #*-•\t") for ln in text.splitlines()]
    joined = " ".join(ln if _LINE_END.search(ln) else f"{ln}." for ln in lines if ln)
    return float(flesch_kincaid_grade(joined))


TEXTSTAT_LANG = "en_US"  # textstat's default, which textstat.flesch_kincaid_grade uses

# textstat's own expressions (backend/transformations/_remove_punctuation.py, counts/_count_sentences.py),
# compiled once: its functions look them up by string on every call, and count_sentences counts the words
# of every sentence through two more cached function layers.
_TS_APOSTROPHE = re.compile(r"\'(?!" + r"[tsd]|ve|ll|re" + ")")  # constants.RE_NONCONTRACTION_APOSTROPHE
_TS_PUNCTUATION = re.compile(r"[^\w\s\']")
_TS_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")


def _ts_words_text(text: str) -> str:
    """textstat's remove_punctuation(text, rm_apostrophe=False)."""
    return _TS_PUNCTUATION.sub("", _TS_APOSTROPHE.sub("", text))


def _ts_count_words(text: str) -> int:
    """textstat's count_words(text): its list_words(text) with the default arguments, counted."""
    return len(_ts_words_text(text).split())


def _ts_count_sentences(text: str) -> int:
    """textstat's count_sentences(text): sentences, less those of two words or fewer, at least 1."""
    if len(text) == 0:
        return 0
    sentences = _TS_SENTENCE.findall(text)
    # removing punctuation never splits a word, so a sentence of <= 2 whitespace-separated pieces has <= 2 words
    ignore_count = sum(1 for s in sentences if len(s.split()) <= 2 or _ts_count_words(s) <= 2)
    return max(1, len(sentences) - ignore_count)


def flesch_kincaid_grade(text: str) -> float:
    """textstat.flesch_kincaid_grade(text), the same number, with each word's syllables looked up once.

    textstat (0.7.8, pinned) counts a text's syllables word by word from cmudict and caches per text
    only, so every new text pays the lookups again (most of the check's reading-level time). The words,
    sentences and formula are textstat's own (its backend functions, written out above with the same
    expressions; tests/test_checks_speed_equivalence.py compares the grade with textstat's)."""
    cleaned = _ts_words_text(text)
    words = len(cleaned.split())
    sentences = _ts_count_sentences(text)
    sentence_length = words / sentences if sentences else 0.0  # textstat: ZeroDivisionError -> 0.0
    # textstat's list_words(text, lowercase=True): punctuation removed, then lower-cased, then split
    syllable_count = sum(map(word_syllables, cleaned.lower().split())) if text else 0
    syllables = syllable_count / words if words else 0.0
    if sentence_length == 0 or syllables == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * syllables) - 15.59


@lru_cache(maxsize=65536)
def word_syllables(word: str) -> int:
    """Syllables of one lower-case word, as textstat's count_syllables counts them (cmudict, else pyphen)."""
    from textstat.backend.utils import get_cmudict, get_pyphen

    try:
        cmu_phones = get_cmudict(TEXTSTAT_LANG)[word][0]
        return sum(1 for p in cmu_phones if p[-1].isdigit())
    except (TypeError, IndexError, KeyError):
        return len(get_pyphen(TEXTSTAT_LANG).positions(word)) + 1


class AccessibilityCheck:
    """One per Checker: knows the kit's reading-level settings and the words it must not flag (trademarks,
    its disclosure lines)."""

    def __init__(self, kit=None) -> None:
        self.kit = kit.kit if kit is not None else None
        protected = []
        if self.kit is not None:
            protected += [d.text for d in self.kit.disclosures]
            protected += [t.correct for t in self.kit.vocabulary.trademarks]
            protected += [self.kit.name]
            protected += [c.claim for c in self.kit.claims.substantiated]  # "bluesign® APPROVED"
        self._protected = [p for p in protected if p]
        ordered = sorted(set(self._protected), key=len, reverse=True)
        self._shield = re.compile("|".join(re.escape(p) for p in ordered)) if ordered else None
        # names a hashtag may carry as one word (#northpeak, #recraft)
        self._names = {re.sub(r"[^a-z0-9]", "", w.lower()) for w in self._name_parts()}

    def _name_parts(self) -> list[str]:
        if self.kit is None:
            return []
        names = [self.kit.name, self.kit.id] + [t.correct for t in self.kit.vocabulary.trademarks]
        return names + [w for n in names for w in n.split()]

    def max_grade(self, channel: Channel | None) -> float:
        settings = getattr(self.kit, "accessibility", None)
        if settings is None:
            return DEFAULT_READING_GRADE
        grades = settings.reading_grade
        if channel is not None and channel.id in grades:
            return grades[channel.id]
        return grades.get("*", DEFAULT_READING_GRADE)

    def findings(self, text: str, field: str | None = None, channel: Channel | None = None) -> list[Finding]:
        if not text or not text.strip():
            return []
        shields = [m.span() for m in self._shield.finditer(text)] if self._shield is not None else []
        out: list[Finding] = []

        def add(rule: str, s: int, e: int, message: str, suggestion: str) -> None:
            if any(a <= s and e <= b for a, b in shields):
                return
            out.append(Finding(rule=f"accessibility.{rule}", category=CATEGORY, severity=Severity.warn, start=s,
                               end=e, text=text[s:e], message=message, suggestion=suggestion, field=field))

        self._hashtags(text, add)
        self._emoji(text, add)
        self._caps(text, add)
        self._symbols(text, add)
        self._links(text, field, channel, add)
        self._reading_level(text, channel, add)
        return out

    # ------------------------------------------------------------------ the parts

    def _hashtags(self, text: str, add) -> None:
        for m in _HASHTAG.finditer(text):
            tag = m.group(1)
            if not _needs_case(tag) or tag.lower() in self._names:
                continue
            words = split_words(re.sub(r"\d+$", "", tag))
            if words:
                camel = "".join(w.capitalize() for w in words) + tag[len("".join(words)):]
                add("hashtag_case", m.start(), m.end(),
                    f"screen readers read '{m.group()}' as one word; it is {len(words)} words.",
                    f"write #{camel}")

    def _emoji(self, text: str, add) -> None:
        if _EMOJI_ANY.search(text) is None:
            return
        runs = []
        for m in _EMOJI_RUN.finditer(text):
            s, e = m.start(), m.end() - (1 if m.group()[-1] in " \u3000" else 0)
            runs.append((s, e))
            add("emoji_run", s, e, f"{len(_EMOJI_ONE.findall(m.group()))} emoji in a row: a screen reader reads "
                "out each one's name.", "keep one emoji, or none")
        for m in _EMOJI_FOR_WORD.finditer(text):
            s, e = m.span(1)
            if any(a <= s < b for a, b in runs):
                continue
            add("emoji_for_word", s, e, f"'{m.group(1)}' stands for a word: a screen reader reads the emoji's "
                "name instead, and not everyone reads emoji the same way.", "write the word; an emoji may follow it")

    def _caps(self, text: str, add) -> None:
        if _CAPS_ANY.search(text) is None:
            return
        taken = []
        for m in _CAPS_RUN.finditer(text):
            letters = sum(c.isalpha() for c in m.group())
            if letters >= CAPS_RUN_LETTERS and self._caps_words(m.group()):
                taken.append(m.span())
                add("all_caps", m.start(), m.end(), f"'{m.group()}' is in capitals: screen readers may spell it "
                    "out letter by letter, and capitals are harder to read.", "write it in sentence case")
        for m in _CAPS_SINGLE.finditer(text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            # an ordinary word in capitals (SUMMER, HURRY), not an acronym or code (PFAS, GRS)
            if _zipf(m.group().lower()) >= 3.5 and not self._caps_allowed(m.group()):
                add("all_caps", m.start(), m.end(), f"'{m.group()}' is in capitals: screen readers may spell it "
                    "out, and capitals are harder to read.", f"write '{m.group().capitalize()}'")

    def _caps_words(self, run: str) -> bool:
        """A run is shouting when most of its words are ordinary words, not acronyms (RDS, ISO, EU)."""
        words = re.findall(r"[A-Z][A-Z'’]*", run)
        ordinary = [w for w in words if len(w) >= 3 and _zipf(w.lower()) >= 3.5 and not self._caps_allowed(w)]
        return len(ordinary) >= 2

    def _caps_allowed(self, word: str) -> bool:
        return any(word in p for p in self._protected)

    def _symbols(self, text: str, add) -> None:
        # candidates first (runs of characters that are neither word, space nor readable punctuation), so
        # ordinary text costs one regex scan
        for m in _SYMBOL_CANDIDATES.finditer(text):
            i, end = m.start(), m.end()
            while i < end:
                if not _is_symbol(text[i]):
                    i += 1
                    continue
                j = i
                while j < end and _is_symbol(text[j]):
                    j += 1
                if j - i >= SYMBOL_RUN:
                    add("symbol_string", i, j, f"'{text[i:j]}' is read out one symbol at a time.",
                        "leave the symbols out or say it in words")
                i = max(j, i + 1)

    def _links(self, text: str, field, channel, add) -> None:
        lower = text.lower()  # (once, not once per word)
        scan = not text.isascii() or any(w in lower for w in _LINK_WORDS)
        for m in _LINK_TEXT.finditer(text) if scan else ():
            add("link_text", m.start(), m.end(), f"'{m.group()}' says nothing about where the link goes: "
                "screen-reader users often list the links on a page.", "name the destination: 'See the Ridgeback "
                "Shell', '查看冷泡茶的冲泡方法'")
        if channel is not None and field is not None:
            try:
                role = channel.field(field).role
            except KeyError:
                role = None
            if role == "cta" and _VAGUE_CTA.match(text):
                s = len(text) - len(text.lstrip())
                add("link_text", s, len(text.rstrip()), f"the call to action '{text.strip()}' says nothing about "
                    "where it leads.", "name what the reader gets: 'See the Ridgeback Shell'")

    def _reading_level(self, text: str, channel, add) -> None:
        if _HAN.search(text):
            return  # Flesch-Kincaid measures English only
        grade = reading_grade(text)
        limit = self.max_grade(channel)
        if grade is not None and grade > limit:
            where = f" for {channel.name}" if channel is not None else ""
            add("reading_level", 0, len(text), f"reads at US grade {grade:.1f} (Flesch-Kincaid); the kit aims for "
                f"{limit:g} or lower{where}.", "shorter sentences and shorter words")
