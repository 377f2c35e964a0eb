"""kill -9 the sink and the ingest service mid-stream: nothing lost, nothing doubled."""

from __future__ import annotations

import os
import signal
import threading

import httpx
import pytest
from sqlalchemy import func, select

from services.common.broker import free_port, terminate
from services.common.kafka import make_producer
from services.common.settings import CANONICAL_TOPIC, RAW_TOPIC
from services.sink.store import consumer_offsets, event_sources
from tests.integration.kafka_utils import read_topic
from tests.integration.processes import healthy, start_service, wait_until
from tests.integration.test_sink import canonical

pytestmark = pytest.mark.faults


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_sink_killed_mid_stream_stores_every_latest_version_once(settings, store, database_url, sig):
    settings = settings.model_copy(update={"database_url": database_url, "sink_port": free_port()})
    versions = [canonical(f"ev{i:03d}", v, n_sources=v) for v in (1, 2, 3) for i in range(150)]
    producer = make_producer(settings)
    for event in versions:
        producer.send(CANONICAL_TOPIC, key=event.event_id.encode(), value=event.model_dump_json().encode())
    producer.flush()

    cycles = 0
    for threshold in (40, 110):  # kill -9 twice, at different points
        sink = start_service(settings, "sink")
        wait_until(lambda: store.count_events() >= threshold, 90, f"{threshold} events stored")
        os.kill(sink.pid, sig)
        sink.wait(timeout=60)
        cycles += 1
    sink = start_service(settings, "sink")
    try:
        wait_until(lambda: _all_latest(store), 120, "every event at version 3")
        with store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(event_sources)).scalar_one() == 150 * 3
            assert conn.execute(select(consumer_offsets.c.next_offset)).scalar_one() == len(versions)
    finally:
        terminate(sink)
    assert cycles == 2


def _all_latest(store) -> bool:
    events = store.list_events(limit=1000)
    return len(events) == 150 and all(e.version == 3 and len(e.sources) == 3 for e in events)


def test_ingest_killed_mid_stream_never_loses_an_accepted_article(settings):
    settings = settings.model_copy(update={"ingest_port": free_port()})
    ingest = start_service(settings, "ingest")
    url = f"http://127.0.0.1:{settings.ingest_port}"
    wait_until(lambda: healthy(url), 60, "ingest healthy")
    accepted: list[str] = []
    failures: list[str] = []

    def post_batches() -> None:
        with httpx.Client(timeout=10) as client:
            for batch in range(200):
                body = [{"url": f"https://example.com/{batch}/{i}", "title": f"Story {batch}-{i}",
                         "text": "Body of the story."} for i in range(10)]
                try:
                    response = client.post(f"{url}/v1/articles", json=body)
                except httpx.HTTPError as exc:
                    failures.append(type(exc).__name__)
                    return
                if response.status_code == 202:
                    accepted.extend(response.json()["ids"])

    client = threading.Thread(target=post_batches)
    client.start()
    wait_until(lambda: len(accepted) >= 100, 60, "100 articles accepted")
    os.kill(ingest.pid, signal.SIGKILL)
    client.join(30)
    ingest.wait()
    assert failures, "the client should have seen the service die"

    on_topic = {r.key.decode() for r in read_topic(settings, RAW_TOPIC, until=lambda r: len(r) >= len(accepted))}
    assert set(accepted) <= on_topic, f"{len(set(accepted) - on_topic)} accepted articles lost"
    assert len(accepted) == len(set(accepted))
