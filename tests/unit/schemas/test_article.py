from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from schemas import Article

BASE = {"title": "Biden and Putin talk", "text": "The two leaders spoke by phone."}


def errors_for(**fields) -> list[str]:
    with pytest.raises(ValidationError) as info:
        Article.model_validate(BASE | fields)
    return [".".join(map(str, e["loc"])) for e in info.value.errors()]


def test_minimal_article_and_normalisation():
    article = Article.model_validate(BASE | {"language": "EN-us", "published_at": "2021-12-30T10:00:00",
                                             "title": "  padded  "})
    assert article.language == "en"
    assert article.title == "padded"
    assert article.published_at == datetime(2021, 12, 30, 10, tzinfo=UTC)  # naive means UTC


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 1001}, "title"),
        ({"url": "not a url"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"language": "english"}, "language"),
        ({"published_at": "1800-01-01T00:00:00Z"}, "published_at"),
        ({"published_at": "not a date"}, "published_at"),
        ({"text": "null\x00byte"}, "text"),
        ({"title": "bell\x07"}, "title"),
        ({"authors": ["ok", "bad\x1b[31m"]}, "authors"),
        ({"unknown": 1}, "unknown"),
        ({"title": 5}, "title"),
    ],
)
def test_rejections_name_the_offending_field(fields, bad_field):
    assert bad_field in errors_for(**fields)


def test_future_dates_beyond_clock_skew_are_rejected():
    soon = datetime.now(UTC) + timedelta(hours=1)
    assert Article.model_validate(BASE | {"published_at": soon}).published_at == soon
    assert "published_at" in errors_for(published_at=datetime.now(UTC) + timedelta(days=30))


@pytest.mark.parametrize("text", [None, "", "   ", "<p></p>"])
def test_a_headline_only_item_has_no_text(text):
    assert Article.model_validate(BASE | {"text": text}).text is None
    assert Article.model_validate({"title": "Quake hits Chile"}).text is None


def test_neither_title_nor_text_is_refused_for_want_of_a_title():
    assert errors_for(title=None, text=None) == ["title"]
    assert errors_for(title="<br>", text="") == ["title"]


def test_newlines_and_tabs_are_allowed_in_text():
    assert Article.model_validate(BASE | {"text": "para one\n\npara\ttwo"}).text == "para one\n\npara\ttwo"


def test_markup_becomes_plain_text_and_active_content_disappears():
    article = Article.model_validate(BASE | {"title": "<b>Breaking</b> news &amp; views", "outlet": "<i>BBC</i>",
                                             "text": "before <script>alert(1)</script> after <IFRAME src=x>"})
    assert (article.title, article.outlet, article.text) == ("Breaking news & views", "BBC", "before after")


@pytest.mark.parametrize("field", ["title", "outlet"])
def test_a_field_of_markup_only_is_refused_with_the_reason(field):
    with pytest.raises(ValidationError) as info:
        Article.model_validate(BASE | {field: "<br><script>x()</script>"})
    [error] = info.value.errors()
    assert error["loc"] == (field,) and "nothing left after removing markup" in error["msg"]


def test_comparisons_and_angle_brackets_in_prose_are_fine():
    text = "Inflation < 2% and growth > 3%, said the <unnamed> official; x<y."
    assert Article.model_validate(BASE | {"text": text, "title": "Rates < 2% for now"}).text == text
