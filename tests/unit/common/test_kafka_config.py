"""Security settings reach every client: kafka-python (ingest, sink) and faust (processor)."""

import logging

import faust
import pytest

from services.common.kafka import BrokerNotConfigured, client_config, topic_specs
from services.common.settings import CANONICAL_TOPIC, Settings
from services.processor.app import faust_broker_options

SASL = dict(kafka_bootstrap_servers="k1:9093,k2:9093", kafka_security_protocol="SASL_SSL",
            kafka_sasl_mechanism="SCRAM-SHA-512", kafka_sasl_username="svc", kafka_sasl_password="pw-123")


def test_kafka_python_gets_sasl_and_ssl_settings():
    config = client_config(Settings(_env_file=None, **SASL, kafka_ssl_cafile="/etc/ca.pem"))
    assert config == {
        "bootstrap_servers": ["k1:9093", "k2:9093"], "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512", "sasl_plain_username": "svc", "sasl_plain_password": "pw-123",
        "ssl_cafile": "/etc/ca.pem",
    }


def test_plaintext_has_no_credentials_and_no_broker_is_a_clear_error():
    assert client_config(Settings(_env_file=None, kafka_bootstrap_servers="k:9092")) == {
        "bootstrap_servers": ["k:9092"], "security_protocol": "PLAINTEXT"}
    with pytest.raises(BrokerNotConfigured, match="KAFKA_BOOTSTRAP_SERVERS"):
        client_config(Settings(_env_file=None))


def test_faust_gets_sasl_credentials():
    options = faust_broker_options(Settings(_env_file=None, **SASL))
    assert options["broker"] == ["kafka://k1:9093", "kafka://k2:9093"]
    credentials = options["broker_credentials"]
    assert isinstance(credentials, faust.SASLCredentials)
    assert (credentials.username, credentials.password, credentials.mechanism.value) == ("svc", "pw-123", "SCRAM-SHA-512")
    assert credentials.ssl_context is not None
    assert "broker_credentials" not in faust_broker_options(Settings(_env_file=None, kafka_bootstrap_servers="k:9092"))


def test_secrets_never_appear_in_settings_repr_or_logs(caplog):
    settings = Settings(_env_file=None, **SASL, ingest_token="tok-ingest", read_token="tok-read")
    text = repr(settings) + str(settings)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("settings loaded: %s", settings)
    for secret in ("pw-123", "tok-ingest", "tok-read"):
        assert secret not in text and secret not in caplog.text


def test_topics_are_declared_with_partitions_and_compaction():
    specs = {s.name: s for s in topic_specs(Settings(_env_file=None, raw_partitions=6))}
    assert specs["news.articles.raw.v1"].num_partitions == 6
    assert specs[CANONICAL_TOPIC].topic_configs["cleanup.policy"] == "compact"
    # a big story's event and a dead letter of a large article fit on Apache Kafka too (default ~1 MB)
    assert all(int(s.topic_configs["max.message.bytes"]) >= 16 * 2**20 for s in specs.values())
    assert {f"{t}.dlq" for t in ("news.articles.raw.v1", "news.articles.extracted.v1", CANONICAL_TOPIC)} <= set(specs)


def test_fetch_wait_reaches_the_sink_and_the_processor_consumers():
    import asyncio

    from services.common.kafka import consumer_config
    from services.processor.app import create_app

    settings = Settings(_env_file=None, kafka_bootstrap_servers="127.0.0.1:1", fetch_max_wait_ms=42)
    assert consumer_config(settings, "sink")["fetch_max_wait_ms"] == 42
    app = create_app(settings)

    async def worker_consumer():  # aiokafka consumers are built inside a running loop
        return app.consumer._thread._create_worker_consumer(app.transport)

    assert asyncio.run(worker_consumer())._fetch_max_wait_ms == 42  # faust alone would use 1500
