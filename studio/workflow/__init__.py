"""The agent workflow (LangGraph) and the services built on it."""

from studio.workflow.runner import GenerateRequest, InputError, decide, edit, generate

__all__ = ["GenerateRequest", "InputError", "decide", "edit", "generate"]
