"""No Docker engine runs here, so the compose file, the Dockerfile and the Prometheus config are checked against
the code instead."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from services.common.settings import Settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
PROMETHEUS = yaml.safe_load((REPO / "deploy" / "prometheus.yml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
NEWSFUSE_SERVICES = ("ingest", "processor", "sink")


def env_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names |= set(alias.choices) if alias is not None else {f"NEWSFUSE_{name.upper()}"}
    return names


def stages() -> dict[str, tuple[str, str]]:
    """Dockerfile stage name -> (parent image or stage, the stage's instructions)."""
    found = {}
    for match in re.finditer(r"^FROM (\S+) AS (\S+)\n(.*?)(?=^FROM |\Z)", DOCKERFILE, re.M | re.S):
        found[match.group(2)] = (match.group(1), match.group(3))
    return found


def chain(stage: str) -> list[str]:
    """The stage and its ancestors, the stage first."""
    out, all_stages = [], stages()
    while stage in all_stages:
        out.append(stage)
        stage = all_stages[stage][0]
    return out


def distribution(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def service_settings(service: str) -> Settings:
    env = COMPOSE["services"][service]["environment"]
    return Settings(_env_file=None, **{k.removeprefix("NEWSFUSE_").lower(): v for k, v in env.items()
                                       if k.startswith("NEWSFUSE_")})


def test_infrastructure_has_healthchecks():
    assert COMPOSE["services"]["kafka"]["image"].startswith("apache/kafka")
    assert "kafka-broker-api-versions" in " ".join(COMPOSE["services"]["kafka"]["healthcheck"]["test"])
    assert "pg_isready" in " ".join(COMPOSE["services"]["postgres"]["healthcheck"]["test"])
    assert COMPOSE["services"]["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"


@pytest.mark.parametrize("service", NEWSFUSE_SERVICES)
def test_service_builds_its_target_of_the_one_dockerfile(service):
    spec = COMPOSE["services"][service]
    assert spec["build"] == {"context": ".", "target": service}
    assert not list((REPO / "services").glob("*/Dockerfile")), "one Dockerfile, at the repository root"
    ancestry = chain(service)
    assert stages()[ancestry[-1]][0] == "python:3.11-slim"
    own = stages()[service][1]
    assert re.search(r"^USER (?!root)\w+", own, re.M), "containers run as a non-root user"
    assert f'CMD ["newsfuse", "serve", "{service}"]' in own
    assert all(dep["condition"] == "service_healthy" for dep in spec["depends_on"].values())
    assert "kafka" in spec["depends_on"]


@pytest.mark.parametrize("service", NEWSFUSE_SERVICES)
def test_dependencies_are_installed_before_the_code_and_only_the_processor_gets_its_extra(service):
    ancestry = chain(service)
    installs = [s for s in reversed(ancestry) if "pip install -r" in stages()[s][1]]
    assert installs and all("COPY services" not in stages()[s][1] for s in ancestry), \
        "the code arrives as a wheel from its own stage, after the dependency layers"
    assert "COPY services" in stages()["wheel"][1] and "--from=wheel" in stages()[service][1]
    with_extra = any("requirements.py processor" in stages()[s][1] for s in ancestry)
    assert with_extra == (service == "processor")


def test_ingest_and_sink_run_without_the_processor_extra():
    """What their images lack (faust, the NLP models) is never imported by them."""
    processor_only = {distribution(re.split(r"[=<>\[ ]", r)[0]) for r in PYPROJECT["optional-dependencies"]["processor"]}
    modules = sorted(m for m, dists in packages_distributions().items()
                     if {distribution(d) for d in dists} & processor_only and m.isidentifier())
    assert "faust" in modules and "spacy" in modules
    blocker = ("import importlib, sys\n"
               "class Block:\n"
               "    def find_spec(self, name, path=None, target=None):\n"
               f"        if name.split('.')[0] in {modules!r}: raise ImportError('not in the image: ' + name)\n"
               "sys.meta_path.insert(0, Block())\n"
               "for m in ('services.cli', 'services.ingest.http', 'services.ingest.files', 'services.sink.api',\n"
               "          'services.sink.consumer', 'services.sink.store'): importlib.import_module(m)\n")
    result = subprocess.run([sys.executable, "-c", blocker], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("service", NEWSFUSE_SERVICES)
def test_every_env_var_is_a_setting_and_points_at_compose_hosts(service):
    env = COMPOSE["services"][service]["environment"]
    assert set(env) <= env_names(), set(env) - env_names()
    settings = service_settings(service)
    assert env["KAFKA_BOOTSTRAP_SERVERS"].split(":")[0] in COMPOSE["services"]
    assert env["DATABASE_URL"].split("@")[1].split(":")[0] in COMPOSE["services"]
    if service in ("ingest", "sink"):
        port = getattr(settings, f"{service}_port")
        assert f"{port}:{port}" in COMPOSE["services"][service]["ports"]
        assert f"EXPOSE {port}" in stages()[service][1]
        assert getattr(settings, f"{service}_host") == "0.0.0.0"
    else:
        port = settings.processor_metrics_port
        assert settings.processor_metrics_host == "0.0.0.0" and port > 0
        assert str(port) in COMPOSE["services"][service]["expose"] and f"EXPOSE {port}" in stages()[service][1]


def test_dataschema_uris_point_at_the_sinks_published_port():
    sink = service_settings("sink")
    base = urlparse(sink.dataschema_base)
    assert f"{base.port}:{sink.sink_port}" in COMPOSE["services"]["sink"]["ports"]


def test_prometheus_scrapes_every_services_metrics_port():
    metrics_port = {"ingest": service_settings("ingest").ingest_port, "sink": service_settings("sink").sink_port,
                    "processor": service_settings("processor").processor_metrics_port}
    scraped = {(name, sd["port"]) for job in PROMETHEUS["scrape_configs"] for sd in job["dns_sd_configs"]
               for name in sd["names"]}
    assert scraped == set(metrics_port.items())
    assert all(job.get("metrics_path", "/metrics") == "/metrics" for job in PROMETHEUS["scrape_configs"])
    prometheus = COMPOSE["services"]["prometheus"]
    assert "./deploy/prometheus.yml:/etc/prometheus/prometheus.yml:ro" in prometheus["volumes"]
    assert set(NEWSFUSE_SERVICES) <= set(prometheus["depends_on"])


def test_every_setting_is_documented_in_the_readme():
    readme = (REPO / "README.md").read_text()
    missing = sorted(n for n in env_names() if n not in readme)
    # Each field has a NEWSFUSE_ name; fields with aliases are documented by their short name.
    missing = [n for n in missing if not (n.startswith("NEWSFUSE_") and n.removeprefix("NEWSFUSE_") in env_names())]
    assert not missing, f"README configuration table lacks: {missing}"
