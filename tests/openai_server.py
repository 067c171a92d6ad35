"""A real OpenAI-compatible server on loopback for the tests: `transformers serve` running the same
SmolLM2 weights as the embedded backend (the converted copy from studio.generate.model_cache).

`transformers serve` needs only fastapi, uvicorn, pydantic and openai, which Studio already
installs, and it has no API-key option. So the key check is a small gate in front of it that
forwards every request with the right `Authorization: Bearer` header to the real server and
answers 401 (the OpenAI error body) otherwise; what generates is always the real model.

`GarbageServer` is the one deliberate fake: an endpoint that answers 200 with a body that is not
a chat completion, to test that Studio fails with a clear line instead of half-parsing it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.app_server import free_port, stop_process, wait_until_serving


class TransformersServer:
    """`transformers serve MODEL_DIR` on 127.0.0.1, started and stopped by the test session."""

    def __init__(self, model_dir: Path, log_path: Path, startup_timeout: float = 180.0):
        self.model_dir = Path(model_dir)
        self.log_path = Path(log_path)
        self.port = free_port()
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _command(self) -> list[str]:
        script = Path(sys.executable).with_name("transformers")
        if script.exists():
            return [str(script)]
        found = shutil.which("transformers")
        if not found:
            raise RuntimeError("the `transformers` console script is not installed next to this Python")
        return [found]

    def start(self) -> str:
        env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", OMP_WAIT_POLICY="PASSIVE",
                   OMP_NUM_THREADS=os.environ.get("STUDIO_TORCH_THREADS", "1"))
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [*self._command(), "serve", str(self.model_dir), "--host", "127.0.0.1", "--port", str(self.port),
             "--device", "cpu", "--dtype", "float32", "--log-level", "warning"],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )
        wait_until_serving(self.proc, f"{self.url}/health", self.startup_timeout, "transformers serve", self._log_tail)
        return self.url

    def _log_tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-800:]

    def stop(self) -> None:
        stop_process(self.proc, timeout=15)
        if getattr(self, "log", None):
            self.log.close()


class _Background:
    handler: type[BaseHTTPRequestHandler]

    def start(self) -> str:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler)
        self.server.owner = self  # type: ignore[attr-defined]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _KeyGateHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def _forward(self, method: str) -> None:
        gate: KeyGate = self.server.owner  # type: ignore[attr-defined]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else None
        if self.headers.get("Authorization") != f"Bearer {gate.api_key}":
            payload = json.dumps({"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error",
                                            "param": None, "code": "invalid_api_key"}}).encode()
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        gate.forwarded += 1
        req = urllib.request.Request(gate.upstream + self.path, data=body, method=method,
                                     headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
        try:
            with urllib.request.urlopen(req, timeout=600) as resp:
                status, data, ctype = resp.status, resp.read(), resp.headers.get("Content-Type", "application/json")
        except urllib.error.HTTPError as exc:
            status, data, ctype = exc.code, exc.read(), exc.headers.get("Content-Type", "application/json")
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802
        self._forward("POST")

    def do_GET(self):  # noqa: N802
        self._forward("GET")


class KeyGate(_Background):
    """Requires `Authorization: Bearer <api_key>`, then forwards to the real server."""

    handler = _KeyGateHandler

    def __init__(self, upstream: str, api_key: str):
        self.upstream = upstream.rstrip("/")
        self.api_key = api_key
        self.forwarded = 0


class _GarbageHandler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        payload = b"<html><body>502 upstream hiccup: <b>not JSON</b></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")  # lies, like a misconfigured proxy
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class GarbageServer(_Background):
    handler = _GarbageHandler
