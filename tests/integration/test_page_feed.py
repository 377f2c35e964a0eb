"""What the live page reads, over SQLite and PostgreSQL: the change feed in commit order, the filters, the
per-day counts, an older database gaining the change column, and the page's endpoints over real HTTP."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, timedelta

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, inspect

from schemas import PlaceSummary, Source
from services.common.broker import free_port
from services.common.settings import CANONICAL_TOPIC
from services.sink.api import create_app
from services.sink.store import Delivery, EventStore
from tests.integration.processes import wait_until
from tests.integration.test_sink import NOW, canonical


def store_events(store: EventStore, *events, offset: int = 0) -> None:
    store.apply([Delivery(e, CANONICAL_TOPIC, 0, offset + i) for i, e in enumerate(events)], "cluster", "group")


def test_changes_come_in_commit_order_and_replays_add_none(store):
    assert store.last_change_seq() == 0 and store.changes_after(0) == []
    store_events(store, canonical("ev1", 1, 1), canonical("ev2", 1, 1))
    head = store.last_change_seq()
    store_events(store, canonical("ev1", 2, 2), offset=2)
    store_events(store, canonical("ev1", 2, 2), canonical("ev2", 1, 1), offset=3)  # replays: nothing changes

    every = store.changes_after(0)
    assert [(c.event.event_id, c.event.version) for c in every] == [("ev2", 1), ("ev1", 2)]  # ev1 v1 superseded
    assert [c.seq for c in every] == sorted(c.seq for c in every)
    assert [(c.event.event_id, c.event.version) for c in store.changes_after(head)] == [("ev1", 2)]
    assert store.changes_after(every[-1].seq) == []
    assert store.changes_after(0, entity="vladimir putin") == []


def test_concurrent_writers_never_commit_below_what_a_reader_has_seen(store):
    """Sink replicas writing at once: a reader following the feed ends with every event's final version."""
    writers, batches, per_batch = 3, 12, 4
    done = threading.Event()
    seen: dict[str, int] = {}

    def write(writer: int) -> None:
        for batch in range(batches):
            store_events(store, *[canonical(f"w{writer}-b{batch}-e{i}", 1, 1) for i in range(per_batch)],
                         offset=batch * per_batch)

    def follow() -> None:
        seq = 0
        while True:
            finished = done.is_set()  # read before the feed: a last pass after the writers stopped
            for change in store.changes_after(seq, limit=7):
                assert change.seq > seq
                seq = change.seq
                seen[change.event.event_id] = change.event.version
            if finished and not store.changes_after(seq):
                return

    reader = threading.Thread(target=follow)
    reader.start()
    threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reader.join(60)
    assert len(seen) == writers * batches * per_batch == store.count_events()


def test_filters_by_text_and_event_date_and_counts_per_day(store):
    quake = canonical("quake", 1, 1).model_copy(update={
        "title": "Magnitude 6.8 earthquake strikes northern Chile", "event_date": date(2021, 12, 28), "actors": [],
        "locations": [PlaceSummary(name="Calama", country="CHL", lat=-22.46, lon=-68.93, mentions=1, num_outlets=1)],
        "sources": [Source(article_id="q1", outlet="x.com", title="Chile quake: no casualties 100%_sure",
                           match_score=1)]})
    call = canonical("call", 1, 2)  # dated 2021-12-30, actor Joe Biden
    undated = canonical("undated", 1, 1).model_copy(update={"event_date": None, "title": "Undated talks",
                                                                "actors": []})
    store_events(store, quake, call, undated)

    def ids(**criteria) -> set[str]:
        return {e.event_id for e in store.list_events(limit=None, **criteria)}

    assert ids(text="EARTHQUAKE") == {"quake"}                 # title, any case
    assert ids(text="casualties") == {"quake"}                 # a source's title
    assert ids(text="calama") == {"quake"} == ids(entity="Calama")  # an entity name
    assert ids(text="biden") == {"call"}
    assert ids(text="100%_") == {"quake"} and ids(text="6_8") == ids(text="magnitude%chile") == set()  # no wildcards
    assert ids(event_date_from=date(2021, 12, 29)) == {"call"}
    assert ids(event_date_to=date(2021, 12, 29)) == {"quake"}
    assert ids(event_date_from=date(2021, 12, 28), event_date_to=date(2021, 12, 30)) == {"quake", "call"}
    assert store.count_events(text="talks") == 1
    assert store.events_per_day() == [(date(2021, 12, 28), 1), (date(2021, 12, 30), 1)]
    assert store.events_per_day(text="biden") == [(date(2021, 12, 30), 1)]
    assert [c.event.event_id for c in store.changes_after(0, text="quake")] == ["quake"]


