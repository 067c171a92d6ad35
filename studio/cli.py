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

JsonOpt = typer.Option(False, "--json", help="print one JSON document on stdout")


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def bad_input(message: str) -> NoReturn:
    """Exit 2 with one clear line on stderr; nothing has been written."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def not_built(stage: str) -> NoReturn:
    bad_input(f"{stage} is not built yet in this version of Studio")


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

    try:
        loaded = load_kit_dir(path)
    except KitError as exc:
        if as_json:
            emit_json({"valid": False, "error": str(exc)})
        bad_input(str(exc))
    if as_json:
        emit_json({"valid": True, **_kit_summary(loaded)})
    else:
        typer.echo(f"ok: kit '{loaded.kit.id}' with {len(loaded.kit.segments)} segments and {len(loaded.voice_files)} voice documents")


@kit_app.command("ingest")
def kit_ingest(kit_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """Index a kit's voice documents into the voice store."""
    not_built("the voice store (kit ingest)")


# --------------------------------------------------------------------------- stages not built yet


@app.command()
def serve(host: str = typer.Option("127.0.0.1", "--host"), port: int = typer.Option(7860, "--port")) -> None:
    """Start the Gradio app."""
    not_built("the Gradio app")


@app.command()
def generate(
    kit: str = typer.Option(..., "--kit"),
    segment: str = typer.Option(..., "--segment"),
    channel: list[str] = typer.Option(..., "--channel"),
    brief: str = typer.Option(..., "--brief"),
    variants: int = typer.Option(1, "--variants", min=1, max=20),
    market: str | None = typer.Option(None, "--market"),
    as_json: bool = JsonOpt,
) -> None:
    """Generate variants for a brief and queue them for review."""
    not_built("generation")


@app.command()
def batch(file: str = typer.Argument(..., metavar="FILE"), concurrency: int = typer.Option(2, "--concurrency"), as_json: bool = JsonOpt) -> None:
    """Generate one brief per row of a CSV or JSONL file."""
    not_built("batch generation")


@app.command()
def check(
    file: str = typer.Argument(None, metavar="FILE|-"),
    kit: str | None = typer.Option(None, "--kit"),
    channel: str | None = typer.Option(None, "--channel"),
    market: str | None = typer.Option(None, "--market"),
    jsonl: str | None = typer.Option(None, "--jsonl", metavar="FILE|-"),
    as_json: bool = JsonOpt,
) -> None:
    """Check a text for compliance and bias without generating."""
    not_built("the checks stage")


@review_app.command("list")
def review_list(status: str | None = typer.Option(None, "--status"), as_json: bool = JsonOpt) -> None:
    """List variants in the review queue."""
    not_built("the review queue")


@app.command()
def export(out: str = typer.Option(..., "--out"), status: str = typer.Option("approved", "--status"), as_json: bool = JsonOpt) -> None:
    """Export approved variants with their labels."""
    not_built("export")


@app.command()
def verify(file: str = typer.Argument(..., metavar="FILE"), as_json: bool = JsonOpt) -> None:
    """Read back every label and mark in an exported file."""
    not_built("verify")


@app.command("eval")
def run_eval(as_json: bool = JsonOpt) -> None:
    """Run the eval suites and print a metrics table."""
    not_built("the eval suites")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
