"""`newsfuse up` on its embedded (memory-only) broker, restarted mid-stream, gives the events of one
uninterrupted run; a processor killed under `up` is restarted by `up` itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from services.common.ids import article_id
from services.sink.store import EventStore
from tests.data.seed_story import SEED_LABEL, load_seed_story
from tests.integration.processes import healthy, wait_until
from tests.integration.test_cli import REPO, children_of, cli_env

pytestmark = pytest.mark.faults
FIELDS = ("url", "outlet", "title", "text", "published_at", "language")


def _stream() -> tuple[list[dict], list[dict], list[dict]]:
    """The five seeds split 3 + 2 across the restart, with other Biden/Putin stories on both sides; the first
    half is sent in two requests so that the second can be cut off by the restart before it is processed."""
    rows = load_seed_story()
    seeds = [r for r in rows if r["id"].startswith("seed-")]
    others = [r for r in rows if r["event_label"] != SEED_LABEL][:8]
    articles = [{k: r[k] for k in FIELDS} for r in seeds[:3] + others[:4] + others[4:6] + seeds[3:] + others[6:]]
    return articles[:7], articles[7:9], articles[9:]


STORED_FIRST, CUT_OFF, AFTER_RESTART = _stream()
SEED_IDS = frozenset(article_id(a["url"], a["outlet"], a["title"], a["text"])
                     for a in STORED_FIRST + AFTER_RESTART if "/seeds/" in a["url"])


class Up:
    """`newsfuse up` as a user runs it, leader of its own process group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.ingest_url = f"http://127.0.0.1:{env['NEWSFUSE_INGEST_PORT']}"
        self.process = subprocess.Popen([sys.executable, "-m", "services", "up"], cwd=REPO, env=env,
                                        stdout=subprocess.DEVNULL, stderr=open(log, "ab"), start_new_session=True)
        self.children = []
        wait_until(lambda: self.process.poll() is None and healthy(self.ingest_url), 120, "ingest healthy under up")
        self.children = children_of(self.process.pid)

    def post(self, articles: list[dict]) -> list[str]:
        response = httpx.post(f"{self.ingest_url}/v1/articles", json=articles, timeout=30)
        assert response.status_code == 202, response.text
        return response.json()["ids"]

    def sigterm(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        assert self.process.wait(timeout=150) == 0

    def kill_process_group(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        wait_until(lambda: not any(_alive(pid) for pid in self.children), 10, "every child of up gone")

    def stop_if_running(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=150)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()


@pytest.fixture
def start_up(tmp_path: Path) -> Iterator:
    started: list[Up] = []

    def start(env: dict[str, str]) -> Up:
        started.append(Up(env, tmp_path / "up.log"))
        return started[-1]

    yield start
    for up in started:
        up.stop_if_running()


def event_groups(database_url: str) -> set[frozenset[str]]:
    """Each stored event as the set of its source article ids (event ids differ between runs)."""
    store = EventStore(database_url)
    try:
        return {frozenset(s.article_id for s in e.sources) for e in store.list_events(limit=1000)}
    finally:
        store.engine.dispose()


def wait_until_stored(database_url: str, article_ids: set[str], timeout: float = 120) -> None:
    """Until every article is stored as a source of one event: an event that absorbed a lone article can reach
    the sink before the absorbed event's tombstone (`kafka_utils.each_placed_once`)."""
    store = EventStore(database_url)
    store.create_schema()  # the sink may not have started yet: nothing stored is then an empty table

    def settled() -> bool:
        if not article_ids <= store.placed_article_ids():
            return False
        placed = [a for g in event_groups(database_url) for a in g]
        return len(placed) == len(set(placed))

    try:
        wait_until(settled, timeout, f"{len(article_ids)} articles stored, each once")
    finally:
        store.engine.dispose()


def assert_same_events_as_uninterrupted(groups: set[frozenset[str]], expected: set[frozenset[str]],
                                        accepted: set[str]) -> None:
    placed = [a for g in groups for a in g]
    assert len(placed) == len(set(placed)), "an article is a source of two events"
    assert set(placed) == accepted, "every acknowledged article is a source, and nothing else"
    assert groups == expected
    assert SEED_IDS in groups, "the five seeds are one event with five sources"


@pytest.fixture(scope="module")
def uninterrupted_events(tmp_path_factory) -> set[frozenset[str]]:
    """The same stream through one `newsfuse up` that is never stopped."""
    tmp = tmp_path_factory.mktemp("uninterrupted")
    database_url = f"sqlite:///{tmp / 'events.db'}"
    up = Up(cli_env(tmp, DATABASE_URL=database_url, NEWSFUSE_LOG_JSON="false"), tmp / "up.log")
    try:
        accepted = {a for half in (STORED_FIRST, CUT_OFF, AFTER_RESTART) for a in up.post(half)}
        wait_until_stored(database_url, accepted)
        groups = event_groups(database_url)
        assert SEED_IDS in groups, "the uninterrupted run itself must join the five seeds"
        return groups
    finally:
        up.stop_if_running()


@pytest.mark.parametrize("stop", ["sigterm", "kill-9-process-group"])
def test_up_restarted_mid_stream_gives_the_events_of_an_uninterrupted_run(
        tmp_path, database_url, start_up, uninterrupted_events, stop):
    env = cli_env(tmp_path, DATABASE_URL=database_url, NEWSFUSE_LOG_JSON="false")
    up = start_up(env)
    accepted = set(up.post(STORED_FIRST))
    wait_until_stored(database_url, accepted)          # the old events are in the database ...
    accepted |= set(up.post(CUT_OFF))                  # ... and these are acknowledged, maybe not yet processed
    if stop == "sigterm":
        up.sigterm()
    else:
        up.kill_process_group()

    up = start_up(env)                                 # a fresh memory broker with a new cluster id
    accepted |= set(up.post(AFTER_RESTART))
    wait_until_stored(database_url, accepted)
    time.sleep(3)  # let any wrongly created extra version or event arrive before comparing
    assert_same_events_as_uninterrupted(event_groups(database_url), uninterrupted_events, accepted)
    up.sigterm()


def test_processor_killed_under_up_is_restarted_and_nothing_is_lost_or_doubled(
        tmp_path, start_up, uninterrupted_events):
    database_url = f"sqlite:///{tmp_path / 'events.db'}"
    log = tmp_path / "up.log"
    up = start_up(cli_env(tmp_path, DATABASE_URL=database_url, NEWSFUSE_LOG_JSON="false"))
    accepted = set(up.post(STORED_FIRST))
    wait_until_stored(database_url, accepted)
    processor = _service_pid(up, "processor")
    accepted |= set(up.post(CUT_OFF))
    os.kill(processor, signal.SIGKILL)                 # mid-stream: the cut-off half may be in flight
    accepted |= set(up.post(AFTER_RESTART))

    wait_until_stored(database_url, accepted, timeout=150)
    time.sleep(3)
    assert "processor exited with code -9, restarting in 1s" in log.read_text()
    assert _service_pid(up, "processor") != processor
    assert_same_events_as_uninterrupted(event_groups(database_url), uninterrupted_events, accepted)
    up.sigterm()


def _service_pid(up: Up, service: str) -> int:
    for pid in children_of(up.process.pid):
        try:
            if f"serve\0{service}" in Path(f"/proc/{pid}/cmdline").read_text():
                return pid
        except OSError:
            continue
    raise AssertionError(f"no {service} process under up")
