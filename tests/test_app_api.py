"""The documented Gradio API (README: "Scripting the app"), called with gradio_client against `studio serve`."""

from __future__ import annotations

import json

import pytest

from tests.app_server import AppServer
from tests.conftest import REPO

pytestmark = pytest.mark.slow

DOCUMENTED = {"/generate", "/check", "/review_list", "/review_show", "/approve", "/reject", "/request_changes"}


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    server = AppServer(tmp_path_factory.mktemp("api-data"), REPO / "test-artifacts" / "api-server.log",
                       env={"STUDIO_CANDIDATES": "1"})
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def app_url(app_server):
    return app_server.url


def client_for(url: str, user: str):
    from gradio_client import Client

    return Client(url, auth=(user, "studio-demo"), verbose=False)


def test_documented_endpoints_exist(app_url):
    named = set(client_for(app_url, "alice").view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert DOCUMENTED <= named
    assert not {"/run_generate", "/load_queue", "/kit_choices"} & named, "page handlers stay private"


def test_check_endpoint_follows_the_check_contract(app_url):
    report = client_for(app_url, "alice").predict(
        "Guaranteed to cure your back pain, the best jacket in the world!", "northpeak", "x", "US", api_name="/check")
    assert report["verdict"] == "block"
    categories = {f["category"] for f in report["findings"]}
    assert {"guarantee_claim", "health_claim", "absolute_claim"} <= categories
    for finding in report["findings"]:
        assert {"rule", "category", "severity", "start", "end", "text", "message"} <= set(finding)


def test_generate_then_decide_with_roles(app_url):
    from gradio_client.exceptions import AppError

    alice, rita = client_for(app_url, "alice"), client_for(app_url, "rita")
    with pytest.raises(AppError, match="'generate' needs the role"):
        rita.predict("northpeak", "trail-regulars", ["sms"], "Spring trail sale", 1, "US", api_name="/generate")

    result = alice.predict("northpeak", "trail-regulars", ["sms"], "Spring trail sale: 20% off trail shoes this weekend",
                           1, "US", api_name="/generate")
    (variant,) = result["variants"]
    assert (variant["status"], variant["channel"], variant["version"]) == ("in_review", "sms", 1)
    assert variant["id"] in {v["id"] for v in rita.predict("in_review", api_name="/review_list")["variants"]}

    with pytest.raises(AppError, match="'decide' needs the role"):
        alice.predict(variant["id"], "", "", 1, api_name="/approve")
    with pytest.raises(AppError, match="reason"):
        rita.predict(variant["id"], "", 1, api_name="/reject")
    with pytest.raises(AppError, match="name the version you reviewed"):
        rita.predict(variant["id"], "Good to go", "", api_name="/approve")
    with pytest.raises(AppError, match="version 2 is no longer current|is at version 1"):
        rita.predict(variant["id"], "Good to go", "", 2, api_name="/approve")

    if variant["verdict"] == "block":  # only an admin may approve over a block, with a reason
        with pytest.raises(AppError, match="override"):
            rita.predict(variant["id"], "", "", 1, api_name="/approve")
        decided = client_for(app_url, "adam").predict(variant["id"], "", "Checked with legal", 1, api_name="/approve")
    else:
        decided = rita.predict(variant["id"], "Good to go", "", 1, api_name="/approve")
    assert decided["status"] == "approved"
    shown = rita.predict(variant["id"], api_name="/review_show")
    assert [e["action"] for e in shown["history"]["audit"]][-1] == "approve"


def logged_in(url: str, user: str):
    import httpx

    client = httpx.Client(base_url=url, timeout=30)
    response = client.post("/login", data={"username": user, "password": "studio-demo"})
    assert response.status_code == 200, response.text
    return client


def test_a_logged_in_user_cannot_download_keys_or_databases(app_server):
    """The attack: as alice, GET /gradio_api/file=<data dir>/c2pa/signer.key returned the private key."""
    from PIL import Image

    from studio.config import Settings
    from studio.labels.c2pa_manifest import load_credentials

    data = app_server.data_dir.resolve()
    load_credentials(Settings(data_dir=data))  # the signing key exists, as after the first labelled image
    creative = data / "images" / "var_test-v1.png"
    Image.new("RGB", (8, 8), "white").save(creative)
    secrets = [data / "c2pa" / "signer.key", data / "secrets" / "audit.key", data / "studio.db",
               data / "studio.db-wal", data / "checkpoints.db", data / "chroma" / "chroma.sqlite3",
               REPO / "brand_kits" / "northpeak" / "kit.yaml", REPO / "brand_kits" / "northpeak" / "assets" / "logo.png"]
    assert all(p.exists() for p in secrets[:3] + secrets[4:]), [p for p in secrets if not p.exists()]
    images = [creative]
    for user in ("alice", "adam"):
        client = logged_in(app_server.url, user)
        assert client.get(f"/gradio_api/file={images[0]}").status_code == 200, "creatives are still shown"
        for secret in secrets:
            response = client.get(f"/gradio_api/file={secret}")
            assert response.status_code in (403, 404), f"{user} downloaded {secret}"
            assert b"PRIVATE KEY" not in response.content and b"SQLite" not in response.content[:16]


def test_approvals_survive_download_attempts(app_server, app_url):
    """Fetching studio.db through the file route once dropped the server's locks and lost later approvals."""
    import os
    import subprocess
    import sys

    alice, rita = client_for(app_url, "alice"), client_for(app_url, "rita")
    client = logged_in(app_url, "alice")
    client.get(f"/gradio_api/file={app_server.data_dir.resolve() / 'studio.db'}")
    (variant,) = alice.predict("northpeak", "trail-regulars", ["sms"], "Trail shoes restock: 15% off this weekend",
                               1, "US", api_name="/generate")["variants"]
    if variant["verdict"] == "block":
        client_for(app_url, "adam").predict(variant["id"], "", "Checked with legal", 1, api_name="/approve")
    else:
        rita.predict(variant["id"], "ok", "", 1, api_name="/approve")
    env = {**os.environ, "STUDIO_DATA_DIR": str(app_server.data_dir)}
    shown = subprocess.run([sys.executable, "-m", "studio.cli", "review", "show", variant["id"], "--json"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert json.loads(shown.stdout)["status"] == "approved"
    audit = subprocess.run([sys.executable, "-m", "studio.cli", "review", "audit", "--verify"],
                           capture_output=True, text=True, env=env, timeout=120)
    assert audit.returncode == 0, audit.stdout + audit.stderr
