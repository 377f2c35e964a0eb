"""Property-based fuzzing of POST /v1/articles on the real broker: whatever arrives, never a 5xx."""

from __future__ import annotations

import orjson
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from services.ingest.http import create_app

FIELDS = ["url", "outlet", "title", "text", "published_at", "language", "authors"]
json_scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
                | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=50))
json_values = st.recursive(json_scalars, lambda kids: st.lists(kids, max_size=4)
                           | st.dictionaries(st.text(max_size=10), kids, max_size=4), max_leaves=12)
field_values = (json_values | st.text(max_size=300)
                | st.sampled_from(["2021-12-30T10:00:00Z", "1899-01-01", "3000-01-01T00:00:00Z", "en", "EN-gb",
                                   "https://example.com/x", "ftp://x", "<script>x</script>", "\x00", "", " "]))
articles = st.dictionaries(st.sampled_from(FIELDS + ["extra", "id"]), field_values, max_size=8)
bodies = st.one_of(
    articles.map(orjson.dumps),
    st.lists(articles, min_size=0, max_size=5).map(orjson.dumps),
    json_values.map(orjson.dumps),
    st.binary(max_size=300),
)


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as c:
        yield c


@hyp_settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
@given(body=bodies)
def test_no_input_causes_a_server_error(client, body):
    response = client.post("/v1/articles", content=body, headers={"content-type": "application/json"})
    assert response.status_code in (202, 400, 413, 422), (response.status_code, body[:200], response.text)
    if response.status_code == 202:
        assert response.json()["accepted"] == len(response.json()["ids"]) >= 1
    else:
        assert response.json()["detail"]


def test_huge_inputs_are_refused_precisely(client):
    article = {"title": "T", "text": "body"}
    ten_mb = orjson.dumps(dict(article, text="x" * 10_000_000))
    assert client.post("/v1/articles", content=ten_mb).status_code == 413
    batch = [dict(article, title=f"T{i}") for i in range(10_000)]
    response = client.post("/v1/articles", content=orjson.dumps(batch))
    assert response.status_code == 413 and "at most" in response.json()["detail"]
    assert client.post("/v1/articles", content="é".encode("latin-1")).status_code == 400
