"""`studio experiment create|list|show|export|import|close` (the CLI contract in DESIGN.md)."""

from __future__ import annotations

from pathlib import Path

import typer

experiment_app = typer.Typer(help="A/B tests of approved variants: export, import results, name the winner.",
                             no_args_is_help=True)
JsonOpt = typer.Option(False, "--json", help="print one JSON document on stdout")


def _call(action):
    """Run a service call; refused input (unknown id, wrong role, bad file) exits 2 with one line."""
    from studio.cli import bad_input
    from studio.experiments.exports import ExportError
    from studio.experiments.imports import ResultFileError
    from studio.review import PermissionDenied, QueueError

    try:
        return action()
    except (QueueError, PermissionDenied, ExportError, ResultFileError) as exc:
        bad_input(str(exc))


def _service():
    from studio.experiments import ExperimentService

    return ExperimentService()


def _print_show(data: dict) -> None:
    typer.echo(f"{data['id']}  {data['name']}  {data['status']}  {data['kit']}/{data['channel']}  metric={data['metric']}")
    for v in data["variants"]:
        typer.echo(f"  {v['id']}  impr={v['impressions']:,} clicks={v['clicks']:,} conv={v['conversions']:,}  "
                   f"rate={v['rate']:.3%} [{v['ci_low']:.3%}, {v['ci_high']:.3%}]  P(best)={v['p_best']:.3f}  "
                   f"loss={v['expected_loss']:.5f}")
    typer.echo(f"  {data['decision']}")
    typer.echo(f"  winner: {data['winner'] or '-'}")


@experiment_app.command("create")
def create(
    name: str = typer.Option(..., "--name"),
    variant: list[str] = typer.Option(..., "--variant", help="an approved variant id (2-10 of them)"),
    metric: str = typer.Option("ctr", "--metric", help="ctr (clicks/impressions) or cvr (conversions/clicks)"),
    mde: float = typer.Option(0.2, "--mde", help="minimum detectable effect, relative lift (0.2 = +20%)"),
    hypothesis: str | None = typer.Option(None, "--hypothesis"),
    by: str = typer.Option(..., "--by", envvar="STUDIO_USER", help="who creates it (a creator or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Group approved variants of one kit and channel into an A/B/n test."""
    from studio.cli import emit_json

    experiment_id = _call(lambda: _service().create(name=name, variant_ids=variant, by=by, metric=metric,
                                                    hypothesis=hypothesis, mde=mde))
    if as_json:
        emit_json({"id": experiment_id})
    else:
        typer.echo(experiment_id)


@experiment_app.command("list")
def list_experiments(as_json: bool = JsonOpt) -> None:
    """List the experiments."""
    from studio.cli import emit_json

    rows = _call(lambda: _service().list())
    if as_json:
        emit_json({"experiments": rows})
        return
    for e in rows:
        typer.echo(f"{e['id']}  {e['status']:8} {e['metric']}  {e['variants']} variants  {e['kit']}/{e['channel']}  "
                   f"{e['name']}  winner={e['winner'] or '-'}")


@experiment_app.command("show")
def show(experiment_id: str = typer.Argument(..., metavar="ID"), as_json: bool = JsonOpt) -> None:
    """Each variant's rate with its 95% credible interval, P(best), expected loss, and the decision."""
    from studio.cli import emit_json

    data = _call(lambda: _service().show(experiment_id))
    emit_json(data) if as_json else _print_show(data)


@experiment_app.command("export")
def export(
    experiment_id: str = typer.Argument(..., metavar="ID"),
    fmt: str = typer.Option(..., "--format", help="google-ads-rsa | meta | csv"),
    out: str = typer.Option(..., "--out"),
    final_url: str = typer.Option("", "--final-url", help="landing page for Google's Final URL and Meta's Link"),
    by: str = typer.Option(..., "--by", envvar="STUDIO_USER", help="who exports (a reviewer or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Write the ad platform's own bulk-upload file for the experiment's variants."""
    from studio.cli import emit_json

    files = _call(lambda: _service().export(experiment_id, fmt=fmt, out_dir=Path(out), by=by,
                                                       final_url=final_url))
    if as_json:
        emit_json({"id": experiment_id, "format": fmt, "files": files})
    else:
        typer.echo("\n".join(files))


@experiment_app.command("import")
def import_results(
    experiment_id: str = typer.Argument(..., metavar="ID"),
    file: str = typer.Argument(..., metavar="FILE"),
    by: str = typer.Option(..., "--by", envvar="STUDIO_USER", help="who imports (a creator or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Import results per variant (variant_id,impressions,clicks,conversions,spend or the platform's report)."""
    from studio.cli import emit_json

    result = _call(lambda: _service().import_results(experiment_id, Path(file), by=by))
    if as_json:
        emit_json(result)
    else:
        typer.echo(f"imported {result['rows']} rows ({result['format']}, sha256 {result['sha256'][:12]})")


@experiment_app.command("close")
def close(
    experiment_id: str = typer.Argument(..., metavar="ID"),
    by: str = typer.Option(..., "--by", envvar="STUDIO_USER", help="who closes it (a reviewer or admin)"),
    as_json: bool = JsonOpt,
) -> None:
    """Close the test: the rule's winner (if any) feeds the composer and the kit's voice examples."""
    from studio.cli import emit_json

    data = _call(lambda: _service().close(experiment_id, by=by))
    emit_json(data) if as_json else _print_show(data)
