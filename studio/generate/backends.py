"""Pick the chat model from settings: embedded (default, offline) or any OpenAI-compatible server."""

from __future__ import annotations

from functools import lru_cache

from langchain_core.language_models.chat_models import BaseChatModel

from studio.generate.errors import GenerationError


def get_chat_model(settings=None) -> BaseChatModel:
    from studio.config import get_settings

    settings = settings or get_settings()
    if settings.llm_backend == "openai":
        if not settings.llm_base_url and not settings.llm_api_key:
            raise GenerationError("llm_backend=openai needs STUDIO_LLM_BASE_URL (a compatible server) or STUDIO_LLM_API_KEY")
        return _openai_chat(settings.llm_model, settings.llm_base_url, settings.llm_api_key or "not-needed",
                            settings.llm_timeout, settings.llm_max_retries, settings.llm_temperature,
                            settings.llm_max_tokens)
    from studio.generate.embedded_chat import EmbeddedChatModel

    return EmbeddedChatModel(
        data_dir=str(settings.data_dir),
        temperature=settings.llm_temperature,
        max_tokens=settings.llm_max_tokens,
    )


@lru_cache(maxsize=8)
def _openai_chat(model, base_url, api_key, timeout, max_retries, temperature, max_tokens) -> BaseChatModel:
    """One client per endpoint and parameters in this process: its HTTP connections are kept open and
    reused by every variant (and thread) instead of a new client, and a new connection, per variant."""
    from studio.generate.openai_chat import StudioChatOpenAI

    return StudioChatOpenAI(
        model=model,
        base_url=base_url,
        api_key=api_key,  # local servers often need none
        timeout=timeout,
        max_retries=max_retries,
        temperature=temperature,
        max_tokens=max_tokens,
    )


def backend_info(chat: BaseChatModel) -> dict:
    """Backend name, model and parameters for provenance."""
    from studio.generate.embedded_chat import EmbeddedChatModel

    if isinstance(chat, EmbeddedChatModel):
        return {"backend": "embedded", "model": chat.model_name, "params": dict(chat._identifying_params)}
    return {
        "backend": "openai",
        "model": getattr(chat, "model_name", ""),
        "base_url": getattr(chat, "openai_api_base", None),
        "params": {"temperature": getattr(chat, "temperature", None), "max_tokens": getattr(chat, "max_tokens", None)},
    }


def supports_prefill(chat: BaseChatModel) -> bool:
    from studio.generate.embedded_chat import EmbeddedChatModel

    return isinstance(chat, EmbeddedChatModel)
