"""`studio check`: check a text (or a JSONL file of texts) and report, as JSON or a readable report.

Exit codes: 0 pass/warn, 1 block, 2 bad input (one `error: ...` line on stderr, nothing on stdout).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from studio.domain import CheckReport, Market
from studio.limits import (LimitError, check_file_size, check_line_size, check_text, decode_text, loads_json,
                           read_bounded)


class InputError(Exception):
    pass


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
                      offer: str | None = None) -> int:
    from studio.checks import get_checker

    kits: dict = {}
    try:
        if (file is None) == (jsonl is None):
            raise InputError("give either FILE (or - for stdin) or --jsonl FILE")
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

    worst = 0
    for item in items:
        item_market = _market(item.market, "") or cli_market
        item_channel = _channel(item.channel, "") or cli_channel
        checker = get_checker(kits[item.kit] if item.kit else loaded)
        report = checker.check_text(item.text, channel=item_channel, market=item_market, brief=item.brief or cli_brief)
        worst = max(worst, {"pass": 0, "warn": 0, "block": 1}[report.verdict])
        if jsonl is not None:
            out = {"id": item.id, **report.to_json()}
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        elif as_json:
            sys.stdout.write(json.dumps(report.to_json(), ensure_ascii=False) + "\n")
        else:
            _print_report(report, item.text)
    sys.stdout.flush()
    return worst
