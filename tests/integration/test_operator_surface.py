"""What operators and dashboards plug into, checked on one real run (broker, ingest, processor, sink):
Prometheus metrics of every service count what happened; every record carries CloudEvents headers; a Kafka
client that is not ours (confluent-kafka, i.e. librdkafka) reads the canonical topic and each value validates
against the JSON Schema its `dataschema` header points at (served by the sink)."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import jsonschema
import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary
from cloudevents.core.formats.json import JSONFormat
from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from kafka import KafkaProducer
from prometheus_client.parser import text_string_to_metric_families

from services.common.broker import EmbeddedBroker
from services.common.dlq import ARTICLE_ID_HEADER
from services.common.kafka import ensure_topics
from services.common.settings import CANONICAL_TOPIC, EXTRACTED_TOPIC, RAW_TOPIC, Settings, dlq_topic
from services.ingest.readers import iter_files, read_file
from services.sink.store import EventStore
from tests.conftest import SEEDS
from tests.integration.processes import healthy, running_pipeline, wait_until

REPO = Path(__file__).resolve().parents[2]
GARBAGE_KEY = b"not-from-newsfuse"


@dataclass
class Run:
    settings: Settings
    store: EventStore
    seed_ids: list[str]

    @property
    def ingest_url(self) -> str:
        return f"http://{self.settings.ingest_host}:{self.settings.ingest_port}"

    @property
    def sink_url(self) -> str:
        return f"http://{self.settings.sink_host}:{self.settings.sink_port}"

    @property
    def processor_url(self) -> str:
        return f"http://{self.settings.processor_metrics_host}:{self.settings.processor_metrics_port}"


def scrape(base_url: str) -> dict[tuple[str, frozenset], float]:
    """GET /metrics as {(sample name, labels): value}."""
    text = httpx.get(f"{base_url}/metrics", timeout=10).text
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def assert_plausible_latency(samples: dict, stage: str) -> None:
    """Seconds, not milliseconds or clock garbage: positive and below the few minutes a run takes."""
    count = value(samples, "newsfuse_stage_seconds_count", stage=stage)
    assert count > 0 and 0 < value(samples, "newsfuse_stage_seconds_sum", stage=stage) / count < 240, stage


def read_with_librdkafka(settings: Settings, topic: str, expected: int, timeout: float = 30.0) -> list:
    """Every record of a topic from the beginning, by confluent-kafka (no group: plain assignment)."""
    consumer = Consumer({"bootstrap.servers": settings.kafka_bootstrap_servers, "group.id": "interop-test",
                         "enable.auto.commit": False})
    try:
        partitions = consumer.list_topics(topic, timeout=10).topics[topic].partitions
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        records, deadline = [], time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            msg = consumer.poll(0.5)
            if msg is not None and not msg.error():
                records.append(msg)
        assert len(records) == expected, f"{topic}: {len(records)} of {expected} records"
        return records
    finally:
        consumer.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    """Five seeds, one refused request, one record a stranger wrote (dead letter), one seed sent again."""
    tmp = tmp_path_factory.mktemp("surface")
    with EmbeddedBroker(tmp / "broker") as broker:
        settings = Settings(_env_file=None, kafka_bootstrap_servers=broker.bootstrap_servers, data_dir=tmp / "data",
                            raw_partitions=2, log_json=False)
        ensure_topics(settings)
        with running_pipeline(settings) as (settings, store, processes):
            result = Run(settings, store, [])
            wait_until(lambda: healthy(result.ingest_url) and healthy(result.sink_url), 60, "ingest and sink up")
            seeds = [record.payload for path in iter_files([SEEDS]) for record in read_file(path)]
            accepted = httpx.post(f"{result.ingest_url}/v1/articles", json=seeds, timeout=30)
            assert accepted.status_code == 202, accepted.text
            result.seed_ids = accepted.json()["ids"]
            refused = httpx.post(f"{result.ingest_url}/v1/articles", json=[seeds[0], {"text": "no title"}], timeout=30)
            assert refused.status_code == 422
            producer = KafkaProducer(bootstrap_servers=broker.bootstrap_servers)
            producer.send(RAW_TOPIC, key=GARBAGE_KEY, value=b"\xff not json").get(30)
            producer.close()
            wait_until(lambda: set(result.seed_ids) <= store.placed_article_ids(), 240, "seeds stored")
            again = httpx.post(f"{result.ingest_url}/v1/articles", json=seeds[:1], timeout=30)
            assert again.status_code == 202
            wait_until(lambda: value(scrape(result.processor_url), "newsfuse_dedup_decisions_total",
                                     decision="skipped_duplicate") == 1, 60, "the copy skipped")
            wait_until(lambda: value(scrape(result.sink_url), "newsfuse_stage_seconds_count", stage="stored")
                       == len(read_with_librdkafka(settings, CANONICAL_TOPIC, 6)), 30, "sink read every version")
            yield result


def test_ingest_metrics_count_accepted_and_rejected_articles(run):
    ingest = scrape(run.ingest_url)
    assert value(ingest, "newsfuse_articles_accepted_total", source="http") == 6  # five seeds, one sent again
    assert value(ingest, "newsfuse_articles_rejected_total", reason="title:missing") == 1
    assert value(ingest, "newsfuse_articles_rejected_total", reason="rejected_with_batch") == 1
    assert value(ingest, "newsfuse_ingest_requests_total", status="202") == 2
    assert value(ingest, "newsfuse_ingest_requests_total", status="422") == 1
    assert value(ingest, "newsfuse_stage_seconds_count", stage="raw") == 2
    assert_plausible_latency(ingest, "raw")


def test_processor_metrics_count_stages_decisions_dead_letters_and_lag(run):
    raw = read_with_librdkafka(run.settings, RAW_TOPIC, 7)            # 6 articles + the stranger's record
    extracted = read_with_librdkafka(run.settings, EXTRACTED_TOPIC, 6)
    canonical = read_with_librdkafka(run.settings, CANONICAL_TOPIC, 6)  # 5 versions + the copy's re-publish
    events = {m.key() for m in canonical}
    processor = scrape(run.processor_url)
    decisions = {d: value(processor, "newsfuse_dedup_decisions_total", decision=d)
                 for d in ("new_event", "joined", "skipped_duplicate")}
    assert decisions == {"new_event": len(events), "joined": 5 - len(events), "skipped_duplicate": 1}
    assert value(processor, "newsfuse_dedup_live_events") == len(events)
    assert value(processor, "newsfuse_dead_letters_total", topic=RAW_TOPIC, stage="extract.parse") == 1
    assert value(processor, "newsfuse_stage_seconds_count", stage="extracted") == len(raw)
    assert value(processor, "newsfuse_stage_seconds_count", stage="canonical") == len(extracted)
    assert value(processor, "newsfuse_extract_model_seconds_count") == len(extracted)
    assert value(processor, "newsfuse_extract_model_seconds_sum") > 0
    assert_plausible_latency(processor, "extracted")
    assert_plausible_latency(processor, "canonical")
    # every partition the agents read has a lag, and all is consumed (refreshed every 5 s: wait for a tick)
    partitions = {(RAW_TOPIC, "0"), (RAW_TOPIC, "1"), (EXTRACTED_TOPIC, "0")}
    wait_until(lambda: {p: 0.0 for p in partitions}.items() <= lags(run.processor_url, run.settings.processor_app_id).items(),
               20, f"processor lag 0 on {partitions}")


def lags(base_url: str, group: str) -> dict[tuple[str, str], float]:
    return {(dict(labels)["topic"], dict(labels)["partition"]): v for (name, labels), v in scrape(base_url).items()
            if name == "newsfuse_consumer_lag" and dict(labels)["group"] == group}


def test_sink_metrics_count_stored_versions_and_lag(run):
    canonical = read_with_librdkafka(run.settings, CANONICAL_TOPIC, 6)
    versions = {(m.key(), json.loads(m.value())["version"]) for m in canonical}
    sink = scrape(run.sink_url)
    assert value(sink, "newsfuse_sink_event_versions_stored_total") == len(versions) == 5
    assert value(sink, "newsfuse_stage_seconds_count", stage="stored") == len(canonical)
    assert_plausible_latency(sink, "stored")
    wait_until(lambda: lags(run.sink_url, run.settings.sink_group_id).get((CANONICAL_TOPIC, "0")) == 0, 20,
               "sink lag 0")


@pytest.mark.parametrize(("topic", "count", "ce_type"), [
    (CANONICAL_TOPIC, 6, "newsfuse.event.updated.v1"),
    (EXTRACTED_TOPIC, 6, "newsfuse.article.extracted.v1"),
    (RAW_TOPIC, 7, "newsfuse.article.accepted.v1"),
])
def test_confluent_kafka_reads_cloudevents_whose_values_match_the_served_schema(run, topic, count, ce_type):
    schemas: dict[str, dict] = {}
    records = [m for m in read_with_librdkafka(run.settings, topic, count) if m.key() != GARBAGE_KEY]
    for msg in records:
        headers = dict(msg.headers())
        assert headers["ce_specversion"] == b"1.0" and headers["ce_type"].decode() == ce_type
        assert headers["content-type"] == b"application/json"
        assert headers["ce_source"].startswith(b"/newsfuse/")
        # what the record is about: its key, but for extracted records (keyed by their dedup shard) the article
        subject = headers[ARTICLE_ID_HEADER] if topic == EXTRACTED_TOPIC else msg.key()
        assert headers["ce_subject"] == subject
        datetime.fromisoformat(headers["ce_time"].decode())
        uri = headers["ce_dataschema"].decode()
        assert uri == f"{run.sink_url}/schemas/{topic}.json"
        if uri not in schemas:
            served = httpx.get(uri, timeout=10)
            assert served.status_code == 200
            schemas[uri] = served.json()
        record = json.loads(msg.value())
        jsonschema.validate(record, schemas[uri], cls=jsonschema.Draft202012Validator)
        if topic == CANONICAL_TOPIC:
            assert headers["ce_id"].decode() == f"{record['event_id']}.v{record['version']}"
        else:
            assert headers["ce_id"].decode() == record["article_id"]
        # the CloudEvents SDK reads the same record as a valid event of that type
        event = from_binary(KafkaMessage(headers=headers, key=msg.key(), value=msg.value()), JSONFormat())
        assert event.get_type() == ce_type and event.get_data() == record
    articles = {(dict(msg.headers()).get(ARTICLE_ID_HEADER) or msg.key()).decode() for msg in records}
    assert articles >= (set(run.seed_ids) if topic != CANONICAL_TOPIC else set())


def test_the_dead_letter_is_a_cloudevent_too(run):
    [letter] = read_with_librdkafka(run.settings, dlq_topic(RAW_TOPIC), 1)
    headers = dict(letter.headers())
    assert headers["ce_type"] == b"newsfuse.deadletter.v1" and headers["ce_specversion"] == b"1.0"
    assert headers["ce_id"].decode() == f"{RAW_TOPIC}/{headers['dlq.source.partition'].decode()}/" \
                                        f"{headers['dlq.source.offset'].decode()}"
    assert headers["ce_subject"] == GARBAGE_KEY and letter.value() == b"\xff not json"


def test_the_readme_dashboard_consumer_prints_every_version(run):
    code = (REPO / "docs" / "dashboard_consumer.py").read_text()
    assert code.strip() in (REPO / "README.md").read_text(), "README shows docs/dashboard_consumer.py verbatim"
    canonical = read_with_librdkafka(run.settings, CANONICAL_TOPIC, 6)
    consumer = subprocess.Popen([sys.executable, str(REPO / "docs" / "dashboard_consumer.py"),
                                 run.settings.kafka_bootstrap_servers], stdout=subprocess.PIPE)
    try:
        lines = read_lines(consumer, len(canonical), timeout=60)
    finally:
        consumer.kill()
        consumer.wait()
    expected = [f"deleted {m.key().decode()}" if m.value() is None else
                f"newsfuse.event.updated.v1 {m.key().decode()} v{json.loads(m.value())['version']}"
                for m in canonical]
    assert [" ".join(line.split()[:3]) for line in lines] == expected


def read_lines(process: subprocess.Popen, count: int, timeout: float) -> list[str]:
    """Up to `count` lines of a process's stdout, waiting at most `timeout` seconds in all. Reads the pipe's
    bytes directly: a buffered readline could hold lines that select() then no longer sees."""
    selector, received = selectors.DefaultSelector(), b""
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while received.count(b"\n") < count and (left := deadline - time.monotonic()) > 0:
        if selector.select(left):
            chunk = os.read(process.stdout.fileno(), 65536)
            if not chunk:
                break
            received += chunk
    return received.decode().splitlines()[:count]


def test_schemas_are_served_and_unknown_ones_are_404(run):
    for topic in (RAW_TOPIC, EXTRACTED_TOPIC, CANONICAL_TOPIC):
        served = httpx.get(f"{run.sink_url}/schemas/{topic}.json", timeout=10)
        assert served.status_code == 200 and served.headers["content-type"].startswith("application/schema+json")
        assert served.json() == json.loads((REPO / "schemas" / "jsonschema" / f"{topic}.json").read_text())
    assert httpx.get(f"{run.sink_url}/schemas/secrets.json", timeout=10).status_code == 404
