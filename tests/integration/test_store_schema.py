"""Creating the store's schema is safe when several processes do it at once (the sink starting while `up`
drains or a test waits: a CREATE that loses the race must not fail the caller)."""

from __future__ import annotations

import threading

from services.sink.store import EventStore


def test_concurrent_schema_creation_on_one_sqlite_file_all_succeed(tmp_path):
    failures = []
    for trial in range(20):
        stores = [EventStore(f"sqlite:///{tmp_path / f'{trial}.db'}") for _ in range(4)]
        start = threading.Barrier(len(stores))

        def create(store: EventStore) -> None:
            start.wait()
            try:
                store.create_schema()
            except Exception as exc:  # noqa: BLE001 - any failure is what this test counts
                failures.append(exc)

        threads = [threading.Thread(target=create, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert stores[0].count_events() == 0
        for store in stores:
            store.engine.dispose()
    assert not failures, failures[:3]
