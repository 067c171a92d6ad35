"""The agent workflow (LangGraph) and the services built on it."""

from studio.workflow.runner import GenerateRequest, InputError, decide, edit, generate, regenerate

__all__ = ["GenerateRequest", "InputError", "decide", "edit", "generate", "regenerate"]
