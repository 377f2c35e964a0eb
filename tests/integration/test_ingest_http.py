"""POST /v1/articles through the real broker: accepted articles are on the raw topic, rejected ones never."""

from __future__ import annotations

import orjson
import pytest
from fastapi.testclient import TestClient

from schemas import RawArticle
from services.common.settings import RAW_TOPIC
from services.ingest.http import create_app
from tests.integration.kafka_utils import read_topic

ARTICLE = {"url": "https://example.com/news/1?utm_source=x", "title": "Quake hits city",
           "text": "A strong earthquake hit the city on Monday.", "published_at": "2021-12-30T10:00:00Z"}


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as c:
        yield c


def raw_messages(settings, expect: int, timeout: float = 10.0) -> list[RawArticle]:
    records = read_topic(settings, RAW_TOPIC, until=lambda r: len(r) >= expect, timeout=timeout)
    return [RawArticle.model_validate_json(r.value) for r in records]


def test_accepts_one_and_a_list_and_publishes_with_article_id_keys(client, settings):
    one = client.post("/v1/articles", json=ARTICLE)
    assert one.status_code == 202, one.text
    batch = [dict(ARTICLE, url=f"https://example.com/news/{i}", title=f"Story {i}") for i in range(2, 5)]
    many = client.post("/v1/articles", json=batch)
    assert many.status_code == 202
    ids = one.json()["ids"] + many.json()["ids"]
    assert len(set(ids)) == 4

    records = read_topic(settings, RAW_TOPIC, until=lambda r: len(r) >= 4)
    assert sorted(r.key.decode() for r in records) == sorted(ids)
    first = next(RawArticle.model_validate_json(r.value) for r in records if r.key.decode() == ids[0])
    assert first.outlet == "example.com" and first.ingest_source == "http"


def test_resending_gives_the_same_id(client):
    first = client.post("/v1/articles", json=ARTICLE).json()["ids"]
    again = client.post("/v1/articles", json=dict(ARTICLE, url="https://www.example.com/news/1/")).json()["ids"]
    assert first == again


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        (dict(ARTICLE, title=""), 422, "title"),
        ({k: v for k, v in ARTICLE.items() if k not in ("title", "text")}, 422, "title"),  # text is optional
        (dict(ARTICLE, title="<br><script>x()</script>", text=None), 422, "title"),  # nothing left
        (dict(ARTICLE, published_at="1850-01-01T00:00:00Z"), 422, "published_at"),
        (dict(ARTICLE, url="ftp://example.com/x"), 422, "url"),
        (dict(ARTICLE, title="bad\x00byte"), 422, "title"),
        (dict(ARTICLE, tittle="typo"), 422, "tittle"),
        ([ARTICLE, ARTICLE], 422, None),  # the same article twice in one batch
    ],
)
def test_invalid_input_is_rejected_and_nothing_is_published(client, settings, body, status, field):
    good_then_bad = body if isinstance(body, list) else [dict(ARTICLE, url="https://example.com/ok"), body]
    response = client.post("/v1/articles", json=good_then_bad)
    assert response.status_code == status
    if field:
        assert any(field in map(str, e["loc"]) for e in response.json()["detail"]), response.json()
    assert raw_messages(settings, expect=1, timeout=2.0) == []


def test_malformed_json_and_oversized_bodies(client, settings):
    assert client.post("/v1/articles", content=b"{not json").status_code == 400
    too_big = orjson.dumps(dict(ARTICLE, text="x" * (settings.ingest_max_body_bytes + 1)))
    assert client.post("/v1/articles", content=too_big).status_code == 413
    assert client.post("/v1/articles", json=[]).status_code == 422
    assert client.get("/healthz").json() == {"status": "ok"}
    assert raw_messages(settings, expect=1, timeout=2.0) == []


def test_bearer_token_when_configured(settings):
    with TestClient(create_app(settings.model_copy(update={"ingest_token": "s3cret"}))) as c:
        assert c.post("/v1/articles", json=ARTICLE).status_code == 401
        assert c.post("/v1/articles", json=ARTICLE, headers={"Authorization": "Bearer nope"}).status_code == 401
        ok = c.post("/v1/articles", json=ARTICLE, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 202
