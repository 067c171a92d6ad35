"""Input limits: how much text, how large a file and how deep a JSON document any entry point accepts.

One place, so the CLI, batch, the app and future entry points (MCP) give the same answer. Each limit is
a setting (environment variable STUDIO_MAX_<NAME>, e.g. STUDIO_MAX_BRIEF_CHARS=4000); the defaults are
sized from measurements:

- check_text_chars: the checker's time grows faster than the text (measured on copy dense with
  findings, no kit: 50,000 characters 0.9 s, 100,000 3.2 s, 200,000 19 s; a 50 MB text ran > 300 s at
  3.7 GB RSS). Marketing copy is far shorter: the longest channel (landing) holds a few thousand.
- the byte limits are checked before a file is read (its size) or while it is read (stdin), so an
  oversized input never reaches memory.
- json_depth: a batch row or a check line is an object holding at most a list (depth 2); Python's own
  parser fails with RecursionError near depth 1,000, which the limit stays far below.

Every refusal is a LimitError (a ValueError, so the app shows it as it is) whose message is one line
naming the file, field or row and the limit.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any, BinaryIO

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


class Limits(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIO_MAX_", extra="ignore")

    check_text_chars: int = Field(default=50_000, ge=1, description="characters in one text to check")
    check_input_bytes: int = Field(default=16 * MiB, ge=1,
                                   description="bytes of a `studio check` FILE, stdin or --jsonl file")
    check_line_bytes: int = Field(default=512 * 1024, ge=1, description="bytes of one `studio check --jsonl` line")
    brief_chars: int = Field(default=2_000, ge=1, description="characters of a brief's text")
    brief_field_chars: int = Field(default=500, ge=1,
                                   description="characters of a brief's product, offer, objective, key message")
    note_chars: int = Field(default=2_000, ge=1,
                            description="characters of a review note, reason, override reason or comment")
    batch_file_bytes: int = Field(default=20 * MiB, ge=1, description="bytes of a batch file")
    batch_line_bytes: int = Field(default=64 * 1024, ge=1,
                                  description="bytes of one batch line (JSONL line or CSV record)")
    batch_rows: int = Field(default=10_000, ge=1, description="rows in a batch file")
    json_depth: int = Field(default=16, ge=1, description="nesting depth of a JSON document")
    kit_yaml_bytes: int = Field(default=1 * MiB, ge=1, description="bytes of a kit.yaml")


@cache
def get_limits() -> Limits:
    return Limits()


class LimitError(ValueError):
    """Input over a limit, or not text at all. One line: where, what, and the limit."""


def _env(name: str) -> str:
    return f"STUDIO_MAX_{name.upper()}"


def _at(where: str) -> str:
    """The message's prefix: "WHERE: ", or nothing when the caller names the place itself."""
    return f"{where}: " if where else ""


def _size(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


# --------------------------------------------------------------------------- text


def check_text(value: str | None, where: str, limit: str) -> str | None:
    """`value` when it is text within the limit named `limit` (a Limits field, e.g. "note_chars")."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise LimitError(f"{_at(where)}expected text, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # undecodable bytes from argv or a file read with surrogateescape
        raise LimitError(f"{_at(where)}not UTF-8 text (undecodable byte at character {exc.start})") from None
    if "\x00" in value:
        raise LimitError(f"{_at(where)}binary data (NUL character at {value.index(chr(0))}), not text")
    maximum = getattr(get_limits(), limit)
    if len(value) > maximum:
        raise LimitError(f"{_at(where)}{len(value):,} characters, the limit is {maximum:,} ({_env(limit)})")
    return value


def check_brief_fields(fields: dict[str, str | None], where: str = "brief") -> None:
    """A brief's text and its short fields (product, offer, objective, key_message) within their limits."""
    for name, value in fields.items():
        label = where if name == "text" else f"{where} {name}"
        check_text(value, label, "brief_chars" if name == "text" else "brief_field_chars")


def decode_text(data: bytes, where: str) -> str:
    """Strict UTF-8 (a leading BOM is dropped); binary input (a NUL byte) is refused."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise LimitError(f"{_at(where)}binary data (NUL byte at offset {nul}), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LimitError(f"{_at(where)}not UTF-8 text (invalid byte at offset {exc.start})") from None


# --------------------------------------------------------------------------- files


def check_file_size(path: str | os.PathLike, where: str, limit: str) -> None:
    """Refuse a file over the byte limit named `limit` before reading it (FileNotFoundError etc. pass)."""
    maximum = getattr(get_limits(), limit)
    size = os.stat(path).st_size
    if size > maximum:
        shown, cap = _size(size), _size(maximum)
        if shown == cap:  # 1.0 MB over a 1.0 MB limit reads as no excess: say it in bytes
            shown, cap = f"{size:,} bytes", f"{maximum:,} bytes"
        raise LimitError(f"{_at(where)}{shown}, the limit is {cap} ({_env(limit)})")


def read_bounded(stream: BinaryIO, where: str, limit: str) -> bytes:
    """Read a stream (stdin) up to the byte limit named `limit`; refuse it, unread beyond, when larger."""
    maximum = getattr(get_limits(), limit)
    data = stream.read(maximum + 1)
    if len(data) > maximum:
        raise LimitError(f"{_at(where)}over the limit of {_size(maximum)} ({_env(limit)})")
    return data


def check_line_size(line: str, where: str, limit: str) -> None:
    maximum = getattr(get_limits(), limit)
    # Characters first (cheap); bytes only when the characters alone could exceed the limit.
    if len(line) * 4 > maximum and len(line.encode("utf-8", "surrogatepass")) > maximum:
        raise LimitError(f"{_at(where)}line of {_size(len(line.encode('utf-8', 'surrogatepass')))}, "
                         f"the limit is {_size(maximum)} ({_env(limit)})")


def check_count(count: int, where: str, what: str, limit: str) -> None:
    maximum = getattr(get_limits(), limit)
    if count > maximum:
        raise LimitError(f"{_at(where)}more than {maximum:,} {what}, the limit is {maximum:,} ({_env(limit)})")


# --------------------------------------------------------------------------- JSON


def json_depth(obj: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar 0, {} or [] 1), without recursion."""
    deepest = 0
    stack = [(obj, 1)] if isinstance(obj, (dict, list)) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads_json(text: str, where: str) -> Any:
    """json.loads within the depth limit; json.JSONDecodeError passes through for the caller's message."""
    maximum = get_limits().json_depth
    # No more brackets than the limit: cannot be too deep, parse right away (every ordinary line).
    if text.count("[") + text.count("{") <= maximum:
        return json.loads(text)
    try:
        obj = json.loads(text)
    except RecursionError:
        raise LimitError(f"{_at(where)}JSON nested deeper than {maximum} levels ({_env('json_depth')})") from None
    if json_depth(obj) > maximum:
        raise LimitError(f"{_at(where)}JSON nested deeper than {maximum} levels ({_env('json_depth')})")
    return obj
