"""Insights: the queue in numbers and charts, with a CSV download."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path

import gradio as gr
import pandas as pd

from studio.app.common import friendly_errors
from studio.review import ReviewQueue
from studio.review.insights import insights_csv, queue_insights


def _frame(counts: dict, key: str) -> pd.DataFrame:
    return pd.DataFrame({key: list(counts), "count": list(counts.values())})


@friendly_errors
def refresh():
    data = queue_insights(ReviewQueue())
    rate = f"{data['approval_rate']:.0%}" if data["approval_rate"] is not None else "—"
    seconds = data["median_seconds_to_decision"]
    summary = (f"**Variants:** {data['total']} · **Approval rate:** {rate} · "
               f"**Median time to decision:** {f'{seconds / 60:.1f} min' if seconds is not None else '—'}")
    csv_path = Path(tempfile.mkdtemp()) / f"studio-insights-{datetime.now(UTC):%Y%m%d-%H%M}.csv"
    csv_path.write_text(insights_csv(data), encoding="utf-8")
    rules = [[rule, count] for rule, count in data["findings_by_rule"].items()]
    return (summary, _frame(data["by_status"], "status"), _frame(data["findings_by_category"], "finding"),
            _frame(data["by_channel"], "channel"), _frame(data["by_segment"], "segment"), rules, str(csv_path))


def _bar_plot(key: str, title: str) -> gr.BarPlot:
    # Counts start at zero, else a single bar has no height.
    return gr.BarPlot(x=key, y="count", title=title, y_lim=[0, None], elem_id=f"insights-{key}")


def build(demo: gr.Blocks, tab: gr.Tab) -> None:
    summary = gr.Markdown(elem_id="insights-summary")
    refresh_btn = gr.Button("Refresh", size="sm")
    with gr.Row():
        status_plot = _bar_plot("status", "Variants by status")
        category_plot = _bar_plot("finding", "Findings by category")
    with gr.Row():
        channel_plot = _bar_plot("channel", "Variants per channel")
        segment_plot = _bar_plot("segment", "Variants per segment")
    rules = gr.Dataframe(headers=["rule", "findings"], label="Most frequent rules", interactive=False)
    csv_file = gr.File(label="Download CSV", interactive=False)
    outputs = [summary, status_plot, category_plot, channel_plot, segment_plot, rules, csv_file]
    refresh_btn.click(refresh, None, outputs, api_visibility="private")
    demo.load(refresh, None, outputs, api_visibility="private")
    tab.select(refresh, None, outputs, api_visibility="private")
