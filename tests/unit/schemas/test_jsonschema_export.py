"""The exported JSON Schema files must match the pydantic models (run `make schemas` after a change)."""

import json

import pytest

from schemas.export import EXPORTS, OUT_DIR, render


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exported_schema_is_current(name):
    path = OUT_DIR / name
    assert path.exists(), f"{path} missing: run `make schemas`"
    assert path.read_text() == render(EXPORTS[name]), f"{path} is stale: run `make schemas`"


def test_every_topic_has_a_schema_file():
    from services.common.settings import CONSUMED_TOPICS

    assert {f"{t}.json" for t in CONSUMED_TOPICS} <= set(EXPORTS)
    canonical = json.loads((OUT_DIR / "news.events.canonical.v1.json").read_text())
    assert {"event_id", "version", "sources", "num_sources"} <= set(canonical["required"])
