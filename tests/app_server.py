"""Start `studio serve` as a real subprocess on a free loopback port, for the browser and API tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"studio serve exited with {self.process.returncode}; see {self.log_path}")
            try:
                urllib.request.urlopen(self.url, timeout=2)
                return self.url
            except OSError:
                time.sleep(1)
        self.stop()
        raise RuntimeError(f"studio serve did not answer on {self.url} within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
