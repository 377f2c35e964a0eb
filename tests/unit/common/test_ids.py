from services.common.ids import article_id, normalize_url, outlet_from_url


def test_url_normalisation_ignores_tracking_case_www_and_trailing_slash():
    assert normalize_url("HTTP://WWW.Example.com/a/b/?utm_source=tw&id=3#top") == "https://example.com/a/b?id=3"
    same = {article_id(u, None, "t", "x") for u in (
        "https://example.com/a/b?id=3", "http://www.example.com/a/b/?id=3&utm_medium=x", "https://EXAMPLE.com/a/b?id=3#c")}
    assert len(same) == 1


def test_different_urls_and_query_values_differ():
    assert article_id("https://example.com/a?id=3", None, "t", "x") != article_id("https://example.com/a?id=4", None, "t", "x")
    assert article_id("https://example.com/a", None, "t", "x") != article_id("https://example.com/b", None, "t", "x")


def test_without_url_the_content_decides_whitespace_and_case_insensitively():
    a = article_id(None, "BBC", "Title  here", "Body\ntext")
    assert a == article_id(None, "bbc", "title here", "body text")
    assert a != article_id(None, "cnn", "title here", "body text")
    assert len(a) == 16


def test_outlet_from_url():
    assert outlet_from_url("https://www.reuters.com/world/x") == "reuters.com"
    assert outlet_from_url(None) is None
