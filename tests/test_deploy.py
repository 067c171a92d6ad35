"""compose.yaml and the Dockerfile (docker is not available here): the compose file parses, starts the app,
PostgreSQL and a Chroma server with healthchecks, the app waits for both, and every STUDIO_* variable it
sets is a real setting pointing at the right service."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from studio.config import Settings

REPO = Path(__file__).resolve().parents[1]
INTERPOLATION = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)(?::?[-?][^}]*)?\}")


def compose() -> dict:
    return yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_has_the_three_services_each_with_a_healthcheck_and_a_volume():
    services = compose()["services"]
    assert set(services) == {"app", "postgres", "chroma"}
    declared = set(compose()["volumes"])
    for name, service in services.items():
        assert "image" in service or "build" in service, name
        check = service["healthcheck"]
        assert check["test"][0] in ("CMD", "CMD-SHELL") and len(check["test"]) > 1, name
        assert check["retries"] >= 3, name
        named = {v.split(":")[0] for v in service.get("volumes", []) if not v.startswith((".", "/"))}
        assert named and named <= declared, f"{name}: its data lives on a declared volume"
    assert services["app"]["depends_on"] == {"postgres": {"condition": "service_healthy"},
                                             "chroma": {"condition": "service_healthy"}}


def test_app_environment_names_real_settings_and_points_at_the_services():
    app = compose()["services"]["app"]
    env = app["environment"]
    fields = set(Settings.model_fields)
    for key in env:
        if key.startswith("STUDIO_"):
            assert key.removeprefix("STUDIO_").lower() in fields, f"{key} is not a Studio setting"
    assert re.fullmatch(r"postgresql\+psycopg://studio:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432/studio",
                        env["STUDIO_DATABASE_URL"])
    assert env["STUDIO_CHROMA_URL"] == "http://chroma:8000"
    assert env["STUDIO_LLM_BACKEND"] == "openai" and "STUDIO_LLM_BASE_URL" in env
    assert "STUDIO_DEMO_USERS" not in env and env["STUDIO_USERS_FILE"], "a team runs with real accounts"
    assert app["ports"] == ["127.0.0.1:7860:7860"], "only the reverse proxy on the host reaches the app"


def test_secrets_come_from_the_environment_and_chroma_matches_the_client_version():
    text = (REPO / "compose.yaml").read_text(encoding="utf-8")
    required = {m.group(1) for m in INTERPOLATION.finditer(text) if ":?" in m.group(0)}
    assert {"POSTGRES_PASSWORD", "STUDIO_LLM_BASE_URL", "STUDIO_LLM_MODEL"} <= required
    assert not re.search(r"^\s*\w*PASSWORD\w*:\s+[^$\s]", text, re.M), "no password written into the file"
    chroma = compose()["services"]["chroma"]
    assert chroma["command"][:2] == [".venv/bin/chroma", "run"], "the server from Studio's image, same chromadb as the client"
    postgres = compose()["services"]["postgres"]
    assert postgres["environment"]["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")


def test_dockerfile_installs_the_ray_extra_and_has_a_healthcheck():
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    assert '".[ray]"' in dockerfile and "HEALTHCHECK" in dockerfile
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^ray = \["ray==2\.60\.0"\]', pyproject, re.M)
