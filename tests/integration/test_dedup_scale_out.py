"""Dedup scaled out: two processor workers, the extracted topic in two partitions keyed by language. Each
partition's events are whole (those of one index fed that partition in order), nothing is lost or doubled,
and when one worker is killed the other takes over its partition with that partition's state."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from schemas import ExtractedArticle
from services.common.broker import terminate
from services.common.kafka import ensure_topics
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, Settings
from services.ingest.domain import validate_batch
from services.ingest.publisher import ArticlePublisher
from services.processor.app import dedup_config
from services.processor.dedup.shard import ShardKey
from services.processor.dedup.stage import DedupStage
from tests.integration.datasets import dataset_articles
from tests.integration.kafka_utils import each_placed_once, latest_canonical_events, placed_article_ids, read_topic
from tests.integration.processes import start_service, wait_until

pytestmark = pytest.mark.faults


def log_lines(path: Path, message: str) -> list[dict]:
    lines = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("msg") == message]


def restored_partitions(path: Path) -> set[int]:
    return {line["partition"] for line in log_lines(path, "dedup index restored")}


def one_index_per_partition(settings: Settings, ids: set[str]) -> set[frozenset[str]]:
    """The events of one DedupStage fed each partition of the extracted topic in order, each article once."""
    stage = DedupStage(dedup_config(settings), {})
    records = read_topic(settings, EXTRACTED_TOPIC, timeout=60, until=lambda r: len(
        {ExtractedArticle.model_validate_json(x.value).article_id for x in r}) >= len(ids))
    groups: dict[str, frozenset[str]] = {}
    seen: set[str] = set()
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        article = ExtractedArticle.model_validate_json(record.value)
        assert record.key.decode() == ShardKey("language").of(article)
        if article.article_id not in seen:
            seen.add(article.article_id)
            placement = stage.place(record.partition, article)
            groups[placement.event.event_id] = frozenset(s.article_id for s in placement.event.sources)
            for retired in placement.retired:  # a lone article moved into the grown event
                del groups[retired]
    return set(groups.values())


def test_two_workers_two_partitions_events_whole_after_one_is_killed(broker, tmp_path):
    settings = Settings(_env_file=None, kafka_bootstrap_servers=broker.bootstrap_servers, data_dir=tmp_path / "data",
                        raw_partitions=1, extracted_partitions=2, dedup_shard_key="language", log_json=True)
    settings.data_dir.mkdir(parents=True)
    ensure_topics(settings)
    accepted, rejected = validate_batch(dataset_articles("meantime_dev.jsonl"), source="test")
    assert not rejected and {a.language for a in accepted} == {"en", "es", "it", "nl"}  # both partitions used
    ids = {a.article_id for a in accepted}
    first, second = accepted[: len(accepted) // 2], accepted[len(accepted) // 2:]
    logs = [settings.data_dir / "worker-a.log", settings.data_dir / "worker-b.log"]
    workers = [start_service(settings, "processor", log) for log in logs]
    try:
        wait_until(lambda: all(log_lines(log, "extract agent ready") for log in logs), 300, "both workers ready")
        publisher = ArticlePublisher(settings)
        publisher.publish(first)
        wait_until(lambda: placed_article_ids(read_topic(settings, CANONICAL_TOPIC, timeout=2)) >= {a.article_id for a in first},
                   300, "the first half placed")
        by_worker = [restored_partitions(log) for log in logs]
        assert all(by_worker) and not by_worker[0] & by_worker[1], f"partitions restored per worker: {by_worker}"

        os.kill(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=30)
        publisher.publish(second)
        records = read_topic(settings, CANONICAL_TOPIC, until=each_placed_once(ids), timeout=300)
        assert restored_partitions(logs[1]) == {0, 1}, "the survivor took over the killed worker's partition"
    finally:
        for worker in workers:
            terminate(worker, timeout=30)

    events = latest_canonical_events(records)
    sources = [s.article_id for e in events.values() for s in e.sources]
    assert set(sources) == ids  # nothing lost
    assert len(sources) == len(set(sources)), "an article is a source of two events"  # nothing doubled
    pipeline_groups = {frozenset(s.article_id for s in e.sources) for e in events.values()}
    assert pipeline_groups == one_index_per_partition(settings, ids)
    assert any(len(group) > 1 for group in pipeline_groups)  # dedup joined articles, within a language
