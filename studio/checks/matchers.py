"""Turn the literal terms of a rule pack into regular expressions that survive real copy.

English terms get word boundaries, optional inflections on the last word, flexible spacing and
hyphens, and also match at the start of a hashtag (#bestjacket). Chinese terms tolerate spacing,
dots and emoji inserted between characters ("最 好", "最·佳", "最🔥好").
"""

from __future__ import annotations

import re

from studio.language import has_han as has_cjk

# What may sit between two characters of a Chinese term without changing it.
CJK_GAP = r"(?:[\s\u00b7\u30fb\u2022.\-_*~|/\\'\"]|[\U0001F300-\U0001FAFF\u2600-\u27BF\ufe0f]){0,3}"
_WORD = re.compile(r"[a-z]+")


def _inflect(word: str) -> str:
    """A regex for a word and its regular inflections (plural, -ed, -ing)."""
    esc = re.escape(word)
    if not _WORD.fullmatch(word) or len(word) < 3:
        return esc
    if word.endswith("e"):
        return re.escape(word[:-1]) + "(?:e|es|ed|ing)"
    if word.endswith("y") and word[-2] not in "aeiou":
        return re.escape(word[:-1]) + "(?:y|ies|ied|ying)"
    return esc + "(?:s|es|ed|ing)?"


def term_regex(term: str, inflect: bool = True) -> str:
    term = term.strip().lower()
    if has_cjk(term):
        chars = [c for c in term if not c.isspace()]
        parts = []
        for i, c in enumerate(chars):
            parts.append(re.escape(c))
            if i + 1 < len(chars) and (has_cjk(c) or has_cjk(chars[i + 1])):
                parts.append(CJK_GAP)
        return "".join(parts)
    words = re.split(r"[\s\-]+", term)
    body = r"[\s\-]*".join(re.escape(w) for w in words[:-1])
    last = _inflect(words[-1]) if inflect else re.escape(words[-1])
    body = body + (r"[\s\-]*" if body else "") + last
    # \b rather than a lookbehind at the start: re can then skip ahead by the first character,
    # which makes a pack of alternations ~10x faster on long copy.
    left = r"\b" if term[0].isalnum() or term[0] == "_" else ""
    right = r"\b" if term[-1].isalnum() or term[-1] == "_" else ""
    plain = f"{left}{body}{right}"
    if term[0].isalpha():  # also at the start of a hashtag: #bestjacket (first char literal, then look back)
        first = re.escape(term[0])
        rest = body[len(re.escape(term[0])):] if body.startswith(re.escape(term[0])) else None
        if rest is not None:
            return f"(?:{plain}|{first}(?<=#{first}){rest})"
    return plain


def fast_lead(p: str) -> str:
    r"""The same regex as term_regex()'s (or kit_rules._literal's) output `p`, written so that re can skip ahead.

    A leading word boundary hides the first character from re's search, which then tries every
    alternative at every position (~20 µs per rule on a 100-word text); `\bc` is rewritten as
    `c(?<=\bc)` (the same test, made after the literal), so re jumps straight to the candidates
    (~7x faster). Matches, spans and alternative order are unchanged. Only for generated term
    regexes: hand-written patterns are left alone.
    """
    if p.startswith("(?:\\b"):  # the hashtag form: (?:\bbody\b|f(?<=#f)rest)
        return "(?:" + fast_lead(p[3:])
    if p.startswith("\\b") and len(p) > 3 and (p[2].isalnum() or p[2] == "_") and p[3] not in "?*+{":
        c = p[2]
        return f"{c}(?<=\\b{c}){p[3:]}"
    return p


def compile_alternation(terms: list[str], patterns: list[str], inflect: bool = True) -> re.Pattern | None:
    # (as built, as compiled): the order is decided on the built form, as it always was.
    parts = [(r, fast_lead(r)) for r in (term_regex(t, inflect) for t in terms if t.strip())]
    parts += [(p, p) for p in patterns]
    if not parts:
        return None
    # Longest first so that "best-in-class" wins over "best" at the same position.
    parts.sort(key=lambda x: len(x[0]), reverse=True)
    # The text is already lower-cased by normalize(); patterns are written in lower case.
    return re.compile("|".join(f"(?:{p})" for _, p in parts))
