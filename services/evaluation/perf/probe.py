"""Broker fetch wake-up delay: how long a waiting consumer takes to see a record produced while it waits.

Apache Kafka answers a pending fetch as soon as fetch_min_bytes (1) is available; the measured delay says
how far the embedded broker is from that, for the fetch_max_wait values in play (faust's aiokafka driver
alone: 1500 ms; kafka-python's default: 500 ms; newsfuse's processor and sink: NEWSFUSE_FETCH_MAX_WAIT_MS).
"""

from __future__ import annotations

import random
import threading
import time

from services.evaluation.perf.stats import latency_summary

TOPIC = "newsfuse.perf.probe"


def run(bootstrap: str, waits_ms: tuple[int, ...] = (1500, 500, 100, 50), messages: int = 10) -> dict:
    from kafka import KafkaConsumer, KafkaProducer, TopicPartition
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(TOPIC, 1, 1)])
    admin.close()
    time.sleep(0.3)
    rng = random.Random(7)
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    out = {}
    for wait in waits_ms:
        consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, fetch_max_wait_ms=wait,
                                 enable_auto_commit=False)
        consumer.assign([TopicPartition(TOPIC, 0)])
        consumer.seek_to_end()
        consumer.poll(timeout_ms=200)
        sent: dict[int, float] = {}
        delays: list[float] = []
        deadline = time.monotonic() + messages * 3 + 10

        def consume() -> None:
            while len(delays) < messages and time.monotonic() < deadline:
                for records in consumer.poll(timeout_ms=500).values():
                    for r in records:
                        key = int(r.value)
                        if key in sent:
                            delays.append(time.monotonic() - sent[key])

        reader = threading.Thread(target=consume, daemon=True)
        reader.start()
        time.sleep(wait / 1000 + 0.3)  # the consumer is inside a long fetch
        for i in range(messages):
            time.sleep(rng.uniform(0.1, 0.6))
            sent[i] = time.monotonic()
            producer.send(TOPIC, str(i).encode()).get(10)
        reader.join(timeout=max(deadline - time.monotonic(), 1))
        consumer.close()
        out[str(wait)] = latency_summary(delays, expected=messages)
    producer.close()
    return out
