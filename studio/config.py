"""Every setting in one place: environment variables (STUDIO_*) and a .env file, offline defaults."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[1]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STUDIO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default=Path("studio_data"), description="where the database, voice store, images and exports live")
    kits_dir: Path = Field(default=REPO_ROOT / "brand_kits", description="folder of brand kits")
    prompts_dir: Path = Field(default=REPO_ROOT / "prompts", description="folder of prompt templates")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; default sqlite in data_dir")

    llm_backend: Literal["embedded", "openai"] = "embedded"
    llm_model: str = Field(default="SmolLM2-135M-Instruct", description="model name for the OpenAI-compatible backend")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible base URL, e.g. http://localhost:8000/v1")
    llm_api_key: str | None = None
    llm_timeout: float = 60.0
    llm_max_retries: int = 3
    llm_temperature: float = 0.8
    llm_max_tokens: int = 320
    writer: Literal["auto", "compose", "model"] = Field(
        default="auto", description="who writes the copy: the kit's content modules (compose), the model, or auto: "
                                    "composed with the embedded model; a capable model writes and composed fields "
                                    "replace what the quality gate blocks")
    candidates: int = Field(default=3, ge=1, le=10, description="best-of-N copy candidates per variant")
    revise_rounds: int = Field(default=2, ge=0, le=5)

    image_backend: Literal["template", "diffusers", "openai"] = "template"
    diffusers_model: str | None = Field(default=None, description="local diffusers model directory or cached model id")
    image_steps: int = 20
    image_seed: int = 0
    image_model: str = Field(default="gpt-image-1", description="model for the OpenAI Images backend")

    embedding_model: str | None = Field(default=None, description="sentence-transformers model directory; default the packaged MiniLM")
    chroma_url: str | None = Field(default=None, description="http://host:port of a Chroma server; default embedded store")

    c2pa_cert: Path | None = Field(default=None, description="PEM certificate chain for C2PA signing")
    c2pa_key: Path | None = Field(default=None, description="PEM private key for C2PA signing")
    cn_content_producer: str = Field(
        default="STUDIO-SAMPLE-PRODUCER-CODE-NOT-SET",
        description="ContentProducer of the CN implicit label (TC260:AIGC): the provider's code, e.g. '001' + '1' + "
                    "the company's 18-character unified social credit code + a 5-digit product number")
    cn_content_propagator: str = Field(
        default="", description="ContentPropagator of the CN implicit label, written on export when Studio "
                                "distributes the file (the same kind of code); empty: not set")
    users_file: Path | None = Field(default=None, description="YAML users file with hashed passwords")
    demo_users: bool = Field(default=False, description="the demo accounts (alice, rita, ravi, adam; password studio-demo), "
                                                        "used only when no users file is set")
    secrets_dir: Path | None = Field(default=None, description="where the audit key and anchor live; default <data_dir>/secrets "
                                                               "(never served; keep it off the database host if you can)")
    separation_of_duties: bool = Field(default=True, description="a reviewer may not approve a version they edited")
    login_max_failures: int = Field(default=5, ge=1, description="wrong passwords for a user before logins are paused")
    login_lockout_seconds: float = Field(default=60.0, ge=0, description="first pause after too many failures (doubles each time)")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'studio.db').resolve()}"

    @property
    def images_dir(self) -> Path:
        """Rendered, labelled creatives: the only folder the app serves files from."""
        return self.data_dir / "images"

    @property
    def secret_dir(self) -> Path:
        return self.secrets_dir or self.data_dir / "secrets"

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)


@cache
def get_settings() -> Settings:
    return Settings()
