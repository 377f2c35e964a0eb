"""The private library members newsfuse relies on are checked at start-up, naming what changed."""

from __future__ import annotations

import importlib.metadata

import pytest

from services.common.compat import PRIVATE_MEMBERS, IncompatibleDependency, verify
from services.common.settings import Settings

SETTINGS = Settings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:1")


def test_the_installed_libraries_have_every_member_used():
    verify(*PRIVATE_MEMBERS)


def test_the_processor_refuses_to_start_on_a_faust_without_a_member_it_overrides(monkeypatch):
    from faust.transport.consumer import Consumer

    from services.processor.app import create_app

    monkeypatch.delattr(Consumer, "_new_offset")
    with pytest.raises(IncompatibleDependency, match=r"faust\.transport\.consumer\.Consumer\._new_offset \(commits"):
        create_app(SETTINGS)


def test_a_member_set_in_init_is_looked_for_there(monkeypatch):
    import aiokafka

    def init_without_it(self, *topics, fetch_max_wait_ms=500, **kwargs):
        self.fetch_wait = fetch_max_wait_ms

    monkeypatch.setattr(aiokafka.AIOKafkaConsumer, "__init__", init_without_it)
    with pytest.raises(IncompatibleDependency, match=r"aiokafka\.AIOKafkaConsumer\._fetch_max_wait_ms"):
        verify("aiokafka")


def test_another_version_or_the_pure_python_stream_is_refused(monkeypatch):
    import faust.streams

    real_version = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "0.16.0" if name == "faust-streaming" else real_version(name))
    monkeypatch.setattr(faust.streams, "_CStreamIterator", None)
    with pytest.raises(IncompatibleDependency) as refused:
        verify("faust-streaming")
    assert "faust-streaming 0.16.0 is installed; its private members were checked in 0.15.3" in str(refused.value)
    assert "pure-Python stream" in str(refused.value)
