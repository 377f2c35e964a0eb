"""Start and stop the services for a benchmark: embedded broker + `newsfuse serve ...` processes.

Same environment as `newsfuse up`/`start_services` (services.common.processes.service_env), one process per service, each
in its own working directory under the run folder (faust's datadir lands there, not in the repository).
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import orjson

from services.common.broker import EmbeddedBroker, free_port, terminate
from services.common.processes import service_env
from services.common.settings import Settings
from services.evaluation.perf.stats import cpu_seconds, peak_rss_mb


@dataclass
class Stack:
    settings: Settings
    broker: EmbeddedBroker
    run_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def ingest_url(self) -> str:
        return f"http://{self.settings.ingest_host}:{self.settings.ingest_port}"

    def start(self, name: str, service: str, extra_cmd: list[str] | None = None) -> subprocess.Popen:
        log_dir = self.run_dir / "logs"
        work = self.run_dir / "work" / name
        log_dir.mkdir(parents=True, exist_ok=True)
        work.mkdir(parents=True, exist_ok=True)
        with open(log_dir / f"{name}.log", "ab") as log:
            cmd = (extra_cmd or []) + [sys.executable, "-m", "services", "serve", service]
            proc = subprocess.Popen(cmd, env=service_env(self.settings), cwd=work, stdout=log,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        self.processes[name] = proc
        return proc

    def check_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.processes.items() if p.poll() is not None}
        if dead:
            raise RuntimeError(f"service(s) died: {dead}; logs in {self.run_dir / 'logs'}")

    def peak_rss(self) -> dict[str, float | None]:
        out = {name: peak_rss_mb(p.pid) for name, p in self.processes.items()}
        if self.broker.process is not None:
            out["broker (tansu)"] = peak_rss_mb(self.broker.process.pid)
        return out

    def cpu_seconds(self) -> dict[str, float | None]:
        """CPU seconds used so far by each service process and the broker."""
        pids = {name: p.pid for name, p in self.processes.items()}
        if self.broker.process is not None:
            pids["broker (tansu)"] = self.broker.process.pid
        return {name: cpu_seconds(pid) for name, pid in pids.items()}

    def stop(self) -> None:
        # sink last (as stop_services does), so it stores what the processor flushed
        order = [n for n in self.processes if n.startswith("ingest")] + \
                [n for n in self.processes if n.startswith("processor")] + \
                [n for n in self.processes if n.startswith("sink")]
        for name in order:
            terminate(self.processes[name], timeout=15)
        self.broker.stop()


def new_stack(run_dir: Path, **overrides) -> Stack:
    """A fresh broker and database in `run_dir` (whatever an earlier run left there is removed first: a stale
    SQLite file would hold the replayed articles already, e.g. after `--merge`)."""
    from services.common.kafka import ensure_topics

    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    broker = EmbeddedBroker(run_dir / "broker").start()
    settings = Settings(kafka_bootstrap_servers=broker.bootstrap_servers, data_dir=run_dir / "data",
                        ingest_port=free_port(), sink_port=free_port(), log_json=True, **overrides)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ensure_topics(settings)
    return Stack(settings=settings, broker=broker, run_dir=run_dir)


def wait_http(url: str, stack: Stack, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_alive()
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout}s")


def wait_log(path: Path, text: str, stack: Stack, timeout: float) -> bool:
    """True once `text` appears in the log file (e.g. a service's "ready" line), False after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stack.check_alive()
        if path.exists() and text in path.read_text(errors="replace"):
            return True
        time.sleep(0.25)
    return False


def encode(payload) -> bytes:
    return orjson.dumps(payload)


async def post_all(url: str, bodies: list[bytes], concurrency: int, on_done: Callable[[int, int, float], None],
                   timeout: float = 60.0) -> list[tuple[int, float, list[str]]]:
    """POST every body with `concurrency` connections (closed loop); (status, seconds, ids) per body."""
    results: list[tuple[int, float, list[str]]] = [(0, 0.0, [])] * len(bodies)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(len(bodies)):
        queue.put_nowait(i)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=timeout,
                                 headers={"content-type": "application/json"}) as client:
        async def worker() -> None:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                status, ids = await _post(client, url, bodies[i])
                results[i] = (status, time.perf_counter() - t, ids)
                on_done(i, status, results[i][1])

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results


async def _post(client: httpx.AsyncClient, url: str, body: bytes) -> tuple[int, list[str]]:
    """POST one body: (status, accepted ids); status -1 when the request itself failed."""
    try:
        response = await client.post(url, content=body)
    except httpx.HTTPError:
        return -1, []
    ids = orjson.loads(response.content)["ids"] if response.status_code == 202 else []
    return response.status_code, ids


async def post_paced(url: str, bodies: list[bytes], per_second: float,
                     on_accepted: Callable[[int, int, float, list[str]], None], timeout: float = 60.0) -> None:
    """Open-loop load: request i starts at t0 + i/per_second whatever the previous responses did.

    on_accepted(i, status, monotonic time of the response, ids) is called for each request.
    """
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=16)
    async with httpx.AsyncClient(limits=limits, timeout=timeout,
                                 headers={"content-type": "application/json"}) as client:
        t0 = time.monotonic()

        async def one(i: int) -> None:
            delay = t0 + i / per_second - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            status, ids = await _post(client, url, bodies[i])
            on_accepted(i, status, time.monotonic(), ids)

        await asyncio.gather(*(one(i) for i in range(len(bodies))))
