"""Shared test set-up: an isolated data directory per session, offline environment, sample kits."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
KITS_DIR = REPO / "brand_kits"
SAMPLE_KITS = ("northpeak", "chayuan")

# Offline everywhere, before any library reads its environment.
os.environ.update(
    HF_HUB_OFFLINE="1",
    TRANSFORMERS_OFFLINE="1",
    GRADIO_ANALYTICS_ENABLED="False",
    ANONYMIZED_TELEMETRY="False",
    TOKENIZERS_PARALLELISM="false",
    # The demo accounts (alice creator, rita/ravi reviewers, adam admin) exist only when this is set.
    STUDIO_DEMO_USERS="1",
)
# The converted embedded model is cached across test runs (the conversion takes ~35 s).
MODEL_CACHE = REPO / "studio_data" / "test-cache"
os.environ.setdefault("STUDIO_MODEL_CACHE", str(MODEL_CACHE))


@pytest.fixture(scope="session")
def session_data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("studio-data")


@pytest.fixture(autouse=True)
def isolated_settings(session_data_dir, monkeypatch):
    """Every test sees a fresh Settings object pointing at the session's data directory."""
    from studio import config

    monkeypatch.setenv("STUDIO_DATA_DIR", str(session_data_dir))
    monkeypatch.setenv("STUDIO_KITS_DIR", str(KITS_DIR))
    config.get_settings.cache_clear()
    yield
    config.get_settings.cache_clear()


@pytest.fixture
def kit_copy(tmp_path) -> callable:
    """Copy a sample kit to a temp folder so a test can break it."""

    def make(kit_id: str = "northpeak") -> Path:
        dest = tmp_path / kit_id
        shutil.copytree(KITS_DIR / kit_id, dest)
        return dest

    return make


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """A real PostgreSQL server on loopback, started for this test session."""
    from .postgres_server import PostgresServer

    server = PostgresServer()
    url = server.start()
    yield url
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def queue_url(request, tmp_path) -> str:
    """The queue's database: a fresh SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'queue.db'}"
    from tests.postgres_server import fresh_database

    return fresh_database(request.getfixturevalue("postgres_url"))
