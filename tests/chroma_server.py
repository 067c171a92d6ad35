"""A throwaway Chroma server (`chroma run`, the chromadb Studio installs) on loopback, for tests and benches."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.app_server import free_port, stop_process, wait_until_serving


class ChromaServer:
    def __init__(self, root: Path):
        self.root, self.port = Path(root), free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        self.log = open(self.root / "chroma.log", "wb")
        chroma = str(Path(sys.executable).with_name("chroma"))
        self.proc = subprocess.Popen([chroma, "run", "--path", str(self.root / "db"), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT)
        wait_until_serving(self.proc, f"{self.url}/api/v2/heartbeat", 60, "chroma run",
                           lambda: (self.root / "chroma.log").read_text(errors="replace")[-800:])
        return self.url

    def stop(self) -> None:
        stop_process(getattr(self, "proc", None), timeout=10)
        if getattr(self, "log", None):
            self.log.close()
