"""Integration fixtures: a real Kafka-protocol broker (embedded Tansu) and real databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from services.common.broker import EmbeddedBroker
from services.common.kafka import ensure_topics
from services.common.settings import Settings
from services.sink.store import EventStore

POSTGRES_URL = os.environ.get("NEWSFUSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/integration" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    """A fresh broker per test: it stores in memory, so tests never see each other's messages."""
    with EmbeddedBroker(tmp_path / "broker") as b:
        yield b


@pytest.fixture
def settings(broker: EmbeddedBroker, tmp_path: Path) -> Settings:
    s = Settings(_env_file=None, kafka_bootstrap_servers=broker.bootstrap_servers, data_dir=tmp_path / "data",
                 raw_partitions=2, log_json=False)
    ensure_topics(s)
    return s


def _postgres_available() -> str | None:
    try:
        with create_engine(POSTGRES_URL).connect() as conn:
            conn.execute(text("select 1"))
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"{type(exc).__name__}: {exc}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path: Path) -> Iterator[str]:
    """The same tests run over SQLite and PostgreSQL (a private schema per test on PostgreSQL)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'events.db'}"
        return
    problem = _postgres_available()
    if problem:
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is required for integration tests: {problem}")
    schema = f"t_{uuid.uuid4().hex[:10]}"
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text(f"create schema {schema}"))
    yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f"drop schema {schema} cascade"))
    engine.dispose()


@pytest.fixture
def store(database_url: str) -> Iterator[EventStore]:
    s = EventStore(database_url)
    s.create_schema()
    yield s
    s.engine.dispose()
