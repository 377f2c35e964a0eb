"""Outages: broker unreachable at start-up or frozen for a while, database down for a while.

Services retry with backoff, log one line per retry (no stack-trace spam), and catch up with nothing lost.
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from services.common.broker import EmbeddedBroker, free_port, terminate
from services.common.kafka import ensure_topics, make_producer
from services.common.settings import CANONICAL_TOPIC, Settings
from services.ingest.files import ingest_files
from services.ingest.publisher import ArticlePublisher
from services.ingest.readers import iter_files
from services.sink.store import EventStore
from tests.integration.pg_cluster import PostgresCluster
from tests.integration.processes import start_service, wait_until
from tests.integration.test_sink import canonical

pytestmark = pytest.mark.faults


def test_broker_unreachable_at_start_then_frozen_for_a_while(tmp_path, seeds_dir):
    port = free_port()
    settings = Settings(_env_file=None, kafka_bootstrap_servers=f"127.0.0.1:{port}", data_dir=tmp_path / "data",
                        sink_port=free_port(), log_json=False)
    settings.data_dir.mkdir(parents=True)
    store = EventStore(settings.sqlalchemy_url)
    logs = {name: tmp_path / f"{name}.log" for name in ("processor", "sink")}
    services = {name: start_service(settings, name, path) for name, path in logs.items()}
    try:
        time.sleep(6)  # nothing listens on the port yet
        assert all(p.poll() is None for p in services.values()), "services must wait for the broker, not exit"
        with EmbeddedBroker(tmp_path / "broker", port=port) as broker:
            ensure_topics(settings)
            summary = ingest_files(iter_files([seeds_dir]), ArticlePublisher(settings))
            os.kill(broker.process.pid, signal.SIGSTOP)  # frozen: connections hang, nothing answers
            time.sleep(15)
            os.kill(broker.process.pid, signal.SIGCONT)
            wait_until(lambda: set(summary.accepted) <= _placed(store), 180, "seeds processed after the outage")
            assert all(p.poll() is None for p in services.values())
            for p in services.values():  # while the broker is still up: a clean shutdown
                assert terminate(p, timeout=30) is not None
    finally:
        for p in services.values():
            terminate(p, timeout=30)
    for name, path in logs.items():
        text = path.read_text(errors="replace")
        assert "broker not reachable" in text, f"{name} did not say it was waiting for the broker"
        assert text.count("Traceback") <= 2, f"{name} log is spammed with stack traces:\n{text[-3000:]}"


def _placed(store: EventStore) -> set[str]:
    try:
        return store.placed_article_ids()
    except Exception:  # noqa: BLE001 - schema not created yet
        return set()


def test_database_down_for_a_while_sink_waits_and_catches_up(settings, tmp_path):
    cluster = PostgresCluster()
    cluster.start()
    settings = settings.model_copy(update={"database_url": cluster.url, "sink_port": free_port()})
    store = EventStore(settings.sqlalchemy_url)
    producer = make_producer(settings)

    def send(events) -> None:
        for e in events:
            producer.send(CANONICAL_TOPIC, key=e.event_id.encode(), value=e.model_dump_json().encode())
        producer.flush()

    log_path = tmp_path / "sink.log"
    sink = start_service(settings, "sink", log_path)
    try:
        send([canonical(f"ev{i}", 1, 1) for i in range(20)])
        wait_until(lambda: _count(store) == 20, 60, "first 20 events stored")
        store.engine.dispose()
        cluster.stop()
        send([canonical(f"ev{i}", 2, 2) for i in range(20)] + [canonical(f"new{i}", 1, 1) for i in range(10)])
        time.sleep(12)  # the sink keeps failing to reach the database meanwhile
        assert sink.poll() is None, "the sink must wait for the database, not exit"
        cluster.start()
        wait_until(lambda: _count(store) == 30 and all(e.version == 2 for e in store.list_events(limit=100)
                                                         if e.event_id.startswith("ev")), 90, "caught up")
    finally:
        terminate(sink, timeout=30)
        store.engine.dispose()
        cluster.remove()
    text = log_path.read_text(errors="replace")
    assert "database unavailable" in text
    assert text.count("Traceback") == 0, text[-3000:]


def _count(store: EventStore) -> int:
    try:
        return store.count_events()
    except Exception:  # noqa: BLE001 - database down or schema not there yet
        return -1
