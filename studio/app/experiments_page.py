"""Experiments: create an A/B test from approved variants, import results, read each variant's credible
interval at a glance, close it. Named API endpoints call the same service as `studio experiment`."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

import gradio as gr

from studio.app.common import current_user, friendly_errors
from studio.experiments import ExperimentService
from studio.review import ReviewQueue

CHART_WIDTH, ROW_HEIGHT, LABEL_WIDTH = 640, 34, 170


def interval_chart(shown: dict) -> str:
    """An SVG: one row per variant, its 95% credible interval as a bar, the posterior mean as a dot; the winner
    (only when the decision rule names one) in green. The scale runs from 0 to a bit above the highest bound."""
    variants = shown["variants"]
    top = max([v["ci_high"] for v in variants] + [1e-6]) * 1.1
    inner = CHART_WIDTH - LABEL_WIDTH - 20

    def x(rate: float) -> float:
        return LABEL_WIDTH + inner * rate / top

    rows = []
    for i, v in enumerate(variants):
        y = 20 + i * ROW_HEIGHT
        colour = "#1a7f37" if v["id"] == shown["winner"] else "#57606a"
        rows.append(
            f'<g class="variant" data-variant="{html.escape(v["id"])}">'
            f'<text x="4" y="{y + 4}" font-size="12">{html.escape(v["id"])}</text>'
            f'<line x1="{x(v["ci_low"]):.1f}" x2="{x(v["ci_high"]):.1f}" y1="{y}" y2="{y}" stroke="{colour}" '
            f'stroke-width="6" stroke-linecap="round"><title>95% credible interval {v["ci_low"]:.2%}-'
            f'{v["ci_high"]:.2%}</title></line>'
            f'<circle cx="{x(v["rate"]):.1f}" cy="{y}" r="5" fill="white" stroke="{colour}" stroke-width="2"/>'
            f'<text x="{x(v["ci_high"]) + 8:.1f}" y="{y + 4}" font-size="11">{v["rate"]:.2%} · P(best) '
            f'{v["p_best"]:.2f}</text></g>')
    height = 30 + len(variants) * ROW_HEIGHT
    axis = "".join(f'<text x="{x(top * t / 4):.1f}" y="{height - 2}" font-size="10" text-anchor="middle">'
                   f'{top * t / 4:.1%}</text>' for t in range(5))
    metric = "click-through rate" if shown["metric"] == "ctr" else "conversion rate"
    return (f'<svg role="img" aria-label="{metric} per variant with 95% credible intervals" width="{CHART_WIDTH}" '
            f'height="{height + 6}" xmlns="http://www.w3.org/2000/svg" id="experiment-chart">{"".join(rows)}{axis}</svg>')


def _summary(shown: dict) -> str:
    winner = f"**Winner:** `{shown['winner']}`" if shown["winner"] else "**Winner:** none yet"
    return (f"### {html.escape(shown['name'])} · {shown['status']}\n{shown['kit']} / {shown['channel']} · metric "
            f"{shown['metric']} · MDE {shown['mde']:.0%}\n\n{winner}\n\n{shown['decision']}")


def _table(shown: dict) -> list[list]:
    return [[v["id"], v["impressions"], v["clicks"], v["conversions"], f"{v['rate']:.3%}",
             f"{v['ci_low']:.3%} – {v['ci_high']:.3%}", round(v["p_best"], 3), round(v["expected_loss"], 5)]
            for v in shown["variants"]]


# ------------------------------------------------------------------------------------------ API endpoints


@friendly_errors
def api_experiment_create(name: str, variant_ids: list[str], metric: str = "ctr", mde: float = 0.2,
                          hypothesis: str = "", request: gr.Request = None) -> dict:
    """Group approved variants into an A/B test as the logged-in user; returns {"id"}."""
    return {"id": ExperimentService().create(name=name, variant_ids=list(variant_ids or []),
                                             by=current_user(request).name, metric=metric or "ctr",
                                             mde=float(mde), hypothesis=hypothesis or None)}


@friendly_errors
def api_experiment_list(request: gr.Request = None) -> dict:
    current_user(request)
    return {"experiments": ExperimentService().list()}


@friendly_errors
def api_experiment_show(experiment_id: str, request: gr.Request = None) -> dict:
    """As `studio experiment show ID --json`."""
    current_user(request)
    return ExperimentService().show(experiment_id)


@friendly_errors
def api_experiment_import(experiment_id: str, csv_text: str, file_name: str = "results.csv",
                          request: gr.Request = None) -> dict:
    """Import results given as the CSV file's text (plain, or a platform's report); a server path is never read."""
    user = current_user(request)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file_name or "results.csv").name or "results.csv")
        path.write_bytes(csv_text.encode("utf-8"))
        return ExperimentService().import_results(experiment_id, path, by=user.name)


@friendly_errors
def api_experiment_close(experiment_id: str, request: gr.Request = None) -> dict:
    """Close the test as the logged-in user (reviewer or admin); returns the final figures and winner."""
    return ExperimentService().close(experiment_id, by=current_user(request).name)


ENDPOINTS = {"experiment_create": api_experiment_create, "experiment_list": api_experiment_list,
             "experiment_show": api_experiment_show, "experiment_import": api_experiment_import,
             "experiment_close": api_experiment_close}


# ------------------------------------------------------------------------------------------ page handlers


@friendly_errors
def load_choices(request: gr.Request):
    current_user(request)
    approved = [v for v in ReviewQueue().list() if v["status"] in ("approved", "exported")]
    variant_choices = [(f"{v['id']} · {v['kit']}/{v['channel']}/{v['segment']} · "
                        f"{next(iter(v['copy'].values()), '')[:50]}", v["id"]) for v in approved]
    experiments = [(f"{e['name']} ({e['status']})", e["id"]) for e in ExperimentService().list()]
    return gr.update(choices=variant_choices), gr.update(choices=experiments)


@friendly_errors
def show_experiment(experiment_id: str | None, request: gr.Request):
    current_user(request)
    if not experiment_id:
        return "Pick an experiment.", "", []
    shown = ExperimentService().show(experiment_id)
    return _summary(shown), interval_chart(shown), _table(shown)


@friendly_errors
def create_from_selection(name: str, variant_ids: list[str], metric: str, mde: float, request: gr.Request):
    experiment_id = api_experiment_create(name, variant_ids, metric, mde, "", request)["id"]
    gr.Info(f"Experiment {experiment_id} created")
    experiments = [(f"{e['name']} ({e['status']})", e["id"]) for e in ExperimentService().list()]
    return gr.update(choices=experiments, value=experiment_id)


@friendly_errors
def import_file(experiment_id: str, file, request: gr.Request):
    if not experiment_id or not file:
        raise gr.Error("Pick an experiment and a results file.")
    path = file if isinstance(file, str) else file.name  # an upload Gradio stored in its own temp folder
    ExperimentService().import_results(experiment_id, Path(path), by=current_user(request).name)
    return show_experiment(experiment_id, request)


@friendly_errors
def close_experiment(experiment_id: str, request: gr.Request):
    if not experiment_id:
        raise gr.Error("Pick an experiment.")
    api_experiment_close(experiment_id, request)
    return show_experiment(experiment_id, request)


def build(demo: gr.Blocks, tab: gr.Tab) -> None:
    with gr.Row():
        with gr.Column(scale=1):
            gr.Markdown("#### New experiment from approved variants")
            name = gr.Textbox(label="Name", elem_id="experiment-name")
            variants = gr.CheckboxGroup(label="Approved variants (same kit and channel)", elem_id="experiment-variants")
            metric = gr.Radio(["ctr", "cvr"], value="ctr", label="Primary metric")
            mde = gr.Number(value=0.2, label="Minimum detectable effect (relative lift)", minimum=0.01, maximum=5)
            create = gr.Button("Create experiment", variant="primary")
        with gr.Column(scale=2):
            experiment = gr.Dropdown(label="Experiment", elem_id="experiment-pick")
            summary = gr.Markdown(elem_id="experiment-summary")
            chart = gr.HTML(elem_id="experiment-chart-box")
            table = gr.Dataframe(headers=["variant", "impressions", "clicks", "conversions", "rate",
                                          "95% credible interval", "P(best)", "expected loss"], interactive=False)
            with gr.Row():
                results = gr.File(label="Results CSV (plain, Google Ads or Meta report)", file_types=[".csv"])
                import_btn = gr.Button("Import results")
                close_btn = gr.Button("Close experiment", variant="stop")
    shown = [summary, chart, table]
    tab.select(load_choices, None, [variants, experiment], api_visibility="private")
    create.click(create_from_selection, [name, variants, metric, mde], experiment, api_visibility="private")
    experiment.change(show_experiment, experiment, shown, api_visibility="private")
    import_btn.click(import_file, [experiment, results], shown, api_visibility="private")
    close_btn.click(close_experiment, experiment, shown, api_visibility="private")
    for api_name, fn in ENDPOINTS.items():
        gr.api(fn, api_name=api_name)
