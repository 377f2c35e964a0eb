"""`newsfuse dlq list` shows dead letters; `newsfuse dlq replay` sends each back to its source once."""

from __future__ import annotations

import json
import subprocess
import sys

from services.common.dlq import dead_letter
from services.common.kafka import make_producer
from services.common.processes import service_env
from services.common.settings import RAW_TOPIC
from tests.integration.kafka_utils import read_topic


def run_cli(settings, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services", *args], env=service_env(settings),
                          capture_output=True, text=True, timeout=120)


def test_list_and_replay_once(settings):
    producer = make_producer(settings)
    for offset in (7, 8):
        letter = dead_letter(topic=RAW_TOPIC, partition=1, offset=offset, key=f"k{offset}".encode(),
                             value=b'{"broken": true}', error=ValueError("title: Field required"),
                             stage="extract.parse", original_headers=[("trace", b"t1")])
        producer.send(letter.topic, key=letter.key, value=letter.value, headers=letter.headers)
    producer.flush()

    listed = run_cli(settings, "dlq", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    letters = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(d["source_topic"], d["source_offset"], d["stage"], d["error_class"]) for d in letters] == [
        (RAW_TOPIC, "7", "extract.parse", "ValueError"), (RAW_TOPIC, "8", "extract.parse", "ValueError")]
    assert "Field required" in letters[0]["error"]

    first = run_cli(settings, "dlq", "replay", "--topic", RAW_TOPIC)
    assert first.returncode == 0 and "replayed 2" in first.stderr, first.stderr
    second = run_cli(settings, "dlq", "replay", "--topic", RAW_TOPIC)
    assert "replayed 0" in second.stderr, second.stderr

    replayed = read_topic(settings, RAW_TOPIC, until=lambda r: len(r) >= 2)
    assert sorted(r.key for r in replayed) == [b"k7", b"k8"]
    headers = dict(replayed[0].headers)
    assert headers["trace"] == b"t1" and "dlq.error.class" not in headers and "dlq.replayed" in headers
