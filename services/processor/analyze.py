"""Stage 1 of the processor, pure: raw article -> extracted article (event fields + dedup features).

The faust extract agent and `newsfuse eval` both call `ArticleAnalyzer`, so what is measured is what runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemas import ExtractedArticle, RawArticle
from services.processor.dedup.features import FeatureEncoder
from services.processor.extract import EventExtractor

EXTRACTOR_VERSION = "2"


def with_body(article: RawArticle) -> RawArticle:
    """A headline-only article analysed with its headline as the body: the short text it is. Extraction and
    dedup features (and the pair model, trained on headline-only streams built this way) expect a body."""
    return article if article.text else article.model_copy(update={"text": article.title})


class ArticleAnalyzer:
    """Loads the NLP models once; analyses articles in batches (models are much faster batched)."""

    def __init__(self) -> None:
        self.extractor = EventExtractor()
        self.encoder = FeatureEncoder()

    def analyze(self, article: RawArticle) -> ExtractedArticle:
        return self.analyze_many([article])[0]

    def analyze_many(self, articles: Sequence[RawArticle]) -> list[ExtractedArticle]:
        if not articles:
            return []
        articles = [with_body(a) for a in articles]
        events = self.extractor.extract_many(articles)
        features = self.encoder.encode_many(articles, events)
        return [
            ExtractedArticle(
                article_id=a.article_id, url=a.url, outlet=a.outlet, title=a.title,
                published_at=a.published_at, ingested_at=a.ingested_at,
                event=event, features=feats, extractor_version=EXTRACTOR_VERSION,
            )
            for a, event, feats in zip(articles, events, features, strict=True)
        ]
