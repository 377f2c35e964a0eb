"""The sink over the real broker and both databases: upserts by version, offsets stored with the data."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient

from schemas import ActorSummary, CanonicalEvent, Source
from services.common.kafka import make_producer
from services.common.settings import CANONICAL_TOPIC, dlq_topic
from services.sink.api import create_app
from services.sink.consumer import SinkConsumer
from tests.integration.kafka_utils import read_topic
from tests.integration.processes import wait_until

NOW = datetime(2021, 12, 31, 12, 0, tzinfo=UTC)


def canonical(event_id: str, version: int, n_sources: int, actor: str = "Joe Biden") -> CanonicalEvent:
    sources = [Source(article_id=f"{event_id}-a{i}", outlet=f"outlet{i}.com", title=f"headline {i}",
                      match_score=0.9) for i in range(n_sources)]
    return CanonicalEvent(
        event_id=event_id, version=version, title=f"{event_id} title v{version}", event_date=date(2021, 12, 30),
        actors=[ActorSummary(name=actor, type="person", country="USA", mentions=3, num_outlets=n_sources)],
        sources=sources, num_articles=n_sources, num_sources=n_sources, first_seen=NOW,
        last_updated=NOW.replace(hour=12 + version),
    )


def publish(settings, messages: list[tuple[bytes, bytes]]) -> None:
    producer = make_producer(settings)
    for key, value in messages:
        producer.send(CANONICAL_TOPIC, key=key, value=value)
    producer.flush()
    producer.close()


def run_sink_until(settings, store, condition, timeout: float = 20.0) -> SinkConsumer:
    stop = threading.Event()
    sink = SinkConsumer(settings, store)
    thread = threading.Thread(target=sink.run, args=(stop,))
    thread.start()
    try:
        wait_until(condition, timeout, "sink stores the expected events")
    finally:
        stop.set()
        thread.join(30)
    return sink


def test_latest_version_wins_and_replays_change_nothing(settings, store):
    versions = [canonical("ev1", 1, 1), canonical("ev1", 3, 3), canonical("ev1", 2, 2), canonical("ev2", 1, 2, "Vladimir Putin")]
    publish(settings, [(e.event_id.encode(), e.model_dump_json().encode()) for e in versions])
    sink = run_sink_until(settings, store, lambda: store.count_events() == 2
                   and store.get_event("ev1") is not None and store.get_event("ev1").version == 3)
    ev1 = store.get_event("ev1")
    assert ev1.num_sources == 3 and len(ev1.sources) == 3
    assert [e.event_id for e in store.list_events()] == ["ev1", "ev2"]  # newest update first
    assert [e.event_id for e in store.list_events(entity="vladimir putin")] == ["ev2"]
    assert store.list_events(since=NOW.replace(hour=15)) == [store.get_event("ev1")]

    # The consumed offsets are stored with the data (what a restarted sink resumes from).
    stored = store.stored_offsets(sink.cluster_id, settings.sink_group_id, CANONICAL_TOPIC)
    assert stored == {0: 4}
    assert store.apply([], "x", "y") == 0


def test_a_lone_article_moved_into_a_grown_event_leaves_one_event(settings, store):
    """Dedup moved the lone event's article into an event that grew later: the grown version claims it and the
    tombstone deletes the lone event; a replay of the lone version, before or after, is not stored again."""
    lone = canonical("lone", 1, 1)
    grown = canonical("big", 3, 2)
    grown = grown.model_copy(update={"sources": [*grown.sources, *lone.sources], "num_articles": 3,
                                     "num_sources": 3})
    publish(settings, [(b"lone", lone.model_dump_json().encode()), (b"big", grown.model_dump_json().encode()),
                       (b"lone", None), (b"lone", lone.model_dump_json().encode())])
    run_sink_until(settings, store, lambda: store.get_event("big") is not None and store.count_events() == 1)
    assert store.get_event("lone") is None
    assert {s.article_id for s in store.get_event("big").sources} == {"big-a0", "big-a1", "lone-a0"}
    assert store.placed_article_ids() == {"big-a0", "big-a1", "lone-a0"}


def test_without_its_tombstone_the_grown_version_still_replaces_the_lone_event(store):
    """The processor crashed between the grown version and the tombstone: storing the version is enough."""
    lone, other = canonical("lone", 1, 1), canonical("other", 1, 1)
    grown = canonical("big", 2, 1)
    grown = grown.model_copy(update={"sources": [*grown.sources, *lone.sources], "num_articles": 2,
                                     "num_sources": 2})
    store.apply([_delivery(lone, 0), _delivery(other, 1), _delivery(grown, 2)], "c", "g")
    assert {e.event_id for e in store.list_events()} == {"big", "other"}
    store.apply([_delivery(lone, 3)], "c", "g")  # a replay from before the move
    assert store.get_event("lone") is None


def test_poison_message_goes_to_the_dead_letter_topic_and_the_sink_goes_on(settings, store):
    good = canonical("ev9", 1, 2)
    publish(settings, [(b"bad", b"{not json"), (b"ev9", good.model_dump_json().encode())])
    run_sink_until(settings, store, lambda: store.get_event("ev9") is not None)
    letters = read_topic(settings, dlq_topic(CANONICAL_TOPIC), until=lambda r: len(r) >= 1)
    assert len(letters) == 1
    headers = dict(letters[0].headers)
    assert letters[0].value == b"{not json"
    assert headers["dlq.source.topic"] == CANONICAL_TOPIC.encode()
    assert headers["dlq.source.offset"] == b"0"
    assert headers["dlq.error.class"] == b"ValidationError"


def test_read_api(settings, store):
    store.apply([_delivery(canonical("ev1", 1, 2)), _delivery(canonical("ev2", 2, 5, "Vladimir Putin"), 1)],
                "cluster", "group")
    with TestClient(create_app(settings.model_copy(update={"read_token": "r"}), store)) as client:
        assert client.get("/v1/events").status_code == 401
        auth = {"Authorization": "Bearer r"}
        listed = client.get("/v1/events", headers=auth).json()
        assert [e["event_id"] for e in listed] == ["ev2", "ev1"]
        assert [e["event_id"] for e in client.get("/v1/events?entity=Vladimir%20Putin", headers=auth).json()] == ["ev2"]
        assert client.get("/v1/events/ev1", headers=auth).json()["num_sources"] == 2
        assert client.get("/v1/events/nope", headers=auth).status_code == 404


def _delivery(event: CanonicalEvent, offset: int = 0):
    from services.sink.store import Delivery

    return Delivery(event, CANONICAL_TOPIC, 0, offset)


def _many_events(store, n: int) -> set[str]:
    """n events; every third shares its last_updated with the one before (pages must break ties)."""
    made = []
    for i in range(n):
        event = canonical(f"ev{i:03d}", 1, 1)
        made.append(event.model_copy(update={"last_updated": NOW + timedelta(minutes=i - i % 3 // 2)}))
    store.apply([_delivery(e, i) for i, e in enumerate(made)], "cluster", "group")
    return {e.event_id for e in made}


def test_api_pages_cover_every_event_exactly_once_and_say_the_total(settings, store):
    all_ids = _many_events(store, 23)
    with TestClient(create_app(settings, store)) as client:
        seen, url, pages = [], "/v1/events?limit=5", 0
        while url:
            response = client.get(url)
            assert response.status_code == 200 and response.headers["X-Total-Count"] == "23"
            seen += [e["event_id"] for e in response.json()]
            pages += 1
            link = response.headers.get("Link")
            url = link[1:link.index(">")] if link else None
            assert not link or link.endswith('; rel="next"')
        assert pages == 5 and len(seen) == 23 and set(seen) == all_ids
        assert seen == [e.event_id for e in store.list_events(limit=None)]  # newest first, throughout

        # since= for incremental export: only events updated at or after it, paged the same way.
        since = (NOW + timedelta(minutes=10)).isoformat()
        response = client.get("/v1/events", params={"since": since, "limit": 2})
        assert response.headers["X-Total-Count"] == str(len(store.list_events(since=NOW + timedelta(minutes=10))))
        assert "since=" in response.headers["Link"] and len(response.json()) == 2
        assert client.get("/v1/events?cursor=bm9wZQ").status_code == 400


def test_events_command_says_what_it_left_out_and_prints_all_with_all(store, database_url, tmp_path):
    all_ids = _many_events(store, 120)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSFUSE_") and k != "DATABASE_URL"}
    env |= {"NEWSFUSE_DATABASE_URL": database_url, "NEWSFUSE_DATA_DIR": str(tmp_path / "data")}

    def events(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "services", "events", *args], env=env, capture_output=True,
                              text=True, timeout=60)

    default = events("--json")
    assert len(default.stdout.splitlines()) == 100 and "100 of 120 events shown" in default.stderr
    everything = events("--json", "--all")
    printed = [json.loads(line)["event_id"] for line in everything.stdout.splitlines()]
    assert sorted(printed) == sorted(all_ids) and "shown" not in everything.stderr
    recent = events("--json", "--all", "--since", (NOW + timedelta(minutes=100)).strftime("%Y-%m-%dT%H:%M:%S%z"))
    assert {json.loads(line)["event_id"] for line in recent.stdout.splitlines()} == {
        e.event_id for e in store.list_events(since=NOW + timedelta(minutes=100), limit=None)} != set()
