"""Running newsfuse's services as processes: their names, their environment, start-up and stopping."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pydantic import AliasChoices

from services.common.broker import child_process_options, running_embedded_broker, terminate
from services.common.kafka import BrokerNotConfigured, ensure_topics
from services.common.logging import configure_logging
from services.common.settings import Settings, get_settings, secret_value

SERVICES = ("ingest", "processor", "sink")  # also the order that drains: what is accepted gets stored


def connected_settings() -> Settings:
    """Settings whose bootstrap servers name a broker: configured, or the running embedded one."""
    settings = get_settings()
    if settings.kafka_bootstrap_servers:
        return settings
    if address := running_embedded_broker(settings.data_dir):
        return settings.with_embedded_broker(address)
    raise BrokerNotConfigured("no Kafka broker: set KAFKA_BOOTSTRAP_SERVERS, or start one with `newsfuse up`")


def service_settings() -> Settings:
    """What every service does first: find the broker, configure logging, create the topics."""
    try:
        settings = connected_settings()
    except BrokerNotConfigured as exc:
        raise SystemExit(str(exc)) from None
    configure_logging(settings.log_level, settings.log_json)
    ensure_topics(settings)
    return settings


def service_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process exactly these settings."""
    env = dict(os.environ) | {"PYTHONUNBUFFERED": "1"}
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        alias = field.validation_alias
        var = str(alias.choices[0]) if isinstance(alias, AliasChoices) else f"NEWSFUSE_{name.upper()}"
        if value is None:
            env.pop(var, None)
        else:
            env[var] = str(value.resolve() if isinstance(value, Path) else secret_value(value))
    return env


def start_service(settings: Settings, name: str, log_dir: Path | None = None) -> subprocess.Popen:
    """One service process, as its container would run it. Logs to log_dir, or to our stderr."""
    stream = None
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)
        stream = open(log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed below, once the child has it
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "services", "serve", name], env=service_env(settings),
            stdout=stream, stderr=subprocess.STDOUT if stream else None, stdin=subprocess.DEVNULL,
            **child_process_options(),
        )
    finally:
        if stream:
            stream.close()


def start_services(settings: Settings, log_dir: Path | None = None) -> dict[str, subprocess.Popen]:
    return {name: start_service(settings, name, log_dir) for name in SERVICES}


def stop_services(processes: dict[str, subprocess.Popen]) -> None:
    for name in SERVICES:  # ingest first (nothing new accepted), sink last (stores what the processor sent)
        if name in processes:
            terminate(processes[name])
