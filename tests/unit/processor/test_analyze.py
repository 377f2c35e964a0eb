"""ArticleAnalyzer hands headline-only articles to extraction and dedup features with the headline as body."""

from datetime import UTC, datetime

import numpy as np

from schemas import ArticleEvent, ArticleFeatures, RawArticle
from services.processor.analyze import AnalysisCache, ArticleAnalyzer, with_body
from services.processor.dedup.features import EMBEDDING_MODEL, USE_DIM

NOW = datetime(2021, 12, 30, tzinfo=UTC)


class Recorder:
    """Stands in for the NLP models (the subject is what they are given)."""

    def __init__(self) -> None:
        self.texts: list[str | None] = []

    def extract_many(self, articles):
        self.texts += [a.text for a in articles]
        return [ArticleEvent(language="en") for _ in articles]

    def encode_many(self, articles, events):
        self.texts += [a.text for a in articles]
        return [ArticleFeatures(embedding=np.ones(USE_DIM).tolist(), embedding_model=EMBEDDING_MODEL)
                for _ in articles]


def raw(article_id: str, title: str, text: str | None) -> RawArticle:
    return RawArticle(article_id=article_id, title=title, text=text, ingested_at=NOW)


def test_headline_only_articles_are_analysed_with_the_headline_as_body():
    analyzer = ArticleAnalyzer.__new__(ArticleAnalyzer)  # no models: a recorder in their place
    analyzer.extractor = analyzer.encoder = Recorder()
    analyzer.cache = AnalysisCache()
    out = analyzer.analyze_many([raw("a", "Quake hits Chile", None), raw("b", "Vote today", "Polls open at 8.")])
    assert analyzer.extractor.texts == ["Quake hits Chile", "Polls open at 8."] * 2
    assert [o.article_id for o in out] == ["a", "b"] and out[0].title == "Quake hits Chile"


def test_with_body_leaves_full_articles_alone():
    full = raw("b", "Vote today", "Polls open at 8.")
    assert with_body(full) is full
    assert with_body(raw("a", "Quake", None)).text == "Quake"
