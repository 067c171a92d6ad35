"""The OpenAI-compatible backend: langchain-openai's ChatOpenAI, with failures turned into one line.

Retries with exponential backoff on 429/5xx/connection errors come from the openai client
(`max_retries`); what is left after them becomes a GenerationError that says what went wrong.
"""

from __future__ import annotations

from typing import Any

import openai
from langchain_openai import ChatOpenAI

from studio.generate.errors import GenerationError


class StudioChatOpenAI(ChatOpenAI):
    """ChatOpenAI whose errors are GenerationErrors with a reason a marketer can act on."""

    def _where(self) -> str:
        return f"LLM endpoint {self.openai_api_base or 'https://api.openai.com/v1'}"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any):
        try:
            result = super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        except openai.AuthenticationError as exc:
            raise GenerationError(f"{self._where()} rejected the API key (HTTP 401); check STUDIO_LLM_API_KEY") from exc
        except openai.PermissionDeniedError as exc:
            raise GenerationError(f"{self._where()} refused access (HTTP 403) for model '{self.model_name}'") from exc
        except openai.NotFoundError as exc:
            raise GenerationError(f"{self._where()} has no model '{self.model_name}' or no /chat/completions route (HTTP 404)") from exc
        except openai.RateLimitError as exc:
            raise GenerationError(f"{self._where()} is rate limiting (HTTP 429) after {self.max_retries} retries") from exc
        except openai.APITimeoutError as exc:
            raise GenerationError(f"{self._where()} timed out after {self.request_timeout} s") from exc
        except openai.APIConnectionError as exc:
            raise GenerationError(f"cannot reach {self._where()}: {exc.__cause__ or exc}") from exc
        except openai.APIStatusError as exc:
            raise GenerationError(f"{self._where()} answered HTTP {exc.status_code} after {self.max_retries} retries") from exc
        except GenerationError:
            raise
        except Exception as exc:  # noqa: BLE001 - non-JSON or wrong-shape bodies surface as odd errors
            raise GenerationError(f"{self._where()} returned a malformed response ({type(exc).__name__}: {str(exc)[:120]})") from exc
        for gen in result.generations:
            if not isinstance(gen.message.content, str):
                raise GenerationError(f"{self._where()} returned a malformed response (no text content)")
        if not result.generations:
            raise GenerationError(f"{self._where()} returned a malformed response (no choices)")
        return result
