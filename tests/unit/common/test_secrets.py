"""Secrets are SecretStr: hidden in repr and logs, plain only where a client or a child process needs them."""

from __future__ import annotations

from pydantic import SecretStr

from services.common.processes import service_env
from services.common.settings import Settings, secret_value

SECRETS = dict(kafka_sasl_password="pw-kafka", ingest_token="tok-ingest", read_token="tok-read",
               database_url="postgresql://svc:pw-db@db:5432/news")


def test_secret_settings_are_secretstr_and_never_printed():
    settings = Settings(_env_file=None, kafka_bootstrap_servers="k:9092", **SECRETS)
    assert all(isinstance(getattr(settings, name), SecretStr) for name in SECRETS)
    text = repr(settings) + str(settings) + settings.model_dump_json()
    assert not any(secret in text for secret in ("pw-kafka", "tok-ingest", "tok-read", "pw-db"))


def test_the_database_client_and_child_processes_get_the_plain_values():
    settings = Settings(_env_file=None, kafka_bootstrap_servers="k:9092", **SECRETS)
    assert settings.sqlalchemy_url == "postgresql+psycopg://svc:pw-db@db:5432/news"
    env = service_env(settings)
    assert (env["NEWSFUSE_KAFKA_SASL_PASSWORD"], env["NEWSFUSE_INGEST_TOKEN"], env["DATABASE_URL"]) == (
        "pw-kafka", "tok-ingest", "postgresql://svc:pw-db@db:5432/news")


def test_a_copy_given_a_plain_string_still_works():
    copied = Settings(_env_file=None).model_copy(update={"database_url": "sqlite:///x.db"})
    assert secret_value(copied.database_url) == "sqlite:///x.db" and copied.sqlalchemy_url == "sqlite:///x.db"
