"""The documented Gradio API (README: "Scripting the app"), called with gradio_client against `studio serve`."""

from __future__ import annotations

import pytest

from tests.app_server import AppServer
from tests.conftest import REPO

pytestmark = pytest.mark.slow

DOCUMENTED = {"/generate", "/check", "/review_list", "/review_show", "/approve", "/reject", "/request_changes"}


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    server = AppServer(tmp_path_factory.mktemp("api-data"), REPO / "test-artifacts" / "api-server.log",
                       env={"STUDIO_CANDIDATES": "1"})
    yield server.start()
    server.stop()


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
        alice.predict(variant["id"], "", "", api_name="/approve")
    with pytest.raises(AppError, match="reason"):
        rita.predict(variant["id"], "", api_name="/reject")

    if variant["verdict"] == "block":  # only an admin may approve over a block, with a reason
        with pytest.raises(AppError, match="override"):
            rita.predict(variant["id"], "", "", api_name="/approve")
        decided = client_for(app_url, "adam").predict(variant["id"], "", "Checked with legal", api_name="/approve")
    else:
        decided = rita.predict(variant["id"], "Good to go", "", api_name="/approve")
    assert decided["status"] == "approved"
    shown = rita.predict(variant["id"], api_name="/review_show")
    assert [e["action"] for e in shown["history"]["audit"]][-1] == "approve"
