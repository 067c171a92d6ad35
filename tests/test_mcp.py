"""`studio mcp`: the real server driven by the MCP SDK's own client, over stdio and over streamable HTTP.

One data folder for the module: API tokens come from the real `studio user token create|revoke` commands (run
in this process with typer's runner, against the servers' database), the HTTP server is one `studio mcp --http`
subprocess, the stdio server one `studio mcp --user` subprocess per session; generation uses the composed writer
(STUDIO_WRITER=compose) on the embedded defaults.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import anyio
import httpx2
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from tests.app_server import free_port, stop_process, wait_until_serving
from tests.conftest import KITS_DIR, REPO

pytestmark = pytest.mark.slow

TOOLS = {"list_kits", "show_kit_voice", "check_copy", "generate_variants", "list_review_queue", "show_variant",
         "decide_variant"}
RISKY = "The best jacket in the world, guaranteed to cure your back pain!"
BRIEF = {"kit": "northpeak", "segment": "trail-regulars", "channels": ["sms"], "market": "US",
         "brief": "Launch of the Ridgeback rain shell for bike commuters", "product": "Ridgeback Shell",
         "offer": "free first repair"}


@pytest.fixture(scope="module")
def mcp_env(tmp_path_factory) -> dict:
    data = tmp_path_factory.mktemp("mcp-data")
    return {**os.environ, "STUDIO_DATA_DIR": str(data), "STUDIO_KITS_DIR": str(KITS_DIR), "STUDIO_DEMO_USERS": "1",
            "STUDIO_WRITER": "compose", "STUDIO_CANDIDATES": "1", "STUDIO_USER": ""}


CLI_ENV = ("STUDIO_DATA_DIR", "STUDIO_KITS_DIR", "STUDIO_DEMO_USERS", "STUDIO_WRITER", "STUDIO_CANDIDATES", "STUDIO_USER")


def studio(env: dict, *args: str):
    """`studio ARGS` in this process, on the servers' data folder: (exit code, stdout, stderr)."""
    from typer.testing import CliRunner

    from studio import config
    from studio.cli import app

    with pytest.MonkeyPatch.context() as patch:
        for name in CLI_ENV:
            patch.setenv(name, env[name])
        config.get_settings.cache_clear()
        result = CliRunner().invoke(app, list(args))
        config.get_settings.cache_clear()
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def http_url(mcp_env):
    port = free_port()
    log_path = REPO / "test-artifacts" / "mcp-http.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen([sys.executable, "-m", "studio.cli", "mcp", "--http", "--port", str(port)],
                                   stdout=log, stderr=subprocess.STDOUT, env=mcp_env)
        try:
            wait_until_serving(process, f"http://127.0.0.1:{port}/health", 120, "studio mcp --http",
                               lambda: f"see {log_path}")
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            stop_process(process)


@pytest.fixture(scope="module")
def tokens(mcp_env, http_url) -> dict:
    """Real tokens, made with the CLI while the server runs: it reads them from the database per request."""
    made = {}
    for user in ("rita", "alice", "ravi"):
        code, out, err = studio(mcp_env, "user", "token", "create", user, "--json")
        assert code == 0, err
        made[user] = json.loads(out)
    return made


@pytest.fixture
def studio_queue(mcp_env, monkeypatch):
    """The review queue of the servers' data folder, read in this process."""
    from studio import config
    from studio.review import ReviewQueue

    monkeypatch.setenv("STUDIO_DATA_DIR", mcp_env["STUDIO_DATA_DIR"])
    config.get_settings.cache_clear()
    return ReviewQueue()


def over_http(url: str, token: str | None) -> Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(streamable_http_client(url, http_client=httpx2.AsyncClient(headers=headers, timeout=180)))


async def call(client: Client, tool: str, **arguments) -> tuple[bool, dict | str]:
    """(is_error, the JSON result or the error line)."""
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    return result.is_error, (text if result.is_error else json.loads(text))


