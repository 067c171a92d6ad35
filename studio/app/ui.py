"""Assemble the Gradio app from its pages."""

from __future__ import annotations

import gradio as gr

from studio.app import api, create_page, experiments_page, insights_page, kits_page, review_page


def build_app() -> gr.Blocks:
    with gr.Blocks(title="Studio") as demo:
        with gr.Row():
            gr.Markdown("## Studio · on-brand, checked, labelled content with human review")
            who = gr.Markdown(elem_id="whoami")
            gr.Button("Log out", link="/logout", size="sm", scale=0)
        with gr.Tabs():
            with gr.Tab("Create", id="create"):
                create_page.build(demo)
            with gr.Tab("Review", id="review") as review_tab:
                review_page.build(demo, review_tab)
            with gr.Tab("Brand kits", id="kits"):
                kits_page.build(demo)
            with gr.Tab("Insights", id="insights") as insights_tab:
                insights_page.build(demo, insights_tab)
            with gr.Tab("Experiments", id="experiments") as experiments_tab:
                experiments_page.build(demo, experiments_tab)
        demo.load(_whoami, None, who, api_visibility="private")
        api.register()
    return demo


def _whoami(request: gr.Request) -> str:
    from studio.app.common import current_user

    user = current_user(request)
    return f"Logged in as **{user.display_name or user.name}** ({user.role})"
