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


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


class RowChecks:
    """What a labelled row is checked with: its kit's checker (each kit loaded once) and its channel."""

    def __init__(self, repo_root: Path) -> None:
        self.kits_dir = repo_root / "brand_kits"
        self._checkers: dict = {}

    def checker(self, row: dict):
        from studio.checks import get_checker
        from studio.kits import load_kit

        kit_id = row.get("kit") or None
        if kit_id not in self._checkers:
            try:
                kit = load_kit(kit_id, self.kits_dir) if kit_id else None
            except Exception as exc:  # noqa: BLE001 - any kit error is a dataset error here
                raise EvalInputError(f"row '{row['id']}': kit '{kit_id}': {exc}") from None
            self._checkers[kit_id] = get_checker(kit)
        return self._checkers[kit_id]

    @staticmethod
    def channel(row: dict):
        from studio.channels import get_channel

        if not row.get("channel"):
            return None
        try:
            return get_channel(row["channel"])
        except KeyError as exc:
            raise EvalInputError(f"row '{row['id']}': {exc.args[0]}") from None
