"""Copy generation: chat-model backends (embedded SmolLM2 or OpenAI-compatible), prompts, best-of-N."""

from studio import cpu as _cpu

_cpu.prepare()  # before anything imports torch: see studio/cpu.py

from studio.generate.backends import get_chat_model
from studio.generate.copy import CopyResult, generate_copy
from studio.generate.errors import GenerationError

__all__ = ["CopyResult", "GenerationError", "generate_copy", "get_chat_model"]
