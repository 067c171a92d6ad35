"""A throwaway Ray cluster on this machine for the tests and bench/batch.py: a head and worker nodes,
each started with `ray start` as its own set of processes, small enough to share the machine.

Every process of the cluster (GCS, raylets, agents, workers: Ray's children inherit the environment)
carries STUDIO_RAY_CLUSTER=<tag> in its environment, so stop() and kill_node() end exactly our
processes, never another Ray on the machine, even after a failed test.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OBJECT_STORE_BYTES = 80 * 1000 * 1000  # Ray's minimum is 75 MB; rows and results are tiny
TAG_VAR = "STUDIO_RAY_CLUSTER"
WORKER_PORTS = 60  # each node's worker processes listen in a range this wide


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _environ(pid: int) -> dict[str, str]:
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return {}
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(errors="replace"): v.decode(errors="replace") for k, v in pairs}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class RayCluster:
    def __init__(self, cpus_per_node: int = 1, health_check_ms: int = 1000):
        self.tag = secrets.token_hex(6)
        # Short: Ray's unix socket paths live under it (108 bytes at most).
        self.root = Path(tempfile.mkdtemp(prefix="sray", dir="/tmp"))
        self.token_path = self.root / "token"
        self.token_path.write_text(secrets.token_hex(32))
        self.cpus = cpus_per_node
        # Every port handed to a node, and each node's range of worker ports: Ray refuses to start a node one of
        # whose ports lies in a worker range ("worker_ports is trying to use a port number ... used by other
        # components"), and free_port() alone knows nothing of the ranges.
        self._taken: set[int] = set()
        self._worker_ranges: list[tuple[int, int]] = []
        self.port = self._free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.node_ports: list[int] = []  # node manager port of each worker node, to find its raylet
        self.ray = str(Path(sys.executable).with_name("ray"))
        # Token authentication, as a production cluster should run; the driver needs the same two variables.
        self.client_env = {"RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(self.token_path)}
        self.env = {**os.environ, **self.client_env, TAG_VAR: self.tag,
                    # A lost node is noticed in seconds rather than the default ~15 s.
                    "RAY_health_check_period_ms": str(health_check_ms), "RAY_health_check_failure_threshold": "3"}

    def _run(self, *args: str) -> None:
        result = subprocess.run([self.ray, "start", *args], env=self.env, capture_output=True, text=True, timeout=180)
        if result.returncode != 0:
            raise RuntimeError(f"ray start {' '.join(args[:2])} failed: {result.stdout[-1500:]}{result.stderr[-1500:]}")

    def _free_port(self) -> int:
        """A free port not handed out before and outside every worker range of this cluster."""
        while True:
            port = free_port()
            if port not in self._taken and not any(low <= port <= high for low, high in self._worker_ranges):
                self._taken.add(port)
                return port

    def _worker_range(self) -> tuple[int, int]:
        """WORKER_PORTS ports in a row that hold no port handed out and overlap no other range."""
        while True:
            low = free_port()
            high = low + WORKER_PORTS
            if high < 65536 and not any(low <= port <= high for port in self._taken) \
                    and not any(low <= h and l <= high for l, h in self._worker_ranges):
                self._worker_ranges.append((low, high))
                return low, high

    def _ports(self) -> list[str]:
        """Fixed ports of a node moved off Ray's defaults, so two clusters (a test and a bench) can coexist."""
        low, high = self._worker_range()
        return ["--dashboard-agent-listen-port", str(self._free_port()), "--metrics-export-port", str(self._free_port()),
                "--min-worker-port", str(low), "--max-worker-port", str(high)]

    def start_head(self) -> str:
        ports = self._ports()  # the worker range first: the ports below are then chosen outside it
        self._run("--head", "--port", str(self.port), "--node-ip-address", "127.0.0.1", "--num-cpus", str(self.cpus),
                  "--object-store-memory", str(OBJECT_STORE_BYTES), "--include-dashboard", "false",
                  "--dashboard-port", str(self._free_port()), "--ray-client-server-port", str(self._free_port()),
                  "--disable-usage-stats", "--temp-dir", str(self.root), *ports)
        return self.address

    def add_node(self) -> int:
        ports = self._ports()
        port = self._free_port()
        self._run("--address", self.address, "--node-ip-address", "127.0.0.1", "--num-cpus", str(self.cpus),
                  "--object-store-memory", str(OBJECT_STORE_BYTES), "--node-manager-port", str(port),
                  "--disable-usage-stats", *ports)
        self.node_ports.append(port)
        return port

    def pids(self) -> list[int]:
        ours = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid() and _environ(int(entry.name)).get(TAG_VAR) == self.tag:
                ours.append(int(entry.name))
        return ours

    def raylet_pid(self, node_port: int) -> int | None:
        for pid in self.pids():
            cmd = _cmdline(pid)
            if "/raylet " in cmd and f"--node_manager_port={node_port} " in f"{cmd} ":
                return pid
        return None

    def kill_node(self, node_port: int) -> list[int]:
        """A machine lost: SIGKILL the node's raylet and every process under it (its workers and agents)."""
        import psutil

        pid = self.raylet_pid(node_port)
        if pid is None:
            raise RuntimeError(f"no raylet with node manager port {node_port}")
        victims = [pid]
        try:
            victims += [child.pid for child in psutil.Process(pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            pass
        for victim in victims:
            try:
                os.kill(victim, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return victims

    def stop(self) -> None:
        """SIGKILL every process of this cluster (nothing else), then remove its files."""
        for _ in range(3):  # a raylet may start a worker while we kill: sweep again
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.3)
        shutil.rmtree(self.root, ignore_errors=True)
