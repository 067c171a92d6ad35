"""What MCP adds to a call: check_copy and list_review_queue through `studio mcp --http` (the SDK's client, one
session, a bearer token) against the same service called in this process.

Starts the server as a subprocess on a fresh data folder (or --data DIR), makes a reviewer's token, warms both
sides up, then times --n calls of each. Each MCP call also writes its `mcp_tool` audit event (a transaction on
the queue's database), which the in-process column does not. Prints median and p95 per call in ms.

    .venv/bin/python bench/mcp_calls.py [--n 50] [--data DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

TEXT = ("Our Ridgeback shell keeps the rain out on the commute and packs into its own pocket. The best jacket for "
        "wet mornings, guaranteed to keep you dry. Send it to ReCraft and we will patch the elbow.")


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


async def time_mcp(url: str, token: str, n: int) -> dict[str, list[float]]:
    import httpx2
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    calls = {"check_copy": {"text": TEXT, "kit": "northpeak", "market": "US"}, "list_review_queue": {}}
    timings: dict[str, list[float]] = {name: [] for name in calls}
    http = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=300)
    async with Client(streamable_http_client(url, http_client=http)) as client:
        for name, arguments in calls.items():
            result = await client.call_tool(name, arguments)  # warm-up: checker and kit load in the server
            assert not result.is_error, result.content[0].text
            for _ in range(n):
                start = time.perf_counter()
                await client.call_tool(name, arguments)
                timings[name].append(time.perf_counter() - start)
    return timings


def time_in_process(n: int) -> dict[str, list[float]]:
    from studio.checks import get_checker
    from studio.config import get_settings
    from studio.kits.cache import cached_kit
    from studio.review import ReviewQueue

    checker = get_checker(cached_kit("northpeak", get_settings().kits_dir))
    work = {"check_copy": lambda: checker.check_text(TEXT, market="US").to_json(),
            "list_review_queue": lambda: ReviewQueue().list()}
    timings: dict[str, list[float]] = {name: [] for name in work}
    for name, call in work.items():
        call()
        for _ in range(n):
            start = time.perf_counter()
            call()
            timings[name].append(time.perf_counter() - start)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50)
    parser.add_argument("--data", help="data folder (default: a fresh temporary one)")
    args = parser.parse_args()

    import anyio

    from tests.app_server import free_port, stop_process, wait_until_serving

    data = args.data or tempfile.mkdtemp(prefix="studio-bench-mcp-")
    os.environ.update(STUDIO_DATA_DIR=data, STUDIO_DEMO_USERS="1", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                      ANONYMIZED_TELEMETRY="False", STUDIO_USER="")
    from studio.review.tokens import create_token

    token = create_token("rita")["token"]
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "studio.cli", "mcp", "--http", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}/health", 180, "studio mcp --http", lambda: "")
        over_mcp = anyio.run(time_mcp, f"http://127.0.0.1:{port}/mcp", token, args.n)
    finally:
        stop_process(server)
    direct = time_in_process(args.n)
    print(f"{args.n} calls each (data folder {data}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    for name in over_mcp:
        print(f"{name:18} in process: {percentiles(direct[name])}   over MCP/HTTP: {percentiles(over_mcp[name])}")
    print(json.dumps({name: round(statistics.median(over_mcp[name]) - statistics.median(direct[name]), 4)
                      for name in over_mcp} | {"unit": "s added per call (median)"}))


if __name__ == "__main__":
    main()
