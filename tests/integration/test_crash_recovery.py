"""Stopping the processor mid-stream (kill -9 twice, or SIGTERM): nothing lost, nothing doubled; after a
hard kill or a graceful stop, exactly the events of an uninterrupted run (the same Deduplicator fed the same
articles in the same order, each once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from kafka import KafkaAdminClient
from kafka.structs import OffsetAndMetadata, TopicPartition

from schemas import CanonicalEvent, ExtractedArticle
from services.common.broker import terminate
from services.common.dlq import article_id_of
from services.common.kafka import client_config
from services.common.processes import service_env
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC
from services.ingest.domain import validate_batch
from services.ingest.publisher import ArticlePublisher
from services.processor.dedup import DedupConfig, Deduplicator
from tests.integration.datasets import dataset_articles
from tests.integration.kafka_utils import each_placed_once, latest_canonical_events, placed_article_ids, read_topic

pytestmark = pytest.mark.faults


def start_processor(settings) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "services", "serve", "processor"], env=service_env(settings),
                            stdout=subprocess.DEVNULL, stderr=open(settings.data_dir / "processor.log", "ab"))


def diagnose(settings, lost: set[str], canonical_records) -> str:
    """Where the missing articles got to: a processing gap, a state-recovery gap, or just not reached yet."""
    records = read_topic(settings, EXTRACTED_TOPIC, timeout=5)
    keys = [article_id_of(r) for r in records]
    ever_published = {s.article_id for r in canonical_records for s in CanonicalEvent.model_validate_json(r.value).sources}
    letters = read_topic(settings, f"{EXTRACTED_TOPIC}.dlq", timeout=2)
    admin = KafkaAdminClient(**client_config(settings))
    try:
        committed = admin.list_group_offsets(settings.processor_app_id)[settings.processor_app_id]
    finally:
        admin.close()
    raw = [r for r in read_topic(settings, RAW_TOPIC, timeout=5) if r.key.decode() in lost]
    skipped = [r for r in raw if r.offset < committed.get(TopicPartition(RAW_TOPIC, r.partition), _NONE).offset]
    return (f"missing {len(lost)}: {sorted(lost)[:5]}; in extracted topic: {len(lost & set(keys))} "
            f"at offsets {[i for i, k in enumerate(keys) if k in lost]} of {len(keys)}; "
            f"in some earlier canonical version: {len(lost & ever_published)}; dead letters: {len(letters)}; "
            f"raw offsets committed past them (skipped): {len(skipped)}, not reached yet (slow): {len(raw) - len(skipped)}")


_NONE = OffsetAndMetadata(-1, "", -1)


def uninterrupted_groups(settings, ids: set[str], window_days: float) -> set[frozenset[str]]:
    """The same Deduplicator fed the extracted topic in order, each article once: the crash-free result.

    A crash makes the extract stage publish some articles twice; an uninterrupted run sees each once. The
    copies must be skipped here explicitly: `Deduplicator.add` forgets the articles of evicted events (the
    processor remembers them as EvictedEvent entries), so it would start a new event for a late copy.
    """
    dedup = Deduplicator(DedupConfig(window_days=window_days))
    groups: dict[str, frozenset[str]] = {}  # every event ever, evicted ones included
    seen: set[str] = set()
    records = read_topic(settings, EXTRACTED_TOPIC, until=lambda r: {article_id_of(x) for x in r} >= ids, timeout=60)
    for record in records:
        article = ExtractedArticle.model_validate_json(record.value)
        if article.article_id in seen:
            continue
        seen.add(article.article_id)
        event = dedup.add(article)
        groups[event.event_id] = frozenset(m.article.article_id for m in event.members)
        for absorbed, _ in dedup.take_merged():  # a lone article moved into `event`: its old event is gone
            del groups[absorbed]
        dedup.evict_expired()
    return set(groups.values())


@pytest.mark.parametrize(("kill_at", "sig"), [((), None), ((0.2, 0.5), signal.SIGKILL), ((0.3,), signal.SIGTERM)],
                         ids=["uninterrupted", "two-kill-9", "sigterm"])
def test_processor_killed_mid_stream_loses_and_doubles_nothing(settings, kill_at, sig):
    settings = settings.model_copy(update={"raw_partitions": 2})
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    accepted, rejected = validate_batch(dataset_articles("basil_dev.jsonl") + dataset_articles("ecbplus_dev.jsonl", 150),
                                        source="test")
    assert not rejected and len(accepted) >= 290
    ids = {a.article_id for a in accepted}
    ArticlePublisher(settings).publish(accepted)

    processor = start_processor(settings)
    try:
        for fraction in kill_at:  # kill -9 at different points of the stream
            progress = read_topic(settings, CANONICAL_TOPIC, until=lambda r: len(placed_article_ids(r)) >= fraction * len(ids),
                                  timeout=180)
            assert len(placed_article_ids(progress)) >= fraction * len(ids), "processor made no progress"
            os.kill(processor.pid, sig)
            processor.wait(timeout=60)
            processor = start_processor(settings)
        records = read_topic(settings, CANONICAL_TOPIC, until=each_placed_once(ids), timeout=600)
        events = latest_canonical_events(records)
        sources = [s.article_id for e in events.values() for s in e.sources]
        assert set(sources) == ids, diagnose(settings, ids - set(sources), records)  # nothing lost
    finally:
        terminate(processor, timeout=30)

    assert len(sources) == len(set(sources)), "an article is a source of two events"  # nothing doubled
    pipeline_groups = {frozenset(s.article_id for s in e.sources) for e in events.values()}
    reference = uninterrupted_groups(settings, ids, settings.dedup_window_days)
    assert pipeline_groups == reference, (
        f"{len(pipeline_groups - reference)} groups differ of {len(reference)}; "
        f"articles in differing groups: {len(set().union(*(pipeline_groups ^ reference)))}")
