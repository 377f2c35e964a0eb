"""The command-line contract: `newsfuse demo` prints one event with five sources; `newsfuse up` stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from services.common.broker import free_port
from tests.integration.processes import healthy, wait_until

REPO = Path(__file__).resolve().parents[2]


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFUSE_")
           and k not in ("KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL")}
    return env | {"NEWSFUSE_DATA_DIR": str(tmp_path / "data"), "NEWSFUSE_INGEST_PORT": str(free_port()),
                  "NEWSFUSE_SINK_PORT": str(free_port()), "NEWSFUSE_PROCESSOR_METRICS_PORT": str(free_port()), **extra}


def children_of(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def serves_metrics(base_url: str) -> bool:
    try:
        response = httpx.get(f"{base_url}/metrics", timeout=1)
    except httpx.HTTPError:
        return False
    return response.status_code == 200 and "newsfuse_" in response.text


def test_demo_prints_one_event_with_five_sources_then_events_reads_it(tmp_path):
    env = cli_env(tmp_path)
    demo = subprocess.run([sys.executable, "-m", "services", "demo"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "1 canonical events" in demo.stdout, demo.stdout
    assert "demo finished" in demo.stderr
    assert f"and open http://127.0.0.1:{env['NEWSFUSE_SINK_PORT']}/" in demo.stderr  # the live page's hint

    listed = subprocess.run([sys.executable, "-m", "services", "events", "--json"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=60)
    events = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(events) == 1
    assert events[0]["num_sources"] == 5 and events[0]["event_date"] == "2021-12-30"
    assert {"Joe Biden", "Vladimir Putin"} <= {a["name"] for a in events[0]["actors"]}
    assert not (tmp_path / "data" / "broker.json").exists(), "the embedded broker was not stopped"


def test_up_serves_and_sigterm_stops_every_child(tmp_path):
    env = cli_env(tmp_path)
    up = subprocess.Popen([sys.executable, "-m", "services", "up"], cwd=REPO, env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: healthy(f"http://127.0.0.1:{env['NEWSFUSE_INGEST_PORT']}"), 60,
                   "ingest healthy under `newsfuse up`")
        for port in ("INGEST_PORT", "PROCESSOR_METRICS_PORT", "SINK_PORT"):  # every service has /metrics
            wait_until(lambda: serves_metrics(f"http://127.0.0.1:{env['NEWSFUSE_' + port]}"), 60, f"{port} /metrics")
        broker = json.loads((tmp_path / "data" / "broker.json").read_text())
        children = children_of(up.pid)
        assert broker["pid"] in children and len(children) == 4  # broker + three services

        # `newsfuse topics` finds the running embedded broker through the data dir.
        topics = subprocess.run([sys.executable, "-m", "services", "topics"], cwd=REPO, env=env,
                                capture_output=True, text=True, timeout=60)
        assert "news.events.canonical.v1" in topics.stdout.split()

        page = f"http://127.0.0.1:{env['NEWSFUSE_SINK_PORT']}/"
        wait_until(lambda: healthy(page.rstrip("/")), 60, "sink healthy under `newsfuse up`")
        assert "live events" in httpx.get(page, timeout=10).text

        up.send_signal(signal.SIGTERM)
        assert up.wait(timeout=60) == 0
        printed = up.stderr.read()
        consumer = f"{REPO / 'docs' / 'dashboard_consumer.py'} {broker['bootstrap_servers']}"
        assert f"Kafka bootstrap {broker['bootstrap_servers']}" in printed and consumer in printed, printed
        assert f"live events page {page}" in printed, printed
        for pid in children:
            assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text(), pid
    finally:
        if up.poll() is None:
            up.kill()
