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
        self.tagged = 0
        self.nlp = self  # the extractor's spaCy pipeline, timed alone

    def pipe(self, texts, batch_size):
        for text in texts:
            self.tagged += 1
            yield text

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
    assert models.tagged == len(arts)  # spaCy alone: every article's headline + lead once
    assert set(stages["full text"]) >= {"analyze_many total", "rest (keywords, MinHash, pydantic models)",
                                        "spaCy NER alone (headline + lead, part of extract)"}


def test_the_report_sets_the_models_own_cost_against_the_target_budget():
    from services.evaluation.perf.report import _where_time_goes

    stages = {"extract (EventExtractor: spaCy NER, dates, type, quotes)": 17.0,
              "spaCy NER alone (headline + lead, part of extract)": 12.0,
              "embeddings (FeatureEncoder.embed_texts)": 8.0, "analyze_many total": 27.0,
              "rest (keywords, MinHash, pydantic models)": 2.0}
    config = {"config": "1 process, 1 core (BLAS 1 thread)", "full text": {"articles_per_cpu_s": [37.0]},
              "headline only": {"articles_per_cpu_s": [360.0]}, "stages_ms_per_article": {"full text": stages}}
    results = {"machine": {"cpus": 2}, "extract": {"configs": [config]},
               "e2e": {"configs": [{"workers": 1, "burst": {"sustained_articles_per_s": 30.0}}]}}
    text = " ".join(_where_time_goes(results, None))
    assert "spaCy NER 12 ms on headline + lead, USE 8 ms) take 20 CPU ms per article" in text
    assert "100 articles/s on 2 cores leaves 20 CPU ms per article for every process" in text
