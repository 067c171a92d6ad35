"""Read an experiment's results from a CSV: the plain format or an ad platform's report export.

Formats (recognised by the header row; platform reports may have title lines above it):
- plain: `variant_id,impressions,clicks,conversions,spend`, one row per variant.
- Google Ads ad report (CSV download): `Labels`, `Impr.`, `Clicks`, `Conversions`, `Cost`; the variant is
  the `studio:<variant id>` label the export put on the ad. Rows without such a label (other ads, totals) are
  not this experiment's and are left out; "--" (Google's empty value) reads as 0.
- Meta Ads Manager report export: `Ad name` (the variant id, as exported), `Impressions`, `Link clicks`,
  `Results` (conversions), `Amount spent (<currency>)`. Rows whose ad name is not a variant id are left out.

A file with any bad row (a missing or non-numeric figure, clicks above impressions, conversions above clicks,
a variant twice, a variant id that is not in the experiment) is refused as a whole: the error names the file,
the line and the field, and nothing is imported.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

PLAIN = ("variant_id", "impressions", "clicks", "conversions", "spend")
GOOGLE = {"variant": "Labels", "impressions": "Impr.", "clicks": "Clicks", "conversions": "Conversions", "spend": "Cost"}
META = {"variant": "Ad name", "impressions": "Impressions", "clicks": "Link clicks", "conversions": "Results",
        "spend": "Amount spent"}  # the spend column carries its currency: "Amount spent (USD)"
VARIANT_ID = re.compile(r"\bvar_[0-9a-f]{6,32}\b")
MAX_BYTES = 20 * 1024 * 1024


class ResultFileError(ValueError):
    """A result file that cannot be imported: the message is one line naming the file, line and field."""


@dataclass(frozen=True)
class ResultRow:
    line: int
    variant_id: str
    impressions: int
    clicks: int
    conversions: int
    spend: float

    def to_json(self) -> dict:
        return {"line": self.line, "variant_id": self.variant_id, "impressions": self.impressions,
                "clicks": self.clicks, "conversions": self.conversions, "spend": self.spend}


@dataclass(frozen=True)
class ResultFile:
    path: Path
    sha256: str
    format: str
    rows: list[ResultRow]


def _header(rows: list[list[str]]) -> tuple[int, str, dict[str, int]]:
    """(index of the header row, format, {field: column index})."""
    for index, row in enumerate(rows[:10]):
        cells = [c.strip().lstrip("\ufeff") for c in row]
        if tuple(c.lower() for c in cells[:5]) == PLAIN or set(PLAIN) <= {c.lower() for c in cells}:
            lowered = [c.lower() for c in cells]
            return index, "plain", {f: lowered.index(f) for f in PLAIN}
        for name, columns in (("google-ads", GOOGLE), ("meta", META)):
            found = {}
            for field, column in columns.items():
                match = [i for i, c in enumerate(cells) if c == column or (field == "spend" and c.startswith(column))]
                if match:
                    found[field] = match[0]
            if len(found) == len(columns):
                return index, name, found
    raise ResultFileError("no header row found: expected variant_id,impressions,clicks,conversions,spend, a Google "
                          "Ads report (Labels, Impr., Clicks, Conversions, Cost) or a Meta report (Ad name, "
                          "Impressions, Link clicks, Results, Amount spent)")


def _number(text: str, *, fmt: str, integer: bool) -> float:
    text = text.strip().replace(",", "")
    if fmt == "google-ads" and text in ("--", ""):
        return 0
    value = float(text) if not integer else (int(float(text)) if re.fullmatch(r"\d+(\.0+)?", text) else None)
    if value is None or value < 0 or value != value:  # NaN
        raise ValueError
    return value


def read_results(path: Path, variant_ids: set[str]) -> ResultFile:
    """Parse and validate the whole file; raises ResultFileError on the first bad row (nothing half-read)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ResultFileError(f"{path}: cannot read the file ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise ResultFileError(f"{path}: the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("utf-16")  # Google Ads downloads "CSV (Excel)" as UTF-16
        except UnicodeDecodeError:
            raise ResultFileError(f"{path}: not UTF-8 text") from None
    delimiter = "\t" if text.split("\n", 1)[0].count("\t") > text.split("\n", 1)[0].count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    try:
        start, fmt, columns = _header(table)
    except ResultFileError as exc:
        raise ResultFileError(f"{path}: {exc}") from None
    rows: list[ResultRow] = []
    seen: dict[str, int] = {}
    for offset, cells in enumerate(table[start + 1:], start=start + 2):
        if not any(c.strip() for c in cells):
            continue
        where = f"{path}:{offset}"

        def cell(field: str) -> str:
            index = columns[field]
            if index >= len(cells):
                raise ResultFileError(f"{where}: field '{field}' is missing")
            return cells[index]

        raw_id = cell("variant_id" if fmt == "plain" else "variant").strip()
        if fmt == "plain":
            variant_id = raw_id
        else:
            found = VARIANT_ID.search(raw_id)
            if not found:
                continue  # another ad of the account, or a total row: not this experiment's
            variant_id = found.group(0)
        if variant_id not in variant_ids:
            raise ResultFileError(f"{where}: field 'variant_id': '{variant_id}' is not a variant of this experiment")
        if variant_id in seen:
            raise ResultFileError(f"{where}: field 'variant_id': '{variant_id}' is already on line {seen[variant_id]}")
        figures = {}
        for field in ("impressions", "clicks", "conversions", "spend"):
            try:
                figures[field] = _number(cell(field), fmt=fmt, integer=field != "spend")
            except ValueError:
                kind = "an amount" if field == "spend" else "a whole number"
                raise ResultFileError(f"{where}: field '{field}': '{cell(field)}' is not {kind} >= 0") from None
        if figures["clicks"] > figures["impressions"]:
            raise ResultFileError(f"{where}: field 'clicks': {figures['clicks']} clicks exceed "
                                  f"{figures['impressions']} impressions")
        if figures["conversions"] > figures["clicks"]:
            raise ResultFileError(f"{where}: field 'conversions': {figures['conversions']} conversions exceed "
                                  f"{figures['clicks']} clicks")
        seen[variant_id] = offset
        rows.append(ResultRow(offset, variant_id, int(figures["impressions"]), int(figures["clicks"]),
                              int(figures["conversions"]), float(figures["spend"])))
    if not rows:
        raise ResultFileError(f"{path}: no rows for this experiment's variants")
    return ResultFile(path, hashlib.sha256(data).hexdigest(), fmt, rows)
