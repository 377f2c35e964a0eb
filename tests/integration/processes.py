"""Running newsfuse services as real processes in tests, and waiting for what they should achieve."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.common.broker import free_port
from services.common.processes import service_env, start_services, stop_services
from services.common.settings import Settings
from services.sink.store import EventStore


def start_service(settings: Settings, service: str, log_path: Path | None = None) -> subprocess.Popen:
    """`newsfuse serve <service>` with exactly these settings; stderr to log_path when given."""
    return subprocess.Popen([sys.executable, "-m", "services", "serve", service], env=service_env(settings),
                            stdout=subprocess.DEVNULL,
                            stderr=open(log_path, "ab") if log_path else subprocess.DEVNULL)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout:.0f}s: {what}")


def healthy(base_url: str) -> bool:
    """GET <base_url>/healthz answers 200."""
    try:
        return httpx.get(f"{base_url}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def running_pipeline(settings: Settings, **overrides) -> Iterator[tuple[Settings, EventStore, dict]]:
    """ingest, processor and sink as real processes on free ports (logs in <data_dir>/logs), stopped after."""
    settings = settings.model_copy(update={"ingest_port": free_port(), "sink_port": free_port(),
                                           "processor_metrics_port": free_port(), **overrides})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = EventStore(settings.sqlalchemy_url)
    store.create_schema()
    processes = start_services(settings, log_dir=settings.data_dir / "logs")
    try:
        yield settings, store, processes
    finally:
        stop_services(processes)
        store.engine.dispose()
