"""Prompt templates are data (prompts/*.yaml, Jinja strings); this module loads and renders them.

Each template records its id and a hash of the file, so a variant's provenance says exactly
which wording produced it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from jinja2 import Environment, StrictUndefined

_env = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=512)
def _compiled(source: str):
    """Jinja compiles a template to Python code (milliseconds each): once per text, not at every render."""
    return _env.from_string(source)


@dataclass(frozen=True)
class PromptTemplate:
    id: str
    version: int
    hash: str
    path: Path
    parts: dict

    def render(self, part: str, lang: str, **values) -> str:
        block = self.parts.get(part, "")
        if isinstance(block, dict):
            block = block.get(lang) or block.get("en") or next(iter(block.values()), "")
        return _compiled(block or "").render(**values).strip()

    @property
    def provenance(self) -> dict:
        return {"id": self.id, "version": self.version, "hash": self.hash}


@lru_cache(maxsize=32)
def _load(path: str, mtime: float) -> PromptTemplate:
    raw = Path(path).read_bytes()
    data = yaml.safe_load(raw)
    if not isinstance(data, dict) or "id" not in data:
        raise ValueError(f"{path}: a prompt template needs an 'id'")
    return PromptTemplate(
        id=data["id"], version=int(data.get("version", 1)), hash=hashlib.sha256(raw).hexdigest()[:16], path=Path(path), parts=data
    )


def load_template(template_id: str, prompts_dir: Path | None = None) -> PromptTemplate:
    if prompts_dir is None:
        from studio.config import get_settings

        prompts_dir = get_settings().prompts_dir
    path = Path(prompts_dir) / f"{template_id}.yaml"
    if not path.exists():
        raise FileNotFoundError(f"no prompt template '{template_id}' in {prompts_dir}")
    return _load(str(path), path.stat().st_mtime)