def audit_events(url: str) -> list[dict]:
    from sqlalchemy import select

    from studio.review.db import session_scope
    from studio.review.models import AuditEvent

    with session_scope(url) as session:
        return [{"action": e.action, "actor": e.actor, "detail": e.detail}
                for e in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def test_stdio_server_acts_as_its_configured_user(mcp_env, studio_queue, tokens):
    # `tokens` starts the HTTP server first: its warm-up overlaps this test.
    params = StdioServerParameters(command=sys.executable, args=["-m", "studio.cli", "mcp", "--user", "alice"],
                                   env=mcp_env, cwd=str(REPO))

    async def session():
        async with Client(params) as client:
            listed = (await client.list_tools()).tools
            checked = await call(client, "check_copy", text=RISKY, kit="northpeak", channel="x", market="US")
            refused = await call(client, "check_copy", text=RISKY, market="XX")
            kits = await call(client, "list_kits")
            voice = await call(client, "show_kit_voice", kit="northpeak")
            no_kit = await call(client, "show_kit_voice", kit="nope")
            return listed, checked, refused, kits, voice, no_kit

    listed, (failed, report), refused, (_, kits), (_, voice), no_kit = anyio.run(session)

    assert {t.name for t in listed} == TOOLS
    for tool in listed:  # an agent picks tools by their description and fills arguments from the schema
        assert len(tool.description) > 40 and tool.input_schema["type"] == "object"
    schemas = {t.name: t.input_schema for t in listed}
    assert set(schemas["decide_variant"]["required"]) == {"variant_id", "decision", "version"}
    assert schemas["decide_variant"]["properties"]["decision"]["enum"] == ["approve", "reject", "request_changes"]

    assert not failed and report["verdict"] == "block"  # the check contract, as `studio check --json`
    assert {"guarantee_claim", "health_claim", "absolute_claim"} <= {f["category"] for f in report["findings"]}
    for finding in report["findings"]:
        assert {"rule", "category", "severity", "start", "end", "text", "message"} <= set(finding)
        assert RISKY[finding["start"]:finding["end"]] == finding["text"]
    assert refused == (True, "error: market: unknown market 'XX' (known: US, EU, CN)")

    northpeak = next(k for k in kits["kits"] if k["id"] == "northpeak")
    assert "trail-regulars" in {s["id"] for s in northpeak["segments"]} and northpeak["default_channels"]
    assert {"sms", "x", "wechat"} <= {c["id"] for c in kits["channels"]}
    assert voice["voice"]["tone_words"] and voice["claims"]["substantiated"]
    assert all(claim["evidence"] for claim in voice["claims"]["substantiated"])  # what an agent may claim, and why
    assert no_kit[0] and no_kit[1].startswith("error: unknown kit 'nope' (known: ")

    calls = [e for e in audit_events(studio_queue.url) if e["action"] == "mcp_tool"]
    assert {(e["actor"], e["detail"]["tool"], e["detail"]["outcome"], e["detail"]["via"]) for e in calls} >= {
        ("alice", "check_copy", "ok", "mcp"), ("alice", "check_copy", "error", "mcp"), ("alice", "list_kits", "ok", "mcp")}


def test_bad_input_is_one_line_and_exit_2(mcp_env):
    """Refused before anything starts or is written."""
    cases = {
        ("mcp", "--user", "mallory"): "error: --user: unknown user 'mallory'",
        ("mcp",): "error: name the user the MCP server acts for: --user USER (or set STUDIO_USER)",
        ("mcp", "--http", "--user", "rita"): "error: --user/STUDIO_USER is for stdio: over --http each request's "
                                             "bearer token names its user",
        ("user", "token", "create", "mallory"): "error: unknown user 'mallory'",
        ("user", "token", "revoke", "tok_000000000000"): "error: no API token 'tok_000000000000'",
    }
    for args, expected in cases.items():
        code, out, err = studio(mcp_env, *args)
        assert (code, out) == (2, ""), args
        assert len(err.strip().splitlines()) == 1 and err.startswith(expected), (args, err)
    code, out, err = studio({**mcp_env, "STUDIO_DEMO_USERS": "0"}, "mcp", "--http")
    assert (code, out, err.strip()) == (2, "", "error: no users are configured: set STUDIO_USERS_FILE, or "
                                               "STUDIO_DEMO_USERS=1 for the demo accounts")


def test_http_refuses_requests_without_a_live_token(http_url, tokens):
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    headers = {"Accept": "application/json, text/event-stream"}
    for auth in ({}, {"Authorization": "Bearer studio_not-a-token"},
                 {"Authorization": f"Bearer {tokens['rita']['token'][:-1]}"}):
        response = httpx2.post(http_url, json=init, headers={**headers, **auth}, timeout=30)
        assert response.status_code == 401, auth
        assert response.headers["www-authenticate"].startswith("Bearer")
    live = httpx2.post(http_url, json=init, headers={**headers, "Authorization": f"Bearer {tokens['rita']['token']}"},
                       timeout=30)
    assert live.status_code == 200  # the same request, with a live token

    async def connect_without_token():
        async with over_http(http_url, None) as client:
            await client.list_tools()

    with pytest.raises(BaseException) as refused:  # the SDK client fails the handshake (an exception group)
        anyio.run(connect_without_token)
    assert refused.group_contains(MCPError) if isinstance(refused.value, BaseExceptionGroup) else \
        isinstance(refused.value, MCPError)


def test_http_round_check_generate_review_with_roles(http_url, tokens, mcp_env, studio_queue):
    async def creator_round():
        async with over_http(http_url, tokens["alice"]["token"]) as alice:
            checked = await call(alice, "check_copy", text=RISKY, kit="northpeak", market="US")
            generated = await call(alice, "generate_variants", **BRIEF)
            variant = generated[1]["variants"][0]
            refused = await call(alice, "decide_variant", variant_id=variant["id"], decision="approve", version=1)
            return checked, generated, refused

    (_, report), (failed, generated), refused = anyio.run(creator_round)
    assert report["verdict"] == "block"
    assert not failed, generated
    (variant,) = generated["variants"]
    assert (variant["status"], variant["channel"], variant["version"], variant["kit"]) == ("in_review", "sms", 1,
                                                                                         "northpeak")
    assert variant["verdict"] in ("pass", "warn"), variant["findings"]
    assert "AI-generated" in " ".join(variant["copy"].values())

    # The creator's refusal is the line the CLI prints for the same request.
    code, _, err = studio(mcp_env, "review", "approve", variant["id"], "--by", "alice", "--version", "1")
    assert code == 2 and refused == (True, err.strip())
    assert refused[1] == "error: user 'alice' is a creator; 'decide' needs the role admin or reviewer"

    async def reviewer_round():
        async with over_http(http_url, tokens["rita"]["token"]) as rita:
            queue = await call(rita, "list_review_queue", status="in_review")
            shown = await call(rita, "show_variant", variant_id=variant["id"])
            no_version = await call(rita, "decide_variant", variant_id=variant["id"], decision="approve")
            approved = await call(rita, "decide_variant", variant_id=variant["id"], decision="approve", version=1,
                                  note="Good to go")
            return queue, shown, no_version, approved

    (_, queue), (_, shown), no_version, (failed, approved) = anyio.run(reviewer_round)
    assert variant["id"] in {v["id"] for v in queue["variants"]}
    assert [v["number"] for v in shown["history"]["versions"]] == [1]
    assert no_version == (True, "error: version: Field required")  # the schema's refusal, in one line too
    assert not failed and (approved["status"], approved["version"]) == ("approved", 1)

    # The audit trail names who did what, through MCP, and its chain still verifies.
    trail = studio_queue.show(variant["id"], history=True)["history"]["audit"]
    by_action = {e["action"]: e for e in trail}
    assert (by_action["queued"]["actor"], by_action["queued"]["detail"]["via"]) == ("alice", "mcp")
    assert (by_action["approve"]["actor"], by_action["approve"]["detail"]["via"]) == ("rita", "mcp")
    assert [(e["actor"], e["detail"]["tool"], e["detail"]["outcome"]) for e in trail if e["action"] == "mcp_tool"] == [
        ("alice", "decide_variant", "error"), ("rita", "show_variant", "ok"), ("rita", "decide_variant", "error"),
        ("rita", "decide_variant", "ok")]
    assert studio_queue.decision_times()[-1]["by"] == "rita"
    report = studio_queue.verify_audit()
    assert report.ok, report.problems


def test_revoked_token_is_refused_at_the_next_request(http_url, tokens, mcp_env):
    ravi = tokens["ravi"]

    async def session():
        async with over_http(http_url, ravi["token"]) as client:
            before = await call(client, "list_review_queue")
            revoked = studio(mcp_env, "user", "token", "revoke", ravi["id"], "--json")
            try:
                await client.list_tools()
            except MCPError as exc:
                return before, revoked, exc
            return before, revoked, None

    (failed, _), revoked, error = anyio.run(session)
    assert not failed
    assert revoked[0] == 0 and json.loads(revoked[1])["id"] == ravi["id"]
    assert error is not None, "a revoked token still worked in an open session"
    code, out, _ = studio(mcp_env, "user", "token", "list", "ravi", "--json")
    (listed,) = json.loads(out)["tokens"]
    assert code == 0 and listed["id"] == ravi["id"] and listed["revoked_at"] and ravi["token"] not in out


def test_tokens_are_stored_hashed_and_revocable(queue_url):
    """On SQLite and PostgreSQL: the database never holds the token itself, only its SHA-256."""
    from sqlalchemy import select

    from studio.config import Settings
    from studio.review import QueueError
    from studio.review.db import session_scope
    from studio.review.tokens import ApiToken, create_token, revoke_token, token_hash, user_for_token

    settings = Settings(database_url=queue_url)
    made = create_token("rita", settings)
    with session_scope(queue_url) as session:
        (row,) = session.execute(select(ApiToken)).scalars()
        stored = [str(v) for v in (row.id, row.user, row.token_hash)]
    assert made["token"] not in " ".join(stored) and row.token_hash == token_hash(made["token"])
    user, token_id = user_for_token(made["token"], settings)
    assert (user.name, user.role, token_id) == ("rita", "reviewer", made["id"])
    assert user_for_token(made["token"] + "x", settings) is None

    assert revoke_token(made["id"], settings)["user"] == "rita"
    assert user_for_token(made["token"], settings) is None
    with pytest.raises(QueueError, match="unknown user 'mallory'"):
        create_token("mallory", settings)
    events = [e for e in audit_events(queue_url) if e["action"].startswith("token_")]
    assert [(e["action"], e["actor"], e["detail"]["token_id"]) for e in events] == [
        ("token_created", "rita", made["id"]), ("token_revoked", "rita", made["id"])]

