"""Schemas that can evolve: consumers read fields they do not know, producers stay strict, schemas carry a version."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import CanonicalEvent, ExtractedArticle, RawArticle, read_message, schema_version
from schemas.export import EXPORTS, OUT_DIR

RAW = {"article_id": "a1", "title": "Leaders talk", "text": "They talked.", "url": "https://example.com/a",
       "ingested_at": "2024-01-01T00:00:00Z", "ingest_source": "http"}


def test_consumers_ignore_fields_a_newer_producer_added():
    newer = RAW | {"sentiment": 0.4, "newsroom": {"desk": "world"}}
    article = read_message(RawArticle, json.dumps(newer))
    assert article.article_id == "a1" and not hasattr(article, "sentiment")


def test_unknown_fields_nested_in_a_canonical_event_are_ignored_too():
    event = {"event_id": "e1", "version": 2, "title": "t", "num_articles": 1, "num_sources": 1,
             "first_seen": "2024-01-01T00:00:00Z", "last_updated": "2024-01-01T00:00:00Z", "trend": "up",
             "sources": [{"article_id": "a1", "title": "t", "match_score": 1.0, "paywalled": True,
                          "reasons": {"similarity": 0.9, "model": "next"}}]}
    parsed = read_message(CanonicalEvent, json.dumps(event))
    assert parsed.sources[0].reasons.similarity == 0.9


def test_producers_stay_strict():
    with pytest.raises(ValidationError, match="sentiment"):
        RawArticle(**RAW, sentiment=0.4)
    with pytest.raises(ValidationError):
        RawArticle.model_validate_json(json.dumps(RAW | {"sentiment": 0.4}))


def test_a_consumer_still_refuses_what_it_cannot_read():
    with pytest.raises(ValidationError, match="title"):
        read_message(RawArticle, json.dumps({k: v for k, v in RAW.items() if k != "title"}))


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_exported_schema_carries_its_version(name):
    exported = json.loads((OUT_DIR / name).read_text())
    assert exported["version"] == schema_version(EXPORTS[name]) >= 1


def test_topic_models_have_versions():
    assert all(schema_version(m) >= 1 for m in (RawArticle, ExtractedArticle, CanonicalEvent))