def test_an_older_database_gains_the_change_column_and_keeps_its_events(database_url):
    old = MetaData()
    Table("events", old, Column("event_id", String(64), primary_key=True), Column("version", Integer),
          Column("payload", Text))
    engine = create_engine(database_url)
    old.create_all(engine)
    store = EventStore(database_url)
    try:
        store.create_schema()
        store.create_schema()  # idempotent
        assert "change_seq" in {c["name"] for c in inspect(engine).get_columns("events")}
        assert "ix_events_change_seq" in {i["name"] for i in inspect(engine).get_indexes("events")}
        assert store.last_change_seq() == 0
    finally:
        store.engine.dispose()
        engine.dispose()


def test_page_and_its_files_are_served_and_data_needs_the_read_token(settings, store):
    store_events(store, canonical("ev1", 1, 2))
    with TestClient(create_app(settings.model_copy(update={"read_token": "r"}), store)) as client:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
            served = client.get(f"/page/{name}")
            assert served.status_code == 200 and served.headers["content-type"].startswith(kind)
            assert f"/page/{name}" in page.text
        assert client.get("/page/..%2Fstore.py").status_code == 404
        cells = client.get("/page/world-cells.json").json()
        assert cells["cell_degrees"] == 1 and len(cells["cells"]) > 1000

        for path in ("/v1/timeline", "/v1/stream", "/v1/events"):
            assert client.get(path).status_code == 401, path
        auth = {"Authorization": "Bearer r"}
        assert client.get("/v1/timeline", headers=auth).json() == [{"date": "2021-12-30", "events": 1}]
        listed = client.get("/v1/events", headers=auth)
        assert listed.headers["X-Last-Change"] == str(store.last_change_seq())
        assert client.get("/v1/stream", headers=auth | {"Last-Event-ID": "x"}).status_code == 400


@contextlib.contextmanager
def served(app):
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_config=None))
    thread = threading.Thread(target=server.run)
    thread.start()
    try:
        wait_until(lambda: server.started, 20, "API server started")
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(20)


def read_stream(url: str, params: dict, headers: dict, until, once_open=None,
                kinds: tuple[str, ...] = ("event",)) -> list[tuple[str, dict]]:
    """SSE events of the given `kinds` (`event:` lines) of a stream, as (id, data), until `until(found)`;
    `once_open()` runs when the stream began."""
    import json

    found, current = [], {}
    with httpx.stream("GET", url, params=params, headers=headers, timeout=20) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if line.startswith("retry:") and once_open:
                once_open()
            if line.startswith(("id:", "event:", "data:")):
                field, _, value = line.partition(": ")
                current[field] = value
            elif not line and current.get("event") in kinds:
                found.append((current["id"], json.loads(current["data"])))
                current = {}
                if until(found):
                    return found
    pytest.fail(f"stream ended after {found}")


def count(n: int):
    return lambda found: len(found) == n


def newest(found) -> dict[str, int]:
    return {data["event_id"]: data["version"] for _, data in found}


