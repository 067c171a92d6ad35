"""Read and validate a batch file (CSV or JSONL, one brief per row) before anything is generated.

Every row is checked against the kits and the channel registry (studio.workflow.runner.resolve is
the final word); each problem is one RowError with the row's line number and the field. The file
itself is only read, never modified.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from studio.domain import Brief
from studio.limits import (LimitError, check_count, check_file_size, check_line_size, check_text, loads_json,
                           read_bounded)

REQUIRED = ("kit", "segment", "channels", "brief")
OPTIONAL = ("row_id", "market", "variants", "product", "offer", "objective", "key_message")
COLUMNS = ("row_id", "kit", "segment", "channels", "market", "brief", "variants", "product", "offer", "objective", "key_message")
MAX_VARIANTS = 20  # GenerateRequest.variants allows 1..20
MAX_ROW_ID = 120


class BatchInputError(ValueError):
    """The file as a whole cannot be used (missing, unreadable, no header): one line, exit 2."""


@dataclass(frozen=True)
class RowError:
    line: int
    field: str | None
    message: str
    row_id: str | None = None

    def format(self, file_name: str) -> str:
        where = f"{file_name} line {self.line}" + (f", field '{self.field}'" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class Task:
    """One generation request: one row for one segment."""

    task_id: str
    row_id: str
    line: int
    position: int
    segment: str
    spec: dict  # GenerateRequest.model_dump(mode="json") with the market resolved


@dataclass
class ParsedBatch:
    source: Path
    sha256: str
    rows: int
    tasks: list[Task] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def batch_id(self) -> str:
        return batch_id_for(self.sha256)

    @property
    def invalid_lines(self) -> list[int]:
        return sorted({e.line for e in self.errors})


def batch_id_for(sha256: str) -> str:
    return f"b_{sha256[:16]}"


# --------------------------------------------------------------------------- reading


def read_source(path: str | Path) -> tuple[Path, bytes]:
    source = Path(path)
    try:
        check_file_size(source, source.name, "batch_file_bytes")  # before reading: an oversized file never loads
        with source.open("rb") as handle:  # bounded as well: a device or FIFO reports size 0
            data = read_bounded(handle, source.name, "batch_file_bytes")
    except LimitError as exc:
        raise BatchInputError(str(exc)) from None
    except FileNotFoundError:
        raise BatchInputError(f"cannot read {source}: no such file") from None
    except IsADirectoryError:
        raise BatchInputError(f"cannot read {source}: it is a folder, not a CSV or JSONL file") from None
    except OSError as exc:
        raise BatchInputError(f"cannot read {source}: {exc.strerror or exc}") from None
    return source, data


def _is_jsonl(source: Path, text: str) -> bool:
    suffix = source.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return True
    if suffix in (".csv", ".tsv", ".txt"):
        return False
    return text.lstrip().startswith("{")


def _csv_records(name: str, text: str) -> list[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = None
    header_line = 0
    while header is None:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            raise BatchInputError(f"{name} is empty: it needs a header line ({', '.join(REQUIRED)}, ...)") from None
        except csv.Error as exc:
            raise BatchInputError(f"{name} line {start}: unreadable CSV header ({exc})") from None
        if any(c.strip() for c in cells):
            header = [c.strip().lower() for c in cells]
            header_line = start
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BatchInputError(
            f"{name} line {header_line}: the header lacks column(s) {', '.join(repr(c) for c in missing)} "
            f"(required: {', '.join(REQUIRED)}; optional: {', '.join(OPTIONAL)})")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise BatchInputError(f"{name} line {header_line}: unknown column(s) {', '.join(repr(c) for c in unknown)} "
                              f"(columns: {', '.join(COLUMNS)})")
    dupes = sorted({c for c in header if header.count(c) > 1})
    if dupes:
        raise BatchInputError(f"{name} line {header_line}: column(s) {', '.join(repr(c) for c in dupes)} appear twice")
    records = []
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            records.append((start, {"__error__": f"unreadable CSV ({exc})"}))
            break
        if not any(c.strip() for c in cells):
            continue
        try:
            check_line_size(",".join(cells), "", "batch_line_bytes")
        except LimitError as exc:
            records.append((start, {"__error__": str(exc)}))
            continue
        if len(cells) > len(header):
            records.append((start, {"__error__": f"{len(cells)} cells but the header has {len(header)} columns"}))
            continue
        records.append((start, {h: c.strip() for h, c in zip(header, cells)}))
    return records


def _jsonl_records(text: str) -> list[tuple[int, dict]]:
    records = []
    # Split on newlines only: str.splitlines() also breaks at U+2028 and friends, which JSON allows
    # raw inside strings, and would shift every line number after them.
    for number, raw in enumerate(text.split("\n"), start=1):
        raw = raw.removesuffix("\r")
        if not raw.strip():
            continue
        try:
            check_line_size(raw, "", "batch_line_bytes")
            obj = loads_json(raw, "")
        except LimitError as exc:
            records.append((number, {"__error__": str(exc)}))
            continue
        except json.JSONDecodeError as exc:
            records.append((number, {"__error__": f"invalid JSON ({exc.msg} at column {exc.colno})"}))
            continue
        if not isinstance(obj, dict):
            records.append((number, {"__error__": "not a JSON object"}))
            continue
        records.append((number, obj))
    return records


def parse_file(path: str | Path) -> ParsedBatch:
    """Read and validate the whole file. Raises BatchInputError for file-level problems only."""
    source, data = read_source(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BatchInputError(f"{source.name} is not UTF-8 text (byte {exc.start})") from None
    records = _jsonl_records(text) if _is_jsonl(source, text) else _csv_records(source.name, text)
    if not records:
        raise BatchInputError(f"{source.name} has no rows")
    try:
        check_count(len(records), source.name, "rows", "batch_rows")
    except LimitError as exc:
        raise BatchInputError(str(exc)) from None
    parsed = ParsedBatch(source=source.resolve(), sha256=hashlib.sha256(data).hexdigest(), rows=len(records))
    _validate(parsed, records)
    return parsed


# --------------------------------------------------------------------------- validation


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _channels(value) -> list[str]:
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [c.strip() for c in _text(value).split(";") if c.strip()]


def _variants(value) -> int:
    if value is None or _text(value) == "":
        return 1
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        n = value
    else:
        n = int(_text(value))
    if not 1 <= n <= MAX_VARIANTS:
        raise ValueError
    return n


class _Kits:
    """load_kit once per kit id while validating."""

    def __init__(self):
        from studio.config import get_settings

        self.dir = get_settings().kits_dir
        self.cache: dict[str, object] = {}

    def get(self, kit_id: str):
        from studio.kits import KitError, load_kit

        if kit_id not in self.cache:
            try:
                self.cache[kit_id] = load_kit(kit_id, self.dir)
            except KitError as exc:
                self.cache[kit_id] = KitError(str(exc).splitlines()[0] if str(exc) else f"unknown kit '{kit_id}'")
        found = self.cache[kit_id]
        if isinstance(found, Exception):
            raise found
        return found


def _validate(parsed: ParsedBatch, records: list[tuple[int, dict]]) -> None:
    from studio.channels import get_channel
    from studio.workflow.runner import GenerateRequest, InputError, resolve

    kits = _Kits()
    seen_ids: dict[str, int] = {}
    # resolve() reloads the kit from disk: once per distinct (kit, segment, channels, market), not per
    # row (a 2,000-row file with a handful of combinations would otherwise spend minutes here).
    resolved: dict[tuple, str | InputError] = {}

    def resolve_market(request: GenerateRequest) -> str:
        key = (request.kit, request.segment, tuple(request.channels), request.market)
        if key not in resolved:
            try:
                resolved[key] = resolve(request)
            except InputError as exc:
                resolved[key] = exc
        found = resolved[key]
        if isinstance(found, InputError):
            raise found
        return found

    for position, (line, record) in enumerate(records):
        errors: list[RowError] = []

        def bad(field_name: str | None, message: str) -> None:
            errors.append(RowError(line, field_name, message, row_id))

        row_id = None
        if "__error__" in record:
            bad(None, record["__error__"])
            parsed.errors.extend(errors)
            continue
        unknown = [k for k in record if k not in COLUMNS]
        for key in unknown:
            bad(key, f"unknown field (fields: {', '.join(COLUMNS)})")
        row_id = _text(record.get("row_id")) or f"line-{line}"
        if len(row_id) > MAX_ROW_ID or "/" in row_id:
            bad("row_id", f"a row_id has at most {MAX_ROW_ID} characters and no '/'")
        elif row_id in seen_ids:
            bad("row_id", f"duplicate row_id '{row_id}' (first on line {seen_ids[row_id]})")
        else:
            seen_ids[row_id] = line

        try:
            variants = _variants(record.get("variants"))
        except (ValueError, TypeError):
            variants = 1
            bad("variants", f"must be a whole number from 1 to {MAX_VARIANTS}, got '{_text(record.get('variants'))}'")

        too_long = False
        for name in ("brief", "product", "offer", "objective", "key_message"):
            try:
                check_text(_text(record.get(name)), "", "brief_chars" if name == "brief" else "brief_field_chars")
            except LimitError as exc:
                too_long = True
                bad(name, str(exc))
        brief = None
        try:
            if not too_long:
                brief = Brief(text=_text(record.get("brief")), product=_text(record.get("product")),
                              offer=_text(record.get("offer")), objective=_text(record.get("objective")),
                              key_message=_text(record.get("key_message")))
        except ValidationError:
            bad("brief", "the brief is empty (give a brief, a product or a key_message)")

        kit_id = _text(record.get("kit"))
        loaded = None
        if not kit_id:
            bad("kit", "a kit is required")
        else:
            try:
                loaded = kits.get(kit_id)
            except ValueError as exc:
                bad("kit", str(exc))

        segments: list = []
        segment_value = _text(record.get("segment"))
        if not segment_value:
            bad("segment", "a segment is required ('*' for all of the kit's segments)")
        elif loaded is not None:
            if segment_value == "*":
                segments = list(loaded.kit.segments)
            else:
                try:
                    segments = [loaded.kit.segment(segment_value)]
                except KeyError as exc:
                    bad("segment", str(exc.args[0]) if exc.args else f"unknown segment '{segment_value}'")

        channels = _channels(record.get("channels"))
        channel_objs = []
        if not channels:
            bad("channels", "at least one channel is required ('*' for the kit's default channels)")
        elif channels == ["*"]:
            if loaded is not None:
                channels = list(loaded.kit.default_channels)
        if channels and channels != ["*"]:
            if "*" in channels:
                bad("channels", "'*' cannot be combined with other channels")
            else:
                dupes = sorted({c for c in channels if channels.count(c) > 1})
                if dupes:
                    bad("channels", f"channel(s) {', '.join(repr(c) for c in dupes)} listed twice")
                for channel_id in channels:
                    try:
                        channel_objs.append(get_channel(channel_id))
                    except KeyError as exc:
                        bad("channels", str(exc.args[0]) if exc.args else f"unknown channel '{channel_id}'")
                        break

        market = _text(record.get("market")) or None
        row_tasks: list[Task] = []
        if not errors:
            for segment in segments:
                language = (segment.language or "").split("-")[0].lower()
                wrong = [c.id for c in channel_objs if getattr(c, "languages", None) and language not in c.languages]
                if wrong:
                    bad("channels", f"channel(s) {', '.join(wrong)} do not take {segment.language} copy "
                                    f"(segment '{segment.id}' of kit '{kit_id}')")
                    break
                request = GenerateRequest(kit=kit_id, segment=segment.id, channels=channels, brief=brief,
                                          variants=variants, market=market, batch_id=parsed.batch_id, row_id=row_id)
                try:
                    request.market = resolve_market(request)
                except InputError as exc:
                    bad("market", str(exc))
                    break
                row_tasks.append(Task(task_id=f"{row_id}/{segment.id}", row_id=row_id, line=line, position=position,
                                      segment=segment.id, spec=request.model_dump(mode="json")))
        if errors:
            parsed.errors.extend(errors)
        else:
            parsed.tasks.extend(row_tasks)
