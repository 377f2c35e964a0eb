from schemas import Article
from services.ingest.domain import to_raw, validate_batch

GOOD = {"title": "T", "text": "body", "url": "https://www.bbc.co.uk/news/1"}


def test_batch_rejects_invalid_items_with_their_index_and_field():
    accepted, rejected = validate_batch([GOOD, {"title": "", "text": "x"}, {"text": "x"}], source="http")
    assert [a.url for a in accepted] == [GOOD["url"]]
    assert [(r.index, r.errors[0].loc) for r in rejected] == [(1, ("title",)), (2, ("title",))]
    assert "title" in rejected[0].reason()


def test_same_article_twice_in_a_batch_is_a_duplicate():
    accepted, rejected = validate_batch([GOOD, dict(GOOD, url="http://bbc.co.uk/news/1/")], source="file")
    assert len(accepted) == 1 and rejected[0].index == 1 and "duplicate of item 0" in rejected[0].reason()


def test_raw_article_gets_id_outlet_and_source():
    raw = to_raw(Article.model_validate(GOOD), source="file")
    assert raw.outlet == "bbc.co.uk" and raw.ingest_source == "file" and len(raw.article_id) == 16
    assert to_raw(Article.model_validate(dict(GOOD, outlet="BBC")), "http").outlet == "BBC"
