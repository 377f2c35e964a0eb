"""kafka-python helpers: client settings, explicit topic creation, producer/consumer factories.

Consumer timeouts are short because Tansu holds a group join for ~session_timeout/2 (../shared/NOTES.md).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import Any

from kafka import ConsumerRebalanceListener, KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError

from services.common.broker import port_open
from services.common.retry import retry_until_done
from services.common.settings import (
    CANONICAL_TOPIC,
    CONSUMED_TOPICS,
    EXTRACTED_TOPIC,
    RAW_TOPIC,
    Settings,
    dlq_topic,
    secret_value,
)

log = logging.getLogger(__name__)


class BrokerNotConfigured(RuntimeError):
    pass


def client_config(settings: Settings) -> dict[str, Any]:
    """Connection settings shared by every kafka-python client, SASL/SSL passed through."""
    if not settings.kafka_bootstrap_servers:
        raise BrokerNotConfigured(
            "no Kafka broker: set KAFKA_BOOTSTRAP_SERVERS, or start one with `newsfuse up`"
        )
    return {"bootstrap_servers": settings.kafka_bootstrap_servers.split(",")} | security_config(settings)


def security_config(settings: Settings) -> dict[str, Any]:
    """The settings' SASL/SSL options under kafka-python's names (the processor's faust credentials too)."""
    config: dict[str, Any] = {"security_protocol": settings.kafka_security_protocol}
    if settings.kafka_sasl_mechanism:
        config |= {
            "sasl_mechanism": settings.kafka_sasl_mechanism,
            "sasl_plain_username": settings.kafka_sasl_username,
            "sasl_plain_password": secret_value(settings.kafka_sasl_password),
        }
    if settings.kafka_ssl_cafile:
        config["ssl_cafile"] = settings.kafka_ssl_cafile
    return config


# The largest record newsfuse writes or accepts: a dead letter carries its whole original, and a big story's
# event record (the dedup table's changelog) grows ~2 KB per article (`make bench`: ~920 KB at 400 full-text
# members). Apache Kafka's default (max.message.bytes ~1 MB) would refuse those: every topic says this.
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
LARGE_MESSAGES = {"max.message.bytes": str(MAX_MESSAGE_BYTES)}


def topic_specs(settings: Settings) -> list[NewTopic]:
    """Every topic newsfuse uses, with its partitions and configs. Created explicitly: on Tansu, producing
    to a missing topic 'succeeds' and stores nothing."""
    partitions = {
        RAW_TOPIC: settings.raw_partitions,
        EXTRACTED_TOPIC: settings.extracted_partitions,
        CANONICAL_TOPIC: settings.canonical_partitions,
    }
    rf = settings.replication_factor
    specs = [
        NewTopic(RAW_TOPIC, partitions[RAW_TOPIC], rf, topic_configs=LARGE_MESSAGES),
        NewTopic(EXTRACTED_TOPIC, partitions[EXTRACTED_TOPIC], rf, topic_configs=LARGE_MESSAGES),
        # One record per event id survives compaction: the latest version of every event.
        NewTopic(CANONICAL_TOPIC, partitions[CANONICAL_TOPIC], rf,
                 topic_configs={"cleanup.policy": "compact", **LARGE_MESSAGES}),
    ]
    specs += [NewTopic(dlq_topic(t), 1, rf, topic_configs=LARGE_MESSAGES) for t in CONSUMED_TOPICS]
    return specs


def with_retry(what: str, call, attempts: int = 30, first_delay: float = 0.5, max_delay: float = 5.0):
    """Retry `call` on broker errors with exponential backoff, logging one line per failure."""
    # kafka-python 3 raises KafkaConnectionError (a KafkaError) or an OSError when the broker is unreachable
    return retry_until_done(call, (KafkaError, OSError), f"{what}: broker not reachable", first_delay=first_delay,
                            max_delay=max_delay, attempts=attempts)


def wait_for_broker(settings: Settings, max_delay: float = 10.0) -> None:
    """Block until a bootstrap server accepts TCP connections: one log line per try, backoff up to max_delay.

    Clients are only created after this, so an absent broker at start-up is a quiet wait rather than
    kafka-python's connection-error logging on every internal retry.
    """
    servers = client_config(settings)["bootstrap_servers"]

    def connect() -> None:
        if not any(port_open(*_host_port(server), timeout=1.0) for server in servers):
            raise ConnectionRefusedError(f"no bootstrap server of {servers} accepts connections")

    retry_until_done(connect, (ConnectionRefusedError,), f"broker not reachable at {','.join(servers)}",
                     max_delay=max_delay)


def _host_port(server: str) -> tuple[str, int]:
    host, _, port = server.rpartition(":")
    return host.strip("[]"), int(port)


def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics, then check that all of them exist. Returns the topic names."""
    wait_for_broker(settings)
    specs = topic_specs(settings)
    admin = with_retry("admin connect", lambda: KafkaAdminClient(**client_config(settings)))
    try:
        existing = set(admin.list_topics())
        missing = [s for s in specs if s.name not in existing]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another service won the race
        names = [s.name for s in specs]
        deadline = time.monotonic() + 10
        while absent := set(names) - set(admin.list_topics()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"topics not created: {sorted(absent)}")
            time.sleep(0.1)
        return names
    finally:
        admin.close()


def make_producer(settings: Settings, **overrides: Any) -> KafkaProducer:
    config = client_config(settings) | {
        "acks": "all",                  # an article is accepted only once the broker has it
        "enable_idempotence": False,    # Tansu's InitProducerId breaks after a broker restart
        "linger_ms": 5,
        "retries": 5,
        "max_request_size": MAX_MESSAGE_BYTES,
    }
    return with_retry("producer connect", lambda: KafkaProducer(**(config | overrides)))


def consumer_config(settings: Settings, group_id: str) -> dict[str, Any]:
    return client_config(settings) | {
        "group_id": group_id,
        "enable_auto_commit": False,    # commit only after the effect is durable
        "auto_offset_reset": "earliest",
        "session_timeout_ms": 6000,
        "heartbeat_interval_ms": 2000,
        "max_poll_records": 200,
        "fetch_max_wait_ms": settings.fetch_max_wait_ms,
    }


def make_consumer(settings: Settings, topics: Iterable[str], group_id: str,
                  listener: ConsumerRebalanceListener | None = None, **overrides: Any) -> KafkaConsumer:
    config = consumer_config(settings, group_id) | overrides
    consumer = with_retry("consumer connect", lambda: KafkaConsumer(**config))
    consumer.subscribe(list(topics), listener=listener)
    return consumer
