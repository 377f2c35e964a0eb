"""The dedup shard key: the extracted record's key, so one shard's articles share a partition and an index."""

from __future__ import annotations

import pytest

from services.processor.dedup.shard import MISSING_VALUE, ONE_SHARD, ShardKey


def test_by_default_every_article_is_in_one_shard(synth):
    story = synth.direction()
    assert {ShardKey().of(synth.article(story, outlet=o)) for o in ("nyt", "fox")} == {ONE_SHARD}


def test_language_and_field_paths_key_by_the_articles_value(synth):
    article = synth.article(synth.direction(), outlet="fox")
    spanish = article.model_copy(update={"event": article.event.model_copy(update={"language": "es"})})
    assert (ShardKey("language").of(article), ShardKey("language").of(spanish)) == ("en", "es")
    assert ShardKey("outlet").of(article) == "fox"
    assert ShardKey("event.language").of(spanish) == "es"
    assert ShardKey("outlet").of(article.model_copy(update={"outlet": None})) == MISSING_VALUE


@pytest.mark.parametrize("spec", ["lang", "event.country", "outlet.name"])
def test_a_key_naming_no_field_is_refused_at_start_up(spec):
    with pytest.raises(ValueError, match="ExtractedArticle has no field"):
        ShardKey(spec)