def test_stream_sends_stored_versions_live_filtered_and_resumes_after_an_id(settings, store):
    store_events(store, canonical("before", 1, 1))
    with served(create_app(settings, store)) as base:
        listed = httpx.get(f"{base}/v1/events")
        after = listed.headers["X-Last-Change"]

        # A version superseded before the stream read it is skipped: each event arrives at its newest.
        later = [canonical("ev1", 1, 1), canonical("ev2", 1, 1, "Vladimir Putin"), canonical("ev1", 2, 3)]
        got = read_stream(f"{base}/v1/stream", {"after": after}, {},
                          until=lambda found: newest(found) == {"ev1": 2, "ev2": 1},
                          once_open=lambda: [store_events(store, e, offset=i + 1) for i, e in enumerate(later)])
        assert "before" not in newest(got)
        assert [int(i) for i, _ in got] == sorted(int(i) for i, _ in got)

        # Reconnecting with Last-Event-ID resumes after it; filters apply to the stream as to the list.
        ev2_id = next(i for i, data in got if data["event_id"] == "ev2")
        resumed = read_stream(f"{base}/v1/stream", {}, {"Last-Event-ID": ev2_id}, until=count(1))
        assert newest(resumed) == {"ev1": 2}
        putin = read_stream(f"{base}/v1/stream", {"after": after, "entity": "vladimir putin"}, {}, until=count(1))
        assert newest(putin) == {"ev2": 1}

        # Without a position the stream starts now: only what is stored after it connects.
        store_events(store, canonical("ev3", 1, 1).model_copy(update={"last_updated": NOW + timedelta(days=1)}),
                     offset=10)
        now_on = read_stream(f"{base}/v1/stream", {}, {}, until=count(1),
                             once_open=lambda: store_events(store, canonical("ev4", 1, 1), offset=11))
        assert [d["event_id"] for _, d in now_on] == ["ev4"]


def grown_by(event, moved, version: int):
    """`event`'s next version, with `moved`'s articles among its sources (dedup moved them into it)."""
    sources = [*event.sources, *moved.sources]
    return event.model_copy(update={"version": version, "sources": sources, "num_articles": len(sources),
                                    "num_sources": len(sources), "last_updated": NOW + timedelta(days=version)})


def test_a_deleted_event_is_a_change_of_the_feed_and_of_the_stream(settings, store):
    """An event deleted because a grown event claimed its article, or by its tombstone, is a change in commit
    order: a page following the feed drops it. Every deletion is sent, whatever the filters."""
    big, lone, other = canonical("big", 1, 2), canonical("lone", 1, 1), canonical("other", 1, 1)
    store_events(store, big, lone, other)
    head = store.last_change_seq()
    store.apply([Delivery(grown_by(big, lone, 2), CANONICAL_TOPIC, 0, 3),
                 Delivery(None, CANONICAL_TOPIC, 0, 4, deleted="other")], "cluster", "group")
    changes = store.changes_after(head)
    assert len(changes) == 3 and [(c.event.event_id, c.event.version) for c in changes if c.event] == [("big", 2)]
    assert {c.deleted for c in changes if c.event is None} == {"lone", "other"}  # one commit: either order
    assert [c.seq for c in changes] == sorted({c.seq for c in changes}) and changes[-1].seq == store.last_change_seq()
    assert {c.deleted for c in store.changes_after(head, entity="nobody")} == {"lone", "other"}
    assert store.changes_after(changes[-1].seq) == []
    store_events(store, canonical("other", 2, 1), offset=5)  # an id stored again is no longer deleted
    assert [(c.event.event_id, c.deleted) for c in store.changes_after(changes[-1].seq)] == [("other", None)]

    with served(create_app(settings, store)) as base:
        got = read_stream(f"{base}/v1/stream", {"after": head}, {}, kinds=("event", "deleted"),
                          until=lambda found: len(found) == 3)
    assert sorted((d["event_id"], d.get("version")) for _, d in got) == [("big", 2), ("lone", None), ("other", 2)]
    assert [int(i) for i, _ in got] == sorted(int(i) for i, _ in got)
