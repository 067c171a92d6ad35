"""The `studio` command line. Thin: parses arguments, calls services, prints results.

Contract (DESIGN.md): every reporting command takes --json and then prints exactly one JSON
document on stdout; exit 0 ok, 1 the work found problems, 2 bad input (one line on stderr).
"""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

import typer

from studio.config import get_settings

app = typer.Typer(help="Studio: on-brand, checked, labelled marketing copy and images, with human review.", no_args_is_help=True, add_completion=False)
kit_app = typer.Typer(help="Brand kits and their voice store.", no_args_is_help=True)
review_app = typer.Typer(help="The human review queue.", no_args_is_help=True)
app.add_typer(kit_app, name="kit")
app.add_typer(review_app, name="review")
from studio.experiments.command import experiment_app  # noqa: E402
app.add_typer(experiment_app, name="experiment")

from studio.mcp.cli import mcp_command, user_app  # noqa: E402 - typer apps only; the SDK loads when `mcp` runs

app.add_typer(user_app, name="user")
app.command("mcp")(mcp_command)

JsonOpt = typer.Option(False, "--json", help="print one JSON document on stdout")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def acting_user(by: str | None, *, demo_default: str) -> str:
    """Who runs this command: --by, else STUDIO_USER, else (demo accounts only) the demo user for the command.

    The services then check that user's role like any other request's.
    """
    if by:
        return by
    settings = get_settings()
    if settings.demo_users and not settings.users_file:
        return demo_default
    bad_input("name the user who does this: --by USER (or set STUDIO_USER)")


def bad_input(message: str) -> NoReturn:
    """Exit 2 with one clear line on stderr; nothing has been written."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _limited(limit: str):
    """An option callback: the text is UTF-8 and within the studio.limits setting `limit`, else exit 2."""

    def callback(ctx: typer.Context, param, value):
        from studio.limits import LimitError, check_text

        flag = max(param.opts, key=len) if getattr(param, "opts", None) else param.name
        try:
            for item in value if isinstance(value, (list, tuple)) else [value]:
                check_text(item, flag, limit)
        except LimitError as exc:
            bad_input(str(exc))
        return value

    return callback


def _validation_message(exc) -> str:
    """One line from a pydantic ValidationError: the field it names, without pydantic's prefixes."""
    error = exc.errors()[0]
    message = str(error["msg"]).removeprefix("Value error, ")
    flags = {"channels": "--channel", "variants": "--variants", "market": "--market", "kit": "--kit",
             "segment": "--segment"}
    loc = [str(p) for p in error.get("loc", ())]
    return f"{flags[loc[0]]}: {message}" if loc and loc[0] in flags else message


# --------------------------------------------------------------------------- kits


@kit_app.command("list")
def kit_list(as_json: bool = JsonOpt) -> None:
    """List the brand kits and their segments."""
    from studio.kits import KitError, list_kits

    try:
        kits = list_kits(get_settings().kits_dir)
    except KitError as exc:
        bad_input(str(exc))
    if as_json:
        emit_json({"kits": [_kit_summary(k) for k in kits]})
        return
    for loaded in kits:
        kit = loaded.kit
        typer.echo(f"{kit.id:14} {kit.name}  markets={','.join(m.value for m in kit.markets)}  languages={','.join(kit.languages)}")
        for seg in kit.segments:
            typer.echo(f"  - {seg.id:22} {seg.name} ({seg.lifecycle_stage})")


def _kit_summary(loaded) -> dict:
    kit = loaded.kit
    return {
        "id": kit.id,
        "name": kit.name,
        "languages": kit.languages,
        "markets": [m.value for m in kit.markets],
        "default_channels": kit.default_channels,
        "voice_documents": len(loaded.voice_files),
        "segments": [{"id": s.id, "name": s.name, "lifecycle_stage": s.lifecycle_stage, "language": s.language} for s in kit.segments],
        "path": str(loaded.root),
    }


