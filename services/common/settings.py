"""One frozen settings object for every service, read from the environment (see README: Configuration)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

RAW_TOPIC = "news.articles.raw.v1"
EXTRACTED_TOPIC = "news.articles.extracted.v1"
CANONICAL_TOPIC = "news.events.canonical.v1"
CONSUMED_TOPICS = (RAW_TOPIC, EXTRACTED_TOPIC, CANONICAL_TOPIC)


def dlq_topic(topic: str) -> str:
    return f"{topic}.dlq"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NEWSFUSE_", frozen=True, extra="ignore")

    # --- Kafka -------------------------------------------------------------------------------
    kafka_bootstrap_servers: str | None = Field(
        None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "NEWSFUSE_KAFKA_BOOTSTRAP_SERVERS"),
        description="host:port[,host:port]. Unset: newsfuse starts its embedded Tansu broker.",
    )
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    kafka_sasl_mechanism: str | None = Field(None, description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    kafka_ssl_cafile: str | None = None
    raw_partitions: int = Field(4, ge=1, description="Partitions of news.articles.raw.v1 (extract scale-out).")
    extracted_partitions: int = Field(1, ge=1, description="Partitions of news.articles.extracted.v1 (dedup).")
    canonical_partitions: int = Field(1, ge=1)
    replication_factor: int = Field(1, ge=1)
    broker_port: int = Field(0, ge=0, description="Embedded broker port; 0 picks a free one.")
    fetch_max_wait_ms: int = Field(
        100, ge=1, le=5000,
        description="Longest a consumer's fetch waits for data (processor and sink). Low = low latency; "
                    "an idle consumer then sends more empty fetches.")

    # --- Services ------------------------------------------------------------------------------
    data_dir: Path = Field(Path(".newsfuse"), description="Where the SQLite file, logs and pid files live.")
    database_url: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("DATABASE_URL", "NEWSFUSE_DATABASE_URL"),
        description="SQLAlchemy URL; postgresql://... for PostgreSQL. Default: SQLite in data_dir.",
    )
    ingest_host: str = "127.0.0.1"
    ingest_port: int = 8080
    ingest_max_body_bytes: int = Field(5_000_000, description="Larger request bodies get 413.")
    ingest_max_batch: int = Field(5_000, description="Larger article lists get 413.")
    ingest_journal: bool = Field(
        False, description="Journal every accepted article in data_dir and replay it into a fresh broker. Set "
                           "by `newsfuse up` for its embedded broker, which keeps nothing across a restart.")
    ingest_token: SecretStr | None = Field(None, description="Bearer token required by POST /v1/articles.")
    read_token: SecretStr | None = Field(None, description="Bearer token required by the read API.")
    sink_host: str = "127.0.0.1"
    sink_port: int = 8081
    processor_web_port: int = Field(0, ge=0, description="faust web (stats) port on 127.0.0.1; 0 = off.")
    processor_metrics_host: str = "127.0.0.1"
    processor_metrics_port: int = Field(8082, ge=0, description="The processor's Prometheus /metrics port; 0 = off.")
    schema_base_url: str | None = Field(
        None, description="Base of the CloudEvents `dataschema` URIs (the sink serves /schemas/<topic>.json). "
                          "Default: http://<sink_host>:<sink_port>; set it to the address consumers reach.")
    processor_app_id: str = "newsfuse-processor"
    processor_threads: int = Field(
        1, ge=1, le=64,
        description="Native threads (BLAS, OpenMP, USE inference) of one processor worker. 1: workers sharing "
                    "cores add up instead of spinning against each other; more only for a worker alone on "
                    "idle cores.")
    sink_group_id: str = "newsfuse-sink"
    dedup_window_days: float = Field(7.0, gt=0, description="A dated article joins events dated within this window.")
    dedup_allowed_lateness_days: float = Field(
        7.0, ge=0, description="Event time an idle event stays live beyond the window, for late articles.")
    dedup_watermark_rank: int = Field(5, ge=1, description="The n-th newest publication time is the watermark.")
    dedup_max_live_events: int = Field(200_000, ge=1, description="Live dedup index capacity (LRU beyond it).")
    dedup_shard_key: str = Field(
        "", description="What splits dedup into independent indexes, one per partition of the extracted topic: "
                        "'' (one index), 'language', or a field path of ExtractedArticle ('outlet').")
    dedup_forget_after_days: float = Field(
        30.0, gt=0, description="Ingestion time an evicted event's article ids are remembered (copies skipped).")
    dedup_reconsider_lone_articles: bool = Field(
        True, description="Move a lone-article event into an event that grew within its reach (its id is then "
                          "retired: a tombstone on the canonical topic). False: an event id, once published, stays.")
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def sqlalchemy_url(self) -> str:
        url = secret_value(self.database_url) or f"sqlite:///{(self.data_dir / 'newsfuse.db').resolve()}"
        # Accept the libpq-style URL everybody writes; SQLAlchemy needs the driver named.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    @property
    def dataschema_base(self) -> str:
        return (self.schema_base_url or f"http://{self.sink_host}:{self.sink_port}").rstrip("/")

    def with_embedded_broker(self, servers: str) -> Settings:
        """Settings for the embedded broker: articles journaled (it forgets everything when it stops) on one
        raw partition, so the processor sees them in journal order and a replay rebuilds the same events.
        One worker's extract agent reads its partitions one message at a time anyway."""
        return self.model_copy(update={"kafka_bootstrap_servers": servers, "ingest_journal": True,
                                       "raw_partitions": 1})


def secret_value(value: SecretStr | str | None) -> str | None:
    """The plain value of a secret setting (`model_copy(update=...)` may have put a plain str there)."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
