"""Line breaking for English (by word) and Chinese (by character, with kinsoku rules) and fitting a box."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studio.imaging.fonts import is_cjk, load_font

# A line may not start with closing punctuation nor end with opening punctuation.
NO_LINE_START = set("，。、．,.!！?？;；:：)）]］}｝〕〉》」』】〙〗〟’”›»…‥・ー～%％々ゝゞ")
NO_LINE_END = set("(（[［{｛〔〈《「『【〘〖〝‘“‹«")


def tokenize(text: str) -> list[str]:
    """Break opportunities: each CJK character is its own token; Latin words keep their trailing space."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if is_cjk(ch) or ch in NO_LINE_START or ch in NO_LINE_END:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch.isspace():
            word += " "
            tokens.append(word)
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return [t for t in tokens if t]


def wrap(text: str, font_path: str | Path, size: int, max_width: float) -> list[str]:
    font = load_font(str(font_path), size)
    lines: list[list[str]] = []
    current: list[str] = []
    for token in tokenize(" ".join(text.split())):
        candidate = "".join(current + [token]).rstrip()
        if not current or font.getlength(candidate) <= max_width:
            current.append(token)
            continue
        # Breaking before `token`: keep closing punctuation off the next line's start and opening
        # punctuation off this line's end by carrying characters over to the next line.
        carried: list[str] = []
        while len(current) > 1:
            head = (carried or [token])[0]
            if head[:1] in NO_LINE_START or current[-1][-1:] in NO_LINE_END:
                carried.insert(0, current.pop())
            else:
                break
        lines.append(current)
        current = carried + [token]
    if current:
        lines.append(current)
    return ["".join(line).strip() for line in lines if "".join(line).strip()]


@dataclass
class FittedText:
    lines: list[str]
    size: int
    line_height: int
    font_path: Path
    width: int
    height: int


def fit(text: str, font_path: Path, *, max_width: int, max_height: int, max_size: int, min_size: int,
        max_lines: int = 4, leading: float = 1.18) -> FittedText:
    """Largest size whose wrapped lines fit the box; at the smallest size, truncate with an ellipsis."""
    size = max_size
    while True:
        lines = wrap(text, font_path, size, max_width)
        line_height = int(size * leading)
        if (len(lines) <= max_lines and line_height * len(lines) <= max_height) or size <= min_size:
            break
        size = max(min_size, int(size * 0.92))
    font = load_font(str(font_path), size)
    allowed = max(1, min(max_lines, max_height // max(1, line_height)))
    if len(lines) > allowed:
        lines = lines[:allowed]
        last = lines[-1]
        while last and font.getlength(last + "…") > max_width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    width = int(max((font.getlength(line) for line in lines), default=0))
    return FittedText(lines, size, line_height, font_path, width, line_height * len(lines))
