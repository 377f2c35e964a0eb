"""The extraction benchmark's per-stage timing runs the models, not the analysis cache."""

from datetime import UTC, datetime

import numpy as np

from schemas import ArticleEvent, ArticleFeatures, RawArticle
from services.evaluation.perf.extract import _stages
from services.processor.analyze import AnalysisCache, ArticleAnalyzer
from services.processor.dedup.features import EMBEDDING_MODEL, USE_DIM

NOW = datetime(2021, 12, 30, tzinfo=UTC)


class CountingModels:
    """Stands in for the extractor and the encoder: counts the articles each is given."""

    def __init__(self) -> None:
        self.extracted = 0
        self.encoded = 0

    def extract_many(self, articles):
        self.extracted += len(articles)
        return [ArticleEvent(language="en") for _ in articles]

    def embed_texts(self, texts):
        return np.ones((len(texts), USE_DIM), dtype=np.float32)

    def encode_many(self, articles, events):
        self.encoded += len(articles)
        return [ArticleFeatures(embedding=np.ones(USE_DIM).tolist(), embedding_model=EMBEDDING_MODEL)
                for _ in articles]


def test_stage_timing_analyses_articles_the_timed_pass_already_cached():
    models = CountingModels()
    analyzer = ArticleAnalyzer.__new__(ArticleAnalyzer)  # no models: the counter in their place
    analyzer.extractor = analyzer.encoder = models
    analyzer.cache = AnalysisCache()
    arts = [RawArticle(article_id=f"a{i}", title=f"Quake {i} hits", text=f"Quake number {i}.", ingested_at=NOW)
            for i in range(5)]
    analyzer.analyze_many(arts)  # the timed pass: every article now in the cache
    models.extracted = models.encoded = 0
    stages = _stages(analyzer, {"full text": arts}, batch=2)
    # extract_many once on its own, once inside analyze_many; encode_many only inside analyze_many
    assert models.extracted == 2 * len(arts) and models.encoded == len(arts)
    assert set(stages["full text"]) >= {"analyze_many total", "rest (keywords, MinHash, pydantic models)"}
