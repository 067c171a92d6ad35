"""Start `studio serve` as a real subprocess on a free loopback port, for the browser and API tests.

free_port, wait_until_serving and stop_process also serve tests/openai_server.py.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(process: subprocess.Popen, url: str, timeout: float, name: str,
                       details: Callable[[], str]) -> None:
    """Poll url until it answers 200; stop and fail (with details()) if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}: {details()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    stop_process(process)
    raise RuntimeError(f"{name} did not answer on {url} within {timeout:.0f} s: {details()}")


def stop_process(process: subprocess.Popen | None, timeout: float = 20) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class AppServer:
    def __init__(self, data_dir: Path, log_path: Path, env: dict | None = None):
        self.data_dir = data_dir
        self.log_path = log_path
        self.env = env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 240) -> str:
        env = {**os.environ, "STUDIO_DATA_DIR": str(self.data_dir), **self.env}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
        self.process = subprocess.Popen([sys.executable, "-m", "studio.cli", "serve", "--port", str(self.port)],
                                        stdout=log, stderr=subprocess.STDOUT, env=env)
        wait_until_serving(self.process, self.url, timeout, "studio serve", lambda: f"see {self.log_path}")
        return self.url

    def stop(self) -> None:
        stop_process(self.process)
