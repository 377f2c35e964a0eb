"""Running newsfuse services as real processes in tests, and waiting for what they should achieve."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from services.cli import service_env
from services.common.settings import Settings


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
