"""The sink (`newsfuse serve sink`): the consumer that stores canonical events, beside the read API."""

from __future__ import annotations

import threading


def serve() -> None:
    import uvicorn

    from services.common.compat import SINK_LIBRARIES, verify
    from services.common.processes import service_settings
    from services.sink.api import create_app
    from services.sink.consumer import SinkConsumer
    from services.sink.store import EventStore

    verify(*SINK_LIBRARIES)
    settings = service_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = EventStore(settings.sqlalchemy_url)
    store.wait_for_database()
    stop = threading.Event()
    sink = SinkConsumer(settings, store)
    worker = threading.Thread(target=sink.run, args=(stop,), name="sink-consumer")
    worker.start()
    try:
        uvicorn.run(create_app(settings, store), host=settings.sink_host, port=settings.sink_port,
                    log_config=None, timeout_graceful_shutdown=10)
    finally:
        stop.set()  # the loop finishes its batch (stored + committed) before it closes
        worker.join(timeout=30)