@kit_app.command("show")
def kit_show(kit_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """Show one brand kit in full."""
    from studio.kits import KitError, load_kit

    try:
        loaded = load_kit(kit_id, get_settings().kits_dir)
    except KitError as exc:
        bad_input(str(exc))
    data = loaded.kit.model_dump(mode="json")
    data["voice_documents"] = [str(p.relative_to(loaded.root)) for p in loaded.voice_files]
    if as_json:
        emit_json(data)
        return
    import yaml

    typer.echo(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@kit_app.command("validate")
def kit_validate(path: str = typer.Argument(..., metavar="PATH"), as_json: bool = JsonOpt) -> None:
    """Validate a kit folder; exit 2 with the file, line and field when it is broken."""
    from studio.kits import KitError, load_kit_dir

    from studio.modules.validate import module_problems

    problems: list[str] = []
    try:
        loaded = load_kit_dir(path)
        problems = module_problems(loaded)
        if problems:  # the first one on the error line; --json lists them all
            more = f" (and {len(problems) - 1} more modules)" if len(problems) > 1 else ""
            raise KitError(f"{loaded.root}/{problems[0]}{more}")
    except KitError as exc:
        if as_json:
            emit_json({"valid": False, "error": str(exc), "problems": problems})
        bad_input(str(exc))
    if as_json:
        emit_json({"valid": True, **_kit_summary(loaded)})
    else:
        typer.echo(f"ok: kit '{loaded.kit.id}' with {len(loaded.kit.segments)} segments, {len(loaded.voice_files)} voice "
                   f"documents and {len(loaded.modules)} content modules")


@kit_app.command("ingest")
def kit_ingest(kit_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """Index a kit's voice documents into the voice store (idempotent)."""
    from studio.voice.command import run_ingest_command

    raise typer.Exit(run_ingest_command(kit_id, as_json))


# --------------------------------------------------------------------------- generation


def _stage_printer(as_json: bool):
    """Progress on stderr (stdout is kept for the JSON document)."""
    from rich.console import Console

    console = Console(stderr=True)
    labels = {"retrieve": "retrieving voice", "write": "writing", "check": "checking", "revise": "revising",
              "image": "image", "label": "labelling", "queue": "queued for review"}

    def show(variant_id: str, stage: str) -> None:
        if stage in labels:
            console.print(f"[dim]{variant_id}[/dim] {labels[stage]}")

    return show


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(7860, "--port")) -> None:
    """Start the Gradio app (ingests the sample kits' voice first)."""
    from studio.app.server import run_server

    run_server(host=host, port=port)


@app.command()
def generate(
    kit: str = typer.Option(..., "--kit"),
    segment: str = typer.Option(..., "--segment"),
    channel: list[str] = typer.Option(..., "--channel"),
    brief: str = typer.Option(..., "--brief", callback=_limited("brief_chars")),
    variants: int = typer.Option(1, "--variants", min=1, max=20),
    market: str | None = typer.Option(None, "--market"),
    product: str = typer.Option("", "--product", callback=_limited("brief_field_chars")),
    offer: str = typer.Option("", "--offer", callback=_limited("brief_field_chars")),
    objective: str = typer.Option("", "--objective", callback=_limited("brief_field_chars")),
    by: str | None = typer.Option(None, "--by", envvar="STUDIO_USER", help="user who generates (a creator or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Generate variants for a brief, check and label them, and queue them for review."""
    from pydantic import ValidationError

    from studio.domain import Brief
    from studio.review import PermissionDenied, QueueError
    from studio.workflow import GenerateRequest, InputError
    from studio.workflow import generate as run_generate

    try:
        request = GenerateRequest(kit=kit, segment=segment, channels=channel, market=market, variants=variants,
                                  brief=Brief(text=brief, product=product, offer=offer, objective=objective))
        results = run_generate(request, by=acting_user(by, demo_default="alice"), progress=_stage_printer(as_json))
    except ValidationError as exc:
        bad_input(_validation_message(exc))
    except (InputError, QueueError, PermissionDenied) as exc:
        bad_input(str(exc))
    _print_variants(results, as_json)
    raise typer.Exit(1 if any(v["verdict"] == "block" for v in results) else 0)


def _print_variants(variants: list[dict], as_json: bool) -> None:
    if as_json:
        emit_json({"variants": variants})
        return
    for v in variants:
        typer.echo(f"{v['id']}  v{v['version']}  {v['status']:18} {v['verdict'] or '-':6} {v['kit']}/{v['segment']}/{v['channel']}/{v['market']}")
        for field, text in v["copy"].items():
            typer.echo(f"    {field}: {text}")
        for f in v["findings"]:
            typer.echo(f"    ! {f['severity']} {f['category']} '{f['text']}': {f['message']}")
        if v["image"]:
            typer.echo(f"    image: {v['image']}")


@app.command()
def batch(
    file: str = typer.Argument(None, metavar="FILE"),
    concurrency: int = typer.Option(2, "--concurrency", min=1, max=64),
    resume: str | None = typer.Option(None, "--resume", metavar="BATCH_ID"),
    skip_invalid: bool = typer.Option(False, "--skip-invalid"),
    out: str | None = typer.Option(None, "--out", help="folder for the report CSV (default: next to the input)"),
    rpm: int | None = typer.Option(None, "--rpm", help="requests per minute limit for paid endpoints"),
    by: str | None = typer.Option(None, "--by", envvar="STUDIO_USER", help="user who generates (a creator or admin)"),
    as_json: bool = JsonOpt,
    ray: str | None = typer.Option(None, "--ray", metavar="[ADDRESS]",
                                   help="run the rows on a Ray cluster: 'auto' joins the running one, host:port or "
                                        "ray://host:port a given one; --ray alone starts a local one"),
) -> None:
    """Generate one brief per row of a CSV or JSONL file; resumable."""
    from studio.batch.command import run_batch_command

    raise typer.Exit(run_batch_command(file=file, concurrency=concurrency, resume=resume, skip_invalid=skip_invalid,
                                       out=out, rpm=rpm, by=acting_user(by, demo_default="batch"), as_json=as_json,
                                       ray_address=ray))


@app.command()
def check(
    file: str = typer.Argument(None, metavar="FILE|-"),
    kit: str | None = typer.Option(None, "--kit"),
    channel: str | None = typer.Option(None, "--channel"),
    market: str | None = typer.Option(None, "--market"),
    jsonl: str | None = typer.Option(None, "--jsonl", metavar="FILE|-"),
    as_json: bool = JsonOpt,
    brief: str | None = typer.Option(None, "--brief", help="the brief the copy must carry (turns on the off_brief check)"),
    product: str | None = typer.Option(None, "--product", help="the product the brief names"),
    offer: str | None = typer.Option(None, "--offer", help="the offer the brief names"),
    workers: int | None = typer.Option(None, "--workers", metavar="N",
                                       help="with --jsonl: processes checking in parallel (default: one per 200 "
                                            "texts, up to the CPUs and 8; 1: this process only); output stays in input order"),
) -> None:
    """Check a text for compliance, bias and quality (garbled, off brief, unsupported claims) without generating (exit 1 on a block verdict)."""
    from studio.checks.command import run_check_command

    raise typer.Exit(run_check_command(file, kit, channel, market, jsonl, as_json, brief, product, offer, workers))


# --------------------------------------------------------------------------- review


def _review_call(action, as_json: bool) -> None:
    from studio.limits import LimitError
    from studio.review import PermissionDenied, QueueError

    try:
        result = action()
    except (QueueError, PermissionDenied, LimitError) as exc:
        bad_input(str(exc))
    if as_json:
        emit_json(result)
    else:
        _print_variants([result], False)


@review_app.command("list")
def review_list(
    status: str | None = typer.Option(None, "--status"),
    kit: str | None = typer.Option(None, "--kit"),
    channel: str | None = typer.Option(None, "--channel"),
    verdict: str | None = typer.Option(None, "--verdict"),
    batch_id: str | None = typer.Option(None, "--batch"),
    as_json: bool = JsonOpt,
) -> None:
    """List variants in the review queue."""
    from studio.review import QueueError, ReviewQueue

    try:
        variants = ReviewQueue().list(status=status, kit=kit, channel=channel, verdict=verdict, batch_id=batch_id)
    except QueueError as exc:
        bad_input(str(exc))
    _print_variants(variants, as_json)


@review_app.command("show")
def review_show(variant_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """Show one variant with its versions, decisions and audit events."""
    from studio.review import ReviewQueue

    _review_call(lambda: ReviewQueue().show(variant_id, history=True), as_json)


@review_app.command("approve")
def review_approve(
    variant_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(..., "--by"),
    note: str | None = typer.Option(None, "--note", callback=_limited("note_chars")),
    override_reason: str | None = typer.Option(None, "--override-reason", callback=_limited("note_chars"),
                                               help="needed to approve a block verdict (admin)"),
    version: int | None = typer.Option(None, "--version", min=1, help="the version you reviewed (a newer one is a conflict)"),
    as_json: bool = JsonOpt,
) -> None:
    """Approve the current version, or --version N (a person takes editorial responsibility)."""
    from studio.workflow import decide

    _review_call(lambda: decide(variant_id, "approve", by=by, note=note, override_reason=override_reason,
                                version=version), as_json)


@review_app.command("reject")
def review_reject(
    variant_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(..., "--by"),
    reason: str = typer.Option(..., "--reason", callback=_limited("note_chars")),
    version: int | None = typer.Option(None, "--version", min=1, help="the version you reviewed (a newer one is a conflict)"),
    as_json: bool = JsonOpt,
) -> None:
    """Reject the current version, or --version N, with a reason."""
    from studio.workflow import decide

    _review_call(lambda: decide(variant_id, "reject", by=by, note=reason, version=version), as_json)


@review_app.command("request-changes")
def review_request_changes(
    variant_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(..., "--by"),
    note: str = typer.Option(..., "--note", callback=_limited("note_chars")),
    version: int | None = typer.Option(None, "--version", min=1, help="the version you reviewed (a newer one is a conflict)"),
    as_json: bool = JsonOpt,
) -> None:
    """Ask for changes: the note goes to the writer and version N+1 is queued."""
    from studio.workflow import decide

    _review_call(lambda: decide(variant_id, "request_changes", by=by, note=note, version=version,
                                progress=_stage_printer(as_json)), as_json)


@review_app.command("comment")
def review_comment(variant_id: str = typer.Argument(..., metavar="ID"), by: str = typer.Option(..., "--by"),
                   text: str = typer.Option(..., "--text", callback=_limited("note_chars")), as_json: bool = JsonOpt) -> None:
    """Comment on the current version."""
    from studio.review import ReviewQueue

    def action() -> dict:
        queue = ReviewQueue()
        queue.comment(variant_id, by=by, text=text)
        return queue.show(variant_id)

    _review_call(action, as_json)


@review_app.command("audit")
def review_audit(verify_chain: bool = typer.Option(False, "--verify", help="check the hash chain"), as_json: bool = JsonOpt) -> None:
    """Check that the audit log is intact (exit 1 when a record was edited or deleted)."""
    from studio.review import ReviewQueue

    report = ReviewQueue().verify_audit()
    if as_json:
        emit_json(report.model_dump())
    elif report.ok:
        anchor = "anchored outside the database" if report.anchored else "no anchor file yet"
        typer.echo(f"audit intact: {report.events} events, decisions, statuses and versions agree ({anchor})")
    else:
        typer.echo(f"audit BROKEN: {len(report.problems)} problem(s)")
        for problem in report.problems:
            typer.echo(f"  {problem}")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def export(
    out: str = typer.Option(..., "--out"),
    status: str = typer.Option("approved", "--status"),
    by: str | None = typer.Option(None, "--by", envvar="STUDIO_USER", help="user who exports (a reviewer or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Write each variant's copy (JSON) and image (PNG) with their labels; approved ones become exported."""
    from pathlib import Path

    from studio.review import PermissionDenied, QueueError, ReviewQueue
    from studio.review.export import export_variants

    try:
        written = export_variants(ReviewQueue(), Path(out), status=status, by=acting_user(by, demo_default="rita"))
    except (QueueError, PermissionDenied) as exc:
        bad_input(str(exc))
    if as_json:
        emit_json({"exported": written})
    else:
        typer.echo(f"exported {len(written)} variants to {out}")


@app.command()
def verify(file: str = typer.Argument(..., metavar="FILE"), as_json: bool = JsonOpt,
           db: str = typer.Option(None, "--db", help="review queue (SQLAlchemy URL or SQLite file) to match the watermark's id in")) -> None:
    """Read back every label and mark in a file, even a stripped or resized copy (exit 1 when one is missing, stripped or broken)."""
    from studio.labels.command import run_verify_command

    raise typer.Exit(run_verify_command(file, as_json, db))


@app.command("eval")
def run_eval(
    suite: list[str] = typer.Option(None, "--suite", help="checks, generation, fairness (default: all)"),
    as_json: bool = JsonOpt,
) -> None:
    """Run the eval suites and print a metrics table."""
    from studio.evaluation import run_eval_command

    raise typer.Exit(run_eval_command(suite or None, as_json))


def _undecodable_argument(argv: list[str]) -> str | None:
    """The option (or argument position) whose value is not UTF-8: Python hands such bytes over as
    lone surrogates, which later fail deep inside a service with a traceback."""
    for index, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            if arg.startswith("--") and "=" in arg:
                return arg.split("=", 1)[0]
            if index and argv[index - 1].startswith("-"):
                return argv[index - 1]
            return f"argument {index + 1}"
    return None


def main() -> None:
    where = _undecodable_argument(sys.argv[1:])
    if where is not None:
        sys.stderr.write(f"error: {where}: not UTF-8 text\n")
        raise SystemExit(2)
    from studio.batch.ray_cli import ray_flag_value

    sys.argv[1:] = ray_flag_value(sys.argv[1:])  # `--ray` with no address: start a local cluster
    try:
        app()
    except Exception as exc:
        db = sys.modules.get("studio.review.db")  # loaded whenever the database was touched
        if db is not None and isinstance(exc, db.DatabaseUnavailable):
            # One line (the URL's password masked), not a 490-line traceback.
            sys.stderr.write(f"error: {exc}\n")
            raise SystemExit(2) from None
        raise


if __name__ == "__main__":
    main()
