"""`studio check`: check a text (or a JSONL file of texts) and report, as JSON or a readable report.

Exit codes: 0 pass/warn, 1 block, 2 bad input (one `error: ...` line on stderr, nothing on stdout).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass

from studio.checks.parallel import Progress, WorkerError, auto_workers, fork_available, map_ordered, warm_checkers
from studio.domain import CheckReport, Market
from studio.limits import (LimitError, check_file_size, check_line_size, check_text, decode_text, loads_json,
                           read_bounded)


class InputError(Exception):
    pass


VERDICT_EXIT = {"pass": 0, "warn": 0, "block": 1}


@dataclass
class Item:
    id: str | None
    text: str
    market: str | None
    channel: str | None
    kit: str | None = None
    brief: dict | None = None  # {"text", "product", "offer"} for the quality gate's off_brief check


def _brief(text: str | None, product: str | None, offer: str | None, where: str) -> dict | None:
    """The brief the copy is checked against, or None when none is given (off_brief is then not checked)."""
    if not any(v and v.strip() for v in (text, product, offer)):
        return None
    if not ((text and text.strip()) or (product and product.strip())):
        raise InputError(f"{where}an offer alone is not a brief: give the brief text or the product too")
    return {"text": (text or "").strip(), "product": (product or "").strip(), "offer": (offer or "").strip()}


def _read(path: str) -> str:
    """The whole input as text: strict UTF-8, no binary, within check_input_bytes (checked before reading)."""
    name = "stdin" if path == "-" else path
    try:
        if path == "-":
            data = read_bounded(sys.stdin.buffer, name, "check_input_bytes")
        else:
            check_file_size(path, name, "check_input_bytes")
            with open(path, "rb") as fh:  # bounded as well: a device or FIFO reports size 0
                data = read_bounded(fh, name, "check_input_bytes")
        return decode_text(data, name)
    except LimitError as exc:
        raise InputError(str(exc)) from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: a folder, not a text file") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror}") from None


def _market(value: str | None, where: str) -> str | None:
    if value is None:
        return None
    try:
        return Market(str(value).upper()).value
    except ValueError:
        raise InputError(f"{where}unknown market '{value}' (known: {', '.join(m.value for m in Market)})") from None


def _channel(value: str | None, where: str):
    if value is None:
        return None
    from studio.channels import get_channel

    try:
        return get_channel(str(value))
    except KeyError as exc:
        raise InputError(f"{where}{exc.args[0]}") from None


def jsonl_objects(raw: str, name: str, error: type[Exception] = InputError):
    """(where, object) for each non-blank line; `where` is "NAME: line N: "; invalid JSON raises `error`."""
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{name}: line {n}: "
        try:
            check_line_size(line, f"{name}: line {n}", "check_line_bytes")
            obj = loads_json(line, f"{name}: line {n}")
        except LimitError as exc:
            raise error(str(exc)) from None
        except json.JSONDecodeError as exc:
            raise error(f"{where}invalid JSON ({exc.msg})") from None
        yield where, obj


def _parse_jsonl(raw: str, name: str) -> list[Item]:
    items = []
    for where, obj in jsonl_objects(raw, name):
        if not isinstance(obj, dict):
            raise InputError(f"{where}expected an object with \"id\" and \"text\"")
        if "id" not in obj or not isinstance(obj["id"], (str, int)):
            raise InputError(f"{where}field 'id' missing or not a string")
        if not isinstance(obj.get("text"), str):
            raise InputError(f"{where}field 'text' missing or not a string")
        try:
            check_text(obj["text"], f"{where}field 'text'", "check_text_chars")
        except LimitError as exc:
            raise InputError(str(exc)) from None
        for key in ("market", "channel", "kit", "brief", "product", "offer"):
            if obj.get(key) is not None and not isinstance(obj[key], str):
                raise InputError(f"{where}field '{key}' must be a string")
        _market(obj.get("market"), f"{where}field 'market': ")
        _channel(obj.get("channel"), f"{where}field 'channel': ")
        brief = _brief(obj.get("brief"), obj.get("product"), obj.get("offer"), where)
        items.append(Item(obj["id"], obj["text"], obj.get("market"), obj.get("channel"), obj.get("kit"), brief))
    if not items:
        raise InputError(f"{name}: no lines to check")
    return items


def _print_report(report: CheckReport, text: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False)
    colour = {"pass": "green", "warn": "yellow", "block": "red", "info": "cyan"}
    console.print(f"[bold {colour[report.verdict]}]{report.verdict.upper()}[/] - {len(report.findings)} finding(s)")
    for f in report.findings:
        line = text.count("\n", 0, f.start) + 1
        col = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
        where = f"{f.field}:" if f.field else ""
        shown = f" \"{escape(f.text)}\"" if f.text else ""
        console.print(f"  [{colour[f.severity.value]}]{f.severity.value:5}[/] {f.category:18} {where}{line}:{col}{shown}  [dim]({f.rule})[/]")
        console.print(f"        {escape(f.message)}")
        if f.suggestion:
            console.print(f"        [dim]→ {escape(f.suggestion)}[/]")


def _load_kit(kit: str | None, where: str, cache: dict):
    if kit is None:
        return None
    if kit not in cache:
        from studio.config import get_settings
        from studio.kits import KitError, load_kit

        try:
            cache[kit] = load_kit(kit, get_settings().kits_dir)
        except KitError as exc:
            raise InputError(f"{where}{exc}") from None
    return cache[kit]


def run_check_command(file: str | None, kit: str | None, channel: str | None, market: str | None,
                      jsonl: str | None, as_json: bool, brief: str | None = None, product: str | None = None,
                      offer: str | None = None, workers: int | None = 1) -> int:
    """workers: processes for --jsonl (None: auto_workers, the CLI's default; 1: this process only); ignored
    without --jsonl."""
    from studio.checks import get_checker

    kits: dict = {}
    try:
        if (file is None) == (jsonl is None):
            raise InputError("give either FILE (or - for stdin) or --jsonl FILE")
        if workers is not None and workers < 1:
            raise InputError(f"--workers: {workers}, give 1 or more")
        cli_market = _market(market, "--market: ")
        cli_channel = _channel(channel, "--channel: ")
        cli_brief = _brief(brief, product, offer, "--brief/--product/--offer: ")
        loaded = _load_kit(kit, "", kits)
        if jsonl is not None:
            items = _parse_jsonl(_read(jsonl), "stdin" if jsonl == "-" else jsonl)
            for item in items:
                _load_kit(item.kit, f"line for id '{item.id}': field 'kit': ", kits)
        else:
            text = _read(file)
            if not text.strip():
                raise InputError(f"{'stdin' if file == '-' else file}: empty text, nothing to check")
            try:
                check_text(text, "stdin" if file == "-" else file, "check_text_chars")
            except LimitError as exc:
                raise InputError(str(exc)) from None
            items = [Item(None, text, None, None)]
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def report_for(item: Item) -> CheckReport:
        item_market = _market(item.market, "") or cli_market
        item_channel = _channel(item.channel, "") or cli_channel
        checker = get_checker(kits[item.kit] if item.kit else loaded)
        return checker.check_text(item.text, channel=item_channel, market=item_market, brief=item.brief or cli_brief)

    if jsonl is not None:
        n_workers = auto_workers(len(items)) if workers is None else workers
        if n_workers > 1 and fork_available():
            checkers = {id(c): c for c in (get_checker(kits[i.kit] if i.kit else loaded) for i in items)}
            return _check_jsonl_parallel(items, report_for, list(checkers.values()), n_workers)

    worst = 0
    for item in items:
        report = report_for(item)
        worst = max(worst, VERDICT_EXIT[report.verdict])
        if jsonl is not None:
            out = {"id": item.id, **report.to_json()}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        elif as_json:
            sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        else:
            _print_report(report, item.text)
    sys.stdout.flush()
    return worst


def _check_jsonl_parallel(items: list[Item], report_for: Callable[[Item], CheckReport], checkers: list,
                          workers: int) -> int:
    """--jsonl with workers: the same lines, in input order, byte for byte, as the single-process loop."""
    warm_checkers(checkers)

    def line(i: int) -> tuple[str, int]:
        report = report_for(items[i])
        return json.dumps({"id": items[i].id, **report.to_json()}, ensure_ascii=False) + "\n", VERDICT_EXIT[report.verdict]

    progress = Progress(len(items))
    worst = done = 0
    try:
        for text, code in map_ordered(line, len(items), workers, progress=progress):
            sys.stdout.write(text)
            worst = max(worst, code)
            done += 1
    except WorkerError as exc:
        sys.stdout.flush()  # the complete lines so far; the error says the output stops short
        progress.finish(done, ok=False)
        print(f"error: {exc}; the output is incomplete", file=sys.stderr)
        return 2
    sys.stdout.flush()
    progress.finish(done)
    return worst
