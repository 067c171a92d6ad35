"""Reading labelled JSONL datasets for the eval suites: one object per line, each with a non-empty text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from studio.checks.command import jsonl_objects
from studio.evaluation.runner import EvalInputError


def text_rows(files: list[Path]) -> Iterator[tuple[Path, str, dict]]:
    """(file, "name line N", row) for every line; a line that is not an object with a text is one clear error."""
    for path in files:
        for where, row in jsonl_objects(path.read_text(encoding="utf-8"), path.name, EvalInputError):
            where = where.rstrip(": ")
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not row["text"].strip():
                raise EvalInputError(f"{where}: needs a non-empty 'text'")
            yield path, where, row
