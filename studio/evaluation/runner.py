"""Run eval suites by name and report them (`studio eval [--suite NAME ...] [--json]`).

Exit codes: 0 every suite that ran met its targets; 1 a suite missed a target, failed, or was asked
for by name and is not installed; 2 bad input (an unknown suite name, a broken dataset), with one
`error: ...` line on stderr and nothing on stdout.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from pathlib import Path

from studio.config import REPO_ROOT

SUITES = ("checks", "quality", "generation", "fairness")  # the default run, in this order


class EvalInputError(ValueError):
    """A suite's input (dataset, configuration) is unusable; the message is one line for the user."""


def _load(name: str):
    """The suite module, or None when it is not installed (another component may not exist yet)."""
    module = f"studio.evaluation.{name}"
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def run_suites(names: list[str] | None = None, *, quick: bool = False, repo_root: Path | None = None) -> list[dict]:
    """Run the named suites (default: all) and return their results; a missing suite is reported
    as {"suite": name, "available": False}. Raises EvalInputError for an unknown name."""
    root = repo_root or REPO_ROOT
    wanted = list(dict.fromkeys(names or SUITES))
    modules = {}
    for name in wanted:
        if not name.isidentifier() or name in ("runner",) or name.startswith("_"):
            raise EvalInputError(f"unknown suite '{name}' (known: {', '.join(SUITES)})")
        modules[name] = _load(name)
        if modules[name] is None and name not in SUITES:
            raise EvalInputError(f"unknown suite '{name}' (known: {', '.join(SUITES)})")
    results = []
    for name in wanted:
        module = modules[name]
        if module is None or not hasattr(module, "run_suite"):
            results.append({"suite": name, "available": False, "metrics": {}, "rows": [], "targets_met": None,
                            "note": f"suite '{name}' is not installed (no studio/evaluation/{name}.py)"})
            continue
        result = dict(module.run_suite(root, quick=quick))
        result.setdefault("suite", name)
        result["available"] = True
        results.append(result)
    return results


def _fmt(value) -> str:
    from rich.markup import escape

    return escape(_plain(value))


def _plain(value) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if value is None:
        return "-"
    return str(value)


def print_tables(results: list[dict], console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    for res in results:
        name = res["suite"]
        if not res.get("available"):
            console.print(f"[bold]{_fmt(name)}[/bold]: [yellow]unavailable[/yellow] — {_fmt(res.get('note', ''))}")
            continue
        met = res.get("targets_met")
        verdict = "[green]targets met[/green]" if met else ("[red]targets NOT met[/red]" if met is False else "no targets")
        rows = res.get("rows") or []
        columns = res.get("columns") or (list(rows[0]) if rows else [])
        table = Table(title=f"eval: {_fmt(name)} — {verdict}", title_justify="left")
        for col in columns:
            table.add_column(col, overflow="fold", justify="right" if rows and isinstance(rows[0].get(col), (int, float)) else "left")
        for row in rows:
            table.add_row(*(_fmt(row.get(col)) for col in columns))
        if rows:
            console.print(table)
        else:
            console.print(f"eval: {_fmt(name)} — {verdict}")
        metrics = res.get("metrics") or {}
        summary = Table(show_header=False, box=None, padding=(0, 2))
        for key, value in metrics.items():
            summary.add_row(_fmt(key), _fmt(value))
        console.print(summary)
        for line in res.get("notes") or []:
            console.print(f"  {_fmt(line)}")
        console.print()


def run_eval_command(suites: list[str] | None, as_json: bool, quick: bool | None = None) -> int:
    """The `studio eval` command: run suites, print tables or one JSON document, return the exit code.

    `quick` (default: env STUDIO_EVAL_QUICK=1) asks each suite for its small configuration.
    """
    if quick is None:
        quick = os.environ.get("STUDIO_EVAL_QUICK", "").strip().lower() in ("1", "true", "yes")
    try:
        results = run_suites(suites, quick=quick)
    except EvalInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    asked = set(suites or [])
    failed = [r["suite"] for r in results if r.get("available") and r.get("targets_met") is False]
    missing = [r["suite"] for r in results if not r.get("available") and r["suite"] in asked]
    ok = not failed and not missing
    if as_json:
        print(json.dumps({"targets_met": ok, "suites": results}, ensure_ascii=False, default=str))
    else:
        print_tables(results)
    return 0 if ok else 1
