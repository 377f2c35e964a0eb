"""The ingest service: the HTTP API that validates articles and publishes them (`newsfuse serve ingest`)."""

from __future__ import annotations


def serve() -> None:
    import uvicorn

    from services.common.processes import service_settings
    from services.ingest.http import create_app

    settings = service_settings()
    uvicorn.run(create_app(settings), host=settings.ingest_host, port=settings.ingest_port,
                log_config=None, timeout_graceful_shutdown=10)
