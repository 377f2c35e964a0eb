"""Dedup state written by the previous state version survives the schema change (upcast, then restore)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest
from pydantic import ValidationError

from services.processor.dedup import DedupConfig, Deduplicator
from services.processor.dedup.state import EventRecord, EvictedArticles, EvictedEvent, parse_state

V1_STATE = Path(__file__).resolve().parents[3] / "data" / "dedup_state_v1.jsonl"


@pytest.fixture
def v1_values() -> list[str]:
    return V1_STATE.read_text().splitlines()


def test_the_fixture_is_the_old_format_todays_models_refuse(v1_values):
    live = next(v for v in v1_values if '"members"' in v)
    assert "schema_version" not in live and '"last_ingested"' in live
    with pytest.raises(ValidationError, match="last_ingested"):
        EventRecord.model_validate_json(live)


def test_upcast_gives_current_records(v1_values):
    states = [parse_state(v) for v in v1_values]
    assert {type(s) for s in states} == {EventRecord, EvictedEvent}
    assert all(s.schema_version == 2 for s in states)
    live = next(s for s in states if isinstance(s, EventRecord))
    assert [m.article.article_id for m in live.members] == ["s1a0", "s1a1", "s1a2"] and live.version == 3
    assert parse_state(live.model_dump_json()) == live  # the current version reads back unchanged


def test_restored_old_state_places_copies_and_new_articles(v1_values, synth):
    states = [parse_state(v) for v in v1_values]
    dedup, evicted = Deduplicator(DedupConfig()), EvictedArticles(DedupConfig().forget_after_days)
    dedup.restore(s for s in states if isinstance(s, EventRecord))
    for state in states:
        if isinstance(state, EvictedEvent):
            evicted.add(state)
    live = next(s for s in states if isinstance(s, EventRecord))
    assert all(dedup.event_of(f"s1a{i}") == live.event_id for i in range(3))
    assert evicted.event_of("s0a0") is not None and dedup.event_of("s0a0") is None
    # a new report of the live story (its direction: the restored centroid) joins the restored event
    story = np.asarray(live.vector_sum) / np.linalg.norm(live.vector_sum)
    joined = dedup.add(synth.article(story, noise=0.2, hours=3, entities=("xi jinping",), article_id="s1a3"))
    assert joined.event_id == live.event_id and joined.version == live.version + 1


def test_a_newer_writers_unknown_fields_are_ignored(v1_values):
    newer = orjson.loads(parse_state(v1_values[1]).model_dump_json()) | {"field_of_a_later_version": [1, 2]}
    assert parse_state(orjson.dumps(newer)).event_id == newer["event_id"]
