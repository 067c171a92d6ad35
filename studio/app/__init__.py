"""The Gradio app: pages that call the same services as the CLI (no logic of their own)."""
