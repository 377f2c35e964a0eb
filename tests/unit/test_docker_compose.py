"""No Docker engine runs here, so the compose file and Dockerfiles are checked against the code instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from services.common.settings import Settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
NEWSFUSE_SERVICES = ("ingest", "processor", "sink")


def env_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names |= set(alias.choices) if alias is not None else {f"NEWSFUSE_{name.upper()}"}
    return names


def test_infrastructure_has_healthchecks():
    assert COMPOSE["services"]["kafka"]["image"].startswith("apache/kafka")
    assert "kafka-broker-api-versions" in " ".join(COMPOSE["services"]["kafka"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(COMPOSE["services"]["postgres"]["healthcheck"]["test"])
    assert COMPOSE["services"]["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


@pytest.mark.parametrize("service", NEWSFUSE_SERVICES)
def test_service_builds_its_dockerfile_and_waits_for_healthy_dependencies(service):
    spec = COMPOSE["services"][service]
    dockerfile = REPO / spec["build"]["dockerfile"]
    assert dockerfile == REPO / "services" / service / "Dockerfile" and dockerfile.exists()
    text = dockerfile.read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    assert re.search(r"^USER (?!root)\w+", text, re.M), "containers run as a non-root user"
    assert f'CMD ["newsfuse", "serve", "{service}"]' in text
    assert all(dep["condition"] == "service_healthy" for dep in spec["depends_on"].values())
    assert "kafka" in spec["depends_on"]


@pytest.mark.parametrize("service", NEWSFUSE_SERVICES)
def test_every_env_var_is_a_setting_and_points_at_compose_hosts(service):
    env = COMPOSE["services"][service]["environment"]
    assert set(env) <= env_names(), set(env) - env_names()
    settings = Settings(_env_file=None, **{k.removeprefix("NEWSFUSE_").lower(): v for k, v in env.items()
                                           if k.startswith("NEWSFUSE_")})
    assert env["KAFKA_BOOTSTRAP_SERVERS"].split(":")[0] in COMPOSE["services"]
    assert env["DATABASE_URL"].split("@")[1].split(":")[0] in COMPOSE["services"]
    if service in ("ingest", "sink"):
        port = getattr(settings, f"{service}_port")
        assert f"{port}:{port}" in COMPOSE["services"][service]["ports"]
        assert f"EXPOSE {port}" in (REPO / "services" / service / "Dockerfile").read_text()
        assert getattr(settings, f"{service}_host") == "0.0.0.0"


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    missing = sorted(n for n in env_names() if n not in readme)
    # Each field has a NEWSFUSE_ name; fields with aliases are documented by their short name.
    missing = [n for n in missing if not (n.startswith("NEWSFUSE_") and n.removeprefix("NEWSFUSE_") in env_names())]
    assert not missing, f"README configuration table lacks: {missing}"
